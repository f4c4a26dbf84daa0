"""Agreement at a glance: the bootstrap interval, the pairwise matrix and the charts on the consensus page and desk."""

import math
import random

import krippendorff
import numpy as np
import pytest

from factcheck.consensus import glance as glance_module
from factcheck.consensus.agreement import agreement_from_rows, alpha_nominal
from factcheck.consensus.glance import bootstrap_interval, coincidence_alpha, glance, resamples
from factcheck.review.models import ClaimGroup, ReviewSubmission
from factcheck.review.rules import Vote, reviewer_votes
from factcheck.review.services import span_update
from tests.factories import make_story, mark_many, mark_range

NAN = math.nan
# Krippendorff (2011), section C, as in tests/test_consensus_agreement.py: four observers, twelve units.
PAPER = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, NAN, NAN, NAN],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, NAN, 3],
    [NAN, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, NAN],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, NAN],
]


def _units(data) -> list[dict]:
    return [
        {coder: row[unit] for coder, row in enumerate(data) if not math.isnan(row[unit])}
        for unit in range(len(data[0]))
    ]


def test_our_coincidence_arithmetic_gives_the_papers_alpha():
    assert round(coincidence_alpha(_units(PAPER)), 3) == 0.743
    assert coincidence_alpha(_units(PAPER)) == pytest.approx(
        krippendorff.alpha(reliability_data=PAPER, level_of_measurement="nominal")
    )


def test_the_bootstrap_interval_holds_the_estimate_and_reads_the_same_twice():
    units = _units(PAPER)
    low, high = bootstrap_interval(units)
    assert low < alpha_nominal(units).alpha < high <= 1
    assert bootstrap_interval(units) == (low, high)


def test_too_few_claims_give_no_interval():
    assert bootstrap_interval(_units(PAPER)[:4]) is None


def test_pairwise_agreement_counts_the_claims_both_marked():
    rows = [
        # article, group, reviewer, label, start, end, name
        (1, 10, 1, "consistent", 0, 5, "ann"),
        (1, 10, 2, "consistent", 0, 5, "ben"),
        (1, 11, 1, "conflicting", 6, 9, "ann"),
        (1, 11, 2, "consistent", 6, 9, "ben"),
        (1, 11, 3, "conflicting", 6, 9, "cat"),
        (1, 12, 3, "unsupported", 10, 12, "cat"),
    ]

    class Article:
        pk, outlet, title = 1, "Outlet", "T"

    result = glance(rows, [Article()])
    cells = {name: [(c.same, c.shared) for c in row] for name, row in result.matrix}
    assert result.reviewers == ["ann", "ben", "cat"]
    assert cells["ann"] == [(0, 0), (1, 2), (1, 1)] and cells["ben"][2] == (0, 1)
    assert [(b.name, b.total) for b in result.bars] == [("ann", 2), ("ben", 2), ("cat", 2)]
    assert result.alphas[0].note.startswith("too few claims")


def test_the_consensus_page_shows_the_three_charts_with_their_tables(client, alice, bob, story):
    article = story.articles.order_by("pk").first()
    mark_many(article, [alice, bob], 8, label="consistent")
    ReviewSubmission.objects.create(story=story, reviewer=alice)
    client.force_login(alice)
    html = client.get(f"/stories/{story.slug}/consensus/").content.decode()
    assert "Verdicts per reviewer" in html and "Agreement per article" in html and "Reviewer × reviewer" in html
    assert html.count('<table class="chart-table">') == 2 and 'class="pair-matrix"' in html
    assert "100% <span" in html  # both marked the same labels on each shared claim


def test_the_desk_story_page_shows_them_too(client, erin, story):
    client.force_login(erin)
    html = client.get(f"/admin/articles/story/{story.pk}/change/").content.decode()
    assert "Agreement at a glance" in html and "css/pictures.css" in html


# ---- the vectorised interval against the straightforward one ------------------------------------


def _units_of_our_own(count: int, seed: int) -> list[dict]:
    """Claims with two to five reviewers each (and some with one, which cannot be paired), four labels."""
    rng = random.Random(seed)
    labels = ["consistent", "conflicting", "unsupported", "not-a-claim"]
    units = []
    for _ in range(count):
        reviewers = rng.sample(range(7), rng.choice([1, 2, 2, 3, 4, 5]))
        usual = rng.choice(labels)
        units.append({r: usual if rng.random() < 0.7 else rng.choice(labels) for r in reviewers})
    return units


def _straightforward_interval(units: list[dict], samples: int, seed: int) -> tuple[float, float]:
    """Every resample's alpha from the krippendorff package (alpha_nominal), one sample at a time."""
    paired = [unit for unit in units if len(unit) >= 2]
    alphas = []
    for draws in resamples(len(paired), samples=samples, seed=seed):
        for row in draws:
            alpha = alpha_nominal([paired[i] for i in row]).alpha
            if alpha is not None:
                alphas.append(alpha)
    low, high = np.percentile(alphas, [2.5, 97.5])
    return float(low), float(high)


