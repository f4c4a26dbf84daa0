"""Publications: each approval of a story is a numbered, frozen version of what the public page shows."""

from django.conf import settings
from django.db import models
from django.urls import reverse

from factcheck.articles.models import Story


class Publication(models.Model):
    """The published result of one approval, stored as it was so that later changes never rewrite it.

    Written by the approval itself (exports listens to the workflow's story_approved signal), in the
    same transaction: a story is never approved without its publication.
    """

    story = models.ForeignKey(Story, on_delete=models.PROTECT, related_name="publications")
    number = models.PositiveIntegerField(help_text="1 for the first approval, then one more for each.")
    approved_at = models.DateTimeField(help_text="This approval: the page's and JSON-LD's dateModified.")
    first_published_at = models.DateTimeField(help_text="The first approval: datePublished.")
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # What the page shows (articles, their bodies, the claims whose verdict stands, with explanation and
    # evidence), and the ClaimReview document with links relative to the site (made absolute when served).
    page = models.JSONField()
    claimreview = models.JSONField()

    class Meta:
        ordering = ["story", "number"]
        constraints = [models.UniqueConstraint(fields=["story", "number"], name="publication_unique_number")]

    def __str__(self) -> str:
        return f"{self.story} v{self.number}"

    def get_absolute_url(self) -> str:
        return reverse("factcheck-version", args=[self.story.slug, self.number])
