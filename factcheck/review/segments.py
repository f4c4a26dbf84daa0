"""Cutting an article body into flat, non-overlapping highlight segments for the page.

Overlapping and nested spans would need nested <mark>s, which break selection and make the
browser's text offsets ambiguous. Instead the body is cut at every span boundary (one sweep over
the sorted boundaries) and each piece lists the spans covering it.
"""

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html import escape
from typing import Protocol

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
    # Pks of the spans covering this piece, in order of span start.
    covers: tuple[int, ...] = ()
    # CSS classes saying how to draw it: one label or mixed, the viewer's own or another's.
    css: str = ""
    # Labels of the spans that end where this segment ends, for the cue.
    ending: tuple[str, ...] = ()


def _css(own: Counter, others: Counter, own_total: int, others_total: int) -> str:
    labels = [label for label, n in (own if own_total else others).items() if n]
    classes = "seg l-" + labels[0] if len(labels) == 1 else "seg l-mixed"
    if not own_total:
        return classes + " others"
    return classes + " has-others" if others_total else classes


def cut(length: int, spans: Iterable[Ranged], own: Sequence[bool] | None = None) -> list[Segment]:
    """Segments covering [0, length): plain ones (no covers) between the highlighted ones.

    `own[i]` says whether the i-th span is the viewer's; spans are clipped to the body.
    O(n log n) in the number of spans, plus the size of the output (each piece lists its spans).
    """
    spans = list(spans)
    mine = list(own) if own is not None else [True] * len(spans)
    pks = [span.pk for span in spans]
    labels = [span.label for span in spans]
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
    # Label tallies of the active spans, kept up to date so each piece's style costs O(1).
    tallies = (Counter(), Counter())  # others', own
    totals = [0, 0]
    segments = []
    for left, right in zip(boundaries, boundaries[1:], strict=False):
        for index in ends.get(left, ()):
            if active.pop(index, False) is None:
                tallies[mine[index]][labels[index]] -= 1
                totals[mine[index]] -= 1
        for index in starts.get(left, ()):
            active[index] = None
            tallies[mine[index]][labels[index]] += 1
            totals[mine[index]] += 1
        if not active:
            segments.append(Segment(left, right))
            continue
        ending = tuple([labels[i] for i in ends.get(right, ()) if i in active])
        covers = tuple([pks[i] for i in active])
        segments.append(Segment(left, right, covers, _css(tallies[1], tallies[0], totals[1], totals[0]), ending))
    return segments


def render(
    body: str, segments: Iterable[Segment], attribute: str = "spans", cues: bool = True, offsets: bool = False
) -> SafeString:
    """The body as HTML whose text content is exactly `body`: plain text between flat <mark>s.

    With `offsets`, a mark carries only its start (data-offset) instead of the ids covering it: the page
    sends each span's range once and the script derives a mark's spans, which keeps a page with
    many overlapping spans small (the id lists were most of its bytes).
    """
    parts = []
    for segment in segments:
        text = escape(body[segment.start : segment.end])
        if not segment.covers:
            parts.append(text)
            continue
        ids = f'offset="{segment.start}"' if offsets else f'{attribute}="{" ".join(map(str, segment.covers))}"'
        cue = "".join([CUES.get(label, "") for label in segment.ending]) if cues else ""
        cue_attr = f' data-cue="{cue}"' if cue else ""
        parts.append(f'<mark class="{segment.css}" data-{ids}{cue_attr}>{text}</mark>')
    # html.escape, not Django's (the same result without its lazy-string wrapper, per piece).
    return mark_safe("".join(parts))  # noqa: S308  # nosec B308 B703 - every piece of text above is escaped
