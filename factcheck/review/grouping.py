"""Grouping: which spans of an article are the same claim, and keeping the stored claim groups in step.

The link. Two spans of the same article are linked when they overlap and the characters they share
make up at least ``FACTCHECK_GROUP_MIN_OVERLAP`` (default 0.5) of a measure set by
``FACTCHECK_GROUP_OVERLAP``:

- ``"shorter"`` (default): of the shorter span. One reviewer marking "by at least three years" and
  another the whole clause around it are one claim, as a newsroom would see it; under "union" they
  would be two claims of one reviewer each and their disagreement would never show.
- ``"union"``: of the characters both cover together (the Jaccard index of the two ranges); stricter,
  for stories where reviewers mark long passages that hold several claims.

The groups. A claim group holds at most one span per reviewer, and every two spans in it are linked
(complete linkage): a group never chains through a third span, and a reviewer's sentence and the
words she marked inside it are separate claims. Where spans compete, best overlap goes first:

1. every linked pair of spans of different reviewers is a candidate, ranked by its overlap under the
   measure, then by its Jaccard index (so an exact match beats a word inside a sentence), then by
   position (the pair's starts and ends, then the reviewers, then the keys);
2. in that order, a pair joins its two groups when the joined group would still hold one span per
   reviewer and every two of its spans are linked; otherwise the pair is skipped.

The ranking looks only at the spans themselves, so the groups never depend on the order spans arrive
in or on the database that stores them (tests/test_consensus_grouping.py proves it with hypothesis).
Pairs are only ever formed along links between spans of different reviewers, so the groups of one
linked component (the spans reached from a span through such links) never depend on spans outside it:
a write regroups the component around the span it writes, never the whole article (regroup_around),
and a reviewer's own dense marks, which never link to each other, cost nothing to a save beside them.

Identity. Stored groups carry threads and decisions, so regrouping reuses them: each new component
takes the stored group that holds most of its spans (then the one whose range overlaps it most, then
the oldest). A stored group that no component takes is deleted only when nothing hangs on it; a group
with a comment or a decision is kept with no spans ("orphaned", reviewer_count 0) so its thread stays
readable, and it is taken again by the first component that overlaps its range enough.
"""

from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection, connections, router, transaction
from django.db.models import BooleanField, Case, Exists, F, IntegerField, OuterRef, Q, TextField, Value, When
from django.db.models.functions import Cast
from django.utils import timezone
from simple_history.utils import get_change_reason_from_object

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
    # Whose span it is: a group holds at most one item per owner. None: an owner of its own.
    owner: Hashable = None


def _rank(a: Item, b: Item, measure: str) -> tuple:
    """The order in which linked pairs are tried: best overlap first, then Jaccard, then position."""
    first, second = sorted((a, b), key=lambda item: (item.start, item.end, repr(item.owner), repr(item.key)))
    return (
        -overlap_ratio((a.start, a.end), (b.start, b.end), measure),
        -overlap_ratio((a.start, a.end), (b.start, b.end), "union"),
        first.start,
        first.end,
        second.start,
        second.end,
        repr(first.owner),
        repr(second.owner),
        repr(first.key),
        repr(second.key),
    )


