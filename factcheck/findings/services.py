"""Writes of pre-flags: recompute a story's suggestions, and a reviewer's accept or dismiss."""

import math
from dataclasses import asdict

from django.core.exceptions import ValidationError
from django.db import transaction

from factcheck.articles.models import Article, Story, check_not_frozen
from factcheck.findings.compare import AlignedFact, Doc, analyse
from factcheck.findings.models import Response, StoryFact, Suggestion, SuggestionResponse
from factcheck.findings.pictures import store_pictures
from factcheck.refusals import NotAllowed
from factcheck.review.access import is_reviewer
from factcheck.review.models import Span
from factcheck.review.offsets import OffsetError, check_span
from factcheck.review.services import EvidenceRef, span_create

CLOSED = "This story is no longer open for review ({state}): suggestions cannot be accepted or dismissed."
NOT_A_REVIEWER = "Only reviewers can accept or dismiss suggestions."


def article_label(article: Article) -> str:
    """How a reason names an article: its title, shortened, and its outlet when known."""
    title = article.title if len(article.title) <= 60 else article.title[:57].rstrip() + "…"
    return f"“{title}”" + (f" ({article.outlet})" if article.outlet else "")


def story_docs(*, story: Story) -> list[Doc]:
    articles = story.articles.only("pk", "title", "outlet", "body", "published").order_by("published", "pk")
    return [Doc(a.pk, article_label(a), a.body, a.published) for a in articles]


@transaction.atomic
def story_preflag(*, story: Story) -> list[Suggestion]:
    """Recompute and store the story's suggestions, replacing the old ones.

    A suggestion found again (same article, offsets and kind) keeps its row, so reviewers' responses
    to it stay; the ones no longer found go, with their responses.
    """
    # Two recomputations of one story queue here instead of colliding on the unique offsets.
    Story.objects.select_for_update().filter(pk=story.pk).first()
    docs = story_docs(story=story)
    bodies = {doc.id: doc.body for doc in docs}
    wanted: dict[tuple, dict] = {}
    analysis = analyse(docs)
    _store_facts(story, analysis.facts)
    # Drawn now, once, so the first view of the story page reads them instead of building them.
    store_pictures(story=story)
    for finding in analysis.findings:
        # Every offset is checked as a reviewer's span would be before anything is stored.
        check_span(bodies[finding.doc_id], finding.start, finding.end, finding.quote)
        counterparts = []
        for other in finding.counterparts:
            check_span(bodies[other.doc_id], other.start, other.end, other.quote)
            counterparts.append({"article": other.doc_id, "start": other.start, "end": other.end, "quote": other.quote})
        key = (finding.doc_id, finding.start, finding.end, finding.kind)
        wanted.setdefault(key, {"quote": finding.quote, "counterparts": counterparts, "reason": finding.reason})

    existing = {(s.article_id, s.start, s.end, s.kind): s for s in Suggestion.objects.filter(story=story)}
    Suggestion.objects.filter(pk__in=[s.pk for key, s in existing.items() if key not in wanted]).delete()
    kept, new = [], []
    for key, fields in wanted.items():
        row = existing.get(key)
        if row is None:
            article_id, start, end, kind = key
            new.append(Suggestion(story=story, article_id=article_id, start=start, end=end, kind=kind, **fields))
        elif (row.quote, row.counterparts, row.reason) != (fields["quote"], fields["counterparts"], fields["reason"]):
            row.quote, row.counterparts, row.reason = fields["quote"], fields["counterparts"], fields["reason"]
            kept.append(row)
    if kept:
        Suggestion.objects.bulk_update(kept, ["quote", "counterparts", "reason", "updated_at"])
    Suggestion.objects.bulk_create(new)
    return list(Suggestion.objects.filter(story=story).select_related("article"))


def _matters(facts: list[AlignedFact]) -> list[int | None]:
    """The connected sets of facts compared with each other (union-find), numbered in reading order."""
    parent = list(range(len(facts)))

    def root(n: int) -> int:
        while parent[n] != n:
            parent[n] = parent[parent[n]]
            n = parent[n]
        return n

    for n, fact in enumerate(facts):
        for other in fact.conflicts + fact.agrees:
            parent[root(other)] = root(n)
    numbers: dict[int, int] = {}
    matters: list[int | None] = []
    for n, fact in enumerate(facts):
        if fact.conflicts or fact.agrees or fact.status:
            matters.append(numbers.setdefault(root(n), len(numbers)))
        else:
            matters.append(None)  # compared with nothing and not unsupported: no row of its own
    return matters


def _bound(value: float) -> float | None:
    return None if math.isinf(value) else value


def _store_facts(story: Story, facts: list[AlignedFact]) -> None:
    # Facts have no responses to keep: replacing them all is simplest and stays one DELETE and one INSERT.
    StoryFact.objects.filter(story=story).delete()
    StoryFact.objects.bulk_create(
        _story_fact(story, n, fact, matter) for n, (fact, matter) in enumerate(zip(facts, _matters(facts), strict=True))
    )


def _story_fact(story: Story, index: int, fact: AlignedFact, matter: int | None) -> StoryFact:
    fields = asdict(fact)
    fields["article_id"] = fields.pop("doc_id")
    fields.update(low=_bound(fact.low), high=_bound(fact.high), value=fact.value[:200], topic=fact.topic[:200])
    return StoryFact(story=story, index=index, matter=matter, **fields)


def _check_may_respond(suggestion: Suggestion, reviewer) -> None:
    if not is_reviewer(reviewer):
        raise NotAllowed(NOT_A_REVIEWER)
    story = suggestion.story
    check_not_frozen(story, fresh=False)
    if not story.is_open_for_review:
        raise NotAllowed(CLOSED.format(state=story.get_state_display().lower()))


def _respond(suggestion: Suggestion, reviewer, response: str, span: Span | None) -> SuggestionResponse:
    row, _ = SuggestionResponse.objects.update_or_create(
        suggestion=suggestion, reviewer=reviewer, defaults={"response": response, "span": span}
    )
    return row


@transaction.atomic
def suggestion_accept(*, suggestion: Suggestion, reviewer) -> tuple[Span, SuggestionResponse]:
    """The suggestion becomes the reviewer's own span: its kind as the verdict, its reason as the note,
    its counterparts as evidence. Still blind: it is their span like any other. If the reviewer already
    marked exactly these offsets, their own span stands unchanged and the response points at it."""
    _check_may_respond(suggestion, reviewer)
    article = suggestion.article
    try:
        check_span(article.body, suggestion.start, suggestion.end, suggestion.quote)
    except OffsetError as exc:
        raise ValidationError({"quote": str(exc)}, code="invalid") from exc
    own = Span.objects.filter(article=article, reviewer=reviewer, start=suggestion.start, end=suggestion.end).first()
    if own is not None:
        # span_create would now overwrite it with the suggestion's verdict: the reviewer's own reading wins.
        return own, _respond(suggestion, reviewer, Response.ACCEPTED, own)
    evidence = [EvidenceRef(c["article"], c["start"], c["end"], c["quote"]) for c in suggestion.counterparts]
    span, _created = span_create(article=article, reviewer=reviewer, evidence=evidence, **suggestion.as_verdict())
    return span, _respond(suggestion, reviewer, Response.ACCEPTED, span)


@transaction.atomic
def suggestion_dismiss(*, suggestion: Suggestion, reviewer) -> SuggestionResponse:
    """Remember that this reviewer does not want to see the suggestion again; nothing else changes."""
    _check_may_respond(suggestion, reviewer)
    return _respond(suggestion, reviewer, Response.DISMISSED, None)
