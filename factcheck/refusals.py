"""Refusals: a write the rules do not allow, in words for a person, and the one HTTP status each gets.

Services raise these (or Django's ValidationError and PermissionDenied); views and the desk turn any
of them into a response through refusal(), so a refusal reads and answers the same everywhere.
This module imports no app of the project: every layer may use it.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse


class Refused(Exception):
    """A write the rules do not allow now. `message` is for a person; nothing was stored."""

    status = 400

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class NotAllowed(Refused):
    """The user's role, or the state of the story, does not allow this write."""

    status = 403


class Conflict(Refused):
    """Someone changed the object since the user read it."""

    status = 409


def refusal(exc: Exception) -> tuple[int, str]:
    """The HTTP status and the person's message for a refused write."""
    if isinstance(exc, Refused):
        return exc.status, exc.message
    if isinstance(exc, ValidationError):
        return 400, " ".join(exc.messages)
    if isinstance(exc, PermissionDenied):
        return 403, str(exc) or "You may not do this."
    raise TypeError(f"{exc!r} is not a refusal") from exc


def refusal_response(exc: Exception) -> HttpResponse:
    """A refusal as a plain page, for a write whose page has no place to show it in."""
    status, message = refusal(exc)
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")
