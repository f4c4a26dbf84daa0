"""The consensus rule: from the reviewers' verdicts on one claim group to its status. The one place it lives.

Semantics (Story.quorum, Story.majority):

- A reviewer casts one vote per group: the grouping (review/grouping.py) puts at most one span of
  each reviewer in a group, so a reviewer who marked a sentence and words inside it has separate
  claims, never two votes in one. Counts are of reviewers, never of spans. (Should rows ever hold
  two spans of one reviewer, say before `manage.py regroup`, the longest counts; ties: the earliest
  start, then the label's name, never the order of saving.)
- One reviewer only: the group is ``single``, whatever the quorum. One opinion is never a consensus.
- Two or more reviewers: the group has a ``consensus`` label when at least ``quorum`` reviewers voted
  and the most chosen label holds strictly more than ``majority`` of the votes, and no other label
  ties with it. Otherwise it is ``disputed`` (too few reviewers to stand behind it, or no majority) and
  waits for an editor.

With the defaults (quorum 2, majority 0.5), two reviewers agree or the group is disputed; with three
reviewers, two of three (0.67 > 0.5) make a consensus. A majority of 1 (or more) means unanimity, since
no share exceeds 1; a quorum below 1 counts as 1. The rule never refuses to run on a stored story, so a
span can always be saved; forms that set the rule call check_rule() to refuse nonsense up front.
"""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

from factcheck.review.models import GroupStatus

DEFAULT_QUORUM = 2
DEFAULT_MAJORITY = 0.5


class Vote(NamedTuple):
    # A tuple, not a dataclass: the consensus page builds one per span, 5,000 at a time.
    reviewer_id: int
    label: str
    start: int
    end: int


@dataclass(frozen=True)
class Outcome:
    status: str
    label: str  # the consensus label, "" unless status is consensus
    reviewer_count: int
    top_share: float  # share of the votes that the most chosen label holds (0 when nobody voted)


def check_rule(*, quorum: int, majority: float) -> None:
    """Refuse a rule that cannot work; the message is meant for the editor who set it."""
    if quorum < 1:
        raise ValueError("The quorum must be at least one reviewer.")
    if not 0 <= majority <= 1:
        raise ValueError("The majority must be a share from 0 to 1, for example 0.5 (1 means unanimity).")


def reviewer_votes(spans: Iterable[Vote]) -> dict[int, str]:
    """One label per reviewer: the label of their longest span in the group."""
    best: dict[int, tuple] = {}
    for span in spans:
        key = (-(span.end - span.start), span.start, span.label)
        if span.reviewer_id not in best or key < best[span.reviewer_id]:
            best[span.reviewer_id] = key
    return {reviewer: key[2] for reviewer, key in best.items()}


def decide(votes: dict[int, str], *, quorum: int = DEFAULT_QUORUM, majority: float = DEFAULT_MAJORITY) -> Outcome:
    """The status of a group whose reviewers voted `votes` (reviewer id -> label)."""
    quorum = max(quorum, 1)
    count = len(votes)
    if count == 0:
        return Outcome(GroupStatus.SINGLE, "", 0, 0.0)
    tally = Counter(votes.values()).most_common()
    top_label, top_votes = tally[0]
    share = top_votes / count
    if count == 1:
        return Outcome(GroupStatus.SINGLE, "", 1, share)
    tied = len(tally) > 1 and tally[1][1] == top_votes
    agreed = share == 1 if majority >= 1 else share > majority
    if count >= quorum and agreed and not tied:
        return Outcome(GroupStatus.CONSENSUS, top_label, count, share)
    return Outcome(GroupStatus.DISPUTED, "", count, share)
