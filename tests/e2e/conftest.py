"""Browser (end-to-end) test fixtures: a real Streamlit server + headless Chromium.

Modelled on Streamlit's own e2e_playwright/conftest.py, trimmed to what this
project needs and made offline-proof:

* ``start_streamlit(app)`` starts ``python -m streamlit run <app>`` on a free
  127.0.0.1 port (cwd = repo root, so .streamlit/config.toml applies), polls
  ``/_stcore/health`` until it answers "ok" and yields the base URL.
  ``streamlit_app(path)`` (session fixture factory) keeps one server per app
  for the whole session; ``app_server`` is the one for ``dashboard.py``.
* ``browser``: Debian's /usr/bin/chromium through Playwright (never
  ``playwright install``). ``page``: 1366x768; every request to a host other
  than 127.0.0.1/localhost is aborted and recorded in
  ``page.external_requests`` (tests assert it stays empty).
* ``wait_for_app_run(page)``: waits for the script run to finish (DOM
  attributes set by Streamlit's frontend), no sleeps. Tests get it, and
  ``screenshot_path(name)``, as fixtures of the same names: do not
  ``from conftest import ...`` (see ``pytest_plugin_registered`` below).

If /usr/bin/chromium (or Playwright) is missing, tests that need the browser
are skipped, except with CI=true, where they fail.
"""

from __future__ import annotations

import contextlib
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
if str(REPO_ROOT) not in sys.path:  # so tests can import coalition_atlas
    sys.path.insert(0, str(REPO_ROOT))

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
SCREENSHOT_DIR = REPO_ROOT / "test-artifacts" / "screenshots"  # git-ignored (test-artifacts/)
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})
VIEWPORT = {"width": 1366, "height": 768}
SERVER_START_TIMEOUT_S = 90.0
LOG_TAIL_LINES = 60

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    # Belt and braces next to page routing: whatever Chromium itself might try
    # (not visible to Playwright's router), no name but the loopback resolves.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
]


def pytest_plugin_registered(plugin, manager):
    """Hand the module name ``conftest`` back to the parent conftest.

    Without ``__init__.py`` files every conftest.py is imported as module
    ``conftest``, the last one loaded winning in ``sys.modules``; tests in
    tests/ do ``from conftest import RECORD`` (tests/conftest.py), some of
    them at run time, which would then find this module instead. So once this
    conftest is registered, ``sys.modules["conftest"]`` points to the nearest
    parent conftest again (pytest itself keeps its own references).
    """
    if getattr(plugin, "__file__", None) != __file__:
        return
    here = Path(__file__).resolve()
    for folder in here.parents[1:]:
        parent = manager.get_plugin(str(folder / "conftest.py"))
        if parent is not None:
            sys.modules["conftest"] = parent
            return
        if folder == REPO_ROOT:
            return


_HERE = Path(__file__).resolve().parent


def pytest_configure(config):
    config.addinivalue_line("markers", "e2e: end-to-end tests in Debian's Chromium against `streamlit run`")


def pytest_collection_modifyitems(config, items):
    """Mark the tests here that drive the browser ``e2e`` (``-m "not e2e"`` skips them)."""
    for item in items:
        if _HERE in Path(str(item.path)).resolve().parents and {"page", "browser"} & set(
            getattr(item, "fixturenames", ())
        ):
            item.add_marker(pytest.mark.e2e)


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"true", "1", "yes"}


def _no_browser(reason: str):
    if _in_ci():
        pytest.fail(f"{reason} (CI=true: browser tests must run)", pytrace=False)
    pytest.skip(reason)


# --------------------------------------------------------------------------
# Streamlit server
# --------------------------------------------------------------------------

_RUNNING: dict[str, Path] = {}  # base URL -> server log, for failure reports


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _log_tail(log: Path, lines: int = LOG_TAIL_LINES) -> str:
    try:
        text = log.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return "(no log)"
    return "\n".join(text.splitlines()[-lines:])


def _health_ok(base_url: str) -> bool:
    # No proxies: an HTTP(S)_PROXY in the environment must not catch 127.0.0.1.
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(f"{base_url}/_stcore/health", timeout=2) as resp:
            return resp.status == 200 and resp.read().strip() == b"ok"
    except OSError:
        return False


