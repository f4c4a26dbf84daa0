"""Reviewers assigned to stories: who sees, reads and marks what, the desk's assignment, and the frozen review."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from factcheck.articles.models import StoryState
from factcheck.refusals import NotAllowed
from factcheck.review.models import ClaimGroup, Span
from factcheck.review.services import FROZEN, NOT_ASSIGNED, review_submit, span_create, span_delete, span_update
from factcheck.workflow.services import stories_assign, story_transition
from tests.factories import find, make_story, make_user, mark, put, seed_story, send_back

S = StoryState


@pytest.fixture
def dave(db):
    """A reviewer the seed story is not assigned to."""
    return make_user("dave", "Reviewers")


@pytest.fixture
def article(story):
    return story.articles.get(source_name__startswith="004")


def pages(story, article, span=None, group=None) -> list[str]:
    urls = [
        reverse("story-detail", args=[story.slug]),
        reverse("story-consensus", args=[story.slug]),
        reverse("article-detail", args=[article.pk]),
        reverse("article-raw", args=[article.pk]),
        reverse("article-compare", args=[article.pk]),
    ]
    if span is not None:
        urls.append(reverse("span-update", args=[span.pk]))
    if group is not None:
        urls.append(reverse("group-detail", args=[group.pk]))
    return urls


# ---- who sees what ----------------------------------------------------------------------------


def test_a_reviewer_not_assigned_gets_the_same_404_as_for_a_guessed_id(client, story, article, alice, bob, dave):
    span = mark(article, alice, "by at least three years")
    mark(article, bob, "by at least three years")
    review_submit(story=story, reviewer=alice)
    client.force_login(dave)
    for url in pages(story, article, group=ClaimGroup.objects.get()):
        assert client.get(url).status_code == 404, url
    assert client.get(reverse("article-detail", args=[999999])).status_code == 404
    assert story.title not in client.get(reverse("story-list")).content.decode()
    start, end = find(article, "Iraqi sources revealed")
    response = client.post(
        reverse("span-create", args=[article.pk]),
        {"start": start, "end": end, "quote": "Iraqi sources revealed", "label": "consistent"},
    )
    assert response.status_code == 404 and not Span.objects.filter(reviewer=dave).exists()
    client.force_login(alice)
    span.refresh_from_db()
    assert client.get(reverse("group-detail", args=[span.group_id])).status_code == 200


def test_the_services_refuse_a_reviewer_not_assigned(story, article, alice, dave):
    start, end = find(article, "Iraqi sources revealed")
    with pytest.raises(NotAllowed, match=NOT_ASSIGNED):
        span_create(
            article=article, reviewer=dave, start=start, end=end, quote=article.body[start:end], label="consistent"
        )
    with pytest.raises(NotAllowed, match=NOT_ASSIGNED):
        review_submit(story=story, reviewer=dave)
    span = mark(article, alice, "Iraqi sources revealed", "consistent")
    story.reviewers.remove(alice)
    with pytest.raises(NotAllowed, match=NOT_ASSIGNED):
        span_update(span=span, user=alice, label="conflicting", note="")
    with pytest.raises(NotAllowed, match=NOT_ASSIGNED):
        span_delete(span=span, user=alice)
    assert not Span.objects.filter(reviewer=dave).exists() and Span.objects.get().label == "consistent"


def test_a_draft_is_invisible_to_its_own_reviewers_and_refuses_their_spans(client, draft_story, alice, erin):
    article = draft_story.articles.first()
    client.force_login(alice)
    for url in pages(draft_story, article):
        assert client.get(url).status_code == 404, url
    assert draft_story.title not in client.get(reverse("story-list")).content.decode()
    word = article.body.split()[2]
    start, end = find(article, word)
    response = client.post(
        reverse("span-create", args=[article.pk]), {"start": start, "end": end, "quote": word, "label": "consistent"}
    )
    assert response.status_code == 404 and not Span.objects.exists()
    with pytest.raises(NotAllowed):
        span_create(article=article, reviewer=alice, start=start, end=end, quote=word, label="consistent")
    client.force_login(erin)
    assert client.get(reverse("story-detail", args=[draft_story.slug])).status_code == 200


@pytest.mark.parametrize("state", [S.READY, S.APPROVED])
def test_a_story_past_review_stays_readable_to_its_reviewers_but_read_only(client, story, article, alice, state):
    span = mark(article, alice, "Iraqi sources revealed")
    put(story, state)
    client.force_login(alice)
    for url in pages(story, article):
        assert client.get(url).status_code == 200, url
    page = client.get(reverse("article-detail", args=[article.pk])).content.decode()
    assert "verdicts can be read but no longer added" in page
    with pytest.raises(NotAllowed):
        span_update(span=span, user=alice, label="conflicting", note="")


def test_the_story_list_shows_a_reviewer_only_their_assigned_open_stories(client, story, alice, dave, erin):
    mine = make_story("Story for dave", reviewers=["dave"], bodies=["Some text."])
    make_story("Draft for dave", state=S.DRAFT, reviewers=["dave"], bodies=["Other text."])
    client.force_login(dave)
    titles = [s.story.title for s in client.get(reverse("story-list")).context["rows"]]
    assert titles == [mine.title]
    client.force_login(erin)
    titles = {s.story.title for s in client.get(reverse("story-list")).context["rows"]}
    assert titles == {story.title, mine.title, "Draft for dave"}


def test_seed_story_assigns_alice_bob_and_carol_unless_told_otherwise(db):
    assert sorted(seed_story().reviewers.values_list("username", flat=True)) == ["alice", "bob", "carol"]
    assert not make_story("Nobody's", reviewers=()).reviewers.exists()


# ---- assigning at the desk --------------------------------------------------------------------


def test_stories_assign_adds_reviewers_and_a_due_date_and_refuses_others(story, alice, dave, erin, nobody):
    other = make_story("Second", reviewers=())
    made = stories_assign(stories=[story, other], users=[alice, dave], editor=erin, due_date=dt.date(2026, 12, 24))
    assert made == 3  # alice was on the seed story already
    assert sorted(other.reviewers.values_list("username", flat=True)) == ["alice", "dave"]
    other.refresh_from_db()
    assert other.due_date == dt.date(2026, 12, 24)
    with pytest.raises(NotAllowed):
        stories_assign(stories=[other], users=[dave], editor=alice)
    with pytest.raises(ValidationError, match="Not a reviewer: nobody"):
        stories_assign(stories=[other], users=[nobody], editor=erin)
    assert not other.reviewers.filter(username="nobody").exists()


def test_the_desk_assigns_all_reviewers_in_one_action(client, erin, alice, dave):
    story = make_story("Unassigned", reviewers=())
    client.force_login(erin)
    response = client.post(
        reverse("admin:articles_story_changelist"),
        {"action": "assign_all_reviewers", "_selected_action": [story.pk]},
        follow=True,
    )
    assert response.status_code == 200 and "Assigned alice, dave" in response.content.decode()
    assert sorted(story.reviewers.values_list("username", flat=True)) == ["alice", "dave"]


def test_the_desk_assigns_chosen_reviewers_with_a_due_date(client, erin, alice, dave):
    story = make_story("Unassigned", reviewers=())
    client.force_login(erin)
    url = reverse("admin:articles_story_changelist")
    form = client.post(url, {"action": "assign_reviewers", "_selected_action": [story.pk]})
    assert form.status_code == 200 and b'name="reviewer"' in form.content and b"dave" in form.content
    bad = {"action": "assign_reviewers", "_selected_action": [story.pk], "apply": "1", "reviewer": [dave.pk]}
    assert b"YYYY-MM-DD" in client.post(url, {**bad, "due_date": "next week"}).content
    assert not story.reviewers.exists()
    client.post(url, {**bad, "due_date": "2026-12-24"})
    story.refresh_from_db()
    assert list(story.reviewers.all()) == [dave] and story.due_date == dt.date(2026, 12, 24)


def test_the_change_form_offers_only_reviewers(client, story, erin, nobody):
    client.force_login(erin)
    field = client.get(reverse("admin:articles_story_change", args=[story.pk])).context["adminform"].form
    offered = {user.get_username() for user in field.fields["reviewers"].queryset}
    assert {"alice", "bob", "carol"} <= offered and "nobody" not in offered and "erin" not in offered


# ---- the frozen review ------------------------------------------------------------------------


def test_a_submitted_review_freezes_the_reviewers_spans_until_the_story_is_sent_back(story, article, alice, erin):
    span = mark(article, alice, "by at least three years", "conflicting")
    review_submit(story=story, reviewer=alice)
    start, end = find(article, "Iraqi sources revealed")
    with pytest.raises(NotAllowed, match="submitted your review"):
        span_create(
            article=article, reviewer=alice, start=start, end=end, quote=article.body[start:end], label="consistent"
        )
    with pytest.raises(NotAllowed, match=FROZEN[:40]):
        span_update(span=span, user=alice, label="consistent", note="")
    with pytest.raises(NotAllowed, match=FROZEN[:40]):
        span_delete(span=span, user=alice)
    # The editor sends it back (through the workflow): the submission no longer freezes her spans.
    put(story, S.READY)
    story = story_transition(
        story=story, user=erin, target=S.CHANGES_REQUESTED, seen_version=story.version, reason="Check the dates."
    )
    span_update(span=span, user=alice, label="consistent", note="Rechecked")
    # Submitting again freezes them again.
    review_submit(story=story, reviewer=alice)
    with pytest.raises(NotAllowed, match=FROZEN[:40]):
        span_update(span=span, user=alice, label="unsupported", note="")
    assert Span.objects.get().label == "consistent"


def test_reopening_an_approved_story_unfreezes_its_reviews(story, article, alice, erin):
    span = mark(article, alice, "by at least three years", "conflicting")
    review_submit(story=story, reviewer=alice)
    put(story, S.APPROVED)
    story = story_transition(story=story, user=erin, target=S.IN_REVIEW, seen_version=story.version, reason="New facts")
    span_update(span=span, user=alice, label="consistent", note="")
    assert Span.objects.get().label == "consistent"


def test_a_frozen_reviewer_gets_a_403_with_the_reason_and_the_page_says_so(client, story, article, alice):
    span = mark(article, alice, "by at least three years", "conflicting")
    review_submit(story=story, reviewer=alice)
    client.force_login(alice)
    page = client.get(reverse("article-detail", args=[article.pk])).content.decode()
    assert "You submitted your review of this story: your verdicts are read-only" in page
    assert 'data-writable="0"' in page
    response = client.post(reverse("span-update", args=[span.pk]), {"label": "consistent", "note": ""})
    assert response.status_code == 403 and "submitted your review" in response.content.decode()
    start, end = find(article, "Iraqi sources revealed")
    response = client.post(
        reverse("span-create", args=[article.pk]),
        {"start": start, "end": end, "quote": "Iraqi sources revealed", "label": "consistent"},
    )
    assert response.status_code == 403 and Span.objects.count() == 1
    send_back(story)
    page = client.get(reverse("article-detail", args=[article.pk])).content.decode()
    assert "your verdicts are read-only" not in page and 'data-writable="1"' in page
