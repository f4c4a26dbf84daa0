"""Grouping: which spans of an article are the same claim, and keeping the stored claim groups in step.

The rule. Two spans of the same article are linked when they overlap and the characters they share
make up at least ``FACTCHECK_GROUP_MIN_OVERLAP`` (default 0.5) of a measure set by
``FACTCHECK_GROUP_OVERLAP``:

- ``"shorter"`` (default): of the shorter span. One reviewer marking "by at least three years" and
  another the whole clause around it are one claim, as a newsroom would see it; under "union" they
  would be two claims of one reviewer each and their disagreement would never show.
- ``"union"``: of the characters both cover together (the Jaccard index of the two ranges); stricter,
  for stories where reviewers mark long passages that hold several claims.

A claim group is a connected set of linked spans (single linkage), so A~B and B~C put A, B and C in
one group even if A and C barely touch.
Connected components do not depend on the order the spans are looked at, so the groups never depend
on the order spans arrive in (tests/test_consensus_grouping.py proves it with hypothesis).

Identity. Stored groups carry threads and decisions, so regrouping reuses them: each new component
takes the stored group that holds most of its spans (then the one whose range overlaps it most, then
the oldest). A stored group that no component takes is deleted only when nothing hangs on it; a group
with a comment or a decision is kept with no spans ("orphaned", reviewer_count 0) so its thread stays
readable, and it is taken again by the first component that overlaps its range enough.
"""

from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Count, F
from django.utils import timezone

from factcheck.articles.models import Article
from factcheck.review.models import ClaimGroup, GroupStatus, Span
from factcheck.review.rules import Vote, decide, reviewer_votes

DEFAULT_MIN_OVERLAP = 0.5
DEFAULT_MEASURE = "shorter"
MEASURES = ("shorter", "union")


def min_overlap() -> float:
    return float(getattr(settings, "FACTCHECK_GROUP_MIN_OVERLAP", DEFAULT_MIN_OVERLAP))


def overlap_measure() -> str:
    measure = getattr(settings, "FACTCHECK_GROUP_OVERLAP", DEFAULT_MEASURE)
    if measure not in MEASURES:
        raise ValueError(f"FACTCHECK_GROUP_OVERLAP must be one of {', '.join(MEASURES)}, not {measure!r}.")
    return measure


def overlap_ratio(a: tuple[int, int], b: tuple[int, int], measure: str = "union") -> float:
    """Characters shared over the measure's characters, for half-open ranges; 0 when they do not overlap."""
    shared = min(a[1], b[1]) - max(a[0], b[0])
    if shared <= 0:
        return 0.0
    if measure == "shorter":
        return shared / min(a[1] - a[0], b[1] - b[0])
    return shared / (max(a[1], b[1]) - min(a[0], b[0]))


def linked(a: tuple[int, int], b: tuple[int, int], threshold: float, measure: str = "union") -> bool:
    ratio = overlap_ratio(a, b, measure)
    return ratio > 0 and ratio >= threshold


@dataclass(frozen=True)
class Item:
    key: Hashable
    start: int
    end: int


