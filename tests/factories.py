"""The one way tests make users, stories, articles and spans, and the few helpers several test modules share."""

import csv
import io
import re

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from factcheck.articles.models import Article, Story, StoryState
from factcheck.consensus.services import comment_create
from factcheck.review.models import Discussion, Span
from factcheck.review.services import span_create
from factcheck.workflow.services import story_transition

PASSWORD = "correct-horse-battery"
SEED_SLUG = "us-advisers-remain-in-iraq"

# The roles as the migrations left them: {group name: [(app_label, codename), ...]}, read once per run.
_roles: dict[str, list[tuple[str, str]]] = {}


def remember_roles() -> None:
    """Note the Reviewers and Editors groups' permissions as the migrations granted them."""
    _roles.clear()
    for group in Group.objects.prefetch_related("permissions__content_type"):
        _roles[group.name] = [(p.content_type.app_label, p.codename) for p in group.permissions.all()]


def restore_roles() -> None:
    """Make the role groups again after a live-server or transactional test's flush emptied them.

    A flush leaves the permissions (post_migrate makes them again) but not the groups the data
    migrations made; a later test would find no roles.
    """
    for name, perms in _roles.items():
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, codename in perms:
            group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))


def make_user(username: str, group: str | None = None, **flags):
    """A user with PASSWORD in `group`; a user a story was already assigned to (see ASSIGNED) is completed."""
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        user = get_user_model().objects.create_user(username=username, password=PASSWORD, **flags)
    elif flags:
        get_user_model().objects.filter(pk=user.pk).update(**flags)
        user.refresh_from_db()
    if group:
        if not Group.objects.filter(name=group).exists():
            restore_roles()
        user.groups.add(Group.objects.get(name=group))
    return user


# The reviewers a test story is assigned to unless the test says otherwise (the conftest's alice, bob, carol).
ASSIGNED = ("alice", "bob", "carol")


def assign(story: Story, usernames=ASSIGNED) -> Story:
    """Assign the reviewers named `usernames` to `story`, making them (as Reviewers) if the test has not yet."""
    story.reviewers.add(*(make_user(name, "Reviewers") for name in usernames))
    return story


def seed_story(state: str = StoryState.IN_REVIEW, *, reviewers=ASSIGNED) -> Story:
    """The seed story from fixtures/seed.json (a draft there), opened for review unless `state` says otherwise,
    assigned to `reviewers` (usernames; () for nobody)."""
    call_command("loaddata", "seed", verbosity=0)
    return assign(put(Story.objects.get(slug=SEED_SLUG), state), reviewers)


def make_story(
    title: str = "A story of our own", *, state: str = StoryState.IN_REVIEW, bodies=(), reviewers=ASSIGNED
) -> Story:
    """A story with one article per body, in `state`, assigned to `reviewers` (usernames; () for nobody)."""
    story = Story.objects.create(title=title, slug=title.lower().replace(" ", "-")[:50], state=state)
    for number, body in enumerate(bodies, 1):
        Article.objects.create(story=story, title=f"Report {number}", raw_text=body, body=body)
    return assign(story, reviewers)


def put(story: Story, state: str) -> Story:
    """Set a story's state directly, around the workflow (to arrange a test, never to test a move)."""
    Story.objects.filter(pk=story.pk).update(state=state)
    story.refresh_from_db()
    return story


def send_back(story: Story) -> Story:
    """The editor sent the story back (arranged directly): submitted reviews are no longer final."""
    Story.objects.filter(pk=story.pk).update(state=StoryState.CHANGES_REQUESTED, review_reopened_at=timezone.now())
    story.refresh_from_db()
    return story


def approve(story: Story, editor) -> Story:
    """`editor` approves the story through the workflow (so it is published), from whatever state it was in."""
    put(story, StoryState.READY)
    return story_transition(story=story, user=editor, target=StoryState.APPROVED, seen_version=story.version)


def find(article: Article, text: str, occurrence: int = 0) -> tuple[int, int]:
    """The code-point range of the `occurrence`-th `text` in the article body."""
    start = -1
    for _ in range(occurrence + 1):
        start = article.body.index(text, start + 1)
    return start, start + len(text)


def mark(
    article: Article, reviewer, text: str, label: str = "conflicting", *, occurrence=0, note="", evidence=()
) -> Span:
    """`reviewer` marks `text` (its `occurrence`-th appearance) with `label`, through the review service."""
    start, end = find(article, text, occurrence)
    return mark_range(article, reviewer, start, end, label, note=note, evidence=evidence)


def mark_range(article: Article, reviewer, start: int, end: int, label: str = "consistent", *, note="", evidence=()):
    """`reviewer` marks [start, end) less any white space at its ends (the server refuses a quote with it)."""
    start, end = trimmed(article.body, start, end)
    span, _ = span_create(
        article=article,
        reviewer=reviewer,
        start=start,
        end=end,
        quote=article.body[start:end],
        label=label,
        note=note,
        evidence=evidence,
    )
    return span


