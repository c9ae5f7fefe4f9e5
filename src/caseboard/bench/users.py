"""The locust users of the web load benchmark (``bench/load.py`` runs locust on this file).

Three kinds of user sign in through the real form and then read their own page: a practitioner
their caseload (weight 3), a supervisor the supervisees' caseloads (1) and a team manager the
team's page (1): 60%, 20% and 20% of the users. Every user also asks for /healthz now and then,
the trivial page whose times are the floor the case pages are compared with in the same run.

Each request's time (milliseconds, unrounded) and start go to the JSON file
CASEBOARD_BENCH_RESULTS when locust quits, with the measuring window: it opens a warm-up after the
last user has signed in (sign-in hashes a password, slow on purpose, and each server process
compiles its templates on first use) and lasts the measured time, after which the run stops
itself. Failures (any answer but 200, including a redirect to sign-in) and exceptions inside a
user are listed there too. Settings come from the environment, which bench/load.py sets:
CASEBOARD_BENCH_USERS, CASEBOARD_BENCH_WARMUP and CASEBOARD_BENCH_SECONDS (the window),
CASEBOARD_BENCH_WAIT ("low,high" seconds), CASEBOARD_BENCH_PASSWORD,
CASEBOARD_BENCH_PRACTITIONER, CASEBOARD_BENCH_TEAM_ID.
"""

from __future__ import annotations

import json
import os
import random
import re
import time

import gevent
from locust import HttpUser, events, task

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
RESULTS: dict[str, list] = {"requests": [], "errors": [], "rows": [], "window": []}
SIGNED_IN: list[float] = []


@events.request.add_listener
def _request(name, response_time, exception, start_time=None, **_kwargs) -> None:
    started = start_time or time.time() - response_time / 1000
    RESULTS["requests"].append([name, response_time, exception is None, started])
    if exception is not None:
        RESULTS["errors"].append(f"{name}: {exception}")


@events.user_error.add_listener
def _user_error(user_instance, exception, tb, **_kwargs) -> None:
    RESULTS["errors"].append(f"{type(user_instance).__name__}: {exception!r}")


@events.quitting.add_listener
def _write(**_kwargs) -> None:
    with open(os.environ["CASEBOARD_BENCH_RESULTS"], "w", encoding="utf-8") as handle:
        json.dump(RESULTS, handle)


class _SignedIn(HttpUser):
    abstract = True
    username = ""
    page_name = ""

    def wait_time(self) -> float:
        low, high = (float(v) for v in os.environ.get("CASEBOARD_BENCH_WAIT", "1,5").split(","))
        return random.uniform(low, high)

    def path(self) -> str:
        raise NotImplementedError

    def on_start(self) -> None:
        form = self.client.get("/sign-in/", name="sign-in form")
        found = TOKEN.search(form.text)
        data = {
            "username": self.username,
            "password": os.environ["CASEBOARD_BENCH_PASSWORD"],
            "csrfmiddlewaretoken": found.group(1) if found else "",
        }
        with self.client.post(
            "/sign-in/", data=data, name="sign-in", allow_redirects=False, catch_response=True
        ) as answer:
            if answer.status_code != 302 or "/sign-in/" in answer.headers.get("Location", ""):
                answer.failure(f"sign-in as {self.username} answered {answer.status_code}")
            else:
                self._signed_in()

    def _signed_in(self) -> None:
        """Once every user has signed in: open the window after the warm-up, stop at its end."""
        SIGNED_IN.append(time.time())
        if len(SIGNED_IN) != int(os.environ["CASEBOARD_BENCH_USERS"]):
            return
        warmup = float(os.environ["CASEBOARD_BENCH_WARMUP"])
        seconds = float(os.environ["CASEBOARD_BENCH_SECONDS"])
        RESULTS["window"] = [SIGNED_IN[-1] + warmup, SIGNED_IN[-1] + warmup + seconds]
        gevent.spawn_later(warmup + seconds, self.environment.runner.quit)

    @task(4)
    def own_page(self) -> None:
        with self.client.get(
            self.path(), name=self.page_name, allow_redirects=False, catch_response=True
        ) as answer:
            if answer.status_code != 200:
                problem = answer.error or answer.status_code
                answer.failure(f"{self.page_name} answered {problem!r}")
                return
            body = answer.text.split("<tbody", 1)
            RESULTS["rows"].append([self.page_name, body[1].count("<tr") if len(body) > 1 else 0])

    @task(1)
    def trivial(self) -> None:
        self.client.get("/healthz", name="trivial")


class Practitioner(_SignedIn):
    weight = 3
    page_name = "practitioner"

    def on_start(self) -> None:
        self.username = os.environ["CASEBOARD_BENCH_PRACTITIONER"]
        super().on_start()

    def path(self) -> str:
        return "/caseload/"


class Supervisor(_SignedIn):
    weight = 1
    username = "supervisor"
    page_name = "supervisor"

    def path(self) -> str:
        return "/supervisees/"


class TeamManager(_SignedIn):
    weight = 1
    username = "manager"
    page_name = "team"

    def path(self) -> str:
        return f"/teams/{os.environ['CASEBOARD_BENCH_TEAM_ID']}/"
