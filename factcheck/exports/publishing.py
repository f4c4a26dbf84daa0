"""Publishing an approved story: the frozen version each approval writes, and what the public page reads.

The workflow sends story_approved inside the approval's transaction; publication_create, connected in
ExportsConfig.ready(), stores the page and the ClaimReview as they stand at that moment. Links inside the
stored documents are relative to the site ("/factchecks/<slug>/#claim-g3"); absolute() adds the site's
address when they are served, so the same stored version is right behind any host name.
"""

import datetime as dt
from urllib.parse import urljoin

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse

from factcheck.articles.models import Story, StoryState
from factcheck.exports.claimreview import LABEL_MEANINGS, LABEL_NAMES, NotPublishable, standing_claims
from factcheck.exports.claimreview import story_claim_reviews as build_claim_reviews
from factcheck.exports.models import Publication

# The keys whose values are links in the stored documents: made absolute when served.
LINK_KEYS = frozenset({"url", "source", "id", "@id"})


def page_url(story: Story) -> str:
    return reverse("factcheck-page", args=[story.slug])


def article_text_url(story: Story, article_id: int, number: int | None = None) -> str:
    """The public plain text of an article's body as published: the text the offsets count into."""
    if number is None:
        return reverse("factcheck-article-text", args=[story.slug, article_id])
    return reverse("factcheck-version-article-text", args=[story.slug, number, article_id])


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _page(story: Story, *, number: int, approved_at: dt.datetime, first: dt.datetime) -> dict:
    claims = standing_claims(story=story)
    articles = {claim.article.pk: claim.article for claim in claims}
    articles.update({a.pk: a for a in story.articles.all()})
    by_article: dict[int, list[dict]] = {}
    for claim in claims:
        by_article.setdefault(claim.article.pk, []).append(
            {
                "anchor": claim.anchor,
                "start": claim.start,
                "end": claim.end,
                "quote": claim.quote,
                "label": claim.label,
                "label_name": LABEL_NAMES[claim.label],
                "explanation": claim.explanation or LABEL_MEANINGS[claim.label],
                "evidence": list(claim.evidence),
            }
        )
    return {
        "number": number,
        "title": story.title,
        "newsroom": getattr(settings, "FACTCHECK_PUBLISHER_NAME", "Factcheck newsroom"),
        "newsroom_url": getattr(settings, "FACTCHECK_PUBLISHER_URL", ""),
        "date_published": _iso(first),
        "date_modified": _iso(approved_at),
        "articles": [
            {
                "id": article.pk,
                "title": article.title,
                "outlet": article.outlet,
                "url": article.url,
                "published": article.published.isoformat() if article.published else "",
                "body": article.body,
                "claims": by_article.get(article.pk, []),
            }
            for article in sorted(articles.values(), key=lambda a: (a.published or dt.date.min, a.pk))
        ],
    }


def publication_create(*, story: Story, user=None, approved_at: dt.datetime | None = None) -> Publication:
    """Store the next numbered version of `story`'s published result (the story must be approved now)."""
    if story.state != StoryState.APPROVED:
        raise NotPublishable(f"The story {story.title!r} is not approved; it cannot be published.")
    approved_at = approved_at or story.approved_at
    stats = Publication.objects.filter(story=story).aggregate(last=Max("number"))
    number = (stats["last"] or 0) + 1
    first = Publication.objects.filter(story=story, number=1).values_list("approved_at", flat=True).first()
    first = first or approved_at
    document = build_claim_reviews(story=story, page_url=page_url(story), published=first, modified=approved_at)
    with transaction.atomic():
        return Publication.objects.create(
            story=story,
            number=number,
            approved_at=approved_at,
            first_published_at=first,
            approved_by=user,
            page=_page(story, number=number, approved_at=approved_at, first=first),
            claimreview=document,
        )


def publish_on_approval(sender, *, story: Story, user, approved_at: dt.datetime, **kwargs) -> None:
    """The receiver of workflow.signals.story_approved."""
    publication_create(story=story, user=user, approved_at=approved_at)


def latest_publication(story: Story) -> Publication | None:
    """The version the public page shows. A story approved before publications existed gets its first now."""
    latest = Publication.objects.filter(story=story).order_by("-number").first()
    if latest is None and story.state == StoryState.APPROVED and story.approved_at is not None:
        try:
            latest = publication_create(story=story, user=story.approved_by, approved_at=story.approved_at)
        except IntegrityError:  # another request published it first
            latest = Publication.objects.filter(story=story).order_by("-number").first()
    return latest


def published_claim_reviews(*, story: Story, base_url: str) -> dict:
    """The ClaimReview of the story's current published version, links under `base_url`; approved stories only."""
    if story.state != StoryState.APPROVED:
        raise NotPublishable(f"The story {story.title!r} is not approved; its verdicts are not published yet.")
    return absolute(latest_publication(story).claimreview, base_url.rstrip("/") + "/")


def absolute(document, base: str):
    """A copy of a stored document with every site-relative link made absolute under `base`."""
    if isinstance(document, dict):
        return {
            key: urljoin(base, value)
            if key in LINK_KEYS and isinstance(value, str) and value.startswith("/")
            else absolute(value, base)
            for key, value in document.items()
        }
    if isinstance(document, list):
        return [absolute(value, base) for value in document]
    return document