def cluster(items: Iterable[Item], threshold: float | None = None, measure: str | None = None) -> list[list[Hashable]]:
    """The groups of `items` under the rule above, each a sorted list of keys, in reading order."""
    threshold = min_overlap() if threshold is None else threshold
    measure = overlap_measure() if measure is None else measure
    ordered = sorted(items, key=lambda item: (item.start, item.end, repr(item.owner), repr(item.key)))

    def owner(i: int) -> Hashable:
        return ("own", i) if ordered[i].owner is None else ("is", ordered[i].owner)

    def link(i: int, j: int) -> bool:
        return linked((ordered[i].start, ordered[i].end), (ordered[j].start, ordered[j].end), threshold, measure)

    # A sweep over spans sorted by start: only spans still open at `start` can overlap it.
    pairs = []
    open_spans: list[int] = []
    for i, item in enumerate(ordered):
        open_spans = [j for j in open_spans if ordered[j].end > item.start]
        for j in open_spans:
            if owner(i) != owner(j) and link(i, j):
                pairs.append((_rank(ordered[j], item, measure), j, i))
        open_spans.append(i)
    pairs.sort()

    group_of = list(range(len(ordered)))
    members: dict[int, list[int]] = {i: [i] for i in range(len(ordered))}
    for _, i, j in pairs:
        a, b = group_of[i], group_of[j]
        if a == b:
            continue
        if {owner(m) for m in members[a]} & {owner(m) for m in members[b]}:
            continue  # one span per reviewer per claim
        if not all(link(m, n) for m in members[a] for n in members[b]):
            continue  # every two spans of a claim are linked: no chaining through a third
        if len(members[a]) < len(members[b]):
            a, b = b, a
        for m in members[b]:
            group_of[m] = a
        members[a].extend(members.pop(b))

    groups = [sorted(group) for group in members.values()]
    groups.sort(key=lambda group: (min(ordered[m].start for m in group), max(ordered[m].end for m in group), group[0]))
    return [[ordered[m].key for m in group] for group in groups]


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
    return bool(group.has_comments or group.final_label or group.decided_at)


SPAN_FIELDS = ("pk", "reviewer_id", "start", "end", "label", "group_id")
# The key of a span not stored yet (no stored span has it). Keys only break ties between a reviewer's two
# spans on the same range, which the database forbids, so grouping a span before it has its id is exact.
PENDING = -1


def _lock(article: Article) -> dict:
    """One regrouping per article at a time; the story's quorum and majority, as the regrouping applies them.

    PostgreSQL: a row lock, and the rule read in the same statement (fresh under the lock, at no cost).
    SQLite has no row locks and already serialises writers: no query, the rule of the story loaded with
    the article (the request's lookup selects it) is the one the request saw.
    """
    if not connection.features.has_select_for_update:
        return {"quorum": article.story.quorum, "majority": article.story.majority}
    return (
        Article.objects.select_for_update(of=("self",))
        .filter(pk=article.pk)
        .values(quorum=F("story__quorum"), majority=F("story__majority"))
        .get()
    )


@transaction.atomic
def regroup_article(*, article: Article) -> None:
    """Bring every stored claim group of `article` in line with its spans (`manage.py regroup`, a changed rule)."""
    story = _lock(article)
    rows = {row.pk: row for row in (_SpanRow(*values) for values in article.spans.values_list(*SPAN_FIELDS))}
    groups = ClaimGroup.objects.filter(article=article).annotate(has_comments=_has_comments())
    _regroup(article, story, rows, {group.pk: group for group in groups})


# How far around a write the first read of the overlap chain looks: one query finds the whole chain
# unless it reaches past this many characters on either side (then one more query per widening).
CHAIN_WINDOW = 400


def lock_article(article: Article) -> dict:
    """Take the article's regrouping lock for the rest of the transaction; its story's quorum and majority."""
    return _lock(article)


def _has_comments() -> Exists:
    # EXISTS, not a COUNT over a join: no GROUP BY over every column of the groups read.
    comments = ClaimGroup._meta.get_field("comments")  # the consensus app's model, by the relation: no import
    return Exists(comments.related_model.objects.filter(**{comments.field.name: OuterRef("pk")}))


@dataclass
class Chain:
    """The linked component around a write: the spans that can share a claim with a span written there,
    the stored groups read with them (`groups`: every group of the article the chain's read reached) and
    every span that read returned (`read`, the component's and its neighbours')."""

    rows: dict[int, _SpanRow]
    low: int
    high: int
    groups: dict[int, ClaimGroup] = field(default_factory=dict)
    read: dict[int, _SpanRow] = field(default_factory=dict)

    def add(self, row: _SpanRow) -> None:
        self.rows[row.pk] = row
        self.low, self.high = min(self.low, row.start), max(self.high, row.end)

    def add_pending(self, *, reviewer_id, start: int, end: int, label: str) -> _SpanRow:
        """The span the write is about to insert: the regrouping sets its group, the caller inserts it with it."""
        row = _SpanRow(PENDING, reviewer_id, start, end, label, None)
        self.add(row)
        return row

    def touched_groups(self) -> dict[int, ClaimGroup]:
        """The stored groups a regrouping of the chain can change: those holding its spans, and those holding
        no span at all (a deleted span's, or kept for their thread) that overlap it, which it may take back.

        A group of another component may overlap the chain (a reviewer's clause inside her own sentence):
        it holds a span the read returned, so it is left alone. A group overlapping the chain has a span
        overlapping the read's window, so "no span in the read" means "no span"."""
        held = {row.group_id for row in self.rows.values()}
        anywhere = {row.group_id for row in self.read.values()}
        return {
            pk: group
            for pk, group in self.groups.items()
            if pk in held or (pk not in anywhere and group.start < self.high and group.end > self.low)
        }


