"""The verdict CSV written by PostgreSQL itself (COPY ... TO STDOUT): the same bytes as the generic path, faster.

csvstream's generic path reads 30 cells a row into Python and formats them with csv.writer; at 100,000
verdicts that was twice the time of the query. Here the database writes the CSV and Python only turns
each row's LF into CRLF. The bytes are the generic path's (a test compares the two on the same data):

- cells come from the same COLUMNS, in the same order, escaped by the same rule (formula-like first
  character gets an apostrophe) and with the same date formats;
- PostgreSQL's CSV quotes a value exactly when csv.writer does (a comma, a double quote, CR or LF in
  it) and doubles quotes the same way; it writes an empty string as "" (to tell it from NULL) where
  csv.writer writes nothing, so every empty text becomes NULL;
- a span's evidence is folded by string_agg in a derived table grouped by span, in the generic path's
  order (article, start, id), instead of one joined row per piece;
- COPY sends one message per row (the protocol guarantees it for COPY TO), so the row's last byte is
  its line end and a line break inside a quoted cell stays LF, as csv.writer leaves it.

Query shape (EXPLAIN ANALYZE at 100,000 verdicts is in bench/README.md): what is the same for all spans
of an article, a reviewer or a claim group (their escaped cells, formatted dates, the story's rank) is
computed once per article, reviewer or group in a derived table, not once per span. The sort (on disk
beyond work_mem; reading the spans article by article through an index instead was slower, see the
README) compares integers only: the rank of the article in story order, the span's start and end in one
bigint, the reviewer's rank by username and the id, which lead the sorted row. It carries the span's own
cells, the reviewer's, the group's and the evidence, but not the article's (the widest, and the same for
all of its spans): those are joined after the sort on the article's rank, a merge join that keeps the
sorted order, so the sort writes half the bytes it did. Collation-dependent orders (story title,
username) are ranked by the same database with the same ORDER BY as the generic query, so the order is
the same.
"""

from collections.abc import Iterator
from contextlib import nullcontext

from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.db import connections
from django.db.models import QuerySet

from factcheck.articles.models import Article, Story
from factcheck.exports.columns import COLUMNS, EVIDENCE_SEPARATOR, FORMULA_STARTS, Column
from factcheck.review.models import ClaimGroup, Evidence, Span

ROWS_PER_CHUNK = 500

# Where each column's value lives in the COPY query: the derived table (alias) and its SQL there.
# The derived tables: a = article with its story and approver (one row per article), u = reviewer,
# g = claim group with its decider, s = the span itself (the export's filtered spans).
_PLACES: dict[str, tuple[str, str]] = {
    "pk": ("s", 's."id"'),
    "article__story__title": ("a", 'st."title"'),
    "article__title": ("a", 'art."title"'),
    "article__outlet": ("a", 'art."outlet"'),
    "article__url": ("a", 'art."url"'),
    "article__published": ("a", 'art."published"'),
    "article__body_sha256": ("a", 'art."body_sha256"'),
    "start": ("s", 's."start"'),
    "end": ("s", 's."end"'),
    "quote": ("s", 's."quote"'),
    "prefix": ("s", 's."prefix"'),
    "suffix": ("s", 's."suffix"'),
    "reviewer__username": ("u", 'r."username"'),
    "label": ("s", 's."label"'),
    "note": ("s", 's."note"'),
    "group_id": ("s", 's."group_id"'),
    "group__label": ("g", 'cg."label"'),
    "group__final_label": ("g", 'cg."final_label"'),
    "group__final_note": ("g", 'cg."final_note"'),
    "group__decided_by__username": ("g", 'd."username"'),
    "group__decided_at": ("g", 'cg."decided_at"'),
    "article__story__state": ("a", 'st."state"'),
    "article__story__approved_by__username": ("a", 'ap."username"'),
    "article__story__approved_at": ("a", 'st."approved_at"'),
}
_missing = [c.key for c in COLUMNS if c.source is not None and c.source not in _PLACES]
if _missing:
    raise ImproperlyConfigured(f"Columns without a place in the COPY query: {_missing}")

