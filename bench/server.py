"""Streamlit servers for the benchmark: start on a free 127.0.0.1 port, time the cold start to
/_stcore/health, sample the CPU and the RSS of the server's process tree from /proc, stop by
our own PID only."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TICK_MS = 1000.0 / os.sysconf("SC_CLK_TCK")
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # no proxy for 127.0.0.1


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tree(pid: int) -> list[int]:
    """``pid`` and its live descendants."""
    out, stack = [], [pid]
    while stack:
        p = stack.pop()
        if p in out:
            continue
        out.append(p)
        try:
            for tid in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{tid}/children") as f:
                    stack.extend(int(c) for c in f.read().split())
        except OSError:
            pass
    return out


def cpu_ms(pid: int) -> float:
    """utime + stime of ``pid`` and its descendants, in ms (/proc/<pid>/stat)."""
    total = 0.0
    for p in tree(pid):
        try:
            with open(f"/proc/{p}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) * TICK_MS
        except (OSError, IndexError, ValueError):
            pass
    return total


def rss_mb(pid: int) -> float:
    """VmRSS of ``pid`` and its descendants, in MB."""
    kb = 0
    for p in tree(pid):
        try:
            with open(f"/proc/{p}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        kb += int(line.split()[1])
                        break
        except OSError:
            pass
    return kb / 1024


def health_ok(base: str) -> bool:
    try:
        with _OPENER.open(f"{base}/_stcore/health", timeout=2) as r:
            return r.status == 200 and r.read().strip() == b"ok"
    except OSError:
        return False


class Server:
    """``streamlit run <app>`` from the repository root (so .streamlit/config.toml applies)."""

    def __init__(self, app: Path, env: dict[str, str], log_dir: Path, timeout: float = 120.0):
        self._tmp = tempfile.TemporaryDirectory(prefix="cab-srv-")
        script = app
        if not (app.parent / "static").is_dir():  # static/ is served from beside the main script
            staged = Path(self._tmp.name)
            (staged / "static").symlink_to(ROOT / "static", target_is_directory=True)
            script = staged / app.name
            script.symlink_to(app)
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = log_dir / f"{app.stem}-{self.port}.log"
        cmd = [
            sys.executable, "-m", "streamlit", "run", str(script),
            "--server.port", str(self.port), "--server.address", "127.0.0.1", "--server.headless", "true",
            "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
            "--server.runOnSave", "false", "--global.developmentMode", "false",
        ]
        run_env = {**os.environ, **env, "PYTHONUNBUFFERED": "1", "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"}
        self._log_f = open(self.log, "w")
        t0 = time.perf_counter()
        self.proc = subprocess.Popen(cmd, cwd=ROOT, env=run_env, stdin=subprocess.DEVNULL, stdout=self._log_f,
                                     stderr=subprocess.STDOUT, start_new_session=True)
        self.pid = self.proc.pid
        deadline = t0 + timeout
        while time.perf_counter() < deadline:
            if health_ok(self.base):
                break
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited (rc={self.proc.returncode}); log: {self.log}")
            time.sleep(0.02)
        else:
            self.stop()
            raise RuntimeError(f"server not healthy after {timeout:.0f} s; log: {self.log}")
        self.cold_start_ms = (time.perf_counter() - t0) * 1000

    def cpu_ms(self) -> float:
        return cpu_ms(self.pid)

    def rss_mb(self) -> float:
        return rss_mb(self.pid)

    def stop(self) -> None:
        p = self.proc
        if p.poll() is None:
            p.terminate()  # our own child, by its PID
            try:
                p.wait(15)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait(10)
        self._log_f.close()
        self._tmp.cleanup()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()
