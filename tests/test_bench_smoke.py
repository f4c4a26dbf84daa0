"""`python -m bench` runs every benchmark at tiny sizes and writes one table with a row for each (times not checked)."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCHES = ("export_csv", "consensus", "workflow", "article_page", "save", "pictures", "load", "setup_time")


def test_python_m_bench_writes_one_table_with_every_benchmark(tmp_path):
    out = tmp_path / "latest.md"
    suffix = uuid.uuid4().hex[:8]
    env = {
        **os.environ,
        # Databases of their own, so the suite's test database and other runs are left alone.
        "DATABASE_URL": f"sqlite:///{tmp_path / 'bench.sqlite3'}",
        "BENCH_DB": f"factcheck_benchsmoke_{suffix}",
        "BENCH_LOAD_DB": f"factcheck_loadsmoke_{suffix}",
    }
    try:
        done = subprocess.run(
            [sys.executable, "-m", "bench", "--size", "tiny", "--out", str(out)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
        )
    finally:
        subprocess.run(
            ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-qc",
             f'DROP DATABASE IF EXISTS "factcheck_benchsmoke_{suffix}" WITH (FORCE)'],
            capture_output=True,
        )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    text = out.read_text()
    assert text == done.stdout.strip() + "\n"
    rows = [line for line in text.splitlines() if line.startswith("| ") and not line.startswith("| bench ")]
    assert {row.split(" | ")[0].removeprefix("| ") for row in rows} == set(BENCHES)
    assert not [row for row in rows if "(failed)" in row], "\n".join(rows)
    assert "| bench | figure | ours | baseline | ratio | goal | met |" in text
