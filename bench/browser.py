"""Debian's Chromium through Playwright (never ``playwright install``), loopback only.

Every host but 127.0.0.1 fails to resolve inside the browser (``--host-resolver-rules``), so a
request for one is aborted before it leaves the machine; each one is also counted from the
DevTools protocol (``Network.requestWillBeSent`` / ``webSocketCreated``) and reported.
Bytes to the browser: ``Network.loadingFinished`` encodedDataLength (HTTP, on the wire) plus the
payload of every WebSocket frame received (Streamlit's deltas).
"""

from __future__ import annotations

import base64
import os
import time
from urllib.parse import urlsplit

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-extensions",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]
VIEWPORT = {"width": 1366, "height": 768}
LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}
MAP_IFRAME = 'iframe[src*="streamlit_folium"]'

# What "drawn" means, checked in the page every few ms. spec = {key, marks, mapSel, mapN, css: [[sel, n]],
# step: {id, sel}, attrs: [name]}; the first time every part holds, window[key] = performance.now().
PROBE = r"""
(spec) => {
  const doc = document;
  const ok = (() => {
    for (const [sel, n] of (spec.css || [])) {
      const c = doc.querySelectorAll(sel).length;
      if (n < 0 ? c < 1 : c !== n) return false;
    }
    for (const a of (spec.attrs || [])) { if (doc.documentElement.getAttribute(a) !== 'drawn') return false; }
    if (spec.marks !== undefined && spec.marks !== null) {
      const gd = doc.querySelector('.js-plotly-plot');
      if (!gd || !gd._fullData) return false;
      const traces = gd.querySelectorAll('.scatterlayer .trace');
      let n = 0;
      if (gd._fullData.some(t => t.type === 'scattergl')) {
        // a large record's marks are WebGL (one canvas, no element per mark): count the points
        // plotly handed to its regl scene once the scene and its canvas exist
        const plot = gd._fullLayout._plots && gd._fullLayout._plots.xy;
        if (!plot || !plot._scene || !gd.querySelector('canvas.gl-canvas-context')) return false;
        gd._fullData.forEach(t => { if (t.meta === 'events' && t.type === 'scattergl' && t.visible === true) n += t._length || 0; });
      } else {
        gd._fullData.forEach((t, i) => { if (t.meta === 'events' && traces[i]) n += traces[i].querySelectorAll('path.point').length; });
      }
      if (n !== spec.marks) return false;
      if (spec.selected) {  // the step's event is the largest mark (presenter) or the ring trace's point (floor)
        const id = spec.selected;
        const ring = gd.data.find(t => t.name === 'selected');
        if (spec.selectedBy === 'ring') {
          if (!ring || !ring.customdata || ring.customdata[0] !== id) return false;
        } else {
          const tr = gd.data.find(t => t.meta === 'events' && t.customdata && t.customdata.indexOf(id) >= 0);
          if (!tr) return false;
          const s = tr.marker.size, k = tr.customdata.indexOf(id);
          if (!Array.isArray(s) || s[k] !== Math.max(...s)) return false;
        }
      }
    }
    if (spec.mapSel) {
      const f = doc.querySelector('iframe[src*="streamlit_folium"]');
      const d = f && f.contentDocument;
      if (!d) return false;
      if (d.querySelectorAll(spec.mapSel).length !== spec.mapN) return false;
      for (const sel of (spec.mapMust || [])) { if (!d.querySelector(sel)) return false; }
    }
    if (spec.inView) {  // at least partly inside the window
      const el = doc.querySelector(spec.inView);
      if (!el) return false;
      const r = el.getBoundingClientRect();
      if (r.height <= 0 || r.bottom <= 0 || r.top >= window.innerHeight) return false;
    }
    return true;
  })();
  if (ok && window[spec.key] === undefined) window[spec.key] = performance.now();
  return ok;
}
"""

# Records every change of the app's script state with performance.now(), to split an
# interaction's time into "until the script run ended" (server + transfer) and "drawing after it".
STATE_LOG = """() => { window.__states = []; const a = document.querySelector('[data-testid="stApp"]');
  new MutationObserver(() => window.__states.push([a.getAttribute('data-test-script-state'), performance.now()]))
    .observe(a, {attributes: true, attributeFilter: ['data-test-script-state']}); }"""

