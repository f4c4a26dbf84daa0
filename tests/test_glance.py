"""Agreement at a glance: the bootstrap interval, the pairwise matrix and the charts on the consensus page and desk."""

import math

import krippendorff
import pytest

from factcheck.consensus.agreement import alpha_nominal
from factcheck.consensus.glance import bootstrap_interval, coincidence_alpha, glance
from factcheck.review.models import ReviewSubmission
from tests.factories import mark_many

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
