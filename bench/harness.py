"""What the in-process benches share: Django set up on the test settings, a throw-away database, a median timer."""

import os
import statistics
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
warnings.filterwarnings("ignore", message="No directory at")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402


def timed(fn: Callable[[], object], repeat: int) -> float:
    """The median wall time of `repeat` calls, in seconds."""
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def in_test_database(run: Callable[..., None], *args) -> None:
    """Run in a fresh test database (of DATABASE_URL's kind) that is dropped afterwards."""
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        run(*args)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
