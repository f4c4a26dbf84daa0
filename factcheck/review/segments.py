"""Cutting an article body into flat, non-overlapping highlight segments for the page.

Overlapping and nested spans would need nested <mark>s, which break selection and make the
browser's text offsets ambiguous. Instead the body is cut at every span boundary (one sweep over
the sorted boundaries) and each piece lists the spans covering it.
"""

import re
from bisect import bisect_left, bisect_right
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


def render(body: str, segments: Iterable[Segment], attribute: str = "spans") -> SafeString:
    """The body as HTML whose text content is exactly `body`: plain text between flat <mark>s, each naming
    the ids covering it (data-<attribute>). The reviewer's own body is drawn by render_parts instead."""
    parts = []
    for segment in segments:
        text = escape(body[segment.start : segment.end])
        if not segment.covers:
            parts.append(text)
            continue
        ids = " ".join(map(str, segment.covers))
        cue = "".join([CUES.get(label, "") for label in segment.ending])
        cue_attr = f' data-cue="{cue}"' if cue else ""
        parts.append(f'<mark class="{segment.css}" data-{attribute}="{ids}"{cue_attr}>{text}</mark>')
    # html.escape, not Django's (the same result without its lazy-string wrapper, per piece).
    return mark_safe("".join(parts))  # noqa: S308  # nosec B308 B703 - every piece of text above is escaped


# ---- the reviewer's body in parts ---------------------------------------------------------------
# The workspace body is cut into parts (lines, and long lines every PART characters at a space), each
# its own element with an id, so that a save answers with the parts its span covers (htmx out-of-band
# swaps), never the whole body: what a save sends and costs is the same on a long, busy article.
PART = 1000
_LINE_BREAKS = re.compile(r"\n+")


def part_starts(body: str) -> list[int]:
    """Where each part of `body` starts: at every line, and in a line longer than PART characters at
    the first space after each PART characters. Depends on the text alone, so the page and a save agree."""
    lines = [0] + [m.end() for m in _LINE_BREAKS.finditer(body) if m.end() < len(body)]
    starts = []
    for start, end in zip(lines, [*lines[1:], len(body)], strict=True):
        starts.append(start)
        at = start + PART
        while at < end:
            space = body.find(" ", at, end)
            if space < 0:
                break
            starts.append(space)
            at = space + PART
    return starts


def parts_covering(starts: Sequence[int], start: int, end: int) -> range:
    """The indexes of the parts that hold any of [start, end) (at least the part holding `start`)."""
    first = max(0, bisect_right(starts, start) - 1)
    last = max(first, bisect_left(starts, end) - 1)
    return range(first, last + 1)


def render_parts(
    body: str,
    segments: Sequence[Segment],
    starts: Sequence[int],
    which: Iterable[int],
    *,
    cues: bool = True,
    oob: bool = False,
) -> list[tuple[int, SafeString]]:
    """Parts `which` of the body as HTML, each a <span class="part" id="part-N">, marks carrying their start.

    A mark carries only its start (data-offset), not the ids covering it: the page sends each span's range
    once and the script derives a mark's spans, which keeps a page with many overlapping spans small.

    `segments` must cover the parts asked for (cut() of the whole body, or of the spans touching them).
    A mark that crosses a part's end is cut there; its cue goes only after the piece where its span ends.
    `oob`: each part replaces its namesake on the page (an htmx out-of-band swap).
    """
    swap = ' hx-swap-oob="true"' if oob else ""
    bounds = [*starts, len(body)]
    seg_starts = [segment.start for segment in segments]
    out = []
    for index in which:
        left, right = bounds[index], bounds[index + 1]
        pieces = []
        at = max(0, bisect_right(seg_starts, left) - 1)
        while at < len(segments) and segments[at].start < right:
            segment = segments[at]
            at += 1
            start, end = max(segment.start, left), min(segment.end, right)
            if start >= end:
                continue
            text = escape(body[start:end])
            if not segment.covers:
                pieces.append(text)
                continue
            cue = "".join([CUES.get(label, "") for label in segment.ending]) if cues and end == segment.end else ""
            cue_attr = f' data-cue="{cue}"' if cue else ""
            pieces.append(f'<mark class="{segment.css}" data-offset="{start}"{cue_attr}>{text}</mark>')
        # Every piece of text above is escaped.
        html = f'<span class="part" id="part-{index}"{swap}>{"".join(pieces)}</span>'
        out.append((index, mark_safe(html)))  # noqa: S308  # nosec B308 B703
    return out
