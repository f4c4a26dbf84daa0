"""Pre-flags on the seed story and stored as suggestions: recompute, accept, dismiss, read, and the command."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from factcheck.articles.models import Story
from factcheck.findings.models import Suggestion, SuggestionResponse
from factcheck.findings.selectors import story_conflicts, suggestions_for_article
from factcheck.findings.services import story_preflag, suggestion_accept, suggestion_dismiss
from factcheck.refusals import NotAllowed
from factcheck.review.models import ClaimGroup, Span


def _conflict(suggestions, quote: str, counterpart: str) -> Suggestion | None:
    for suggestion in suggestions:
        is_conflict = suggestion.kind == "conflicting" and quote in suggestion.quote
        if is_conflict and any(counterpart in c["quote"] for c in suggestion.counterparts):
            return suggestion
    return None


@pytest.fixture
def suggestions(story):
    return story_preflag(story=story)


def test_it_flags_september_2023_against_september_2025(suggestions):
    assert _conflict(suggestions, "September 2023", "September 2025")


def test_it_flags_a_delay_of_at_least_three_years_against_a_phase_lasting_through_2026(suggestions):
    found = _conflict(suggestions, "at least three years", "through 2026")
    assert found
    assert "September 2028 or later" in found.reason
    assert _conflict(suggestions, "through 2026", "at least three years")


def test_it_does_not_flag_troops_left_in_iraq_against_advisers_at_one_base(suggestions):
    for suggestion in suggestions:
        assert not ("2,000" in suggestion.quote and any("250" in c["quote"] for c in suggestion.counterparts))
        assert not ("250" in suggestion.quote and any("2,000" in c["quote"] for c in suggestion.counterparts))


def test_every_suggestion_points_at_its_quote_and_gives_a_reason(story, suggestions):
    bodies = dict(story.articles.values_list("pk", "body"))
    assert suggestions
    for suggestion in suggestions:
        assert bodies[suggestion.article_id][suggestion.start : suggestion.end] == suggestion.quote
        assert suggestion.reason
        for other in suggestion.counterparts:
            assert other["article"] != suggestion.article_id
            assert bodies[other["article"]][other["start"] : other["end"]] == other["quote"]


def test_suggestions_are_not_verdicts(suggestions):
    assert not Span.objects.exists()
    assert not ClaimGroup.objects.exists()


def test_recomputing_keeps_responses_to_suggestions_found_again(story, suggestions, alice):
    dismissed = suggestions[0]
    suggestion_dismiss(suggestion=dismissed, reviewer=alice)
    again = story_preflag(story=story)
    assert len(again) == len(suggestions)
    assert SuggestionResponse.objects.get(reviewer=alice).suggestion_id == dismissed.pk


def test_accepting_makes_the_reviewers_own_span_with_the_counterparts_as_evidence(suggestions, alice, bob):
    suggestion = _conflict(suggestions, "September 2023", "September 2025")
    span, response = suggestion_accept(suggestion=suggestion, reviewer=alice)
    assert (span.reviewer, span.label, span.quote) == (alice, "conflicting", suggestion.quote)
    assert span.note == suggestion.reason
    assert sorted(span.evidence.values_list("article_id", "quote")) == sorted(
        (c["article"], c["quote"]) for c in suggestion.counterparts
    )
    assert (response.response, response.span) == ("accepted", span)
    assert not Span.objects.filter(reviewer=bob).exists()


def test_only_reviewers_may_respond_and_only_while_the_story_is_open(story, suggestions, nobody, alice):
    with pytest.raises(NotAllowed, match="reviewer"):
        suggestion_accept(suggestion=suggestions[0], reviewer=nobody)
    Story.objects.filter(pk=story.pk).update(state=Story.State.APPROVED)
    suggestion = Suggestion.objects.select_related("story", "article").get(pk=suggestions[0].pk)
    with pytest.raises(NotAllowed, match="no longer open for review"):
        suggestion_dismiss(suggestion=suggestion, reviewer=alice)
    with pytest.raises(NotAllowed, match="no longer open for review"):
        suggestion_accept(suggestion=suggestion, reviewer=alice)
    assert not Span.objects.exists()
    assert not SuggestionResponse.objects.exists()


def test_a_dismissed_suggestion_is_hidden_from_that_reviewer_only(suggestions, alice, bob, nobody):
    suggestion = suggestions[0]
    suggestion_dismiss(suggestion=suggestion, reviewer=alice)
    assert suggestion not in suggestions_for_article(article=suggestion.article, user=alice)
    shown_to_bob = list(suggestions_for_article(article=suggestion.article, user=bob))
    assert suggestion in shown_to_bob
    assert all(s.my_responses == [] for s in shown_to_bob)
    everything = suggestions_for_article(article=suggestion.article, user=alice, include_dismissed=True)
    assert [r.response for s in everything if s.pk == suggestion.pk for r in s.my_responses] == ["dismissed"]
    assert not suggestions_for_article(article=suggestion.article, user=nobody).exists()


def test_the_story_list_holds_only_possible_conflicts(story, suggestions, alice):
    conflicts = list(story_conflicts(story=story, user=alice))
    assert conflicts
    assert {s.kind for s in conflicts} == {"conflicting"}


def test_the_command_prints_the_suggestions_as_json(story):
    out = StringIO()
    call_command("preflag", "--story", story.slug, "--json", stdout=out)
    items = json.loads(out.getvalue())
    titles = set(story.articles.values_list("title", flat=True))
    assert items and {"kind", "article", "start", "end", "quote", "counterparts", "reason"} <= set(items[0])
    assert {item["kind"] for item in items} <= {"conflicting", "consistent", "unsupported"}
    assert all(item["article"] in titles for item in items)
    assert all(c["article"] in titles for item in items for c in item["counterparts"])
    assert Suggestion.objects.filter(story=story).count() == len(items)


def test_the_command_refuses_an_unknown_story(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No story"):
        call_command("preflag", "--story", "no-such-story")


def test_a_suggestion_is_found_by_id_only_for_readers(suggestions, alice, nobody):
    from factcheck.findings.selectors import suggestion_for_user

    assert suggestion_for_user(user=alice, pk=suggestions[0].pk) == suggestions[0]
    assert suggestion_for_user(user=alice, pk=10**9) is None
    assert suggestion_for_user(user=nobody, pk=suggestions[0].pk) is None


def test_accepting_over_the_reviewers_own_span_keeps_their_verdict(suggestions, alice):
    from factcheck.review.services import span_create

    suggestion = _conflict(suggestions, "September 2023", "September 2025")
    own, _ = span_create(
        article=suggestion.article,
        reviewer=alice,
        start=suggestion.start,
        end=suggestion.end,
        quote=suggestion.quote,
        label="unsupported",
        note="my own reading",
    )
    span, response = suggestion_accept(suggestion=suggestion, reviewer=alice)
    assert span == own
    span.refresh_from_db()
    assert (span.label, span.note, response.span) == ("unsupported", "my own reading", own)


def test_the_command_says_which_relative_dates_it_could_not_resolve(story):
    out = StringIO()
    call_command("preflag", "--story", story.slug, stdout=out)
    text = out.getvalue()
    assert "[conflicting]" in text
    assert "“late last year” is relative and the article has no publication date" in text