def _stage_app(app: Path, stage_dir: Path) -> Path:
    """Return the script path to run so that Streamlit serves REPO_ROOT/static.

    Streamlit's static serving uses the ``static/`` folder *next to the main
    script*. Apps outside the repo root (tests/e2e/apps/...) are run through a
    symlink in a temp folder that also holds ``static -> REPO_ROOT/static``.
    ``__file__`` in the app is then the symlink: use ``Path(__file__).resolve()``.
    """
    if (app.parent / "static").is_dir() or not (REPO_ROOT / "static").is_dir():
        return app
    (stage_dir / "static").symlink_to(REPO_ROOT / "static", target_is_directory=True)
    staged = stage_dir / app.name
    staged.symlink_to(app)
    return staged


@contextlib.contextmanager
def start_streamlit(
    app_path: str | os.PathLike[str],
    *,
    extra_args: tuple[str, ...] = (),
    base_url_path: str = "",
    env: dict[str, str] | None = None,
    timeout: float = SERVER_START_TIMEOUT_S,
) -> Iterator[str]:
    """Run a Streamlit app on a free 127.0.0.1 port; yield its base URL.

    ``app_path`` is absolute or relative to the repo root. ``extra_args`` are
    more ``streamlit run`` flags; ``base_url_path`` sets
    ``--server.baseUrlPath`` (the yielded URL then ends with it, e.g.
    ``http://127.0.0.1:PORT/atlas``; no trailing slash either way). The server's
    stdout/stderr go to a temp file, whose tail is shown if it does not come
    up (or dies), and attached to failing tests' reports.
    """
    app = Path(app_path)
    if not app.is_absolute():
        app = REPO_ROOT / app
    if not app.is_file():
        raise FileNotFoundError(app)

    with tempfile.TemporaryDirectory(prefix="st-e2e-") as tmp:
        tmp_dir = Path(tmp)
        script = _stage_app(app, tmp_dir)
        log_path = tmp_dir / "streamlit.log"
        run_env = {**os.environ, **(env or {}), "PYTHONUNBUFFERED": "1"}
        run_env.setdefault("STREAMLIT_BROWSER_GATHER_USAGE_STATS", "false")

        for attempt in range(3):  # the free port may be taken in between: retry
            port = _free_port()
            prefix = "/" + base_url_path.strip("/") if base_url_path.strip("/") else ""
            base_url = f"http://127.0.0.1:{port}{prefix}"
            cmd = [
                sys.executable, "-m", "streamlit", "run", str(script),
                "--server.port", str(port),
                "--server.address", "127.0.0.1",
                "--server.headless", "true",
                "--browser.gatherUsageStats", "false",
                *(("--server.baseUrlPath", base_url_path.strip("/")) if prefix else ()),
                *extra_args,
            ]
            log = open(log_path, "w", encoding="utf-8")
            proc = subprocess.Popen(
                cmd, cwd=REPO_ROOT, env=run_env, stdin=subprocess.DEVNULL,
                stdout=log, stderr=subprocess.STDOUT,
            )
            deadline = time.monotonic() + timeout
            up = False
            while time.monotonic() < deadline:
                if _health_ok(base_url):
                    up = True
                    break
                try:  # doubles as the poll interval and as "did it die?"
                    proc.wait(timeout=0.25)
                    break
                except subprocess.TimeoutExpired:
                    pass
            if up:
                break
            _stop(proc)
            log.close()
            tail = _log_tail(log_path)
            if proc.returncode not in (None, 0) and "already in use" in tail and attempt < 2:
                continue
            raise RuntimeError(
                f"Streamlit did not come up on {base_url} within {timeout:.0f}s "
                f"(exit code {proc.returncode}).\n--- log tail ---\n{tail}"
            )

        _RUNNING[base_url] = log_path
        try:
            yield base_url
        finally:
            _RUNNING.pop(base_url, None)
            died = proc.poll()
            _stop(proc)
            log.close()
            if died is not None:
                sys.stderr.write(
                    f"\nStreamlit server {base_url} exited early (code {died}).\n"
                    f"--- log tail ---\n{_log_tail(log_path)}\n"
                )


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=15)


