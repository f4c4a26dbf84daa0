"""Speed under load: gunicorn on PostgreSQL driven by locust, each mix against the login page in the same run.

    python bench/load.py                   # 16 and 64 clients, 30 s per mix
    python bench/load.py --size quick      # 16 clients, 10 s per mix (python -m bench)
    python bench/load.py --clients 16 --seconds 60

Builds a PostgreSQL template database (BENCH_LOAD_DB + "_template", default factcheck_load): the seed
story, open for review, its first article carrying 100 verdicts, 64 reviewers (one verdict each, for
the edits) and 4 editors, every account with a stored session. For each client count and mix it copies
the template into BENCH_LOAD_DB (each pass starts from the same data), starts gunicorn on it (4 workers,
127.0.0.1 only, production settings: DEBUG off, WhiteNoise) under `timeout`, so it stops by itself even
if this script dies, and runs locust headless, the clients looping with no wait:

  login page  GET /accounts/login/ (anonymous): the cheap page, the baseline
  page        GET the article with its verdicts (a reviewer)
  save        POST a new verdict there, as htmx does (a reviewer; a sentence or a run of its words)
  edit        POST a change to the reviewer's own verdict (label, note)
  consensus   GET the story's consensus page (an editor: every reviewer's verdicts)

It prints, per mix and client count, p50 / p95 / max, requests per second and errors (5xx apart),
with the p95 and the throughput as ratios to the login page's at the same client count.
"""

import csv
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from report import Figure, emit, machine, parser

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
BIN = Path(sys.executable).parent
DB = os.environ.get("BENCH_LOAD_DB", "factcheck_load")
URL = f"postgres://postgres@127.0.0.1:5432/{DB}"
PASSWORD = "load-bench-password"
WORKERS = 4
MIXES = ("login page", "page", "save", "edit", "consensus")
SIZES = {"tiny": ([2], 3), "quick": ([16], 10), "full": ([16, 64], 30)}  # client counts, seconds per mix
NAME = "load"
SAVE_P95_GOAL_MS = 150
SAVE_THROUGHPUT_GOAL = 1 / 3

