"""Every write's rules live in its service: called directly, each refuses and stores nothing."""

import pytest

from factcheck.articles.models import StoryState
from factcheck.consensus.models import Comment
from factcheck.consensus.services import DecisionConflict, comment_create, group_decide, verdict_change
from factcheck.refusals import Conflict, NotAllowed
from factcheck.review.models import ClaimGroup, Discussion, ReviewSubmission, Span
from factcheck.review.services import discussion_open, review_submit, span_create, span_delete, span_update
from factcheck.workflow.services import StaleStory, story_transition
from tests.factories import mark, put

CLAIM = "by at least three years"


@pytest.fixture
def article(story):
    return story.articles.get(source_name__startswith="004")


def create(article, user):
    start = article.body.index(CLAIM)
    return span_create(
        article=article, reviewer=user, start=start, end=start + len(CLAIM), quote=CLAIM, label="conflicting"
    )


@pytest.mark.parametrize("state", [StoryState.DRAFT, StoryState.READY, StoryState.APPROVED])
def test_span_create_refuses_a_story_not_open_for_review(article, alice, state):
    put(article.story, state)
    # A draft is not open yet; a story under approval or approved is frozen until it is reopened.
    with pytest.raises(NotAllowed, match="no longer open for review" if state == "draft" else "reopen the story first"):
        create(article, alice)
    assert not Span.objects.exists()


@pytest.mark.parametrize("who", ["erin", "nobody"])
def test_span_create_refuses_anyone_but_a_reviewer(article, who, request):
    with pytest.raises(NotAllowed, match="Only reviewers"):
        create(article, request.getfixturevalue(who))
    assert not Span.objects.exists()


@pytest.mark.parametrize("state", [StoryState.DRAFT, StoryState.READY, StoryState.APPROVED])
def test_span_update_and_delete_refuse_a_closed_story(article, alice, state):
    span = mark(article, alice, CLAIM, "conflicting")
    put(article.story, state)
    said = "no longer open for review" if state == "draft" else "reopen the story first"
    with pytest.raises(NotAllowed, match=said):
        span_update(span=span, user=alice, label="consistent", note="changed")
    with pytest.raises(NotAllowed, match=said):
        span_delete(span=span, user=alice)
    span.refresh_from_db()
    assert (span.label, span.note) == ("conflicting", "")


def test_span_update_and_delete_refuse_another_reviewers_span(article, alice, bob):
    span = mark(article, alice, CLAIM, "conflicting")
    with pytest.raises(NotAllowed, match="Only the reviewer who marked"):
        span_update(span=span, user=bob, label="consistent", note="")
    with pytest.raises(NotAllowed, match="Only the reviewer who marked"):
        span_delete(span=span, user=bob)
    with pytest.raises(NotAllowed, match="Only the reviewer who marked"):
        verdict_change(span=span, reviewer=bob, label="consistent", note="")
    assert Span.objects.get(pk=span.pk).label == "conflicting"


def test_an_editor_may_correct_a_verdict_but_not_delete_it(article, alice, erin):
    span = mark(article, alice, CLAIM, "conflicting")
    span_update(span=span, user=erin, label="unsupported", note="desk correction")
    assert Span.objects.get(pk=span.pk).label == "unsupported"
    with pytest.raises(NotAllowed):
        span_delete(span=span, user=erin)
    assert Span.objects.filter(pk=span.pk).exists()


def test_review_submit_is_for_reviewers_and_discussion_open_for_editors(story, alice, erin):
    with pytest.raises(NotAllowed, match="Only reviewers submit"):
        review_submit(story=story, reviewer=erin)
    with pytest.raises(NotAllowed, match="Only editors open"):
        discussion_open(story=story, editor=alice)
    assert not ReviewSubmission.objects.exists() and not Discussion.objects.exists()


def test_a_blind_reviewer_cannot_post_to_a_thread(article, alice, bob, nobody):
    mark(article, alice, CLAIM, "conflicting")
    mark(article, bob, CLAIM, "consistent")
    group = ClaimGroup.objects.get()
    with pytest.raises(NotAllowed, match="Submit your review"):
        comment_create(group=group, author=alice, text="Who is right?")
    with pytest.raises(NotAllowed, match="may read this thread but not post"):
        comment_create(group=group, author=nobody, text="Who is right?")
    assert not Comment.objects.exists()
    review_submit(story=article.story, reviewer=alice)
    comment_create(group=group, author=alice, text="Who is right?")
    assert Comment.objects.count() == 1


def test_group_decide_refuses_a_reviewer_and_a_stale_version(article, alice, bob, erin):
    mark(article, alice, CLAIM, "conflicting")
    mark(article, bob, CLAIM, "consistent")
    group = ClaimGroup.objects.get()
    with pytest.raises(NotAllowed, match="Only editors decide"):
        group_decide(group=group, editor=alice, final_label="conflicting", final_note="Mine.", version=group.version)
    with pytest.raises(DecisionConflict) as stale:
        group_decide(group=group, editor=erin, final_label="conflicting", final_note="Late.", version=group.version - 1)
    assert isinstance(stale.value, Conflict) and stale.value.status == 409
    group.refresh_from_db()
    assert (group.final_label, group.decided_by) == ("", None)


def test_story_transition_refuses_a_stale_version(story, alice):
    with pytest.raises(StaleStory) as stale:
        story_transition(story=story, user=alice, target=StoryState.READY, seen_version=story.version - 1)
    assert stale.value.status == 409
    story.refresh_from_db()
    assert story.state == StoryState.IN_REVIEW
