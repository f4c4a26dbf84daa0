from django.apps import AppConfig


class IdentityConfig(AppConfig):
    name = "factcheck.identity"
    label = "identity"
    verbose_name = "Sessions"
