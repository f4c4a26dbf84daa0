"""The consensus rule (factcheck/consensus/rules.py): single, consensus or disputed, and one vote per reviewer."""

import pytest

from factcheck.review.rules import Vote, check_rule, decide, reviewer_votes


def test_one_reviewer_is_single_whatever_the_quorum():
    for quorum in (1, 2, 3):
        outcome = decide({1: "conflicting"}, quorum=quorum)
        assert (outcome.status, outcome.label, outcome.reviewer_count) == ("single", "", 1)


def test_two_reviewers_who_agree_reach_a_consensus_with_the_defaults():
    outcome = decide({1: "consistent", 2: "consistent"})
    assert (outcome.status, outcome.label, outcome.reviewer_count, outcome.top_share) == (
        "consensus",
        "consistent",
        2,
        1.0,
    )


def test_two_reviewers_who_differ_are_disputed_because_half_is_not_a_majority():
    outcome = decide({1: "consistent", 2: "conflicting"})
    assert (outcome.status, outcome.label, outcome.top_share) == ("disputed", "", 0.5)


def test_two_of_three_make_a_consensus_at_the_default_majority_but_not_at_a_stricter_one():
    votes = {1: "conflicting", 2: "conflicting", 3: "unsupported"}
    assert decide(votes).label == "conflicting"
    assert decide(votes, majority=0.7).status == "disputed"


def test_agreeing_reviewers_below_the_quorum_are_disputed():
    outcome = decide({1: "consistent", 2: "consistent"}, quorum=3)
    assert outcome.status == "disputed"
    assert decide({1: "consistent", 2: "consistent", 3: "consistent"}, quorum=3).label == "consistent"


def test_a_tie_at_the_top_is_disputed_even_under_a_low_majority():
    votes = {1: "consistent", 2: "conflicting", 3: "unsupported", 4: "consistent", 5: "conflicting"}
    assert decide(votes, majority=0.3).status == "disputed"
    assert decide({**votes, 6: "consistent"}, majority=0.3).label == "consistent"


@pytest.mark.parametrize(("quorum", "majority"), [(0, 0.5), (2, 1.1), (2, -0.1)])
def test_a_form_can_refuse_an_impossible_rule(quorum, majority):
    with pytest.raises(ValueError):
        check_rule(quorum=quorum, majority=majority)


def test_a_majority_of_one_means_unanimity():
    assert decide({1: "consistent", 2: "consistent", 3: "conflicting"}, majority=1.0).status == "disputed"
    assert decide({1: "consistent", 2: "consistent"}, majority=1.0).label == "consistent"


def test_a_stored_rule_out_of_range_still_decides_rather_than_failing_a_save():
    assert decide({1: "consistent", 2: "consistent"}, quorum=0).label == "consistent"
    assert decide({1: "consistent", 2: "consistent"}, majority=1.5).label == "consistent"


def test_a_reviewer_with_two_spans_in_a_group_votes_with_the_longer_one_in_any_order():
    spans = [Vote(1, "consistent", 10, 20), Vote(1, "conflicting", 5, 40), Vote(2, "unsupported", 8, 30)]
    assert reviewer_votes(spans) == {1: "conflicting", 2: "unsupported"}
    assert reviewer_votes(reversed(spans)) == {1: "conflicting", 2: "unsupported"}