SETUP = """
import json, sys
import django; django.setup()
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, load_backend
from django.contrib.auth.hashers import make_password
from importlib import import_module
from django.utils.crypto import get_random_string
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from factcheck.articles.models import Story
from factcheck.review.services import span_create
call_command("loaddata", "seed", verbosity=0)
story = Story.objects.get(slug="us-advisers-remain-in-iraq")
Story.objects.filter(pk=story.pk).update(state="in_review")
story.refresh_from_db()
article = story.articles.order_by("pk").first()
body = article.body
password = make_password(sys.argv[2])  # hashed once: the hasher is slow on purpose
reviewers = User.objects.bulk_create(User(username=f"load-r{n}", password=password) for n in range(64))
editors = User.objects.bulk_create(User(username=f"load-e{n}", password=password, is_staff=True) for n in range(4))
Group.objects.get(name="Reviewers").user_set.add(*reviewers)
story.reviewers.add(*reviewers)  # reviewers mark only the stories assigned to them
Group.objects.get(name="Editors").user_set.add(*editors)


backend = next(path for path in settings.AUTHENTICATION_BACKENDS if hasattr(load_backend(path), "get_user"))


def signed_in(user):
    # A session as login() leaves it, and a CSRF secret: clients start signed in, no password hashing.
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    # The backend that loads users (the first may only guard logins, as django-axes's does).
    session[SESSION_KEY], session[BACKEND_SESSION_KEY] = str(user.pk), backend
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return {"session": session.session_key, "csrf": get_random_string(32)}


accounts = []
for n, user in enumerate(reviewers):
    # One verdict of each reviewer to edit, and 36 more so the article carries 100.
    for k in range(1 + (n < 36)):
        start, end = 40 * n + 7 * k, 40 * n + 7 * k + 25
        while body[start].isspace():  # a quote may not begin or end with white space
            start += 1
        while body[end - 1].isspace():
            end -= 1
        span, _ = span_create(article=article, reviewer=user, start=start, end=end,
                              quote=body[start:end], label="consistent")
        if k == 0:
            accounts.append({"username": user.username, "span": span.pk, **signed_in(user)})
editors = [{"username": user.username, **signed_in(user)} for user in editors]
json.dump({"story": story.slug, "article": article.pk, "body": body,
           "reviewers": accounts, "editors": editors}, open(sys.argv[1], "w"))
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def psql(sql: str) -> None:
    subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-qAtc", sql], check=True, capture_output=True
    )


def postgres_ready() -> bool:
    done = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-qAtc", "SELECT 1"], capture_output=True
    )
    return done.returncode == 0


def wait_for(url: str, deadline: float) -> None:
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"gunicorn did not answer at {url}")


@contextmanager
def gunicorn(env: dict, port: int, deadline: int):
    """WORKERS gunicorn workers on 127.0.0.1 under `timeout`: stopped on leaving, or by themselves at the deadline."""
    server = subprocess.Popen(
        ["timeout", "-s", "TERM", str(deadline), str(BIN / "gunicorn"), "factcheck.wsgi",
         "-b", f"127.0.0.1:{port}", "-w", str(WORKERS), "--timeout", "60", "--log-level", "warning"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    try:
        yield server
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def locust(env: dict, host: str, mix: str, clients: int, seconds: int, tmp: Path) -> dict:
    """One headless locust run; its aggregated figures for the mix."""
    prefix = tmp / f"{mix.replace(' ', '_')}-{clients}"
    cmd = [
        "timeout", "-s", "INT", str(seconds + 60),
        str(BIN / "locust"), "-f", str(ROOT / "bench" / "locustfile.py"), "--headless", "--only-summary",
        "-u", str(clients), "-r", str(clients), "--run-time", f"{seconds}s", "--stop-timeout", "5",
        "--reset-stats", "--host", host, "--csv", str(prefix), "--loglevel", "ERROR",
    ]  # fmt: skip
    done = subprocess.run(cmd, cwd=ROOT, env={**env, "LOAD_MIX": mix}, capture_output=True, text=True)
    if not Path(f"{prefix}_stats.csv").exists():
        raise SystemExit(f"locust failed ({mix}, {clients} clients):\n{done.stderr[-3000:]}")
    with open(f"{prefix}_stats.csv") as f:
        rows = {row["Name"]: row for row in csv.DictReader(f)}
    errors = 0
    server_errors = 0
    if Path(f"{prefix}_failures.csv").exists():
        with open(f"{prefix}_failures.csv") as f:
            for row in csv.DictReader(f):
                if row["Name"] == mix:
                    errors += int(row["Occurrences"])
                    server_errors += int(row["Occurrences"]) if re.search(r"HTTP 5\d\d", row["Error"]) else 0
    row = rows.get(mix)
    if row is None or int(row["Request Count"]) == 0:
        return {
            "requests": 0,
            "p50": None,
            "p95": None,
            "max": None,
            "rps": 0.0,
            "errors": errors,
            "5xx": server_errors,
        }
    return {
        "requests": int(row["Request Count"]),
        "p50": round(float(row["50%"])),
        "p95": round(float(row["95%"])),
        "max": round(float(row["Max Response Time"])),
        "rps": float(row["Requests/s"]),
        "errors": errors,
        "5xx": server_errors,
    }


def main() -> int:
    p = parser(__doc__)
    p.add_argument("--clients", type=int, nargs="*")
    p.add_argument("--seconds", type=int)
    args = p.parse_args()
    counts, seconds = SIZES[args.size]
    counts, seconds = args.clients or counts, args.seconds or seconds
    warm_up = max(1, min(3, seconds // 3))
    if not postgres_ready():
        emit([Figure(NAME, "save p95", None, None, "ms", "-", note="needs PostgreSQL")], args.json)
        return 0

    env = {
        **os.environ,
        "DATABASE_URL": URL,
        "SECRET_KEY": "load-bench-not-a-secret",
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SETTINGS_MODULE": "factcheck.settings",
        "PYTHONPATH": str(ROOT),
        "LOG_LEVEL": "ERROR",
    }
    template = f"{DB}_template"
    psql(f'DROP DATABASE IF EXISTS "{template}" WITH (FORCE)')
    psql(f'CREATE DATABASE "{template}"')
    setup_env = {**env, "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{template}"}
    subprocess.run([PYTHON, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=setup_env, check=True)
    static_root = ROOT / "staticfiles"
    collected_here = not static_root.exists()
    subprocess.run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)

    results: dict[tuple[str, int], dict] = {}
    port = free_port()
    host = f"http://127.0.0.1:{port}"
    try:
        with tempfile.TemporaryDirectory() as tmp_name:
            tmp = Path(tmp_name)
            data = tmp / "data.json"
            subprocess.run([PYTHON, "-c", SETUP, str(data), PASSWORD], cwd=ROOT, env=setup_env, check=True)
            for clients in counts:
                for mix in MIXES:
                    print(f"  {mix}, {clients} clients, {seconds} s ...", file=sys.stderr, flush=True)
                    # Every pass starts from the same data (saves add verdicts, and their cost grows with them).
                    psql(f'DROP DATABASE IF EXISTS "{DB}" WITH (FORCE)')
                    psql(f'CREATE DATABASE "{DB}" TEMPLATE "{template}"')
                    with gunicorn(env, port, deadline=seconds + warm_up + 180):
                        wait_for(f"{host}/accounts/login/", time.monotonic() + 60)
                        run_env = {**env, "LOAD_DATA": str(data)}
                        # A short pass first, not counted: fresh workers compile templates and open connections.
                        locust(run_env, host, mix, clients, warm_up, tmp)
                        results[mix, clients] = locust(run_env, host, mix, clients, seconds, tmp)
    finally:
        psql(f'DROP DATABASE IF EXISTS "{DB}" WITH (FORCE)')
        psql(f'DROP DATABASE IF EXISTS "{template}" WITH (FORCE)')
        if collected_here:
            shutil.rmtree(static_root, ignore_errors=True)

    print(f"Machine: {machine()}; gunicorn {WORKERS} workers on PostgreSQL; locust clients with no wait, {seconds} s")
    print(
        "| mix | clients | requests | p50 ms | p95 ms | max ms | req/s | errors (5xx) | p95 / login | req/s / login |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    figures: list[Figure] = []
    for clients in counts:
        base = results["login page", clients]
        for mix in MIXES:
            r = results[mix, clients]
            p95_ratio = f"{r['p95'] / base['p95']:.2f}x" if r["p95"] and base["p95"] else "-"
            rps_ratio = f"{r['rps'] / base['rps']:.2f}x" if base["rps"] else "-"
            print(
                f"| {mix} | {clients} | {r['requests']} | {r['p50'] or '-'} | {r['p95'] or '-'} | {r['max'] or '-'} "
                f"| {r['rps']:.1f} | {r['errors']} ({r['5xx']}) | {p95_ratio} | {rps_ratio} |"
            )
            if mix == "login page":
                continue
            save16 = mix == "save" and clients == 16
            figures.append(
                Figure(NAME, f"{mix}, {clients} clients, p95", r["p95"], base["p95"], "ms", "the login page's p95",
                       f"<= {SAVE_P95_GOAL_MS} ms" if save16 else "-",
                       (r["p95"] or 1e9) <= SAVE_P95_GOAL_MS if save16 else None,
                       note=f"p50 {r['p50']}, max {r['max']}")
            )  # fmt: skip
            figures.append(
                Figure(NAME, f"{mix}, {clients} clients, requests/s", r["rps"], base["rps"], "req/s",
                       "the login page's", ">= 0.33x" if save16 else "-",
                       r["rps"] >= SAVE_THROUGHPUT_GOAL * base["rps"] if save16 else None,
                       note=f"{r['errors']} errors, {r['5xx']} 5xx")
            )  # fmt: skip
        figures.append(
            Figure(NAME, f"5xx answers, {clients} clients, all mixes", sum(results[m, clients]["5xx"] for m in MIXES),
                   None, "", "-", "0", all(results[m, clients]["5xx"] == 0 for m in MIXES))
        )  # fmt: skip
    emit(figures, args.json)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
