"""The deployment faces a hostile network (issue 13): tested live, one dashboard process behind
deploy/nginx.conf on 127.0.0.1, the process run under ``strace -f -e trace=connect``.

1. security headers on every answer (a CSP as strict as Streamlit allows: its one inline script
   by hash, the map frame's path its own policy; frame-ancestors, nosniff, Referrer-Policy; no
   HSTS over plain HTTP);
2. the host check: any other Host gets its connection closed;
3. Streamlit's metrics, upload and agent routes are not reachable; bodies are small;
4. a WebSocket from a foreign Origin is refused at nginx, the page's own is upgraded;
5. per-client request limits (a client other than the proxy host's loopback);
6. Chromium loads the app through the proxy with no CSP violation and draws the map;
7. the socket audit: through a start, a page load, a foreign-Origin handshake (at the proxy) and a
   foreign-Host handshake (straight at Streamlit), the server connected to nothing off the machine.

Skipped if nginx, strace or Chromium is missing, except with CI=true, where it fails.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import http.client
import importlib.util
import ipaddress
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

REPO = Path(__file__).resolve().parents[2]


def _load(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


FAILOVER = _load("atlas_failover_support", Path(__file__).with_name("test_failover.py"))
E2E = FAILOVER.E2E
CONF = (REPO / "deploy" / "nginx.conf").read_text("utf-8")
EVIL = "evil.example"


def _inline_script_hashes() -> set[str]:
    """'sha256-…' of each inline script of the installed Streamlit's index.html."""
    import streamlit

    page = (Path(streamlit.__file__).parent / "static" / "index.html").read_text("utf-8")
    return {
        "'sha256-" + base64.b64encode(hashlib.sha256(m.group(2).encode()).digest()).decode() + "'"
        for m in re.finditer(r"<script([^>]*)>(.*?)</script>", page, re.S) if "src=" not in m.group(1)
    }


def test_the_csp_hashes_the_installed_streamlits_inline_script():
    """Fails on a Streamlit upgrade that changes its inline script: update deploy/nginx.conf."""
    hashes = _inline_script_hashes()
    assert len(hashes) == 1
    assert next(iter(hashes)) in CONF


def test_streamlit_settings_for_a_hostile_network():
    config = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text("utf-8"))
    assert config["client"]["showErrorDetails"] == "none"  # no traceback to a viewer
    assert config["server"]["maxUploadSize"] == 1  # the least Streamlit allows
    assert config["server"]["allowedHosts"]
    assert config["browser"]["serverAddress"]  # no start-up look-up of addresses
    assert re.search(r"limit_req +zone=atlas_req", CONF) and re.search(r"limit_conn +atlas_conn", CONF)
    assert "proxy_read_timeout 120s" in CONF and "3600s" not in CONF


# --------------------------------------------------------------------------
# one process under strace, nginx in front
# --------------------------------------------------------------------------


@contextlib.contextmanager
def _audited_streamlit(strace: str, log: Path):
    port = FAILOVER._free_port()
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "STREAMLIT_SERVER_COOKIE_SECRET": os.urandom(16).hex()}
    # As the Dockerfile runs it: every interface, the repository's .streamlit/config.toml.
    cmd = [strace, "-f", "-qq", "-e", "trace=connect,bind", "-e", "signal=none", "-o", str(log),
           sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.port", str(port),
           "--server.address", "0.0.0.0", "--server.headless", "true"]
    out = open(log.with_suffix(".out"), "w", encoding="utf-8")
    proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT)
    try:
        FAILOVER._poll("the audited server's health", lambda: proc.poll() is not None or E2E._health_ok(f"http://127.0.0.1:{port}"), 120)
        assert proc.poll() is None, log.with_suffix(".out").read_text(errors="replace")[-3000:]
        yield port
    finally:
        FAILOVER._stop_pid(proc)
        out.close()


@pytest.fixture(scope="module")
def proxy():
    nginx, strace = FAILOVER._nginx_binary(), shutil.which("strace")
    if nginx is None:
        FAILOVER._missing("nginx is not installed (.ci/run installs it)")
    if strace is None:
        FAILOVER._missing("strace is not installed (.ci/run installs it)")
    with tempfile.TemporaryDirectory(prefix="atlas-audit-") as tmp:
        log = Path(tmp) / "connect.strace"
        with _audited_streamlit(strace, log) as port, FAILOVER.run_nginx(nginx, [f"127.0.0.1:{port}"]) as proxy:
            proxy.app_port = port
            proxy.strace_log = log
            proxy.port = int(proxy.url.rsplit(":", 1)[1])
            yield proxy


