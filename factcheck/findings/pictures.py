"""The story page's pictures, built from the facts stored at pre-flag time: the timeline and the outlets-by-facts table.

Each is a small view-model of numbers that pictures_html.py writes as HTML; nothing is extracted or aligned
here. Pre-flagging draws them once and stores the HTML (StoryPictures), so a page reads one row whatever
the story's size; only a page whose articles changed since (an outlet or date edited) builds them from
the facts, and keeps what it built in the cache.
"""

from __future__ import annotations

import hashlib
import json
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from operator import itemgetter
from typing import NamedTuple

from django.core.cache import cache
from django.db.models import Count, Max, TextField
from django.db.models.functions import Cast
from django.urls import reverse

from factcheck.articles.models import Article, Story
from factcheck.findings.models import StoryFact, StoryPictures
from factcheck.findings.pictures_html import MARKUP_VERSION, PicturesHtml, render, written
from factcheck.review.access import can_read, visible_span_filter
from factcheck.review.models import Label, Span

# The SVG's user units: the page scales it to its width; below MIN_WIDTH px it scrolls sideways instead.
WIDTH = 1000
LABEL_W = 190
LABEL_COLUMN = 200  # the lanes' labels, drawn over the plot's left margin (static/css/pictures.css: 20%)
PLOT_L, PLOT_R = LABEL_W + 20, WIDTH - 24
LANE_H = 34
TOP = 34  # the axis and its year labels
POINT_DAYS = 62  # an interval shorter than about two months is drawn as a point
PAD_DAYS = 120
CACHE_TTL = 86400  # a day: the key changes with the facts and articles anyway


_POINT_SHAPES = {"conflicting": "cross", "unsupported": "diamond", "consistent": "dot"}


@dataclass(slots=True)
class Mark:
    """One dated claim on the timeline: a point or a bar, with its open ends shown as arrows."""

    fact: Fact
    agrees: list[int]  # the fact's, decoded (Fact.agrees_json)
    x1: float
    x2: float
    cx: float  # (x1 + x2) / 2, where its lines end
    y: float
    status: str  # "conflicting", "consistent", "unsupported" or "" (compared with nothing)
    point: bool
    open_left: bool
    open_right: bool
    href: str

    @property
    def w(self) -> float:
        return round(self.x2 - self.x1, 1)

    # Shapes as SVG path data, so the markup holds no arithmetic and one element per claim.
    @property
    def shape(self) -> str:
        return _POINT_SHAPES.get(self.status, "small") if self.point else "bar"

    @property
    def d(self) -> str:
        x, y = self.cx, self.y
        if not self.point:
            w = max(self.w, 2)
            path = f"M{self.x1:.1f} {y - 5:.1f}h{w:.1f}v10h{-w:.1f}z"
            if self.open_right:
                path += f"M{self.x2:.1f} {y - 7:.1f}l8 7l-8 7z"
            if self.open_left:
                path += f"M{self.x1:.1f} {y - 7:.1f}l-8 7l8 7z"
            return path
        if self.status == "conflicting":
            return f"M{x - 5:.1f} {y - 5:.1f}l10 10m0 -10l-10 10"
        if self.status == "unsupported":
            return f"M{x:.1f} {y - 6:.1f}l6 6l-6 6l-6 -6z"
        r = 5 if self.status == "consistent" else 3.5
        return f"M{x - r:.1f} {y:.1f}a{r} {r} 0 1 0 {2 * r} 0a{r} {r} 0 1 0 {-2 * r} 0z"


@dataclass(slots=True)
class SpanMark:
    x: float
    y: float
    href: str
    title: str


@dataclass(slots=True)
class Link:
    x1: float
    y1: float
    x2: float
    y2: float
    conflict: bool
    href: str
    title: str


@dataclass(slots=True)
class Lane:
    y: float
    label: str
    short: str  # the label in a phone's narrower column of labels
    sub: str
    href: str


@dataclass(slots=True)
class Tick:
    x: float
    label: str


@dataclass
class Timeline:
    lanes: list[Lane]
    marks: list[Mark]
    links: list[Link]
    ticks: list[Tick]
    height: float
    width: int = WIDTH
    plot_left: int = PLOT_L
    plot_right: int = PLOT_R
    label_column: int = LABEL_COLUMN

    @property
    def empty(self) -> bool:
        return not self.marks


@dataclass(slots=True)
class CellFact:
    value: str
    sentence: str
    href: str