@pytest.fixture(scope="session")
def streamlit_app() -> Iterator[Callable[..., str]]:
    """Factory: ``streamlit_app("tests/e2e/apps/x.py") -> base URL``.

    One server per app path for the whole session, all stopped at the end.
    """
    servers: dict[tuple, str] = {}
    with contextlib.ExitStack() as stack:

        def get(app_path: str | os.PathLike[str], *extra_args: str) -> str:
            key = (str(app_path), extra_args)
            if key not in servers:
                servers[key] = stack.enter_context(start_streamlit(app_path, extra_args=extra_args))
            return servers[key]

        yield get


@pytest.fixture(scope="session")
def app_server(streamlit_app) -> str:
    """Base URL of the dashboard (``dashboard.py`` at the repo root)."""
    return streamlit_app("dashboard.py")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.failed and _RUNNING:
        for url, log in _RUNNING.items():
            report.sections.append((f"streamlit server log {url} (tail)", _log_tail(log)))


# --------------------------------------------------------------------------
# Browser
# --------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        _no_browser(f"{CHROMIUM} not found (apt-get install -y chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _no_browser("playwright (Python package) is not installed")
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


def _is_loopback(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https", "ws", "wss"}:
        return True  # data:, blob:, about:, chrome-extension: ... never leave the machine
    return (parts.hostname or "") in LOOPBACK_HOSTS


@pytest.fixture
def page(browser):
    """A fresh page (own context, 1366x768) that cannot reach the internet.

    ``page.external_requests``: URLs of aborted non-loopback requests, from
    the page and all its frames (the routing is on the context).
    """
    context = browser.new_context(viewport=VIEWPORT)
    external: list[str] = []

    def guard(route):
        url = route.request.url
        if _is_loopback(url):
            route.continue_()
        else:
            external.append(url)
            route.abort()

    context.route("**/*", guard)
    p = context.new_page()
    p.external_requests = external
    try:
        yield p
    finally:
        context.close()


PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True, "device_scale_factor": 2}


@pytest.fixture
def phone(browser):
    """A fresh page as a phone opens it: 390x844 CSS px, touch, a mobile viewport; cut off from
    the internet as ``page`` is (``phone.external_requests``). Tap with ``phone.tap(selector)``
    or ``phone.touchscreen.tap(x, y)``."""
    context = browser.new_context(**PHONE)
    external: list[str] = []

    def guard(route):
        url = route.request.url
        if _is_loopback(url):
            route.continue_()
        else:
            external.append(url)
            route.abort()

    context.route("**/*", guard)
    p = context.new_page()
    p.external_requests = external
    try:
        yield p
    finally:
        context.close()


def wait_for_app_run(page, timeout: float = 30_000) -> None:
    """Wait until Streamlit is connected and the script run has finished.

    ``timeout`` in milliseconds (Playwright's unit), for each of the two waits.

    Streamlit 1.67 marks ``[data-testid="stApp"]`` with
    ``data-test-connection-state`` (INITIAL, CONNECTING, CONNECTED, ...) and
    ``data-test-script-state``: "initial" until the first run starts, then the
    ScriptRunState: "running", "notRunning", "rerunRequested",
    "stopRequested", "compilationError". After a widget interaction the
    state may still read "notRunning" for a moment before the rerun starts:
    wait for something the rerun changes, then call this.
    """
    page.wait_for_selector(
        '[data-testid="stApp"][data-test-connection-state="CONNECTED"]',
        state="attached", timeout=timeout,
    )
    page.wait_for_selector(
        '[data-testid="stApp"][data-test-script-state="notRunning"]',
        state="attached", timeout=timeout,
    )


def screenshot_path(name: str) -> Path:
    """``test-artifacts/screenshots/<name>.png`` (folder created)."""
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    return SCREENSHOT_DIR / f"{name}.png"


