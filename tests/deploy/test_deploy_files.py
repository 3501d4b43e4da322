"""Static checks of the deployment files: Dockerfile, .dockerignore, compose, Kubernetes, nginx.

No Docker engine or cluster runs here, so these files are read, not run: the
Dockerfile's instructions, the files the build context (after .dockerignore) gives
the image, the compose file and the manifests as YAML, and nginx.conf rendered and
checked with ``nginx -t`` (when nginx is installed; CI installs it). The proxy
itself is exercised for real in test_failover.py.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from ruamel.yaml import YAML

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy"
APP_PORT = 8501
HEALTH = "/_stcore/health"


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"true", "1", "yes"}


def load_renderer():
    """deploy/render_nginx_conf.py as a module (deploy/ is not a package)."""
    spec = importlib.util.spec_from_file_location("atlas_render_nginx_conf", DEPLOY / "render_nginx_conf.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def nginx_binary() -> str | None:
    return shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if os.access(p, os.X_OK)), None
    )


def _yaml_docs(path: Path) -> list:
    return [d for d in YAML(typ="safe").load_all(path.read_text(encoding="utf-8")) if d is not None]


# --------------------------------------------------------------------------
# Dockerfile and .dockerignore
# --------------------------------------------------------------------------


def _dockerfile() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, continuation lines joined, comments dropped."""
    text = (REPO / "Dockerfile").read_text(encoding="utf-8")
    logical, out = "", []
    for line in text.splitlines():
        if not logical and (not line.strip() or line.lstrip().startswith("#")):
            continue
        if logical and line.lstrip().startswith("#"):
            continue  # a comment inside a continued instruction
        if line.rstrip().endswith("\\"):
            logical += line.rstrip()[:-1] + " "
            continue
        logical += line
        keyword, _, args = logical.strip().partition(" ")
        out.append((keyword.upper(), args.strip()))
        logical = ""
    assert not logical, "Dockerfile ends inside a continued line"
    return out


def _dockerignore_patterns() -> list[str]:
    lines = (REPO / ".dockerignore").read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


def _pattern_regex(pattern: str) -> re.Pattern:
    """A .dockerignore pattern (Go filepath.Match plus `**`) as a regex on "a/b/c" paths."""
    pattern = pattern.strip("/")
    out, i = "", 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out, i = out + "(?:.*/)?", i + 3
        elif pattern.startswith("**", i):
            out, i = out + ".*", i + 2
        elif pattern[i] == "*":
            out, i = out + "[^/]*", i + 1
        elif pattern[i] == "?":
            out, i = out + "[^/]", i + 1
        else:
            out, i = out + re.escape(pattern[i]), i + 1
    return re.compile(out + r"\Z")


def build_context_files(root: Path = REPO) -> list[str]:
    """Files (relative, "/"-separated) that `docker build .` sends, per .dockerignore.

    Docker excludes a path when it, or one of its parent folders, matches a pattern.
    Only the subset of the syntax this repo uses is supported: no `!` exceptions
    (test_dockerignore_uses_simple_patterns keeps it so).
    """
    regexes = [_pattern_regex(p) for p in _dockerignore_patterns()]

    def excluded(rel: str) -> bool:
        return any(rx.match(rel) for rx in regexes)

    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        rel_dir = Path(dirpath).relative_to(root).as_posix()
        rel_dir = "" if rel_dir == "." else rel_dir + "/"
        dirnames[:] = sorted(d for d in dirnames if not excluded(rel_dir + d))
        found += [rel_dir + f for f in sorted(filenames) if not excluded(rel_dir + f)]
    return found


def test_dockerignore_uses_simple_patterns():
    for pattern in _dockerignore_patterns():
        assert not pattern.startswith("!"), "build_context_files() does not model `!` exceptions"
        assert "[" not in pattern, "build_context_files() does not model character classes"


