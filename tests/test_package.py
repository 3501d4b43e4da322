"""A real package: pyproject.toml ships the app and the record inside ``coalition_atlas/app/``
(no top-level ``pages`` package in the wheel), the command works from any folder and with
``--root``, exports never land in the project unasked, and the locks pin every dependency with
hashes. (Installing the wheel itself needs PyPI: done by hand in a /tmp venv, see issue 11's note.)"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def run(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    return subprocess.run([sys.executable, "-m", "coalition_atlas", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)


def normal(name: str) -> str:
    """A distribution's name as PEP 503 compares them."""
    return re.sub(r"[-_.]+", "-", name).lower()


def requirement_names(lines: list[str]) -> set[str]:
    return {normal(re.split(r"[~<>=!\[ ;]", line.strip(), maxsplit=1)[0])
            for line in lines if line.strip() and not line.lstrip().startswith(("#", "-", "--"))}


def test_the_wheel_ships_the_app_and_the_record_under_the_package():
    wheel = PYPROJECT["tool"]["hatch"]["build"]["targets"]["wheel"]
    assert wheel["packages"] == ["coalition_atlas"]  # pages/ is not installed as a top-level package
    for source, target in wheel["force-include"].items():
        assert (ROOT / source).exists(), source
        assert target.startswith("coalition_atlas/app/"), target
    shipped = {Path(t).relative_to("coalition_atlas/app").as_posix() for t in wheel["force-include"].values()}
    assert {"dashboard.py", "pages", ".streamlit/config.toml", "static", "events.yaml", "tours.yaml", "sources", "geodata"} <= shipped
    assert PYPROJECT["project"]["scripts"] == {"coalition-atlas": "coalition_atlas.cli:main"}


def test_pyproject_and_requirements_say_the_same_ranges():
    listed = [line.split("#")[0].strip() for line in (ROOT / "requirements.txt").read_text().splitlines()]
    assert sorted(x for x in listed if x) == sorted(d.split("#")[0].strip() for d in PYPROJECT["project"]["dependencies"])
    assert all(re.search(r"~=|>=.*<", x) for x in listed if x), "compatible ranges, not exact pins"


@pytest.mark.parametrize("lock, ranges", [("requirements.lock", "requirements.txt"), ("requirements-dev.lock", "requirements-dev.txt")])
def test_locks_pin_every_dependency_with_hashes(lock, ranges):
    text = (ROOT / lock).read_text(encoding="utf-8")
    pins = re.findall(r"^([A-Za-z0-9_.\-]+)==([^\s\\]+)", text, re.M)
    assert pins and len(re.findall(r"--hash=sha256:[0-9a-f]{64}", text)) >= len(pins)
    for block in re.split(r"\n(?=[A-Za-z0-9])", text.split("\n", 1)[1]):
        if re.match(r"[A-Za-z0-9]", block):
            assert "--hash=sha256:" in block, block.splitlines()[0]
    wanted = requirement_names((ROOT / ranges).read_text().splitlines())
    if ranges.endswith("dev.txt"):
        wanted |= requirement_names((ROOT / "requirements.txt").read_text().splitlines())
    assert wanted <= {normal(name) for name, _ in pins}


def test_the_command_works_from_any_folder(tmp_path):
    done = run("validate", cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "events.yaml: ok" in done.stdout


def test_root_reads_another_record(tmp_path):
    root = tmp_path / "record"
    root.mkdir()
    for name in ("events.yaml", "tours.yaml"):
        shutil.copy(ROOT / name, root / name)
    for name in ("sources", "geodata"):
        shutil.copytree(ROOT / name, root / name)
    ok = run("--root", str(root), "validate", cwd=tmp_path)
    assert ok.returncode == 0 and f"{root / 'events.yaml'}" not in ok.stdout, ok.stdout + ok.stderr
    (root / "events.yaml").write_text("events: []\n", encoding="utf-8")
    bad = run("--root", str(root), "validate", cwd=tmp_path)
    assert bad.returncode == 1 and bad.stdout.startswith("events.yaml:1:")  # the record of --root, not the shipped one


def test_export_without_o_never_writes_into_the_project(tmp_path):
    done = run("export", "--format", "csv", cwd=ROOT, env={"HOME": str(tmp_path)})
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "coalition-atlas" / "coalition-atlas-events.csv").is_file()
    assert not (ROOT / "coalition-atlas-events.csv").exists()


def test_what_running_it_writes_is_ignored():
    ignored = (ROOT / ".gitignore").read_text(encoding="utf-8")
    for pattern in ("coalition-atlas-briefing-*.html", "coalition-atlas-events.csv", "coalition-atlas-events.geojson",
                    "events.schema.json", "build/", "dist/"):
        assert pattern in ignored.splitlines(), pattern
