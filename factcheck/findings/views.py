"""A reviewer's answer to a pre-flag on the article page: accept it as their own verdict, or dismiss it."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRefresh

from factcheck.findings.models import Suggestion
from factcheck.findings.selectors import article_panel, suggestion_for_user
from factcheck.findings.services import suggestion_accept, suggestion_dismiss
from factcheck.findings.templatetags.suggestions import panel_context
from factcheck.refusals import Refused, refusal, refusal_response
from factcheck.review.access import is_reviewer

REFUSALS = (Refused, ValidationError)


def _suggestion(request: HttpRequest, pk: int) -> Suggestion:
    suggestion = suggestion_for_user(user=request.user, pk=pk)
    if suggestion is None:
        raise Http404("No such suggestion.")
    return suggestion


def _panel(request: HttpRequest, suggestion: Suggestion, *, status: int = 200, error: str = "") -> HttpResponse:
    article = suggestion.article
    titles = {a.pk: a.outlet or a.title for a in article.story.articles.only("pk", "title", "outlet")}
    items = article_panel(article=article, user=request.user, titles=titles)
    writable = article.story.is_open_for_review and is_reviewer(request.user)
    context = panel_context(request=request, article=article, items=items, writable=writable, error=error)
    return render(request, "findings/_suggestions.html", context, status=status)


def _refused(request: HttpRequest, suggestion: Suggestion, exc: Exception) -> HttpResponse:
    if request.htmx:
        status, message = refusal(exc)
        return _panel(request, suggestion, status=status, error=message)
    return refusal_response(exc)


@login_required
@require_POST
def accept_suggestion(request: HttpRequest, pk: int) -> HttpResponse:
    suggestion = _suggestion(request, pk)
    try:
        span, _response = suggestion_accept(suggestion=suggestion, reviewer=request.user)
    except REFUSALS as exc:
        return _refused(request, suggestion, exc)
    # The new verdict changes the highlighted text, its list and counts: the whole article page again
    # (a refresh: a redirect to the same page with another #fragment would not reload it).
    if request.htmx:
        return HttpResponseClientRefresh()
    return redirect(reverse("article-detail", args=[suggestion.article_id]) + f"#span-{span.pk}")


@login_required
@require_POST
def dismiss_suggestion(request: HttpRequest, pk: int) -> HttpResponse:
    suggestion = _suggestion(request, pk)
    try:
        suggestion_dismiss(suggestion=suggestion, reviewer=request.user)
    except REFUSALS as exc:
        return _refused(request, suggestion, exc)
    if request.htmx:
        return _panel(request, suggestion)
    return redirect(reverse("article-detail", args=[suggestion.article_id]) + "#suggestions")
