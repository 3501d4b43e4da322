#!/usr/bin/env python3
"""Render deploy/nginx.conf for other app processes, another port, another log folder.

deploy/nginx.conf works as is in deploy/compose.yaml. On plain machines (several
hosts each running `streamlit run dashboard.py`, one running nginx) render it:

    python3 deploy/render_nginx_conf.py --upstream 10.0.0.11:8501 --upstream 10.0.0.12:8501 \
        --listen 80 > /etc/nginx/nginx.conf && nginx -t && nginx -s reload

Only these are rewritten, nothing else:
* every line marked ``# @upstreams`` -> one ``server HOST:PORT max_fails=1 fail_timeout=..;``
  line per ``--upstream``;
* the lines marked ``# @listen`` and ``# @listen-default`` -> ``listen ADDRESS;`` (the
  second, the server that closes connections for unknown Host names, ``default_server``);
* with ``--server-name`` (repeatable), the line marked ``# @server_name`` -> the names the
  app answers to (list them in Streamlit's ``server.allowedHosts`` too);
* ``/var/log/nginx/`` -> ``--log-dir`` (access and error log);
* with ``--workers``, ``worker_processes``; with ``--temp-dir``, nginx's temporary files
  go there (needed when nginx does not run as root);
* with ``--fail-timeout``, the passive health check's ``fail_timeout``.

Standard library only (it also runs outside the project's virtualenv).
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

TEMPLATE = Path(__file__).resolve().parent / "nginx.conf"
_UPSTREAM_MARK = "# @upstreams"
_LISTEN_MARK = "# @listen"
_LISTEN_DEFAULT_MARK = "# @listen-default"
_NAME_MARK = "# @server_name"
_NAME = re.compile(r"^[A-Za-z0-9*.-]+$|^\[[0-9a-fA-F:.]+\]$")
_HOST_PORT = re.compile(r"^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):([0-9]{1,5})$")


def _indent(line: str) -> str:
    return line[: len(line) - len(line.lstrip())]


def render(
    upstreams: list[str],
    listen: str,
    *,
    template: str | None = None,
    log_dir: str | None = None,
    temp_dir: str | None = None,
    workers: int | None = None,
    fail_timeout: str | None = None,
    server_names: list[str] | None = None,
) -> str:
    """Return the nginx.conf text for these upstreams ("host:port") and listen address."""
    if not upstreams:
        raise ValueError("at least one upstream (HOST:PORT) is needed")
    for up in upstreams:
        if not _HOST_PORT.match(up):
            raise ValueError(f"upstream {up!r} is not HOST:PORT")
    if not re.fullmatch(r"[0-9A-Za-z.:\[\]]+", listen):
        raise ValueError(f"listen {listen!r} is not PORT or ADDRESS:PORT")
    if fail_timeout is not None and not re.fullmatch(r"[0-9]+(ms|s|m)?", fail_timeout):
        raise ValueError(f"fail_timeout {fail_timeout!r} is not an nginx time (e.g. 10s)")
    for name in server_names or ():
        if not _NAME.match(name):
            raise ValueError(f"server name {name!r} is not a host name")
    text = TEMPLATE.read_text(encoding="utf-8") if template is None else template

    out: list[str] = []
    upstreams_done = listen_done = False
    for line in text.splitlines():
        if line.rstrip().endswith(_UPSTREAM_MARK):
            if not upstreams_done:
                params = re.search(r"server\s+\S+\s+([^;]*);", line)
                extra = params.group(1) if params else "max_fails=1 fail_timeout=10s"
                if fail_timeout is not None:
                    extra = re.sub(r"fail_timeout=\S+", f"fail_timeout={fail_timeout}", extra)
                for up in upstreams:
                    out.append(f"{_indent(line)}server {up} {extra};  {_UPSTREAM_MARK}")
                upstreams_done = True
            continue
        if line.rstrip().endswith(_LISTEN_DEFAULT_MARK):
            out.append(f"{_indent(line)}listen {listen} default_server;    {_LISTEN_DEFAULT_MARK}")
            continue
        if line.rstrip().endswith(_NAME_MARK) and server_names:
            out.append(f"{_indent(line)}server_name {' '.join(server_names)};    {_NAME_MARK}")
            continue
        if line.rstrip().endswith(_LISTEN_MARK):
            out.append(f"{_indent(line)}listen {listen};    {_LISTEN_MARK}")
            listen_done = True
            continue
        if workers is not None and line.startswith("worker_processes"):
            line = f"worker_processes {int(workers)};"
        if log_dir is not None:
            line = line.replace("/var/log/nginx/", log_dir.rstrip("/") + "/")
        out.append(line)
        if temp_dir is not None and line.strip() == "http {":
            t = temp_dir.rstrip("/")
            for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
                out.append(f"    {kind}_temp_path {t}/{kind};")
    if not (upstreams_done and listen_done):
        raise ValueError("template lacks the `# @upstreams` or `# @listen` marked lines")
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--upstream", action="append", required=True, metavar="HOST:PORT",
                        help="an app process (repeat for each)")
    parser.add_argument("--listen", default="8080", help="PORT or ADDRESS:PORT (default 8080)")
    parser.add_argument("--log-dir", help="folder for access.log and error.log (default /var/log/nginx)")
    parser.add_argument("--temp-dir", help="folder for nginx's temporary files")
    parser.add_argument("--workers", type=int, help="worker_processes (default auto)")
    parser.add_argument("--fail-timeout", help="passive health check: how long a failed process stays out (10s)")
    parser.add_argument("--server-name", action="append", metavar="NAME",
                        help="a host name the app answers to (repeat; default: localhost 127.0.0.1)")
    parser.add_argument("--template", type=Path, default=TEMPLATE, help="default: deploy/nginx.conf")
    args = parser.parse_args(argv)
    try:
        sys.stdout.write(render(
            args.upstream, args.listen, template=args.template.read_text(encoding="utf-8"),
            log_dir=args.log_dir, temp_dir=args.temp_dir, workers=args.workers,
            fail_timeout=args.fail_timeout, server_names=args.server_name,
        ))
    except ValueError as err:
        parser.error(str(err))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
