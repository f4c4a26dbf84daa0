from django.apps import AppConfig


class WorkflowConfig(AppConfig):
    name = "factcheck.workflow"
    label = "workflow"
