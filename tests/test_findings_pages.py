"""Pre-flags on the article page: the panel, its query count, and the accept and dismiss views."""

import pytest

from factcheck.findings.models import Suggestion, SuggestionResponse
from factcheck.findings.services import story_preflag
from factcheck.review.models import Evidence, Span
from tests.factories import put

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def conflict(story):
    story_preflag(story=story)
    return Suggestion.objects.filter(story=story, kind="conflicting", quote="by September 2023").get()


def test_the_article_page_lists_its_suggestions_with_their_reasons(client, alice, conflict):
    client.force_login(alice)
    response = client.get(conflict.article.get_absolute_url())
    html = response.content.decode()
    assert f'id="suggestion-{conflict.pk}"' in html and "They cannot all be true" in html
    assert f"/suggestions/{conflict.pk}/accept/" in html and f"/suggestions/{conflict.pk}/dismiss/" in html


def test_the_article_page_costs_eight_queries_with_every_suggestion_of_the_story(
    client, alice, conflict, django_assert_num_queries
):
    client.force_login(alice)
    SuggestionResponse.objects.create(suggestion=conflict, reviewer=alice, response="dismissed")
    url = conflict.article.get_absolute_url()
    # tests/test_review_pages.py's ARTICLE_PAGE_QUERIES: the page's own, with the reviewer's standing.
    with django_assert_num_queries(8):
        response = client.get(url)
    assert f'id="suggestion-{conflict.pk}"' not in response.content.decode()


def test_accepting_makes_the_reviewers_span_with_the_counterparts_as_evidence(client, alice, conflict):
    client.force_login(alice)
    response = client.post(f"/suggestions/{conflict.pk}/accept/", **HTMX)
    span = Span.objects.get(reviewer=alice)
    assert response.status_code == 200
    assert response["HX-Refresh"] == "true"
    assert (span.start, span.end, span.label) == (conflict.start, conflict.end, "conflicting")
    assert set(Evidence.objects.filter(span=span).values_list("quote", flat=True)) == {
        c["quote"] for c in conflict.counterparts
    }
    assert SuggestionResponse.objects.get(suggestion=conflict, reviewer=alice).response == "accepted"


def test_dismissing_answers_the_panel_without_the_suggestion(client, alice, bob, conflict):
    client.force_login(alice)
    response = client.post(f"/suggestions/{conflict.pk}/dismiss/", **HTMX)
    assert response.status_code == 200
    assert f'id="suggestion-{conflict.pk}"' not in response.content.decode()
    assert "dismissed 1" in response.content.decode()
    client.force_login(bob)
    assert f'id="suggestion-{conflict.pk}"' in client.get(conflict.article.get_absolute_url()).content.decode()


def test_without_htmx_both_answers_redirect_to_the_article(client, alice, conflict):
    client.force_login(alice)
    response = client.post(f"/suggestions/{conflict.pk}/dismiss/")
    assert response.status_code == 302 and response["Location"].endswith("#suggestions")
    other = Suggestion.objects.exclude(pk=conflict.pk).filter(article=conflict.article).first()
    response = client.post(f"/suggestions/{other.pk}/accept/")
    span = Span.objects.get(reviewer=alice)
    assert response.status_code == 302 and response["Location"] == f"{other.article.get_absolute_url()}#span-{span.pk}"


def test_a_closed_story_refuses_with_a_message_and_stores_nothing(client, alice, story, conflict):
    put(story, "approved")
    client.force_login(alice)
    response = client.post(f"/suggestions/{conflict.pk}/accept/", **HTMX)
    assert response.status_code == 403 and "reopen the story first" in response.content.decode()
    assert not Span.objects.exists() and not SuggestionResponse.objects.exists()
    assert client.post(f"/suggestions/{conflict.pk}/dismiss/").status_code == 403


def test_an_editor_may_read_but_not_answer(client, erin, conflict):
    client.force_login(erin)
    page = client.get(conflict.article.get_absolute_url()).content.decode()
    assert f'id="suggestion-{conflict.pk}"' in page and "/accept/" not in page
    response = client.post(f"/suggestions/{conflict.pk}/accept/", **HTMX)
    assert response.status_code == 403 and "Only reviewers" in response.content.decode()


def test_a_guessed_id_and_an_outsider_get_the_same_404(client, alice, nobody, conflict):
    client.force_login(alice)
    assert client.post("/suggestions/999999/accept/").status_code == 404
    client.force_login(nobody)
    assert client.post(f"/suggestions/{conflict.pk}/accept/").status_code == 404
    assert client.get(f"/suggestions/{conflict.pk}/accept/").status_code in (404, 405)
