"""Twenty users at once against a real app server: 200 saves, edits and decisions, no 5xx, exactly the 2xx rows.

gunicorn runs the app in two processes of four threads on a database of its own: a WAL file for
SQLite (as in production; the in-memory test database cannot be shared between processes), a
fresh database for PostgreSQL. Reviewers mark and edit spans on three articles while editors
decide the claims of a fourth, each of them as fast as the server answers.
"""

import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
REVIEWERS, EDITORS = 16, 4
CREATES, EDITS, DECISIONS = 6, 4, 10  # per reviewer, per reviewer, per editor: 16 * 10 + 4 * 10 = 200
CSRF = "concurrency" * 2 + "0123456789"

# Runs in the server's environment: the seed story in review, the users, a disputed claim per group
# of words on the fourth article, and a session per user, printed as JSON.
SETUP = """
import json, django
django.setup()
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.test import Client
from factcheck.articles.models import Story, StoryState
from factcheck.review.models import ClaimGroup
from factcheck.review.services import review_submit
from factcheck.review.services import span_create
from tests.factories import word_range

call_command("loaddata", "seed", verbosity=0)
story = Story.objects.get()
Story.objects.filter(pk=story.pk).update(state=StoryState.IN_REVIEW)
story.refresh_from_db()
reviewers, editors = Group.objects.get(name="Reviewers"), Group.objects.get(name="Editors")
def user(name, group, **flags):
    made = User.objects.create_user(username=name, password="x-" + name, **flags)
    made.groups.add(group)
    if group == reviewers:
        story.reviewers.add(made)  # a reviewer marks only the stories assigned to them
    return made
articles = list(story.articles.order_by("pk"))
judged = articles[4]
seeders = [user("seed-a", reviewers), user("seed-b", reviewers)]
for claim in range(10):
    start, end = word_range(judged.body, 8 * claim, 4)
    for seeder, label in zip(seeders, ["consistent", "conflicting"]):
        span_create(article=judged, reviewer=seeder, start=start, end=end, quote=judged.body[start:end], label=label)
for seeder in seeders:
    review_submit(story=story, reviewer=seeder)
people = [user(f"reviewer{n}", reviewers) for n in range(REVIEWERS)]
people += [user(f"editor{n}", editors, is_staff=True) for n in range(EDITORS)]
sessions = {}
for person in people:
    client = Client()
    client.force_login(person)
    sessions[person.username] = client.cookies["sessionid"].value
groups = [{"pk": g.pk, "version": g.version} for g in ClaimGroup.objects.filter(article=judged).order_by("start")]
bodies = {a.pk: a.body for a in articles}
print(json.dumps({"sessions": sessions, "groups": groups, "articles": [a.pk for a in articles], "bodies": bodies}))
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def database_url(tmp_path):
    """A database of the engine under test that only this test's server uses; dropped afterwards."""
    db = settings.DATABASES["default"]
    if db["ENGINE"] == "django.db.backends.sqlite3":
        yield f"sqlite:///{tmp_path / 'concurrency.sqlite3'}"
        return
    import psycopg

    name = f"factcheck_concurrency_{uuid.uuid4().hex[:8]}"
    params = {"host": db["HOST"] or "127.0.0.1", "port": db["PORT"] or 5432, "user": db["USER"]}
    with psycopg.connect(dbname="postgres", autocommit=True, password=db["PASSWORD"] or None, **params) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgres://{params['user']}@{params['host']}:{params['port']}/{name}"
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, password=db["PASSWORD"] or None, **params) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def server(database_url, tmp_path):
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": database_url,
        "ALLOWED_HOSTS": "127.0.0.1",
        "PYTHONPATH": str(ROOT),
    }
    run = {"cwd": ROOT, "env": env, "capture_output": True, "text": True, "timeout": 300}
    migrated = subprocess.run([sys.executable, "manage.py", "migrate", "--no-input"], **run)
    assert migrated.returncode == 0, migrated.stderr
    code = SETUP.replace("REVIEWERS", str(REVIEWERS)).replace("EDITORS", str(EDITORS))
    made = subprocess.run([sys.executable, "-c", code], **run)
    assert made.returncode == 0, made.stderr
    world = json.loads(made.stdout.strip().splitlines()[-1])
    port = free_port()
    log = tmp_path / "gunicorn.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "factcheck.wsgi", "-b", f"127.0.0.1:{port}", "-w", "2"]
            + ["--threads", "4", "--timeout", "120"],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        yield {"port": port, "world": world, "log": log, "env": env}
    finally:
        process.terminate()
        process.wait(timeout=30)


def request(port: int, session: str, method: str, path: str, data: dict | None = None) -> tuple[int, dict, str]:
    import http.client

    headers = {"Cookie": f"sessionid={session}; csrftoken={CSRF}", "X-CSRFToken": CSRF, "HX-Request": "true"}
    body = None
    if data is not None:
        body = urlencode(data, doseq=True)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        connection.request(method, path, body, headers)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read().decode("utf-8", "replace")
    finally:
        connection.close()


def word_starts(body: str) -> list[tuple[int, int]]:
    return [match.span() for match in re.finditer(r"\S+", body)]


