"""The session row, with the user it signs in: the session, its user and their permissions are one query."""

from django.conf import settings
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models


class Session(AbstractBaseSession):
    """Django's database session, plus the signed-in user's id in a column of its own, so the row that
    carries the session can carry its user (select_related) instead of a second query per request.

    django.contrib.sessions stays installed for its `clearsessions` command, which clears this table
    (SESSION_ENGINE is factcheck.identity.store). A deleted user's sessions go with them.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE)

    @classmethod
    def get_session_store_class(cls):
        from factcheck.identity.store import SessionStore

        return SessionStore

    class Meta(AbstractBaseSession.Meta):
        db_table = "identity_session"
