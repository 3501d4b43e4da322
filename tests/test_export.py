"""CSV and GeoJSON exports and the `export` command: read back, they give the events (ids,
dates) and citations of the view that produced them; spreadsheets get a BOM and no formulas."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest

from coalition_atlas.export import (
    CSV_COLUMNS,
    citations_text,
    csv_cell,
    events_csv,
    events_geojson,
    export_bytes,
    geojson_bytes,
    ordered,
    state_from_options,
    FilterError,
)
from coalition_atlas.filtering import filter_events
from coalition_atlas.load import load_atlas
from coalition_atlas.models import Bilingual
from coalition_atlas.viewstate import ViewState, parse_params

ROOT = Path(__file__).resolve().parents[1]
VIEWS = [{}, {"country": "LBY"}, {"category": "territory,military", "from": "2019-01-01"}, {"source": "paris-2019", "lang": "en"}]


@pytest.fixture(scope="module")
def atlas():
    return load_atlas()


def shown(atlas, params: dict) -> list:
    state = parse_params(params, atlas)
    assert not state.notices
    return ordered(filter_events(atlas.events, state))


def read_csv(data: bytes) -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype=str, keep_default_na=False)


@pytest.mark.parametrize("params", VIEWS, ids=lambda p: "&".join(f"{k}={v}" for k, v in p.items()) or "all")
def test_csv_round_trip(atlas, params):
    events = shown(atlas, params)
    assert events
    data = events_csv(events)
    assert data.startswith(b"\xef\xbb\xbf"), "UTF-8 BOM, so that spreadsheets read the Arabic"
    frame = read_csv(data)
    assert tuple(frame.columns) == CSV_COLUMNS
    assert list(frame["id"]) == [e.id for e in events]
    assert list(frame["date"]) == [e.date for e in events]
    assert list(frame["citations"]) == [csv_cell(citations_text(e)) for e in events]
    assert list(frame["title_ar"]) == [csv_cell(e.title.ar) for e in events]
    assert list(frame["countries"]) == [" | ".join(e.countries) for e in events]
    assert not any("e+" in cell for cell in frame["figures"]), "figures as written, not 2e+09"
    if params == {"country": "LBY"}:
        assert all("LBY" in row.split(" | ") for row in frame["countries"])
        assert len(frame) == 5


def test_csv_citations_name_document_paragraph_quote_and_translation(atlas):
    event = next(e for e in atlas.events if len(e.sources) > 1)
    frame = read_csv(events_csv([event]))
    cell = frame.loc[0, "citations"]
    parts = cell.split(" | ")
    assert len(parts) == len(event.sources)
    for part, ref in zip(parts, event.sources):
        assert part == f"{ref.doc}:{ref.paragraph} «\u2068{ref.quote}\u2069» — {ref.translation}"  # the Arabic isolated


@pytest.mark.parametrize("params", VIEWS[:3], ids=["all", "country=LBY", "territory,military-2019"])
def test_geojson_round_trip_with_geopandas(atlas, params, tmp_path):
    events = shown(atlas, params)
    path = tmp_path / "events.geojson"
    path.write_bytes(geojson_bytes(events, atlas))
    frame = gpd.read_file(path, DATE_AS_STRING="YES")  # else GDAL makes dates of "2017-03-22", not of "2018-02"
    # one feature per (event, place); an event without a place: one unlocated feature
    expected = [(e, p) for e in events for p in (list(dict.fromkeys(e.places)) or [None])]
    assert len(frame) == len(expected)
    assert list(frame["id"]) == [e.id for e, _ in expected]
    assert list(frame["date"]) == [e.date for e, _ in expected]
    assert list(dict.fromkeys(frame["id"])) == [e.id for e in events]
    assert list(frame["citations"]) == [citations_text(e) for e, _ in expected]
    assert list(frame["start"]) == [e.start.isoformat() for e, _ in expected]
    for i, (event, pid) in enumerate(expected):
        geometry, place_id = frame.geometry.iloc[i], frame["place"].iloc[i]
        if pid is None:
            assert geometry is None or geometry.is_empty
            assert place_id is None or pd.isna(place_id)
        else:
            place = atlas.places[pid]
            assert place_id == pid
            assert (round(geometry.x, 6), round(geometry.y, 6)) == (round(place.lon, 6), round(place.lat, 6))
    assert frame.geometry.isna().sum() == sum(1 for e in events if not e.places)


def test_geojson_is_rfc7946(atlas):
    data = events_geojson(atlas.events, atlas)
    assert data["type"] == "FeatureCollection"
    for feature in data["features"]:
        assert set(feature) == {"type", "geometry", "properties"}  # no top-level "id": GDAL would clash
        geometry = feature["geometry"]
        if geometry is not None:
            lon, lat = geometry["coordinates"]
            assert geometry["type"] == "Point" and -180 <= lon <= 180 and -90 <= lat <= 90
    unlocated = [f for f in data["features"] if f["geometry"] is None]
    assert unlocated and all(f["properties"]["place"] is None for f in unlocated)
    assert json.loads(geojson_bytes(atlas.events, atlas).decode("utf-8")) == data


def test_csv_cell_neutralises_formulas():
    for text in ("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", '=HYPERLINK("http://x")'):
        assert csv_cell(text) == "'" + text
    for text in ("2017-03-22", "Mosul", "«60»", "", "a=b"):
        assert csv_cell(text) == text


def test_formula_injection_in_the_csv(atlas):
    event = atlas.events[0]
    nasty = event.model_copy(
        update={
            "title": Bilingual(ar="=cmd|' /C calc'!A0", en="+SUM(1,2)"),
            "summary": Bilingual(ar="-2+3", en="@HYPERLINK(\"x\")"),
        }
    )
    frame = read_csv(events_csv([nasty]))
    assert frame.loc[0, "title_ar"] == "'=cmd|' /C calc'!A0"
    assert frame.loc[0, "title_en"] == "'+SUM(1,2)"
    assert frame.loc[0, "summary_ar"] == "'-2+3"
    assert frame.loc[0, "summary_en"] == "'@HYPERLINK(\"x\")"
    for column in frame.columns:
        assert not frame.loc[0, column].startswith(("=", "+", "-", "@", "\t", "\r")), column


def test_filters_share_the_url_grammar(atlas):
    assert state_from_options(atlas, {"country": "IRQ,SYR", "lang": "en"}) == parse_params({"country": "IRQ,SYR", "lang": "en"}, atlas)
    with pytest.raises(FilterError) as err:
        state_from_options(atlas, {"country": "XYZ", "from": "2019-02-30", "lang": "fr"})
    text = str(err.value)
    assert "--country: unknown value 'XYZ'" in text and "LBY" in text
    assert "--from: '2019-02-30' is not a date" in text
    assert "--lang: unknown language 'fr'" in text
    with pytest.raises(FilterError, match="is after --to"):
        state_from_options(atlas, {"from": "2019-01-01", "to": "2018-01-01"})


def test_export_bytes_follows_the_state(atlas):
    state = ViewState(lang="en", countries=("LBY",))
    frame = read_csv(export_bytes(atlas, state, "csv"))
    assert len(frame) == len(filter_events(atlas.events, state))
    html = export_bytes(atlas, state, "html").decode("utf-8")
    assert html.startswith("<!DOCTYPE html>") and '<html lang="en" dir="ltr">' in html
    with pytest.raises(ValueError):
        export_bytes(atlas, state, "pdf")


# --- the command line -------------------------------------------------------------------------------

def cli(*args: str, cwd: Path = ROOT, **env: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT), **env}  # run from any folder
    return subprocess.run(
        [sys.executable, "-m", "coalition_atlas", "export", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120
    )


def test_cli_csv(atlas, tmp_path):
    out = tmp_path / "libya.csv"
    done = cli("--format", "csv", "--country", "LBY", "-o", str(out))
    assert done.returncode == 0, done.stderr
    events = shown(atlas, {"country": "LBY"})
    assert f"{len(events)} of {len(atlas.events)} events" in done.stdout
    assert out.read_bytes() == events_csv(events)


def test_cli_geojson(atlas, tmp_path):
    out = tmp_path / "territory.geojson"
    done = cli("--format", "geojson", "--category", "territory", "--from", "2017-01-01", "--to", "2018-12-31", "-o", str(out))
    assert done.returncode == 0, done.stderr
    frame = gpd.read_file(out, DATE_AS_STRING="YES")
    events = shown(atlas, {"category": "territory", "from": "2017-01-01", "to": "2018-12-31"})
    assert list(dict.fromkeys(frame["id"])) == [e.id for e in events]


def test_cli_html_default_name(tmp_path):
    done = cli("--lang", "en", "--source", "paris-2019", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    written = tmp_path / "coalition-atlas-briefing-en.html"
    html = written.read_text(encoding="utf-8")
    assert '<html lang="en" dir="ltr">' in html and html.rstrip().endswith("</html>")
    assert str(written.name) in done.stdout


def test_cli_stdout(atlas):
    done = subprocess.run(
        [sys.executable, "-m", "coalition_atlas", "export", "--format", "csv", "--country", "LBY", "-o", "-"],
        cwd=ROOT, capture_output=True, timeout=120,
    )
    assert done.returncode == 0 and done.stdout == events_csv(shown(atlas, {"country": "LBY"}))


BAD = [
    (("--country", "XYZ"), "--country: unknown value 'XYZ'"),
    (("--category", "war"), "--category: unknown value 'war'"),
    (("--source", "london-2020"), "--source: unknown value 'london-2020'"),
    (("--from", "22/03/2017"), "--from: '22/03/2017' is not a date"),
    (("--to", "2019-02-30"), "--to: '2019-02-30' is not a date"),
    (("--from", "2019-06-01", "--to", "2017-01-01"), "is after --to"),
    (("--lang", "fr"), "--lang: unknown language 'fr'"),
]


@pytest.mark.parametrize("args, says", [BAD[0], (("--format", "pdf"), "invalid choice: 'pdf'")])
def test_cli_bad_filter_exits_2_with_a_message(tmp_path, args, says):
    out = tmp_path / "never.csv"
    done = cli(*args, "-o", str(out))
    assert done.returncode == 2, done.stdout + done.stderr
    assert says in done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    assert not out.exists()


@pytest.mark.parametrize("args, says", BAD, ids=[a[0] for a, _ in BAD])
def test_every_bad_filter_is_named(tmp_path, capsys, args, says):
    """The same code path in-process (a subprocess per case would take minutes here)."""
    from coalition_atlas.cli import main

    out = tmp_path / "never.html"
    assert main(["export", *args, "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert says in err and err.startswith("export: ")
    assert not out.exists()


def test_cli_unwritable_target(tmp_path):
    done = cli("--format", "csv", "-o", str(tmp_path / "no" / "such" / "dir.csv"))
    assert done.returncode == 1 and "cannot write" in done.stderr and "Traceback" not in done.stderr


def test_cli_broken_record(tmp_path):
    broken = tmp_path / "events.yaml"
    broken.write_text("events:\n  - id: [unclosed\n", encoding="utf-8")
    done = cli("--format", "csv", "-o", str(tmp_path / "x.csv"), COALITION_ATLAS_EVENTS=str(broken))
    assert done.returncode == 1 and "events.yaml:" in done.stderr and "Traceback" not in done.stderr


# --- the dashboard --------------------------------------------------------------------------------

def test_overview_offers_the_downloads():
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    at.query_params["lang"] = "en"
    at.query_params["country"] = "LBY"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    buttons = at.get("download_button")
    labels = [b.proto.label for b in buttons]
    assert labels == ["Briefing (HTML)", "Handout (HTML, at most 4 pages)", "Events (CSV)", "Events and places (GeoJSON)"], labels
    assert all(b.proto.deferred_file_id for b in buttons), "made on click, not on every run"