# The span columns the derived table s carries (the export's own filters choose its rows).
_SPAN_FIELDS = (
    "id",
    "article_id",
    "reviewer_id",
    "group_id",
    "start",
    "end",
    "quote",
    "prefix",
    "suffix",
    "label",
    "note",
)
# The sorted row's keys: k0 the article's rank in story order, k1 the span's start and end in one
# bigint (start << 32 | end: both are non-negative int4, so the bigint orders as the pair), k2 the
# reviewer's rank by username, k3 the span id. The cells the keys already hold are read back from them.
_FROM_KEYS = {"pk": "s.k3", "start": "(s.k1 >> 32)", "end": "(s.k1 & 4294967295)"}
_FORMULA_CODES = ", ".join(str(ord(c)) for c in FORMULA_STARTS)
# A text whose first character's code is above every formula start's is written as it is: with the
# formula starts all below 'A', one comparison decides it for most text (letters, non-ASCII).
_ABOVE_FORMULA = max(ord(c) for c in FORMULA_STARTS)


def _safe(sql: str) -> str:
    """columns.safe_cell in SQL, and '' as NULL (COPY writes NULL as nothing, as csv.writer writes '').

    Most text starts with a letter, and one comparison decides it. Below that, the formula codes are
    tested; an empty text (ascii 0) becomes NULL; NULL stays NULL (no branch is true for it).
    """
    return (
        f"CASE WHEN ascii({sql}) > {_ABOVE_FORMULA} THEN {sql} "
        f"WHEN ascii({sql}) IN ({_FORMULA_CODES}) THEN '''' || {sql} ELSE NULLIF({sql}, '') END"
    )


def _cell(column: Column, sql: str) -> str:
    # The same formats as columns.IsoDate and columns.IsoUtc on PostgreSQL.
    if column.kind == "date":
        return f"to_char({sql}, 'YYYY-MM-DD')"
    if column.kind == "datetime":
        return f"""to_char({sql} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"+00:00"')"""
    if column.kind == "text":
        return _safe(sql)
    return sql


def _select_lists() -> tuple[list[str], dict[str, list[str]]]:
    """The outer query's cells c0..cN in column order, and what each derived table must select for them.

    The sorted subquery s carries the span's own cells and the reviewer's, group's and evidence's;
    the article's cells (the widest, the same for all of an article's spans) are joined after the sort.
    """
    outer: list[str] = []
    inner: dict[str, list[str]] = {"a": [], "u": [], "g": [], "s": []}
    for i, column in enumerate(COLUMNS):
        name = f"c{i}"
        if column.source is None:  # the evidence, folded in the derived table ev
            inner["s"].append(f"ev.txt AS {name}")
            outer.append(f"s.{name}")
            continue
        alias, sql = _PLACES[column.source]
        if column.source in _FROM_KEYS:
            outer.append(f"{_FROM_KEYS[column.source]} AS {name}")
        elif alias == "a":
            inner["a"].append(f"{_cell(column, sql)} AS {name}")
            outer.append(f"a.{name}")
        elif alias == "s":
            inner["s"].append(f"{_cell(column, sql)} AS {name}")
            outer.append(f"s.{name}")
        else:  # computed once per reviewer or group in its derived table, then sorted with the span
            inner[alias].append(f"{_cell(column, sql)} AS {name}")
            inner["s"].append(f"{alias}.{name}")
            outer.append(f"s.{name}")
    return outer, inner


