"""Reviewers' work on articles: spans with their verdicts and evidence, the claim groups they form, and the
blind phase (submitted reviews, stories opened for discussion)."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from factcheck.articles.models import Article, Story

CONTEXT_CHARS = 32


def start_before_end(name: str) -> models.CheckConstraint:
    """A half-open range of code points, [start, end), that holds at least one."""
    return models.CheckConstraint(condition=models.Q(start__gte=0, end__gt=models.F("start")), name=name)


class ArticleRange(models.Model):
    """Code points [start, end) of an article body, with when the row was made and last changed."""

    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
        ordering = ["article", "start", "end", "pk"]


class Label(models.TextChoices):
    CONSISTENT = "consistent", "Consistent"
    CONFLICTING = "conflicting", "Conflicting"
    UNSUPPORTED = "unsupported", "Unsupported"


class Span(ArticleRange):
    """A claim: code points [start, end) of the article body, and what the reviewer says of it."""

    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="spans")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="spans")
    quote = models.TextField()
    prefix = models.CharField(max_length=CONTEXT_CHARS, blank=True)
    suffix = models.CharField(max_length=CONTEXT_CHARS, blank=True)
    label = models.CharField(max_length=16, choices=Label.choices)
    note = models.TextField(blank=True)
    # Set by the grouping (factcheck/review/grouping.py), never by the reviewer.
    group = models.ForeignKey("ClaimGroup", null=True, blank=True, on_delete=models.SET_NULL, related_name="spans")

    history = HistoricalRecords()

    class Meta(ArticleRange.Meta):
        constraints = [
            start_before_end("span_start_before_end"),
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
            start_before_end("evidence_start_before_end"),
            models.UniqueConstraint(fields=["span", "article", "start", "end"], name="evidence_unique_per_span"),
        ]

    def __str__(self) -> str:
        return self.quote[:60]


class ReviewSubmission(models.Model):
    """A reviewer has finished their blind review of a story and may now see the others' verdicts."""

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="submissions")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="submissions")
    submitted_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["story", "reviewer"], name="submission_once_per_reviewer")]

    def __str__(self) -> str:
        return f"{self.reviewer} submitted {self.story}"


class GroupStatus(models.TextChoices):
    SINGLE = "single", "Single"
    CONSENSUS = "consensus", "Consensus"
    DISPUTED = "disputed", "Disputed"


class ClaimGroup(ArticleRange):
    """Overlapping spans of different reviewers on one article: one claim.

    Spans point at their group (Span.group). A group is never deleted while it holds a
    comment or a decision, so regrouping cannot lose a thread.
    """

    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="claim_groups")
    status = models.CharField(max_length=12, choices=GroupStatus.choices, default=GroupStatus.SINGLE)
    label = models.CharField(max_length=16, choices=Label.choices, blank=True, help_text="Consensus label, if any.")
    reviewer_count = models.PositiveSmallIntegerField(default=0)
    # The votes behind the status ("reviewer_id:label" sorted, joined): when any vote changes, regrouping
    # moves `version` on, so an editor deciding on what they saw before gets a conflict.
    votes = models.TextField(blank=True, editable=False)
    # An editor's adjudication; `version` guards it against two editors deciding at once.
    final_label = models.CharField(max_length=16, choices=Label.choices, blank=True)
    final_note = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta(ArticleRange.Meta):
        constraints = [
            start_before_end("group_start_before_end"),
            models.CheckConstraint(condition=models.Q(status__in=GroupStatus.values), name="group_status_valid"),
            models.CheckConstraint(
                condition=models.Q(final_label="") | models.Q(final_label__in=Label.values),
                name="group_final_label_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["article", "start"], name="group_article_start"),
            models.Index(fields=["status", "created_at"], name="group_status_created"),
        ]

    def __str__(self) -> str:
        return f"{self.article} [{self.start}:{self.end}] {self.status}"

    @property
    def effective_label(self) -> str:
        """The label that stands: the editor's decision, else the consensus."""
        return self.final_label or self.label

    @property
    def standing(self) -> str:
        """Where the claim stands, one word for pages and styles: decided, consensus, disputed, single, orphaned."""
        if self.final_label:
            return "decided"
        if not self.reviewer_count:
            return "orphaned"
        return self.status

    @property
    def standing_text(self) -> str:
        return STANDING_TEXT[self.standing]


STANDING_TEXT = {
    "decided": "decided",
    "consensus": "consensus",
    "disputed": "disputed",
    "single": "one reviewer",
    "orphaned": "no spans left",
}


class Discussion(models.Model):
    """An editor opened a story for discussion: every reviewer of it now sees everyone's spans."""

    story = models.OneToOneField(Story, on_delete=models.CASCADE, related_name="discussion")
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"{self.story} open for discussion"
