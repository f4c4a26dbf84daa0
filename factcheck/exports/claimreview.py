"""schema.org ClaimReview JSON-LD for the approved claims of a story: what fact-checkers publish.

Which claims: a story's claims are published only once an editor has approved the story. A claim is
  - a claim group (overlapping spans of several reviewers on one article) whose verdict stands: the
    editor's final label, else the reviewers' consensus label. A disputed group nobody has decided has
    no verdict yet, so it is left out rather than published with one reviewer's opinion;
  - a group only one reviewer marked ("single"), or a span that belongs to no group (saved before
    grouping ran): its reviewer's label is the only verdict there is, and the editor approved it.
A group, not its spans, is the unit because readers should see one rating per claim, not one per
reviewer.

The text is the original (no spreadsheet escape): this is for machines.
"""

import datetime as dt
import json
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Prefetch

from factcheck.articles.models import Article, Story, StoryState
from factcheck.review.models import ClaimGroup, Evidence, GroupStatus, Label, Span
from factcheck.review.rules import Vote, reviewer_votes

LABEL_NAMES = dict(Label.choices)
# What each verdict means, in a sentence a reader of the published review understands.
LABEL_MEANINGS = {
    Label.CONSISTENT: "The other reports of the story back this claim up.",
    Label.CONFLICTING: "Other reports of the story contradict this claim.",
    Label.UNSUPPORTED: "The other reports of the story say nothing that backs this claim up.",
}


class NotPublishable(ValueError):
    """The story is not approved, so its verdicts are not published."""


def publisher() -> dict:
    """The newsroom that signs the reviews (settings FACTCHECK_PUBLISHER_NAME and _URL)."""
    author = {"@type": "Organization", "name": getattr(settings, "FACTCHECK_PUBLISHER_NAME", "Factcheck newsroom")}
    url = getattr(settings, "FACTCHECK_PUBLISHER_URL", "")
    if url:
        author["url"] = url
    return author


def _appearance(article: Article) -> dict:
    work = {"@type": "NewsArticle", "headline": article.title}
    if article.url:
        work["url"] = article.url
    if article.outlet:
        work["publisher"] = {"@type": "Organization", "name": article.outlet}
    if article.published:
        work["datePublished"] = article.published.isoformat()
    return work


def _review(
    *, url: str, article: Article, quote: str, label: str, explanation: str, published: dt.date, modified: dt.date
) -> dict:
    claim = {"@type": "Claim", "text": quote, "appearance": _appearance(article)}
    if article.outlet:
        claim["author"] = {"@type": "Organization", "name": article.outlet}
    if article.published:
        claim["datePublished"] = article.published.isoformat()
    return {
        "@type": "ClaimReview",
        "url": url,
        "claimReviewed": quote,
        "datePublished": published.isoformat(),
        "dateModified": modified.isoformat(),
        "author": publisher(),
        "reviewRating": {
            "@type": "Rating",
            "alternateName": LABEL_NAMES[label],
            "name": label,
            "ratingExplanation": explanation or LABEL_MEANINGS[label],
        },
        "itemReviewed": claim,
    }


def _single_label(group: ClaimGroup) -> str:
    """The one reviewer's vote on a group nobody else marked, as the consensus rule counts it."""
    if group.status != GroupStatus.SINGLE:
        return ""
    votes = reviewer_votes(Vote(s.reviewer_id, s.label, s.start, s.end) for s in group.spans.all())
    return next(iter(votes.values()), "")


def _group_explanation(group: ClaimGroup, label: str) -> str:
    if group.final_note:
        return group.final_note
    notes = [span.note for span in group.spans.all() if span.label == label and span.note]
    return "\n".join(dict.fromkeys(notes))


@dataclass(frozen=True)
class StandingClaim:
    """A claim whose verdict stands, as the published page and the ClaimReview show it."""

    anchor: str  # the id of its place on the public page: claim-g<group> or claim-s<span>
    article: Article
    start: int
    end: int
    quote: str
    label: str
    explanation: str
    # The passages of other articles that back the verdict: the evidence of the spans voting for it.
    evidence: tuple[dict, ...] = ()


def _evidence(spans, label: str, titles: dict[int, str]) -> tuple[dict, ...]:
    seen: dict[tuple, dict] = {}
    for span in spans:
        if span.label != label:
            continue
        for item in span.evidence.all():
            key = (item.article_id, item.start, item.end)
            seen.setdefault(
                key,
                {
                    "article_id": item.article_id,
                    "article_title": titles.get(item.article_id, ""),
                    "start": item.start,
                    "end": item.end,
                    "quote": item.quote,
                },
            )
    return tuple(sorted(seen.values(), key=lambda e: (e["article_id"], e["start"], e["end"])))


def standing_claims(*, story: Story) -> list[StandingClaim]:
    """The claims of `story` whose verdict stands, in article and text order; four queries whatever its size."""
    # The bodies are needed to quote a group's whole extent, so the articles are read once.
    articles = {a.pk: a for a in Article.objects.filter(story=story)}
    titles = {pk: a.title for pk, a in articles.items()}
    spans = Span.objects.order_by("pk").prefetch_related(Prefetch("evidence", queryset=Evidence.objects.order_by("pk")))
    groups = (
        ClaimGroup.objects.filter(article__story=story)
        .prefetch_related(Prefetch("spans", queryset=spans))
        .order_by("article_id", "start", "end", "pk")
    )
    claims = []
    for group in groups:
        label = group.effective_label or _single_label(group)
        if not label:
            continue
        article = articles[group.article_id]
        claims.append(
            StandingClaim(
                anchor=f"claim-g{group.pk}",
                article=article,
                start=group.start,
                end=group.end,
                quote=article.body[group.start : group.end],
                label=label,
                explanation=_group_explanation(group, label),
                evidence=_evidence(group.spans.all(), label, titles),
            )
        )
    for span in spans.filter(article__story=story, group__isnull=True).order_by("article_id", "start", "end", "pk"):
        claims.append(
            StandingClaim(
                anchor=f"claim-s{span.pk}",
                article=articles[span.article_id],
                start=span.start,
                end=span.end,
                quote=span.quote,
                label=span.label,
                explanation=span.note,
                evidence=_evidence([span], span.label, titles),
            )
        )
    claims.sort(key=lambda c: (c.article.pk, c.start, c.end))
    return claims


def story_claim_reviews(
    *, story: Story, page_url: str, published: dt.datetime | None = None, modified: dt.datetime | None = None
) -> dict:
    """One JSON-LD document (@graph of ClaimReview) for an approved story, each `url` on the public `page_url`.

    `published` is the first approval (datePublished) and `modified` this one (dateModified); both default
    to the story's approval. Four queries whatever its size.
    """
    if story.state != StoryState.APPROVED or story.approved_at is None:
        raise NotPublishable(f"The story {story.title!r} is not approved; its verdicts are not published yet.")
    modified = modified or story.approved_at
    published = published or modified
    reviews = [
        _review(
            url=f"{page_url}#{claim.anchor}",
            article=claim.article,
            quote=claim.quote,
            label=claim.label,
            explanation=claim.explanation,
            published=published.astimezone(dt.UTC).date(),
            modified=modified.astimezone(dt.UTC).date(),
        )
        for claim in standing_claims(story=story)
    ]
    return {"@context": "https://schema.org", "@graph": reviews}


def dumps(document: dict) -> str:
    """Stable JSON text: the same data gives the same bytes."""
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
