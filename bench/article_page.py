"""How fast the article page opens and saves a verdict with 1,000 highlights, in Chromium.

Starts the app (runserver on a temporary SQLite database) with a ~6 KB article carrying 1,000
overlapping spans, and a twin article of the same size with none. Served as in production (DEBUG off,
WhiteNoise with hashed, cached static files; `collectstatic` fills the git-ignored staticfiles/, removed afterwards).
In Debian's Chromium it measures,
as the median of several cold loads, the time from navigation to "ready" (the load event and
review.js's `review-ready` mark, whichever is later; the highlights are server-rendered, so they are
on screen by then), and the time to save one verdict (Enter to the swapped workspace).
Baselines measured in the same run: the same page with 0 spans, and the 1,000-span page's HTML as a
static file (same bytes and assets, no Django). Prints figures and ratios.

    /work/main/.venv/bin/python bench/article_page.py [--size tiny|quick|full] [--spans 1000] [--runs 7]
"""

import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from report import Figure, emit, machine, parser

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
PASSWORD = "bench-password"
TARGET_READY_S = 0.33

SENTENCES = [
    "Officials said on Monday that a small number of advisers would stay at the base.",
    "The agreement signed last year set September 2025 as the date for the first phase.",
    "Critics in parliament 👍🏽 argued that the timetable had never been realistic.",
    "A spokesperson for the ministry declined to give a figure for the remaining troops.",
    "Analysts in Baghdad — and in Washington — expect the talks to resume next month.",
    "The spokesman said the forces would stay until September, according to the state broadcaster.",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def body(size: int, shift: int) -> str:
    paragraphs, text, i = [], "", shift
    while len(text) < size:
        paragraph = " ".join(SENTENCES[(i + k) % len(SENTENCES)] for k in range(4))
        paragraphs.append(paragraph)
        text = "\n\n".join(paragraphs)
        i += 1
    return text


def seed(spans: int) -> tuple[int, int, int]:
    """Create the reviewer, the story and the two articles; returns (full pk, empty pk, other pk)."""
    import django

    django.setup()
    from django.contrib.auth.models import Group, User

    from factcheck.articles.models import Article, Story
    from factcheck.review.models import Span

    reviewer = User.objects.create_user("bench", password=PASSWORD)
    reviewer.groups.add(Group.objects.get(name="Reviewers"))
    story = Story.objects.create(title="Bench story", slug="bench-story", state="in_review")
    story.reviewers.add(reviewer)  # a reviewer reads only the stories assigned to them
    full = Article(story=story, title="Full", outlet="Bench", raw_text="x", body=body(6000, 0))
    empty = Article(story=story, title="Empty", outlet="Bench", raw_text="y", body=body(6000, 1))
    other = Article(story=story, title="Other", outlet="Other", raw_text="z", body=body(3000, 2))
    for article in (full, empty, other):
        article.save()
    text, rows, seen, i = full.body, [], set(), 0
    while len(rows) < spans:
        start = (i * 37) % (len(text) - 120)
        end = start + 8 + (i * 53) % 110
        i += 1
        if (start, end) in seen or not text[start:end].strip():
            continue
        seen.add((start, end))
        label = ("consistent", "conflicting", "unsupported")[i % 3]
        rows.append(Span(article=full, reviewer=reviewer, start=start, end=end, quote=text[start:end], label=label))
    Span.objects.bulk_create(rows)
    return full.pk, empty.pk, other.pk


def wait_for(url: str, deadline: float) -> None:
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"the server did not answer at {url}")


READY = """() => {
  const nav = performance.getEntriesByType("navigation")[0];
  const mark = performance.getEntriesByName("review-ready")[0];
  return {
    ready: Math.max(nav.loadEventEnd, mark ? mark.startTime : 0),
    server: nav.responseStart - nav.requestStart,
    marks: document.querySelectorAll("#article-body mark").length,
    bytes: nav.transferSize || nav.encodedBodySize,
  };
}"""

SAVE = """async ([start, end]) => {
  const root = document.getElementById("article-body");
  const range = window.FactcheckOffsets.offsetsToRange(root, start, end);
  const selection = window.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
  root.dispatchEvent(new MouseEvent("mouseup", {bubbles: true}));
  await new Promise((resolve) => setTimeout(resolve, 0));
  document.querySelector('#verdict-bar [data-label="consistent"]').click();
  const saved = new Promise((resolve) => document.body.addEventListener("span-created", resolve, {once: true}));
  const started = performance.now();
  document.querySelector("#verdict-bar textarea").dispatchEvent(
    new KeyboardEvent("keydown", {key: "Enter", bubbles: true}));
  await saved;
  return performance.now() - started;
}"""


