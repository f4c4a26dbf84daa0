"""The clients bench/load.py drives with locust: one user class per mix, chosen by LOAD_MIX; data from LOAD_DATA.

Each client starts signed in (a session load.py stored) and loops with no wait,
so throughput is what the server gives, not what the clients ask for. Saves and edits are sent as the
page's htmx requests are (HX-Request, the CSRF header).
"""

import json
import os
import random

from locust import FastHttpUser, constant, task

DATA = json.loads(open(os.environ["LOAD_DATA"]).read())  # noqa: SIM115 (read once at import)
MIX = os.environ["LOAD_MIX"]
LABELS = ("consistent", "conflicting", "unsupported")
_next_user = iter(range(10**6))


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
        start, end = 0, 0
        # A selection of blanks, or one that begins or ends with white space, is refused: trim as the page does.
        while not body[start:end].strip():
            start = self.rng.randrange(0, len(body) - 60)
            end = start + self.rng.randrange(8, 50)
        while body[start].isspace():
            start += 1
        while body[end - 1].isspace():
            end -= 1
        data = {"start": start, "end": end, "quote": body[start:end], "label": self.rng.choice(LABELS), "note": ""}
        self._send("POST", f"/articles/{DATA['article']}/spans/", data=data, headers=self._htmx())

    def edit(self) -> None:
        data = {"label": self.rng.choice(LABELS), "note": f"Edited {self.rng.randrange(10**6)}"}
        self._send("POST", f"/spans/{self.account['span']}/edit/", data=data, headers=self._htmx())
