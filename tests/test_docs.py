"""The README against the code (as datasette's test_docs does): every URL parameter, command,
command option and events.yaml field the README documents exists, and every one that exists is
documented."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from coalition_atlas import cli
from coalition_atlas.gazetteer import Place  # noqa: F401  (the gazetteer is documented in geodata/README.md)
from coalition_atlas.models import Bilingual, Event, Figure, SourceRef
from coalition_atlas.viewstate import KNOWN

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def commands() -> dict[str, argparse.ArgumentParser]:
    parser = cli.build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))  # noqa: SLF001
    return dict(sub.choices) | {"": parser}


def test_every_url_parameter_is_documented_and_every_documented_one_exists():
    paragraph = README[README.index("URL parameters."):]
    paragraph = paragraph[: paragraph.index("\n\n")]
    documented = set(re.findall(r"`([a-z]+)=", paragraph))
    assert documented == set(KNOWN)


def test_every_command_is_documented_and_every_documented_one_exists():
    documented = set(re.findall(r"(?:python -m coalition_atlas|coalition-atlas)(?: --root \S+)? ([a-z]+)", README))
    assert documented == set(commands()) - {""}


def test_every_option_is_documented_and_every_documented_one_exists():
    options = {opt for parser in commands().values() for action in parser._actions  # noqa: SLF001
               for opt in action.option_strings if opt.startswith("--") and opt != "--help"}
    shown = set(re.findall(r"(?:python -m coalition_atlas|coalition-atlas)(?: --root \S+)? [a-z]+[^\n]*", README))
    documented = {opt for line in shown for opt in re.findall(r"(?<![\w-])(--[a-z][a-z-]*)", line)}
    documented |= set(re.findall(r"`(--[a-z][a-z-]*)[ `]", README))
    streamlit_options = {o for o in documented if o.startswith("--server")}
    assert documented - streamlit_options == options


def _fields(model, prefix: str = "") -> set[str]:
    return {prefix + name for name in model.model_fields}


def test_every_events_yaml_field_is_documented_and_every_documented_one_exists():
    block = README[README.index("### events.yaml, field by field"):]
    block = block[block.index("```yaml"): block.index("```", block.index("```yaml") + 7)]
    keys = set(re.findall(r"^\s*-?\s*([a-z_]+):", block, re.M)) | set(re.findall(r"[{,]\s*([a-z_]+):", block))
    keys -= {"events", "ar", "en"}  # the list, and the two languages of every bilingual text
    wanted = _fields(Event) | _fields(Figure) | _fields(SourceRef)
    wanted -= set(Bilingual.model_fields)
    assert keys == wanted, (sorted(keys - wanted), sorted(wanted - keys))
