"""The clients bench/load.py drives with locust: one user class per mix, chosen by LOAD_MIX; data from LOAD_DATA.

Each client starts signed in (a session load.py stored) and loops with no wait, so throughput is what the
server gives, not what the clients ask for: a capacity test. A reviewer thinks between saves (reads,
selects, picks a verdict: tens of seconds), so one client here stands for many reviewers at work (one
saving every 20 s asks 0.05 saves/s; 16 clients at 10 saves/s are some 200 of them), and the p95 is that
of a server kept busy, never idle between requests. Saves and edits are sent as the page's htmx requests
are (HX-Request, the CSRF header). A save marks what reviewers mark, as the page's selection gives it: a
whole sentence, or a run of two to eight of its words; never a range of characters across sentences (on
a short article those chain every span into one overlap chain, which no reviewer's marking does).
"""

import json
import os
import random
import re

from locust import FastHttpUser, constant, task

DATA = json.loads(open(os.environ["LOAD_DATA"]).read())  # noqa: SIM115 (read once at import)
MIX = os.environ["LOAD_MIX"]
LABELS = ("consistent", "conflicting", "unsupported")
_next_user = iter(range(10**6))
# Sentences of the article (trimmed), and the words of each: what a reviewer selects.
SENTENCES = [
    [(m.start(), m.end()) for m in re.finditer(r"\S+", DATA["body"][:end]) if m.start() >= start]
    for start, end in ((m.start(), m.end()) for m in re.finditer(r"[^.!?\n]+[.!?]*", DATA["body"]))
]
SENTENCES = [words for words in SENTENCES if words]


class Client(FastHttpUser):
    wait_time = constant(0)

    def on_start(self) -> None:
        self.index = next(_next_user)
        self.rng = random.Random(self.index)
        self.headers = {}
        if MIX == "login page":
            return
        pool = DATA["editors"] if MIX == "consensus" else DATA["reviewers"]
        self.account = pool[self.index % len(pool)]
        # Signed in by load.py's set-up (a session row and a CSRF secret), so no login is measured or waited for.
        self.headers = {"Cookie": f"sessionid={self.account['session']}; csrftoken={self.account['csrf']}"}

    def _htmx(self) -> dict:
        return {**self.headers, "HX-Request": "true", "X-CSRFToken": self.account["csrf"]}

    def _send(self, method: str, url: str, **kwargs) -> None:
        # Only a 2xx counts: a redirect to the login page or a refused form is an error here.
        with self.client.request(method, url, name=MIX, catch_response=True, allow_redirects=False, **kwargs) as r:
            if not 200 <= r.status_code < 300:
                r.failure(f"HTTP {r.status_code}")

    @task
    def one_request(self) -> None:
        getattr(self, MIX.replace(" ", "_"))()

    def login_page(self) -> None:
        self._send("GET", "/accounts/login/")

    def page(self) -> None:
        self._send("GET", f"/articles/{DATA['article']}/", headers=self.headers)

    def consensus(self) -> None:
        self._send("GET", f"/stories/{DATA['story']}/consensus/", headers=self.headers)

    def save(self) -> None:
        body = DATA["body"]
        words = self.rng.choice(SENTENCES)
        first, last = 0, len(words) - 1  # the whole sentence
        if len(words) > 3 and self.rng.random() < 0.6:  # or a run of its words
            first = self.rng.randrange(0, len(words) - 2)
            last = min(len(words) - 1, first + self.rng.randrange(1, 8))
        start, end = words[first][0], words[last][1]
        data = {"start": start, "end": end, "quote": body[start:end], "label": self.rng.choice(LABELS), "note": ""}
        self._send("POST", f"/articles/{DATA['article']}/spans/", data=data, headers=self._htmx())

    def edit(self) -> None:
        data = {"label": self.rng.choice(LABELS), "note": f"Edited {self.rng.randrange(10**6)}"}
        self._send("POST", f"/spans/{self.account['span']}/edit/", data=data, headers=self._htmx())
