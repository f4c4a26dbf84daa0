"""Grouping spans into claims: the rule, its independence from arrival order, and stored groups keeping identity."""

import random

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factcheck.consensus.models import Comment
from factcheck.review.grouping import Item, cluster, linked, overlap_ratio, regroup_article
from factcheck.review.models import ClaimGroup, Span
from factcheck.review.services import span_delete, span_update
from tests.factories import discuss, mark

ranges = st.tuples(st.integers(0, 200), st.integers(1, 60)).map(lambda t: (t[0], t[0] + t[1]))
span_lists = st.lists(ranges, min_size=0, max_size=25)


def partition(groups) -> set[frozenset]:
    return {frozenset(group) for group in groups}


def test_overlap_is_shared_characters_over_the_union_or_the_shorter_span():
    assert overlap_ratio((0, 10), (5, 15)) == 5 / 15
    assert overlap_ratio((0, 10), (5, 15), "shorter") == 5 / 10
    assert overlap_ratio((0, 100), (40, 60), "shorter") == 1.0
    assert overlap_ratio((0, 10), (10, 20)) == overlap_ratio((0, 10), (10, 20), "shorter") == 0
    assert linked((0, 10), (0, 10), 1.0) and not linked((0, 10), (10, 20), 0.0)
    assert linked((0, 10), (2, 10), 0.5) and not linked((0, 10), (6, 10), 0.5)


def test_single_linkage_joins_a_chain():
    items = [Item("a", 0, 10), Item("b", 3, 13), Item("c", 6, 16), Item("far", 100, 110)]
    assert cluster(items, 0.5, "union") == [["a", "b", "c"], ["far"]]
    # With a stricter rule no pair is close enough (7/13 shared at best).
    assert cluster(items, 0.6, "union") == [["a"], ["b"], ["c"], ["far"]]


def test_a_phrase_inside_a_longer_span_is_the_same_claim_by_default_but_not_under_union():
    clause, phrase = Item("clause", 0, 110), Item("phrase", 87, 110)
    assert cluster([clause, phrase]) == [["clause", "phrase"]]
    assert cluster([clause, phrase], 0.5, "union") == [["clause"], ["phrase"]]


def test_the_rule_comes_from_the_settings(settings):
    items = [Item("a", 0, 10), Item("b", 5, 15)]
    settings.FACTCHECK_GROUP_OVERLAP = "union"
    settings.FACTCHECK_GROUP_MIN_OVERLAP = 0.3
    assert cluster(items) == [["a", "b"]]
    settings.FACTCHECK_GROUP_MIN_OVERLAP = 0.5
    assert cluster(items) == [["a"], ["b"]]
    settings.FACTCHECK_GROUP_OVERLAP = "shorter"
    assert cluster(items) == [["a", "b"]]
    settings.FACTCHECK_GROUP_OVERLAP = "longest"
    with pytest.raises(ValueError, match="FACTCHECK_GROUP_OVERLAP"):
        cluster(items)


thresholds = st.sampled_from([0.0, 0.3, 0.5, 0.8, 1.0])
measures = st.sampled_from(["shorter", "union"])


@given(spans=span_lists, seed=st.randoms(use_true_random=False), threshold=thresholds, measure=measures)
def test_groups_do_not_depend_on_the_order_spans_arrive_in(spans, seed, threshold, measure):
    items = [Item(index, start, end) for index, (start, end) in enumerate(spans)]
    shuffled = items[:]
    seed.shuffle(shuffled)
    assert cluster(shuffled, threshold, measure) == cluster(items, threshold, measure)


@given(spans=span_lists, threshold=thresholds, measure=measures)
def test_groups_are_exactly_the_connected_sets_of_linked_spans(spans, threshold, measure):
    items = [Item(index, start, end) for index, (start, end) in enumerate(spans)]
    groups = cluster(items, threshold, measure)
    group_of = {key: number for number, group in enumerate(groups) for key in group}
    assert sorted(group_of) == list(range(len(items)))
    # Every linked pair shares a group...
    for a in items:
        for b in items:
            if linked((a.start, a.end), (b.start, b.end), threshold, measure):
                assert group_of[a.key] == group_of[b.key]
    # ...and every group is connected through linked pairs (a plain search from its first member).
    for group in groups:
        reached, frontier = {group[0]}, [group[0]]
        while frontier:
            key = frontier.pop()
            for other in group:
                if other not in reached and linked(
                    (items[key].start, items[key].end), (items[other].start, items[other].end), threshold, measure
                ):
                    reached.add(other)
                    frontier.append(other)
        assert reached == set(group)


