"""The review flow: an article with the reviewer's highlights, the verdict bar's writes and the compare view."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import reswap, retarget, trigger_client_event

from factcheck.articles.models import Article
from factcheck.refusals import Refused, refusal
from factcheck.review import services
from factcheck.review.access import get_article_for_user, get_span_for_user, is_reviewer, reviewer_standing
from factcheck.review.forms import SpanCreateForm, SpanUpdateForm
from factcheck.review.grouping import ReadAlong
from factcheck.review.models import Label, Span
from factcheck.review.segments import CUES
from factcheck.review.services import EvidenceRef
from factcheck.review.workspace import (
    StoryRow,
    answer_along,
    article_workspace,
    body_class,
    evidence_pane,
    save_answer,
    visible_evidence_in,
)

REFUSALS = (Refused, ValidationError)
SAME_SPAN = (
    "You had already marked exactly this passage: its verdict, note and evidence are now the ones you just sent."
)
LEGEND = [(value, name, CUES[value]) for value, name in Label.choices]


def _context(request: HttpRequest, article: Article, *, keep: int | None = None, **extra) -> dict:
    story = article.story
    workspace = article_workspace(article=article, user=request.user)
    show_all = request.GET.get("all") == "1" or request.POST.get("all") == "1"
    listed = workspace.listed(show_all=show_all, keep=keep)
    writable = story.is_open_for_review and is_reviewer(request.user)
    # One query more, only for a reviewer on an open story: their submitted review freezes their spans.
    frozen = writable and reviewer_standing(story=story, user=request.user).submitted
    return {
        "article": article,
        "story": story,
        "workspace": workspace,
        "listed": listed,
        "unlisted": workspace.total - len(listed),
        "writable": writable and not frozen,
        "frozen": frozen,
        "closed": not story.is_open_for_review,
        "legend": LEGEND,
        **extra,
    }


def _other_article(request: HttpRequest, article: Article, other_pk) -> Article:
    """Another article of the same story; anything else is a 404, as for a guessed id."""
    try:
        other_pk = int(other_pk)
    except (TypeError, ValueError):
        raise Http404("No such article.") from None
    if other_pk == article.pk:
        raise Http404("Compare an article with another one.")
    return get_object_or_404(
        Article.objects.only("pk", "title", "outlet", "published", "body", "story_id"),
        pk=other_pk,
        story_id=article.story_id,
    )


@login_required
@require_GET
def article_detail(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_article_for_user(request, pk)
    context = _context(request, article)
    if request.htmx:
        # The span editor's Cancel: the workspace again, keeping the compare view's links.
        context["compare_with"] = request.GET.get("compare_with") or None
        return render(request, "review/article.html#workspace", context)
    return render(request, "review/article.html", context)


@login_required
@require_GET
def article_raw(request: HttpRequest, pk: int) -> HttpResponse:
    """The text as imported, before cleaning: what the body was derived from."""
    article = get_article_for_user(request, pk)
    return HttpResponse(article.raw_text, content_type="text/plain; charset=utf-8")


@login_required
@require_GET
def article_compare(request: HttpRequest, pk: int) -> HttpResponse:
    """Two articles side by side: highlight on the left, pick evidence on the right."""
    article = get_article_for_user(request, pk)
    other_pk = request.GET.get("with")
    if not other_pk:
        first = article.story.articles.exclude(pk=article.pk).order_by("published", "pk").values_list("pk", flat=True)
        other_pk = first.first()
        if other_pk is None:
            return redirect(article)
    other = _other_article(request, article, other_pk)
    context = _context(request, article, other=other, compare_with=other.pk)
    context["other_html"] = evidence_pane(evidence=context["workspace"].evidence, other=other)
    context["other_class"] = body_class(other.body)
    if request.htmx:
        return render(request, "review/compare.html#evidence-pane", context)
    return render(request, "review/compare.html", context)


def _error(request: HttpRequest, article: Article, status: int, message: str, target: str) -> HttpResponse:
    """The message in the verdict bar (htmx) or on the whole page, and nothing stored."""
    if request.htmx:
        response = render(
            request, "review/article.html#form-error", {"error": message, "error_id": target}, status=status
        )
        return reswap(retarget(response, f"#{target}"), "outerHTML")
    context = _context(request, article, error=message)
    return render(request, "review/article.html", context, status=status)


def _saved(
    request: HttpRequest,
    article: Article,
    span: Span | None,
    event: str,
    message: str = "",
    *,
    region: tuple[int, int] | None = None,
    delta: int = 0,
    removed: int | None = None,
    with_evidence: bool = True,
    along: ReadAlong | None = None,
) -> HttpResponse:
    """The answer to a stored save: a redirect without htmx; with it, only the pieces of the page it changed.

    The pieces go out of band (hx-swap-oob): the body's parts the span covers, its list entry, the counts
    and the story table's row, so a save sends and costs the same on an article of 10 spans or 2,000.
    `region`: the characters the save touched (a deleted span's), `delta`: spans added (1) or removed (-1);
    `along`: what the answer reads, read by the write itself (workspace.answer_along).
    """
    other = None
    if request.POST.get("compare_with"):
        try:
            other = _other_article(request, article, request.POST["compare_with"])
        except Http404:
            other = None  # a stale or edited field must not turn a stored verdict into an error page
    if not request.htmx:
        anchor = f"#span-{span.pk}" if span is not None else ""
        if other is not None:
            return redirect(f"{reverse('article-compare', args=[article.pk])}?with={other.pk}{anchor}")
        return redirect(reverse("article-detail", args=[article.pk]) + anchor)
    start, end = region if region is not None else (span.start, span.end)
    created = event == "span-created"
    answer = save_answer(
        article=article,
        user=request.user,
        start=start,
        end=end,
        span=span,
        created=created,
        delta=delta,
        with_evidence=with_evidence,
        along=along,
    )
    compare_with = other.pk if other else None
    if answer.dense_flipped:
        # Past DENSE the body is drawn without cue signs: every part changes, so the whole workspace goes.
        context = _context(request, article, compare_with=compare_with, keep=span.pk if span else None)
        html = render_to_string("review/article.html#workspace", {**context, "oob_workspace": True}, request=request)
    else:
        context = {
            "article": article,
            "answer": answer,
            "created": created,
            "removed": removed,
            "writable": True,
            "compare_with": compare_with,
            "legend": LEGEND,
            "story_row": StoryRow(article, answer.counts, answer.total),
        }
        html = render_to_string("review/article.html#saved", context, request=request)
    if other is not None:
        # The compare view's right pane marks the evidence just linked: refresh it out of band.
        html += render_to_string(
            "review/compare.html#evidence-pane-oob",
            {
                "other": other,
                "other_html": evidence_pane(
                    evidence=visible_evidence_in(article=article, other=other, user=request.user), other=other
                ),
                "other_class": body_class(other.body),
            },
            request=request,
        )
    response = HttpResponse(html, status=201 if created else 200)
    # After settle: the listener closes the bar, focuses the body and brings the hover cards' data up to date.
    detail = {"id": span.pk if span is not None else None, **({"message": message} if message else {})}
    if answer.row is not None:
        detail["span"] = [answer.row.pk, answer.row.start, answer.row.end]
        detail["data"] = answer.entry
    if removed is not None:
        detail["removed"] = removed
    return trigger_client_event(response, event, detail, after="settle")


@login_required
@require_POST
def post_span(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_article_for_user(request, pk, for_write=True)
    form = SpanCreateForm(request.POST)
    if not form.is_valid():
        return _error(request, article, 400, _form_message(form), "verdict-error")
    data = form.cleaned_data
    # The answer's reads ride along with the write's own read of the spans around it.
    along = answer_along(article=article, user=request.user, start=data["start"], end=data["end"], created=True)
    try:
        span, created = services.span_create(
            article=article,
            reviewer=request.user,
            start=data["start"],
            end=data["end"],
            quote=data["quote"],
            label=data["label"],
            note=data["note"],
            evidence=data["evidence"],
            along=along,
        )
    except REFUSALS as exc:
        return _error(request, article, *refusal(exc), "verdict-error")
    if created:
        with_evidence = bool(data["evidence"])
        return _saved(request, article, span, "span-created", delta=1, with_evidence=with_evidence, along=along)
    # The same passage again: its verdict, note and evidence are now the ones just sent. htmx pages hear
    # "span-updated" (review.js says "Verdict updated."); a plain post sees this message after the redirect.
    if not request.htmx:
        messages.info(request, SAME_SPAN)
    return _saved(request, article, span, "span-updated", message=SAME_SPAN, along=along)


def _form_message(form) -> str:
    return " ".join(str(message) for errors in form.errors.values() for message in errors)


@login_required
def edit_span(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the span's editor (in the list, or the whole page without htmx); POST: save it."""
    if request.method == "POST":
        return _update_span(request, pk)
    span = get_span_for_user(request, pk)
    article = span.article
    if request.method != "GET":
        return HttpResponse(status=405)
    try:
        services.check_span_change(span=span, user=request.user)
    except Refused as exc:
        return _error(request, article, *refusal(exc), f"span-{span.pk}-error")
    compare_with = request.GET.get("compare_with") or None
    context = _context(request, article, editing=span, compare_with=compare_with, keep=span.pk)
    if request.htmx:
        return render(request, "review/article.html#span-editor", {**context, "span": span})
    return render(request, "review/article.html", context)


def _update_span(request: HttpRequest, pk: int) -> HttpResponse:
    span = get_span_for_user(request, pk)
    article = span.article
    target = f"span-{span.pk}-error"
    form = SpanUpdateForm(request.POST, span=span)
    if not form.is_valid():
        # A change that may not be made is refused as such, whatever the form says (span_update checks
        # the same rule for a valid form, so a save reads the writer's standing once).
        try:
            services.check_span_change(span=span, user=request.user)
        except Refused as exc:
            return _error(request, article, *refusal(exc), target)
        return _error(request, article, 400, _form_message(form), target)
    data = form.cleaned_data
    kept = [
        EvidenceRef(article_id=item.article_id, start=item.start, end=item.end, quote=item.quote)
        for item in span.evidence.all()
        if item.pk in data["keep"]
    ]
    evidence = list(dict.fromkeys(kept + data["evidence"]))
    along = answer_along(article=article, user=request.user, start=span.start, end=span.end)
    try:
        change = {"label": data["label"], "note": data["note"], "evidence": evidence}
        services.span_update(span=span, user=request.user, **change, along=along)
    except REFUSALS as exc:
        return _error(request, article, *refusal(exc), target)
    return _saved(request, article, span, "span-updated", with_evidence=bool(evidence), along=along)


@login_required
@require_POST
def delete_span(request: HttpRequest, pk: int) -> HttpResponse:
    span = get_span_for_user(request, pk, with_evidence=False)
    article = span.article
    along = answer_along(article=article, user=request.user, start=span.start, end=span.end)
    try:
        services.span_delete(span=span, user=request.user, along=along)
    except Refused as exc:
        return _error(request, article, *refusal(exc), f"span-{span.pk}-error")
    region = (span.start, span.end)
    return _saved(
        request, article, None, "span-deleted", region=region, delta=-1, removed=pk, with_evidence=False, along=along
    )
