"""PostgreSQL restarted under load: saves that got a 2xx survive, a plain 503 while it is down, recovery unaided.

This restarts the machine's PostgreSQL cluster, which other test runs may share: the stop lasts
about two seconds, once. SQLite has no server to restart, so the module is not collected there.
"""

import os
import subprocess
import threading
import time

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse

from factcheck.dbfaults import MESSAGE
from tests.factories import LiveClient

if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    pytest.skip(
        "PostgreSQL only: restarts the database server; CI's DATABASE_URL=postgres://... run collects it",
        allow_module_level=True,
    )

CLUSTER = sorted(os.listdir("/etc/postgresql"), key=lambda v: [int(p) for p in v.split(".")])[-1]
WRITERS = 4


def pg_ctl(action: str) -> None:
    # --skip-systemctl-redirect: this machine runs no systemd; -m fast ends sessions at once, as a crash would.
    command = ["pg_ctlcluster", "--skip-systemctl-redirect", CLUSTER, "main", action]
    subprocess.run([*command, *(["-m", "fast"] if action == "stop" else [])], check=True, timeout=60)


def wait_until(condition, seconds: float, step: float = 0.05) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return condition()


@pytest.fixture
def database_restored():
    """Whatever happens in the test, PostgreSQL is running again afterwards."""
    yield
    if subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1"], check=False).returncode != 0:
        pg_ctl("start")
    connection.close()  # the test's own connection died with the server


def test_saves_survive_a_restart_and_the_app_answers_503_while_the_database_is_down(
    live_server, database_restored, disputed_claim, alice
):
    host = settings.DATABASES["default"]["HOST"]
    assert host in ("127.0.0.1", "localhost", ""), f"this test restarts the local cluster, not {host}"
    http = LiveClient(live_server, alice)
    url = reverse("comment-create", args=[disputed_claim.pk])
    results: list[tuple[str, int, str, float]] = []
    lock = threading.Lock()
    done = threading.Event()

    def writer(number: int) -> None:
        count = 0
        while not done.is_set():
            text = f"save {number}-{count}"
            count += 1
            status, body = http.post(url, {"text": text})
            with lock:
                results.append((text, status, body, time.monotonic()))
            time.sleep(0.01)

    def saved_since(moment: float) -> int:
        with lock:
            return sum(1 for _, status, _, at in results if status == 200 and at > moment)

    threads = [threading.Thread(target=writer, args=(n,), daemon=True) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    try:
        assert wait_until(lambda: saved_since(0) >= 20, 60), "the writers never got going"
        stopped = time.monotonic()
        pg_ctl("stop")
        # Down: wait for answers that were sent after the stop, then start again at once.
        down = wait_until(lambda: any(s == 503 and at > stopped + 0.2 for _, s, _, at in results), 3)
        pg_ctl("start")
        started = time.monotonic()
        assert wait_until(lambda: saved_since(started) >= 20, 60), "the app did not recover by itself"
    finally:
        done.set()
        for thread in threads:
            thread.join(timeout=60)

    assert down, "no 503 while the database was down"
    statuses = {status for _, status, _, _ in results}
    assert statuses <= {200, 503}, statuses
    assert all(MESSAGE in body for _, status, body, _ in results if status == 503)
    connection.close()
    from factcheck.consensus.models import Comment

    stored = set(Comment.objects.filter(group=disputed_claim).values_list("text", flat=True))
    acknowledged = {text for text, status, _, _ in results if status == 200}
    assert acknowledged <= stored, sorted(acknowledged - stored)[:5]
    print(
        f"{len(acknowledged)} saves acknowledged, {len(results) - len(acknowledged)} answered 503, down "
        f"{started - stopped:.1f} s"
    )
