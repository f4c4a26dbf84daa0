"""Writes for consensus: comments, a reviewer's changed verdict after the discussion, an editor's decision."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from factcheck.articles.models import check_not_frozen
from factcheck.consensus.models import Comment
from factcheck.refusals import Conflict, NotAllowed
from factcheck.review.access import is_editor, is_reviewer, story_access
from factcheck.review.models import ClaimGroup, Label, Span
from factcheck.review.services import span_update

COMMENT_MAX = 5000
NOTE_MAX = 5000


class DecisionConflict(Conflict):
    """Another editor (or a change to the group's spans) got there first; `current` is the group as it is now."""

    def __init__(self, current: ClaimGroup):
        super().__init__("This claim changed while you were deciding it. Nothing of yours was saved.")
        self.current = current


def comment_create(*, group: ClaimGroup, author, text: str) -> Comment:
    """`author` posts to the claim's thread: a reviewer past the blind phase of its story, or an editor."""
    if not (is_reviewer(author) or is_editor(author)):
        raise NotAllowed("You may read this thread but not post to it.")
    if not story_access(story=group.article.story, user=author).sees_all:
        raise NotAllowed("Submit your review of this story before you discuss its claims.")
    if not text.strip():
        raise ValidationError({"text": "Write something before posting."}, code="required")
    if len(text) > COMMENT_MAX:
        raise ValidationError({"text": f"Keep a comment under {COMMENT_MAX} characters."}, code="max_length")
    comment = Comment(group=group, author=author, text=text)
    comment.full_clean()
    with transaction.atomic():
        comment.save()
    return comment


def verdict_change(*, span: Span, reviewer, label: str, note: str) -> Span:
    """A reviewer changes their own verdict after the discussion; Span's history keeps the old one.

    span_update holds the rules (their own span, the story open for review, assigned). A submitted
    review's verdicts are frozen, except here once an editor opened the story for discussion: a change
    argued in the thread, kept in the span's history.
    """
    return span_update(span=span, user=reviewer, label=label, note=note, discussion_change=True)


def group_decide(*, group: ClaimGroup, editor, final_label: str, final_note: str, version: int) -> ClaimGroup:
    """An editor settles `group`. `version` is the one the editor saw; if it moved on, nothing is written.

    Refused (StoryFrozen) while the story is ready for approval or approved: reopen the story first.

    The check and the write are one UPDATE ... WHERE version = expected, so of two editors deciding at
    once exactly one row matches: the other gets DecisionConflict with the group as it now stands.
    """
    if not is_editor(editor):
        raise NotAllowed("Only editors decide claims.")
    if final_label not in Label.values:
        raise ValidationError({"final_label": f"Choose the final verdict: {', '.join(Label.labels)}."})
    if not final_note.strip():
        raise ValidationError({"final_note": "Explain the decision: reviewers and readers will see it."})
    if len(final_note) > NOTE_MAX:
        raise ValidationError({"final_note": f"Keep the explanation under {NOTE_MAX} characters."})
    now = timezone.now()
    with transaction.atomic():
        # The story's state is read in the same transaction as the write (its row locked on PostgreSQL),
        # so a decision cannot land after an approval it did not see.
        check_not_frozen(group.article.story)
        won = ClaimGroup.objects.filter(pk=group.pk, version=version).update(
            final_label=final_label,
            final_note=final_note,
            decided_by=editor,
            decided_at=now,
            version=F("version") + 1,
            updated_at=now,
        )
        current = ClaimGroup.objects.select_related("decided_by", "article__story").get(pk=group.pk)
        if not won:
            raise DecisionConflict(current)
        ClaimGroup.history.bulk_history_create([current], update=True, default_user=editor)
    return current
