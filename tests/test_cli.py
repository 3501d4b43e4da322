"""The command line, run as a user runs it: exit codes and located messages, never a traceback."""

import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINE = re.compile(r"^events\.yaml:\d+:\d+: .+ — .+$")


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "coalition_atlas", *args], cwd=cwd, capture_output=True, text=True, timeout=60)


def test_validate_the_real_record():
    done = run("validate")
    assert done.returncode == 0, done.stdout + done.stderr
    assert re.match(r"^events\.yaml: ok — \d+ events, \d+ places, \d+ quotes verified in 2 documents", done.stdout)
    assert len(done.stdout.strip().splitlines()) == 1


def test_validate_prints_every_problem_located(tmp_path, record_text):
    broken = tmp_path / "events.yaml"
    broken.write_text(
        record_text.replace("category: territory", "category: teritory").replace("date: 2019-06-25", "date: 2019-02-30"),
        encoding="utf-8",
    )
    done = run("validate", str(broken))
    assert done.returncode == 1
    lines = done.stdout.strip().splitlines()
    assert len(lines) == 2 and all(LINE.match(line) for line in lines), lines
    assert "Traceback" not in done.stdout + done.stderr


def test_validate_syntax_error_and_missing_file(tmp_path):
    broken = tmp_path / "events.yaml"
    broken.write_text("events:\n  - id: [unclosed\n", encoding="utf-8")
    done = run("validate", str(broken))
    assert done.returncode == 1 and LINE.match(done.stdout.splitlines()[0])
    done = run("validate", str(tmp_path / "nothing.yaml"))
    assert done.returncode == 1 and done.stdout.startswith("nothing.yaml:1:1: cannot read the file")
    assert "Traceback" not in done.stderr


def test_schema_is_json_schema_of_the_record():
    done = run("schema")
    schema = json.loads(done.stdout)
    assert schema["title"] == "Coalition Atlas events.yaml"
    event = schema["$defs"]["Event"]
    assert {"id", "date", "dating", "title", "summary", "category", "sources"} <= set(event["required"])
    assert event["additionalProperties"] is False
