"""Writes to spans and their evidence: every view and admin action goes through these."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from simple_history.utils import bulk_create_with_history

from factcheck.articles.models import Article
from factcheck.consensus.grouping import regroup_article
from factcheck.review.models import Evidence, Label, Span
from factcheck.review.offsets import OffsetError, check_span, context


@dataclass(frozen=True)
class EvidenceRef:
    article_id: int
    start: int
    end: int
    quote: str


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
) -> tuple[Span, bool]:
    """Store a verdict on [start, end); the same span twice updates the existing row, created False."""
    _check_offsets(article.body, start, end, quote)
    _check_label(label)
    evidence = list(evidence)  # read twice when the span already exists
    existing = Span.objects.filter(article=article, reviewer=reviewer, start=start, end=end).first()
    if existing is not None:
        # The reviewer's latest verdict, note and evidence win; dropping them silently lost work.
        return span_update(span=existing, label=label, note=note, evidence=evidence), False
    prefix, suffix = context(article.body, start, end)
    span = Span(
        article=article,
        reviewer=reviewer,
        start=start,
        end=end,
        quote=quote,
        prefix=prefix,
        suffix=suffix,
        label=label,
        note=note if note.strip() else "",
    )
    try:
        with transaction.atomic():
            span.save()
            bulk_create_with_history(_evidence_rows(span, evidence), Evidence)
    except IntegrityError:
        # A double submit raced us past the lookup above: update the other request's row instead.
        existing = Span.objects.filter(article=article, reviewer=reviewer, start=start, end=end).first()
        if existing is None:
            raise
        return span_update(span=existing, label=label, note=note, evidence=evidence), False
    regroup_article(article=article)
    return span, True


@transaction.atomic
def span_update(*, span: Span, label: str, note: str, evidence: Iterable[EvidenceRef] | None = None) -> Span:
    """Change a verdict; evidence, when given, replaces the span's evidence."""
    _check_label(label)
    span.label = label
    span.note = note if note.strip() else ""
    span.save(update_fields=["label", "note", "updated_at"])
    if evidence is not None:
        rows = _evidence_rows(span, evidence)
        span.evidence.all().delete()
        bulk_create_with_history(rows, Evidence)
    regroup_article(article=span.article)
    return span


@transaction.atomic
def span_delete(*, span: Span) -> None:
    span.evidence.all().delete()
    span.delete()
    regroup_article(article=span.article)
