"""Agreement between reviewers: Krippendorff's alpha (nominal, missing values allowed) over claim groups.

Units are claim groups, coders are reviewers, a value is a reviewer's one vote in a group (rules.reviewer_votes);
a reviewer who did not mark a claim is a missing value. Only groups that two or more reviewers marked
can be paired, so ``units`` counts those. Alpha itself comes from the `krippendorff` package.

Callers: the consensus page (story_agreements) and the admin (story_agreement, article_agreement).
"""

from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field

import krippendorff
import numpy as np

from factcheck.review.models import Label, Span

# Krippendorff's guidance: rely on alpha >= 0.800; 0.667 <= alpha < 0.800 only for tentative conclusions.
RELIABLE = 0.800
TENTATIVE = 0.667
LABEL_CODES = {label: code for code, label in enumerate(Label.values)}


@dataclass(frozen=True)
class Agreement:
    alpha: float | None
    units: int  # claim groups that at least two reviewers marked
    reviewers: int  # reviewers with a vote in any of those groups
    groups: int  # all claim groups with at least one vote
    note: str = ""  # why alpha is missing, in words

    @property
    def level(self) -> str:
        if self.alpha is None:
            return "none"
        if self.alpha >= RELIABLE:
            return "reliable"
        if self.alpha >= TENTATIVE:
            return "tentative"
        return "low"

    @property
    def level_text(self) -> str:
        return {
            "reliable": "reliable agreement",
            "tentative": "tentative agreement",
            "low": "low agreement",
            "none": self.note,
        }[self.level]

    @property
    def summary(self) -> str:
        """One line for the admin and exports: "α = 0.743 (tentative agreement), 11 claims, 4 reviewers"."""
        figure = f"α = {self.alpha:.3f}" if self.alpha is not None else "α –"
        claims = f"{self.units} claim{'s' if self.units != 1 else ''}"
        reviewers = f"{self.reviewers} reviewer{'s' if self.reviewers != 1 else ''}"
        return f"{figure} ({self.level_text}), {claims}, {reviewers}"


def alpha_nominal(units: Iterable[Mapping[Hashable, Hashable]]) -> Agreement:
    """Alpha over `units`, each a mapping reviewer id -> label (absent reviewers are missing values)."""
    units = [unit for unit in units if unit]
    paired = [unit for unit in units if len(unit) >= 2]
    reviewers = sorted({reviewer for unit in paired for reviewer in unit})
    if not paired:
        return Agreement(None, 0, len(reviewers), len(units), "no claim marked by two reviewers yet")
    if len({label for unit in paired for label in unit.values()}) == 1:
        # Alpha is 0/0 without any variation in the values; say so rather than invent a number.
        return Agreement(None, len(paired), len(reviewers), len(units), "all paired verdicts agree (α undefined)")
    row = {reviewer: index for index, reviewer in enumerate(reviewers)}
    # Nominal alpha does not depend on the codes; values outside our labels (a test's data) get their own.
    codes = dict(LABEL_CODES)
    for unit in paired:
        for label in unit.values():
            codes.setdefault(label, len(codes))
    data = np.full((len(reviewers), len(paired)), np.nan)
    for column, unit in enumerate(paired):
        for reviewer, label in unit.items():
            data[row[reviewer], column] = codes[label]
    alpha = float(
        krippendorff.alpha(reliability_data=data, level_of_measurement="nominal", value_domain=list(codes.values()))
    )
    return Agreement(alpha, len(paired), len(reviewers), len(units))


@dataclass(frozen=True)
class StoryAgreement:
    story: Agreement
    articles: dict[int, Agreement] = field(default_factory=dict)
    # The units alpha was computed over, per article (for the glance's intervals: read once, used twice).
    units: dict[int, list[dict]] = field(default_factory=dict, repr=False, compare=False)
    # The same votes by claim group, keyed (article id, group id): the consensus page's "2 of 3 agree".
    votes: dict[tuple[int, int], dict] = field(default_factory=dict, repr=False, compare=False)

    def for_article(self, article_id: int) -> Agreement:
        return self.articles.get(article_id) or alpha_nominal([])


SpanRow = tuple[int, int, int, str, int, int]  # article_id, group_id, reviewer_id, label, start, end


def group_votes(rows: Iterable[SpanRow]) -> dict[tuple[int, int], dict[int, str]]:
    """Each claim group's votes (reviewer id -> label), keyed and ordered by (article id, group id)."""
    # One value per reviewer per claim, read as rules.reviewer_votes reads it (the longest span, then the
    # earliest, then the label), in one pass over plain tuples: 5,000 spans make no objects.
    by_group: dict[tuple[int, int], dict[int, tuple]] = defaultdict(dict)
    for article_id, group_id, reviewer_id, label, start, end in rows:
        if group_id is None:
            continue
        unit = by_group[(article_id, group_id)]
        key = (start - end, start, label)
        if reviewer_id not in unit or key < unit[reviewer_id]:
            unit[reviewer_id] = key
    return {group: {reviewer: key[2] for reviewer, key in unit.items()} for group, unit in sorted(by_group.items())}


def _units(votes: dict[tuple[int, int], dict[int, str]]) -> dict[int, list[dict[int, str]]]:
    units_by_article: dict[int, list[dict[int, str]]] = defaultdict(list)
    for (article_id, _), unit in votes.items():
        units_by_article[article_id].append(unit)
    return units_by_article


def units_from_rows(rows: Iterable[SpanRow]) -> dict[int, list[dict[int, str]]]:
    """Each article's units (reviewer id -> label, one per claim group, in group order) from span rows."""
    return _units(group_votes(rows))


def agreement_from_rows(rows: Iterable[SpanRow]) -> StoryAgreement:
    """Agreement per story and per article from grouped span rows (one pass, no queries)."""
    votes = group_votes(rows)
    units_by_article = _units(votes)
    every_unit = [unit for units in units_by_article.values() for unit in units]
    return StoryAgreement(
        story=alpha_nominal(every_unit),
        articles={article_id: alpha_nominal(units) for article_id, units in units_by_article.items()},
        units=units_by_article,
        votes=votes,
    )


def _rows(spans) -> Iterable[SpanRow]:
    return spans.filter(group__isnull=False).values_list(
        "article_id", "group_id", "reviewer_id", "label", "start", "end"
    )


def story_agreements(*, story) -> StoryAgreement:
    """The story's alpha and each article's, in one query."""
    return agreement_from_rows(_rows(Span.objects.filter(article__story=story)))


def story_agreement(*, story) -> Agreement:
    return story_agreements(story=story).story


def article_agreement(*, article) -> Agreement:
    return agreement_from_rows(_rows(Span.objects.filter(article=article))).for_article(article.pk)
