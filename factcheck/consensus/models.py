"""Consensus: the threads reviewers and editors keep on a claim group."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from factcheck.review.models import ClaimGroup


class Comment(models.Model):
    group = models.ForeignKey(ClaimGroup, on_delete=models.PROTECT, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["group", "created_at", "pk"]
        constraints = [models.CheckConstraint(condition=~models.Q(text=""), name="comment_not_empty")]

    def __str__(self) -> str:
        return self.text[:60]
