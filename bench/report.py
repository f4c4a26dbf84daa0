"""What every bench reports: figures (ours against a baseline of the same run, and a goal), as one Markdown table.

A bench script builds a list of Figure and hands it to `emit`, which prints the table and, under
`python -m bench`, also writes the figures as JSON for the entry point to gather. No Django here: the
scripts that set Django up do so themselves (harness.py), each in its own process.
"""

import argparse
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

SIZES = ("tiny", "quick", "full")


@dataclass
class Figure:
    bench: str  # the script that measured it
    name: str  # what was measured, with its size
    ours: float | None  # None: not measured (the note says why)
    baseline: float | None
    unit: str  # "s", "ms" or "MB"
    baseline_name: str  # what the baseline is
    goal: str = "-"  # the target, in words ("<= 1.5x psql")
    met: bool | None = None  # None: no goal, or not measured
    note: str = ""

    @property
    def ratio(self) -> float | None:
        if self.ours is None or not self.baseline:
            return None
        return self.ours / self.baseline


def parser(description: str) -> argparse.ArgumentParser:
    """The options every bench takes: --size (tiny for the smoke test, quick for `python -m bench`) and --json."""
    p = argparse.ArgumentParser(description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--size", choices=SIZES, default="full", help="full alone; quick under python -m bench")
    p.add_argument("--json", help="also write the figures to this file (used by python -m bench)")
    return p


def _number(value: float | None, unit: str) -> str:
    if value is None:
        return "-"
    return f"{value:,.0f} {unit}" if value >= 100 else f"{value:.3g} {unit}"


def table(figures: list[Figure]) -> str:
    rows = [
        "| bench | figure | ours | baseline | ratio | goal | met |",
        "|---|---|---:|---|---:|---|---|",
    ]
    for f in figures:
        ratio = f.ratio
        baseline = f"{_number(f.baseline, f.unit)} ({f.baseline_name})" if f.baseline is not None else f.baseline_name
        met = {True: "yes", False: "**no**", None: "-"}[f.met]
        name = f"{f.name} ({f.note})" if f.note else f.name
        cells = [f.bench, name, _number(f.ours, f.unit), baseline, f"{ratio:.2f}x" if ratio else "-", f.goal, met]
        rows.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(rows)


def machine() -> str:
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return f"{os.cpu_count()} cores, load average {load} (other work on the machine inflates every figure)"


def emit(figures: list[Figure], json_path: str | None) -> None:
    print(table(figures))
    if json_path:
        Path(json_path).write_text(json.dumps([asdict(f) for f in figures]))


def load(json_path: Path) -> list[Figure]:
    return [Figure(**item) for item in json.loads(json_path.read_text())]
