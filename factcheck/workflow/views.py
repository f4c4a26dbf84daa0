"""The reviewers' side of the workflow: the review moves on the story page (submit, resume)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from factcheck.articles.access import _get_story_for_user
from factcheck.workflow.services import StaleStory, TransitionRefused, story_transition


@login_required
@require_POST
def story_transition_view(request: HttpRequest, slug: str) -> HttpResponse:
    """A plain form post, answered with a redirect: a new state changes the whole page, not one fragment."""
    story = _get_story_for_user(request, slug)
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
        context = {
            "story": story,
            "articles": story.articles.order_by("published", "pk"),
            "workflow_error": exc.message,
            "workflow_error_field": exc.field,
            "workflow_reason": reason,
        }
        status = 409 if isinstance(exc, StaleStory) else 400
        return render(request, "articles/story_detail.html", context, status=status)
    messages.success(request, f"The story is now {moved.get_state_display().lower()}.")
    return redirect(moved)
