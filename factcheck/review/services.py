"""Writes to spans, their evidence and the blind phase: every view, admin action and command goes through these."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from factcheck.articles.models import Article, Story, check_not_frozen
from factcheck.refusals import NotAllowed
from factcheck.review.access import is_editor, is_reviewer, reviewer_standing
from factcheck.review.grouping import ReadAlong, first_chain_read, lock_article, overlap_chain, regroup_around
from factcheck.review.models import Discussion, Evidence, Label, ReviewSubmission, Span
from factcheck.review.offsets import OffsetError, check_span, context


@dataclass(frozen=True)
class EvidenceRef:
    article_id: int
    start: int
    end: int
    quote: str


CLOSED = "This story is no longer open for review ({state}): verdicts cannot be added, changed or removed."
NO_ROLE = "Only reviewers can record verdicts."
NOT_YOURS = "Only the reviewer who marked a span can change or remove it."
NOT_ASSIGNED = "You are not assigned to review this story."
FROZEN = (
    "You submitted your review of this story: your verdicts on it are final and read-only, "
    "until an editor sends the story back or reopens it."
)


def _check_open(story: Story) -> None:
    # The story as the request loaded it: the views and the desk read it fresh for each request.
    check_not_frozen(story, fresh=False)
    if not story.is_open_for_review:
        raise NotAllowed(CLOSED.format(state=story.get_state_display().lower()))


def _check_marker(user) -> None:
    if not is_reviewer(user):
        raise NotAllowed(NO_ROLE)


def _check_standing(story: Story, user, *, discussion_change: bool = False) -> None:
    """A reviewer writes only on a story assigned to them, and not once their review of it is submitted.

    An editor correcting a verdict at the desk is neither. `discussion_change`: a verdict changed in a
    claim's thread once an editor opened the story for discussion, which the freeze does not cover.
    """
    if is_editor(user) and not is_reviewer(user):
        return
    standing = reviewer_standing(story=story, user=user)
    if not standing.assigned:
        raise NotAllowed(NOT_ASSIGNED)
    if standing.submitted and not (discussion_change and Discussion.objects.filter(story=story).exists()):
        raise NotAllowed(FROZEN)


def check_span_change(*, span: Span, user, editor_may: bool = False, discussion_change: bool = False) -> None:
    """Raise NotAllowed unless `user` may change `span` now (the rule span_update and span_delete apply)."""
    _check_owner(span, user, editor_may=editor_may)
    _check_open(span.article.story)
    if span.reviewer_id == user.pk:
        _check_standing(span.article.story, user, discussion_change=discussion_change)


def _check_owner(span: Span, user, *, editor_may: bool = False) -> None:
    """The span's own reviewer may change it; an editor may correct a verdict at the desk (`editor_may`)."""
    if span.reviewer_id == getattr(user, "pk", None) and is_reviewer(user):
        return
    if editor_may and is_editor(user):
        return
    raise NotAllowed(NOT_YOURS)


def _check_label(label: str) -> None:
    if label not in Label.values:
        raise ValidationError({"label": f"Choose a verdict: {', '.join(Label.labels)}."}, code="invalid")


def _check_offsets(body: str, start: int, end: int, quote: str, field: str = "quote") -> None:
    try:
        check_span(body, start, end, quote)
    except OffsetError as exc:
        raise ValidationError({field: str(exc)}, code="invalid") from exc


def _evidence_rows(span: Span, evidence: Iterable[EvidenceRef]) -> list[Evidence]:
    refs = list(evidence)
    if not refs:
        return []
    articles = Article.objects.in_bulk({ref.article_id for ref in refs})
    rows = []
    for ref in refs:
        other = articles.get(ref.article_id)
        if other is None or other.story_id != span.article.story_id:
            raise ValidationError({"evidence": "Evidence must come from an article of the same story."})
        if other.pk == span.article_id:
            raise ValidationError({"evidence": "Evidence must come from another article."})
        _check_offsets(other.body, ref.start, ref.end, ref.quote, field="evidence")
        rows.append(Evidence(span=span, article=other, start=ref.start, end=ref.end, quote=ref.quote))
    return rows


