"""The apps' imports run one way (pyproject's import-linter contract), so a backward import fails the suite."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_no_app_imports_a_layer_above_it():
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout


def test_the_contract_catches_a_backward_import(tmp_path):
    # The same contract on a copy of the package where articles imports the desk must fail.
    copy = tmp_path / "factcheck"
    subprocess.run(["cp", "-r", str(ROOT / "factcheck"), str(copy)], check=True)
    (copy / "articles" / "backward.py").write_text("from factcheck.desk import selectors  # noqa\n")
    (tmp_path / "pyproject.toml").write_text((ROOT / "pyproject.toml").read_text())
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint), "--no-cache"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PYTHONPATH": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode != 0
    assert "factcheck.articles.backward -> factcheck.desk.selectors" in result.stdout
