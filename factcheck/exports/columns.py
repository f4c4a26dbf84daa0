"""The ONE definition of the verdict CSV: its columns, the query behind them and how a cell is written.

Every CSV path uses this module: the streaming download (views.py), the management command
(export_verdicts) and the admin's django-import-export resource (resources.py). Changing a column here
changes all of them.

Formula-safe cells: a spreadsheet runs a cell that begins with ``=``, ``+``, ``-`` or ``@`` as a formula
(and some also strip a leading tab or carriage return and then do so). Every text cell that begins with
one of those six characters is written with a leading apostrophe (``'=1+1``), which spreadsheets show
as text and hide. Nothing else is changed: quotes, commas, line breaks, emoji and right-to-left text go
through unchanged. Readers that want the original text drop one leading apostrophe from a cell whose
second character is one of the six. The JSON-LD exports (claimreview.py, annotations.py) carry the
original text, unescaped.

One row per span (a reviewer's verdict). The query is one SELECT whatever the number of rows: the
span, its article, story, reviewer and claim group are joined, and its evidence is LEFT JOINed, so a
span with three pieces of evidence comes back as three consecutive rows that `verdict_rows` folds into
one. The order is total (it ends with the span id and the evidence id), so two exports of the same
data are byte-identical.
"""

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django.db.models import QuerySet

from factcheck.review.models import Span

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CHUNK_SIZE = 2000


def safe_cell(value: str) -> str:
    """Text a spreadsheet shows as text: a leading apostrophe before a formula-like first character."""
    if value and value[0] in FORMULA_STARTS:
        return "'" + value
    return value


def _text(value) -> str:
    return "" if value is None else str(value)


def _date(value: dt.date | None) -> str:
    return "" if value is None else value.isoformat()


def _datetime(value: dt.datetime | None) -> str:
    # UTC, to the second: the same instant is always written the same way.
    return "" if value is None else value.astimezone(dt.UTC).isoformat(timespec="seconds")


def _int(value) -> str:
    return "" if value is None else str(value)


@dataclass(frozen=True)
class Column:
    key: str  # the header, and the name the admin resource knows the column by
    source: str | None  # ORM path read with values_list; None for the evidence, folded from joined rows
    render: Callable[[object], str]
    help: str


EVIDENCE_SEPARATOR = "\n"


def evidence_text(article_title: str, start: int, end: int, quote: str) -> str:
    """One piece of evidence in a cell: `Article title [start:end] "quote"`; several are one per line."""
    return f'{article_title} [{start}:{end}] "{quote}"'


COLUMNS: tuple[Column, ...] = (
    Column("span_id", "pk", _int, "The verdict's id."),
    Column("story", "article__story__title", _text, "The story's title."),
    Column("article_title", "article__title", _text, "The article the span is in."),
    Column("outlet", "article__outlet", _text, "Who published the article."),
    Column("url", "article__url", _text, "Where the article was published."),
    Column("published", "article__published", _date, "The article's date (YYYY-MM-DD)."),
    Column("body_sha256", "article__body_sha256", _text, "SHA-256 of the clean body the offsets point into."),
    Column("start", "start", _int, "First code point of the span in the clean body."),
    Column("end", "end", _int, "Code point after the span (half-open [start, end))."),
    Column("quote", "quote", _text, "The highlighted text."),
    Column("context_before", "prefix", _text, "Up to 32 characters before the span."),
    Column("context_after", "suffix", _text, "Up to 32 characters after the span."),
    Column("reviewer", "reviewer__username", _text, "Who gave the verdict."),
    Column("label", "label", _text, "consistent, conflicting or unsupported."),
    Column("note", "note", _text, "The reviewer's note."),
    Column("evidence", None, _text, 'Linked passages, one per line: Article title [start:end] "quote".'),
    Column("group_id", "group_id", _int, "The claim group (overlapping spans of several reviewers)."),
    Column("consensus_label", "group__label", _text, "The label the reviewers agreed on, if they did."),
    Column("final_label", "group__final_label", _text, "An editor's decision on the claim, if any."),
    Column("final_note", "group__final_note", _text, "Why the editor decided so."),
    Column("decided_by", "group__decided_by__username", _text, "The editor who decided."),
    Column("decided_at", "group__decided_at", _datetime, "When (UTC, ISO 8601)."),
    Column("story_state", "article__story__state", _text, "draft, in_review, ready, changes_requested, approved."),
    Column("approved_by", "article__story__approved_by__username", _text, "The editor who approved the story."),
    Column("approved_at", "article__story__approved_at", _datetime, "When (UTC, ISO 8601)."),
)

HEADERS: list[str] = [column.key for column in COLUMNS]
EVIDENCE_INDEX = HEADERS.index("evidence")
SPAN_FIELDS = [column.source for column in COLUMNS if column.source is not None]
EVIDENCE_FIELDS = ["evidence__pk", "evidence__article__title", "evidence__start", "evidence__end", "evidence__quote"]

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


def verdict_values(spans: QuerySet[Span]) -> QuerySet:
    """The one SELECT behind the CSV: the spans' columns, then their evidence's (NULL when none)."""
    return spans.order_by(*ORDER).values_list(*SPAN_FIELDS, *EVIDENCE_FIELDS)


def _fold(values: Iterable[tuple]) -> Iterator[tuple[tuple, list[str]]]:
    """Fold the consecutive joined rows of one span into (span values, evidence texts)."""
    width = len(SPAN_FIELDS)
    current: tuple | None = None
    evidence: list[str] = []
    for row in values:
        span = row[:width]
        if current is None or span[0] != current[0]:
            if current is not None:
                yield current, evidence
            current, evidence = span, []
        evidence_pk, title, start, end, quote = row[width:]
        if evidence_pk is not None:
            evidence.append(evidence_text(title, start, end, quote))
    if current is not None:
        yield current, evidence


def verdict_records(spans: QuerySet[Span], chunk_size: int = CHUNK_SIZE) -> Iterator[list[str]]:
    """The rows as text cells in column order, ORIGINAL text (no formula escape): for any writer."""
    renderers = [column.render for column in COLUMNS if column.source is not None]
    for values, evidence in _fold(verdict_values(spans).iterator(chunk_size=chunk_size)):
        cells = [render(value) for render, value in zip(renderers, values, strict=True)]
        cells.insert(EVIDENCE_INDEX, EVIDENCE_SEPARATOR.join(evidence))
        yield cells


def verdict_rows(spans: QuerySet[Span], chunk_size: int = CHUNK_SIZE) -> Iterator[list[str]]:
    """The rows as they go into a CSV or a spreadsheet: every cell formula-safe."""
    for cells in verdict_records(spans, chunk_size):
        yield [safe_cell(cell) for cell in cells]
