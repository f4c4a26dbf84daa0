"""Recompute a story's pre-flags when articles were imported into it, so suggestions are there on first view."""

from factcheck.articles.models import Story
from factcheck.findings.services import story_preflag


def preflag_imported(sender, *, story: Story, **kwargs) -> None:
    story_preflag(story=story)