@pytest.fixture(name="wait_for_app_run", scope="session")
def _wait_for_app_run_fixture() -> Callable[..., None]:
    """``wait_for_app_run(page, timeout=ms)``, as a fixture."""
    return wait_for_app_run


@pytest.fixture(name="screenshot_path", scope="session")
def _screenshot_path_fixture() -> Callable[[str], Path]:
    """``screenshot_path(name) -> Path``, as a fixture."""
    return screenshot_path


@pytest.fixture(name="start_streamlit", scope="session")
def _start_streamlit_fixture() -> Callable[..., contextlib.AbstractContextManager[str]]:
    """``start_streamlit`` as a fixture, for tests that need a server of their own (env, flags)."""
    return start_streamlit


# --------------------------------------------------------------------------
# Accessibility: axe-core (vendored) over the page and its frames, Tab walks
# --------------------------------------------------------------------------

AXE_JS = _HERE / "vendor" / "axe-core" / "axe.min.js"  # axe-core 4.14.1 (MPL-2.0, LICENSE beside it)

# The colour contrast of what axe leaves "incomplete" (text over SVG, a one-character count,
# an arrow), measured here: the text's colour (an SVG text's fill) with its opacity and its
# ancestors', over what is painted beneath its centre (HTML backgrounds, SVG fills, composited
# from the bottom on white). Pointer events are switched on for the measure, so that
# elementsFromPoint sees layers drawn with `pointer-events: none` (Plotly's, the map's names).
# An image or canvas beneath makes it unmeasurable: reported as such (a failure).
_CONTRAST_JS = """
(target) => {
  let doc = document;
  for (const sel of target.slice(0, -1)) doc = doc.querySelector(sel).contentDocument;
  const win = doc.defaultView;
  const el = doc.querySelector(target[target.length - 1]);
  if (!el) return {error: 'gone'};
  const parse = (c) => {
    const m = /rgba?\\(([^)]+)\\)/.exec(c || '');
    if (!m) return null;
    const p = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number);
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
  };
  const over = (top, bottom) => [0, 1, 2].map(i => top[i] * top[3] + bottom[i] * (1 - top[3]));
  const lum = (c) => { const [r, g, b] = c.map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); }); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
  const opacity = (node) => { let o = 1; for (let n = node; n && n.nodeType === 1; n = n.parentElement) o *= Number(win.getComputedStyle(n).opacity); return o; };
  const style = doc.createElement('style');
  style.textContent = '* { pointer-events: auto !important; }';
  doc.head.appendChild(style);
  try {
    const cs = win.getComputedStyle(el);
    const svg = el instanceof win.SVGElement;
    const fg = parse(svg ? cs.fill : cs.color);
    if (!fg) return {error: 'no colour: ' + (svg ? cs.fill : cs.color)};
    fg[3] *= (svg ? Number(cs.fillOpacity) : 1) * opacity(el);
    const r = el.getBoundingClientRect();
    const stack = doc.elementsFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    const layers = [];
    for (const node of stack) {
      if (node !== el && el.contains(node)) continue;
      const ns = win.getComputedStyle(node);
      if (node instanceof win.SVGElement) {
        if (node === el || node.tagName === 'svg' || node.tagName === 'g' || node.tagName === 'text') continue;
        const fill = parse(ns.fill);
        if (!fill || ns.fill === 'none') continue;
        fill[3] *= Number(ns.fillOpacity) * opacity(node);
        if (fill[3] > 0) layers.push(fill);
      } else {
        if (['IMG', 'CANVAS', 'VIDEO'].includes(node.tagName) || (ns.backgroundImage !== 'none' && !ns.backgroundImage.startsWith('linear-gradient(rgba(0, 0, 0, 0)')))
          return {error: 'image beneath: ' + node.tagName + '.' + node.className};
        const bg = parse(ns.backgroundColor);
        if (bg && bg[3] > 0) { bg[3] *= opacity(node); layers.push(bg); }
      }
      if (layers.length && layers[layers.length - 1][3] >= 1) break;
    }
    let bg = [255, 255, 255];
    for (const layer of layers.reverse()) bg = over(layer, bg);
    const text = over(fg, bg);
    const size = parseFloat(cs.fontSize), bold = Number(cs.fontWeight) >= 700;
    const large = size >= 24 || (bold && size >= 18.66);
    return {ratio: Math.round(ratio(text, bg) * 100) / 100, needed: large ? 3 : 4.5,
            fg: text.map(Math.round), bg: bg.map(Math.round), text: (el.textContent || '').trim().slice(0, 30)};
  } finally { style.remove(); }
}
"""


