"""The browser tier: Playwright drives Debian's chromium against `caseboard demo` on loopback.

The server is the project's own: `caseboard demo` builds the demo trust (synthetic data and the
six demo accounts) in a throwaway CASEBOARD_HOME and serves it with gunicorn, under the demo
settings, so the pages carry the real Content-Security-Policy and the real error pages. The test
process never touches that database.

axe-core comes from npm (package.json; scripts/build-assets installs it). The CSP allows scripts
from 'self' only, so Playwright's add_script_tag(path=...) (an inline script) is refused. Instead
every browser context answers one same-origin URL, AXE_URL, with node_modules/axe-core/axe.min.js
(a Playwright route: the request never reaches the server), and the page loads it as an ordinary
script from 'self'. The CSP stays on for every page, and no context uses bypass_csp.

Missing chromium or axe-core skips the tier, and a skip fails under CI (tests/conftest.py).
"""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from caseboard.config import DEMO_PASSWORD

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless=new",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-default-apps",
    "--disable-sync",
    "--no-first-run",
]
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_URL = "/__browser-tests__/axe.min.js"  # answered by a Playwright route, never by the server
SCREENSHOTS = ROOT / "var" / "screenshots"

DESKTOP = {"width": 1280, "height": 800}
PRINT = {"width": 1123, "height": 794}  # A4 landscape at 96 dpi
# Full-page screenshots stop at this height: a long case list is tens of thousands of pixels,
# which takes seconds per shot and cannot be looked at anyway.
MAX_SCREENSHOT_HEIGHT = 6000
BLOCKING_IMPACTS = ("serious", "critical")
SERVER_START_TIMEOUT = 240  # seconds: `caseboard demo` builds the whole demo trust first

# Collects Content-Security-Policy violations as the page reports them (an init script runs
# outside the page's CSP).
CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    `${event.violatedDirective} blocked ${event.blockedURI || "inline"}`
      + ` (${event.sourceFile}:${event.lineNumber})`
  );
});
"""
AXE_RUN = """
async () => {
  const results = await axe.run(document, {resultTypes: ["violations"]});
  return results.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    helpUrl: v.helpUrl,
    targets: v.nodes.map((node) => node.target.join(" ")),
  }));
}
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _caseboard_command() -> list[str]:
    script = Path(sys.executable).with_name("caseboard")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from caseboard.cli import main; main()"]


def _serving(port: int) -> bool:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
    try:
        connection.request("GET", "/healthz")
        return connection.getresponse().status == 200
    except OSError:
        return False
    finally:
        connection.close()


def _tail(path: Path, lines: int = 40) -> str:
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


@pytest.fixture(scope="session")
def demo_server(tmp_path_factory) -> Iterator[str]:
    """`caseboard demo` on a free loopback port over a fresh demo trust; yields its base URL."""
    home = tmp_path_factory.mktemp("caseboard-home")
    log = home / "demo.log"
    port = _free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "CASEBOARD_DEBUG")
    }
    env["CASEBOARD_HOME"] = str(home)
    base_url = f"http://127.0.0.1:{port}"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [*_caseboard_command(), "demo", "--port", str(port)],
            cwd=home,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: gunicorn and its workers stop together
        )
    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while True:
            if process.poll() is not None:
                pytest.fail(f"caseboard demo exited with {process.returncode}:\n{_tail(log)}")
            if _serving(port):
                break
            if time.monotonic() > deadline:
                pytest.fail(f"caseboard demo not up after {SERVER_START_TIMEOUT} s:\n{_tail(log)}")
            time.sleep(0.25)
        yield base_url
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGINT)  # gunicorn's quick shutdown
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """pytest-playwright launches Debian's chromium (Playwright's browser download fails here)."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: scripts/install-system installs it")
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE_JS.exists():
        pytest.skip(f"{AXE_JS.relative_to(ROOT)} is missing: scripts/build-assets installs it")
    return AXE_JS.read_text()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    """var/screenshots/, emptied of the last run's pictures and axe results."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for old in [*SCREENSHOTS.glob("*.png"), *SCREENSHOTS.glob("*.axe.json")]:
        old.unlink()
    return SCREENSHOTS


class PageProblems:
    """What a page reported besides its content: CSP violations, script errors, failed loads."""

    def __init__(self, page) -> None:
        self.console_csp: list[str] = []
        self.errors: list[str] = []
        self.failed: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on("response", self._response)

    def _console(self, message) -> None:
        if "Content Security Policy" in message.text:
            self.console_csp.append(message.text)

    def _response(self, response) -> None:
        # The document itself may be a 403 or 404 page; everything it loads must arrive.
        if response.status >= 400 and response.request.resource_type != "document":
            self.failed.append(f"{response.status} {response.url}")