SETTLED = """() => { const a = document.querySelector('[data-testid="stApp"]');
  return !!a && a.getAttribute('data-test-script-state') === 'notRunning'
    && a.getAttribute('data-test-connection-state') === 'CONNECTED' && !document.querySelector('[data-stale="true"]'); }"""


class Net:
    """Bytes and requests seen by one page, from the DevTools protocol."""

    def __init__(self):
        self.http_bytes = 0
        self.ws_bytes = 0
        self.requests = 0
        self.external: list[str] = []
        self.urls: dict[str, str] = {}  # requestId -> url
        self.per_url: dict[str, int] = {}  # url (query cut) -> wire bytes

    def attach(self, cdp) -> None:
        def req(e):
            self.requests += 1
            self.urls[e["requestId"]] = e["request"]["url"]
            self._check(e["request"]["url"])

        def fin(e):
            n = int(e.get("encodedDataLength") or 0)
            self.http_bytes += n
            url = self.urls.get(e["requestId"], "?").split("?")[0]
            self.per_url[url] = self.per_url.get(url, 0) + n

        def ws(e):
            r = e["response"]
            data = r.get("payloadData", "")
            self.ws_bytes += len(base64.b64decode(data)) if r.get("opcode") == 2 else len(data.encode())

        cdp.on("Network.requestWillBeSent", req)
        cdp.on("Network.loadingFinished", fin)
        cdp.on("Network.webSocketFrameReceived", ws)
        cdp.on("Network.webSocketCreated", lambda e: self._check(e.get("url", "")))
        cdp.send("Network.enable")

    def _check(self, url: str) -> None:
        parts = urlsplit(url)
        if parts.scheme in ("http", "https", "ws", "wss") and (parts.hostname or "") not in LOOPBACK:
            self.external.append(url)

    def top(self, k: int = 8) -> list[tuple[str, int]]:
        return sorted(self.per_url.items(), key=lambda kv: -kv[1])[:k]

    @property
    def total(self) -> int:
        return self.http_bytes + self.ws_bytes


class Browser:
    def __init__(self):
        from playwright.sync_api import sync_playwright

        self._pw = sync_playwright().start()
        self.browser = self._pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        self.version = self.browser.version
        self.external: list[str] = []  # every non-loopback request of every page

    def open(self):
        """A fresh context and page, with its byte counter: (context, page, net)."""
        ctx = self.browser.new_context(viewport=VIEWPORT)
        page = ctx.new_page()
        cdp = ctx.new_cdp_session(page)
        net = Net()
        net.attach(cdp)
        cdp.send("Performance.enable")  # main-thread totals count from here
        net.cdp = cdp
        return ctx, page, net

    def close_context(self, ctx, net) -> None:
        self.external += net.external
        ctx.close()

    def close(self) -> None:
        self.browser.close()
        self._pw.stop()


def wait_drawn(page, spec: dict, timeout_s: float, poll: int | str = 25) -> float | None:
    """Wait until ``spec`` holds; performance.now() (ms since navigation) when it first did."""
    from playwright.sync_api import TimeoutError as PWTimeout

    try:
        page.wait_for_function(PROBE, arg=spec, polling=poll, timeout=timeout_s * 1000)
    except PWTimeout:
        return None
    return page.evaluate(f"() => window[{spec['key']!r}]")


def wait_settled(page, timeout_s: float, quiet_s: float = 0.4) -> bool:
    """The script run has finished, nothing is stale, and stays so for ``quiet_s``."""
    from playwright.sync_api import TimeoutError as PWTimeout

    deadline = time.perf_counter() + timeout_s
    while time.perf_counter() < deadline:
        try:
            page.wait_for_function(SETTLED, polling=50, timeout=max(1, deadline - time.perf_counter()) * 1000)
        except PWTimeout:
            return False
        time.sleep(quiet_s)
        if page.evaluate(SETTLED):
            return True
    return False
