"""The streaming verdict CSV against `psql \\copy` of the same rows, at several sizes (PostgreSQL).

For each size N it fills a dedicated PostgreSQL database (BENCH_DB, default factcheck_bench, migrated
here) with N verdicts of one approved story, generated in SQL (INSERT ... SELECT generate_series: 50
articles, 5 reviewers, half the spans in claim groups, one in ten with two pieces of evidence... see
FILL), then measures in separate processes, each under /usr/bin/time for wall time and peak RSS:

  - the download view through Django's test client, consuming the stream (timed after Django's
    start-up), with when its first byte and its first verdict row arrived;
  - the export_verdicts command writing a file (timed the same way);
  - `psql \\copy (<the export's own SELECT>) TO FILE CSV`: the same rows, no Python (the baseline);
  - `psql \\copy review_span TO FILE CSV`: the span table alone (the baseline of the SELECT);
  - the same two COPYs once more through one connection, for the CPU time the PostgreSQL backend
    spent on each (/proc/<pid>/schedstat, so only with the server on this machine): the figure a
    shared machine's load inflates least, as wall time also waits for a core.

    python bench/export_csv.py                      # 10,000, 100,000 and 1,000,000 rows
    python bench/export_csv.py --size quick         # 100,000 rows (python -m bench)
    python bench/export_csv.py --rows 10000 50000   # any sizes
"""

import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import psycopg
from report import Figure, emit, parser

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DB = os.environ.get("BENCH_DB", "factcheck_bench")
URL = f"postgres://postgres@127.0.0.1:5432/{DB}"
ENV = {
    **os.environ,
    "DATABASE_URL": URL,
    "SECRET_KEY": "bench-only",
    "DEBUG": "0",
    "ALLOWED_HOSTS": "testserver",
    "DJANGO_SETTINGS_MODULE": "factcheck.settings",
    "PYTHONPATH": str(ROOT),
}
ARTICLES = 50
REVIEWERS = 5


