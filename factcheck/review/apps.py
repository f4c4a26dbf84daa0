from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "factcheck.review"
    label = "review"

    def ready(self) -> None:
        from factcheck.review import signals  # noqa: F401
