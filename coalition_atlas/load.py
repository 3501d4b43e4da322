"""Loading and validating the curated record: events.yaml checked against the sources and
the gazetteer. Every problem is reported, located as FILE:LINE:COL, with how to fix it."""

from __future__ import annotations

import difflib
import math
import os
import itertools
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from babel import Locale
from babel.core import get_global
from pydantic import ValidationError

from . import gazetteer, paths, wording
from .gazetteer import Place
from .models import Event
from .problems import Problem, RecordError
from .sources import Document, load_documents, normalize_ws, quote_stands
from .translations import all_translation_problems, check_quote_translation
from .yamlpos import Located, read_json_unlocated, read_located

ROOT = paths.ROOT
# The record the app and the CLI read; COALITION_ATLAS_EVENTS points them at another file
# (the benchmark's synthetic records, the browser tests' hostile record).
EVENTS_PATH = Path(os.environ.get("COALITION_ATLAS_EVENTS") or ROOT / "events.yaml")
# The gazetteer they check the record's places against; COALITION_ATLAS_PLACES points them at
# another GeoJSON file (the benchmark's synthetic gazetteers). Read when a record is loaded.
PLACES_ENV = "COALITION_ATLAS_PLACES"


def places_path() -> Path:
    """The gazetteer the loader reads: the file COALITION_ATLAS_PLACES names, or
    geodata/places.geojson (``gazetteer.PLACES_PATH``)."""
    return Path(os.environ.get(PLACES_ENV) or gazetteer.PLACES_PATH)


_TOKENS = itertools.count(1)


@dataclass(frozen=True)
class Atlas:
    """The loaded, verified record: what every page reads."""

    events: tuple[Event, ...]
    places: dict[str, Place]
    documents: dict[str, Document]
    quotes_verified: int
    #: unique in the process: what caches of things built from this record are keyed by
    token: int = field(default_factory=lambda: next(_TOKENS), compare=False, init=False)

    @cached_property
    def _by_id(self) -> dict[str, Event]:
        return {e.id: e for e in self.events}

    def event(self, event_id: str) -> Event | None:
        return self._by_id.get(event_id)

    def summary(self) -> str:
        return (
            f"{len(self.events)} events, {len(self.places)} places, "
            f"{self.quotes_verified} quotes verified in {len(self.documents)} documents"
        )


# --- countries -------------------------------------------------------------------------

@lru_cache(maxsize=None)
def alpha2(alpha3: str) -> str | None:
    """ISO 3166-1 alpha-2 for an alpha-3 code, from CLDR's aliases (through Babel)."""
    target = get_global("territory_aliases").get(alpha3)
    if target and len(target) == 1 and target[0] in Locale("en").territories:
        return target[0]
    return None


def country_name(alpha3: str, lang: str) -> str:
    code = alpha2(alpha3)
    return Locale(lang).territories.get(code, alpha3) if code else alpha3


# --- pydantic errors, said for people: wording.py (these names for tours.py and older callers)

_suggest = wording.suggest
_errors = wording.validation_problems


# --- quotes ---------------------------------------------------------------------------------

def closest_passage(doc: Document, quote: str) -> tuple[str, str]:
    """The passage of ``doc`` whose words come closest to ``quote``, and that stretch of it."""
    needle = normalize_ws(quote)
    best = (0.0, "", "")
    for passage in doc.passages:
        hay = passage.normalized
        match = difflib.SequenceMatcher(None, hay, needle, autojunk=False).find_longest_match(
            0, len(hay), 0, len(needle)
        )
        start = max(0, match.a - match.b)
        window = hay[start : start + len(needle)]
        ratio = difflib.SequenceMatcher(None, window, needle, autojunk=False).ratio()
        if ratio > best[0]:
            best = (ratio, passage.id, window)
    return best[1], best[2]


_short = wording.short


def check_quote(documents: dict[str, Document], doc_id: str, paragraph: str, quote: str) -> tuple[str, str] | None:
    """None if the quote stands in the passage; otherwise (message, hint)."""
    doc = documents.get(doc_id)
    if doc is None:
        return f"unknown document '{doc_id}'", _suggest(doc_id, list(documents))
    passage = doc.passage(paragraph)
    if passage is None:
        return (
            f"{doc_id} has no paragraph '{paragraph}'",
            "use one of: " + ", ".join(doc.passage_ids),
        )
    if quote_stands(passage, quote):
        return None
    elsewhere = [p.id for p in doc.passages if quote_stands(p, quote)]
    if elsewhere:
        return (
            f"the quote is not in {doc_id} paragraph {paragraph}",
            f"it stands in paragraph {elsewhere[0]}: write `paragraph: {elsewhere[0]}`",
        )
    pid, window = closest_passage(doc, quote)
    return (
        f"the quote is not verbatim in {doc_id} paragraph {paragraph}",
        f"closest match is in paragraph {pid}: «{_short(window)}» — copy the words exactly",
    )


