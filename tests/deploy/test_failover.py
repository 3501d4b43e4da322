"""Two dashboard processes behind nginx (deploy/nginx.conf), for real, on 127.0.0.1.

The module starts two ``streamlit run dashboard.py`` processes (``start_streamlit``
from tests/e2e/conftest.py, with one shared cookie secret, as deploy/ runs them),
renders deploy/nginx.conf for them with deploy/render_nginx_conf.py and runs nginx
in the foreground on a free port (no `user` directive: as root its workers are `nobody`),
logs and temp files in a temp folder. Then:

1. browsers load the dashboard through the proxy (script run finished, no exception,
   nothing requested outside 127.0.0.1);
2. each browser stays on one process (nginx's access log: ``upstream`` of every
   request carrying its ``atlas_node`` cookie), and its WebSocket was upgraded (101);
3. gzip: nginx compresses the JavaScript bundle that Streamlit sends uncompressed;
4. failover: one process is stopped; the tab that was on it reconnects, new sessions
   still load, and nginx's passive check takes the dead process out (error log,
   then requests go straight to the live one).

Skipped if nginx or Chromium is missing, except with CI=true, where it fails.
Figures (load time, bytes, failover time) are printed (``pytest -s``) and attached
to the report.
"""

from __future__ import annotations

import contextlib
import gzip
import importlib.util
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e  # drives Chromium: `-m "not e2e"` leaves it out, like tests/e2e

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy"
COOKIE = "atlas_node"
STREAM = "/_stcore/stream"
FAIL_TIMEOUT_S = 60       # passive check: how long a failed process stays out (long enough for the test)
LOAD_TIMEOUT_MS = 90_000  # one page's script run, on a busy 2-core machine
FIGURES: dict[str, str] = {}


def _load(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# tests/e2e/conftest.py under its own module name: never `from conftest import` (see there).
E2E = _load("atlas_e2e_support", REPO / "tests" / "e2e" / "conftest.py")
RENDER = _load("atlas_render_nginx_conf", DEPLOY / "render_nginx_conf.py")


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"true", "1", "yes"}


def _missing(reason: str):
    if _in_ci():
        pytest.fail(f"{reason} (CI=true: the deployment test must run)", pytrace=False)
    pytest.skip(reason)


def _nginx_binary() -> str | None:
    return shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if os.access(p, os.X_OK)), None
    )


_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never an HTTP(S)_PROXY


def _get(url: str, headers: dict[str, str] | None = None, timeout: float = 10):
    """(status, headers, body) of a GET, without following anything clever."""
    req = urllib.request.Request(url, headers=headers or {})
    with _OPENER.open(req, timeout=timeout) as resp:
        return resp.status, resp.headers, resp.read()


