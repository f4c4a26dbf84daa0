"""Threads on claim groups, and reviewers changing their verdict after the discussion."""

import pytest
from django.urls import reverse

from factcheck.consensus.models import Comment
from factcheck.review.models import ClaimGroup
from factcheck.review.services import discussion_open, review_submit
from tests.factories import mark


@pytest.fixture
def group(story, alice, bob, erin):
    """Both reviewers submitted, and the editor opened the story for discussion (where verdicts may change)."""
    article = story.articles.get(source_name__startswith="004")
    mark(article, alice, "by at least three years", "conflicting")
    mark(article, bob, "at least three years", "consistent")
    for reviewer in (alice, bob):
        review_submit(story=story, reviewer=reviewer)
    discussion_open(story=story, editor=erin)
    return ClaimGroup.objects.get()


def post(client, group, text, htmx=True):
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(reverse("comment-create", args=[group.pk]), {"text": text}, headers=headers)


def test_a_reviewer_posts_with_htmx_and_gets_the_thread_back_newest_last(client, group, alice, bob):
    client.force_login(alice)
    post(client, group, "First: Task & Purpose says 2026.")
    client.force_login(bob)
    response = post(client, group, "Second: that is the second phase.")
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith('<section id="thread"') and "<html" not in body
    assert body.index("First: Task &amp; Purpose") < body.index("Second: that is")
    assert "<strong>alice</strong>" in body and "<strong>bob</strong>" in body
    assert list(group.comments.values_list("author__username", flat=True)) == ["alice", "bob"]


def test_a_comment_is_plain_text_escaped(client, group, alice):
    client.force_login(alice)
    body = post(client, group, '<script>alert("x")</script> <b>bold</b>').content.decode()
    assert "<script>alert" not in body and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in body
    assert "<b>bold</b>" not in body


def test_a_comment_shows_author_and_time(client, group, alice):
    client.force_login(alice)
    post(client, group, "Timed")
    comment = Comment.objects.get()
    body = client.get(reverse("group-detail", args=[group.pk])).content.decode()
    assert f'datetime="{comment.created_at.isoformat()}"' in body
    assert "<strong>alice</strong> · <time" in body and comment.created_at.strftime("%-d %b %Y, %H:%M") in body


@pytest.mark.parametrize("text", ["", "   \n  "])
def test_an_empty_comment_is_a_400_and_nothing_is_stored(client, group, alice, text):
    client.force_login(alice)
    response = post(client, group, text)
    assert response.status_code == 400
    assert b"Write something before posting." in response.content
    assert b'<section id="thread"' in response.content
    assert not Comment.objects.exists()


def test_a_too_long_comment_is_a_400_and_keeps_the_draft(client, group, alice):
    client.force_login(alice)
    response = post(client, group, "x" * 5001)
    assert response.status_code == 400 and not Comment.objects.exists()
    assert b"under 5000 characters" in response.content and b"x" * 5001 in response.content


def test_without_htmx_posting_redirects_back_to_the_thread(client, group, alice):
    client.force_login(alice)
    response = post(client, group, "No JavaScript here", htmx=False)
    assert response.status_code == 302 and response.url.endswith("#thread")
    assert Comment.objects.get().text == "No JavaScript here"


def test_editors_post_to_threads_too(client, group, erin):
    client.force_login(erin)
    assert post(client, group, "Editor here").status_code == 200
    assert Comment.objects.get().author == erin


def test_a_reviewer_changes_their_verdict_after_discussion_and_history_keeps_the_old_one(client, group, alice):
    client.force_login(alice)
    span = group.spans.get(reviewer=alice)
    response = client.post(
        reverse("verdict-change", args=[group.pk, span.pk]), {"label": "consistent", "note": "Bob convinced me."}
    )
    assert response.status_code == 302
    span.refresh_from_db()
    assert (span.label, span.note) == ("consistent", "Bob convinced me.")
    assert list(span.history.order_by("history_date").values_list("label", flat=True)) == [
        "conflicting",
        "consistent",
    ]
    group.refresh_from_db()
    assert (group.status, group.label) == ("consensus", "consistent")
    page = client.get(reverse("group-detail", args=[group.pk])).content.decode()
    assert "changed 1×" in page


def test_a_bad_verdict_is_a_400_and_changes_nothing(client, group, alice):
    client.force_login(alice)
    span = group.spans.get(reviewer=alice)
    response = client.post(reverse("verdict-change", args=[group.pk, span.pk]), {"label": "maybe"})
    assert response.status_code == 400 and b"Choose a verdict" in response.content
    span.refresh_from_db()
    assert span.label == "conflicting" and span.history.count() == 1


def test_verdicts_cannot_change_once_the_story_is_approved(client, group, alice):
    story = group.article.story
    story.state = "approved"
    story.save()
    client.force_login(alice)
    span = group.spans.get(reviewer=alice)
    response = client.post(reverse("verdict-change", args=[group.pk, span.pk]), {"label": "consistent"})
    assert response.status_code == 403 and b"reopen the story first" in response.content
    span.refresh_from_db()
    assert span.label == "conflicting"
