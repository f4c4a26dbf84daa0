"""Which verdicts an export carries: the filters of the download URL and the command, checked once."""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from django.db.models import QuerySet

from factcheck.articles.models import Story, StoryState
from factcheck.review.models import Span

ALL_STATES = "all"


class FilterError(ValueError):
    """A filter value that makes no sense; the message says which and what would do."""


@dataclass(frozen=True)
class ExportFilters:
    story: Story | None = None
    state: str = StoryState.APPROVED  # or ALL_STATES
    since: dt.date | None = None  # the verdict's last change, inclusive, UTC
    until: dt.date | None = None

    @property
    def filename_stem(self) -> str:
        parts = ["verdicts", self.story.slug if self.story else "all-stories", self.state]
        if self.since:
            parts.append(f"from-{self.since.isoformat()}")
        if self.until:
            parts.append(f"to-{self.until.isoformat()}")
        return "-".join(parts)


def _parse_date(name: str, value: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise FilterError(f"{name}: {value!r} is not a date; write it as YYYY-MM-DD, e.g. 2025-01-31.") from exc


def parse_filters(params: Mapping[str, str]) -> ExportFilters:
    """Read story (slug), state, since and until; an unknown or malformed value raises FilterError."""
    state = (params.get("state") or StoryState.APPROVED).strip()
    choices = [*StoryState.values, ALL_STATES]
    if state not in choices:
        raise FilterError(f"state: {state!r} is not a story state; choose one of {', '.join(choices)}.")
    story = None
    slug = (params.get("story") or "").strip()
    if slug:
        story = Story.objects.filter(slug=slug).first()
        if story is None:
            raise FilterError(f"story: there is no story {slug!r}.")
    since = _parse_date("since", (params.get("since") or "").strip())
    until = _parse_date("until", (params.get("until") or "").strip())
    if since and until and since > until:
        raise FilterError(f"since ({since}) is after until ({until}); nothing could match.")
    return ExportFilters(story=story, state=state, since=since, until=until)


def export_spans(filters: ExportFilters) -> QuerySet[Span]:
    """The spans to export; by default those of approved stories ("approved verdicts")."""
    spans = Span.objects.all()
    if filters.story is not None:
        spans = spans.filter(article__story=filters.story)
    if filters.state != ALL_STATES:
        spans = spans.filter(article__story__state=filters.state)
    if filters.since:
        spans = spans.filter(updated_at__gte=_start_of(filters.since))
    if filters.until:
        spans = spans.filter(updated_at__lt=_start_of(filters.until + dt.timedelta(days=1)))
    return spans


def _start_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=dt.UTC)
