"""The state machine: every (state, role, target) move, the stale-page refusal and the history it writes."""

import itertools

import pytest

from factcheck.articles.models import Story, StoryState
from factcheck.workflow import transitions
from factcheck.workflow.services import StaleStory, TransitionRefused, stories_transition, story_transition
from tests.factories import make_user

S = StoryState
ALLOWED = {
    (S.DRAFT, "editor", S.IN_REVIEW),
    (S.IN_REVIEW, "reviewer", S.READY),
    (S.READY, "editor", S.APPROVED),
    (S.READY, "editor", S.CHANGES_REQUESTED),
    (S.CHANGES_REQUESTED, "reviewer", S.IN_REVIEW),
    (S.APPROVED, "editor", S.IN_REVIEW),
}
NEEDS_REASON = {S.CHANGES_REQUESTED, (S.APPROVED, S.IN_REVIEW)}
ROLES = ["reviewer", "editor", "nobody"]
CASES = list(itertools.product(S.values, ROLES, S.values))


def put(story: Story, state: str, reason: str = "") -> Story:
    Story.objects.filter(pk=story.pk).update(state=state, state_reason=reason)
    story.refresh_from_db()
    return story


def needs_reason(source: str, target: str) -> bool:
    return target in NEEDS_REASON or (source, target) in NEEDS_REASON


@pytest.fixture
def users(alice, erin, nobody):
    return {"reviewer": alice, "editor": erin, "nobody": nobody}


def test_the_table_holds_exactly_the_designed_moves():
    table = {(t.source, t.role.value, t.target) for t in transitions.TRANSITIONS}
    assert table == ALLOWED


@pytest.mark.parametrize(("state", "role", "target"), CASES)
def test_it_allows_only_the_designed_moves_for_each_role(story, users, state, role, target):
    user = users[role]
    story = put(story, state)
    version = story.version
    history_rows = story.history.count()
    reason = "The second quote is not in article 3." if needs_reason(state, target) else ""

    if (state, role, target) in ALLOWED:
        moved = story_transition(story=story, user=user, target=target, seen_version=version, reason=reason)
        stored = Story.objects.get(pk=story.pk)
        assert (moved.state, stored.state) == (target, target)
        assert stored.version == version + 1
        assert story.history.count() == history_rows + 1
        latest = story.history.latest()
        assert (latest.state, latest.history_user, latest.history_type) == (target, user, "~")
        assert latest.state_reason == reason
    else:
        with pytest.raises(TransitionRefused) as refused:
            story_transition(story=story, user=user, target=target, seen_version=version, reason=reason)
        assert refused.value.message
        stored = Story.objects.get(pk=story.pk)
        assert (stored.state, stored.version) == (state, version)
        assert story.history.count() == history_rows


@pytest.mark.parametrize(
    ("state", "role", "target", "message"),
    [
        (S.DRAFT, "editor", S.APPROVED, "A story that is “draft” cannot be moved to “approved”."),
        (S.READY, "reviewer", S.APPROVED, "“Approve” is for editors only."),
        (S.IN_REVIEW, "editor", S.READY, "“Submit for approval” is for reviewers only."),
        (S.READY, "nobody", S.APPROVED, "“Approve” is for editors only."),
    ],
)
def test_a_refusal_says_why(story, users, state, role, target, message):
    story = put(story, state)
    with pytest.raises(TransitionRefused, match=message):
        story_transition(story=story, user=users[role], target=target, seen_version=story.version)


@pytest.mark.parametrize(("state", "target"), [(S.READY, S.CHANGES_REQUESTED), (S.APPROVED, S.IN_REVIEW)])
@pytest.mark.parametrize("reason", ["", "   \n "])
def test_sending_back_without_a_reason_is_refused(story, erin, state, target, reason):
    story = put(story, state)
    with pytest.raises(TransitionRefused, match="Give a reason") as refused:
        story_transition(story=story, user=erin, target=target, seen_version=story.version, reason=reason)
    assert refused.value.field == "reason"
    assert Story.objects.get(pk=story.pk).state == state


def test_an_unknown_target_is_refused(story, erin):
    with pytest.raises(TransitionRefused, match="is not a review state"):
        story_transition(story=story, user=erin, target="published", seen_version=story.version)


def test_approval_on_a_stale_page_is_refused_and_keeps_the_colleagues_decision(story, erin, django_user_model):
    frank = make_user("frank", "Editors", is_staff=True)
    story = put(story, S.READY)
    seen = story.version  # both editors open the page now
    story_transition(story=story, user=frank, target=S.CHANGES_REQUESTED, seen_version=seen, reason="Check quote 2.")

    with pytest.raises(StaleStory, match="Someone changed this story since you opened it; reload") as refused:
        story_transition(story=story, user=erin, target=S.APPROVED, seen_version=seen)
    assert "reload" in refused.value.message
    stored = Story.objects.get(pk=story.pk)
    assert (stored.state, stored.state_reason, stored.version) == (S.CHANGES_REQUESTED, "Check quote 2.", seen + 1)
    assert stored.approved_by is None
    assert story.history.latest().history_user == frank


def test_the_same_move_twice_from_one_page_is_refused_the_second_time(story, erin):
    story = put(story, S.READY)
    seen = story.version
    story_transition(story=story, user=erin, target=S.APPROVED, seen_version=seen)
    with pytest.raises(StaleStory):
        story_transition(story=Story.objects.get(pk=story.pk), user=erin, target=S.APPROVED, seen_version=seen)
    assert Story.objects.get(pk=story.pk).version == seen + 1