def cluster(items: Iterable[Item], threshold: float | None = None, measure: str | None = None) -> list[list[Hashable]]:
    """The groups of `items` under the rule above, each a sorted list of keys, in reading order."""
    threshold = min_overlap() if threshold is None else threshold
    measure = overlap_measure() if measure is None else measure
    ordered = sorted(items, key=lambda item: (item.start, item.end, repr(item.key)))
    parent = list(range(len(ordered)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    # A sweep over spans sorted by start: only spans still open at `start` can overlap it.
    open_spans: list[int] = []
    for i, item in enumerate(ordered):
        open_spans = [j for j in open_spans if ordered[j].end > item.start]
        for j in open_spans:
            if linked((ordered[j].start, ordered[j].end), (item.start, item.end), threshold, measure):
                parent[root(i)] = root(j)
        open_spans.append(i)

    members: dict[int, list[Item]] = defaultdict(list)
    for i, item in enumerate(ordered):
        members[root(i)].append(item)
    groups = [sorted(group, key=lambda item: (item.start, item.end, repr(item.key))) for group in members.values()]
    groups.sort(key=lambda group: (min(m.start for m in group), max(m.end for m in group), repr(group[0].key)))
    return [[member.key for member in group] for group in groups]


@dataclass
class _SpanRow:
    pk: int
    reviewer_id: int
    start: int
    end: int
    label: str
    group_id: int | None
    new_group_id: int | None = None


def _extent(rows: Sequence[_SpanRow]) -> tuple[int, int]:
    return min(r.start for r in rows), max(r.end for r in rows)


def _keeps_something(group: ClaimGroup) -> bool:
    return bool(group.comment_count or group.final_label or group.decided_at)


@transaction.atomic
def regroup_article(*, article: Article) -> None:
    """Bring the stored claim groups of `article` in line with its spans. Called after every span write."""
    # One regrouping per article at a time (PostgreSQL row lock; SQLite already serialises writers).
    story = (
        Article.objects.select_for_update(of=("self",))
        .filter(pk=article.pk)
        .values("story__quorum", "story__majority")
        .get()
    )
    threshold, measure = min_overlap(), overlap_measure()
    rows = {
        row.pk: row
        for row in (
            _SpanRow(*values)
            for values in article.spans.values_list("pk", "reviewer_id", "start", "end", "label", "group_id")
        )
    }
    stored = {g.pk: g for g in ClaimGroup.objects.filter(article=article).annotate(comment_count=Count("comments"))}
    components = [
        [rows[pk] for pk in keys]
        for keys in cluster([Item(r.pk, r.start, r.end) for r in rows.values()], threshold, measure)
    ]

    # Each component takes the stored group holding most of its spans; ties go to the closer range, then the older.
    candidates = []
    for index, members in enumerate(components):
        extent = _extent(members)
        for group_id, held in Counter(r.group_id for r in members if r.group_id in stored).items():
            group = stored[group_id]
            candidates.append((-held, -overlap_ratio(extent, (group.start, group.end)), group.pk, index))
    candidates.sort()
    chosen: dict[int, ClaimGroup] = {}
    taken: set[int] = set()
    for _, _, group_id, index in candidates:
        if index not in chosen and group_id not in taken:
            chosen[index] = stored[group_id]
            taken.add(group_id)
    # A component with no stored group of its own may take back a group left without spans (say the only
    # span was deleted and marked again), so a thread follows its claim.
    for index, members in enumerate(components):
        if index in chosen:
            continue
        extent = _extent(members)
        spare = sorted(
            (-overlap_ratio(extent, (g.start, g.end)), g.pk)
            for g in stored.values()
            if g.pk not in taken and linked(extent, (g.start, g.end), threshold, measure)
        )
        if spare:
            chosen[index] = stored[spare[0][1]]
            taken.add(spare[0][1])

    changed: list[int] = []
    for index, members in enumerate(components):
        start, end = _extent(members)
        votes = reviewer_votes(Vote(r.reviewer_id, r.label, r.start, r.end) for r in members)
        outcome = decide(votes, quorum=story["story__quorum"], majority=story["story__majority"])
        fields = {
            "start": start,
            "end": end,
            "status": outcome.status,
            "label": outcome.label,
            "reviewer_count": outcome.reviewer_count,
            "votes": " ".join(f"{reviewer}:{label}" for reviewer, label in sorted(votes.items())),
        }
        group = chosen.get(index)
        if group is None:
            group = ClaimGroup.objects.create(article=article, **fields)
            chosen[index] = group
        elif any(getattr(group, name) != value for name, value in fields.items()):
            _update(group, fields)
            changed.append(group.pk)
        for row in members:
            row.new_group_id = group.pk
    moved: dict[int, list[int]] = defaultdict(list)
    for row in rows.values():
        if row.new_group_id != row.group_id:
            moved[row.new_group_id].append(row.pk)
    for group_id, pks in moved.items():
        # A bookkeeping pointer, not the reviewer's verdict: no history row, updated_at untouched.
        Span.objects.filter(pk__in=pks).update(group_id=group_id)

    leftover = [g for pk, g in stored.items() if pk not in taken]
    orphaned = [g for g in leftover if _keeps_something(g)]
    for group in orphaned:
        fields = {"status": GroupStatus.SINGLE, "label": "", "reviewer_count": 0, "votes": ""}
        if any(getattr(group, name) != value for name, value in fields.items()):
            _update(group, fields)
            changed.append(group.pk)
    empty = [g.pk for g in leftover if not _keeps_something(g)]
    if empty:
        # Checked again in the query: a comment may have landed since the groups were read.
        ClaimGroup.objects.filter(
            pk__in=empty, comments__isnull=True, final_label="", decided_at__isnull=True, spans__isnull=True
        ).delete()
    if changed:
        ClaimGroup.history.bulk_history_create(list(ClaimGroup.objects.filter(pk__in=changed)), update=True)


def _update(group: ClaimGroup, fields: dict) -> None:
    # Only the grouping's own columns, so a decision written meanwhile is never overwritten; the
    # version moves on so an editor deciding on what they saw before gets a conflict, not a surprise.
    ClaimGroup.objects.filter(pk=group.pk).update(**fields, version=F("version") + 1, updated_at=timezone.now())


def regroup_story(*, story) -> None:
    for article in story.articles.all():
        regroup_article(article=article)
