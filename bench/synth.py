"""Synthetic records for the benchmark: N events generated from the real events.yaml.

Event ``i`` copies the real event ``i % 66`` (the schema, texts, category, countries, people,
figures and sources — so every quote still stands verbatim in its passage and verifies), with

* ``id``: the real id suffixed ``-s00042``; the English title suffixed `` #42``;
* ``date``: spread over 2017–2019 deterministically (day ``i * 7919 mod 1095`` from
  2017-01-01), keeping the real event's precision (a month stays a month, a year a year), so
  the real mix of day / month / year dates (and the timeline's span lines) is kept;
* ``places``: as many as the real event names, re-drawn deterministically from the
  gazetteer's places. The loader reads the gazetteer from ``gazetteer.PLACES_PATH``, a module
  constant with no environment variable, so new places cannot be given to ``streamlit run
  dashboard.py``: the synthetic events reuse the 18 real places (the map keeps 18 markers;
  each marker's popup lists more events).

The record is written as YAML in events.yaml's own style and read through the normal loader
(``COALITION_ATLAS_EVENTS=<file>``). ``python -m bench.synth 1000 /tmp/x.yaml`` writes one.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

from coalition_atlas.load import ROOT, load_atlas

REAL = ROOT / "events.yaml"
START = dt.date(2017, 1, 1)
SPAN_DAYS = 1095  # 2017-01-01 … 2019-12-31
STRIDE = 7919  # a prime: consecutive events land far apart, every day gets used


def _q(text: object) -> str:
    """A YAML double-quoted scalar (JSON's string syntax is valid YAML)."""
    return json.dumps(str(text), ensure_ascii=False)


def _bi(value: dict) -> str:
    return "{ar: " + _q(value["ar"]) + ", en: " + _q(value["en"]) + "}"


def _date(i: int, precision: str) -> str:
    day = START + dt.timedelta(days=(i * STRIDE) % SPAN_DAYS)
    return {"day": day.isoformat(), "month": day.isoformat()[:7], "year": str(day.year)}[precision]


def event_yaml(event: dict, i: int, date: str, places: list[str]) -> str:
    """One event in events.yaml's style."""
    lines = [
        f"  - id: {event['id']}-s{i:05d}",
        f"    date: {_q(date)}",
        f"    dating: {_q(event['dating'])}",
        f"    title: {_bi({'ar': event['title']['ar'], 'en': event['title']['en'] + f' #{i}'})}",
        f"    summary: {_bi(event['summary'])}",
        f"    category: {event['category']}",
        "    countries: [" + ", ".join(event["countries"]) + "]",
        "    places: [" + ", ".join(places) + "]",
    ]
    if event["people"]:
        lines.append("    people: [" + ", ".join(_bi(p) for p in event["people"]) + "]")
    if event["figures"]:
        lines.append("    figures:")
        for f in event["figures"]:
            lines.append(
                f"      - {{value: {json.dumps(f['value'])}, unit: {f['unit']}, qualifier: {f['qualifier']}, of: {_bi(f['of'])}}}"
            )
    lines.append("    sources:")
    for s in event["sources"]:
        lines += [
            f"      - doc: {s['doc']}",
            f"        paragraph: {_q(s['paragraph'])}",
            f"        quote: {_q(s['quote'])}",
            f"        translation: {_q(s['translation'])}",
        ]
    return "\n".join(lines) + "\n"


def synth_text(n: int, real: Path = REAL) -> str:
    atlas = load_atlas(real)
    templates = [e.model_dump() for e in atlas.events]
    place_ids = sorted(atlas.places)
    precision = {e.id: e.precision for e in atlas.events}
    out = [f"# Synthetic record for the benchmark: {n} events generated from events.yaml (bench/synth.py)\nevents:\n"]
    for i in range(n):
        tpl = templates[i % len(templates)]
        k = len(tpl["places"])
        start = (i * 31) % len(place_ids)
        places = [place_ids[(start + j * 7) % len(place_ids)] for j in range(k)]
        out.append(event_yaml(tpl, i, _date(i, precision[tpl["id"]]), places))
        out.append("\n")
    return "".join(out)


def write_synth(n: int, folder: Path, real: Path = REAL) -> Path:
    """Write ``events-<n>.yaml`` into ``folder`` (idempotent for the same n); return its path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"events-{n}.yaml"
    path.write_text(synth_text(n, real), encoding="utf-8")
    return path


if __name__ == "__main__":
    n = int(sys.argv[1])
    target = Path(sys.argv[2]) if len(sys.argv) > 2 else Path(f"/tmp/coalition-atlas-bench/events-{n}.yaml")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(synth_text(n), encoding="utf-8")
    print(target)
