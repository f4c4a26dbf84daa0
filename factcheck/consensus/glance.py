"""Agreement at a glance: verdicts per reviewer per label, each article's alpha with a bootstrap interval,
and pairwise agreement between reviewers on the claims both marked. Plain numbers for the charts' templates.

The interval is ours: claim groups are resampled with replacement (a seeded generator, so a page reads
the same twice) and nominal alpha is recomputed from the coincidence matrix of each sample, all samples
at once with numpy, since calling the krippendorff package a thousand times per article would be slow.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import combinations

import numpy as np

from factcheck.consensus.agreement import Agreement, alpha_nominal
from factcheck.review.models import Label, Span
from factcheck.review.rules import Vote, reviewer_votes
from factcheck.review.segments import CUES

SAMPLES = 1000
MIN_UNITS = 5  # fewer claims marked by two reviewers than this: no interval, a note instead
BAR_W = 600  # the stacked bars' length in SVG units
AXIS_LOW = -0.5  # alpha's axis runs from here to 1 (lower alphas sit at the left edge, with their number)

# article_id, group_id, reviewer_id, label, start, end, reviewer name
GlanceRow = tuple[int, int | None, int, str, int, int, str]


@dataclass
class Segment:
    label: str
    name: str
    count: int
    x: float
    w: float


@dataclass
class ReviewerBar:
    name: str
    segments: list[Segment]
    total: int
    y: float


@dataclass
class ArticleAlpha:
    article: object
    agreement: Agreement
    low: float | None = None
    high: float | None = None
    note: str = ""
    y: float = 0

    @property
    def x(self) -> float | None:
        return _axis(self.agreement.alpha) if self.agreement.alpha is not None else None

    @property
    def x_low(self) -> float | None:
        return _axis(self.low) if self.low is not None else None

    @property
    def x_high(self) -> float | None:
        return _axis(self.high) if self.high is not None else None


@dataclass
class PairCell:
    shared: int
    same: int
    self_cell: bool = False

    @property
    def share(self) -> float | None:
        return self.same / self.shared if self.shared else None

    @property
    def percent(self) -> str:
        return f"{round(100 * self.share)}%" if self.share is not None else "–"

    @property
    def band(self) -> int:
        """0 to 4, for the cell's shade; the number is always printed in it."""
        return -1 if self.share is None else min(4, int(self.share * 5))


@dataclass
class Glance:
    bars: list[ReviewerBar]
    labels: list[tuple[str, str, str]]
    alphas: list[ArticleAlpha]
    reviewers: list[str]
    matrix: list[tuple[str, list[PairCell]]]
    bar_width: int = BAR_W
    ticks: list[tuple[float, str]] = field(default_factory=list)

    @property
    def bars_height(self) -> int:
        return 24 * len(self.bars) + 8

    @property
    def alphas_height(self) -> int:
        return 26 * len(self.alphas) + 30

    @property
    def empty(self) -> bool:
        return not self.bars


def _axis(value: float) -> float:
    clipped = min(1.0, max(AXIS_LOW, value))
    return round((clipped - AXIS_LOW) / (1 - AXIS_LOW) * BAR_W, 1)


def _coincidences(paired: list[dict]) -> tuple[np.ndarray, int]:
    """Each unit's coincidences (Krippendorff 2011): every ordered pair of its values, weighted 1/(m-1)."""
    values = sorted({label for unit in paired for label in unit.values()})
    code = {label: n for n, label in enumerate(values)}
    size = len(values)
    per_unit = np.zeros((len(paired), size * size))
    for row, unit in enumerate(paired):
        labels = [code[label] for label in unit.values()]
        weight = 1 / (len(labels) - 1)
        for i in range(len(labels)):
            for j in range(len(labels)):
                if i != j:
                    per_unit[row, labels[i] * size + labels[j]] += weight
    return per_unit, size


def _alphas(per_unit: np.ndarray, size: int, weights: np.ndarray) -> np.ndarray:
    """Nominal alpha for each row of `weights` (how many times each unit is drawn); NaN where undefined."""
    coincidences = (weights @ per_unit).reshape(len(weights), size, size)
    totals = coincidences.sum(axis=2)
    n = totals.sum(axis=1)
    observed = n - np.trace(coincidences, axis1=1, axis2=2)
    expected = n**2 - (totals**2).sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(expected > 0, 1 - (n - 1) * observed / expected, np.nan)


