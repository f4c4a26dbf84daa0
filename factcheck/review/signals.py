"""Regroup a story when its consensus rule (quorum, majority) changes, wherever it was changed from."""

from django.db import transaction
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from factcheck.articles.models import Story
from factcheck.review.grouping import regroup_story

RULE_FIELDS = ("quorum", "majority")


@receiver(pre_save, sender=Story, dispatch_uid="consensus-story-rule-before")
def _remember_rule(sender, instance: Story, raw: bool, update_fields=None, **kwargs) -> None:
    if raw or instance.pk is None or (update_fields is not None and not set(RULE_FIELDS) & set(update_fields)):
        instance._consensus_rule_before = None
        return
    instance._consensus_rule_before = Story.objects.filter(pk=instance.pk).values_list(*RULE_FIELDS).first()


@receiver(post_save, sender=Story, dispatch_uid="consensus-story-rule-after")
def _regroup_on_rule_change(sender, instance: Story, raw: bool, **kwargs) -> None:
    before = getattr(instance, "_consensus_rule_before", None)
    if raw or before is None or before == tuple(getattr(instance, field) for field in RULE_FIELDS):
        return
    # After the commit, so the statuses are recomputed from the rule as stored.
    transaction.on_commit(lambda: regroup_story(story=instance))
