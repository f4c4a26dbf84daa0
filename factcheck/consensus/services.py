"""Writes for consensus: submitting a review, opening a story for discussion, comments, verdict changes, decisions."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from factcheck.articles.models import Story
from factcheck.consensus.models import ClaimGroup, Comment, Discussion, ReviewSubmission
from factcheck.review.models import Label, Span
from factcheck.review.services import span_update

COMMENT_MAX = 5000
NOTE_MAX = 5000


class DecisionConflict(Exception):
    """Another editor (or a change to the group's spans) got there first; `current` is the group as it is now."""

    def __init__(self, current: ClaimGroup):
        super().__init__("This group changed while you were deciding it.")
        self.current = current


def review_submit(*, story: Story, reviewer) -> tuple[ReviewSubmission, bool]:
    """A reviewer ends their blind review of `story`; submitting twice keeps the first time."""
    existing = ReviewSubmission.objects.filter(story=story, reviewer=reviewer).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            return ReviewSubmission.objects.create(story=story, reviewer=reviewer), True
    except IntegrityError:
        # A double click raced past the lookup above; the first submission stands.
        return ReviewSubmission.objects.get(story=story, reviewer=reviewer), False


def discussion_open(*, story: Story, editor) -> tuple[Discussion, bool]:
    """An editor lifts the blind phase for every reviewer of `story`."""
    existing = Discussion.objects.filter(story=story).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            return Discussion.objects.create(story=story, opened_by=editor), True
    except IntegrityError:
        return Discussion.objects.get(story=story), False


def comment_create(*, group: ClaimGroup, author, text: str) -> Comment:
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
    """A reviewer changes their own verdict after the discussion; Span's history keeps the old one."""
    if span.reviewer_id != reviewer.pk:
        raise PermissionDenied("Only the reviewer who marked a span can change its verdict.")
    if not span.article.story.is_open_for_review:
        raise ValidationError("This story is no longer open for review; its verdicts cannot change.")
    return span_update(span=span, label=label, note=note)


def group_decide(*, group: ClaimGroup, editor, final_label: str, final_note: str, version: int) -> ClaimGroup:
    """An editor settles `group`. `version` is the one the editor saw; if it moved on, nothing is written.

    The check and the write are one UPDATE ... WHERE version = expected, so of two editors deciding at
    once exactly one row matches: the other gets DecisionConflict with the group as it now stands.
    """
    if final_label not in Label.values:
        raise ValidationError({"final_label": f"Choose the final verdict: {', '.join(Label.labels)}."})
    if not final_note.strip():
        raise ValidationError({"final_note": "Explain the decision: reviewers and readers will see it."})
    if len(final_note) > NOTE_MAX:
        raise ValidationError({"final_note": f"Keep the explanation under {NOTE_MAX} characters."})
    now = timezone.now()
    with transaction.atomic():
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
