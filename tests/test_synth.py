"""bench/synth.py: synthetic records and their jittered gazetteer load through the normal loader."""

from __future__ import annotations

import json

import pytest

from bench.synth import JITTER_DEG, write_synth
from coalition_atlas.gazetteer import PLACES_PATH
from coalition_atlas.load import load_atlas

N = 30


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    return write_synth(N, tmp_path_factory.mktemp("synth"))


@pytest.fixture(scope="module")
def atlas(written):
    return load_atlas(written.events, written.places)


@pytest.fixture(scope="module")
def real():
    return load_atlas()


def test_files_and_env(written):
    assert written.events.name == f"events-{N}.yaml" and written.places.name == f"places-{N}.geojson"
    assert written.events.parent == written.places.parent
    assert written.env == {"COALITION_ATLAS_EVENTS": str(written.events), "COALITION_ATLAS_PLACES": str(written.places)}


def test_loads_cleanly_through_the_loader_and_the_env(written, atlas, monkeypatch):
    assert len(atlas.events) == N
    assert atlas.quotes_verified == sum(len(e.sources) for e in atlas.events)
    monkeypatch.setenv("COALITION_ATLAS_PLACES", str(written.places))
    assert load_atlas(written.events).summary() == atlas.summary()


def test_ids_unique(atlas):
    assert len({e.id for e in atlas.events}) == N
    assert all(e.id.endswith(f"-s{i:05d}") for i, e in enumerate(atlas.events))


def test_each_event_place_is_its_own_jittered_copy(atlas, real):
    templates = list(real.events)
    pairs = 0
    for i, event in enumerate(atlas.events):
        tpl = templates[i % len(templates)]
        assert event.places == [f"{p}-s{i:05d}" for p in dict.fromkeys(tpl.places)]
        for pid, real_id in zip(event.places, dict.fromkeys(tpl.places)):
            place, orig = atlas.places[pid], real.places[real_id]
            pairs += 1
            assert place.name_en == f"{orig.name_en} #{i}" and place.name_ar == orig.name_ar
            assert (place.kind, place.liberated, place.country, place.status) == (orig.kind, orig.liberated, orig.country, orig.status)
            assert abs(place.lat - orig.lat) <= JITTER_DEG + 1e-9 and abs(place.lon - orig.lon) <= JITTER_DEG + 1e-9
            assert (place.lat, place.lon) != (orig.lat, orig.lon)
    assert pairs > 0
    # the gazetteer: the real places (the documents name some) and one copy per event–place pair
    assert set(real.places) <= set(atlas.places)
    assert len(atlas.places) == len(real.places) + pairs


def test_dates_spread_keeping_precision(atlas, real):
    templates = list(real.events)
    for i, event in enumerate(atlas.events):
        assert event.precision == templates[i % len(templates)].precision
        assert "2017" <= event.date[:4] <= "2019"
    assert len({e.date for e in atlas.events}) > N // 2


def test_deterministic(written, tmp_path):
    again = write_synth(N, tmp_path)
    assert again.events.read_bytes() == written.events.read_bytes()
    assert again.places.read_bytes() == written.places.read_bytes()


def test_real_gazetteer_untouched(written):
    real = json.loads(PLACES_PATH.read_text("utf-8"))["features"]
    synth = json.loads(written.places.read_text("utf-8"))["features"]
    assert synth[: len(real)] == real
