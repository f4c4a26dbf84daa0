"""The verdict CSV as a stream of byte chunks, for the download view and the command alike."""

import csv
from collections.abc import Iterator

from django.db import connections
from django.db.models import QuerySet

from factcheck.exports import pgcopy
from factcheck.exports.columns import CHUNK_SIZE, HEADERS, verdict_rows
from factcheck.review.models import Span

BOM = "\ufeff"
ROWS_PER_CHUNK = 500  # a few hundred kB per write: few system calls, memory stays flat


class _Line:
    """A file-like object whose write() hands back the line, so csv.writer formats without a buffer."""

    def write(self, line: str) -> str:
        return line


def header(*, excel: bool = False) -> bytes:
    return ((BOM if excel else "") + csv.writer(_Line(), lineterminator="\r\n").writerow(HEADERS)).encode("utf-8")


def csv_chunks(spans: QuerySet[Span], *, excel: bool = False, chunk_size: int = CHUNK_SIZE) -> Iterator[bytes]:
    """UTF-8 CSV (RFC 4180, CRLF line ends) of the spans, header first; with `excel`, a BOM before it.

    The header comes before the query runs, so a download starts at once even when the database
    needs seconds to sort a million rows. Memory does not grow with the number of rows: on
    PostgreSQL, COPY hands over one row at a time (pgcopy); elsewhere at most one database chunk of
    rows is held at a time.
    """
    yield header(excel=excel)
    if connections[spans.db].vendor == "postgresql":
        yield from pgcopy.copy_lines(spans)
    else:
        yield from generic_lines(spans, chunk_size=chunk_size)


def generic_lines(spans: QuerySet[Span], *, chunk_size: int = CHUNK_SIZE) -> Iterator[bytes]:
    """The rows (no header) through the ORM and csv.writer: any database; the bytes pgcopy must match."""
    writer = csv.writer(_Line(), lineterminator="\r\n")
    lines = []
    for row in verdict_rows(spans, chunk_size):
        lines.append(writer.writerow(row))
        if len(lines) >= ROWS_PER_CHUNK:
            yield "".join(lines).encode("utf-8")
            lines = []
    if lines:
        yield "".join(lines).encode("utf-8")
