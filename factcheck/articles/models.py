"""Stories and the articles that report them: what reviewers read."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from factcheck.articles.cleaning import content_hash
from factcheck.refusals import NotAllowed


class StoryState(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    READY = "ready", "Ready for approval"
    CHANGES_REQUESTED = "changes_requested", "Changes requested"
    APPROVED = "approved", "Approved"


# Under approval or approved, the story's result is what editors judge and readers see: nothing it
# depends on (articles, spans, verdicts, evidence, decisions) may change until the story is reopened.
FROZEN_STATES = frozenset({StoryState.READY, StoryState.APPROVED})


class StoryFrozen(NotAllowed):
    """A write to a story whose result is under approval or published; nothing was stored."""

    def __init__(self, state: str):
        super().__init__(
            f"This story is {StoryState(state).label.lower()}, so its published result cannot change: "
            "reopen the story first (an editor's “Request changes” or “Reopen”). Nothing was saved."
        )


def check_not_frozen(story: "Story", *, fresh: bool = True) -> None:
    """Raise StoryFrozen if `story` is ready for approval or approved.

    `fresh` reads the state from the database (locking the row inside a transaction on PostgreSQL),
    so a page or file opened before the approval cannot slip a change in after it.
    """
    state = story.state
    if fresh and story.pk is not None:
        rows = Story.objects.filter(pk=story.pk)
        if transaction.get_connection().in_atomic_block:
            rows = rows.select_for_update()
        state = rows.values_list("state", flat=True).first() or state
    if state in FROZEN_STATES:
        raise StoryFrozen(state)


class Story(models.Model):
    State = StoryState

    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=300, unique=True)
    state = models.CharField(max_length=20, choices=StoryState.choices, default=StoryState.DRAFT)
    state_reason = models.TextField(blank=True, help_text="Why the story was sent back; shown to its reviewers.")
    # Bumped by every state change: an approval made on a stale page is refused.
    version = models.PositiveIntegerField(default=1)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    # Consensus rule (factcheck/consensus/rules.py): at least `quorum` reviewers marked a claim
    # and the most chosen label holds more than `majority` of their verdicts.
    quorum = models.PositiveSmallIntegerField(default=2)
    majority = models.FloatField(default=0.5)
    created_at = models.DateTimeField(default=timezone.now)
    # Who reviews it: a reviewer sees, reads and marks only the stories assigned to them (review/access.py).
    reviewers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="assigned_stories", help_text="The reviewers who check it."
    )
    due_date = models.DateField(null=True, blank=True, help_text="When the reviews should be in; shown to reviewers.")
    # Set when an editor sends the story back or reopens it: reviews submitted before are no longer final,
    # and their reviewers may change their spans again (review/access.py, reviewer_standing).
    review_reopened_at = models.DateTimeField(null=True, blank=True, editable=False)

    history = HistoricalRecords(excluded_fields=["review_reopened_at"])

    class Meta:
        verbose_name_plural = "stories"
        ordering = ["title"]
        # The workflow's roles (factcheck/workflow/transitions.py), granted to groups by 0003_workflow_roles.
        permissions = [
            ("submit_story", "Can submit a story for approval or resume its review"),
            ("approve_story", "Can open, approve, send back or reopen a story"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__in=StoryState.values),
                name="story_state_valid",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("story-detail", args=[self.slug])

    @property
    def is_open_for_review(self) -> bool:
        """Reviewers may add and change spans only while the story is being reviewed (not while a draft)."""
        return self.state in OPEN_FOR_REVIEW

    @property
    def is_frozen(self) -> bool:
        """Ready for approval or approved: nothing the published result depends on may change."""
        return self.state in FROZEN_STATES


# Reviewers mark stories in these states; they may read, not change, those past them; a draft is not theirs yet.
OPEN_FOR_REVIEW = (StoryState.IN_REVIEW, StoryState.CHANGES_REQUESTED)
SHOWN_TO_REVIEWERS = (*OPEN_FOR_REVIEW, StoryState.READY, StoryState.APPROVED)


class BodyFrozen(ValidationError):
    """An article's body was changed after spans were anchored to it."""


class Article(models.Model):
    story = models.ForeignKey(Story, on_delete=models.PROTECT, related_name="articles")
    title = models.CharField(max_length=500)
    outlet = models.CharField(max_length=200, blank=True)
    url = models.URLField(max_length=1000, blank=True)
    published = models.DateField(null=True, blank=True)
    source_name = models.CharField(max_length=255, blank=True, help_text="File the article was imported from.")
    raw_text = models.TextField(help_text="The text exactly as imported.")
    body = models.TextField(help_text="Clean text (NFC, LF line ends) that spans point into.")
    body_sha256 = models.CharField(max_length=64, editable=False)
    # An editor's corrections to cleaning: block number (see cleaning.Block) -> keep (true) or drop (false).
    block_overrides = models.JSONField(default=dict, blank=True)
    # A default rather than auto_now_add, so the committed fixture can leave it out.
    imported_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords(excluded_fields=["raw_text"])

    class Meta:
        ordering = ["story", "published", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["story", "body_sha256"], name="article_unique_body"),
            models.CheckConstraint(condition=~models.Q(body=""), name="article_body_not_empty"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("article-detail", args=[self.pk])

    def clean(self) -> None:
        self._refuse_body_change()

    def save(self, *args, **kwargs) -> None:
        self._refuse_body_change()
        self.body_sha256 = content_hash(self.body)
        super().save(*args, **kwargs)

    def _refuse_body_change(self) -> None:
        # Spans are code-point offsets into the body: a new body would silently move them.
        if self.pk is None:
            return
        stored = Article.objects.filter(pk=self.pk).values_list("body", flat=True).first()
        if stored is not None and stored != self.body and self.spans.exists():
            raise BodyFrozen({"body": "This article already has highlighted spans; its body can no longer change."})
