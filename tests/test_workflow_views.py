"""The review moves on the story page: reviewers submit and resume; refusals are 4xx and change nothing."""

import pytest
from django.urls import reverse

from factcheck.articles.models import Story, StoryState
from factcheck.workflow.services import story_transition

S = StoryState


def put(story: Story, state: str, reason: str = "") -> Story:
    Story.objects.filter(pk=story.pk).update(state=state, state_reason=reason)
    story.refresh_from_db()
    return story


def url(story: Story) -> str:
    return reverse("story-transition", args=[story.slug])


def test_a_reviewer_submits_the_story_for_approval_from_its_page(client, alice, story):
    story = put(story, S.IN_REVIEW)
    client.force_login(alice)
    page = client.get(story.get_absolute_url()).content.decode()
    assert 'value="ready"' in page and f'name="seen_version" value="{story.version}"' in page
    response = client.post(url(story), {"target": "ready", "seen_version": story.version})
    assert response.status_code == 302 and response.url == story.get_absolute_url()
    stored = Story.objects.get(pk=story.pk)
    assert stored.state == S.READY and stored.history.latest().history_user == alice
    after = client.get(response.url).content.decode()
    assert "The story is now ready for approval." in after and "Submitted for approval" in after


def test_reviewers_see_the_reason_and_resume_the_review(client, alice, erin, story):
    story = put(story, S.READY)
    story_transition(
        story=story, user=erin, target=S.CHANGES_REQUESTED, seen_version=story.version, reason="Quote <3> is cut."
    )
    client.force_login(alice)
    page = client.get(story.get_absolute_url()).content.decode()
    assert "<strong>Changes requested:</strong> Quote &lt;3&gt; is cut." in page
    response = client.post(url(story), {"target": "in_review", "seen_version": story.version})
    assert response.status_code == 302
    assert "Sent back by the editor:</strong> Quote &lt;3&gt; is cut." in client.get(response.url).content.decode()


@pytest.mark.parametrize(
    ("state", "target", "status", "message"),
    [
        (S.READY, "approved", 400, "“Approve” is for editors only."),
        (S.IN_REVIEW, "bogus", 400, "“bogus” is not a review state."),
    ],
)
def test_a_refused_move_is_a_4xx_with_the_reason_and_changes_nothing(
    client, alice, story, state, target, status, message
):
    story = put(story, state)
    client.force_login(alice)
    response = client.post(url(story), {"target": target, "seen_version": story.version})
    assert response.status_code == status
    assert message in response.content.decode()
    stored = Story.objects.get(pk=story.pk)
    assert (stored.state, stored.version) == (state, story.version)


def test_a_submit_from_a_stale_page_is_a_409(client, alice, bob, story):
    story = put(story, S.IN_REVIEW)
    seen = story.version
    story_transition(story=story, user=bob, target=S.READY, seen_version=seen)
    client.force_login(alice)
    response = client.post(url(story), {"target": "ready", "seen_version": seen})
    assert response.status_code == 409
    assert "Someone changed this story since you opened it; reload" in response.content.decode()
    assert Story.objects.get(pk=story.pk).history.latest().history_user == bob


def test_approved_stories_offer_reviewers_no_moves(client, alice, erin, story):
    story = put(story, S.READY)
    story_transition(story=story, user=erin, target=S.APPROVED, seen_version=story.version)
    client.force_login(alice)
    page = client.get(story.get_absolute_url()).content.decode()
    assert 'name="target"' not in page and "Approved by erin" in page


def test_the_move_endpoint_hides_stories_from_users_without_a_role_and_takes_only_posts(
    client, nobody, alice, draft_story
):
    story = draft_story
    client.force_login(nobody)
    assert client.post(url(story), {"target": "in_review", "seen_version": 1}).status_code == 404
    client.force_login(alice)
    assert client.get(url(story)).status_code == 405
    client.logout()
    response = client.post(url(story), {"target": "in_review", "seen_version": 1})
    assert response.status_code == 302 and "/accounts/login/" in response.url
    assert Story.objects.get(pk=story.pk).state == S.DRAFT


def test_a_reviewers_move_on_a_draft_is_a_404_like_a_guessed_story(client, alice, draft_story):
    client.force_login(alice)
    response = client.post(url(draft_story), {"target": "ready", "seen_version": draft_story.version})
    assert response.status_code == 404
    assert client.post("/stories/no-such-story/review-state/", {"target": "ready"}).status_code == 404
    assert Story.objects.get(pk=draft_story.pk).state == S.DRAFT
