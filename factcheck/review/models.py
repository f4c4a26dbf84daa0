"""A reviewer's highlighted span of an article, with its verdict and evidence."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from factcheck.articles.models import Article

CONTEXT_CHARS = 32


class Label(models.TextChoices):
    CONSISTENT = "consistent", "Consistent"
    CONFLICTING = "conflicting", "Conflicting"
    UNSUPPORTED = "unsupported", "Unsupported"


class Span(models.Model):
    """A claim: code points [start, end) of the article body, and what the reviewer says of it."""

    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="spans")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="spans")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    quote = models.TextField()
    prefix = models.CharField(max_length=CONTEXT_CHARS, blank=True)
    suffix = models.CharField(max_length=CONTEXT_CHARS, blank=True)
    label = models.CharField(max_length=16, choices=Label.choices)
    note = models.TextField(blank=True)
    # Set by the consensus grouping (factcheck/consensus/grouping.py), never by the reviewer.
    group = models.ForeignKey(
        "consensus.ClaimGroup", null=True, blank=True, on_delete=models.SET_NULL, related_name="spans"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["article", "start", "end", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(start__gte=0, end__gt=models.F("start")),
                name="span_start_before_end",
            ),
            models.CheckConstraint(condition=models.Q(label__in=Label.values), name="span_label_valid"),
            models.UniqueConstraint(fields=["article", "reviewer", "start", "end"], name="span_unique_per_reviewer"),
        ]
        indexes = [
            models.Index(fields=["article", "start"], name="span_article_start"),
            models.Index(fields=["reviewer", "article"], name="span_reviewer_article"),
        ]

    def __str__(self) -> str:
        return f"{self.quote[:60]} ({self.label})"


class Evidence(models.Model):
    """A passage of another article of the same story that backs a span's verdict."""

    span = models.ForeignKey(Span, on_delete=models.CASCADE, related_name="evidence")
    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="+")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    quote = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["span", "article", "start", "pk"]
        verbose_name_plural = "evidence"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(start__gte=0, end__gt=models.F("start")),
                name="evidence_start_before_end",
            ),
            models.UniqueConstraint(fields=["span", "article", "start", "end"], name="evidence_unique_per_span"),
        ]

    def __str__(self) -> str:
        return self.quote[:60]
