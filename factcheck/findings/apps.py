from django.apps import AppConfig


class FindingsConfig(AppConfig):
    name = "factcheck.findings"
    label = "findings"
    verbose_name = "Pre-flags"