def _request(port: int, method: str, path: str, headers: dict[str, str] | None = None, body: bytes | None = None,
             source: str | None = None) -> tuple[int, dict[str, str]]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30, source_address=(source, 0) if source else None)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        resp = conn.getresponse()
        resp.read()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}
    finally:
        conn.close()


def _raw(port: int, request: bytes) -> bytes:
    """What a server answers to ``request`` (b"" when it closes the connection unanswered)."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
        s.sendall(request)
        chunks = []
        try:
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                chunks.append(chunk)
                if b"\r\n\r\n" in b"".join(chunks):
                    break
        except (ConnectionResetError, socket.timeout):
            pass
    return b"".join(chunks)


def _handshake(port: int, host: str, origin: str | None) -> bytes:
    key = base64.b64encode(os.urandom(16)).decode()
    lines = [f"GET /_stcore/stream HTTP/1.1", f"Host: {host}", "Upgrade: websocket", "Connection: Upgrade",
             f"Sec-WebSocket-Key: {key}", "Sec-WebSocket-Version: 13", "Sec-WebSocket-Protocol: streamlit"]
    if origin:
        lines.append(f"Origin: {origin}")
    return _raw(port, ("\r\n".join(lines) + "\r\n\r\n").encode())


# --------------------------------------------------------------------------
# the tests (in this order: the audit reads the whole run)
# --------------------------------------------------------------------------


def test_security_headers(proxy):
    status, headers = _request(proxy.port, "GET", "/")
    assert status == 200
    csp = headers["content-security-policy"]
    script_src = re.search(r"script-src ([^;]+)", csp).group(1).split()
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
    assert set(script_src) == {"'self'", "'wasm-unsafe-eval'", "blob:"} | _inline_script_hashes()
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp and "default-src 'self'" in csp
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"
    assert "strict-transport-security" not in headers or not headers["strict-transport-security"]  # plain HTTP
    # the map's frame (streamlit-folium runs its map through eval): its own, looser policy
    _, frame = _request(proxy.port, "GET", "/component/streamlit_folium.st_folium/index.html")
    assert "'unsafe-eval'" in frame["content-security-policy"] and "frame-ancestors 'self'" in frame["content-security-policy"]
    # errors carry them too
    _, missing = _request(proxy.port, "GET", "/_stcore/metrics")
    assert missing["x-content-type-options"] == "nosniff"


def test_another_host_gets_its_connection_closed(proxy):
    assert _raw(proxy.port, f"GET / HTTP/1.1\r\nHost: {EVIL}\r\n\r\n".encode()) == b""
    assert _raw(proxy.port, b"GET / HTTP/1.0\r\n\r\n") == b""  # no Host at all
    assert _handshake(proxy.port, EVIL, f"http://{EVIL}") == b""
    assert _raw(proxy.port, b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").startswith(b"HTTP/1.1 200")


def test_internal_routes_and_large_bodies_are_refused(proxy):
    before = len(proxy.entries())
    assert _request(proxy.port, "GET", "/_stcore/metrics")[0] == 404
    assert _request(proxy.port, "GET", "/_stcore/agent/openapi.json")[0] == 404
    big = os.urandom(2 * 1024 * 1024)
    status, _ = _request(proxy.port, "PUT", "/_stcore/upload_file/session/file", {"Content-Type": "application/octet-stream"}, big)
    assert status in (404, 413)
    assert _request(proxy.port, "POST", "/", {"Content-Type": "text/plain"}, b"x" * 100_000)[0] == 413
    # Only this test's requests: an earlier test's last request may be logged after `before`
    # was read (nginx logs a request when its connection is done with).
    mine = {("GET", "/_stcore/metrics"), ("GET", "/_stcore/agent/openapi.json"),
            ("PUT", "/_stcore/upload_file/session/file"), ("POST", "/")}
    deadline = time.monotonic() + 15
    while True:
        new = [e for e in proxy.entries()[before:] if tuple(e["request"].split()[:2]) in mine]
        if len(new) == len(mine) or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert len(new) == len(mine), new
    assert all(e["upstream"] == "" for e in new), new  # none of them reached Streamlit


def test_websocket_from_a_foreign_origin_is_refused_at_the_proxy(proxy):
    host = f"127.0.0.1:{proxy.port}"
    assert _handshake(proxy.port, host, f"http://{EVIL}").startswith(b"HTTP/1.1 403")
    assert _handshake(proxy.port, host, f"https://{host}.{EVIL}").startswith(b"HTTP/1.1 403")
    assert _handshake(proxy.port, host, f"http://{host}").startswith(b"HTTP/1.1 101")


def test_a_client_is_limited_but_the_proxy_hosts_loopback_is_not(proxy):
    from concurrent.futures import ThreadPoolExecutor

    def burst(source: str, n: int) -> list[int]:
        with ThreadPoolExecutor(24) as pool:  # a flood: far more than 20 requests a second
            return list(pool.map(lambda _: _request(proxy.port, "GET", "/_stcore/health", source=source)[0], range(n)))

    assert burst("127.0.0.3", 60) == [200] * 60  # a page load's burst passes
    other = burst("127.0.0.2", 600)  # another client (the whole of 127/8 is this machine)
    assert other.count(429) > 0 and set(other) <= {200, 429}
    assert 429 not in burst("127.0.0.1", 600)


def test_the_app_loads_through_the_proxy_with_no_csp_violation(proxy):
    if not E2E.CHROMIUM.exists():
        FAILOVER._missing(f"{E2E.CHROMIUM} not found")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(E2E.CHROMIUM), headless=True, args=E2E.CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport=E2E.VIEWPORT)
            # every frame reports the policy violations it sees
            context.add_init_script("""
                window.__cspViolations = [];
                document.addEventListener('securitypolicyviolation',
                    e => window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));
            """)
            page = context.new_page()
            page.goto(f"{proxy.url}/map?lang=en", wait_until="commit", timeout=90_000)
            E2E.wait_for_app_run(page, timeout=90_000)
            frame = page.frame_locator('iframe[src*="streamlit_folium"]').first  # (the app retitles the frame)
            frame.locator(".leaflet-marker-icon").first.wait_for(timeout=90_000)  # the map ran, eval and all
            assert page.locator('[data-testid="stException"]').count() == 0
            violations = [f"{f.url[:60]}: {v}" for f in page.frames for v in f.evaluate("() => window.__cspViolations || []")]
            assert violations == []
            # the page scripts of ours are files (an inline one would be refused): the Sources
            # page scrolls to its passage under the policy
            page.goto(f"{proxy.url}/sources?lang=en&doc=washington-2017&p=12", wait_until="commit", timeout=90_000)
            E2E.wait_for_app_run(page, timeout=90_000)
            page.wait_for_function("() => { const el = document.getElementById('washington-2017-12') || "
                                   "document.querySelector('.ca-passage.ca-target'); if (!el) return false; "
                                   "const r = el.getBoundingClientRect(); return r.top < innerHeight && r.bottom > 0; }",
                                   timeout=60_000)
            violations = [f"{f.url[:60]}: {v}" for f in page.frames for v in f.evaluate("() => window.__cspViolations || []")]
            assert violations == []
            context.close()
        finally:
            browser.close()


def _off_machine(line: str) -> str | None:
    """The address a traced connect() went to, if it is not this machine."""
    if "AF_UNIX" in line or "AF_NETLINK" in line:
        return None
    found = re.search(r'inet_addr\("([^"]+)"\)|inet_pton\(AF_INET6, "([^"]+)"', line)
    if not found:
        return None if "AF_UNSPEC" in line else line
    address = ipaddress.ip_address(found.group(1) or found.group(2))
    mapped = getattr(address, "ipv4_mapped", None)
    return None if (mapped or address).is_loopback or (mapped or address).is_unspecified else str(address)


def test_the_server_connected_to_nothing_off_the_machine(proxy):
    """Start, page loads, a foreign-Origin handshake at the proxy (the tests above), and a
    foreign-Host handshake straight at Streamlit (refused by server.allowedHosts before any
    look-up): no connect() of the server's process tree left the machine."""
    assert not _handshake(proxy.app_port, EVIL, f"http://{EVIL}").startswith(b"HTTP/1.1 101")
    time.sleep(2)  # let a look-up, if one were made, reach the trace
    lines = proxy.strace_log.read_text(errors="replace").splitlines()
    # the trace works: it saw the server bind its port
    assert any(" bind(" in f" {line}" and f"htons({proxy.app_port})" in line for line in lines), lines[-20:]
    connects = [line for line in lines if "connect(" in line]
    outside = [addr for addr in map(_off_machine, connects) if addr]
    print(f"\n[audit] {len(connects)} connect() calls traced, {len(outside)} off the machine")
    assert outside == []
