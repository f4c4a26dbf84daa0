"""Database faults met at the edge: a database that cannot be reached answers a plain 503, and text it
cannot store (the NUL character) is refused with a 400 before any view runs."""

import sys

from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest

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


NUL_MESSAGE = "The text you sent contains a NUL character (\\0), which cannot be stored. Remove it and send again."


class NulRefusalMiddleware:
    """PostgreSQL refuses NUL in text (a DataError, so a 500) where SQLite stores it: refuse it on both, up front.

    No form of ours has a use for it, and checking here covers every view, the admin and the exports' filters
    alike, where a field-by-field check would have to be remembered in each.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view, args, kwargs) -> HttpResponse | None:
        # A view hook, so CsrfViewMiddleware (earlier in MIDDLEWARE) has refused a forged post first.
        if _has_nul(request.GET) or (request.method == "POST" and _has_nul(request.POST)):
            return HttpResponseBadRequest(NUL_MESSAGE, content_type="text/plain; charset=utf-8")
        return None


def _has_nul(query) -> bool:
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in query.lists())
