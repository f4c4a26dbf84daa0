from django.apps import AppConfig


class ConsensusConfig(AppConfig):
    name = "factcheck.consensus"
    label = "consensus"

    def ready(self) -> None:
        from factcheck.consensus import signals  # noqa: F401
