"""The admin's change pages: the import check, an article's spans and groups, and frozen or stale spans."""

import html as htmllib

import pytest
from django.urls import reverse

from factcheck.articles.models import StoryState
from factcheck.review.models import GroupStatus, Span
from tests.factories import mark_range, put

S = StoryState


EVIDENCE_FORMSET = {"evidence-TOTAL_FORMS": 0, "evidence-INITIAL_FORMS": 0}


def test_the_article_page_shows_the_raw_text_beside_the_clean_body_exactly(client, erin, story):
    article = story.articles.get(source_name__startswith="003")
    client.force_login(erin)
    html = client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()
    columns = html[html.index('<div class="fc-import-check">') :]
    raw_at, body_at = columns.index(htmllib.escape(article.raw_text)), columns.index(htmllib.escape(article.body))
    assert raw_at < body_at  # raw on the left, clean on the right
    assert f"({len(article.raw_text)} characters)" in columns and f"({len(article.body)} characters)" in columns
    assert article.raw_text != article.body


def test_the_article_page_lists_its_spans_and_groups_with_their_consensus(client, erin, alice, bob, story):
    article = story.articles.first()
    mark_range(article, alice, 0, 20, "consistent")
    mark_range(article, bob, 0, 20, "consistent")
    mark_range(article, alice, 40, 60, "consistent")
    mark_range(article, bob, 40, 60, "conflicting")
    statuses = sorted(article.claim_groups.values_list("status", flat=True))
    assert statuses == [GroupStatus.CONSENSUS, GroupStatus.DISPUTED]
    client.force_login(erin)
    response = client.get(reverse("admin:articles_article_change", args=[article.pk]))
    html = response.content.decode()
    assert html.count('class="field-reviewer"') >= 4
    assert "Consensus (Consistent)" in html and "Disputed" in html
    assert htmllib.escape(article.body[40:60]) in html


@pytest.mark.parametrize(("state", "editable"), [(S.IN_REVIEW, True), (S.READY, False), (S.APPROVED, False)])
def test_spans_of_a_story_under_approval_or_approved_are_read_only_in_the_admin(
    client, erin, alice, story, state, editable
):
    span = mark_range(story.articles.first(), alice, 0, 10, "consistent")
    put(story, state)
    client.force_login(erin)
    url = reverse("admin:review_span_change", args=[span.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert ('name="label"' in page.content.decode()) is editable
    token = span.updated_at.isoformat()
    response = client.post(url, {"label": "conflicting", "note": "", "seen_token": token, **EVIDENCE_FORMSET})
    assert response.status_code == (302 if editable else 403)
    assert Span.objects.get(pk=span.pk).label == ("conflicting" if editable else "consistent")


def test_an_admin_span_edit_goes_through_the_review_service_and_history(client, erin, alice, story):
    put(story, S.IN_REVIEW)
    span = mark_range(story.articles.first(), alice, 0, 10, "consistent")
    client.force_login(erin)
    url = reverse("admin:review_span_change", args=[span.pk])
    form = {"label": "unsupported", "note": "  nothing backs it  ", "seen_token": span.updated_at.isoformat()}
    assert client.post(url, {**form, **EVIDENCE_FORMSET}).status_code == 302
    span.refresh_from_db()
    assert (span.label, span.note) == ("unsupported", "  nothing backs it  ")
    latest = span.history.latest()
    assert (latest.history_user, latest.label) == (erin, "unsupported")


def test_an_admin_span_edit_over_the_reviewers_newer_change_is_refused(client, erin, alice, story):
    from factcheck.review.services import span_update

    put(story, S.IN_REVIEW)
    span = mark_range(story.articles.first(), alice, 0, 10, "consistent")
    client.force_login(erin)
    url = reverse("admin:review_span_change", args=[span.pk])
    seen = client.get(url).context["adminform"].form["seen_token"].value()
    span_update(span=span, user=span.reviewer, label="conflicting", note="Article 2 says otherwise.")

    response = client.post(url, {"label": "unsupported", "note": "", "seen_token": seen, **EVIDENCE_FORMSET})
    assert response.status_code == 200
    assert "Someone changed this span since you opened it" in response.content.decode()
    span.refresh_from_db()
    assert (span.label, span.note) == ("conflicting", "Article 2 says otherwise.")


def test_an_article_edit_over_a_newer_change_is_refused(client, erin, story):
    article = story.articles.first()
    client.force_login(erin)
    url = reverse("admin:articles_article_change", args=[article.pk])
    seen = client.get(url).context["adminform"].form["seen_token"].value()
    article.outlet = "Colleague's outlet"
    article.save()
    form = {"title": "Mine", "outlet": "Mine", "url": "", "published": "", "seen_token": seen}
    form.update({f"{prefix}-{k}": 0 for prefix in ("spans", "claim_groups") for k in ("TOTAL_FORMS", "INITIAL_FORMS")})
    response = client.post(url, form)
    assert "Someone changed this article since you opened it" in response.content.decode()
    article.refresh_from_db()
    assert (article.title != "Mine", article.outlet) == (True, "Colleague's outlet")
    form["seen_token"] = client.get(url).context["adminform"].form["seen_token"].value()
    assert client.post(url, form).status_code == 302
    article.refresh_from_db()
    assert (article.title, article.outlet) == ("Mine", "Mine")


def test_claim_groups_threads_and_submissions_are_read_only_in_the_admin(client, erin, alice, bob, story):
    article = story.articles.first()
    mark_range(article, alice, 0, 20, "consistent")
    mark_range(article, bob, 0, 20, "conflicting")
    group = article.claim_groups.get()
    client.force_login(erin)
    url = reverse("admin:review_claimgroup_change", args=[group.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"final_label": "consistent", "final_note": "x"}).status_code == 403
    group.refresh_from_db()
    assert group.final_label == ""


def test_the_consensus_rule_of_a_story_under_approval_cannot_change_in_the_admin(client, erin, story):
    client.force_login(erin)
    url = reverse("admin:articles_story_change", args=[story.pk])
    assert 'name="quorum"' in client.get(url).content.decode()
    put(story, S.APPROVED)
    assert 'name="quorum"' not in client.get(url).content.decode()


def test_span_history_shows_each_verdict_change_with_who_even_after_a_delete(client, erin, alice, story):
    from factcheck.review.services import span_delete, span_update

    put(story, S.IN_REVIEW)
    span = mark_range(story.articles.first(), alice, 0, 10, "consistent")
    span_pk = span.pk
    span._history_user = alice
    span_update(span=span, user=span.reviewer, label="conflicting", note="After the thread.")
    span_delete(span=span, user=span.reviewer)
    types = list(Span.history.filter(id=span_pk).order_by("history_id").values_list("history_type", "label"))
    assert types == [("+", "consistent"), ("~", "conflicting"), ("-", "conflicting")]

    client.force_login(erin)
    response = client.get(reverse("admin:review_span_history", args=[span_pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Deleted" in html and "Changed" in html and "Created" in html
    assert "After the thread." in html


def test_a_group_decision_is_in_the_admin_history_with_the_editor(client, erin, alice, bob, story):
    from factcheck.consensus.services import group_decide

    article = story.articles.first()
    mark_range(article, alice, 0, 20, "consistent")
    mark_range(article, bob, 0, 20, "conflicting")
    group = article.claim_groups.get()
    group_decide(
        group=group, editor=erin, final_label="consistent", final_note="Two outlets confirm.", version=group.version
    )
    client.force_login(erin)
    html = client.get(reverse("admin:review_claimgroup_history", args=[group.pk])).content.decode()
    assert "Two outlets confirm." in html and ">erin<" in html