def load(page, url: str) -> dict:
    page.goto(url, wait_until="load")
    page.wait_for_selector("html[data-review-ready]", state="attached")
    return page.evaluate(READY)


def median_ms(values: list[float]) -> float:
    return statistics.median(values)


NAME = "article_page"
SIZES = {"tiny": (30, 1), "quick": (1000, 3), "full": (1000, 7)}  # spans, runs


def main() -> int:
    p = parser(__doc__)
    p.add_argument("--spans", type=int)
    p.add_argument("--runs", type=int)
    args = p.parse_args()
    spans, runs = SIZES[args.size]
    args.spans, args.runs = args.spans or spans, args.runs or runs

    from playwright.sync_api import sync_playwright

    static_root = ROOT / "staticfiles"
    # WhiteNoise would go on serving these copies to the dev server and the tests: leave no stale ones.
    collected_here = not static_root.exists()
    with tempfile.TemporaryDirectory() as tmp:
        port = free_port()
        # As in production: DEBUG off, static files hashed and served by WhiteNoise with long cache lifetimes.
        env = {
            **os.environ,
            "DEBUG": "0",
            "SECRET_KEY": "bench-only-not-a-secret",
            "ALLOWED_HOSTS": "127.0.0.1",
            "DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3",
            "DJANGO_SETTINGS_MODULE": "factcheck.settings",
            "LOG_LEVEL": "ERROR",
        }
        os.environ.update(
            {k: env[k] for k in ("DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
        )
        subprocess.run([sys.executable, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True)
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True
        )
        sys.path.insert(0, str(ROOT))
        full, empty, other = seed(args.spans)
        server = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            wait_for(f"{base}/accounts/login/", time.monotonic() + 60)
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
                context = browser.new_context(viewport={"width": 1280, "height": 900})
                page = context.new_page()
                page.goto(f"{base}/accounts/login/")
                page.fill("input[name=username]", "bench")
                page.fill("input[name=password]", PASSWORD)
                page.click("button[type=submit]")
                page.wait_for_url(f"{base}/")

                # The static twin: the 1,000-span page's bytes, its assets from the same server.
                html = page.request.get(f"{base}/articles/{full}/").text()
                html = re.sub(r'(src|href)="/static/', rf'\1="{base}/static/', html)
                static = Path(tmp) / "static-twin.html"
                static.write_text(html, encoding="utf-8")
                if os.environ.get("BENCH_KEEP"):
                    Path(os.environ["BENCH_KEEP"]).write_text(html, encoding="utf-8")

                urls = {
                    f"{args.spans} spans": f"{base}/articles/{full}/",
                    "0 spans": f"{base}/articles/{empty}/",
                    "static file": static.as_uri(),
                }
                for url in urls.values():  # warm the server, the caches and the browser once
                    load(page, url)
                results: dict[str, list[float]] = {name: [] for name in urls}
                server_ms: dict[str, list[float]] = {name: [] for name in urls}
                marks: dict[str, int] = {}
                for _ in range(args.runs):
                    for name, url in urls.items():
                        measured = load(page, url)
                        results[name].append(measured["ready"])
                        server_ms[name].append(measured["server"])
                        marks[name] = measured["marks"]

                saves: dict[str, list[float]] = {f"{args.spans} spans": [], "0 spans": []}
                for run in range(args.runs):
                    for name, pk in ((f"{args.spans} spans", full), ("0 spans", empty)):
                        load(page, f"{base}/articles/{pk}/")
                        start = 3 + run * 11
                        saves[name].append(page.evaluate(SAVE, [start, start + 6]))
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=10)
            if collected_here:
                shutil.rmtree(static_root, ignore_errors=True)

    size = len(html.encode())
    full, empty = f"{args.spans} spans", "0 spans"
    print(f"Machine: {machine()}")
    print(f"page size with {full}: {size / 1024:.0f} KB HTML, {marks[full]} <mark>s; median of {args.runs} runs")
    ready, base_ready = median_ms(results[full]), median_ms(results[empty])
    goal = args.spans >= 1000
    figures = [
        Figure(
            NAME,
            f"ready, {full}",
            ready,
            base_ready,
            "ms",
            "the same page with 0 spans",
            f"<= {TARGET_READY_S * 1000:.0f} ms" if goal else "-",
            ready <= TARGET_READY_S * 1000 if goal else None,
            note=f"server {median_ms(server_ms[full]):.0f} ms",
        ),
        Figure(
            NAME,
            f"ready, {full}, against its HTML as a static file",
            ready,
            median_ms(results["static file"]),
            "ms",
            "the same bytes from a file",
        ),
        Figure(
            NAME,
            f"save a verdict, {full}",
            median_ms(saves[full]),
            median_ms(saves[empty]),
            "ms",
            "a save on the page with 0 spans",
        ),
    ]
    emit(figures, args.json)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
