"""Pre-flag suggestions and each reviewer's answer to them; stored apart from spans, so never a verdict."""

from django.conf import settings
from django.db import models

from factcheck.articles.models import Article, Story
from factcheck.review.models import ArticleRange, Label


class Kind(models.TextChoices):
    """The values of a verdict's Label, so an accepted suggestion becomes that verdict; the names say it is
    only a suggestion."""

    CONFLICTING = Label.CONFLICTING.value, "Possible conflict"
    CONSISTENT = Label.CONSISTENT.value, "Consistent"
    UNSUPPORTED = Label.UNSUPPORTED.value, "Possibly unsupported"


class Response(models.TextChoices):
    ACCEPTED = "accepted", "Accepted"
    DISMISSED = "dismissed", "Dismissed"


class Suggestion(ArticleRange):
    """A fact at code points [start, end) of an article, what the other articles say of it, and why."""

    kind = models.CharField(max_length=16, choices=Kind.choices)
    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="suggestions")
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="suggestions")
    quote = models.TextField()
    # [{"article": <id>, "start": int, "end": int, "quote": str}], offsets into that article's body.
    counterparts = models.JSONField(default=list, blank=True)
    reason = models.TextField()

    class Meta:
        ordering = ["article", "start", "end", "kind"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(start__gte=0, end__gt=models.F("start")),
                name="suggestion_start_before_end",
            ),
            models.CheckConstraint(condition=models.Q(kind__in=Kind.values), name="suggestion_kind_valid"),
            # One suggestion per fact: recomputing finds the same row again and keeps its responses.
            models.UniqueConstraint(fields=["article", "start", "end", "kind"], name="suggestion_unique_per_fact"),
        ]
        indexes = [models.Index(fields=["story", "kind"], name="suggestion_story_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.quote[:60]}"

    def as_verdict(self) -> dict:
        """What accepting it makes of it: its range and quote, its kind as the verdict, its reason as the note."""
        return {"start": self.start, "end": self.end, "quote": self.quote, "label": self.kind, "note": self.reason}


class SuggestionResponse(models.Model):
    """What one reviewer did with a suggestion; an accepted one points at the span it became."""

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="responses")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    response = models.CharField(max_length=16, choices=Response.choices)
    span = models.ForeignKey("review.Span", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["suggestion", "reviewer"]
        constraints = [
            models.UniqueConstraint(fields=["suggestion", "reviewer"], name="suggestion_response_unique"),
            models.CheckConstraint(condition=models.Q(response__in=Response.values), name="suggestion_response_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} {self.response} {self.suggestion_id}"


class StoryFact(models.Model):
    """A date or quantity of an article, aligned with the other articles' when its story was pre-flagged.

    Stored so the story's timeline and outlets-by-facts table read one query instead of extracting and
    aligning on every page view. `matter` groups the facts aligned with one another (what a table row
    is about); `conflicts` and `agrees` hold the `index` of the other facts of the story it was compared with.
    """

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="facts")
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="facts")
    index = models.PositiveIntegerField()
    kind = models.CharField(max_length=16)  # "date" or "quantity"
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    quote = models.TextField()
    sentence = models.TextField()
    # Days (date.toordinal) for a date, the amount for a quantity; null is an open bound.
    low = models.FloatField(null=True, blank=True)
    high = models.FloatField(null=True, blank=True)
    value = models.CharField(max_length=200)
    topic = models.CharField(max_length=200)
    status = models.CharField(max_length=16, blank=True)
    matter = models.PositiveIntegerField(null=True, blank=True)
    conflicts = models.JSONField(default=list, blank=True)
    agrees = models.JSONField(default=list, blank=True)
    # When pre-flagging stored it: the story page's cached pictures are keyed on the newest.
    computed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["story", "index"]
        constraints = [
            models.UniqueConstraint(fields=["story", "index"], name="story_fact_unique_index"),
            models.CheckConstraint(
                condition=models.Q(start__gte=0, end__gt=models.F("start")), name="story_fact_start_before_end"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.topic}: {self.value}"


class StoryPictures(models.Model):
    """The story page's pictures (conflicts list, timeline, outlets-by-facts table) as HTML, drawn when the
    story's facts are stored (story_preflag), so the first view after a pre-flag reads this one row instead
    of building them from hundreds of facts.

    `key` says which articles (their order, titles, outlets and dates: the lanes and columns) and which
    version of the markup they were drawn for; a page whose articles differ draws them again from the facts.
    The HTML is written only by factcheck/findings/pictures_html.py, which escapes every text it places.
    """

    story = models.OneToOneField(Story, on_delete=models.CASCADE, primary_key=True, related_name="drawn_pictures")
    key = models.CharField(max_length=64)
    pair_count = models.PositiveIntegerField(default=0)
    pairs = models.TextField(blank=True)
    timeline = models.TextField(blank=True)
    table_head = models.TextField(blank=True)
    table_rows = models.TextField(blank=True)
    # [article id, start, end, x, y] of each timeline mark: where the reader's spans are drawn.
    positions = models.JSONField(default=list, blank=True)
    drawn_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Pictures of story {self.story_id}"
