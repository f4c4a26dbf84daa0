"""The review page's pre-flag panel as a tag, because the review layer's views may not import findings."""

from django import template

from factcheck.findings.selectors import article_panel

register = template.Library()


@register.inclusion_tag("findings/_suggestions.html", takes_context=True)
def suggestion_panel(context, article, *, error: str = ""):
    request = context["request"]
    workspace = context.get("workspace")
    articles = workspace.articles if workspace is not None else []
    titles = {other.pk: other.outlet or other.title for other in articles}
    items = article_panel(article=article, user=request.user, titles=titles)
    return panel_context(request=request, article=article, items=items, writable=context.get("writable"), error=error)


def panel_context(*, request, article, items, writable, error: str = "") -> dict:
    pending = [item for item in items if item.pending]
    return {
        "request": request,
        "article": article,
        "pending": pending,
        "accepted": sum(1 for item in items if item.response == "accepted"),
        "dismissed": sum(1 for item in items if item.response == "dismissed"),
        "writable": writable,
        "outlines": [{"id": item.pk, "start": item.start, "end": item.end, "kind": item.kind} for item in pending],
        "error": error,
    }
