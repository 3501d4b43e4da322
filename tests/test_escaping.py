"""coalition_atlas.escaping: one escaping policy, written once, for every context text lands in."""

from __future__ import annotations

import ast
import html
import json
from pathlib import Path

import pytest

from coalition_atlas import templating
from coalition_atlas.escaping import esc, script_json

PACKAGE = Path(__file__).resolve().parents[1] / "coalition_atlas"
HOSTILE = "</script><img src=x onerror='a'> & \"b\" `${x}` {{ 7*7 }} {# c #} \\"


@pytest.mark.parametrize("context", ["html", "plotly", "js-template"])
def test_every_context_reads_back_as_the_text(context):
    out = esc(HOSTILE, context)
    assert html.unescape(out) == HOSTILE
    assert "<" not in out and ">" not in out


def test_contexts_escape_what_they_must():
    assert not set(esc(HOSTILE)) & set("<>\"'")
    assert '"' in esc(HOSTILE, "plotly") and "&quot;" not in esc(HOSTILE, "plotly")  # Plotly shows &quot; as is
    assert not set(esc(HOSTILE, "js-template")) & set("<>\"'`$\\{}")


def test_templates_tojson_is_script_json():
    out = templating.environment().from_string("{{ d|tojson }}").render(d={"a": HOSTILE, "b": "\u2028"})
    assert out == script_json({"a": HOSTILE, "b": "\u2028"})
    assert json.loads(out) == {"a": HOSTILE, "b": "\u2028"}


def _definitions(name: str) -> list[str]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef) and node.name == name:
                found.append(path.name)
    return found


@pytest.mark.parametrize("name", ["esc", "esc_js", "script_json", "md", "figure_text"])
def test_each_escaper_and_text_rule_is_written_once(name):
    assert len(_definitions(name)) <= 1, _definitions(name)


def test_only_the_policy_module_calls_html_escape():
    callers = [p.name for p in sorted(PACKAGE.rglob("*.py")) if "html.escape(" in p.read_text(encoding="utf-8")]
    assert callers == ["escaping.py"]
