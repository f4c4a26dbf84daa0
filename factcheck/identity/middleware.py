"""Django's AuthenticationMiddleware, handing the backend the user the session's own query read."""

from django.contrib import auth
from django.contrib.auth.middleware import AuthenticationMiddleware as DjangoAuthenticationMiddleware
from django.utils.functional import SimpleLazyObject

from factcheck.permissions import session_user


def get_user(request):
    """django.contrib.auth.get_user (which backend, the session's hash, its fallbacks): only the backend's
    read of the user is saved, when the session's row brought the same user along."""
    if not hasattr(request, "_cached_user"):  # as Django's middleware keeps it
        token = session_user.set(request.session)
        try:
            request._cached_user = auth.get_user(request)
        finally:
            session_user.reset(token)
    return request._cached_user


class AuthenticationMiddleware(DjangoAuthenticationMiddleware):
    def process_request(self, request):
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: get_user(request))