# --- the gazetteer --------------------------------------------------------------------------

def read_places(path: Path, documents: dict[str, Document]) -> tuple[dict[str, Place], list[Problem]]:
    """The gazetteer's places and its problems, located. Plain JSON (as GeoJSON is) is read by
    the json module first; only a file with problems is re-read with positions (a
    4,000-place synthetic gazetteer: 0.3 s instead of 8 s)."""
    raw = path.read_bytes()
    fast = read_json_unlocated(raw, path.name)
    if fast is not None:
        places, problems = _places_of(fast, documents)
        if not problems:
            return places, problems
    return _places_of(read_located(raw, path.name), documents)


def _point(feature: dict, i: int, src: Located) -> tuple[tuple[float, float] | None, list[Problem]]:
    """A feature's (lon, lat), or the problems of its geometry: a GeoJSON Point of two finite
    numbers on the globe is the only shape a place has."""
    loc = ("features", i, "geometry")
    geometry = feature.get("geometry")
    how = 'write `"geometry": {"type": "Point", "coordinates": [LONGITUDE, LATITUDE]}`'
    if not isinstance(geometry, dict):
        return None, [src.problem(loc, "the place has no Point geometry", how)]
    if geometry.get("type") != "Point":
        kind = geometry.get("type")
        said = f"'{str(kind)[:40]}'" if isinstance(kind, str) else "no type"
        return None, [src.problem(loc + ("type",), f"geometry of {said}: a place is a Point", how)]
    coords = geometry.get("coordinates")
    if not isinstance(coords, list) or len(coords) != 2:
        return None, [src.problem(loc + ("coordinates",), "coordinates must be two numbers", "write [LONGITUDE, LATITUDE]")]
    out = []
    for j, (value, name, limit) in enumerate(zip(coords, ("longitude", "latitude"), (180, 90))):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return None, [src.problem(loc + ("coordinates", j), f"the {name} is not a number", "write degrees, e.g. 43.13")]
        if not math.isfinite(value) or not -limit <= value <= limit:
            return None, [src.problem(loc + ("coordinates", j), f"the {name} {str(value)[:30]} is not between -{limit} and {limit}",
                                      "write degrees (WGS 84), longitude first")]
        out.append(float(value))
    return (out[0], out[1]), []


def _places_of(src: Located, documents: dict[str, Document]) -> tuple[dict[str, Place], list[Problem]]:
    problems: list[Problem] = []
    places: dict[str, Place] = {}
    data = src.data
    features = data.get("features") if isinstance(data, dict) else None
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection" or not isinstance(features, list):
        return places, [src.problem((), "the gazetteer is not a GeoJSON FeatureCollection",
                                    'write `{"type": "FeatureCollection", "features": [...]}`')]
    for i, feature in enumerate(features):
        loc = ("features", i, "properties")
        if not isinstance(feature, dict) or not isinstance(feature.get("properties"), dict):
            problems.append(src.problem(loc[:2] + (("properties",) if isinstance(feature, dict) else ()),
                                        "a feature must be a mapping with `properties`", "see the gazetteer's first feature"))
            continue
        point, bad = _point(feature, i, src)
        problems += bad
        props = {k: v for k, v in feature["properties"].items() if k not in ("lon", "lat")}
        try:
            place = Place.model_validate({**props, "lon": point[0], "lat": point[1]} if point else props)
        except ValidationError as exc:
            problems += _errors(exc, loc, src)
            continue
        if point is None:
            continue
        if place.id in places:
            problems.append(src.problem(loc + ("id",), f"duplicate place id '{place.id}'", "rename one"))
        for j, status in enumerate(place.status):
            bad = check_quote(documents, status.doc, status.paragraph, status.quote)
            if bad:
                problems.append(src.problem(loc + ("status", j, "quote"), *bad))
        places[place.id] = place
    return places, problems


# --- the record ------------------------------------------------------------------------------

