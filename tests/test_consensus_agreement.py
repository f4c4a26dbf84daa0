"""Krippendorff's alpha over claim groups, checked against Krippendorff's own worked example."""

import math

import krippendorff
import numpy as np
import pytest

from factcheck.consensus.agreement import agreement_from_rows, alpha_nominal, article_agreement, story_agreements
from factcheck.review.services import span_create

# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: four observers, twelve
# units, missing values. The paper gives alpha = 0.743 for nominal data (0.849 interval, 0.797 ratio).
NAN = math.nan
PAPER = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, NAN, NAN, NAN],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, NAN, 3],
    [NAN, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, NAN],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, NAN],
]


def test_the_library_reproduces_the_published_example():
    assert round(krippendorff.alpha(reliability_data=PAPER, level_of_measurement="nominal"), 3) == 0.743
    assert round(krippendorff.alpha(reliability_data=PAPER, level_of_measurement="interval"), 3) == 0.849
    assert round(krippendorff.alpha(reliability_data=PAPER, level_of_measurement="ratio"), 3) == 0.797


def test_our_alpha_gives_the_published_figure_on_the_published_data():
    units = [
        {coder: int(row[column]) for coder, row in enumerate(PAPER) if not math.isnan(row[column])}
        for column in range(12)
    ]
    result = alpha_nominal(units)
    # The twelfth unit has one value only and cannot be paired, so eleven units count.
    assert (round(result.alpha, 3), result.units, result.reviewers, result.groups) == (0.743, 11, 4, 12)
    assert result.level == "tentative"
    assert result.summary == "α = 0.743 (tentative agreement), 11 claims, 4 reviewers"


def test_alpha_is_undefined_without_pairs_or_without_variation():
    assert alpha_nominal([{1: "consistent"}]).alpha is None
    assert alpha_nominal([{1: "consistent"}]).note == "no claim marked by two reviewers yet"
    assert (
        alpha_nominal([{1: "consistent"}]).summary
        == "α – (no claim marked by two reviewers yet), 0 claims, 0 reviewers"
    )
    agreed = alpha_nominal([{1: "consistent", 2: "consistent"}, {1: "conflicting", 2: "conflicting"}])
    assert agreed.alpha == pytest.approx(1.0)
    same = alpha_nominal([{1: "consistent", 2: "consistent"}])
    assert same.alpha is None and same.units == 1 and "undefined" in same.note


def test_total_disagreement_is_below_zero():
    result = alpha_nominal([{1: "consistent", 2: "conflicting"}, {1: "conflicting", 2: "consistent"}])
    expected = krippendorff.alpha(reliability_data=np.array([[0, 1], [1, 0]]), level_of_measurement="nominal")
    assert result.alpha == pytest.approx(expected) and result.alpha < 0 and result.level == "low"


def test_rows_are_split_per_article_and_pooled_for_the_story():
    rows = [
        (1, 10, 7, "consistent", 0, 10),
        (1, 10, 8, "consistent", 0, 12),
        (1, 11, 7, "conflicting", 20, 30),
        (1, 11, 8, "unsupported", 20, 30),
        (2, 20, 7, "consistent", 0, 5),
        (2, 20, 8, "conflicting", 0, 5),
        (2, 21, 9, "unsupported", 9, 15),
    ]
    result = agreement_from_rows(rows)
    assert (result.story.units, result.story.reviewers, result.story.groups) == (3, 2, 4)
    first, second = result.articles[1], result.articles[2]
    assert (first.units, first.groups, second.units, second.groups) == (2, 2, 1, 2)
    # Coders 7 and 8 over groups 10, 11, 20 (consistent=0, conflicting=1, unsupported=2); 9 is unpaired.
    pooled = krippendorff.alpha(reliability_data=np.array([[0, 1, 0], [0, 2, 1]]), level_of_measurement="nominal")
    assert result.story.alpha == pytest.approx(pooled)
    assert first.alpha == pytest.approx(
        krippendorff.alpha(reliability_data=np.array([[0, 1], [0, 2]]), level_of_measurement="nominal")
    )


def test_the_story_and_article_figures_come_from_stored_spans(story, alice, bob, carol):
    article = story.articles.get(source_name__startswith="004")
    date = "originally scheduled for September 2025"
    delay = "by at least three years"
    for text, who, label in [
        (date, alice, "consistent"),
        (date, bob, "consistent"),
        (delay, alice, "conflicting"),
        (delay, bob, "unsupported"),
        (delay, carol, "conflicting"),
    ]:
        start = article.body.index(text)
        span_create(article=article, reviewer=who, start=start, end=start + len(text), quote=text, label=label)
    figures = story_agreements(story=story)
    expected = krippendorff.alpha(
        reliability_data=[[0, 1], [0, 2], [NAN, 1]], level_of_measurement="nominal", value_domain=[0, 1, 2]
    )
    assert figures.story.alpha == pytest.approx(expected)
    assert (figures.story.units, figures.story.reviewers) == (2, 3)
    assert article_agreement(article=article) == figures.articles[article.pk]


def test_alpha_takes_one_value_per_reviewer_per_claim_read_as_the_rule_reads_it():
    from factcheck.review.rules import Vote, reviewer_votes

    # Group 1 holds two spans of reviewer 1 (as rows saved before regrouping might): the longest counts.
    rows = [
        (7, 1, 1, "consistent", 0, 5),
        (7, 1, 1, "conflicting", 0, 20),
        (7, 1, 2, "conflicting", 2, 18),
        (7, 2, 1, "unsupported", 30, 40),
        (7, 2, 2, "consistent", 30, 40),
        (7, 3, 1, "consistent", 50, 60),
        (7, 3, 2, "consistent", 50, 61),
    ]
    units = {}
    for _, group, reviewer, label, start, end in rows:
        units.setdefault(group, []).append(Vote(reviewer, label, start, end))
    expected = alpha_nominal([reviewer_votes(votes) for _, votes in sorted(units.items())])
    got = agreement_from_rows(rows)
    assert got.story == expected == got.for_article(7)
    assert got.story.units == 3 and got.story.reviewers == 2
    # the consensus page's "n of m agree" reads the same votes
    assert got.votes == {(7, group): reviewer_votes(votes) for group, votes in sorted(units.items())}