def test_build_context_has_the_app_and_nothing_else():
    files = set(build_context_files())
    # What `streamlit run dashboard.py` reads, found where it lives today.
    needed = {"dashboard.py", "requirements.txt", ".streamlit/config.toml", "events.yaml"}
    for folder in ("pages", "coalition_atlas", "sources", "geodata", "static"):
        tracked = [
            p.relative_to(REPO).as_posix()
            for p in (REPO / folder).rglob("*")
            if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"
        ]
        assert tracked, f"{folder}/ is empty?"
        needed.update(tracked)
    missing = sorted(needed - files)
    assert not missing, f".dockerignore keeps these out of the image: {missing[:20]}"

    for unwanted in (".venv/", ".git/", "tests/", "test-artifacts/", ".pytest_cache/", ".hypothesis/"):
        leaked = sorted(f for f in files if f.startswith(unwanted))
        assert not leaked, f"{unwanted} would be sent to the image: {leaked[:5]}"
    assert not [f for f in files if "/node_modules/" in "/" + f or "__pycache__" in f]
    size = sum((REPO / f).stat().st_size for f in files)
    assert size < 50 * 2**20, f"build context is {size / 2**20:.1f} MiB"


def test_dockerfile_instructions():
    instructions = _dockerfile()
    kinds = [k for k, _ in instructions]
    args = dict(reversed(instructions))  # first occurrence of each kind

    assert instructions[0] == ("FROM", "python:3.11-slim")
    assert kinds.count("FROM") == 1

    runs = " ".join(a for k, a in instructions if k == "RUN")
    assert "pip install --no-cache-dir -r requirements.txt" in runs
    # requirements.txt is copied (and installed) before the rest: a code change keeps the layer.
    copies = [a for k, a in instructions if k == "COPY"]
    assert copies[0].split() == ["requirements.txt", "./"]
    assert kinds.index("RUN", kinds.index("COPY")) < kinds.index("COPY", kinds.index("COPY") + 1)
    for copy in copies:
        for source in copy.split()[:-1]:
            if not source.startswith("--"):
                assert (REPO / source).exists(), f"COPY source {source} does not exist"

    # Non-root from USER on, and nothing after it runs as root.
    user = args["USER"].split(":")[0]
    assert user not in {"root", "0"}, "the app must not run as root"
    assert re.search(rf"useradd\b.*--uid {user}\b", runs), f"USER {user} is not created"
    after_user = kinds[kinds.index("USER"):]
    assert "RUN" not in after_user and "COPY" not in after_user

    env = " ".join(a for k, a in instructions if k == "ENV").split()
    # The failover test runs the processes with the same settings.
    assert "STREAMLIT_SERVER_ENABLE_WEBSOCKET_COMPRESSION=true" in env
    assert "STREAMLIT_BROWSER_GATHER_USAGE_STATS=false" in env
    assert args["EXPOSE"] == str(APP_PORT)
    assert args["WORKDIR"] == "/app"

    cmd = json.loads(args["CMD"])
    assert cmd[:3] == ["streamlit", "run", "dashboard.py"]
    assert cmd[cmd.index("--server.address") + 1] == "0.0.0.0"
    assert cmd[cmd.index("--server.port") + 1] == str(APP_PORT)

    health = args["HEALTHCHECK"]
    options, _, command = health.partition(" CMD ")
    assert re.search(r"--start-period=\d+s", options)
    probe = json.loads(command)
    assert probe[:2] == ["python", "-c"]
    assert f"http://127.0.0.1:{APP_PORT}{HEALTH}" in probe[2]
    assert "curl" not in health and "wget" not in health
    compile(probe[2], "<HEALTHCHECK>", "exec")  # valid Python


def test_healthcheck_probe_works(tmp_path):
    """The HEALTHCHECK's Python one-liner: exit 0 on "ok", non-zero when nothing listens."""
    import http.server
    import socket
    import threading

    probe = json.loads(dict(_dockerfile())["HEALTHCHECK"].partition(" CMD ")[2])[2]

    class Health(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's name)
            body = b"ok" if self.path == HEALTH else b"no"
            self.send_response(200 if self.path == HEALTH else 404)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Health)
    port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        ok = subprocess.run([sys.executable, "-c", probe.replace(f":{APP_PORT}/", f":{port}/")],
                            capture_output=True, timeout=20)
        assert ok.returncode == 0, ok.stderr.decode()
    finally:
        server.shutdown()
        server.server_close()
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        closed = s.getsockname()[1]
    down = subprocess.run([sys.executable, "-c", probe.replace(f":{APP_PORT}/", f":{closed}/")],
                          capture_output=True, timeout=20)
    assert down.returncode != 0