@pytest.fixture
def article(story):
    return story.articles.get(source_name__startswith="004")


DATE = "originally scheduled for September 2025, by at least three years"


def test_overlapping_spans_of_two_reviewers_form_one_disputed_group(article, alice, bob):
    first = mark(article, alice, "originally scheduled for September 2025, by at least three years", "conflicting")
    second = mark(article, bob, "September 2025, by at least three years", "consistent")
    first.refresh_from_db()
    second.refresh_from_db()
    group = ClaimGroup.objects.get()
    assert first.group == second.group == group
    assert (group.status, group.reviewer_count, group.label) == ("disputed", 2, "")
    assert (group.start, group.end) == (first.start, first.end)


def test_agreeing_reviewers_form_a_consensus_and_a_lone_span_is_single(article, alice, bob):
    mark(article, alice, "by at least three years", "conflicting")
    mark(article, bob, "by at least three years", "conflicting")
    mark(article, bob, "mounting security challenges", "unsupported")
    statuses = list(ClaimGroup.objects.order_by("start").values_list("status", "label", "reviewer_count"))
    assert statuses == [("consensus", "conflicting", 2), ("single", "", 1)]


def test_a_story_quorum_and_majority_change_the_outcome(article, alice, bob, carol):
    story = article.story
    story.quorum, story.majority = 3, 0.5
    story.save()
    mark(article, alice, "by at least three years", "conflicting")
    mark(article, bob, "by at least three years", "conflicting")
    assert ClaimGroup.objects.get().status == "disputed"
    mark(article, carol, "by at least three years", "consistent")
    group = ClaimGroup.objects.get()
    assert (group.status, group.label) == ("consensus", "conflicting")


def test_a_group_with_a_thread_keeps_its_identity_when_its_spans_change(article, alice, bob):
    first = mark(article, alice, "by at least three years", "conflicting")
    mark(article, bob, "at least three years", "consistent")
    group = ClaimGroup.objects.get()
    discuss(group, alice, "The other articles say September 2025 stands.")
    # Alice replaces her span with a wider one: the claim is the same, so is the group and its thread.
    span_delete(span=first, user=first.reviewer)
    wider = "the planned withdrawal of US forces, originally scheduled for September 2025, by at least three years"
    mark(article, alice, wider, "conflicting")
    mark(article, alice, "mounting security challenges", "unsupported")
    group.refresh_from_db()
    assert set(Span.objects.filter(group=group).values_list("quote", "reviewer__username")) == {
        (wider, "alice"),
        ("at least three years", "bob"),
    }
    assert (group.status, group.comments.count()) == ("disputed", 1)
    assert ClaimGroup.objects.count() == 2


def test_when_a_group_splits_its_thread_stays_with_most_of_its_spans(article, alice, bob, carol, erin):
    mark(article, alice, "originally scheduled for September 2025", "consistent")
    mark(article, bob, "September 2025", "consistent")
    mark(article, carol, "by at least three years", "conflicting")
    mark(article, bob, "at least three years", "consistent")
    mark(article, alice, "least three years", "conflicting")
    assert ClaimGroup.objects.count() == 2
    # A span across both claims bridges them into one group, which gets a thread...
    bridge = mark(article, carol, "originally scheduled for September 2025, by at least three years", "conflicting")
    group = ClaimGroup.objects.get()
    discuss(group, erin, "Is this one claim or two?")
    # ...and when the bridge goes, the thread follows the three delay spans, the date claim gets a new group.
    span_delete(span=bridge, user=bridge.reviewer)
    group.refresh_from_db()
    assert group.comments.count() == 1
    assert set(group.spans.values_list("quote", flat=True)) == {
        "by at least three years",
        "at least three years",
        "least three years",
    }
    date = ClaimGroup.objects.exclude(pk=group.pk).get()
    assert set(date.spans.values_list("quote", flat=True)) == {
        "originally scheduled for September 2025",
        "September 2025",
    }


def test_a_group_left_without_spans_keeps_its_thread_and_is_taken_back(article, alice, bob):
    first = mark(article, alice, "by at least three years", "conflicting")
    second = mark(article, bob, "by at least three years", "consistent")
    group = ClaimGroup.objects.get()
    discuss(group, bob, "Why conflicting?")
    span_delete(span=first, user=first.reviewer)
    span_delete(span=second, user=second.reviewer)
    group.refresh_from_db()
    assert (group.reviewer_count, group.status) == (0, "single")
    assert Comment.objects.get().group == group
    again = mark(article, bob, "at least three years", "consistent")
    again.refresh_from_db()
    assert again.group_id == group.pk