def coincidence_alpha(units: list[dict]) -> float | None:
    """Nominal alpha by the same arithmetic as the interval, each unit drawn once (checked against the package)."""
    paired = [unit for unit in units if len(unit) >= 2]
    if not paired:
        return None
    per_unit, size = _coincidences(paired)
    value = _alphas(per_unit, size, np.ones((1, len(paired))))[0]
    return None if np.isnan(value) else float(value)


def bootstrap_interval(units: list[dict], *, samples: int = SAMPLES, seed: int = 0) -> tuple[float, float] | None:
    """A 95% percentile interval for nominal alpha over `units` (reviewer -> label), or None when there
    are fewer than MIN_UNITS paired units or no sample has any variation."""
    paired = [unit for unit in units if len(unit) >= 2]
    if len(paired) < MIN_UNITS:
        return None
    per_unit, size = _coincidences(paired)
    rng = np.random.default_rng(seed)
    weights = rng.multinomial(len(paired), np.full(len(paired), 1 / len(paired)), size=samples)
    alphas = _alphas(per_unit, size, weights)
    alphas = alphas[~np.isnan(alphas)]
    if not len(alphas):
        return None
    low, high = np.percentile(alphas, [2.5, 97.5])
    return float(low), float(high)


def glance(rows: Iterable[GlanceRow], articles: list) -> Glance:
    """The three charts' numbers from the story's span rows (no queries)."""
    rows = list(rows)
    names = {reviewer_id: name for _a, _g, reviewer_id, _l, _s, _e, name in rows}
    labels = [(value, name, CUES[value]) for value, name in Label.choices]

    counts: dict[int, Counter] = defaultdict(Counter)
    for _a, _g, reviewer_id, label, _s, _e, _n in rows:
        counts[reviewer_id][label] += 1
    ordered = sorted(counts, key=lambda r: names[r])
    most = max((sum(c.values()) for c in counts.values()), default=1)
    bars = []
    for n, reviewer_id in enumerate(ordered):
        x, segments = 0.0, []
        for value, name, _cue in labels:
            count = counts[reviewer_id][value]
            w = round(count / most * BAR_W, 1)
            segments.append(Segment(value, name, count, x, w))
            x += w
        bars.append(ReviewerBar(names[reviewer_id], segments, sum(counts[reviewer_id].values()), 4 + n * 24))

    by_group: dict[tuple[int, int], list[Vote]] = defaultdict(list)
    for article_id, group_id, reviewer_id, label, start, end, _n in rows:
        if group_id is not None:
            by_group[(article_id, group_id)].append(Vote(reviewer_id, label, start, end))
    units: dict[int, list[dict]] = defaultdict(list)
    for (article_id, _group), votes in sorted(by_group.items()):
        units[article_id].append(reviewer_votes(votes))

    alphas = []
    for n, article in enumerate(articles):
        article_units = units.get(article.pk, [])
        agreement = alpha_nominal(article_units)
        interval = bootstrap_interval(article_units) if agreement.alpha is not None else None
        note = ""
        if agreement.alpha is None:
            note = agreement.note
        elif interval is None:
            note = f"too few claims for an interval ({agreement.units}; {MIN_UNITS} needed)"
        low, high = interval if interval else (None, None)
        alphas.append(ArticleAlpha(article, agreement, low, high, note, 30 + n * 26))

    pair_counts: dict[tuple[int, int], list[int]] = defaultdict(lambda: [0, 0])
    for article_units in units.values():
        for unit in article_units:
            for a, b in combinations(sorted(unit), 2):
                pair_counts[(a, b)][0] += 1
                pair_counts[(a, b)][1] += unit[a] == unit[b]
    matrix = []
    for a in ordered:
        cells = []
        for b in ordered:
            shared, same = pair_counts.get((min(a, b), max(a, b)), [0, 0])
            cells.append(PairCell(shared, same, a == b))
        matrix.append((names[a], cells))
    ticks = [(_axis(v), f"{v:g}") for v in (-0.5, 0, 0.5, 0.667, 0.8, 1)]
    return Glance(bars, labels, alphas, [names[r] for r in ordered], matrix, ticks=ticks)


def story_glance(*, story, articles: list) -> Glance:
    """For pages that have not read the story's spans already (the desk): one query."""
    rows = Span.objects.filter(article__story=story).values_list(
        "article_id", "group_id", "reviewer_id", "label", "start", "end", "reviewer__username"
    )
    return glance(rows, articles)
