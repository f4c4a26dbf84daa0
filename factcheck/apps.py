from django.contrib.admin.apps import AdminConfig


class FactcheckAdminConfig(AdminConfig):
    default_site = "factcheck.admin_site.FactcheckAdminSite"