def span_create(
    *,
    article: Article,
    reviewer,
    start: int,
    end: int,
    quote: str,
    label: str,
    note: str = "",
    evidence: Iterable[EvidenceRef] = (),
    along: ReadAlong | None = None,
) -> tuple[Span, bool]:
    """Store `reviewer`'s verdict on [start, end); the same span twice updates the existing row, created False.

    Refused (NotAllowed) unless `reviewer` is a reviewer and the story is open for review. `along`: read in
    the write's chain read (grouping.ReadAlong), before the new span is inserted.
    """
    _check_marker(reviewer)
    _check_open(article.story)
    _check_standing(article.story, reviewer)
    _check_offsets(article.body, start, end, quote)
    _check_label(label)
    evidence = list(evidence)  # read twice when the span already exists
    prefix, suffix = context(article.body, start, end)
    # Compiled before the transaction: every save of this article waits on its lock while we hold it.
    first = first_chain_read(article=article, start=start, end=end, along=along)
    with transaction.atomic():
        # The article's lock first: a double submit racing this one waits, then finds the other request's row
        # in the overlap chain (read anyway for the regrouping), so the check costs no query of its own.
        story = lock_article(article)
        chain = overlap_chain(article=article, start=start, end=end, reviewer_id=reviewer.pk, along=along, first=first)
        same = [r.pk for r in chain.read.values() if (r.reviewer_id, r.start, r.end) == (reviewer.pk, start, end)]
        if not same:
            # Grouped first, then inserted with its group: no second write to point the new row at it.
            pending = chain.add_pending(reviewer_id=reviewer.pk, start=start, end=end, label=label)
            regroup_around(article=article, start=start, end=end, reviewer_id=reviewer.pk, story=story, chain=chain)
            where = {"article": article, "reviewer": reviewer, "start": start, "end": end}
            text = {"quote": quote, "prefix": prefix, "suffix": suffix, "note": note if note.strip() else ""}
            span = Span.objects.create(**where, **text, label=label, group_id=pending.new_group_id)
            bulk_create_with_history(_evidence_rows(span, evidence), Evidence)
            return span, True
    # The reviewer's latest verdict, note and evidence win; dropping them silently lost work.
    span = Span.objects.select_related("article__story").get(pk=same[0])
    return span_update(span=span, user=reviewer, label=label, note=note, evidence=evidence, along=along), False


def span_update(
    *,
    span: Span,
    user,
    label: str,
    note: str,
    evidence: Iterable[EvidenceRef] | None = None,
    discussion_change: bool = False,
    along: ReadAlong | None = None,
) -> Span:
    """`user` changes a verdict; evidence, when given, replaces the span's evidence.

    Refused unless the story is open for review and `user` is the span's reviewer, assigned and not
    yet submitted (or an editor correcting it at the desk; the history names who changed it).
    `along`: read in the write's chain read (grouping.ReadAlong), after the change.
    """
    first = first_chain_read(article=span.article, start=span.start, end=span.end, along=along)  # as in span_create
    with transaction.atomic():
        check_span_change(span=span, user=user, editor_may=True, discussion_change=discussion_change)
        _check_label(label)
        # The article's lock before any span row: a regrouping holds it while it updates spans' groups, so a
        # writer locking a span first and the article second could deadlock with it (PostgreSQL saw it).
        story = lock_article(span.article)
        span.label = label
        span.note = note if note.strip() else ""
        span.save(update_fields=["label", "note", "updated_at"])
        if evidence is not None:
            evidence = list(evidence)
            # Unchanged evidence (a label or note edited) is left alone: no rows deleted and written again.
            # span.evidence is the view's prefetched list when there is one.
            before = sorted((e.article_id, e.start, e.end, e.quote) for e in span.evidence.all())
            if before != sorted((e.article_id, e.start, e.end, e.quote) for e in evidence):
                rows = _evidence_rows(span, evidence)
                span.evidence.all().delete()
                bulk_create_with_history(rows, Evidence)
        where = {"start": span.start, "end": span.end, "reviewer_id": span.reviewer_id, "span_pk": span.pk}
        regroup_around(article=span.article, **where, story=story, along=along, first=first)
        return span


def span_delete(*, span: Span, user, along: ReadAlong | None = None) -> None:
    """`user` removes their own span, while the story is open for review. `along`: read after the deletion."""
    first = first_chain_read(article=span.article, start=span.start, end=span.end, along=along)  # as in span_create
    with transaction.atomic():
        check_span_change(span=span, user=user)
        story = lock_article(span.article)  # before the span's row, as in span_update
        span.delete()  # its evidence goes with it (CASCADE), each piece's history row too
        # Its former group holds no span in the read any more, so the regrouping finds it as one to take or drop.
        where = {"start": span.start, "end": span.end, "reviewer_id": span.reviewer_id}
        regroup_around(article=span.article, **where, story=story, along=along, first=first)


# ---- the blind phase ---------------------------------------------------------------------------


def review_submit(*, story: Story, reviewer) -> tuple[ReviewSubmission, bool]:
    """A reviewer ends their blind review of `story`; submitting twice keeps the first time."""
    if not is_reviewer(reviewer):
        raise NotAllowed("Only reviewers submit reviews.")
    standing = reviewer_standing(story=story, user=reviewer)
    if not standing.assigned:
        raise NotAllowed(NOT_ASSIGNED)
    if standing.submitted:
        return ReviewSubmission.objects.get(story=story, reviewer=reviewer), False
    # get_or_create: of two clicks racing, the first submission stands and the second finds it. A review
    # submitted before the story was sent back is submitted again: the new time freezes the spans again.
    submission, created = ReviewSubmission.objects.get_or_create(story=story, reviewer=reviewer)
    if not created:
        ReviewSubmission.objects.filter(pk=submission.pk).update(submitted_at=timezone.now())
        submission.refresh_from_db()
    return submission, True


def discussion_open(*, story: Story, editor) -> tuple[Discussion, bool]:
    """An editor lifts the blind phase for every reviewer of `story`."""
    if not is_editor(editor):
        raise NotAllowed("Only editors open a story for discussion.")
    return Discussion.objects.get_or_create(story=story, defaults={"opened_by": editor})
