"""The clients bench/load.py drives with locust: one user class per mix, chosen by LOAD_MIX; data from LOAD_DATA.

Each client logs in once (in on_start, before the statistics are reset) and then loops with no wait,
so throughput is what the server gives, not what the clients ask for. Saves and edits are sent as the
page's htmx requests are (HX-Request, the CSRF header).
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


class Client(FastHttpUser):
    wait_time = constant(0)

    def on_start(self) -> None:
        self.index = next(_next_user)
        self.rng = random.Random(self.index)
        if MIX == "login page":
            return
        pool = DATA["editors"] if MIX == "consensus" else DATA["reviewers"]
        self.account = pool[self.index % len(pool)]
        page = self.client.get("/accounts/login/", name="(login)")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        self.client.post(
            "/accounts/login/",
            data={"username": self.account["username"], "password": DATA["password"], "csrfmiddlewaretoken": token},
            name="(login)",
        )
        self.csrf = next(cookie.value for cookie in self.client.cookiejar if cookie.name == "csrftoken")

    def _htmx(self) -> dict:
        return {"HX-Request": "true", "X-CSRFToken": self.csrf}

    @task
    def one_request(self) -> None:
        getattr(self, MIX.replace(" ", "_"))()

    def login_page(self) -> None:
        self.client.get("/accounts/login/", name=MIX)

    def page(self) -> None:
        self.client.get(f"/articles/{DATA['article']}/", name=MIX)

    def consensus(self) -> None:
        self.client.get(f"/stories/{DATA['story']}/consensus/", name=MIX)

    def save(self) -> None:
        body = DATA["body"]
        start, end = 0, 0
        while not body[start:end].strip():  # a selection of blanks is refused, and no verdict
            start = self.rng.randrange(0, len(body) - 60)
            end = start + self.rng.randrange(8, 50)
        data = {"start": start, "end": end, "quote": body[start:end], "label": self.rng.choice(LABELS), "note": ""}
        self.client.post(f"/articles/{DATA['article']}/spans/", data=data, headers=self._htmx(), name=MIX)

    def edit(self) -> None:
        span = self.account["span"]
        data = {"label": self.rng.choice(LABELS), "note": f"Edited {self.rng.randrange(10**6)}"}
        self.client.post(f"/spans/{span}/edit/", data=data, headers=self._htmx(), name=MIX)
