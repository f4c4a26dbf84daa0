"""Shared fixtures: the seed story, the newsroom's users, and Playwright on Debian's Chromium."""

import datetime as dt
import os
import shutil

import pytest

from factcheck.consensus.services import group_decide
from factcheck.review.models import ClaimGroup, GroupStatus, Span
from factcheck.review.services import EvidenceRef
from tests import factories

# Playwright's sync API keeps an event loop in the test thread; the ORM must still run there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"


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


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        factories.remember_roles()


@pytest.fixture
def alice(db):
    return factories.make_user("alice", "Reviewers")


@pytest.fixture
def bob(db):
    return factories.make_user("bob", "Reviewers")


@pytest.fixture
def carol(db):
    """A third reviewer."""
    return factories.make_user("carol", "Reviewers")


@pytest.fixture
def erin(db):
    return factories.make_user("erin", "Editors", is_staff=True)


@pytest.fixture
def nobody(db):
    """Logged in, but in no group."""
    return factories.make_user("nobody", None)


@pytest.fixture
def story(db):
    return factories.seed_story()


@pytest.fixture
def draft_story(db):
    """The seed story as the fixture has it: a draft nobody may mark yet."""
    return factories.seed_story(state="draft")


@pytest.fixture
def output_path(request, pytestconfig):
    """A folder per test under the run's output folder (pytest-playwright's --output) for screenshots."""
    from pathlib import Path

    folder = Path(pytestconfig.getoption("--output")) / "screens" / request.node.name
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def verdicts(story, alice, bob, erin):
    """Three verdicts on the seed story, one with two pieces of evidence, two in a decided claim group."""
    articles = list(story.articles.order_by("pk"))
    first, second, third = articles[0], articles[1], articles[2]
    word = first.body.split()[3]
    span_a = factories.mark(
        first,
        alice,
        word,
        label="conflicting",
        note="Contradicted by two outlets",
        evidence=[
            EvidenceRef(second.pk, *factories.find(second, second.body.split()[2]), second.body.split()[2]),
            EvidenceRef(third.pk, *factories.find(third, third.body.split()[1]), third.body.split()[1]),
        ],
    )
    span_b = factories.mark(first, bob, word, label="consistent")
    factories.mark(second, alice, second.body.split()[5], label="unsupported")
    # Grouping runs on every span write: alice and bob marked the same word, so they disagree in one group.
    group = Span.objects.get(pk=span_a.pk).group
    assert group.status == GroupStatus.DISPUTED and group == Span.objects.get(pk=span_b.pk).group
    group = group_decide(
        group=group, editor=erin, final_label="conflicting", final_note="Two reports give 2025.", version=group.version
    )
    # A fixed decision time, so the row's cell can be compared to a literal.
    ClaimGroup.objects.filter(pk=group.pk).update(decided_at=dt.datetime(2025, 2, 3, 10, 30, tzinfo=dt.UTC))
    group.refresh_from_db()
    factories.approve(story, erin)
    return {"a": span_a, "b": span_b, "group": group}


@pytest.fixture
def second_page(browser, live_server):
    """A second person's browser window (a context of its own), closed when the test ends. Left open, its
    keep-alive connections end later, during another test, and the live server's thread for them fails
    closing a database connection that test no longer shares (PytestUnhandledThreadExceptionWarning)."""
    context = browser.new_context()
    yield context.new_page()
    context.close()


@pytest.fixture(autouse=True)
def _empty_cache():
    """The story page caches its pictures in the process's memory: no test sees another's."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def disputed_claim(story, alice, bob):
    """One claim group on the fourth seed article: alice and bob disagree, both have submitted their review."""
    from factcheck.review.models import ClaimGroup
    from factcheck.review.services import review_submit, span_create

    article = story.articles.get(source_name__startswith="004")
    start, end = factories.word_range(article.body, 10)
    for reviewer, label in ((alice, "conflicting"), (bob, "consistent")):
        span_create(
            article=article, reviewer=reviewer, start=start, end=end, quote=article.body[start:end], label=label
        )
        review_submit(story=story, reviewer=reviewer)
    return ClaimGroup.objects.get(article=article)
