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

from django.conf import settings
from django.db.models import Prefetch

from factcheck.articles.models import Article, Story, StoryState
from factcheck.review.models import ClaimGroup, GroupStatus, Label, Span
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


def _review(*, url: str, article: Article, quote: str, label: str, explanation: str, published: dt.date) -> dict:
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


def story_claim_reviews(*, story: Story, base_url: str) -> dict:
    """One JSON-LD document (@graph of ClaimReview) for an approved story; four queries whatever its size."""
    if story.state != StoryState.APPROVED or story.approved_at is None:
        raise NotPublishable(f"The story {story.title!r} is not approved; its verdicts are not published yet.")
    published = story.approved_at.astimezone(dt.UTC).date()
    page = base_url.rstrip("/") + story.get_absolute_url()
    # The bodies are needed to quote a group's whole extent, so the articles are read once.
    articles = {a.pk: a for a in Article.objects.filter(story=story)}
    groups = (
        ClaimGroup.objects.filter(article__story=story)
        .prefetch_related(Prefetch("spans", queryset=Span.objects.order_by("pk")))
        .order_by("article_id", "start", "end", "pk")
    )
    reviews = []
    for group in groups:
        label = group.effective_label or _single_label(group)
        if not label:
            continue
        article = articles[group.article_id]
        reviews.append(
            _review(
                url=f"{page}#claim-g{group.pk}",
                article=article,
                quote=article.body[group.start : group.end],
                label=label,
                explanation=_group_explanation(group, label),
                published=published,
            )
        )
    for span in Span.objects.filter(article__story=story, group__isnull=True).order_by(
        "article_id", "start", "end", "pk"
    ):
        reviews.append(
            _review(
                url=f"{page}#claim-s{span.pk}",
                article=articles[span.article_id],
                quote=span.quote,
                label=span.label,
                explanation=span.note,
                published=published,
            )
        )
    return {"@context": "https://schema.org", "@graph": reviews}


def dumps(document: dict) -> str:
    """Stable JSON text: the same data gives the same bytes."""
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