def test_twenty_users_at_once_get_no_5xx_and_exactly_the_rows_that_got_a_2xx(server):
    port, world = server["port"], server["world"]
    articles = world["articles"]
    bodies = {int(pk): body for pk, body in world["bodies"].items()}
    outcomes: list[dict] = []
    lock = threading.Lock()
    start = threading.Barrier(REVIEWERS + EDITORS)

    def record(**outcome) -> None:
        with lock:
            outcomes.append(outcome)

    def reviewer(number: int) -> None:
        session = world["sessions"][f"reviewer{number}"]
        start.wait()
        created = []
        for k in range(CREATES):
            article = articles[k % 3]
            words = word_starts(bodies[article])
            first = words[5 * k + number % 4]
            last = words[5 * k + number % 4 + 2]
            data = {"start": first[0], "end": last[1], "quote": bodies[article][first[0] : last[1]]}
            data["label"] = ["consistent", "conflicting", "unsupported"][(number + k) % 3]
            status, headers, body = request(port, session, "POST", f"/articles/{article}/spans/", data)
            span = json.loads(headers.get("HX-Trigger-After-Settle", "{}")).get("span-created", {}).get("id")
            record(kind="create", user=f"reviewer{number}", status=status, body=body, span=span, **data)
            if span:
                created.append(span)
        for j in range(EDITS):
            span = created[j % len(created)]
            data = {"label": ["unsupported", "consistent"][j % 2], "note": f"edit {number}-{j}"}
            status, _, body = request(port, session, "POST", f"/spans/{span}/edit/", data)
            record(kind="edit", user=f"reviewer{number}", status=status, body=body, span=span, **data)

    def editor(number: int) -> None:
        session = world["sessions"][f"editor{number}"]
        start.wait()
        for j in range(DECISIONS):
            group = world["groups"][(number * 3 + j) % len(world["groups"])]
            page = request(port, session, "GET", f"/claims/{group['pk']}/")[2]
            seen = re.search(r'name="version" value="(\d+)"', page)
            data = {
                "final_label": ["consistent", "conflicting", "unsupported"][j % 3],
                "final_note": f"decision {number}-{j}",
                "version": seen.group(1) if seen else "0",
            }
            status, _, body = request(port, session, "POST", f"/claims/{group['pk']}/decide/", data)
            record(kind="decide", user=f"editor{number}", status=status, body=body, group=group["pk"], **data)

    threads = [threading.Thread(target=reviewer, args=(n,)) for n in range(REVIEWERS)]
    threads += [threading.Thread(target=editor, args=(n,)) for n in range(EDITORS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)

    assert len(outcomes) == REVIEWERS * (CREATES + EDITS) + EDITORS * DECISIONS == 200
    assert not [o for o in outcomes if o["status"] >= 500], "5xx answers"
    assert not [o for o in outcomes if "database is locked" in o["body"]]
    log = server["log"].read_text()
    assert "database is locked" not in log and "Traceback" not in log, log[-2000:]
    # Every create and edit here is valid: all 2xx. Decisions race each other: 200 or 409, nothing else.
    assert {o["status"] for o in outcomes if o["kind"] == "create"} == {201}
    assert {o["status"] for o in outcomes if o["kind"] == "edit"} == {200}
    assert {o["status"] for o in outcomes if o["kind"] == "decide"} <= {200, 409}

    stored = read_back(server)
    acknowledged = {(o["user"], o["span"], o["start"], o["end"]) for o in outcomes if o["kind"] == "create"}
    assert {tuple(row[:4]) for row in stored["spans"]} == acknowledged
    last_edit = {}
    for o in outcomes:
        if o["kind"] == "edit":
            last_edit[o["span"]] = (o["label"], o["note"])  # each reviewer edits in order, one thread each
    assert {row[1]: (row[4], row[5]) for row in stored["spans"] if row[1] in last_edit} == last_edit
    decided = [o for o in outcomes if o["kind"] == "decide" and o["status"] == 200]
    for group in world["groups"]:
        mine = [o for o in decided if o["group"] == group["pk"]]
        row = stored["groups"][str(group["pk"])]
        assert row["version"] == group["version"] + len(mine)
        assert row["decisions"] == len(mine)
        if mine:
            assert row["final_note"] in {o["final_note"] for o in mine}
    print(f"{len(decided)} decisions won, {sum(1 for o in outcomes if o['status'] == 409)} lost a race (409)")


READ_BACK = """
import json, django
django.setup()
from factcheck.review.models import ClaimGroup
from factcheck.review.models import Span
spans = [
    [s.reviewer.username, s.pk, s.start, s.end, s.label, s.note]
    for s in Span.objects.select_related("reviewer").filter(reviewer__username__startswith="reviewer")
]
groups = {
    str(g.pk): {"version": g.version, "final_note": g.final_note, "decisions": g.history.exclude(decided_by=None)
    .values("decided_at").distinct().count()}
    for g in ClaimGroup.objects.filter(spans__reviewer__username="seed-a").distinct()
}
print(json.dumps({"spans": spans, "groups": groups}))
"""


def read_back(server) -> dict:
    run = {"cwd": ROOT, "env": server["env"], "capture_output": True, "text": True, "timeout": 120}
    result = subprocess.run([sys.executable, "-c", READ_BACK], **run)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])
