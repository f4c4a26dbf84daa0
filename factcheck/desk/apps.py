from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class DeskConfig(AppConfig):
    name = "factcheck.desk"
    label = "desk"
    default = True


class EditorsAdminConfig(admin_apps.AdminConfig):
    """Django's admin, on the desk's site (Editors only) instead of the default one."""

    default = False
    default_site = "factcheck.desk.admin_site.FactcheckAdminSite"
