"""The public fact-check pages: one per approved story, read-only, no login, with its ClaimReview embedded.

Every page shows a stored Publication (publishing.py), never live data, so what readers see is exactly what
an editor approved: a story reopened for revision keeps showing its last approved version with a notice.
"""

import datetime as dt
import json
from dataclasses import dataclass
from html import escape
from typing import NamedTuple

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_GET

from factcheck.articles.models import Story, StoryState
from factcheck.exports.models import Publication
from factcheck.exports.publishing import absolute, article_text_url, latest_publication, page_url
from factcheck.review.segments import CUES, Segment, cut

# A JSON text inside <script> must not be able to close the element or open a comment.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


class _Mark(NamedTuple):
    """A claim of the stored page, as the segment cutter reads it."""

    pk: int
    start: int
    end: int
    label: str


class ArticleView(NamedTuple):
    """One article as published: its stored data, its body with the claims marked, its plain text's URL."""

    data: dict
    body_html: SafeString
    text_url: str


@dataclass(frozen=True)
class PublicPage:
    """What the public fact-check page shows of one publication of a story."""

    story: Story
    publication: Publication
    latest_number: int
    revising: bool
    articles: list[ArticleView]
    jsonld: SafeString
    date_published: dt.datetime
    date_modified: dt.datetime
    versions: list[tuple[int, dt.datetime]]

    @property
    def is_latest(self) -> bool:
        return self.publication.number == self.latest_number

    @property
    def claim_count(self) -> int:
        return sum(len(article.data["claims"]) for article in self.articles)


def _body_html(body: str, claims: list[dict]) -> SafeString:
    """The body with each standing claim highlighted and linked to its verdict below; text otherwise as stored."""
    marks = [_Mark(index, claim["start"], claim["end"], claim["label"]) for index, claim in enumerate(claims)]
    parts = []
    segment: Segment
    for segment in cut(len(body), marks):
        text = escape(body[segment.start : segment.end])
        if not segment.covers:
            parts.append(text)
            continue
        first = claims[segment.covers[0]]
        cue = "".join(CUES.get(label, "") for label in segment.ending)
        cue_attr = f' data-cue="{cue}"' if cue else ""
        parts.append(
            f'<a class="claim-link" href="#{first["anchor"]}"><mark class="{segment.css}"{cue_attr}>{text}</mark></a>'
        )
    return mark_safe("".join(parts))  # noqa: S308  # nosec B308 B703 - every piece of text above is escaped


def _jsonld(document: dict, request: HttpRequest) -> SafeString:
    text = json.dumps(absolute(document, request.build_absolute_uri("/")), ensure_ascii=False, indent=2)
    return mark_safe(text.translate(_SCRIPT_ESCAPES))  # noqa: S308  # nosec B308 B703 - escaped for a <script> data block


def _page(request: HttpRequest, story: Story, publication: Publication) -> HttpResponse:
    versions = list(Publication.objects.filter(story=story).order_by("number").values_list("number", "approved_at"))
    latest_number = versions[-1][0]
    number = None if publication.number == latest_number else publication.number
    articles = [
        ArticleView(
            data=article,
            body_html=_body_html(article["body"], article["claims"]),
            text_url=article_text_url(story, article["id"], number),
        )
        for article in publication.page["articles"]
    ]
    view = PublicPage(
        story=story,
        publication=publication,
        latest_number=latest_number,
        revising=story.state != StoryState.APPROVED,
        articles=articles,
        jsonld=_jsonld(publication.claimreview, request),
        date_published=publication.first_published_at,
        date_modified=publication.approved_at,
        versions=versions,
    )
    context = {"page": view, "data": publication.page, "canonical": request.build_absolute_uri(page_url(story))}
    return render(request, "exports/public.html", context)


@require_GET
def factcheck_page(request: HttpRequest, slug: str) -> HttpResponse:
    """The story's current published version; 404 for a story never approved."""
    story = get_object_or_404(Story, slug=slug)
    publication = latest_publication(story)
    if publication is None:
        raise Http404("This story has not been published.")
    return _page(request, story, publication)


@require_GET
def factcheck_version(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    """An earlier (or the current) approval of the story, as it was published then."""
    publication = get_object_or_404(Publication.objects.select_related("story"), story__slug=slug, number=number)
    return _page(request, publication.story, publication)


def _text(publication: Publication, article_id: int) -> HttpResponse:
    for article in publication.page["articles"]:
        if article["id"] == article_id:
            response = HttpResponse(article["body"], content_type="text/plain; charset=utf-8")
            # Offsets count code points of exactly this text: no transformation on the way.
            response["Content-Disposition"] = "inline"
            return response
    raise Http404("This article is not part of the published fact-check.")


@require_GET
def factcheck_article_text(request: HttpRequest, slug: str, article_id: int) -> HttpResponse:
    """The body of an article as published (the text ClaimReview and annotation offsets count into)."""
    story = get_object_or_404(Story, slug=slug)
    publication = latest_publication(story)
    if publication is None:
        raise Http404("This story has not been published.")
    return _text(publication, article_id)


@require_GET
def factcheck_version_article_text(request: HttpRequest, slug: str, number: int, article_id: int) -> HttpResponse:
    publication = get_object_or_404(Publication, story__slug=slug, number=number)
    return _text(publication, article_id)
