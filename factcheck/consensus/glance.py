"""Agreement at a glance: verdicts per reviewer per label, each article's alpha with a bootstrap interval,
and pairwise agreement between reviewers on the claims both marked. Plain numbers for the charts' templates.

The interval is ours: claim groups are resampled with replacement (a seeded generator, so a page reads
the same twice) and nominal alpha is recomputed for each sample from the coincidence matrix's margins and
diagonal, summed from per-claim arrays: all samples at once with numpy, no Python loop per sample or per
span, since calling the krippendorff package a thousand times per article would take seconds. The page
shows it right after every verdict change, so it has to be cheap cold (bench/consensus.py).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import combinations

import numpy as np

from factcheck.consensus.agreement import Agreement, StoryAgreement, alpha_nominal, units_from_rows
from factcheck.review.models import Label, Span
from factcheck.review.segments import CUES

SAMPLES = 1000  # bootstrap samples per article: enough for steady 2.5% and 97.5% percentiles
BLOCK = 1 << 20  # unit indices drawn at once (8 MB); more units than this per sample: a row at a time
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


def unit_arrays(paired: list[dict]) -> tuple[np.ndarray, np.ndarray]:
    """What nominal alpha needs of each unit, as arrays: how many of its values carry each label (units x
    labels, integers) and the coincidences of its values with their own label, sum_c n_c (n_c - 1) / (m - 1).

    Summed over the units, the first gives the coincidence matrix's margins n_c (each value pairs with the
    unit's m - 1 others, weight 1 / (m - 1)), the second its diagonal: all that nominal alpha reads of it.
    """
    values = sorted({label for unit in paired for label in unit.values()}, key=str)
    code = {label: n for n, label in enumerate(values)}
    unit_of = [row for row, unit in enumerate(paired) for _ in unit]
    label_of = [code[label] for unit in paired for label in unit.values()]
    size = max(len(values), 1)
    counts = np.bincount(
        np.array(unit_of, dtype=np.int64) * size + np.array(label_of, dtype=np.int64), minlength=len(paired) * size
    ).reshape(len(paired), size)
    pairable = counts.sum(axis=1)
    diagonal = (counts * (counts - 1)).sum(axis=1) / np.maximum(pairable - 1, 1)
    return counts, diagonal


def _alphas(margins: np.ndarray, agreeing: np.ndarray) -> np.ndarray:
    """Nominal alpha for each row: `margins` are the coincidence matrix's n_c (rows x labels), `agreeing`
    its diagonal's sum; NaN where alpha is undefined (no variation).

    Krippendorff (2011): alpha = 1 - (n - 1) (n - sum_c o_cc) / (n^2 - sum_c n_c^2).
    """
    n = margins.sum(axis=1)
    expected = n * n - (margins * margins).sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(expected > 0, 1 - (n - 1) * (n - agreeing) / expected, np.nan)


def resamples(units: int, *, samples: int = SAMPLES, seed: int = 0) -> Iterator[np.ndarray]:
    """The bootstrap's draws: `samples` rows of `units` unit indices drawn with replacement, from a
    generator seeded with `seed`, handed out a block of rows at a time so memory stays bounded."""
    rng = np.random.default_rng(seed)
    block = max(1, BLOCK // units)
    for first in range(0, samples, block):
        yield rng.integers(0, units, size=(min(block, samples - first), units))


def _drawn_alphas(by_label: np.ndarray, diagonal: np.ndarray, draws: np.ndarray) -> np.ndarray:
    """Alpha of each row of `draws`: the drawn units' arrays summed row by row, one gather per label
    (`by_label` is unit_arrays' counts transposed, labels x units)."""
    margins = np.stack([np.take(column, draws).sum(axis=1) for column in by_label], axis=1)
    return _alphas(margins, np.take(diagonal, draws).sum(axis=1))


def coincidence_alpha(units: list[dict]) -> float | None:
    """Nominal alpha by the same arithmetic as the interval, each unit drawn once (checked against the package)."""
    paired = [unit for unit in units if len(unit) >= 2]
    if not paired:
        return None
    counts, diagonal = unit_arrays(paired)
    value = _alphas(counts.sum(axis=0, keepdims=True), diagonal.sum(keepdims=True))[0]
    return None if np.isnan(value) else float(value)


def bootstrap_interval(units: list[dict], *, samples: int = SAMPLES, seed: int = 0) -> tuple[float, float] | None:
    """A 95% percentile interval for nominal alpha over `units` (reviewer -> label), or None when there
    are fewer than MIN_UNITS paired units or no sample has any variation.

    Each sample draws len(paired) units with replacement (resamples) and its alpha comes from the drawn
    units' arrays, summed; samples without variation (alpha undefined) are left out, as alpha_nominal leaves them.
    """
    paired = [unit for unit in units if len(unit) >= 2]
    if len(paired) < MIN_UNITS:
        return None
    counts, diagonal = unit_arrays(paired)
    by_label = np.ascontiguousarray(counts.T)
    draws = resamples(len(paired), samples=samples, seed=seed)
    alphas = np.concatenate([_drawn_alphas(by_label, diagonal, rows) for rows in draws])
    alphas = alphas[~np.isnan(alphas)]
    if not len(alphas):
        return None
    low, high = np.percentile(alphas, [2.5, 97.5])
    return float(low), float(high)


def glance(rows: Iterable[GlanceRow], articles: list, agreements: StoryAgreement | None = None) -> Glance:
    """The three charts' numbers from the story's span rows (no queries); `agreements`, when given, is
    agreement_from_rows of the same rows."""
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

    units = agreements.units if agreements else units_from_rows(row[:6] for row in rows)

    alphas = []
    for n, article in enumerate(articles):
        article_units = units.get(article.pk, [])
        # The page has each article's alpha already (from the same rows): no second pass of the package.
        agreement = agreements.for_article(article.pk) if agreements else alpha_nominal(article_units)
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