def psql(sql: str, db: str = DB) -> str:
    return subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", db, "-v", "ON_ERROR_STOP=1", "-qAt", "-c", sql],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def create_database() -> None:
    if not psql(f"SELECT 1 FROM pg_database WHERE datname = '{DB}'", db="postgres").strip():
        psql(f'CREATE DATABASE "{DB}"', db="postgres")
    subprocess.run([PYTHON, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=ENV, check=True)


FILL = """
TRUNCATE review_evidence, review_span, review_claimgroup, articles_article, articles_story
    RESTART IDENTITY CASCADE;
DELETE FROM auth_user WHERE username LIKE 'bench-%';
INSERT INTO auth_user (username, password, is_superuser, first_name, last_name, email, is_staff, is_active, date_joined)
    SELECT 'bench-' || g, '!', g = 0, '', '', '', g = 0, true, now() FROM generate_series(0, {reviewers}) g;
INSERT INTO articles_story (title, slug, state, state_reason, version, approved_by_id, approved_at, quorum, majority,
                            created_at)
    SELECT 'Bench story', 'bench-story', 'approved', '', 1, id, now(), 2, 0.5, now()
    FROM auth_user WHERE username = 'bench-0';
INSERT INTO articles_article (story_id, title, outlet, url, published, source_name, raw_text, body, body_sha256,
                              imported_at, block_overrides)
    SELECT 1, 'Article ' || g || ': advisers, "deadlines" and 2025', 'Outlet ' || g,
           'https://news.example/' || g, date '2025-01-01' + g, 'bench', repeat('Body text. ', 300),
           repeat('Body text. ', 300), md5(g::text) || md5(g::text), now(), '{{}}'
    FROM generate_series(1, {articles}) g;
INSERT INTO review_claimgroup (article_id, start, "end", status, label, reviewer_count, final_label, final_note,
                                  decided_by_id, decided_at, version, votes, created_at, updated_at)
    SELECT 1 + (g % {articles}), g / {articles}, g / {articles} + 24, 'consensus', 'conflicting', 3,
           CASE WHEN g % 4 = 0 THEN 'consistent' ELSE '' END, CASE WHEN g % 4 = 0 THEN 'Settled.' ELSE '' END,
           CASE WHEN g % 4 = 0 THEN (SELECT id FROM auth_user WHERE username = 'bench-0') END,
           CASE WHEN g % 4 = 0 THEN now() END, 1, '', now(), now()
    FROM generate_series(0, {groups} - 1) g;
INSERT INTO review_span (article_id, reviewer_id, start, "end", quote, prefix, suffix, label, note, group_id,
                         created_at, updated_at)
    SELECT 1 + (g % {articles}),
           (SELECT min(id) FROM auth_user WHERE username LIKE 'bench-%') + 1 + (g / {articles}) % {reviewers},
           g / ({articles} * {reviewers}), g / ({articles} * {reviewers}) + 24,
           CASE WHEN g % 50 = 0 THEN '=the quote ' || g ELSE 'The advisers stay until September 2025, ' || g END,
           'context before, "quoted" ', ' context after',
           (ARRAY['consistent', 'conflicting', 'unsupported'])[1 + g % 3],
           CASE WHEN g % 3 = 0 THEN 'A note, with a comma' ELSE '' END,
           CASE WHEN g % 2 = 0 THEN 1 + (g / 2) % {groups} END,
           now(), now()
    FROM generate_series(0, {rows} - 1) g;
INSERT INTO review_evidence (span_id, article_id, start, "end", quote, created_at)
    SELECT id, 1 + (article_id % {articles}), 10, 30, 'evidence passage', now() FROM review_span WHERE id % 10 = 0;
"""


def fill(rows: int) -> None:
    groups = max(1, rows // 4)
    psql(FILL.format(rows=rows, articles=ARTICLES, reviewers=REVIEWERS, groups=groups))
    # As autovacuum would leave them (it may be off, as on the shared test server): without this, the
    # first run to read the new rows sets their hint bits and writes every page out again, and at
    # 1,000,000 rows (one run each) that is the export's SELECT, measured first.
    tables = ("review_span", "review_evidence", "review_claimgroup", "articles_article", "articles_story", "auth_user")
    psql(f"VACUUM (ANALYZE) {', '.join(tables)}")


EXPORT_SQL = """
import django; django.setup()
from django.db import connection
from factcheck.exports.pgcopy import copy_query
from factcheck.exports.selectors import export_spans, parse_filters
sql, params = copy_query(export_spans(parse_filters({})))
with connection.cursor() as cursor:
    print(cursor.cursor.mogrify(sql, params))
"""

COMMAND = """
import sys, time
import django; django.setup()
from django.core.management import call_command
started = time.perf_counter()
call_command("export_verdicts", "-o", sys.argv[1])
print(f"{time.perf_counter() - started:.3f}")
"""

# The download through Django's test client (warmed by one empty download): the whole stream, and when
# its first byte and its first row came.
VIEW = """
import sys, time
import django; django.setup()
from django.contrib.auth import get_user_model
from django.test import Client
client = Client()
client.force_login(get_user_model().objects.get(username="bench-0"))
# Warm, as a served worker is: one download with no rows (no story is in draft) loads the code paths.
b"".join(client.get("/exports/verdicts.csv", {"state": "draft"}).streaming_content)
started = time.perf_counter()
response = client.get("/exports/verdicts.csv")
first_byte = first_row = None
with open(sys.argv[1], "wb") as out:
    for chunk in response.streaming_content:
        now = time.perf_counter() - started
        first_byte = first_byte if first_byte is not None else now
        if first_row is None and chunk.count(b"\\r\\n") > (1 if out.tell() == 0 else 0):
            first_row = now
        out.write(chunk)
print(f"{time.perf_counter() - started:.3f} {first_byte:.3f} {first_row or 0:.3f}")
"""


def timed(cmd: list[str]) -> tuple[float, float, str]:
    """Wall seconds and peak RSS (MB) of `cmd` under /usr/bin/time -v, and its standard output."""
    done = subprocess.run(["/usr/bin/time", "-v", *cmd], cwd=ROOT, env=ENV, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"{cmd[:3]} failed:\n{done.stderr[-2000:]}")
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)", done.stderr)
    seconds = int(wall.group(1) or 0) * 3600 + int(wall.group(2)) * 60 + float(wall.group(3))
    rss_kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr).group(1))
    return seconds, rss_kb / 1024, done.stdout


def backend_cpu_ms(statements: list[str], runs: int = 3) -> list[float | None]:
    """CPU milliseconds the backend spent on each COPY ... TO STDOUT, best of `runs` (None if unreadable).

    Read from the backend's /proc/<pid>/schedstat (time on a CPU, in ns), so only when PostgreSQL runs on
    this machine; the rows are read and dropped by this process.
    """
    with psycopg.connect(URL, autocommit=True) as conn:
        stat = Path(f"/proc/{conn.info.backend_pid}/schedstat")
        try:
            stat.read_text()
        except OSError:
            return [None for _ in statements]
        best: list[float | None] = [None for _ in statements]
        for _ in range(runs):
            for i, statement in enumerate(statements):
                before = int(stat.read_text().split()[0])
                with conn.cursor().copy(statement) as copy:
                    for _row in copy:
                        pass
                ms = (int(stat.read_text().split()[0]) - before) / 1e6
                best[i] = ms if best[i] is None else min(best[i], ms)
        return best


def lines(path: Path) -> int:
    with path.open("rb") as f:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: f.read(1 << 20), b""))


SIZES = {"tiny": [1_000], "quick": [100_000], "full": [10_000, 100_000, 1_000_000]}
NAME = "export_csv"


def postgres_ready() -> bool:
    done = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-qAtc", "SELECT 1"], capture_output=True
    )
    return done.returncode == 0


