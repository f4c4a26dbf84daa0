from django.apps import AppConfig


class ConsensusConfig(AppConfig):
    name = "factcheck.consensus"
    label = "consensus"
