"""Which verdicts an export carries: the filters of the download URL and the command, checked once."""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from django.db.models import QuerySet

from factcheck.articles.models import Story, StoryState
from factcheck.review.models import Span

ALL_STATES = "all"
ALL_STORIES = "all"  # the same as leaving story out: what the exports page's form sends for "All stories"


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


FILTERS = ("story", "state", "since", "until")
FLAG_VALUES = {"1": True, "true": True, "yes": True, "on": True, "0": False, "false": False, "no": False, "off": False}
SHOWN_STORIES = 20


def _parse_date(name: str, value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise FilterError(f"{name}: {value!r} is not a date; write it as YYYY-MM-DD, e.g. 2025-01-31.") from exc


def _given(params: Mapping[str, str], name: str, allowed: str) -> str | None:
    """The parameter's value, None when it is left out; present but empty is refused (a half-filled form)."""
    if name not in params:
        return None
    value = (params.get(name) or "").strip()
    if not value:
        raise FilterError(f"{name} is empty: give {allowed}, or leave {name} out.")
    return value


def parse_flag(params: Mapping[str, str], name: str) -> bool:
    """A yes/no parameter: left out is no; anything but the listed words is refused rather than guessed."""
    allowed = "one of " + ", ".join(FLAG_VALUES)
    value = _given(params, name, allowed)
    if value is None:
        return False
    if value.casefold() not in FLAG_VALUES:
        raise FilterError(f"{name}: {value!r} is not a yes or no; use {allowed}.")
    return FLAG_VALUES[value.casefold()]


def parse_filters(params: Mapping[str, str], *, also: tuple[str, ...] = ()) -> ExportFilters:
    """Read story (slug), state, since and until; an unknown, empty or malformed value raises FilterError.

    `also` names the other parameters the caller reads itself (the download's `excel`); any other
    name is refused too, so a misspelt filter is never silently ignored.
    """
    known = (*FILTERS, *also)
    unknown = sorted(name for name in params if name not in known)
    if unknown:
        raise FilterError(
            f"{', '.join(map(repr, unknown))}: not a parameter here; the parameters are {', '.join(known)}."
        )
    choices = [*StoryState.values, ALL_STATES]
    state = _given(params, "state", "one of " + ", ".join(choices)) or StoryState.APPROVED
    if state not in choices:
        raise FilterError(f"state: {state!r} is not a story state; choose one of {', '.join(choices)}.")
    story = None
    slug = _given(params, "story", f"a story's slug or {ALL_STORIES}")
    if slug is not None and slug != ALL_STORIES:
        story = Story.objects.filter(slug=slug).first()
        if story is None:
            slugs = list(Story.objects.order_by("slug").values_list("slug", flat=True)[: SHOWN_STORIES + 1])
            listed = ", ".join(slugs[:SHOWN_STORIES]) + (", …" if len(slugs) > SHOWN_STORIES else "")
            raise FilterError(
                f"story: there is no story {slug!r}; give {ALL_STORIES} or one of {listed or 'none yet'}."
            )
    date = "a day as YYYY-MM-DD"
    since = _given(params, "since", date)
    until = _given(params, "until", date)
    since = _parse_date("since", since) if since else None
    until = _parse_date("until", until) if until else None
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
