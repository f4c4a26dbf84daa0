"""The story page's pictures as HTML, written from Python rather than by template loops.

A story of 50 articles draws about 1,600 SVG elements and table cells. Django's template engine
resolves every `{{ }}` through the context stack and localizes every number, which made the first view
after a pre-flag 8-11x the page without pictures; writing the same markup here with f-strings takes a
tenth of that. Every text that comes from an article (outlets, titles, quotes, sentences, values,
topics) goes through `escape`, exactly as the template's autoescape did; numbers and the addresses
built from primary keys need none. The static parts (headings, legend, captions) stay in
templates/findings/_pictures.html.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING

from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

if TYPE_CHECKING:
    from factcheck.findings.pictures import Cell, Lane, Pair, Pictures, Row, Timeline

_NOT_SAID = '<td class="none"><span aria-hidden="true">—</span><span class="visually-hidden">not said</span></td>'
# What a screen reader hears before a cell's value; the shape says it to the eye.
_FLAGS = {
    "conflicting": '<span class="cell-flag"><span class="shape-conflicting" aria-hidden="true"></span>'
    '<span class="visually-hidden">possible conflict:</span></span> ',
    "unsupported": '<span class="cell-flag"><span class="shape-unsupported" aria-hidden="true"></span>'
    '<span class="visually-hidden">possibly unsupported:</span></span> ',
    "consistent": "",
}
_HATCH = (
    '<defs><pattern id="hatch-conflict" width="6" height="6" patternUnits="userSpaceOnUse" '
    'patternTransform="rotate(45)"><rect class="hatch-bg" width="6" height="6"/>'
    '<line class="hatch" x1="0" y1="0" x2="0" y2="6"/></pattern></defs>'
)


def _truncated(text: str, length: int) -> str:
    """Truncator(text).chars(length), without its lazy object and translated ellipsis for the texts short
    enough to keep whole (most outlets), which it returns in the NFC form it counts."""
    whole = unicodedata.normalize("NFC", text)
    return whole if len(whole) <= length else Truncator(text).chars(length)


# Raise when the markup below changes: pictures stored before are then drawn again on their next view.
MARKUP_VERSION = 1


@dataclass
class PicturesHtml:
    """What the template places: each part already escaped and marked safe (stored as StoryPictures)."""

    pair_count: int
    pairs: SafeString
    timeline: SafeString
    table_head: SafeString
    table_rows: SafeString

    @property
    def timeline_empty(self) -> bool:
        return not self.timeline


def render(pictures: Pictures) -> PicturesHtml:
    return PicturesHtml(
        pair_count=len(pictures.pairs),
        pairs=written("".join(_pair(p) for p in pictures.pairs)),
        timeline=written("" if pictures.timeline.empty else _timeline(pictures.timeline)),
        table_head=written("".join(_column(a) for a in pictures.articles)),
        table_rows=written("\n".join(_row(row) for row in pictures.rows)),
    )


def written(html: str) -> SafeString:
    """Markup this module wrote (now, or stored in StoryPictures when the story was pre-flagged)."""
    return mark_safe(html)  # noqa: S308  # nosec B308 B703 - every text in it went through escape() here


def _pair(p: Pair) -> str:
    more = ""
    if p.more:
        more = (
            f' <span class="meta">(and {p.more} more pair{"" if p.more == 1 else "s"} '
            "of articles that differ the same way)</span>"
        )
    return (
        '<li><span class="shape-cross" aria-hidden="true"></span> '
        f"<strong>{escape(_truncated(p.left_name, 40))}</strong> “{escape(p.left.quote)}” "
        f"({escape(p.left.value)}) against <strong>{escape(_truncated(p.right_name, 40))}</strong> "
        f"“{escape(p.right.quote)}” ({escape(p.right.value)}) — "
        f'<a href="{p.href}">compare side by side</a>{more}</li>'
    )


def _timeline(t: Timeline) -> str:
    """Two SVGs of the same height stacked in one grid cell: the plot, and over its left edge the lanes'
    labels, which stay in view (CSS `position: sticky`) when a phone scrolls the plot sideways."""
    h = t.height
    out = [
        f'<svg class="timeline-svg" viewBox="0 0 {t.width} {h}" role="group" '
        'aria-labelledby="timeline-title" aria-describedby="timeline-caption">',
        _HATCH,
        '<g class="axis">',
    ]
    add = out.append
    for tick in t.ticks:
        add(
            f'<line class="tick" x1="{tick.x}" y1="24" x2="{tick.x}" y2="{h}"/>'
            f'<text class="tick-label" x="{tick.x}" y="18">{tick.label}</text>'
        )
    add('</g><g class="lanes">')
    for lane in t.lanes:
        add(f'<line class="lane" x1="{t.plot_left}" y1="{lane.y}" x2="{t.plot_right}" y2="{lane.y}"/>')
    add('</g><g class="links">')
    for link in t.links:
        kind = "k-conflicting" if link.conflict else "k-consistent"
        add(
            f'<a href="{link.href}" class="link {kind}"><title>{escape(link.title)}</title>'
            f'<line x1="{link.x1}" y1="{link.y1}" x2="{link.x2}" y2="{link.y2}"/></a>'
        )
    add('</g><g class="marks">')
    for m in t.marks:
        f = m.fact
        d = m.d
        add(
            f'<a href="{m.href}" class="mark k-{m.status}" data-fact="{f.index}" data-article="{f.article_id}" '
            f'data-start="{f.start}" data-end="{f.end}"><title>{escape(f.value)}: {escape(f.sentence)}</title>'
            f'<path class="hit" d="{d}"/><path class="m-{m.shape}" d="{d}"/></a>'
        )
    add("</g></svg>")
    out.append(_labels(t.lanes, t.label_column, h))
    return "".join(out)


def _labels(lanes: list[Lane], width: int, height: float) -> str:
    """The lanes' outlets and dates, in a narrow SVG of the plot's scale laid over its left margin."""
    out = [
        f'<svg class="timeline-labels" viewBox="0 0 {width} {height}" preserveAspectRatio="xMinYMin slice" '
        f'role="group" aria-label="Articles"><rect class="labels-bg" width="{width}" height="{height}"/>'
    ]
    for lane in lanes:
        label = escape(lane.label)
        if lane.short != lane.label:  # CSS shows one of the two
            label = f'<tspan class="label-long">{label}</tspan><tspan class="label-short">{escape(lane.short)}</tspan>'
        out.append(
            f'<a href="{lane.href}"><text class="lane-label" x="8" y="{lane.y}">{label}'
            f'<tspan class="lane-date" x="8" dy="12">{escape(lane.sub)}</tspan></text></a>'
        )
    out.append("</svg>")
    return "".join(out)


def _column(article) -> str:
    name = escape(_truncated(article.outlet or article.title, 28))
    if article.published:
        return f'<th scope="col">{name}<br><span class="meta">{article.published:%-d %b %Y}</span></th>'
    return f'<th scope="col">{name}</th>'


def _cell(c: Cell) -> str:
    if not c.facts:
        return _NOT_SAID
    values = "; ".join(f'<a href="{f.href}">{escape(f.value)}</a>' for f in c.facts)
    return f'<td class="k-{c.kind}">{_FLAGS[c.kind]}{values}</td>'


def _row(row: Row) -> str:
    cls = ' class="conflicting"' if row.conflicting else ""
    cells = "".join(_cell(c) for c in row.cells)
    return f'<tr{cls}><th scope="row">{escape(row.topic)}</th>{cells}</tr>'