def measure(rows: int, select: str, tmp: Path) -> list[Figure]:
    fill(rows)
    ours_file, view_file, psql_file, span_file = (tmp / f"{n}-{rows}.csv" for n in ("ours", "view", "psql", "span"))
    psql_cmd = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", DB, "-c"]
    # Best of three up to 100,000 rows, the four interleaved so a change in the shared machine's load hits
    # each of them alike (the fastest run of each; the highest peak memory).
    copies, spans, commands, views = [], [], [], []
    for _ in range(3 if rows <= 100_000 else 1):
        copies.append(timed([*psql_cmd, f"\\copy ({select}) TO '{psql_file}' WITH (FORMAT csv)"])[0])
        spans.append(timed([*psql_cmd, f"\\copy review_span TO '{span_file}' WITH (FORMAT csv)"])[0])
        _, mb, out = timed([PYTHON, "-c", COMMAND, str(ours_file)])
        commands.append((float(out.split()[-1]), mb))
        _, mb, out = timed([PYTHON, "-c", VIEW, str(view_file)])
        views.append((*(float(x) for x in out.split()[-3:]), mb))
    select_cpu, span_cpu = backend_cpu_ms(
        [f"COPY ({select}) TO STDOUT (FORMAT csv)", "COPY review_span TO STDOUT (FORMAT csv)"],
        runs=3 if rows <= 100_000 else 1,
    )
    copy_s, span_s = min(copies), min(spans)
    command_s, ours_mb = min(commands)[0], max(mb for _, mb in commands)
    view_s, first_byte, first_row, _ = min(views)
    view_mb = max(v[-1] for v in views)
    assert ours_file.read_bytes() == view_file.read_bytes(), "the command and the view differ"
    got = lines(ours_file)  # CRLF rows; no cell of the bench data holds a line break
    assert got == rows + 1, f"expected {rows} rows and a header, got {got} lines"
    psql_name = "psql \\copy of the same SELECT"
    size = f"{rows:,} verdicts"
    target = rows == 100_000
    return [
        Figure(
            NAME,
            f"download, {size}",
            view_s,
            copy_s,
            "s",
            psql_name,
            "<= 1.2 s idle, <= 1.5x" if target else "<= 1.5x",
            view_s / copy_s <= 1.5 and (view_s <= 1.2 or not target),
        ),
        Figure(
            NAME,
            f"export_verdicts command, {size}",
            command_s,
            copy_s,
            "s",
            psql_name,
            "<= 1.5x",
            command_s / copy_s <= 1.5,
        ),
        Figure(
            NAME,
            f"the export SELECT (psql \\copy), {size}",
            copy_s,
            span_s,
            "s",
            "psql \\copy review_span",
            "<= 3x",
            copy_s / span_s <= 3,
        ),
        Figure(
            NAME,
            f"the export SELECT, backend CPU of its COPY, {size}",
            select_cpu,
            span_cpu,
            "ms",
            "the same for COPY review_span",
            note="" if select_cpu is not None else "server not on this machine",
        ),
        Figure(NAME, f"download, first byte, {size}", first_byte, None, "s", "-", "<= 1 s", first_byte <= 1),
        Figure(NAME, f"download, first verdict row, {size}", first_row, copy_s, "s", psql_name),
        Figure(
            NAME,
            f"download, peak memory, {size}",
            view_mb,
            STARTUP_MB[0],
            "MB",
            "Django start-up (manage.py check)",
            "flat: <= start-up + 30 MB",
            view_mb <= STARTUP_MB[0] + 30,
        ),
        Figure(
            NAME,
            f"command, peak memory, {size}",
            ours_mb,
            STARTUP_MB[0],
            "MB",
            "Django start-up (manage.py check)",
            "flat: <= start-up + 30 MB",
            ours_mb <= STARTUP_MB[0] + 30,
        ),
    ]


STARTUP_MB = [0.0]


def main() -> None:
    p = parser(__doc__)
    p.add_argument("--rows", type=int, nargs="*", help="sizes instead of --size's")
    args = p.parse_args()
    sizes = args.rows or SIZES[args.size]
    if not postgres_ready():
        figures = [
            Figure(NAME, f"download, {n:,} verdicts", None, None, "s", "-", note="needs PostgreSQL") for n in sizes
        ]
        emit(figures, args.json)
        return
    create_database()
    select = (
        subprocess.run([PYTHON, "-c", EXPORT_SQL], cwd=ROOT, env=ENV, check=True, capture_output=True, text=True)
        .stdout.strip()
        .replace("\n", " ")
    )
    _, STARTUP_MB[0], _ = timed([PYTHON, "manage.py", "check", "-v", "0"])
    figures: list[Figure] = []
    with tempfile.TemporaryDirectory() as tmp:
        for rows in sizes:
            figures += measure(rows, select, Path(tmp))
    emit(figures, args.json)


if __name__ == "__main__":
    main()