@pytest.mark.parametrize("seen", [None, "", "abc"])
def test_a_missing_or_garbled_version_counts_as_stale(story, erin, seen):
    story = put(story, S.READY)
    with pytest.raises(StaleStory):
        story_transition(story=story, user=erin, target=S.APPROVED, seen_version=seen)
    assert Story.objects.get(pk=story.pk).state == S.READY


def test_the_conditional_update_refuses_a_change_made_between_the_check_and_the_write(story, erin, monkeypatch):
    """A colleague's write landing after our read but before our UPDATE: the WHERE clause still catches it."""
    story = put(story, S.READY)
    seen = story.version
    real_check = transitions.check

    def check_then_colleague_writes(**kwargs):
        move = real_check(**kwargs)
        Story.objects.filter(pk=story.pk).update(version=seen + 1, state=S.CHANGES_REQUESTED)
        return move

    monkeypatch.setattr(transitions, "check", check_then_colleague_writes)
    with pytest.raises(StaleStory):
        story_transition(story=story, user=erin, target=S.APPROVED, seen_version=seen)
    # The simulated write shared our transaction, so the refusal rolled it back with ours: what
    # matters is that the approval did not land on top of it.
    stored = Story.objects.get(pk=story.pk)
    assert (stored.state, stored.version, stored.approved_by) == (S.READY, seen, None)
    assert not story.history.filter(state=S.APPROVED).exists()


def test_approval_records_who_and_when_and_reopening_clears_it_but_history_keeps_it(story, erin):
    story = put(story, S.READY)
    story = story_transition(story=story, user=erin, target=S.APPROVED, seen_version=story.version)
    assert story.approved_by == erin and story.approved_at is not None
    approved_at = story.approved_at

    story = story_transition(
        story=story, user=erin, target=S.IN_REVIEW, seen_version=story.version, reason="A correction came in."
    )
    assert (story.approved_by, story.approved_at, story.state_reason) == (None, None, "A correction came in.")
    approval = story.history.filter(state=S.APPROVED).get()
    assert (approval.approved_by_id, approval.approved_at, approval.history_user) == (erin.pk, approved_at, erin)
    assert approval.history_change_reason == "Approve: Ready for approval → Approved"


def test_the_reason_stays_while_reviewers_rework_and_goes_once_they_resubmit(story, erin, alice):
    story = put(story, S.READY)
    story = story_transition(
        story=story, user=erin, target=S.CHANGES_REQUESTED, seen_version=story.version, reason="Quote 2 is wrong."
    )
    story = story_transition(story=story, user=alice, target=S.IN_REVIEW, seen_version=story.version)
    assert story.state_reason == "Quote 2 is wrong."
    story = story_transition(story=story, user=alice, target=S.READY, seen_version=story.version)
    assert story.state_reason == ""
    reasons = list(story.history.order_by("history_id").values_list("state", "state_reason"))
    assert (S.CHANGES_REQUESTED, "Quote 2 is wrong.") in reasons


def test_a_too_long_reason_is_refused(story, erin):
    story = put(story, S.READY)
    with pytest.raises(TransitionRefused, match="under 2000 characters"):
        story_transition(
            story=story, user=erin, target=S.CHANGES_REQUESTED, seen_version=story.version, reason="x" * 2001
        )


def test_a_bulk_move_moves_each_fresh_story_and_reports_each_refusal(story, erin):
    other = Story.objects.create(title="Second story", slug="second-story", state=S.READY)
    third = Story.objects.create(title="Third story", slug="third-story", state=S.IN_REVIEW)
    story = put(story, S.READY)
    result = stories_transition(
        stories=[story, other, third],
        user=erin,
        target=S.APPROVED,
        seen_versions={story.pk: story.version, other.pk: other.version + 7, third.pk: third.version},
    )
    assert [s.pk for s in result.moved] == [story.pk]
    assert [(s.pk, "since you opened it" in m) for s, m in result.refused] == [(other.pk, True), (third.pk, False)]
    assert Story.objects.get(pk=other.pk).state == S.READY and Story.objects.get(pk=third.pk).state == S.IN_REVIEW


def test_a_bulk_move_refuses_stories_the_editor_never_saw(story, erin):
    story = put(story, S.READY)
    result = stories_transition(stories=[story], user=erin, target=S.APPROVED, seen_versions={})
    assert result.moved == [] and "not on the page you acted from" in result.refused[0][1]
    assert Story.objects.get(pk=story.pk).state == S.READY


def test_roles_come_from_the_workflow_permissions(alice, erin, nobody, django_user_model):
    from django.contrib.auth.models import Permission

    assert transitions.roles_of(alice) == {transitions.Role.REVIEWER}
    assert transitions.roles_of(erin) == {transitions.Role.EDITOR}
    assert transitions.roles_of(nobody) == frozenset()
    root = django_user_model.objects.create_superuser("root", password="x")
    assert transitions.roles_of(root) == {transitions.Role.REVIEWER, transitions.Role.EDITOR}
    desk = django_user_model.objects.create_user("desk", password="x")
    desk.user_permissions.add(Permission.objects.get(codename="approve_story"))
    assert transitions.roles_of(django_user_model.objects.get(pk=desk.pk)) == {transitions.Role.EDITOR}
    erin.is_active = False
    assert transitions.roles_of(erin) == frozenset()


@pytest.mark.parametrize(
    ("state", "open_"),
    [(S.DRAFT, False), (S.IN_REVIEW, True), (S.CHANGES_REQUESTED, True), (S.READY, False), (S.APPROVED, False)],
)
def test_a_story_is_open_for_review_only_while_reviewers_work_on_it(state, open_):
    assert Story(state=state).is_open_for_review is open_