@dataclass
class ReadAlong:
    """Text expressions (at most len(ALONG_SLOTS)) a write's chain read carries along in its one query, and
    their `values` once read: what a page answers the write with, read in the write's transaction at no
    query of its own (review/workspace.py's answer_along). Read with the chain, so after an edit or a
    deletion, before a new span is inserted."""

    expressions: list
    values: list | None = None


# One read for the chain's spans and the groups they can touch: a UNION ALL of the groups (every column,
# to regroup and write history from, then has_comments) and the spans (their id, range and label in the
# groups' columns of the same type, NULL elsewhere), each row ending with the span's reviewer and group.
# The groups come first: the first branch's columns decide how values are converted (dates on SQLite).
GROUP_COLUMNS = [f.attname for f in ClaimGroup._meta.concrete_fields]
_AT = {name: index for index, name in enumerate(GROUP_COLUMNS)}
_NULL_ID = Value(None, output_field=IntegerField())


# The group columns of text type (in the UNION, PostgreSQL matches columns by type), for ReadAlong's values.
ALONG_SLOTS = [
    f.attname for f in ClaimGroup._meta.concrete_fields if f.get_internal_type() in ("CharField", "TextField")
]


def _chain_read(article: Article, low: int, high: int, seen_spans: list[int], seen_groups: list[int], along=None):
    # Only a widened window has rows read already (see overlap_chain): the first read needs no exclusion.
    spans = Span.objects.filter(article=article, start__lt=high, end__gt=low).order_by()
    spans = spans.exclude(pk__in=seen_spans) if seen_spans else spans
    groups = ClaimGroup.objects.filter(
        Q(start__lt=high, end__gt=low) | Q(pk__in=spans.values("group_id")), article=article
    ).order_by()
    groups = groups.exclude(pk__in=seen_groups) if seen_groups else groups
    groups = groups.values_list(Value("g"), *GROUP_COLUMNS, _has_comments(), _NULL_ID, _NULL_ID)
    # A span's range and label in the group's columns of the same type (PostgreSQL matches them by position).
    shared = {"id": "pk", "start": "start", "end": "end", "label": "label"}
    columns = [shared.get(f.attname) or Value(None, output_field=f) for f in ClaimGroup._meta.concrete_fields]
    nothing = Value(None, output_field=BooleanField())
    span_rows = spans.values_list(Value("s"), *columns, nothing, "reviewer_id", "group_id")
    if not along:
        return groups.union(span_rows, all=True)
    if len(along) > len(ALONG_SLOTS):
        raise ValueError(f"A chain read carries at most {len(ALONG_SLOTS)} expressions along.")
    # One more row, from the article's own: the expressions carried along, as text in the text columns.
    carried = dict(zip(ALONG_SLOTS, along, strict=False))
    columns = [
        Cast(carried[f.attname], TextField()) if f.attname in carried else Value(None, output_field=f)
        for f in ClaimGroup._meta.concrete_fields
    ]
    along_row = (
        Article.objects.filter(pk=article.pk).order_by().values_list(Value("a"), *columns, nothing, _NULL_ID, _NULL_ID)
    )
    return groups.union(span_rows, along_row, all=True)