def copy_query(spans: QuerySet[Span]) -> tuple[str, tuple]:
    """The SELECT whose CSV is the export's rows, and its parameters (the export's filters)."""
    base, params = spans.order_by().values(*_SPAN_FIELDS).query.sql_with_params()
    outer, inner = _select_lists()
    sep = EVIDENCE_SEPARATOR.replace("\\", "\\\\").replace("\n", "\\n")
    evidence = (
        """string_agg(ea."title" || ' [' || e."start" || ':' || e."end" || '] "' || e."quote" || '"', """
        f"""E'{sep}' ORDER BY e."article_id", e."start", e."id")"""
    )
    a_cells = ", ".join(inner["a"]) or "1"
    u_cells = ", ".join(inner["u"]) or "1"
    g_cells = ", ".join(inner["g"]) or "1"
    s_cells = ", ".join(inner["s"]) or "1"
    cells = ", ".join(outer)
    # Table names from the models, so a table that moves (claim groups did, to review) moves here too.
    article_t, story_t, user_t = Article._meta.db_table, Story._meta.db_table, get_user_model()._meta.db_table
    group_t, evidence_t = ClaimGroup._meta.db_table, Evidence._meta.db_table
    # The articles in story order: a total order (it ends with the id) over every article, computed in
    # both derived tables that rank them, so a rank names the same article in both.
    rank = 'row_number() OVER (ORDER BY st."title", art."story_id", art."id")'
    # Every name formatted below is a model's table or our own column list; the filters' values are
    # parameters (params), never formatted into the text.
    sql = f"""
SELECT {cells}
FROM (
  SELECT a.rank AS k0, (s."start"::bigint << 32) + s."end" AS k1, u.rank AS k2, s."id" AS k3, {s_cells}
  FROM ({base}) s
  JOIN (
    SELECT art."id", {rank} AS rank FROM "{article_t}" art JOIN "{story_t}" st ON st."id" = art."story_id"
  ) a ON a."id" = s."article_id"
  JOIN (SELECT r."id", row_number() OVER (ORDER BY r."username") AS rank, {u_cells} FROM "{user_t}" r) u
    ON u."id" = s."reviewer_id"
  LEFT JOIN (
    SELECT cg."id", {g_cells}
    FROM "{group_t}" cg LEFT JOIN "{user_t}" d ON d."id" = cg."decided_by_id"
  ) g ON g."id" = s."group_id"
  LEFT JOIN (
    SELECT e."span_id", {_safe(evidence)} AS txt
    FROM "{evidence_t}" e JOIN "{article_t}" ea ON ea."id" = e."article_id"
    GROUP BY e."span_id"
  ) ev ON ev."span_id" = s."id"
  ORDER BY 1, 2, 3, 4
) s
JOIN (
  SELECT {rank} AS rank, {a_cells}
  FROM "{article_t}" art
  JOIN "{story_t}" st ON st."id" = art."story_id"
  LEFT JOIN "{user_t}" ap ON ap."id" = st."approved_by_id"
) a ON a.rank = s.k0
ORDER BY s.k0, s.k1, s.k2, s.k3"""  # nosec B608
    return sql, tuple(params)


def copy_lines(spans: QuerySet[Span]) -> Iterator[bytes]:
    """The CSV rows (no header), CRLF-terminated, in chunks of ROWS_PER_CHUNK rows, read by COPY."""
    sql, params = copy_query(spans)
    statement = f"COPY ({sql}) TO STDOUT (FORMAT csv)"
    connection = connections[spans.db]
    with connection.cursor() as cursor:
        # Django's query log (and so django_assert_num_queries) records execute() only: log the COPY too.
        logged = cursor.debug_sql(statement, params) if hasattr(cursor, "debug_sql") else nullcontext()
        with logged, cursor.cursor.copy(statement, params or None) as copy:
            lines: list = []
            for row in copy:
                lines.append(row[:-1])  # the row's LF; the CRLF goes back in the join below
                if len(lines) >= ROWS_PER_CHUNK:
                    yield b"\r\n".join(lines) + b"\r\n"
                    lines = []
            if lines:
                yield b"\r\n".join(lines) + b"\r\n"
