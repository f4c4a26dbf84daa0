"""The review moves panel for the story page: which buttons this user gets comes from the state table."""

from django import template

from factcheck.workflow import transitions

register = template.Library()


@register.inclusion_tag("workflow/panel.html", takes_context=True)
def review_panel(context, story):
    moves = transitions.allowed(story.state, transitions.roles_of(context["request"].user))
    return {
        "story": story,
        "moves": moves,
        "needs_reason": any(m.needs_reason for m in moves),
        "error": context.get("workflow_error", ""),
        "error_field": context.get("workflow_error_field"),
        "reason": context.get("workflow_reason", ""),
        "csrf_token": context.get("csrf_token"),
    }
