"""A story's spans as a W3C Web Annotation collection (JSON-LD), so other annotation tools can read them.

Each span is an Annotation with motivation "assessing": its body is the verdict (and the note, and the
evidence as links to the passages of the other articles), its target the public plain text of the article
as published (/factchecks/<slug>/articles/<id>.txt, no login; it answers once the story is approved) with a
TextQuoteSelector (exact, prefix, suffix) and a TextPositionSelector (start, end). The positions are Unicode
code points into exactly that text, as the Web Annotation model requires; `scope` names the article where it
was originally published. Text is the original (no spreadsheet escape).
"""

import datetime as dt

from django.db.models import Prefetch
from django.urls import reverse

from factcheck.articles.models import Story
from factcheck.review.models import Evidence, Span

CONTEXT = "http://www.w3.org/ns/anno.jsonld"


def _iso(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _selectors(*, exact: str, prefix: str, suffix: str, start: int, end: int) -> list[dict]:
    return [
        {"type": "TextQuoteSelector", "exact": exact, "prefix": prefix, "suffix": suffix},
        {"type": "TextPositionSelector", "start": start, "end": end},
    ]


def _target(base: str, slug: str, article, selectors: list[dict]) -> dict:
    # The public plain text of the body as published: exactly the code points the selectors count, no login.
    target = {
        "type": "SpecificResource",
        "source": base + reverse("factcheck-article-text", args=[slug, article.pk]),
        "selector": selectors,
    }
    if article.url:
        target["scope"] = article.url
    return target


def _annotation(base: str, slug: str, collection_id: str, span: Span) -> dict:
    body: list[dict] = [{"type": "TextualBody", "purpose": "assessing", "value": span.label, "format": "text/plain"}]
    if span.note:
        body.append({"type": "TextualBody", "purpose": "commenting", "value": span.note, "format": "text/plain"})
    for evidence in span.evidence.all():
        # The evidence has no stored context, so only the quote and the positions select it.
        body.append(
            {
                "purpose": "linking",
                **_target(
                    base,
                    slug,
                    evidence.article,
                    [
                        {"type": "TextQuoteSelector", "exact": evidence.quote},
                        {"type": "TextPositionSelector", "start": evidence.start, "end": evidence.end},
                    ],
                ),
            }
        )
    return {
        "id": f"{collection_id}#span-{span.pk}",
        "type": "Annotation",
        "motivation": "assessing",
        "creator": {"type": "Person", "nickname": span.reviewer.get_username()},
        "created": _iso(span.created_at),
        "modified": _iso(span.updated_at),
        "body": body,
        "target": _target(
            base,
            slug,
            span.article,
            _selectors(exact=span.quote, prefix=span.prefix, suffix=span.suffix, start=span.start, end=span.end),
        ),
    }


def story_annotations(*, story: Story, base_url: str) -> dict:
    """An AnnotationCollection with one page holding every span of the story; two queries."""
    base = base_url.rstrip("/")
    spans = (
        Span.objects.filter(article__story=story)
        .select_related("article", "reviewer")
        .defer("article__body", "article__raw_text")
        .prefetch_related(
            Prefetch(
                "evidence",
                queryset=Evidence.objects.select_related("article")
                .defer("article__body", "article__raw_text")
                .order_by("article_id", "start", "pk"),
            )
        )
        .order_by("article_id", "start", "end", "reviewer__username", "pk")
    )
    collection_id = base + reverse("export-annotations", args=[story.slug])
    items = [_annotation(base, story.slug, collection_id, span) for span in spans]
    return {
        "@context": CONTEXT,
        "id": collection_id,
        "type": "AnnotationCollection",
        "label": story.title,
        "total": len(items),
        "first": {"id": collection_id + "#page1", "type": "AnnotationPage", "startIndex": 0, "items": items},
    }
