"""Exports for editors: the verdict CSV as a stream, a story's ClaimReview and Web Annotation JSON-LD."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from factcheck.articles.models import Story, StoryState
from factcheck.exports import annotations, claimreview, publishing
from factcheck.exports.columns import COLUMNS
from factcheck.exports.csvstream import csv_chunks
from factcheck.exports.models import Publication
from factcheck.exports.selectors import ALL_STATES, FilterError, export_spans, parse_filters, parse_flag
from factcheck.review.access import is_editor

JSONLD = "application/ld+json; charset=utf-8"


def _require_editor(request: HttpRequest) -> None:
    if not is_editor(request.user):
        raise PermissionDenied("Exports are for editors.")


def _get_story_for_editor(request: HttpRequest, slug: str) -> Story:
    _require_editor(request)
    return get_object_or_404(Story, slug=slug)


def _attachment(response: HttpResponse, filename: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_GET
def export_index(request: HttpRequest) -> HttpResponse:
    _require_editor(request)
    stories = Story.objects.annotate(span_count=Count("articles__spans")).order_by("title")
    context = {
        "stories": stories,
        "states": [(ALL_STATES, "Any state"), *StoryState.choices],
        "columns": COLUMNS,
        "approved": StoryState.APPROVED,
        # Stories with a public page: approved now, or approved before and reopened (the page says so).
        "published": set(Publication.objects.values_list("story_id", flat=True).distinct()),
    }
    return render(request, "exports/index.html", context)


@login_required
@require_GET
def verdicts_csv(request: HttpRequest) -> HttpResponse:
    """The verdicts as CSV, streamed: approved stories by default; ?story=&state=&since=&until=&excel=1."""
    _require_editor(request)
    try:
        filters = parse_filters(request.GET, also=("excel",))
        excel = parse_flag(request.GET, "excel")
    except FilterError as exc:
        return HttpResponseBadRequest(f"{exc}\n", content_type="text/plain; charset=utf-8")
    response = StreamingHttpResponse(
        csv_chunks(export_spans(filters), excel=excel), content_type="text/csv; charset=utf-8"
    )
    return _attachment(response, f"{filters.filename_stem}{'-excel' if excel else ''}.csv")


@login_required
@require_GET
def story_claimreview(request: HttpRequest, slug: str) -> HttpResponse:
    story = _get_story_for_editor(request, slug)
    try:
        document = publishing.published_claim_reviews(story=story, base_url=request.build_absolute_uri("/"))
    except claimreview.NotPublishable as exc:
        return HttpResponse(f"{exc}\n", status=409, content_type="text/plain; charset=utf-8")
    response = HttpResponse(claimreview.dumps(document), content_type=JSONLD)
    return _attachment(response, f"claimreview-{story.slug}.jsonld")


@login_required
@require_GET
def story_annotations(request: HttpRequest, slug: str) -> HttpResponse:
    story = _get_story_for_editor(request, slug)
    document = annotations.story_annotations(story=story, base_url=request.build_absolute_uri("/"))
    response = HttpResponse(claimreview.dumps(document), content_type=JSONLD)
    return _attachment(response, f"annotations-{story.slug}.jsonld")