def _check_references(
    item: Any, i: int, src: Located, documents: dict[str, Document], places: dict[str, Place],
    gazetteer_name: str = "geodata/places.geojson",
) -> tuple[list[Problem], int]:
    """Countries, places, documents, paragraphs and quotes of one raw event (even one the
    schema refused, so that every problem is reported at once)."""
    problems: list[Problem] = []
    verified = 0
    if not isinstance(item, dict):
        return problems, verified
    loc = ("events", i)
    countries = item.get("countries")
    for j, code in enumerate(countries if isinstance(countries, list) else []):
        if isinstance(code, str) and len(code) == 3 and code.isupper() and alpha2(code) is None:
            problems.append(
                src.problem(loc + ("countries", j), f"unknown country code '{code}'", "use an ISO 3166-1 alpha-3 code, e.g. IRQ")
            )
    names = item.get("places")
    for j, place in enumerate(names if isinstance(names, list) else []):
        if isinstance(place, str) and place not in places:
            hint = _suggest(place, sorted(places)) + f" (places are the ids in {gazetteer_name})"
            problems.append(src.problem(loc + ("places", j), f"unknown place '{place}'", hint))
    refs = item.get("sources")
    for j, ref in enumerate(refs if isinstance(refs, list) else []):
        if not isinstance(ref, dict) or not all(isinstance(ref.get(k), (str, int)) for k in ("doc", "paragraph", "quote")):
            continue  # the schema says what is missing
        if isinstance(ref["paragraph"], bool) or not str(ref["quote"]).strip():
            continue
        bad = check_quote(documents, str(ref["doc"]), str(ref["paragraph"]), str(ref["quote"]))
        if bad is None:
            verified += 1
            if isinstance(ref.get("translation"), str) and not ref.get("translation_note"):
                differs = check_quote_translation(documents.get(str(ref["doc"])), str(ref["paragraph"]), ref["translation"])
                if differs:
                    problems.append(src.problem(loc + ("sources", j, "translation"), *differs))
            continue
        field = "doc" if bad[0].startswith("unknown document") else "paragraph" if "has no paragraph" in bad[0] else "quote"
        problems.append(src.problem(loc + ("sources", j, field), *bad))
    return problems, verified


def validate(
    raw: bytes | str,
    name: str = "events.yaml",
    documents: dict[str, Document] | None = None,
    places: dict[str, Place] | None = None,
    places_file: Path | None = None,
) -> Atlas:
    """Check a record's text; return the Atlas or raise RecordError with every problem.
    The places are ``places`` if given, else those of the gazetteer ``places_file`` (default:
    :func:`places_path`)."""
    documents = documents if documents is not None else load_documents()
    problems: list[Problem] = []
    gazetteer_name = "geodata/places.geojson"
    if places is None:
        places_file = places_file or places_path()
        if places_file.resolve() != gazetteer.PLACES_PATH.resolve():
            gazetteer_name = str(places_file)
        try:
            places, problems = read_places(places_file, documents)
        except OSError as err:
            raise RecordError([Problem(places_file.name, 1, 1, f"cannot read the gazetteer ({err.strerror})",
                                       f"check that {places_file} exists (or unset {PLACES_ENV})")]) from None
    problems += all_translation_problems(documents)  # our English of every passage, every number
    src = read_located(raw, name)
    data: Any = src.data
    if not isinstance(data, dict) or "events" not in data:
        found = "a list" if isinstance(data, list) else "a mapping without `events:`" if isinstance(data, dict) else "plain text"
        raise RecordError(problems + [src.problem((), f"the file holds {found}", "start it with `events:` and a list of events")])
    for key in data:
        if key != "events":
            problems.append(src.problem((key,), f"unknown top-level field '{key}'", "only `events:` belongs here", key=True))
    items = data["events"]
    if not isinstance(items, list) or not items:
        raise RecordError(problems + [src.problem(("events",), "`events:` holds no list of events", "add `- id: …` items")])
    events: list[Event] = []
    seen: dict[str, int] = {}
    verified = 0
    for i, item in enumerate(items):
        found, n = _check_references(item, i, src, documents, places, gazetteer_name)
        problems += found
        verified += n
        try:
            event = Event.model_validate(item)
        except ValidationError as exc:
            problems += _errors(exc, ("events", i), src)
            continue
        if event.id in seen:
            line = src.where(("events", seen[event.id], "id"))[0]
            problems.append(
                src.problem(("events", i, "id"), f"duplicate id '{event.id}' (first at line {line})", "give each event its own id")
            )
            continue
        seen[event.id] = i
        events.append(event)
    if problems:
        raise RecordError(problems)
    return Atlas(tuple(events), places, documents, verified)


def load_atlas(path: Path = EVENTS_PATH, places_file: Path | None = None) -> Atlas:
    """Read and check the record at ``path`` against the gazetteer ``places_file`` (default:
    :func:`places_path`): the Atlas, or RecordError with every problem."""
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise RecordError([Problem(path.name, 1, 1, f"cannot read the file ({err.strerror})", f"check that {path} exists")]) from None
    return validate(raw, path.name, places_file=places_file)