# --------------------------------------------------------------------------
# nginx.conf
# --------------------------------------------------------------------------


def test_nginx_conf_names_the_compose_services():
    conf = (DEPLOY / "nginx.conf").read_text(encoding="utf-8")
    upstreams = re.findall(r"^\s*server\s+(\S+)\s[^;]*;\s*# @upstreams$", conf, re.M)
    compose = _yaml_docs(DEPLOY / "compose.yaml")[0]
    apps = sorted(name for name in compose["services"] if name != "proxy")
    assert upstreams == [f"{name}:{APP_PORT}" for name in apps]
    assert re.search(r"^\s*listen 8080;\s*# @listen$", conf, re.M)
    assert "hash $atlas_node consistent;" in conf
    assert re.search(r"zone \w+ \d+k;", conf), "without a zone each worker keeps its own failure state"
    assert "proxy_next_upstream       error timeout http_502 http_503;" in conf
    assert not re.search(r"^\s*user\s", conf, re.M)


def test_render_rewrites_only_the_marked_lines():
    render = load_renderer().render
    template = (DEPLOY / "nginx.conf").read_text(encoding="utf-8")
    out = render(["127.0.0.1:9001", "127.0.0.1:9002"], "127.0.0.1:9000",
                 log_dir="/tmp/x", fail_timeout="30s")
    assert "server 127.0.0.1:9001 max_fails=1 fail_timeout=30s;" in out
    assert "server 127.0.0.1:9002 max_fails=1 fail_timeout=30s;" in out
    assert "app1:8501" not in out and "listen 127.0.0.1:9000;" in out
    assert "/var/log/nginx" not in out and "/tmp/x/access.log atlas;" in out
    unmarked = [line for line in template.splitlines() if "@upstreams" not in line and "@listen" not in line
                and "/var/log/nginx/" not in line]
    assert [line for line in out.splitlines() if line in set(unmarked)] == unmarked
    for bad in (["app1"], ["a b:1"], []):
        with pytest.raises(ValueError):
            render(bad, "8080")


def test_rendered_nginx_conf_passes_nginx_t(tmp_path):
    nginx = nginx_binary()
    if nginx is None:
        if _in_ci():
            pytest.fail("nginx is not installed (.ci/run installs it)", pytrace=False)
        pytest.skip("nginx is not installed (apt-get install -y nginx-light)")
    conf = tmp_path / "nginx.conf"
    conf.write_text(load_renderer().render(
        ["127.0.0.1:9001", "127.0.0.1:9002"], "127.0.0.1:9000",
        log_dir=str(tmp_path), temp_dir=str(tmp_path), workers=1,
    ), encoding="utf-8")
    result = subprocess.run(
        [nginx, "-t", "-q", "-e", str(tmp_path / "error.log"), "-p", str(tmp_path), "-c", str(conf),
         "-g", f"pid {tmp_path / 'nginx.pid'};"],
        capture_output=True, text=True, timeout=30,
    )
    assert result.returncode == 0, result.stderr


# --------------------------------------------------------------------------
# compose.yaml
# --------------------------------------------------------------------------


def test_compose_file():
    compose = _yaml_docs(DEPLOY / "compose.yaml")[0]
    services = compose["services"]
    apps = {name: svc for name, svc in services.items() if name != "proxy"}
    assert len(apps) >= 2
    images = {svc["image"] for svc in apps.values()}
    assert len(images) == 1, "the app processes must be identical"
    for name, svc in apps.items():
        build = svc["build"]
        assert (DEPLOY / build["context"] / build["dockerfile"]).resolve() == REPO / "Dockerfile"
        secret = svc["environment"]["STREAMLIT_SERVER_COOKIE_SECRET"]
        assert secret.startswith("${ATLAS_COOKIE_SECRET:?"), "one shared secret, required"
        assert svc.get("read_only") is True and "/tmp" in svc.get("tmpfs", [])
        assert "ports" not in svc, f"{name} must be reached through the proxy only"

    proxy = services["proxy"]
    assert proxy["image"].startswith("nginx:")
    assert "./nginx.conf:/etc/nginx/nginx.conf:ro" in proxy["volumes"]
    assert proxy["ports"] == ["8080:8080"]
    assert set(proxy["depends_on"]) == set(apps)
    assert all(dep["condition"] == "service_healthy" for dep in proxy["depends_on"].values())


