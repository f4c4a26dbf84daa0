"""The review-moves panel and the state badge for templates (factcheck/workflow/panels.py builds both)."""

from django import template
from django.urls import reverse

from factcheck.workflow import panels

register = template.Library()


@register.inclusion_tag("workflow/panel.html", takes_context=True)
def review_panel(context, story):
    panel = panels.move_panel(
        story=story,
        user=context["request"].user,
        action=reverse("story-transition", args=[story.slug]),
        error=context.get("workflow_error", ""),
        error_field=context.get("workflow_error_field"),
        reason=context.get("workflow_reason", ""),
    )
    return {"panel": panel, "csrf_token": context.get("csrf_token")}


@register.simple_tag
def state_badge(story_or_state):
    return panels.state_badge(getattr(story_or_state, "state", story_or_state))
