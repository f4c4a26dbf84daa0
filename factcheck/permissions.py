"""Django's model permissions, loaded with the signed-in user in the one query that reads the user."""

import json
from contextvars import ContextVar

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.db.models import F, OuterRef, Q, Subquery, TextField, Value
from django.db.models.functions import Concat

from factcheck.sql import JSONList

UserModel = get_user_model()


def _names(permissions) -> Subquery:
    """`permissions` (correlated to the outer user) as one JSON array of "app_label.codename"."""
    # The constant `one` makes the aggregate's GROUP BY empty: one row, however many permissions match.
    # JSON rather than a separator: a codename is any text up to 100 characters, commas included.
    names = JSONList(Concat(F("content_type__app_label"), Value("."), F("codename"), output_field=TextField()))
    return Subquery(permissions.order_by().annotate(one=Value(1)).values("one").annotate(names=names).values("names"))


def _parse(names: str | None) -> set[str]:
    return set(json.loads(names)) if names else set()


# The two annotations permission_names() adds, by which the user's permission sets travel to the backend.
PERMISSION_NAMES = ("user_perm_names", "group_perm_names")


def permission_names(user: str = "pk") -> dict:
    """Annotations for rows that carry a user's id in `user`: their own permissions' and their groups' names.

    The session's row reads them along with its user (factcheck/identity), the backend below for a user alone.
    """
    own, groups = PERMISSION_NAMES
    return {
        own: _names(Permission.objects.filter(user=OuterRef(user))),
        groups: _names(Permission.objects.filter(group__user=OuterRef(user))),
    }


# The request's session while Django's get_user runs (factcheck/identity/middleware.py): its `user`, when its
# row brought the signed-in user along with permission_names(), spares get_user its query.
session_user: ContextVar = ContextVar("session_user", default=None)


class OneQueryModelBackend(ModelBackend):
    """ModelBackend that reads the user's permissions in the same query as the user, cached on the user object.

    Every page checks a permission, so a query of their own was paid on every signed-in page.
    """

    def _users(self):
        """Users, each with its own permissions' and its groups' permissions' names (two correlated subqueries)."""
        return UserModel._default_manager.annotate(**permission_names())

    def _with_permissions(self, user):
        """`user` with ModelBackend's three permission caches filled from its annotations, as it would fill them."""
        own, groups = PERMISSION_NAMES
        if own not in user.__dict__:  # filled already (the session's user, asked for twice)
            return user if self.user_can_authenticate(user) else None
        user_perms, group_perms = _parse(user.__dict__.pop(own)), _parse(user.__dict__.pop(groups))
        # A superuser has every permission, not only those granted: ModelBackend loads all of them when asked.
        # The user and group halves are kept too, so get_user_permissions() and get_group_permissions() agree
        # with the whole set and ask nothing.
        if not user.is_superuser:
            user._user_perm_cache, user._group_perm_cache = user_perms, group_perms
            user._perm_cache = user_perms | group_perms
        return user if self.user_can_authenticate(user) else None

    def get_user(self, user_id):
        user = getattr(session_user.get(), "user", None)
        if user is None or user.pk != user_id:
            try:
                user = self._users().get(pk=user_id)
            except UserModel.DoesNotExist:
                return None
        return self._with_permissions(user)

    async def aget_user(self, user_id):
        try:
            user = await self._users().aget(pk=user_id)
        except UserModel.DoesNotExist:
            return None
        return self._with_permissions(user)

    def get_all_permissions(self, user_obj, obj=None) -> set[str]:
        # Users not loaded by get_user (the one login() hands back, a test's own) still cost one query, not two.
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            perms = Permission.objects.all()
            if not user_obj.is_superuser:
                perms = perms.filter(Q(user=user_obj) | Q(group__user=user_obj))
            user_obj._perm_cache = {
                f"{app_label}.{codename}"
                for app_label, codename in perms.values_list("content_type__app_label", "codename")
            }
        return user_obj._perm_cache