@pytest.fixture
def new_page(browser, demo_server, axe_source):
    """new_page(storage_state=None): a desktop-sized page on the demo server (relative URLs work),
    watched for CSP violations, script errors and failed loads (see check_page)."""
    contexts = []

    def make(storage_state=None):
        context = browser.new_context(
            base_url=demo_server, viewport=DESKTOP, storage_state=storage_state
        )
        contexts.append(context)
        context.route(
            f"**{AXE_URL}",
            lambda route: route.fulfill(body=axe_source, content_type="text/javascript"),
        )
        context.add_init_script(CSP_LISTENER)
        page = context.new_page()
        page.problems = PageProblems(page)
        return page

    yield make
    for context in contexts:
        context.close()


def sign_in(page, username: str, password: str = DEMO_PASSWORD) -> None:
    """Sign in through the form, as a person would."""
    page.goto("/sign-in/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/sign-in/" not in url)


@pytest.fixture(scope="session")
def signed_in_states() -> dict:
    """Each role's signed-in cookies, kept after its first sign-in (see `signed_in_page`)."""
    return {}


@pytest.fixture
def signed_in_page(new_page, signed_in_states):
    """signed_in_page(username): a page signed in as that demo user, on their landing page."""

    def make(username: str):
        if username in signed_in_states:
            page = new_page(storage_state=signed_in_states[username])
            page.goto("/")
        else:
            page = new_page()
            sign_in(page, username)
            signed_in_states[username] = page.context.storage_state()
        return page

    return make


def run_axe(page) -> list[dict]:
    """Every axe violation on the page as it is now (axe.min.js injected from AXE_URL)."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.add_script_tag(url=AXE_URL)
    return page.evaluate(AXE_RUN)


def axe_failures(page, violations: list[dict]) -> str:
    """The serious and critical violations, listed; empty when there are none."""
    blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
    if not blocking:
        return ""
    return f"axe: {len(blocking)} serious or critical violation(s) on {page.url}\n" + "\n".join(
        f"  {v['impact']}: {v['id']}: {v['help']} ({v['helpUrl']})\n"
        + "".join(f"      at {target}\n" for target in v["targets"][:5])
        + (f"      and {len(v['targets']) - 5} more\n" if len(v["targets"]) > 5 else "")
        for v in blocking
    )


def check_axe(page, record: Path | None = None) -> list[dict]:
    """Run axe-core on the page; fail listing every serious or critical violation.

    Returns all violations (minor and moderate ones too), first written to `record` as JSON
    when given."""
    violations = run_axe(page)
    if record is not None:
        record.write_text(json.dumps({"url": page.url, "violations": violations}, indent=2) + "\n")
    if message := axe_failures(page, violations):
        pytest.fail(message, pytrace=False)
    return violations


def csp_failures(page) -> str:
    """CSP violations (console and securitypolicyviolation events), script errors and failed
    loads the page reported so far, listed; empty when there are none."""
    problems = page.problems
    found = [
        *(f"  CSP (console): {text}" for text in problems.console_csp),
        *(f"  CSP (event): {text}" for text in page.evaluate("window.__cspViolations || []")),
        *(f"  script error: {text}" for text in problems.errors),
        *(f"  failed to load: {text}" for text in problems.failed),
    ]
    return f"{page.url}:\n" + "\n".join(found) if found else ""


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def take_screenshots(page, directory: Path, name: str) -> None:
    """NAME-desktop.png (1280 wide, screen) and NAME-print.png (A4 landscape, print media), each
    the full page up to MAX_SCREENSHOT_HEIGHT. The page is left as it was."""
    for suffix, viewport, media in (("desktop", DESKTOP, "screen"), ("print", PRINT, "print")):
        page.set_viewport_size(viewport)
        page.emulate_media(media=media)
        height = page.evaluate("document.documentElement.scrollHeight")
        page.screenshot(
            path=directory / f"{_slug(name)}-{suffix}.png",
            full_page=True,
            clip={
                "x": 0,
                "y": 0,
                "width": viewport["width"],
                "height": min(height, MAX_SCREENSHOT_HEIGHT),
            },
            animations="disabled",
        )
    page.set_viewport_size(DESKTOP)
    page.emulate_media(media="screen")


@pytest.fixture
def check_page(screenshots):
    """check_page(page, name): the screenshots, then axe (no serious or critical violation; every
    violation kept in NAME.axe.json), then no CSP violation, script error or failed load."""

    def check(page, name: str) -> list[dict]:
        take_screenshots(page, screenshots, name)
        violations = check_axe(page, record=screenshots / f"{_slug(name)}.axe.json")
        if message := csp_failures(page):
            pytest.fail(message, pytrace=False)
        return violations

    return check
