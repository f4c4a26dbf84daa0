"""Who may change which span: only its own reviewer, and only while its story is open for review."""

from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from factcheck.articles.access import can_read
from factcheck.review.models import Span


def _get_span_for_user(request: HttpRequest, pk: int) -> Span:
    """The user's own span; anyone else's, or a guessed id, is a 404."""
    if not can_read(request.user):
        get_object_or_404(Span.objects.none(), pk=pk)
    return get_object_or_404(
        Span.objects.select_related("article__story").prefetch_related("evidence"), pk=pk, reviewer=request.user
    )


def can_write(user) -> bool:
    return user.is_active and user.has_perm("review.add_span")