@dataclass(slots=True)
class Cell:
    facts: list[CellFact] | tuple[()]
    conflicting: bool
    unsupported: bool

    @property
    def empty(self) -> bool:
        return not self.facts

    @property
    def kind(self) -> str:
        return "conflicting" if self.conflicting else ("unsupported" if self.unsupported else "consistent")


# The cell of every article that says nothing of a row's matter (its facts a tuple, so none is added).
NOT_SAID = Cell((), False, False)


@dataclass
class Row:
    topic: str
    kind: str
    cells: list[Cell]
    conflicting: bool


@dataclass
class Pair:
    """A possible conflict between two articles' facts, for the list that links to the compare view."""

    left: Fact
    right: Fact
    left_name: str
    right_name: str
    href: str
    more: int = 0  # other pairs of articles that differ the same way


@dataclass
class Pictures:
    timeline: Timeline
    rows: list[Row]
    articles: list[Article]
    pairs: list[Pair]


class _Urls:
    """Article and compare addresses. The article address is reversed once and the pk put in its place
    (the path's int converter writes str(pk)): 50 reverses through the resolver took ~0.5 ms of a rebuild."""

    _PLACEHOLDER = 987654321987654321  # no article's pk

    def __init__(self):
        self._articles: dict[int, str] = {}
        self._around = reverse("article-detail", args=[self._PLACEHOLDER]).split(str(self._PLACEHOLDER))

    def article(self, pk: int) -> str:
        url = self._articles.get(pk)
        if url is None:
            if len(self._around) == 2:
                url = f"{self._around[0]}{pk}{self._around[1]}"
            else:  # the number appears elsewhere in the address too: reverse this one
                url = reverse("article-detail", args=[pk])
            self._articles[pk] = url
        return url

    def at(self, fact) -> str:
        """A passage on the article page: its script selects and scrolls to code points [start, end)."""
        return f"{self.article(fact.article_id)}#at-{fact.start}-{fact.end}"

    def compare(self, fact, other) -> str:
        return f"{self.article(fact.article_id)}compare/?with={other.article_id}#at-{fact.start}-{fact.end}"


class LazyPictures:
    """The story page's pictures for one reader: the stored HTML, and the reader's own spans drawn over it.

    Two queries (when the stored pictures were drawn, and the spans the reader may see, for the blind
    phase) when the pictures were drawn for the story's articles as they are and this process has read
    that drawing before; a third reads its HTML the first time. Otherwise (drawn for other articles, or
    never) when the facts were computed (a third) and the facts themselves (a fourth) when nothing built
    from them is cached yet. The reader's spans are drawn per request over the timeline, from the marks'
    stored positions.
    """

    def __init__(self, *, story: Story, user, articles: list[Article]):
        self.story, self.user, self.articles = story, user, articles
        self.spans: list[tuple] = []
        self._drawn_at = None
        if not can_read(user):
            return
        self.key = _lanes_key(articles)
        self._drawn_at = (
            StoryPictures.objects.filter(story=story, key=self.key).values_list("drawn_at", flat=True).first()
        )
        self.spans = list(
            Span.objects.filter(article__story=story)
            .filter(visible_span_filter(story_id=story.pk, user=user))
            .order_by("pk")
            .values_list("pk", "article_id", "start", "end", "label", "quote", "reviewer__username")
        )

    @cached_property
    def _drawing(self) -> tuple[PicturesHtml, list]:
        if not can_read(self.user):
            return render(_empty()), []
        if self._drawn_at is not None:
            # Kept in the cache too: 330 KB of text read from PostgreSQL on every view cost ~3 ms.
            key = f"story-pictures-drawn:{self.story.pk}:{self._drawn_at.isoformat()}"
            found = cache.get(key)
            if found is None:
                row = StoryPictures.objects.filter(story=self.story).values_list(*PICTURES_FIELDS, "positions").first()
                if row is not None:  # else the story went meanwhile: drawn from its facts (none) below
                    *parts, positions = row
                    html = PicturesHtml(*(written(p) if isinstance(p, str) else p for p in parts))
                    found = html, positions
                    cache.set(key, found, CACHE_TTL)
            if found is not None:
                return found
        # Drawn for other articles, or never: build from the facts, once per change of facts or articles.
        stamp = StoryFact.objects.filter(story=self.story).aggregate(last=Max("computed_at"), count=Count("pk"))
        key = f"story-pictures:{self.story.pk}-{hashlib.sha256(repr((stamp, self.key)).encode()).hexdigest()}"
        found = cache.get(key)
        if found is None:
            built = _build(self.story, self.articles) if stamp["count"] else _empty(self.articles)
            found = render(built), _positions(built)
            cache.set(key, found, CACHE_TTL)
        return found

    @property
    def html(self) -> PicturesHtml:
        return self._drawing[0]

    @property
    def timeline_width(self) -> int:
        return WIDTH

    @property
    def timeline_height(self) -> float:
        return _timeline_height(len(self.articles))

    @cached_property
    def span_marks(self) -> list[SpanMark]:
        """A small triangle under each dated claim that one of the reader's visible spans holds."""
        if not self.spans:
            return []
        labels = dict(Label.choices)
        urls = _Urls()
        by_article: dict[int, list[tuple]] = {}
        for article_id, start, end, x, y in self._drawing[1]:
            by_article.setdefault(article_id, []).append((start, end, x, y))
        marks = []
        for _pk, article_id, start, end, label, quote, reviewer in self.spans:
            for fact_start, fact_end, x, y in by_article.get(article_id, []):
                if start <= fact_start and fact_end <= end:
                    title = f"{reviewer}: {labels.get(label, label)} — “{quote[:120]}”"
                    marks.append(SpanMark(x, y + 10, f"{urls.article(article_id)}#at-{start}-{end}", title))
        return marks


