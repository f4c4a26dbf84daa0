"""The streaming verdict CSV against `psql \\copy` of the same joined query, at several sizes.

For each size N it fills a dedicated PostgreSQL database (factcheck_bench, migrated here) with N
verdicts of one approved story, generated in SQL (INSERT ... SELECT generate_series), then measures in
separate processes, each under /usr/bin/time for wall time and peak RSS:

  - the export_verdicts command writing a file (call_command, timed after Django's start-up),
  - the download view through Django's test client, consuming the stream (timed the same way),
  - `psql -c "\\copy (<the export's own SELECT>) TO FILE CSV HEADER"`: the same rows, no Python.

    python bench/export_csv.py                     # 10,000 and 100,000 rows
    python bench/export_csv.py 10000 1000000       # any sizes
"""

import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

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
                              imported_at)
    SELECT 1, 'Article ' || g || ': advisers, "deadlines" and 2025', 'Outlet ' || g,
           'https://news.example/' || g, date '2025-01-01' + g, 'bench', repeat('Body text. ', 300),
           repeat('Body text. ', 300), md5(g::text) || md5(g::text), now()
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
ANALYZE;
"""


def fill(rows: int) -> None:
    groups = max(1, rows // 4)
    psql(FILL.format(rows=rows, articles=ARTICLES, reviewers=REVIEWERS, groups=groups))


EXPORT_SQL = """
import django; django.setup()
from django.db import connection
from factcheck.exports.columns import verdict_values
from factcheck.exports.selectors import export_spans, parse_filters
sql, params = verdict_values(export_spans(parse_filters({}))).query.sql_with_params()
print(connection.ops.compose_sql(sql, params))
"""

COMMAND = """
import sys, time
import django; django.setup()
from django.core.management import call_command
started = time.perf_counter()
call_command("export_verdicts", "-o", sys.argv[1])
print(f"{time.perf_counter() - started:.3f}")
"""

VIEW = """
import sys, time
import django; django.setup()
from django.contrib.auth import get_user_model
from django.test import Client
client = Client()
client.force_login(get_user_model().objects.get(username="bench-0"))
started = time.perf_counter()
response = client.get("/exports/verdicts.csv")
size = 0
with open(sys.argv[1], "wb") as out:
    for chunk in response.streaming_content:
        size += len(chunk)
        out.write(chunk)
print(f"{time.perf_counter() - started:.3f}")
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


def lines(path: Path) -> int:
    with path.open("rb") as f:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: f.read(1 << 20), b""))


def main(sizes: list[int]) -> None:
    create_database()
    select = subprocess.run(
        [PYTHON, "-c", EXPORT_SQL], cwd=ROOT, env=ENV, check=True, capture_output=True, text=True
    ).stdout.strip()
    startup, startup_rss, _ = timed([PYTHON, "manage.py", "check", "-v", "0"])
    print(f"Django start-up (manage.py check): {startup:.2f} s, {startup_rss:.0f} MB\n")
    print("seconds: the export itself (Django start-up excluded; psql: its whole run); wall: the whole process")
    print(f"{'rows':>10}  {'what':<32} {'seconds':>8} {'wall':>8} {'peak MB':>8} {'MB out':>8}  ratio to psql")
    with tempfile.TemporaryDirectory() as tmp:
        for rows in sizes:
            fill(rows)
            ours_file, view_file, psql_file = (Path(tmp) / f"{name}-{rows}.csv" for name in ("ours", "view", "psql"))
            copy = f"\\copy ({select}) TO '{psql_file}' WITH (FORMAT csv, HEADER)"
            base_s, base_mb, _ = timed(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", DB, "-c", copy])
            ours_wall, ours_mb, ours_out = timed([PYTHON, "-c", COMMAND, str(ours_file)])
            view_wall, view_mb, view_out = timed([PYTHON, "-c", VIEW, str(view_file)])
            ours_s, view_s = float(ours_out.split()[-1]), float(view_out.split()[-1])
            assert ours_file.read_bytes() == view_file.read_bytes(), "the command and the view differ"
            got = lines(ours_file)  # CRLF rows; no cell of the bench data holds a line break
            assert got == rows + 1, f"expected {rows} rows and a header, got {got} lines"
            for what, s, wall, mb, path in (
                ("psql \\copy (baseline)", base_s, base_s, base_mb, psql_file),
                ("export_verdicts (command)", ours_s, ours_wall, ours_mb, ours_file),
                ("download view, stream consumed", view_s, view_wall, view_mb, view_file),
            ):
                size = path.stat().st_size / 1e6
                print(f"{rows:>10,}  {what:<32} {s:>8.2f} {wall:>8.2f} {mb:>8.0f} {size:>8.1f}  {s / base_s:>5.2f}x")
            print()


if __name__ == "__main__":
    main([int(n) for n in sys.argv[1:]] or [10_000, 100_000])
