"""The blind phase: until they submit (or an editor opens the story), a reviewer sees only their own spans.

Every view and partial that shows spans, groups, threads or decisions is checked, and each answers a
reviewer still reviewing blind exactly as it answers a guessed id: 404.
"""

import pytest
from django.urls import reverse

from factcheck.consensus.models import Comment
from factcheck.consensus.services import comment_create
from factcheck.review.models import ClaimGroup, ReviewSubmission
from factcheck.review.selectors import visible_spans
from factcheck.review.services import discussion_open, review_submit
from tests.factories import mark


@pytest.fixture
def article(story):
    return story.articles.get(source_name__startswith="004")


@pytest.fixture
def disputed(article, alice, bob):
    """alice and bob disagree on the delay; bob has submitted and commented, alice is still blind."""
    mark(article, alice, "by at least three years", "conflicting")
    mark(article, bob, "delay the planned withdrawal of US forces", "consistent")
    mark(article, bob, "at least three years", "consistent")
    review_submit(story=article.story, reviewer=bob)
    group = ClaimGroup.objects.get(status="disputed")
    comment_create(group=group, author=bob, text="bob-was-here: the dates agree")
    return group


def usernames(spans) -> set[str]:
    return {span.reviewer.username for span in spans}


def test_a_reviewer_sees_only_their_own_spans_until_they_submit(disputed, article, alice, bob):
    assert usernames(visible_spans(article=article, user=alice)) == {"alice"}
    review_submit(story=article.story, reviewer=alice)
    assert usernames(visible_spans(article=article, user=alice)) == {"alice", "bob"}


def test_a_reviewer_who_submitted_sees_everyone(disputed, article, bob):
    assert usernames(visible_spans(article=article, user=bob)) == {"alice", "bob"}


def test_opening_the_story_for_discussion_lifts_the_blind_phase_for_everyone(disputed, article, alice, erin):
    discussion_open(story=article.story, editor=erin)
    assert usernames(visible_spans(article=article, user=alice)) == {"alice", "bob"}


def test_editors_see_every_span_without_submitting(disputed, article, erin):
    assert usernames(visible_spans(article=article, user=erin)) == {"alice", "bob"}


def test_submitting_one_story_does_not_unblind_another(disputed, article, alice, django_user_model):
    from factcheck.articles.models import Article, Story

    other = Story.objects.create(title="Other", slug="other")
    text = "A claim that by at least three years nothing changes."
    other_article = Article.objects.create(story=other, title="Other article", raw_text=text, body=text)
    ReviewSubmission.objects.create(story=other, reviewer=alice)
    assert usernames(visible_spans(article=article, user=alice)) == {"alice"}
    assert list(visible_spans(article=other_article, user=alice)) == []


def test_the_blind_consensus_page_shows_no_other_verdict_nor_alpha(client, disputed, article, alice):
    client.force_login(alice)
    response = client.get(reverse("story-consensus", args=[article.story.slug]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "You are reviewing blind" in body and "Submit my review" in body
    assert "1 span" in body
    for leak in ("delay the planned withdrawal", "bob", "Consistent", "Krippendorff", "disputed"):
        assert leak not in body


def test_the_blind_consensus_partial_leaks_nothing_either(client, disputed, article, alice):
    client.force_login(alice)
    response = client.get(reverse("story-consensus", args=[article.story.slug]), headers={"HX-Request": "true"})
    assert b"bob" not in response.content and b"delay the planned" not in response.content


@pytest.mark.parametrize(
    ("method", "name", "data"),
    [
        ("get", "group-detail", None),
        ("post", "comment-create", {"text": "peek"}),
        ("post", "group-decide", {"final_label": "consistent", "final_note": "x", "version": "1"}),
    ],
)
def test_every_claim_view_is_a_404_for_a_blind_reviewer_as_for_a_guessed_id(
    client, disputed, alice, method, name, data
):
    client.force_login(alice)
    for pk in (disputed.pk, 999_999):
        for headers in ({}, {"HX-Request": "true"}):
            response = getattr(client, method)(reverse(name, args=[pk]), data or {}, headers=headers)
            assert response.status_code == 404, (name, pk, headers)
    assert Comment.objects.count() == 1
    disputed.refresh_from_db()
    assert disputed.final_label == ""


def test_a_blind_reviewer_cannot_change_a_verdict_through_a_claim_id(client, disputed, alice, bob):
    client.force_login(alice)
    bobs = disputed.spans.get(reviewer=bob)
    response = client.post(reverse("verdict-change", args=[disputed.pk, bobs.pk]), {"label": "conflicting"})
    assert response.status_code == 404
    bobs.refresh_from_db()
    assert bobs.label == "consistent"


def test_nobody_can_change_another_reviewers_verdict(client, disputed, alice, bob):
    review_submit(story=disputed.article.story, reviewer=alice)
    client.force_login(alice)
    bobs = disputed.spans.get(reviewer=bob)
    response = client.post(reverse("verdict-change", args=[disputed.pk, bobs.pk]), {"label": "conflicting"})
    assert response.status_code == 404
    bobs.refresh_from_db()
    assert bobs.label == "consistent"


def test_after_submitting_the_reviewer_reads_the_claim_and_its_thread(client, disputed, article, alice):
    client.force_login(alice)
    response = client.post(reverse("review-submit", args=[article.story.slug]))
    assert response.status_code == 302
    response = client.get(reverse("group-detail", args=[disputed.pk]))
    assert response.status_code == 200
    assert b"bob-was-here" in response.content and b"delay the planned withdrawal" in response.content


def test_a_user_without_a_role_gets_404_everywhere(client, disputed, article, nobody):
    client.force_login(nobody)
    assert client.get(reverse("story-consensus", args=[article.story.slug])).status_code == 404
    assert client.get(reverse("group-detail", args=[disputed.pk])).status_code == 404
    assert client.post(reverse("comment-create", args=[disputed.pk]), {"text": "hi"}).status_code == 404
    assert client.post(reverse("review-submit", args=[article.story.slug])).status_code == 404
    assert client.get(reverse("disputed-queue")).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, disputed, article):
    for url in [
        reverse("story-consensus", args=[article.story.slug]),
        reverse("group-detail", args=[disputed.pk]),
        reverse("disputed-queue"),
    ]:
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_reviewers_cannot_open_the_queue_nor_open_a_story_for_discussion(client, disputed, article, bob):
    client.force_login(bob)
    assert client.get(reverse("disputed-queue")).status_code == 404
    assert client.post(reverse("discussion-open", args=[article.story.slug])).status_code == 403
    assert b"Disputed" not in client.get("/").content


def test_an_editor_opens_the_story_for_discussion_from_the_page(client, disputed, article, alice, erin):
    client.force_login(erin)
    response = client.post(reverse("discussion-open", args=[article.story.slug]))
    assert response.status_code == 302
    assert usernames(visible_spans(article=article, user=alice)) == {"alice", "bob"}
    client.force_login(alice)
    assert client.get(reverse("group-detail", args=[disputed.pk])).status_code == 200