def compiled(queryset) -> Callable[[], list[tuple]]:
    """`queryset` (values_list) compiled now, run later: a function returning the rows list(queryset) returns.

    A write compiles its first chain read before it takes the article's lock: the lock is then held while
    the query runs, not while Django builds its SQL (for the chain read with the answer carried along, the
    building costs more than PostgreSQL's running it), and every save of the article waits on that lock.
    The same compiler converts the rows, as Django's ValuesListIterable has it do.
    """
    compiler = queryset.query.get_compiler(using=queryset.db)
    sql, params = compiler.as_sql()

    def run() -> list[tuple]:
        with connections[queryset.db].cursor() as cursor:
            cursor.execute(sql, params)
            return list(compiler.results_iter(results=[cursor.fetchall()], tuple_expected=True))

    return run


def first_chain_read(*, article: Article, start: int, end: int, along: ReadAlong | None = None):
    """The first read overlap_chain makes for a write on [start, end), compiled now (see compiled())."""
    carried = along.expressions if along is not None else None
    return compiled(_chain_read(article, start - CHAIN_WINDOW, end + CHAIN_WINDOW, [], [], carried))


def overlap_chain(
    *,
    article: Article,
    start: int,
    end: int,
    reviewer_id,
    span_pk: int | None = None,
    along: ReadAlong | None = None,
    first=None,
) -> Chain:
    """The spans of `article` linked, through spans of other reviewers, to a span of `reviewer_id` on
    [start, end) (the span `span_pk` itself when it is stored): the only spans whose groups a write there
    can change. Read in one query when the component stays within CHAIN_WINDOW characters of [start, end)
    (the spans overlapping that window are read at once and the links followed among them), else one
    more query per widening: exact either way, since a span linked to the component overlaps it.

    The same query reads the stored groups the chain can touch (Chain.touched_groups): every group
    overlapping the window or holding a span in it, and what `along` asks (its values are set).
    `first`: that first read, compiled before the caller took the lock (first_chain_read, with the same
    `along`).
    """
    threshold, measure = min_overlap(), overlap_measure()
    fetched: dict[int, _SpanRow] = {}
    groups: dict[int, ClaimGroup] = {}
    db = router.db_for_read(ClaimGroup)
    low, high = start - CHAIN_WINDOW, end + CHAIN_WINDOW
    carried = along.expressions if along is not None else None
    while True:
        rows = first() if first is not None else _chain_read(article, low, high, list(fetched), list(groups), carried)
        first = None
        for kind, *values in rows:
            if kind == "a":
                along.values = [values[_AT[name]] for name in ALONG_SLOTS[: len(carried)]]
            elif kind == "s":
                pk, start_, end_, label = (values[_AT[name]] for name in ("id", "start", "end", "label"))
                fetched[pk] = _SpanRow(pk, values[-2], start_, end_, label, values[-1])
            else:
                group = ClaimGroup.from_db(db, GROUP_COLUMNS, values[: len(GROUP_COLUMNS)])
                group.has_comments = values[len(GROUP_COLUMNS)]
                groups[group.pk] = group
        chain = Chain({}, start, end, groups, fetched)
        if span_pk in fetched:
            chain.add(fetched[span_pk])
        # Only spans starting within the longest span's length before a range can overlap it: each step
        # looks at its neighbourhood, not at every span read (1,000 dense spans of five reviewers: 110 -> 4 ms).
        ordered = sorted(fetched.values(), key=lambda row: row.start)
        starts = [row.start for row in ordered]
        longest = max((row.end - row.start for row in ordered), default=0)
        frontier = [(start, end, reviewer_id)]
        while frontier:
            at, to, owner = frontier.pop()
            for row in ordered[bisect_left(starts, at - longest) : bisect_left(starts, to)]:
                if row.pk in chain.rows or row.reviewer_id == owner:
                    continue
                if linked((at, to), (row.start, row.end), threshold, measure):
                    chain.add(row)
                    frontier.append((row.start, row.end, row.reviewer_id))
        carried = None  # read once: a widening reads only the chain
        # Every span linked to the component overlaps it, so it overlaps [low, high) when the component lies within.
        if low <= chain.low and chain.high <= high:
            return chain
        low, high = min(low, chain.low), max(high, chain.high)