@pytest.mark.parametrize(("count", "seed"), [(9, 1), (40, 2), (120, 3)])
def test_the_vectorised_interval_is_the_packages_alpha_resampled_one_by_one(count, seed):
    units = _units_of_our_own(count, seed)
    assert bootstrap_interval(units, samples=300, seed=seed) == pytest.approx(
        _straightforward_interval(units, samples=300, seed=seed), rel=1e-9, abs=1e-12
    )
    assert coincidence_alpha(units) == pytest.approx(alpha_nominal(units).alpha, rel=1e-9)


def test_draws_come_in_blocks_that_bound_memory_and_change_nothing_else(monkeypatch):
    units = _units_of_our_own(60, 4)
    paired = sum(1 for unit in units if len(unit) >= 2)
    monkeypatch.setattr(glance_module, "BLOCK", 7 * paired)  # seven samples a block
    blocks = list(resamples(paired, samples=100, seed=5))
    assert [len(b) for b in blocks] == [7] * 14 + [2] and all(b.shape[1] == paired for b in blocks)
    assert bootstrap_interval(units, samples=100, seed=5) == pytest.approx(
        _straightforward_interval(units, samples=100, seed=5), rel=1e-9, abs=1e-12
    )


def test_samples_without_variation_are_left_out_as_the_package_leaves_them():
    # Mostly agreement: many resamples hold one label only, where alpha is undefined (0/0).
    units = [{1: "consistent", 2: "consistent"}] * 6 + [{1: "consistent", 2: "conflicting"}]
    assert bootstrap_interval(units, samples=200, seed=0) == pytest.approx(
        _straightforward_interval(units, samples=200, seed=0), rel=1e-9, abs=1e-12
    )
    assert bootstrap_interval([{1: "consistent", 2: "consistent"}] * 6) is None


def test_the_glance_drawn_with_the_pages_agreements_is_the_glance_drawn_alone():
    """The page hands the glance its alphas and units (computed once); the desk lets it compute its own."""

    class Article:
        def __init__(self, pk):
            self.pk, self.outlet, self.title = pk, "Outlet", f"T{pk}"

    rows = []
    for article_id, seed in ((1, 6), (2, 7)):
        for group, unit in enumerate(_units_of_our_own(30, seed)):
            for reviewer, label in unit.items():
                # a second, shorter span of the same reviewer in the group: one vote still (the longest)
                rows.append((article_id, 100 * article_id + group, reviewer, label, 0, 9, f"r{reviewer}"))
                if group % 5 == 0:
                    rows.append((article_id, 100 * article_id + group, reviewer, "conflicting", 2, 5, f"r{reviewer}"))
    articles = [Article(1), Article(2), Article(3)]
    shared = glance(rows, articles, agreement_from_rows(row[:6] for row in rows))
    alone = glance(rows, articles)
    assert shared == alone
    assert [a.low is not None for a in alone.alphas] == [True, True, False]


# ---- the page: the same figures cold, cached and after a verdict changed ------------------------

BODY = " ".join(f"Claim {n:02d} says that the figure rose by {n} percent." for n in range(30))
LABELS = ["consistent", "conflicting", "unsupported"]


def _page_units(article) -> list[dict]:
    """The article's units the plain way: each claim group's spans, one vote per reviewer (rules.reviewer_votes)."""
    units = []
    for group in ClaimGroup.objects.filter(article=article).order_by("pk"):
        units.append(reviewer_votes([Vote(s.reviewer_id, s.label, s.start, s.end) for s in group.spans.all()]))
    return units


def test_the_page_draws_the_glance_afresh_after_a_verdict_changes_in_the_same_queries(
    client, alice, bob, carol, erin, django_assert_num_queries
):
    story = make_story(bodies=[BODY])
    article = story.articles.get()
    spans = []
    for claim in range(20):
        start = BODY.index(f"Claim {claim:02d}")
        for n, reviewer in enumerate((alice, bob, carol)):
            label = LABELS[0] if claim % 3 else LABELS[(claim + n) % 3]
            spans.append(mark_range(article, reviewer, start, start + 20 + n, label))
    client.force_login(erin)
    url = f"/stories/{story.slug}/consensus/"

    def figures():
        # the counts of test_consensus_pages: the session with user and permissions, story, access, articles, groups,
        # the span rows, the shown claims' spans, nav count; the glance adds none, computed or cached
        with django_assert_num_queries(8):
            shown = client.get(url).context["glance"].alphas[0]
        units = _page_units(article)
        assert shown.agreement == alpha_nominal(units)
        assert (shown.low, shown.high) == bootstrap_interval(units)
        return shown.agreement.alpha, shown.low, shown.high

    first = figures()
    assert figures() == first  # seen again: the cached figures
    span_update(span=spans[3], user=erin, label="unsupported", note="")  # an editor corrects a verdict
    changed = figures()
    assert changed != first and changed[0] < first[0]