def test_a_group_with_nothing_on_it_is_deleted_when_its_spans_go(article, alice):
    span = mark(article, alice, "by at least three years", "conflicting")
    span_delete(span=span, user=span.reviewer)
    assert not ClaimGroup.objects.exists()


def test_a_decided_group_keeps_its_decision_when_a_reviewer_changes_their_verdict(article, alice, bob, erin):
    from factcheck.consensus.services import group_decide

    first = mark(article, alice, "by at least three years", "conflicting")
    mark(article, bob, "by at least three years", "consistent")
    group = ClaimGroup.objects.get()
    group_decide(
        group=group, editor=erin, final_label="conflicting", final_note="Other reports say 2026.", version=group.version
    )
    span_update(span=first, user=first.reviewer, label="consistent", note="Convinced by bob.")
    group.refresh_from_db()
    assert (group.status, group.label, group.final_label, group.decided_by) == (
        "consensus",
        "consistent",
        "conflicting",
        erin,
    )
    assert list(first.history.order_by("history_date").values_list("label", flat=True)) == ["conflicting", "consistent"]


PHRASES = [
    "delay the planned withdrawal of US forces",
    "the planned withdrawal of US forces, originally scheduled for September 2025",
    "originally scheduled for September 2025",
    "September 2025, by at least three years",
    "by at least three years",
    "at least three years due to mounting security challenges",
    "mounting security challenges in the region",
    "Iraqi sources revealed",
]


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    picks=st.lists(
        st.tuples(
            st.sampled_from(PHRASES),
            st.sampled_from(["alice", "bob", "carol"]),
            st.sampled_from(["consistent", "conflicting"]),
        ),
        min_size=1,
        max_size=10,
        unique_by=lambda pick: (pick[0], pick[1]),
    ),
    seed=st.integers(0, 10_000),
)
def test_stored_groups_do_not_depend_on_the_order_spans_are_saved_in(article, alice, bob, carol, picks, seed):
    users = {"alice": alice, "bob": bob, "carol": carol}

    def stored_partition(order):
        with transaction.atomic():
            for text, who, label in order:
                mark(article, users[who], text, label)
            groups = {}
            for group_id, text, who in Span.objects.values_list("group_id", "quote", "reviewer__username"):
                groups.setdefault(group_id, set()).add((text, who))
            summary = sorted(
                (sorted(groups[g.pk]), g.status, g.label, g.reviewer_count) for g in ClaimGroup.objects.all()
            )
            transaction.set_rollback(True)
        return summary

    shuffled = picks[:]
    random.Random(seed).shuffle(shuffled)
    assert stored_partition(picks) == stored_partition(shuffled)


def test_regrouping_twice_changes_nothing(article, alice, bob):
    mark(article, alice, "by at least three years", "conflicting")
    mark(article, bob, "at least three years", "consistent")
    before = list(ClaimGroup.objects.values_list("pk", "version", "status"))
    regroup_article(article=article)
    assert list(ClaimGroup.objects.values_list("pk", "version", "status")) == before


def test_changing_the_storys_rule_recomputes_its_groups(article, alice, bob, django_capture_on_commit_callbacks):
    mark(article, alice, "by at least three years", "conflicting")
    mark(article, bob, "by at least three years", "conflicting")
    assert ClaimGroup.objects.get().status == "consensus"
    story = article.story
    story.quorum = 3
    with django_capture_on_commit_callbacks(execute=True):
        story.save()
    assert ClaimGroup.objects.get().status == "disputed"
    # A save that does not touch the rule (a workflow state change, say) leaves the groups alone.
    versions = list(ClaimGroup.objects.values_list("version", flat=True))
    story.state = "in_review"
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        story.save(update_fields=["state"])
    assert callbacks == [] and list(ClaimGroup.objects.values_list("version", flat=True)) == versions


def test_the_regroup_command_applies_a_changed_rule_and_keeps_threads(article, alice, bob, settings):
    from io import StringIO

    from django.core.management import CommandError, call_command

    mark(article, alice, "by at least three years", "conflicting")
    mark(
        article,
        bob,
        "delay the planned withdrawal of US forces, originally scheduled for September 2025, by at least three years",
        "consistent",
    )
    group = ClaimGroup.objects.get()
    discuss(group, bob, "Same plan")
    settings.FACTCHECK_GROUP_OVERLAP = "union"
    out = StringIO()
    call_command("regroup", story=article.story.slug, stdout=out)
    assert "1 -> 2 claim groups" in out.getvalue()
    group.refresh_from_db()
    assert group.comments.count() == 1 and group.reviewer_count == 1
    with pytest.raises(CommandError, match="No story"):
        call_command("regroup", story="nope")