PICTURES_FIELDS = ("pair_count", "pairs", "timeline", "table_head", "table_rows")


def story_articles(story: Story) -> list[Article]:
    """The story's articles in the order the pictures draw them (lanes, columns) and the story page lists them."""
    return list(story.articles.only("pk", "story_id", "title", "outlet", "published").order_by("published", "pk"))


def store_pictures(*, story: Story) -> None:
    """Draw the story's pictures from its stored facts and keep the HTML: called by story_preflag, in its
    transaction, right after it stored the facts."""
    articles = story_articles(story)
    built = _build(story, articles)
    html = render(built)
    fields = {name: getattr(html, name) for name in PICTURES_FIELDS}
    StoryPictures.objects.update_or_create(
        story=story, defaults={"key": _lanes_key(articles), "positions": _positions(built), **fields}
    )


def _lanes_key(articles: list[Article]) -> str:
    """What stored pictures depend on besides the facts: the articles as lanes and columns, and the markup."""
    lanes = [(a.pk, a.title, a.outlet, a.published) for a in articles]
    return hashlib.sha256(repr((MARKUP_VERSION, lanes)).encode()).hexdigest()


def _empty(articles: list[Article] | None = None) -> Pictures:
    articles = articles or []
    urls = _Urls()
    return Pictures(_timeline(articles, [], urls), [], articles, [])


def _positions(built: Pictures) -> list[list]:
    """Where each passage's mark is, once per passage: [article id, start, end, x, y]."""
    places = {(m.fact.article_id, m.fact.start, m.fact.end): (m.cx, m.y) for m in built.timeline.marks}
    return [[*passage, *place] for passage, place in places.items()]


def story_pictures(*, story: Story, user, articles: list[Article]) -> LazyPictures:
    """The timeline, the table and the possible conflicts of `story` for `user` (see LazyPictures)."""
    return LazyPictures(story=story, user=user, articles=articles)


class Fact(NamedTuple):
    """What the pictures read of a stored fact (StoryFact): a tuple rather than a model instance."""

    index: int
    article_id: int
    kind: str
    start: int
    end: int
    quote: str
    sentence: str
    low: float | None
    high: float | None
    value: str
    topic: str
    status: str
    matter: int | None
    agrees_json: str  # only the timeline reads it, for its marks: decoded there (Mark.agrees)
    conflicts: list[int]


def _facts(story: Story) -> list[Fact]:
    """The story's facts in index order. `conflicts` comes as its JSON text, decoded here in one json.loads
    for all the facts: decoding 1,100 small arrays one by one through JSONField (with `agrees`) was most
    of the rebuild's query (about 20,000 indices)."""
    rows = list(
        StoryFact.objects.filter(story=story)
        .order_by("index")
        .annotate(agrees_json=Cast("agrees", TextField()), conflicts_json=Cast("conflicts", TextField()))
        .values_list(*Fact._fields[:-1], "conflicts_json")
    )
    conflicts = _json_lists([row[-1] for row in rows])
    return [Fact(*row[:-1], found) for row, found in zip(rows, conflicts, strict=True)]


