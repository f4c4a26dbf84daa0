"""The story pages: the list of stories, a story with its articles, and the reviewers' moves on it (submit, resume)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from factcheck.articles.models import Story
from factcheck.findings.pictures import story_articles, story_pictures
from factcheck.refusals import refusal
from factcheck.review.access import can_read, get_story_for_user, is_editor
from factcheck.workflow.homes import story_rows
from factcheck.workflow.services import TransitionRefused, story_transition


@login_required
@require_GET
def story_list(request: HttpRequest) -> HttpResponse:
    rows = story_rows(user=request.user) if can_read(request.user) else []
    context = {
        "rows": rows,
        "waiting": [row for row in rows if row.needs_you],
        "others": [row for row in rows if not row.needs_you],
        "editor": is_editor(request.user),
    }
    return render(request, "workflow/story_list.html", context)


def _story_context(story: Story, **extra) -> dict:
    return {"story": story, "articles": story.articles.order_by("published", "pk"), **extra}


@login_required
@require_GET
def story_detail(request: HttpRequest, slug: str) -> HttpResponse:
    story = get_story_for_user(request, slug)
    articles = story_articles(story)
    # The pictures read what pre-flagging drew and stored (two queries), never extract or align on a page view.
    pictures = story_pictures(story=story, user=request.user, articles=articles)
    return render(request, "workflow/story_detail.html", _story_context(story, articles=articles, pictures=pictures))


@login_required
@require_POST
def story_move(request: HttpRequest, slug: str) -> HttpResponse:
    """A plain form post, answered with a redirect: a new state changes the whole page, not one fragment."""
    story = get_story_for_user(request, slug)
    reason = request.POST.get("reason", "")
    try:
        moved = story_transition(
            story=story,
            user=request.user,
            target=request.POST.get("target", ""),
            seen_version=request.POST.get("seen_version"),
            reason=reason,
        )
    except TransitionRefused as exc:
        story.refresh_from_db()
        status, message = refusal(exc)
        context = _story_context(story, workflow_error=message, workflow_error_field=exc.field, workflow_reason=reason)
        return render(request, "workflow/story_detail.html", context, status=status)
    messages.success(request, f"The story is now {moved.get_state_display().lower()}.")
    return redirect(moved)
