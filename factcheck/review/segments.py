"""Cutting an article body into flat, non-overlapping highlight segments for the page.

Overlapping and nested spans would need nested <mark>s, which break selection and make the
browser's text offsets ambiguous. Instead the body is cut at every span boundary (one sweep over
the sorted boundaries) and each piece lists the spans covering it.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# The non-colour cue of each label, shown after the last character of a span (CSS ::after, so
# it is never part of the selectable text) and in the legend.
CUES = {"consistent": "✓", "conflicting": "✗", "unsupported": "?"}


class Ranged(Protocol):
    pk: int
    start: int
    end: int
    label: str


@dataclass(frozen=True)
class Segment:
    start: int
    end: int
    # (span pk, label, is the viewer's own span), in order of span start.
    covers: tuple[tuple[int, str, bool], ...]
    # Labels of the spans that end where this segment ends, for the cue.
    ending: tuple[str, ...] = ()


def cut(length: int, spans: Iterable[Ranged], own: Sequence[bool] | None = None) -> list[Segment]:
    """Segments covering [0, length): plain ones (no covers) between the highlighted ones.

    `own[i]` says whether the i-th span is the viewer's; spans are clipped to the body.
    O(n log n) in the number of spans, plus the size of the output.
    """
    spans = list(spans)
    mine = list(own) if own is not None else [True] * len(spans)
    starts: dict[int, list[int]] = {}
    ends: dict[int, list[int]] = {}
    for index, span in enumerate(spans):
        start, end = max(0, span.start), min(length, span.end)
        if start >= end:
            continue
        starts.setdefault(start, []).append(index)
        ends.setdefault(end, []).append(index)
    boundaries = sorted({0, length, *starts, *ends})
    active: dict[int, None] = {}  # insertion-ordered set of span indexes
    segments = []
    for left, right in zip(boundaries, boundaries[1:], strict=False):
        for index in ends.get(left, ()):
            active.pop(index, None)
        for index in starts.get(left, ()):
            active[index] = None
        covers = tuple((spans[i].pk, spans[i].label, mine[i]) for i in active)
        ending = tuple(spans[i].label for i in ends.get(right, ()) if i in active)
        segments.append(Segment(left, right, covers, ending))
    return segments


def _css(covers: tuple[tuple[int, str, bool], ...]) -> str:
    own_labels = {label for _, label, is_mine in covers if is_mine}
    other_labels = {label for _, label, is_mine in covers if not is_mine}
    labels = sorted(own_labels or other_labels)
    classes = ["seg", f"l-{labels[0]}" if len(labels) == 1 else "l-mixed"]
    if not own_labels:
        classes.append("others")
    elif other_labels:
        classes.append("has-others")
    return " ".join(classes)


def render(body: str, segments: Iterable[Segment], attribute: str = "spans") -> SafeString:
    """The body as HTML whose text content is exactly `body`: plain text between flat <mark>s."""
    parts = []
    for segment in segments:
        text = escape(body[segment.start : segment.end])
        if not segment.covers:
            parts.append(text)
            continue
        ids = " ".join(str(pk) for pk, _, _ in segment.covers)
        cue = "".join(CUES.get(label, "") for label in segment.ending)
        cue_attr = f' data-cue="{cue}"' if cue else ""
        parts.append(f'<mark class="{_css(segment.covers)}" data-{attribute}="{ids}"{cue_attr}>{text}</mark>')
    return mark_safe("".join(parts))  # noqa: S308 - every piece of text above is escaped