def _json_lists(texts: list[str]) -> list[list]:
    """Each JSON array text decoded, in one json.loads."""
    return json.loads("[" + ",".join(texts) + "]")


def _build(story: Story, articles: list[Article]) -> Pictures:
    facts = _facts(story)
    urls = _Urls()
    return Pictures(
        timeline=_timeline(articles, facts, urls),
        rows=_rows(articles, facts, urls),
        articles=articles,
        pairs=_pairs(facts, urls, {a.pk: a.outlet or a.title for a in articles}),
    )


def _pairs(facts: list[Fact], urls: _Urls, names: dict[int, str]) -> list[Pair]:
    """One entry per two values of a matter that cannot both hold, with how many other pairs say the same:
    fifty articles split 43 to 7 on a date are one line to read, not 301."""
    by_index = {fact.index: fact for fact in facts}
    pairs: dict[tuple, Pair] = {}
    for fact in facts:
        index, matter, value = fact.index, fact.matter, fact.value
        for other_index in fact.conflicts:
            if other_index < index:  # the pair is met from its other fact, which comes first
                continue
            other = by_index.get(other_index)
            if other is None:
                continue
            key = (matter, value, other.value) if value <= other.value else (matter, other.value, value)
            pair = pairs.get(key)
            if pair is not None:
                pair.more += 1
                continue
            left, right = names.get(fact.article_id, ""), names.get(other.article_id, "")
            pairs[key] = Pair(fact, other, left, right, urls.compare(fact, other))
    return list(pairs.values())


def _rows(articles: list[Article], facts: list[Fact], urls: _Urls) -> list[Row]:
    """One row per matter: the facts aligned with each other, or an unsupported fact alone."""
    columns = {article.pk: n for n, article in enumerate(articles)}
    matters: dict[int, list[Fact]] = {}
    for fact in facts:
        if fact.matter is not None and fact.article_id in columns:
            matters.setdefault(fact.matter, []).append(fact)
    keyed = []
    for members in matters.values():
        cells = [NOT_SAID] * len(articles)  # most articles say nothing of most matters: one cell for them all
        said = 0
        for fact in members:
            n = columns[fact.article_id]
            cell = cells[n]
            if cell is NOT_SAID:
                cell = cells[n] = Cell([], False, False)
                said += 1
            cell.facts.append(CellFact(fact.value, fact.sentence, urls.at(fact)))
            cell.conflicting = cell.conflicting or bool(fact.conflicts)
            cell.unsupported = cell.unsupported or fact.status == "unsupported"
        topics = Counter(fact.topic for fact in members)
        topic = max(topics, key=lambda t: (topics[t], ":" in t, -len(t)))
        conflicting = any(fact.conflicts for fact in members)
        # Conflicts first, then agreements, then what only one article says; within each, by topic.
        keyed.append(
            ((not conflicting, said < 2, members[0].kind, topic), Row(topic, members[0].kind, cells, conflicting))
        )
    keyed.sort(key=itemgetter(0))
    return [row for _key, row in keyed]


def _timeline_height(lanes: int) -> float:
    return TOP + 12 + lanes * LANE_H + 8


def _short(text: str, size: int) -> str:
    return text if len(text) <= size else text[: size - 1].rstrip() + "…"