def mark_many(article: Article, reviewers, count: int, label="consistent", step: int = 5, labels=None, first=0):
    """`count` claims of 4 characters, `step` apart; each reviewer marks each (labels: one per reviewer)."""
    spans = []
    for start in range(first, first + count * step, step):
        for index, reviewer in enumerate(reviewers):
            spans.append(mark_range(article, reviewer, start, start + 4, labels[index] if labels else label))
    return spans


def sentences(body: str) -> list[tuple[int, int]]:
    """The code-point range of each sentence of `body` (up to and with its full stop), white space trimmed."""
    return [trimmed(body, m.start(), m.end()) for m in re.finditer(r"[^.]+\.", body)]


def mark_in_bulk(article: Article, reviewers, count: int, *, skip=()) -> list[Span]:
    """`count` spans written in one go (bulk_create, then the article regrouped once), as reviewers mark claims:
    sentence after sentence, each reviewer in turn the whole sentence or its first words; `skip`: sentence
    numbers left alone (a test's own marks go there). Only spans within one sentence overlap."""
    from factcheck.review.grouping import regroup_article

    body, rows, seen, k = article.body, [], set(), 0
    ranges = [r for n, r in enumerate(sentences(body)) if n not in set(skip)]
    labels = ("consistent", "conflicting", "unsupported")
    while len(rows) < count:
        if k > 50 * count + 1000:
            raise ValueError(f"{len(ranges)} sentences are too few for {count} spans")
        n, (start, end) = k % len(reviewers), ranges[(k // len(reviewers)) % len(ranges)]
        variant = k // (len(reviewers) * len(ranges))
        k += 1
        if (n + variant) % 2:
            end = trimmed(body, start, min(end, start + 12 + 5 * n + 7 * variant))[1]
        if (n, start, end) in seen:
            continue
        seen.add((n, start, end))
        label = labels[(start + n) % 3]
        rows.append(
            Span(article=article, reviewer=reviewers[n], start=start, end=end, quote=body[start:end], label=label)
        )
    spans = Span.objects.bulk_create(rows)
    regroup_article(article=article)
    return spans


def download_csv(client, **params) -> bytes:
    """The verdict CSV as an editor downloads it (streamed, all of it)."""
    response = client.get(reverse("export-verdicts-csv"), params)
    assert response.status_code == 200, response.content
    assert response.streaming
    return b"".join(response.streaming_content)


def discuss(group, author, text: str):
    """`author` posts to a claim's thread, once the story is open for discussion (arranged here directly)."""
    story = group.article.story
    Discussion.objects.get_or_create(story=story, defaults={"opened_by": author})
    return comment_create(group=group, author=author, text=text)


def read_csv(content: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8"), newline="")))


def login(page, live_server, username: str, password: str = PASSWORD) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def wide_story(articles: int = 50, *, title: str = "A wide story", state: str = StoryState.IN_REVIEW) -> Story:
    """A story of `articles` dated reports, each giving about ten dates and figures that some others repeat
    and some contradict (a deadline a year apart every seventh report), for the pictures' size tests."""
    import datetime as dt

    bodies = []
    for n in range(articles):
        late = n % 7 == 3
        bodies.append(
            f"The bridge over the Sava river will close by March {2027 if late else 2026} for repairs, the city said.\n"
            f"Between {200 + n % 3 * 10} and {300 + n % 3 * 10} workers will rebuild the deck, officials said.\n"
            f"The crossing first opened in {1998 + n % 2} after four years of work.\n"
            f"About {4000 + n * 10} vehicles crossed it every day in {2010 + n % 10}, the transport office said.\n"
            f"Repairs that began in October 2024 will cost about {12 + n % 4} million euros.\n"
            f"A second bridge planned since {2015 + n % 5} is to open by June {2029 + n % 2}.\n"
            f"Report number {n} was filed on {1 + n % 27} May 2025 by the desk.\n"
        )
    story = make_story(title, state=state, bodies=bodies)
    for number, article in enumerate(story.articles.order_by("pk")):
        Article.objects.filter(pk=article.pk).update(
            outlet=f"Outlet {number + 1}", published=dt.date(2025, 5, 1) + dt.timedelta(days=number)
        )
    return story


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


# For browser tests: the screen points of the first and last characters of UTF-16 positions [start, end)
# of the text in `selector` (the DOM counts UTF-16), to drag a selection across them.
CHAR_RECTS = """([selector, start, end]) => {
  const root = document.querySelector(selector);
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const wanted = [start, start + 1, end - 1, end];
  const points = [];
  let node, seen = 0;
  while ((node = walker.nextNode())) {
    wanted.forEach((w, i) => {
      if (points[i] === undefined && w <= seen + node.data.length) points[i] = [node, w - seen];
    });
    seen += node.data.length;
  }
  const rect = (a, b) => {
    const r = document.createRange();
    r.setStart(...a);
    r.setEnd(...b);
    return r.getBoundingClientRect();
  };
  const first = rect(points[0], points[1]);
  const last = rect(points[2], points[3]);
  return {x1: first.left + 1, y1: first.top + first.height / 2, x2: last.right - 1, y2: last.top + last.height / 2};
}"""
