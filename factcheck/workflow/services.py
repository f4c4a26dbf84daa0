"""Moving stories through the workflow: the only code that writes Story.state."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from factcheck.articles.models import Story, StoryState
from factcheck.refusals import NotAllowed
from factcheck.review.access import is_editor, reviewers
from factcheck.workflow import transitions
from factcheck.workflow.signals import story_approved
from factcheck.workflow.transitions import StaleStory, TransitionRefused

REASON_MAX = 2000
NOT_SEEN = "It was not on the page you acted from; open it and decide there. Nothing was changed."


@transaction.atomic
def story_transition(*, story: Story, user, target: str, seen_version: int | str | None, reason: str = "") -> Story:
    """Move `story` to `target` for `user`, if the table allows it and nobody changed it since `seen_version`.

    The write is one conditional UPDATE (pk, version and state as the user saw them), so two
    editors acting on the same page state cannot both win, on SQLite or PostgreSQL. On any refusal
    nothing is written and TransitionRefused (StaleStory for a stale page) says why.
    """
    try:
        seen = int(seen_version)
    except (TypeError, ValueError):
        raise StaleStory() from None
    reason = reason or ""  # kept as typed; transitions.check refuses white space alone
    if len(reason) > REASON_MAX:
        raise TransitionRefused(f"Keep the reason under {REASON_MAX} characters.", field="reason")
    current = Story.objects.filter(pk=story.pk).values("state", "version").first()
    if current is None:
        raise TransitionRefused("This story no longer exists.")
    if current["version"] != seen:
        raise StaleStory()
    move = transitions.check(state=current["state"], target=target, roles=transitions.roles_of(user), reason=reason)

    now = timezone.now()
    changes = {"state": move.target, "version": F("version") + 1}
    if move.needs_reason:
        changes["state_reason"] = reason
    elif not move.keeps_reason:
        changes["state_reason"] = ""
    if move.target == StoryState.CHANGES_REQUESTED or move.source == StoryState.APPROVED:
        # Sent back or reopened: reviews submitted so far are no longer final, so reviewers may mark again.
        changes["review_reopened_at"] = now
    if move.target == StoryState.APPROVED:
        changes.update(approved_by=user, approved_at=now)
    elif move.source == StoryState.APPROVED:
        # Who approved before stays in the history; the fields describe the approval that stands.
        changes.update(approved_by=None, approved_at=None)
    updated = Story.objects.filter(pk=story.pk, version=seen, state=move.source).update(**changes)
    if updated != 1:
        raise StaleStory()

    story.refresh_from_db()
    # A queryset update sends no signal: write the history row ourselves, in the same transaction.
    Story.history.bulk_history_create(
        [story],
        update=True,
        default_user=user,
        default_date=now,
        default_change_reason=f"{move.label}: {StoryState(move.source).label} → {StoryState(move.target).label}"[:100],
    )
    if move.target == StoryState.APPROVED:
        story_approved.send(sender=Story, story=story, user=user, approved_at=now)
    return story


@dataclass(frozen=True)
class BulkResult:
    moved: list[Story]
    refused: list[tuple[Story, str]]


def stories_transition(
    *, stories: list[Story], user, target: str, seen_versions: dict[int, int | str | None], reason: str = ""
) -> BulkResult:
    """Move each story on its own: one stale or wrong-state story does not hold back the others.

    A story without a seen version (selected "across all pages", never shown) is refused: an editor
    decides only on what they saw.
    """
    moved, refused = [], []
    for story in stories:
        if story.pk not in seen_versions:
            refused.append((story, NOT_SEEN))
            continue
        try:
            moved.append(
                story_transition(
                    story=story, user=user, target=target, seen_version=seen_versions.get(story.pk), reason=reason
                )
            )
        except TransitionRefused as exc:
            refused.append((story, exc.message))
    return BulkResult(moved=moved, refused=refused)


def stories_assign(*, stories: list[Story], users, editor, due_date=None) -> int:
    """An editor assigns `users` (reviewers) to each of `stories`, keeping those already assigned.

    `due_date`, when given, is set on every story. Returns how many new assignments were made.
    Refused for anyone but an editor, and for a user who is not a reviewer (nobody is assigned then).
    """
    if not is_editor(editor):
        raise NotAllowed("Only editors assign reviewers.")
    users = list(users)
    allowed = set(reviewers().filter(pk__in=[u.pk for u in users]).values_list("pk", flat=True))
    strangers = [u.get_username() for u in users if u.pk not in allowed]
    if strangers:
        raise ValidationError({"reviewers": f"Not a reviewer: {', '.join(sorted(strangers))}."})
    through = Story.reviewers.through
    with transaction.atomic():
        existing = set(through.objects.filter(story__in=stories, user__in=users).values_list("story_id", "user_id"))
        rows = [
            through(story_id=story.pk, user_id=user.pk)
            for story in stories
            for user in users
            if (story.pk, user.pk) not in existing
        ]
        through.objects.bulk_create(rows)
        if due_date is not None:
            Story.objects.filter(pk__in=[s.pk for s in stories]).update(due_date=due_date)
    return len(rows)
