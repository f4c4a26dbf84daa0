"""A database that cannot be reached answers 503 with a plain page and a Retry-After, not a 500 trace."""

import sys

from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse

MESSAGE = "The database is not reachable; try again in a moment."
# Plain HTML, no template: the base template's context processors would query the database again.
PAGE = (
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Try again in a moment</title></head>'
    f"<body><h1>Try again in a moment</h1><p>{MESSAGE} Nothing you sent was saved.</p></body></html>"
)
RETRY_AFTER_SECONDS = 5
# psycopg raises OperationalError when the server is down or restarting and InterfaceError on a
# connection it already closed; SQLite raises OperationalError when its file cannot be written.
UNREACHABLE = (OperationalError, InterfaceError)


@receiver(got_request_exception, dispatch_uid="factcheck.dbfaults")
def _note_unreachable(sender, request=None, **kwargs) -> None:
    # Django turns an exception into a 500 inside whichever middleware layer it was raised in, before
    # an outer middleware sees it; the signal fires while the exception is still being handled.
    if request is not None and isinstance(sys.exc_info()[1], UNREACHABLE):
        request.database_unreachable = True


class DatabaseUnreachableMiddleware:
    """First in MIDDLEWARE, so it also replaces the 500 of a session or login read that found no database."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code == 500 and getattr(request, "database_unreachable", False):
            return unreachable_response()
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        # A view's error (the usual case) is answered here, so the log gets one line, not a trace per request.
        return unreachable_response() if isinstance(exception, UNREACHABLE) else None


def unreachable_response() -> HttpResponse:
    response = HttpResponse(PAGE, status=503, content_type="text/html; charset=utf-8")
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response