def _poll(what: str, check, timeout: float, interval: float = 0.2):
    """Call ``check()`` until it returns something truthy; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}")
        time.sleep(interval)


# --------------------------------------------------------------------------
# nginx in the foreground
# --------------------------------------------------------------------------


@dataclass
class Proxy:
    url: str
    upstreams: list[str]          # "127.0.0.1:PORT" of each app process, in config order
    folder: Path
    proc: subprocess.Popen
    app_stops: list = field(default_factory=list)  # per upstream: a callable that stops it

    @property
    def access_log(self) -> Path:
        return self.folder / "access.log"

    @property
    def error_log(self) -> Path:
        return self.folder / "error.log"

    def entries(self) -> list[dict]:
        try:
            text = self.access_log.read_text(encoding="utf-8")
            lines = text.split("\n")[:-1]  # a last line without its newline is still being written
        except FileNotFoundError:
            return []
        return [json.loads(line) for line in lines if line.strip()]

    def entries_of(self, node: str) -> list[dict]:
        return [e for e in self.entries() if e["node"] == node]

    def errors(self) -> str:
        try:
            return self.error_log.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return ""


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _accepts(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def _stop_pid(proc: subprocess.Popen) -> None:
    """Stop the nginx we started: SIGTERM (fast shutdown: the master ends its workers), then SIGKILL."""
    if proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


@contextlib.contextmanager
def run_nginx(nginx: str, upstreams: list[str]):
    with tempfile.TemporaryDirectory(prefix="atlas-nginx-") as tmp:
        folder = Path(tmp)
        # Run as root, nginx's workers are `nobody`: they must reach their temp folders here.
        folder.chmod(0o755)
        for attempt in range(3):
            port = _free_port()
            conf = folder / "nginx.conf"
            conf.write_text(RENDER.render(
                upstreams, f"127.0.0.1:{port}", log_dir=str(folder), temp_dir=str(folder),
                workers=1, fail_timeout=f"{FAIL_TIMEOUT_S}s",
            ), encoding="utf-8")
            cmd = [nginx, "-e", str(folder / "error.log"), "-p", str(folder), "-c", str(conf),
                   "-g", f"daemon off; pid {folder / 'nginx.pid'};"]
            out = open(folder / "nginx.out", "w", encoding="utf-8")
            proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT)
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline and proc.poll() is None and not _accepts(port):
                time.sleep(0.1)
            if proc.poll() is None and _accepts(port):
                break
            _stop_pid(proc)
            out.close()
            log = "".join(p.read_text(errors="replace") for p in (folder / "nginx.out", folder / "error.log")
                          if p.exists())
            if "Address already in use" in log and attempt < 2:
                continue
            raise RuntimeError(f"nginx did not start on 127.0.0.1:{port}:\n{log[-3000:]}")
        try:
            yield Proxy(url=f"http://127.0.0.1:{port}", upstreams=upstreams, folder=folder, proc=proc)
        finally:
            _stop_pid(proc)
            out.close()


# --------------------------------------------------------------------------
# Fixtures: the cluster (2 apps + nginx) and a browser
# --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def cluster():
    nginx = _nginx_binary()
    if nginx is None:
        _missing("nginx is not installed (apt-get install -y nginx-light; .ci/run does it)")
    env = {
        "STREAMLIT_SERVER_COOKIE_SECRET": os.urandom(16).hex(),   # one for all, as in deploy/
        "STREAMLIT_SERVER_ENABLE_WEBSOCKET_COMPRESSION": "true",  # as the Dockerfile sets it
    }
    with contextlib.ExitStack() as outer:
        app_stacks = [outer.enter_context(contextlib.ExitStack()) for _ in range(2)]
        urls = [stack.enter_context(E2E.start_streamlit("dashboard.py", env=env)) for stack in app_stacks]
        upstreams = [url.removeprefix("http://") for url in urls]
        proxy = outer.enter_context(run_nginx(nginx, upstreams))
        proxy.app_stops = [stack.close for stack in app_stacks]
        yield proxy


@pytest.fixture(scope="module")
def chromium():
    if not E2E.CHROMIUM.exists():
        _missing(f"{E2E.CHROMIUM} not found (apt-get install -y chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("playwright (Python package) is not installed")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(E2E.CHROMIUM), headless=True, args=E2E.CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@contextlib.contextmanager
def browser_session(chromium, proxy: Proxy, node: str | None = None):
    """A fresh browser context (own cookies, empty cache), offline, optionally pinned by cookie."""
    context = chromium.new_context(viewport=E2E.VIEWPORT)
    external: list[str] = []

    def guard(route):
        if E2E._is_loopback(route.request.url):
            route.continue_()
        else:
            external.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    if node is not None:
        context.add_cookies([{"name": COOKIE, "value": node, "url": proxy.url}])
    page = context.new_page()
    page.external_requests = external
    try:
        yield page
    finally:
        context.close()


def load_dashboard(page, url: str) -> float:
    """Open the dashboard, wait for its script run; return the seconds it took."""
    started = time.monotonic()
    page.goto(url, wait_until="commit", timeout=LOAD_TIMEOUT_MS)
    E2E.wait_for_app_run(page, timeout=LOAD_TIMEOUT_MS)
    seconds = time.monotonic() - started
    assert page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]').count() == 1
    exceptions = page.locator('[data-testid="stException"]')
    assert exceptions.count() == 0, exceptions.first.inner_text()
    assert page.external_requests == [], page.external_requests
    return seconds


def set_node_cookie(headers) -> str | None:
    """The `Set-Cookie: atlas_node=...` header of a response (Streamlit sets its own cookies too)."""
    return next((c for c in headers.get_all("Set-Cookie") or () if c.startswith(f"{COOKIE}=")), None)


def node_cookie(context) -> str | None:
    return next((c["value"] for c in context.cookies() if c["name"] == COOKIE), None)


def pinned_nodes(proxy: Proxy) -> dict[str, str]:
    """A sticky cookie value for each upstream, learnt from cheap health requests.

    Each cookie-less response sets a new random `atlas_node`; the access log tells
    which process served it. At most 60 tries (the chance that 60 random keys all
    miss one of two processes is 2^-59).
    """
    found: dict[str, str] = {}
    for _ in range(60):
        _, headers, _ = _get(f"{proxy.url}/_stcore/health")
        value = set_node_cookie(headers).split(";")[0].split("=", 1)[1]
        (entry,) = _poll("the health request in the access log", lambda: proxy.entries_of(value), 10)
        found.setdefault(entry["upstream"], value)
        if len(found) == len(proxy.upstreams):
            return found
    raise AssertionError(f"60 cookies all went to {sorted(found)}")


def _figure(name: str, value: str) -> None:
    FIGURES[name] = value
    print(f"\n[deploy] {name}: {value}")


@pytest.fixture(autouse=True)
def _attach_figures(request):
    yield
    if FIGURES:
        request.node.user_properties.append(("figures", dict(FIGURES)))


# --------------------------------------------------------------------------
# The tests
# --------------------------------------------------------------------------


def test_sticky_cookie_is_set_once_and_validated(cluster):
    _, headers, body = _get(f"{cluster.url}/_stcore/health")
    assert body.strip() == b"ok"
    cookie = set_node_cookie(headers)
    assert cookie is not None, headers.get_all("Set-Cookie")
    value = cookie.split(";")[0].split("=", 1)[1]
    assert cookie.startswith(f"{COOKIE}=") and len(value) == 32
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/" in cookie
    # Sent back: no new cookie. A forged or malformed one is replaced.
    _, again, _ = _get(f"{cluster.url}/_stcore/health", {"Cookie": f"{COOKIE}={value}"})
    assert set_node_cookie(again) is None
    _, forged, _ = _get(f"{cluster.url}/_stcore/health", {"Cookie": f"{COOKIE}=../../etc"})
    replaced = set_node_cookie(forged)
    assert replaced is not None and "../" not in replaced


def test_browser_loads_and_stays_on_one_process(cluster, chromium):
    """A browser pinned (by its cookie) to the second process; the failover test pins one to the first."""
    nodes = pinned_nodes(cluster)           # upstream -> cookie value: the cookies do spread
    assert set(nodes) == set(cluster.upstreams)
    upstream = cluster.upstreams[1]
    node = nodes[upstream]
    with browser_session(chromium, cluster, node) as page:
        seconds = load_dashboard(page, cluster.url + "/")
        assert node_cookie(page.context) == node
        # the map drawn too, before the browser goes: closing it while the map's frame still
        # loads would log that request as 499 (the client went away), which is no failure
        page.frame_locator('iframe[src*="streamlit_folium"]').locator(".ca-place").first.wait_for(
            timeout=LOAD_TIMEOUT_MS)
    # Closing the context closed the WebSocket: nginx logs it now, with 101.
    _poll(f"the WebSocket of {node} in the access log",
          lambda: any(e["request"].startswith(f"GET {STREAM} ") for e in cluster.entries_of(node)), 15)

    entries = cluster.entries_of(node)
    served_by = {e["upstream"] for e in entries}
    assert served_by == {upstream}, f"browser {node} was served by {served_by}"
    streams = [e for e in entries if e["request"].startswith(f"GET {STREAM} ")]
    assert [e["status"] for e in streams] == ["101"], streams
    assert len(entries) > 10  # the page, its scripts, host-config, health, the socket...
    ok = {"101", "200", "204", "304"}
    assert all(e["status"] in ok for e in entries), \
        sorted({(e["status"], e["request"]) for e in entries if e["status"] not in ok})

    total = sum(int(e["bytes"]) for e in entries)
    biggest = sorted(entries, key=lambda e: -int(e["bytes"]))[:5]
    _figure("first load through the proxy", (
        f"{seconds:.1f} s, {len(entries)} requests, {total / 1024:.0f} KiB sent to the browser "
        f"(WebSocket {sum(int(e['bytes']) for e in streams) / 1024:.0f} KiB of it); biggest: "
        + ", ".join(f"{e['request'].split()[1].split('?')[0]} {int(e['bytes']) / 1024:.0f} KiB"
                    + (f" (gzip x{e['gzip_ratio']})" if e["gzip_ratio"] else "") for e in biggest)
    ))


def test_gzip_at_the_proxy(cluster):
    status, headers, html = _get(cluster.url + "/", {"Accept-Encoding": "gzip"})
    assert status == 200 and headers.get("Content-Encoding") == "gzip"
    page = gzip.decompress(html).decode()
    bundle = page.split('src="./static/js/', 1)[1].split('"', 1)[0]
    bundle_path = f"/static/js/{bundle}"

    # Straight from a process: Streamlit sends its JavaScript uncompressed ...
    _, direct, raw = _get(f"http://{cluster.upstreams[0]}{bundle_path}", {"Accept-Encoding": "gzip"})
    assert direct.get("Content-Encoding") is None
    # ... and nginx compresses it.
    status, via, body = _get(cluster.url + bundle_path, {"Accept-Encoding": "gzip"})
    assert status == 200 and via.get("Content-Encoding") == "gzip"
    assert "Accept-Encoding" in via.get("Vary", "")
    assert gzip.decompress(body) == raw
    logged = _poll("the bundle request in the access log", lambda: [
        e for e in cluster.entries() if e["request"] == f"GET {bundle_path} HTTP/1.1" and e["gzip_ratio"]], 10)
    _figure("JS bundle", f"{len(raw) / 1024:.0f} KiB -> {len(body) / 1024:.0f} KiB gzip "
                         f"(nginx gzip_ratio {logged[-1]['gzip_ratio']})")
    # A client that does not accept gzip gets it plain.
    _, plain, plain_body = _get(cluster.url + bundle_path)
    assert plain.get("Content-Encoding") is None and plain_body == raw


def test_links_move_within_the_session_through_the_proxy(cluster, chromium):
    """Under the proxy's CSP too, "Read in the source" moves within the session: the page is not
    loaded again and no second WebSocket is opened (pages/_links.py's component runs)."""
    with browser_session(chromium, cluster) as page:
        sockets: list[str] = []
        page.on("websocket", lambda ws: sockets.append(ws.url))
        load_dashboard(page, cluster.url + "/timeline?lang=en&event=final-liberation-declared")
        page.locator("html[data-ca-links='on']").wait_for(state="attached", timeout=LOAD_TIMEOUT_MS)
        page.evaluate("() => { window.__caMarker = 1; }")
        page.locator("#event-final-liberation-declared a", has_text="Read in the source").first.click()
        page.wait_for_url(lambda url: "/sources?" in url, timeout=LOAD_TIMEOUT_MS)
        page.locator("mark.ca-hl").first.wait_for(timeout=LOAD_TIMEOUT_MS)
        assert page.evaluate("() => window.__caMarker") == 1
        assert len([u for u in sockets if u.endswith(STREAM)]) == 1, sockets


STATIC = ("/static/", "/app/static/", "/component/")


def test_a_repeat_visit_loads_no_static_asset_again(cluster, chromium):
    """A second visit in the same browser: the bundles, fonts, Leaflet, the outlines and the map
    component's files come from the browser's cache; nginx sees none of them again."""
    # Not browser_session: Playwright turns the browser's cache off when it routes requests.
    # Offline all the same: the browser resolves no name but the loopback (E2E.CHROMIUM_ARGS).
    context = chromium.new_context(viewport=E2E.VIEWPORT)
    page = context.new_page()
    page.external_requests = []
    try:
        load_dashboard(page, cluster.url + "/")
        outlines = page.frame_locator('iframe[src*="streamlit_folium"]').locator(
            ".leaflet-container[data-ca-outlines='drawn']")
        outlines.wait_for(timeout=LOAD_TIMEOUT_MS)  # the outlines fetched (a cancelled fetch is not cached)
        node = node_cookie(page.context)
        first = [e for e in cluster.entries_of(node) if e["request"].split()[1].startswith(STATIC)]
        assert any("/app/static/" in e["request"] for e in first) and any("/static/js/" in e["request"] for e in first)
        seen = len(cluster.entries_of(node))
        page.goto("about:blank")
        load_dashboard(page, cluster.url + "/")  # typed again / a bookmark: a normal navigation
        outlines.wait_for(timeout=LOAD_TIMEOUT_MS)
        page.goto("about:blank")  # closes the WebSocket: nginx logs it
    finally:
        context.close()
    again = _poll("the second visit in the access log", lambda: cluster.entries_of(node)[seen:], 15)
    assets = [e["request"] for e in again if e["request"].split()[1].startswith(STATIC)]
    assert assets == [], assets
    _figure("repeat visit", f"{len(again)} requests, none for a static asset; "
                            f"{sum(int(e['bytes']) for e in again) / 1024:.0f} KiB sent")


def test_failover_when_a_process_stops(cluster, chromium):
    nodes = pinned_nodes(cluster)
    doomed, survivor = cluster.upstreams[0], cluster.upstreams[1]
    node = nodes[doomed]

    with browser_session(chromium, cluster, node) as open_tab:
        load_dashboard(open_tab, cluster.url + "/")
        assert {e["upstream"] for e in cluster.entries_of(node)} == {doomed}
        errors_before = len(cluster.errors())
        entries_before = len(cluster.entries())

        stop_started = time.monotonic()
        cluster.app_stops[0]()   # start_streamlit's own exit: terminate (SIGTERM) that PID, wait
        stopped = time.monotonic()
        stopped_wall = time.time()  # the clock nginx logs with
        assert not _accepts(int(doomed.rsplit(":", 1)[1])), f"{doomed} still accepts connections"

        # The tab that was on it: Streamlit's frontend reconnects through the proxy and
        # gets a new session on the survivor (the page reruns).
        open_tab.wait_for_selector('[data-testid="stApp"][data-test-connection-state="CONNECTED"]',
                                   state="attached", timeout=LOAD_TIMEOUT_MS)
        E2E.wait_for_app_run(open_tab, timeout=LOAD_TIMEOUT_MS)
        reconnected = time.monotonic()
        assert open_tab.locator('[data-testid="stException"]').count() == 0

    # Its new WebSocket (logged now that the tab is closed) went to the survivor, upgraded.
    _poll("the reconnected tab's WebSocket to the survivor in the access log", lambda: [
        e for e in cluster.entries()[entries_before:]
        if e["node"] == node and e["request"].startswith(f"GET {STREAM} ") and e["status"] == "101"
        and e["upstream"] in {survivor, f"{doomed}, {survivor}"}], 15)

    # A new browser: it loads from the survivor.
    with browser_session(chromium, cluster) as new_browser:
        new_s = load_dashboard(new_browser, cluster.url + "/")
        new_node = node_cookie(new_browser.context)
    done = time.monotonic()

    # nginx's passive check: the refused connection is logged and the process taken out.
    errors = cluster.errors()[errors_before:]
    assert f"upstream: \"http://{doomed}" in errors and "connect() failed" in errors, errors[-2000:]
    assert "upstream server temporarily disabled" in errors, errors[-2000:]

    # Everything logged since the stop was prepared: only these two browsers were using the proxy.
    logged = cluster.entries()[entries_before:]

    def began(entry: dict) -> float:
        return float(entry["msec"]) - float(entry["request_time"])

    # No browser saw an error: a request that hit the stopped process (refused) was
    # retried on the survivor, and that process was then left out.
    bad = [(e["status"], e["request"], e["upstream"]) for e in logged if e["status"] in {"500", "502", "503", "504"}]
    assert not bad, bad
    retried = [e for e in logged if e["upstream"].startswith(doomed + ", ")]
    assert retried, "no request was retried after the failed connection"
    assert all(e["upstream"] == f"{doomed}, {survivor}" for e in retried), retried

    # Requests begun before the process had exited (the tab's WebSocket, the end of its
    # first load) may have been served by it; none begun after it was.
    exited = stopped_wall + 0.05
    assert all(began(e) < exited for e in logged if e["upstream"] == doomed)
    after = [e for e in logged if began(e) > exited]
    nodes_after = {e["node"] for e in after}
    # the open tab (its cookie) and the new browser (a cookie of its own; read back from the
    # context it has been seen to differ from the one logged once, so only "another" is required)
    assert node in nodes_after and nodes_after - {node}, ("both browsers made requests after the stop", nodes_after, new_node)
    assert all(e["upstream"] in {survivor, f"{doomed}, {survivor}"} for e in after), \
        [(e["request"], e["upstream"]) for e in after]
    # Within fail_timeout nginx does not try the stopped process again: straight to the survivor.
    direct = [e for e in after if e["upstream"] == survivor]
    retried_after = [e for e in after if e in retried]
    assert len(direct) > 5 * max(1, len(retried_after)), (len(direct), len(retried_after))

    kinds: dict[str, int] = {}
    for line in errors.splitlines():
        if doomed in line or "temporarily disabled" in line:
            what = line.split("] ", 1)[-1].split(": ", 1)[-1].split(", client:")[0].split(" while ")[0]
            kinds[what] = kinds.get(what, 0) + 1
    _figure("nginx error log after the stop", "; ".join(f"{n} x {k}" for k, n in kinds.items()))
    _figure("failover", (
        f"SIGTERM to exit of {doomed}: {stopped - stop_started:.1f} s; the open tab was reconnected "
        f"and rerun on {survivor} {reconnected - stop_started:.1f} s after the SIGTERM; a new browser "
        f"then loaded in {new_s:.1f} s ({done - stop_started:.1f} s after the SIGTERM); "
        f"{len(retried)} request(s) retried on "
        f"the survivor ({len(retried_after)} after the exit), {len(direct)} went straight to it after the exit"
    ))
