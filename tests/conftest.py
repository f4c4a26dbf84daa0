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


def restore_roles() -> None:
    """Re-create the groups and permissions the data migrations made (every migration with a ROLES map)."""
    import sys

    from django.apps import apps
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Permission
    from django.db.migrations.loader import MigrationLoader

    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0)
    for migration in MigrationLoader(None, ignore_no_migrations=True).disk_migrations.values():
        for name, perms in getattr(sys.modules[migration.__module__], "ROLES", {}).items():
            group, _ = Group.objects.get_or_create(name=name)
            for perm in perms:
                app_label, codename = perm.split(".")
                group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))


@pytest.fixture(autouse=True)
def _roles_for_live_server(request):
    """live_server tests empty the database after each test, the migrated roles included: put them back.

    (Serialized rollback cannot be relied on here: Playwright's greenlets can give the test a database
    connection object without the serialized contents, and a plain flush re-creates content types that
    then collide with a restore.)
    """
    if "live_server" in request.fixturenames:
        request.getfixturevalue("transactional_db")
        restore_roles()
