"""Shared fixtures: the seed story, the newsroom's users, and Playwright on Debian's Chromium."""

import os
import shutil

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

# Playwright's sync API keeps an event loop in the test thread; the ORM must still run there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
PASSWORD = "correct-horse-battery"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not shutil.which(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: run the README's test command, which installs it.")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
        ],
    }


def restore_roles() -> None:
    """Run the role data migrations again (every app's *_roles migration).

    A live-server or transactional test ends with a flush, which empties the Reviewers and Editors
    groups that those migrations made; a later transactional test would find no roles. Permissions
    come back with the flush's post_migrate, groups do not.
    """
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader
    from django.db.migrations.operations import RunPython

    loader = MigrationLoader(connection)
    historical = loader.project_state().apps
    for key in sorted(loader.graph.nodes):
        if key[1].endswith("_roles"):
            for operation in loader.graph.nodes[key].operations:
                if isinstance(operation, RunPython):
                    operation.code(historical, None)


def make_user(django_user_model, username: str, group: str | None, **flags):
    user = django_user_model.objects.create_user(username=username, password=PASSWORD, **flags)
    if group:
        if not Group.objects.filter(name=group).exists():
            restore_roles()
        user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def alice(db, django_user_model):
    return make_user(django_user_model, "alice", "Reviewers")


@pytest.fixture
def bob(db, django_user_model):
    return make_user(django_user_model, "bob", "Reviewers")


@pytest.fixture
def erin(db, django_user_model):
    return make_user(django_user_model, "erin", "Editors", is_staff=True)


@pytest.fixture
def nobody(db, django_user_model):
    """Logged in, but in no group."""
    return make_user(django_user_model, "nobody", None)


@pytest.fixture
def story(db):
    call_command("loaddata", "seed", verbosity=0)
    from factcheck.articles.models import Story

    return Story.objects.get(slug="us-advisers-remain-in-iraq")


def login(page, live_server, username: str, password: str = PASSWORD) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


@pytest.fixture
def output_path(request, pytestconfig):
    """A folder per test under the run's output folder (pytest-playwright's --output) for screenshots."""
    from pathlib import Path

    folder = Path(pytestconfig.getoption("--output")) / "screens" / request.node.name
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def trimmed(body: str, start: int, end: int) -> tuple[int, int]:
    """[start, end) without white space at either end: the server refuses a quote that begins or ends with it."""
    while start < end and body[start].isspace():
        start += 1
    while end > start and body[end - 1].isspace():
        end -= 1
    return start, end


def word_range(body: str, first: int, count: int = 3) -> tuple[int, int]:
    """The code-point range of `count` words of `body`, from its word number `first` (0-based)."""
    starts, ends, inside = [], [], False
    for index, char in enumerate(body + " "):
        if not char.isspace() and not inside:
            starts.append(index)
        elif char.isspace() and inside:
            ends.append(index)
        inside = not char.isspace()
    return starts[first], ends[first + count - 1]


@pytest.fixture
def disputed_claim(story, alice, bob):
    """One claim group on the fourth seed article: alice and bob disagree, both have submitted their review."""
    from factcheck.consensus.models import ClaimGroup
    from factcheck.consensus.services import review_submit
    from factcheck.review.services import span_create

    article = story.articles.get(source_name__startswith="004")
    start, end = word_range(article.body, 10)
    for reviewer, label in ((alice, "conflicting"), (bob, "consistent")):
        span_create(
            article=article, reviewer=reviewer, start=start, end=end, quote=article.body[start:end], label=label
        )
        review_submit(story=story, reviewer=reviewer)
    return ClaimGroup.objects.get(article=article)


CSRF_TOKEN = "harden" * 5 + "ok"  # 32 letters: Django accepts an unmasked secret in cookie and header alike


class LiveClient:
    """One user's HTTP session against the live server without a browser: a session cookie and a CSRF token.

    http.client, one connection per request, so threads can share it and a redirect is returned, not followed.
    """

    def __init__(self, live_server, user):
        from urllib.parse import urlsplit

        from django.conf import settings
        from django.test import Client

        client = Client()
        client.force_login(user)
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        self.cookie = f"{settings.SESSION_COOKIE_NAME}={session}; {settings.CSRF_COOKIE_NAME}={CSRF_TOKEN}"
        parts = urlsplit(live_server.url)
        self.host, self.port = parts.hostname, parts.port

    def post(self, path: str, data: dict, *, htmx: bool = True, timeout: float = 60) -> tuple[int, str]:
        import http.client
        from urllib.parse import urlencode

        headers = {
            "Cookie": self.cookie,
            "X-CSRFToken": CSRF_TOKEN,
            "Content-Type": "application/x-www-form-urlencoded",
            **({"HX-Request": "true"} if htmx else {}),
        }
        connection = http.client.HTTPConnection(self.host, self.port, timeout=timeout)
        try:
            connection.request("POST", path, urlencode(data, doseq=True), headers)
            response = connection.getresponse()
            return response.status, response.read().decode("utf-8", "replace")
        finally:
            connection.close()
