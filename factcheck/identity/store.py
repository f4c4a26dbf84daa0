"""The session engine (SESSION_ENGINE): Django's database sessions, read with their user in the same query."""

import logging
from functools import cache

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DBStore
from django.core.exceptions import SuspiciousOperation
from django.utils import timezone

from factcheck.permissions import PERMISSION_NAMES, permission_names


class SessionStore(DBStore):
    """A database session whose load reads the signed-in user too, with their permissions' names.

    `user` is what the authentication backend takes instead of a query of its own (factcheck/permissions.py,
    identity/middleware.py): a signed-in request knows who is asking and what they may do after one query.
    Django's get_user still checks the user against the session (backend, id, the password's hash).
    """

    user = None

    @classmethod
    def get_model_class(cls):
        from factcheck.identity.models import Session

        return Session

    @classmethod
    @cache
    def _rows(cls):
        """The sessions with their users and permission names: built once per process (its subqueries cost
        more to build than the query costs to run), cloned by each lookup."""
        return cls.get_model_class().objects.select_related("user").annotate(**permission_names("user_id"))

    def _get_session_from_db(self):
        self.user = None
        try:
            row = self._rows().get(session_key=self.session_key, expire_date__gt=timezone.now())
        except (self.model.DoesNotExist, SuspiciousOperation) as exc:
            if isinstance(exc, SuspiciousOperation):  # as Django's own store logs it
                logging.getLogger(f"django.security.{exc.__class__.__name__}").warning(str(exc))
            self._session_key = None
            return None
        if row.user is not None:
            for name in PERMISSION_NAMES:
                setattr(row.user, name, getattr(row, name))
            self.user = row.user
        return row

    def create_model_instance(self, data):
        """The row as Django writes it, with the signed-in user's id (none before login or after logout)."""
        row = super().create_model_instance(data)
        try:
            row.user_id = int(data[SESSION_KEY])
        except (KeyError, TypeError, ValueError):
            row.user_id = None
        return row
