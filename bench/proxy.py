"""The documented reverse proxy (deploy/nginx.conf, Debian's nginx) in front of a bench server.

Used for one figure: the bytes a browser receives on a first load through the proxy, which
compresses what Streamlit sends uncompressed. The configuration is rendered by
deploy/render_nginx_conf.py, exactly as a deployment would, with one upstream.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from .server import free_port

ROOT = Path(__file__).resolve().parent.parent


def nginx_binary() -> str | None:
    return shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if os.access(p, os.X_OK)), None
    )


def _renderer():
    spec = importlib.util.spec_from_file_location("atlas_render_nginx_conf", ROOT / "deploy" / "render_nginx_conf.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _accepts(port: int) -> bool:
    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
        return True
    return False


@contextlib.contextmanager
def nginx_in_front(upstream_port: int | list[int], timeout: float = 20.0, workers: int = 1) -> Iterator[str]:
    """nginx on a free 127.0.0.1 port, proxying to 127.0.0.1:``upstream_port`` (or to each of
    a list of ports, as the deployment does); yields its URL."""
    ports = upstream_port if isinstance(upstream_port, list) else [upstream_port]
    nginx = nginx_binary()
    if nginx is None:
        raise RuntimeError("nginx is not installed (apt-get install -y nginx-light)")
    with tempfile.TemporaryDirectory(prefix="cab-nginx-") as tmp:
        folder = Path(tmp)
        folder.chmod(0o755)  # nginx's workers run as nobody when started by root
        port = free_port()
        conf = folder / "nginx.conf"
        conf.write_text(_renderer().render([f"127.0.0.1:{p}" for p in ports], f"127.0.0.1:{port}", log_dir=str(folder),
                                           temp_dir=str(folder), workers=workers), encoding="utf-8")
        out = open(folder / "nginx.out", "w", encoding="utf-8")
        proc = subprocess.Popen([nginx, "-e", str(folder / "error.log"), "-p", str(folder), "-c", str(conf),
                                 "-g", f"daemon off; pid {folder / 'nginx.pid'};"],
                                stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + timeout
            while not _accepts(port):
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"nginx did not start: {(folder / 'nginx.out').read_text(errors='replace')[-2000:]}")
                time.sleep(0.05)
            yield f"http://127.0.0.1:{port}"
        finally:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(10)
            out.close()
