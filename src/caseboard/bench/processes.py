"""Processes of the web load benchmark: every step it starts dies with it.

Servers and locust run in sessions of their own (so a stop reaches their children) and, on
Linux, get SIGTERM when the benchmark process dies, however it dies; steps that run to the end
are bounded by a timeout.
"""

from __future__ import annotations

import ctypes
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    """In the child before exec: SIGTERM when the parent dies (Linux; elsewhere nothing)."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def start(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    """Start a long-running process, its output appended to ``log``; stop it with ``stop``."""
    with log.open("ab") as out:
        return subprocess.Popen(
            command,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=_die_with_parent,
        )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def stop(process: subprocess.Popen) -> None:
    """Stop a process started in its own session, and all its children."""
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def wait_until_up(port: int, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {server.returncode}; see {log}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.25)
    raise RuntimeError("gunicorn did not answer /healthz within 60 s")


def warm(port: int, workers: int) -> None:
    """Ask for the sign-in page from every worker thread at once, a few times over, so each
    worker has rendered a template before locust starts its clock."""

    def fetch(_: int) -> None:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/sign-in/", timeout=60) as answer:
            answer.read()

    with ThreadPoolExecutor(max_workers=workers) as pool:
        for _ in range(3):
            list(pool.map(fetch, range(workers)))