def regroup_around(
    *,
    article: Article,
    start: int,
    end: int,
    reviewer_id,
    span_pk: int | None = None,
    story: dict | None = None,
    chain: Chain | None = None,
    along: ReadAlong | None = None,
    first=None,
):
    """Regroup only the linked component around `reviewer_id`'s span on [start, end): what a span
    written (or deleted) there can change.

    Spans not linked to the component cannot share a group with any span in it, so the groups outside
    it stay as they are; a verdict saved on a long article costs what its neighbourhood costs.
    A caller that already holds the lock (`story`, from lock_article) and read the chain passes them;
    `along`, `first`: what the chain's read carries, and that read compiled beforehand (overlap_chain).
    Inside a caller's transaction no savepoint of its own: an error rolls the whole write back anyway.
    """
    with transaction.atomic(savepoint=False):
        story = story if story is not None else _lock(article)
        if chain is None:
            chain = overlap_chain(
                article=article,
                start=start,
                end=end,
                reviewer_id=reviewer_id,
                span_pk=span_pk,
                along=along,
                first=first,
            )
        _regroup(article, story, chain.rows, chain.touched_groups())


def _regroup(article: Article, story: dict, rows: dict[int, _SpanRow], stored: dict[int, ClaimGroup]) -> None:
    """Group `rows` and match the groups to the `stored` ones (every stored group they can touch, has_comments set)."""
    threshold, measure = min_overlap(), overlap_measure()
    components = [
        [rows[pk] for pk in keys]
        for keys in cluster([Item(r.pk, r.start, r.end, r.reviewer_id) for r in rows.values()], threshold, measure)
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

    created: list[tuple[ClaimGroup, list[_SpanRow]]] = []
    updates: list[tuple[ClaimGroup, dict]] = []
    for index, members in enumerate(components):
        start, end = _extent(members)
        votes = reviewer_votes(Vote(r.reviewer_id, r.label, r.start, r.end) for r in members)
        outcome = decide(votes, quorum=story["quorum"], majority=story["majority"])
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
            created.append((ClaimGroup(article=article, **fields), members))
            continue
        if any(getattr(group, name) != value for name, value in fields.items()):
            updates.append((group, fields))
        for row in members:
            row.new_group_id = group.pk
    leftover = [g for pk, g in stored.items() if pk not in taken]
    for group in (g for g in leftover if _keeps_something(g)):
        fields = {"status": GroupStatus.SINGLE, "label": "", "reviewer_count": 0, "votes": ""}
        if any(getattr(group, name) != value for name, value in fields.items()):
            updates.append((group, fields))
    stale = _write_groups(updates, [group for group, _ in created])
    for group, members in created:
        for row in members:
            row.new_group_id = group.pk
    # A span not stored yet (PENDING, the write's own) is inserted with its group by the caller.
    _point([row for row in rows.values() if row.new_group_id != row.group_id and row.pk != PENDING])

    empty = [g.pk for g in leftover if not _keeps_something(g)]
    if empty:
        # Checked again in the query: a comment may have landed since the groups were read.
        ClaimGroup.objects.filter(
            pk__in=empty, comments__isnull=True, final_label="", decided_at__isnull=True, spans__isnull=True
        ).delete()
    changed = [group for group, _ in updates if group.pk not in stale]
    if stale:
        changed += ClaimGroup.objects.filter(pk__in=stale)
    _write_history(created=[group for group, _ in created], changed=changed)


def _write_history(*, created: list[ClaimGroup], changed: list[ClaimGroup]) -> None:
    """The history rows of the groups a regrouping created ("+") and changed ("~"), in one INSERT.

    Built from the objects as they were written, as simple-history builds them (bulk_history_create, and
    post_save for a new one: the request's user, the object's change reason), in the order the rows were
    written before: the new groups, then the changed ones in the groups' ordering.
    """
    if not getattr(settings, "SIMPLE_HISTORY_ENABLED", True) or not (created or changed):
        return
    history = ClaimGroup.history.model

    def reason(group: ClaimGroup) -> str:
        return get_change_reason_from_object(group) or ""

    changed = sorted(changed, key=lambda group: (group.article_id, group.start, group.end, group.pk))
    history.objects.bulk_create(
        [
            history(
                history_date=getattr(group, "_history_date", timezone.now()),
                history_user=getattr(group, "_history_user", history.get_default_history_user(group)),
                # As each path wrote it: post_save the object's reason (None without one), the bulk path "".
                history_change_reason=get_change_reason_from_object(group) if kind == "+" else reason(group),
                history_type=kind,
                **{field.attname: getattr(group, field.attname) for field in history.tracked_fields},
            )
            for kind, groups in (("+", created), ("~", changed))
            for group in groups
        ]
    )


# Spans whose group pointer one UPDATE sets (two parameters each: within any database's limit).
POINTER_BATCH = 1000


def _point(moved: list[_SpanRow]) -> None:
    """Set the spans' group pointers, in one UPDATE ... CASE for a save (a batch per POINTER_BATCH spans).

    A bookkeeping pointer, not the reviewer's verdict: no history row, updated_at untouched.
    """
    for first in range(0, len(moved), POINTER_BATCH):
        batch = moved[first : first + POINTER_BATCH]
        to: dict[int, list[int]] = defaultdict(list)
        for row in batch:
            to[row.new_group_id].append(row.pk)
        pointer = Case(*(When(pk__in=pks, then=Value(group_id)) for group_id, pks in to.items()))
        Span.objects.filter(pk__in=[row.pk for row in batch]).update(group_id=pointer)


# The grouping's own columns: what a regrouping may change in a stored group (never a decision).
GROUPING_COLUMNS = ("start", "end", "status", "label", "reviewer_count", "votes", "updated_at")


def _write_groups(updates: list[tuple[ClaimGroup, dict]], created: list[ClaimGroup]) -> set[int]:
    """Write the changed groups' `fields` and insert the `created` ones, in one INSERT ... ON CONFLICT (id) DO
    UPDATE: a regrouping that changes three groups and makes two costs one query, like one that changes one.

    An update writes only the grouping's columns, so a decision written meanwhile is never overwritten; the
    version moves on so an editor deciding on what they saw before gets a conflict, not a surprise. Returns
    the groups found at another version than the one read (a decision moved them on meanwhile): they are
    written all the same, and their history rows must be read back. The rows come back in the order they
    were sent, as Django's bulk_create relies on for PostgreSQL and SQLite.
    """
    if not updates and not created:
        return set()
    now = timezone.now()
    fields = [f for f in ClaimGroup._meta.concrete_fields if not f.primary_key]
    for group, changes in updates:
        for name, value in {**changes, "updated_at": now}.items():
            setattr(group, name, value)
    for group in created:
        group.created_at = group.updated_at = now
    quote = connection.ops.quote_name
    # A new row's id from the table's own sequence: DEFAULT on PostgreSQL, NULL for SQLite's rowid.
    new_id = "DEFAULT" if connection.vendor == "postgresql" else "NULL"
    row = ", ".join(["%s"] * len(fields))
    values = [f"(%s, {row})"] * len(updates) + [f"({new_id}, {row})"] * len(created)
    params = []
    for group in [group for group, _ in updates] + created:
        params += [group.pk] if group.pk is not None else []
        params += [f.get_db_prep_save(getattr(group, f.attname), connection) for f in fields]
    table = quote(ClaimGroup._meta.db_table)
    columns = ", ".join(quote(name) for name in ["id"] + [f.column for f in fields])
    changes = ", ".join(f"{quote(name)} = excluded.{quote(name)}" for name in GROUPING_COLUMNS)
    pk, version = quote("id"), quote("version")
    # Names from the model's own metadata, quoted by the backend; every value is a parameter.
    sql = (
        f"INSERT INTO {table} ({columns}) VALUES {', '.join(values)} ON CONFLICT ({pk}) DO UPDATE "  # nosec B608
        f"SET {changes}, {version} = {table}.{version} + 1 RETURNING {pk}, {version}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        returned = cursor.fetchall()
    stale = set()
    assert len(returned) == len(updates) + len(created), "every row sent comes back"  # noqa: S101  # nosec B101
    for (group, _), (pk, version) in zip(updates, returned, strict=False):
        if version != group.version + 1:
            stale.add(pk)
        group.version = version
    for group, (pk, version) in zip(created, returned[len(updates) :], strict=True):
        group.pk, group.version = pk, version
        group._state.adding, group._state.db = False, connection.alias
    return stale


def regroup_story(*, story) -> None:
    for article in story.articles.all():
        regroup_article(article=article)