def run_axe(page) -> dict:
    """axe-core from the top document with every frame included (axe in each frame, the
    results gathered by the top one), all rules (best practices too; axe's defaults: every
    rule but the experimental ones). Returns ``violations`` (id, impact, targets), and
    ``contrast``: each colour-contrast item axe left incomplete, measured by _CONTRAST_JS,
    those below the needed ratio or unmeasurable in ``contrast_failures``."""
    source = AXE_JS.read_text(encoding="utf-8")
    for frame in page.frames:  # evaluate, not a script tag: no page's CSP can refuse it
        if frame.is_detached():
            continue
        frame.evaluate(source)
    result = page.evaluate(
        """async () => {
          const r = await axe.run(document, {iframes: true});
          const nodes = (v) => v.nodes.map(n => ({target: n.target, html: n.html.slice(0, 160)}));
          return {
            violations: r.violations.map(v => ({id: v.id, impact: v.impact, nodes: nodes(v)})),
            incomplete: r.incomplete.map(v => ({id: v.id, nodes: nodes(v)})),
            frame_nodes: r.passes.reduce((n, v) => n + v.nodes.filter(x => x.target.length > 1).length, 0),
          };
        }"""
    )
    contrast = []
    for item in (i for i in result["incomplete"] if i["id"] == "color-contrast"):
        for node in item["nodes"]:
            measured = page.evaluate(_CONTRAST_JS, node["target"])
            contrast.append({"target": " >> ".join(node["target"]), **measured})
    result["contrast"] = contrast
    result["contrast_failures"] = [c for c in contrast if "error" in c or c["ratio"] < c["needed"]]
    return result


@pytest.fixture(name="axe", scope="session")
def _axe_fixture() -> Callable[..., dict]:
    """``axe(page) -> dict``: see :func:`run_axe`."""
    if not AXE_JS.is_file():
        pytest.fail(f"{AXE_JS} missing: axe-core is vendored in the repository", pytrace=False)
    return run_axe


def _yaml():
    from ruamel.yaml import YAML

    return YAML(typ="safe")


def tab_walk(page, start, scope, inside: str, limit: int = 400) -> list[dict]:
    """Focus ``start`` (a locator), then press Tab until the focus leaves what ``inside`` (a
    JS function of the top document, true while the focus is in what is walked) accepts.
    Each stop: its role and accessible name as Chromium computes them (Playwright's ARIA
    snapshot of the focused element in ``scope``, the page or a frame locator) and its classes."""
    start.focus()
    stops = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        if not page.evaluate(inside):
            break
        focused = scope.locator(":focus")
        snapshot = _yaml().load(focused.aria_snapshot())
        assert snapshot, f"a Tab stop with no accessible role or name: {focused.evaluate('el => el.outerHTML.slice(0, 300)')}"
        first = snapshot[0]  # "button \"Mosul\"", or {"region \"…\"": [children]}
        head = next(iter(first)) if isinstance(first, dict) else str(first)
        text = first[head] if isinstance(first, dict) and isinstance(first[head], str) else ""  # "- text: Legend"
        match = re.match(r'(\w+)(?: "(.*)")?', head)
        stops.append({
            "role": match.group(1) if match else head,
            "name": (match.group(2) or text).replace('\\"', '"') if match else text,
            "cls": focused.evaluate("el => String(el.getAttribute('class') || '')"),
        })
    return stops


@pytest.fixture(name="tab_walk", scope="session")
def _tab_walk_fixture() -> Callable[..., list[dict]]:
    """``tab_walk(page, start, scope, inside) -> [{role, name, cls}]``: see :func:`tab_walk`."""
    return tab_walk
