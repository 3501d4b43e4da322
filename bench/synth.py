"""Synthetic records for the benchmark: N events generated from the real events.yaml, and a
synthetic gazetteer of their places.

Event ``i`` copies the real event ``i % 66`` (the schema, texts, category, countries, people,
figures and sources — so every quote still stands verbatim in its passage and verifies), with

* ``id``: the real id suffixed ``-s00042``; the English title suffixed `` #42``;
* ``date``: spread over 2017–2019 deterministically (day ``i * 7919 mod 1095`` from
  2017-01-01), keeping the real event's precision (a month stays a month, a year a year), so
  the real mix of day / month / year dates (and the timeline's span lines) is kept;
* ``places``: each place the real event names becomes a place of its own, ``<place>-s00042``:
  a copy of the real place (kind, country, liberated, status and its quotes, so they verify)
  with its English name suffixed `` #42`` (as the titles) and its point moved deterministically
  by up to ±0.25° in latitude and longitude. Two thirds of the real events name no place:
  the gazetteer has 448 places at 1,000 events and 4,264 at 10,000 (with the 18 real ones).

The gazetteer ``places-<n>.geojson`` holds those copies and the real places (the documents'
own places, Washington and Paris, stay known). Both files are read through the normal loader:
``COALITION_ATLAS_EVENTS=<events file> COALITION_ATLAS_PLACES=<gazetteer>``.

``python -m bench.synth 1000 /tmp/x/events-1000.yaml`` writes ``/tmp/x/events-1000.yaml`` and
``/tmp/x/places-1000.geojson``.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import sys
from dataclasses import dataclass
from pathlib import Path

from coalition_atlas.gazetteer import PLACES_PATH
from coalition_atlas.load import ROOT, load_atlas

REAL = ROOT / "events.yaml"
START = dt.date(2017, 1, 1)
SPAN_DAYS = 1095  # 2017-01-01 … 2019-12-31
STRIDE = 7919  # a prime: consecutive events land far apart, every day gets used
JITTER_DEG = 0.25  # a synthetic place lies within ±0.25° (lat and lon) of the real one


@dataclass(frozen=True)
class SynthRecord:
    """A synthetic record on disk: the events and their gazetteer."""

    n: int
    events: Path
    places: Path

    @property
    def env(self) -> dict[str, str]:
        """What points the app, the floor and the CLI at it."""
        return {"COALITION_ATLAS_EVENTS": str(self.events), "COALITION_ATLAS_PLACES": str(self.places)}


def _q(text: object) -> str:
    """A YAML double-quoted scalar (JSON's string syntax is valid YAML)."""
    return json.dumps(str(text), ensure_ascii=False)


def _bi(value: dict) -> str:
    return "{ar: " + _q(value["ar"]) + ", en: " + _q(value["en"]) + "}"


def _date(i: int, precision: str) -> str:
    day = START + dt.timedelta(days=(i * STRIDE) % SPAN_DAYS)
    return {"day": day.isoformat(), "month": day.isoformat()[:7], "year": str(day.year)}[precision]


def synth_place_id(place: str, i: int) -> str:
    return f"{place}-s{i:05d}"


def jitter(place: str, i: int) -> tuple[float, float]:
    """(dlon, dlat) in degrees, each within ±JITTER_DEG: the same for the same place and event."""
    rng = random.Random(f"{place}/{i}")  # a str seed is hashed with SHA-512: stable across runs
    return (round(rng.uniform(-JITTER_DEG, JITTER_DEG), 5), round(rng.uniform(-JITTER_DEG, JITTER_DEG), 5))


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
        for f in event["figures"]:  # as the record writes it (a value, "1/3", or words): JSON is YAML
            lines.append("      - " + json.dumps(f, ensure_ascii=False))
    lines.append("    sources:")
    for s in event["sources"]:
        lines += [
            f"      - doc: {s['doc']}",
            f"        paragraph: {_q(s['paragraph'])}",
            f"        quote: {_q(s['quote'])}",
            f"        translation: {_q(s['translation'])}",
        ]
    return "\n".join(lines) + "\n"


def synth_place(feature: dict, i: int) -> dict:
    """A jittered copy of the real gazetteer feature ``feature`` for synthetic event ``i``."""
    props = dict(feature["properties"])
    real_id = props["id"]
    lon, lat = feature["geometry"]["coordinates"][:2]
    dlon, dlat = jitter(real_id, i)
    props.update(
        id=synth_place_id(real_id, i),
        name_en=f"{props['name_en']} #{i}",
        coord_source="synthetic (bench/synth.py)",
        coord_note=f"{real_id} moved by {dlat:+.5f}° lat, {dlon:+.5f}° lon",
    )
    return {
        "type": "Feature",
        "id": props["id"],
        "properties": props,
        "geometry": {"type": "Point", "coordinates": [round(lon + dlon, 5), round(lat + dlat, 5)]},
    }


def synth(n: int, real: Path = REAL, gazetteer: Path = PLACES_PATH) -> tuple[str, dict]:
    """The record's text (events.yaml's style) and its gazetteer (a GeoJSON FeatureCollection)."""
    atlas = load_atlas(real, gazetteer)
    templates = [e.model_dump() for e in atlas.events]
    precision = {e.id: e.precision for e in atlas.events}
    real_features = json.loads(gazetteer.read_text("utf-8"))["features"]
    by_id = {f["properties"]["id"]: f for f in real_features}
    features = list(real_features)
    out = [f"# Synthetic record for the benchmark: {n} events generated from events.yaml (bench/synth.py)\nevents:\n"]
    for i in range(n):
        tpl = templates[i % len(templates)]
        names = list(dict.fromkeys(tpl["places"]))
        features += [synth_place(by_id[p], i) for p in names]
        out.append(event_yaml(tpl, i, _date(i, precision[tpl["id"]]), [synth_place_id(p, i) for p in names]))
        out.append("\n")
    return "".join(out), {"type": "FeatureCollection", "features": features}


def write_synth(n: int, folder: Path, real: Path = REAL) -> SynthRecord:
    """Write ``events-<n>.yaml`` and ``places-<n>.geojson`` into ``folder`` (the same files for
    the same n); return their paths."""
    return _write(n, folder / f"events-{n}.yaml", real)


def _write(n: int, events_path: Path, real: Path = REAL) -> SynthRecord:
    events_path.parent.mkdir(parents=True, exist_ok=True)
    text, places = synth(n, real)
    places_path = events_path.parent / f"places-{n}.geojson"
    events_path.write_text(text, encoding="utf-8")
    places_path.write_text(json.dumps(places, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return SynthRecord(n, events_path, places_path)


if __name__ == "__main__":
    count = int(sys.argv[1])
    target = Path(sys.argv[2]) if len(sys.argv) > 2 else Path(f"/tmp/coalition-atlas-bench/events-{count}.yaml")
    record = _write(count, target)
    print(record.events)
    print(record.places)
