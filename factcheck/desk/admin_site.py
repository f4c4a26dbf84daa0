"""The Django admin is the editors' desk: staff status alone does not open it, the Editors group does."""

import re

from django import forms
from django.contrib import admin
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseBadRequest
from simple_history.admin import SimpleHistoryAdmin

from factcheck.review.access import is_editor

STALE_EDIT = (
    "Someone changed this %(name)s since you opened it; reload the page and make your change again. Nothing was saved."
)


class FactcheckAdminSite(admin.AdminSite):
    site_header = "Factcheck editorial desk"
    site_title = "Factcheck admin"
    index_title = "Editorial desk"
    # The changelists' figures need the width more than a second copy of the index does.
    enable_nav_sidebar = False

    def has_permission(self, request) -> bool:
        return request.user.is_active and request.user.is_staff and is_editor(request.user)

    def index(self, request, extra_context=None):
        from factcheck.desk.selectors import story_queue

        return super().index(request, {"story_queue": story_queue(), **(extra_context or {})})


class AuditedAdmin(SimpleHistoryAdmin):
    """An admin whose history is shown but never rewritten: no revert, and no deleting from here.

    simple-history's "revert" form would write an old row back through save(), around the
    workflow's rules (a story's state) and over colleagues' later work, so it is switched off.
    Deleting would keep a history row, but would still take a reviewer's work out of the product;
    the owners of the data (reviewers through their pages, the workflow through its services)
    remove things, the desk does not.
    """

    # "N of M" needs a second COUNT on every filtered page; the filtered count is what editors read.
    show_full_result_count = False

    def revert_disabled(self, request, obj=None) -> bool:
        return True

    def has_change_history_permission(self, request, obj=None) -> bool:
        return False

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method != "GET":
            raise PermissionDenied("History is read-only.")
        return super().history_form_view(request, object_id, version_id, extra_context)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def response_action(self, request, queryset):
        # Django filters pk__in on the ticked values as sent: "" or "x" would be a 500, not a refusal.
        ticked = request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)
        if any(not re.fullmatch(r"[0-9]{1,18}", value) for value in ticked):
            return HttpResponseBadRequest("The selection could not be read: tick the rows again and retry.")
        return super().response_action(request, queryset)


class ReadOnlyInline(admin.TabularInline):
    """A list of related rows to read; each is changed on its own page or by its own service, never here.

    `fields` are shown read-only, and `readonly_fields` follows them unless a subclass says otherwise.
    """

    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class GuardedModelForm(forms.ModelForm):
    """A change form that carries the token of the object as the editor opened it (see StaleEditGuard)."""

    seen_token = forms.CharField(widget=forms.HiddenInput, required=False)

    @staticmethod
    def edit_token(obj) -> str:  # replaced by the admin's own in StaleEditGuard.get_form
        return ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["seen_token"].initial = self.edit_token(self.instance)

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None:
            return cleaned
        model = type(self.instance)
        fresh = model._default_manager.select_for_update().filter(pk=self.instance.pk).first()
        if fresh is None or self.edit_token(fresh) != (self.data.get(self.add_prefix("seen_token")) or ""):
            raise ValidationError(STALE_EDIT, code="stale", params={"name": model._meta.verbose_name})
        return cleaned


class StaleEditGuard:
    """Refuse a change form saved over someone else's newer change.

    The form carries a token of the object as the editor opened it (`edit_token`); the check runs
    in form validation, which the admin runs inside the same transaction as the save, against the
    row read with SELECT ... FOR UPDATE (PostgreSQL locks it; SQLite's IMMEDIATE transactions
    already hold the write lock), so nothing can slip in between the check and the write.
    """

    form = GuardedModelForm

    def edit_token(self, obj) -> str:
        """By default the latest history row: every save() writes one."""
        latest = obj.history.order_by("-history_id").values_list("history_id", flat=True).first()
        return str(latest or "")

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        return type(form.__name__, (form,), {"edit_token": staticmethod(self.edit_token)})


def plural(count: int, noun: str) -> str:
    """'1 span', '2 spans': the combined figure cells read as words."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def count_column(field: str, description: str):
    """A changelist column showing an annotated count, sortable by it."""

    @admin.display(description=description, ordering=field)
    def column(self, obj) -> int:
        return getattr(obj, field)

    column.__name__ = field
    return column
