from django.apps import AppConfig


class ExportsConfig(AppConfig):
    name = "factcheck.exports"
    label = "exports"

    def ready(self) -> None:
        # The workflow may not import exports (layers run one way): it announces approvals, exports publishes.
        from factcheck.exports.publishing import publish_on_approval
        from factcheck.workflow.signals import story_approved

        story_approved.connect(publish_on_approval, dispatch_uid="exports.publish_on_approval")