def _compose_command() -> list[str] | None:
    """`docker compose` (v2 plugin) or a v2 `docker-compose`, if this machine has one."""
    candidates = []
    if shutil.which("docker"):
        candidates.append(["docker", "compose"])
    if shutil.which("docker-compose"):
        candidates.append(["docker-compose"])
    for cmd in candidates:
        try:
            version = subprocess.run([*cmd, "version", "--short"], capture_output=True, text=True, timeout=20)
        except (OSError, subprocess.TimeoutExpired):
            continue
        if version.returncode == 0 and version.stdout.strip().lstrip("v")[:1] >= "2":
            return cmd
    return None


def test_compose_config_with_compose_itself():
    """`docker compose config` parses and checks the file without an engine, where it is installed."""
    cmd = _compose_command()
    if cmd is None:
        pytest.skip("no Docker Compose v2 here (the YAML checks above still ran)")
    env = {**os.environ, "ATLAS_COOKIE_SECRET": "0" * 64}
    ok = subprocess.run([*cmd, "-f", str(DEPLOY / "compose.yaml"), "config", "-q"],
                        capture_output=True, text=True, timeout=60, env=env)
    assert ok.returncode == 0 and "error" not in ok.stderr.lower(), ok.stderr
    env.pop("ATLAS_COOKIE_SECRET")
    missing = subprocess.run([*cmd, "-f", str(DEPLOY / "compose.yaml"), "config", "-q"],
                             capture_output=True, text=True, timeout=60, env=env)
    # (some versions print the error yet exit 0 with -q)
    assert "required variable ATLAS_COOKIE_SECRET is missing" in missing.stderr, missing.stderr


# --------------------------------------------------------------------------
# Kubernetes
# --------------------------------------------------------------------------


def _k8s() -> dict[str, dict]:
    docs = {}
    for path in sorted((DEPLOY / "k8s").glob("*.yaml")):
        for doc in _yaml_docs(path):
            docs[doc["kind"]] = doc
    return docs


def test_k8s_manifests():
    docs = _k8s()
    assert {"Deployment", "Service", "Ingress"} <= set(docs)
    dep, svc, ing = docs["Deployment"], docs["Service"], docs["Ingress"]

    assert dep["apiVersion"] == "apps/v1" and dep["spec"]["replicas"] == 3
    labels = dep["spec"]["template"]["metadata"]["labels"]
    assert dep["spec"]["selector"]["matchLabels"].items() <= labels.items()
    pod = dep["spec"]["template"]["spec"]
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert pod["securityContext"]["runAsUser"] != 0
    (container,) = pod["containers"]
    assert container["securityContext"]["allowPrivilegeEscalation"] is False
    assert container["securityContext"]["readOnlyRootFilesystem"] is True
    assert {m["mountPath"] for m in container["volumeMounts"]} >= {"/tmp"}
    ports = {p["name"]: p["containerPort"] for p in container["ports"]}
    assert ports == {"http": APP_PORT}
    for probe in ("readinessProbe", "livenessProbe", "startupProbe"):
        get = container[probe]["httpGet"]
        assert get["path"] == HEALTH and get["port"] in ("http", APP_PORT), probe
    env = {e["name"]: e for e in container["env"]}
    assert "secretKeyRef" in env["STREAMLIT_SERVER_COOKIE_SECRET"]["valueFrom"]

    assert svc["spec"]["selector"].items() <= labels.items()
    (svc_port,) = svc["spec"]["ports"]
    assert svc_port["targetPort"] in ("http", APP_PORT)

    notes = ing["metadata"]["annotations"]
    prefix = "nginx.ingress.kubernetes.io/"
    assert notes[prefix + "affinity"] == "cookie"
    assert notes[prefix + "affinity-mode"] == "persistent"
    assert int(notes[prefix + "proxy-read-timeout"]) >= 3600
    assert int(notes[prefix + "proxy-send-timeout"]) >= 3600
    backend = ing["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]
    assert backend["name"] == svc["metadata"]["name"]
    assert backend["port"].get("name") == svc_port["name"] or backend["port"].get("number") == svc_port["port"]
