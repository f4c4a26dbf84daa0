"""The Django admin is the editors' desk: staff status alone does not open it, the Editors group does."""

from django.contrib import admin

from factcheck.articles.access import is_editor


class FactcheckAdminSite(admin.AdminSite):
    site_header = "Factcheck editorial desk"
    site_title = "Factcheck admin"
    index_title = "Editorial desk"

    def has_permission(self, request) -> bool:
        return request.user.is_active and request.user.is_staff and is_editor(request.user)
