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


def make_user(django_user_model, username: str, group: str | None, **flags):
    user = django_user_model.objects.create_user(username=username, password=PASSWORD, **flags)
    if group:
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


# Live-server (transactional) tests end with a flush, which wipes the Reviewers and Editors groups that
# the data migrations made (post_migrate brings back permissions, not groups); the next browser test
# would then find no roles. The groups are snapshotted once and put back before each such test.
ROLES: dict[str, list[tuple[str, str]]] = {}


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from django.contrib.auth.models import Group

    with django_db_blocker.unblock():
        for group in Group.objects.prefetch_related("permissions__content_type"):
            ROLES[group.name] = [(p.content_type.app_label, p.codename) for p in group.permissions.all()]


@pytest.fixture(autouse=True)
def _roles_after_flush(request):
    marker = request.node.get_closest_marker("django_db")
    transactional = marker is not None and (marker.kwargs.get("transaction") or (marker.args and marker.args[0]))
    if not (transactional or {"live_server", "transactional_db"} & set(request.fixturenames)):
        return
    request.getfixturevalue("transactional_db")
    from django.contrib.auth.models import Group, Permission
    from django.db.models import Q

    for name, perms in ROLES.items():
        group, created = Group.objects.get_or_create(name=name)
        if created and perms:
            wanted = Q()
            for app_label, codename in perms:
                wanted |= Q(content_type__app_label=app_label, codename=codename)
            group.permissions.set(Permission.objects.filter(wanted))
