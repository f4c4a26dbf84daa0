"""The verdict CSV as a stream of byte chunks, for the download view and the command alike."""

import csv
from collections.abc import Iterator

from django.db.models import QuerySet

from factcheck.exports.columns import CHUNK_SIZE, HEADERS, verdict_rows
from factcheck.review.models import Span

BOM = "\ufeff"
ROWS_PER_CHUNK = 500  # a few hundred kB per write: few system calls, memory stays flat


class _Line:
    """A file-like object whose write() hands back the line, so csv.writer formats without a buffer."""

    def write(self, line: str) -> str:
        return line


def csv_chunks(spans: QuerySet[Span], *, excel: bool = False, chunk_size: int = CHUNK_SIZE) -> Iterator[bytes]:
    """UTF-8 CSV (RFC 4180, CRLF line ends) of the spans, header first; with `excel`, a BOM before it.

    Nothing is read from the database until the first chunk is asked for, and at most one database
    chunk of rows is held at a time, so memory does not grow with the number of rows.
    """
    writer = csv.writer(_Line(), lineterminator="\r\n")
    head = (BOM if excel else "") + writer.writerow(HEADERS)
    lines = [head]
    for row in verdict_rows(spans, chunk_size):
        lines.append(writer.writerow(row))
        if len(lines) >= ROWS_PER_CHUNK:
            yield "".join(lines).encode("utf-8")
            lines = []
    if lines:
        yield "".join(lines).encode("utf-8")
