"""The ONE definition of the verdict CSV: its columns, the query behind them and how a cell is written.

Every CSV path uses this module: the streaming download (views.py), the management command
(export_verdicts) and the admin's django-import-export resource (resources.py). Changing a column here
changes all of them.

Formula-safe cells: a spreadsheet runs a cell that begins with ``=``, ``+``, ``-`` or ``@`` as a formula
(and some also strip a leading tab or carriage return and then do so). Every text cell that begins with
one of those six characters is written with a leading apostrophe (``'=1+1``), which spreadsheets show
as text and hide. Nothing else is changed: quotes, commas, line breaks, emoji and right-to-left text go
through unchanged. Readers that want the original text drop one leading apostrophe from a cell whose
second character is one of the six. The escape is done by the database in the SELECT (SafeText; the
evidence cell, built here, by safe_cell): per-cell Python calls were most of the export's CPU time.
The JSON-LD exports (claimreview.py, annotations.py) carry the original text, unescaped.

One row per span (a reviewer's verdict). The query is one SELECT whatever the number of rows: the
span, its article, story, reviewer and claim group are joined, and its evidence is LEFT JOINed, so a
span with three pieces of evidence comes back as three consecutive rows that `verdict_rows` folds into
one. The order is total (it ends with the span id and the evidence id), so two exports of the same
data are byte-identical.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.db.models import F, Func, QuerySet, TextField, Value, When
from django.db.models.expressions import Case
from django.db.models.functions import Concat, Substr
from django.db.models.lookups import In

from factcheck.review.models import Span

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CHUNK_SIZE = 2000


def safe_cell(value: str) -> str:
    """Text a spreadsheet shows as text: a leading apostrophe before a formula-like first character."""
    if value and value[0] in FORMULA_STARTS:
        return "'" + value
    return value


class SafeText(Case):
    """safe_cell() done by the database, for a whole column: the hot loop stays out of Python."""

    def __init__(self, source: str):
        super().__init__(
            When(In(Substr(F(source), 1, 1), FORMULA_STARTS), then=Concat(Value("'"), F(source))),
            default=F(source),
            output_field=TextField(),
        )


class IsoDate(Func):
    """A date as YYYY-MM-DD text (SQLite already stores it so)."""

    output_field = TextField()

    def as_sql(self, compiler, connection, **extra):
        return super().as_sql(compiler, connection, template="%(expressions)s", **extra)

    def as_postgresql(self, compiler, connection, **extra):
        return super().as_sql(compiler, connection, template="to_char(%(expressions)s, 'YYYY-MM-DD')", **extra)


class IsoUtc(Func):
    """A timestamp as UTC ISO 8601 to the second, 2025-02-03T10:30:00+00:00, formatted by the database."""

    output_field = TextField()

    def as_sql(self, compiler, connection, **extra):
        # SQLite stores UTC as 'YYYY-MM-DD HH:MM:SS[.ffffff]'.
        template = "(replace(substr(%(expressions)s, 1, 19), ' ', 'T') || '+00:00')"
        return super().as_sql(compiler, connection, template=template, **extra)

    def as_postgresql(self, compiler, connection, **extra):
        template = """to_char(%(expressions)s AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"+00:00"')"""
        return super().as_sql(compiler, connection, template=template, **extra)


@dataclass(frozen=True)
class Column:
    key: str  # the header, and the name the admin resource knows the column by
    source: str | None  # ORM path; None for the evidence, folded from the joined rows
    kind: str  # "int" (or empty), "text", "date" or "datetime" (UTC); dates are written by the database
    help: str

    def expression(self, *, safe: bool):
        if self.kind == "date":
            return IsoDate(F(self.source))
        if self.kind == "datetime":
            return IsoUtc(F(self.source))
        if self.kind == "text" and safe:
            return SafeText(self.source)
        return F(self.source)


EVIDENCE_SEPARATOR = "\n"


def evidence_text(article_title: str, start: int, end: int, quote: str) -> str:
    """One piece of evidence in a cell: `Article title [start:end] "quote"`; several are one per line."""
    return f'{article_title} [{start}:{end}] "{quote}"'


COLUMNS: tuple[Column, ...] = (
    Column("span_id", "pk", "int", "The verdict's id."),
    Column("story", "article__story__title", "text", "The story's title."),
    Column("article_title", "article__title", "text", "The article the span is in."),
    Column("outlet", "article__outlet", "text", "Who published the article."),
    Column("url", "article__url", "text", "Where the article was published."),
    Column("published", "article__published", "date", "The article's date (YYYY-MM-DD)."),
    Column("body_sha256", "article__body_sha256", "text", "SHA-256 of the clean body the offsets point into."),
    Column("start", "start", "int", "First code point of the span in the clean body."),
    Column("end", "end", "int", "Code point after the span (half-open [start, end))."),
    Column("quote", "quote", "text", "The highlighted text."),
    Column("context_before", "prefix", "text", "Up to 32 characters before the span."),
    Column("context_after", "suffix", "text", "Up to 32 characters after the span."),
    Column("reviewer", "reviewer__username", "text", "Who gave the verdict."),
    Column("label", "label", "text", "consistent, conflicting or unsupported."),
    Column("note", "note", "text", "The reviewer's note."),
    Column("evidence", None, "text", 'Linked passages, one per line: Article title [start:end] "quote".'),
    Column("group_id", "group_id", "int", "The claim group (overlapping spans of several reviewers)."),
    Column("consensus_label", "group__label", "text", "The label the reviewers agreed on, if they did."),
    Column("final_label", "group__final_label", "text", "An editor's decision on the claim, if any."),
    Column("final_note", "group__final_note", "text", "Why the editor decided so."),
    Column("decided_by", "group__decided_by__username", "text", "The editor who decided."),
    Column("decided_at", "group__decided_at", "datetime", "When (UTC, ISO 8601)."),
    Column("story_state", "article__story__state", "text", "draft, in_review, ready, changes_requested, approved."),
    Column("approved_by", "article__story__approved_by__username", "text", "The editor who approved the story."),
    Column("approved_at", "article__story__approved_at", "datetime", "When (UTC, ISO 8601)."),
)

HEADERS: list[str] = [column.key for column in COLUMNS]
EVIDENCE_INDEX = HEADERS.index("evidence")
SPAN_COLUMNS = [column for column in COLUMNS if column.source is not None]
EVIDENCE_FIELDS = ["evidence__pk", "evidence__article__title", "evidence__start", "evidence__end", "evidence__quote"]
if SPAN_COLUMNS[0].source != "pk":  # _fold tells the spans apart by the first value
    raise ImproperlyConfigured("The first span column must be the span id (pk).")

# Story, article, position, reviewer, then ids: a total order, the same on SQLite and PostgreSQL.
ORDER = (
    "article__story__title",
    "article__story_id",
    "article_id",
    "start",
    "end",
    "reviewer__username",
    "pk",
    "evidence__article_id",
    "evidence__start",
    "evidence__pk",
)


def verdict_values(spans: QuerySet[Span], *, safe: bool = True) -> QuerySet:
    """The one SELECT behind the CSV: the spans' cells, then their evidence's (NULL when none).

    With `safe`, the database escapes formula-like text cells; dates come back as ISO text either way.
    """
    cells = {f"c{i}": column.expression(safe=safe) for i, column in enumerate(SPAN_COLUMNS)}
    return spans.annotate(**cells).order_by(*ORDER).values_list(*cells, *EVIDENCE_FIELDS)


def _fold(values: Iterable[tuple], safe: bool) -> Iterator[list]:
    """Fold the consecutive joined rows of one span into one row, the evidence in its own cell."""
    width = len(SPAN_COLUMNS)
    current: list | None = None
    evidence: list[str] = []
    for row in values:
        if current is None or row[0] != current[0]:
            if current is not None:
                yield _with_evidence(current, evidence, safe)
            current, evidence = list(row[:width]), []
        if row[width] is not None:
            evidence.append(evidence_text(*row[width + 1 :]))
    if current is not None:
        yield _with_evidence(current, evidence, safe)


def _with_evidence(cells: list, evidence: list[str], safe: bool) -> list:
    text = EVIDENCE_SEPARATOR.join(evidence)
    cells.insert(EVIDENCE_INDEX, safe_cell(text) if safe else text)
    return cells


def verdict_records(spans: QuerySet[Span], chunk_size: int = CHUNK_SIZE) -> Iterator[list]:
    """The rows in column order with the ORIGINAL text (no formula escape); ints stay ints, NULL is None."""
    return _fold(verdict_values(spans, safe=False).iterator(chunk_size=chunk_size), safe=False)


def verdict_rows(spans: QuerySet[Span], chunk_size: int = CHUNK_SIZE) -> Iterator[list]:
    """The rows as they go into a CSV or a spreadsheet: every text cell formula-safe."""
    return _fold(verdict_values(spans, safe=True).iterator(chunk_size=chunk_size), safe=True)