def _year_ticks(low: int, high: int, scale) -> list[Tick]:
    first, last = date.fromordinal(low).year, date.fromordinal(high).year
    step = max(1, (last - first + 1) // 8)
    return [
        Tick(scale(date(year, 1, 1).toordinal()), str(year))
        for year in range(first, last + 2, step)
        if low <= date(year, 1, 1).toordinal() <= high
    ]


def _links(marks: list[Mark], urls: _Urls) -> list[Link]:
    """The lines joining one matter's claims across lanes: a chain in lane order, not every pair, so a
    matter forty articles agree on is forty lines, not 780; and from each claim a line to the nearest
    claim of each value it conflicts with, so every kind of conflict shows whatever the lanes' order."""
    by_matter: dict[int, list[Mark]] = {}
    where: dict[int, tuple[float, str, Mark]] = {}  # by fact index: its lane, its value, its mark
    for mark in marks:
        where[mark.fact.index] = (mark.y, mark.fact.value, mark)
        if mark.fact.matter is not None:
            by_matter.setdefault(mark.fact.matter, []).append(mark)
    links, joined = [], set()
    by_conflicts: dict[tuple[int, ...], list] = {}  # a list of conflicts: its claims by value (_by_value)

    def join(a: Mark, b: Mark, conflict: bool) -> None:
        i, j = a.fact.index, b.fact.index
        key = (i, j) if i < j else (j, i)
        if key in joined:
            return
        joined.add(key)
        verb = "cannot both hold" if conflict else ("agree" if j in a.agrees else "are about the same")
        title = f"“{a.fact.quote}” and “{b.fact.quote}” {verb}"
        links.append(Link(a.cx, a.y, b.cx, b.y, conflict, urls.compare(a.fact, b.fact), title))

    for members in by_matter.values():
        members.sort(key=lambda m: (m.y, m.fact.index))
        for a, b in zip(members, members[1:], strict=False):
            if a.fact.article_id != b.fact.article_id:
                join(a, b, b.fact.index in a.fact.conflicts)
        for mark in members:
            # Each value it cannot agree with, once: the nearest claim giving that value (of those as near,
            # the first in its list of conflicts). The claims of a value with the same conflicts share
            # them: the lanes of each value are sorted once and each claim bisects them.
            conflicts = tuple(mark.fact.conflicts)
            values = by_conflicts.get(conflicts)
            if values is None:
                values = by_conflicts[conflicts] = _by_value([where[i] for i in conflicts if i in where])
            y = mark.y
            for ys, claims in values:
                k = bisect_left(ys, y)
                nearest = claims[k] if k < len(ys) else None
                if k:
                    below = claims[bisect_left(ys, ys[k - 1])]
                    if nearest is None or (abs(below[0] - y), below[1]) < (abs(nearest[0] - y), nearest[1]):
                        nearest = below
                join(mark, nearest[2], True)
    return links


def _by_value(conflicting: list[tuple[float, str, Mark]]) -> list[tuple[list[float], list[tuple[float, int, Mark]]]]:
    """The claims one claim conflicts with, grouped by value in the order the values first come: each
    group's claims as (lane, place in the list of conflicts, mark) sorted, and their lanes alone to bisect."""
    groups: dict[str, list[tuple[float, int, Mark]]] = {}
    for place, (y, value, mark) in enumerate(conflicting):
        groups.setdefault(value, []).append((y, place, mark))
    values = []
    for claims in groups.values():
        claims.sort(key=itemgetter(0, 1))
        values.append(([claim[0] for claim in claims], claims))
    return values


def _timeline(articles: list[Article], facts: list[Fact], urls: _Urls) -> Timeline:
    dated = [f for f in facts if f.kind == "date" and (f.low is not None or f.high is not None)]
    lanes_y = {article.pk: TOP + 12 + n * LANE_H + LANE_H / 2 for n, article in enumerate(articles)}
    lanes = [
        Lane(
            lanes_y[article.pk],
            _short(article.outlet or article.title, 26),
            _short(article.outlet or article.title, 16),
            article.published.strftime("%-d %b %Y") if article.published else "no date",
            urls.article(article.pk),
        )
        for article in articles
    ]
    height = _timeline_height(len(articles))
    dated = [f for f in dated if f.article_id in lanes_y]
    if not dated:
        return Timeline(lanes, [], [], [], height)
    bounds = [v for f in dated for v in (f.low, f.high) if v is not None]
    low, high = int(min(bounds)) - PAD_DAYS, int(max(bounds)) + PAD_DAYS

    def scale(day: float) -> float:
        return round(PLOT_L + (day - low) / (high - low) * (PLOT_R - PLOT_L), 1)

    marks = []
    for fact, agrees in zip(dated, _json_lists([f.agrees_json for f in dated]), strict=True):
        x1 = scale(fact.low) if fact.low is not None else PLOT_L
        x2 = scale(fact.high + 1) if fact.high is not None else PLOT_R
        point = fact.low is not None and fact.high is not None and fact.high - fact.low < POINT_DAYS
        if point:
            x1 = x2 = round((x1 + x2) / 2, 1)
        status = "conflicting" if fact.conflicts else ("consistent" if agrees else fact.status)
        mark = Mark(
            fact,
            agrees,
            x1,
            x2,
            (x1 + x2) / 2,
            lanes_y[fact.article_id],
            status,
            point,
            fact.low is None,
            fact.high is None,
            urls.at(fact),
        )
        marks.append(mark)
    links = _links(marks, urls)
    # Conflicts drawn last, so they lie on top of agreements.
    links.sort(key=lambda link: link.conflict)
    return Timeline(lanes, marks, links, _year_ticks(low, high, scale), height)
