from django.apps import AppConfig


class FindingsConfig(AppConfig):
    name = "factcheck.findings"
    label = "findings"
    verbose_name = "Pre-flags"

    def ready(self):
        # The articles layer cannot import this one: it announces imports, and pre-flags follow them.
        from factcheck.articles.signals import articles_imported
        from factcheck.findings.receivers import preflag_imported

        articles_imported.connect(preflag_imported, dispatch_uid="findings-preflag-on-import")
