"""One entry point for every benchmark: `python -m bench` runs them all at a quick size and prints one table.

    python -m bench                          # quick sizes; the table also goes to bench/results/latest.md
    python -m bench --size tiny              # the smoke test's sizes (figures mean little)
    python -m bench --only export_csv load   # some of them
    python bench/export_csv.py               # one of them alone, at full size

Each benchmark runs in its own process (they set Django up with different settings and databases) and
hands its figures back as JSON; a benchmark that fails gets a row saying so, and the others still run.
Every figure is ours against a baseline measured in the same run on the same machine, with the goal
from the issue where there is one. DATABASE_URL chooses the database of the in-process benches
(consensus, workflow, pictures); export_csv and load always use PostgreSQL (BENCH_DB, default factcheck_bench).
"""

import argparse
import datetime as dt
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from report import SIZES, Figure, load, machine, table  # noqa: E402

BENCHES = ("export_csv", "consensus", "workflow", "article_page", "save", "pictures", "load", "setup_time")
TIMEOUT_S = {"tiny": 600, "quick": 1200, "full": 7200}


def run(name: str, size: str, tmp: Path) -> tuple[list[Figure], float]:
    out = tmp / f"{name}.json"
    started = time.monotonic()
    try:
        done = subprocess.run(
            [sys.executable, str(HERE / f"{name}.py"), "--size", size, "--json", str(out)],
            cwd=HERE.parent,
            capture_output=True,
            text=True,
            timeout=TIMEOUT_S[size],
        )
        failure = f"exit {done.returncode}: {(done.stderr or done.stdout).strip().splitlines()[-1:]}"
        failed = done.returncode != 0 or not out.exists()
    except subprocess.TimeoutExpired:
        failure, failed = f"no answer in {TIMEOUT_S[size]} s", True
    elapsed = time.monotonic() - started
    if failed:
        return [Figure(name, "(failed)", None, None, "s", "-", note=failure)], elapsed
    return load(out), elapsed


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--size", choices=SIZES, default="quick")
    p.add_argument("--only", nargs="*", choices=BENCHES, help="run only these")
    p.add_argument("--out", default=str(HERE / "results" / "latest.md"), help="where the Markdown goes")
    args = p.parse_args()

    figures: list[Figure] = []
    timings = []
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.only or BENCHES:
            print(f"running {name} ({args.size}) ...", file=sys.stderr, flush=True)
            got, elapsed = run(name, args.size, Path(tmp))
            figures += got
            timings.append(f"{name} {elapsed:.0f} s")

    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=HERE, capture_output=True, text=True)
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    text = "\n".join(
        [
            f"# Benchmarks, {args.size} size, {now}, commit {commit.stdout.strip() or '?'}",
            "",
            f"Machine: {machine()}. Database of the in-process benches: "
            f"{'PostgreSQL' if os.environ.get('DATABASE_URL', '').startswith('postgres') else 'SQLite'}.",
            f"Run times: {', '.join(timings)}.",
            "",
            table(figures),
            "",
        ]
    )
    print(text)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
