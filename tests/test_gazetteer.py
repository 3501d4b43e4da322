"""The gazetteer and the base map: every named place, where it is, what the documents say of it."""

import geopandas as gpd
import pytest
from shapely.geometry import Point

from coalition_atlas.gazetteer import COUNTRIES_PATH, PLACES_PATH
from coalition_atlas.load import read_places
from coalition_atlas.sources import find_quote

# One rule for every place (geodata/README.md): liberated only where a document says, of the
# place by name, that it was freed; the words each rests on. Everything else is "not stated".
# (Mosul and Raqqa were true on an inference from the 2019 article's "all areas"; issue 12.)
LIBERATED = {
    "al-bab": ("washington-2017", "2", "في طرد تنظيم داعش من الباب ودابق وجرابلس"),
    "dabiq": ("washington-2017", "2", "في طرد تنظيم داعش من الباب ودابق وجرابلس"),
    "jarablus": ("washington-2017", "2", "في طرد تنظيم داعش من الباب ودابق وجرابلس"),
    "sirte": ("washington-2017", "8", "لتحرير مدينة سرت من تنظيم داعش"),
    "northeast-syria": ("paris-2019", "3", "لتحرير شمال شرقي سوريا والعراق من سيطرة تنظيم داعش"),
}


def test_every_place_has_a_verified_status_quote(places, documents):
    assert len(places) == 18
    for place in places.values():
        assert place.status, place.id
        for status in place.status:
            assert find_quote(documents[status.doc].passage(status.paragraph), status.quote), (place.id, status.quote)


@pytest.mark.parametrize("place_id", sorted(LIBERATED))
def test_liberated_places(places, place_id):
    assert places[place_id].liberated
    doc, paragraph, words = LIBERATED[place_id]
    assert any(s.doc == doc and s.paragraph == paragraph and words in s.quote for s in places[place_id].status)


def test_every_other_place_is_not_stated_never_false():
    import json

    raw = {f["properties"]["id"]: f["properties"]["liberated"] for f in json.loads(PLACES_PATH.read_text("utf-8"))["features"]}
    assert {pid for pid, flag in raw.items() if flag is True} == set(LIBERATED)
    assert {flag for pid, flag in raw.items() if pid not in LIBERATED} == {"not stated"}


@pytest.mark.parametrize("flag", ["false", '"yes"', '"liberated"'])
def test_the_flag_is_true_or_not_stated(tmp_path, documents, flag):
    text = PLACES_PATH.read_text("utf-8").replace('"liberated": true', f'"liberated": {flag}', 1)
    path = tmp_path / "places.geojson"
    path.write_text(text, "utf-8")
    _, problems = read_places(path, documents)
    assert len(problems) == 1
    assert problems[0].message.startswith("liberated is ")
    assert problems[0].hint == 'write true (a document says the place was freed) or "not stated", never false or a guess'


def test_every_status_quote_names_its_place(places):
    spelled = {"northeast-syria": ("شمال شرق سوريا",)}  # Paris body 9's own spelling
    for place in places.values():
        for status in place.status:
            assert any(n in status.quote for n in (place.name_ar, *spelled.get(place.id, ()))), (place.id, status.quote)


def test_points_lie_in_their_countries(places):
    countries = gpd.read_file(COUNTRIES_PATH).set_index("iso_a3")
    for place in places.values():
        if place.country:
            assert countries.loc[place.country].geometry.contains(Point(place.lon, place.lat)), place.id


def test_country_outlines_cover_every_country_the_events_name(places):
    from coalition_atlas.load import load_atlas

    codes = set(gpd.read_file(COUNTRIES_PATH)["iso_a3"])
    named = {c for e in load_atlas().events for c in e.countries}
    assert named <= codes
    assert {"TCD", "NER", "CMR"} <= codes  # the Lake Chad basin


def test_a_misquoted_status_is_located(tmp_path, documents):
    raw = PLACES_PATH.read_text("utf-8")
    first_quote = raw.index('"quote": "') + len('"quote": "')
    broken = raw[:first_quote] + "كلمات ليست في النص " + raw[first_quote:]
    path = tmp_path / "places.geojson"
    path.write_text(broken, "utf-8")
    _, problems = read_places(path, documents)
    assert len(problems) == 1
    line = broken.count("\n", 0, first_quote) + 1
    assert problems[0].file == "places.geojson" and problems[0].line == line
    assert "not verbatim" in problems[0].message


def test_plain_json_fast_path_reads_what_read_located_reads():
    from coalition_atlas.yamlpos import MAX_DEPTH, read_json_unlocated, read_located

    raw = PLACES_PATH.read_bytes()
    fast = read_json_unlocated(raw, "places.geojson")
    assert fast is not None and fast.data == read_located(raw, "places.geojson").data
    assert fast.where(("features", 3, "properties", "id")) == (1, 1)  # no positions: problems are re-read
    for refused in (
        b'{"a": 1, "a": 2}',  # duplicate key
        b'{"<<": {}}',  # merge key
        b'{"a": NaN}',
        b"\xef\xbb\xbf{}",  # BOM
        b"a: 1\n",  # YAML, not JSON
        b'{"a": "\x07"}',  # a control character
        b"[" * (MAX_DEPTH + 2) + b"]" * (MAX_DEPTH + 2),
    ):
        assert read_json_unlocated(refused, "x.geojson") is None, refused


def test_gazetteer_problem_found_on_the_fast_path_is_still_located(tmp_path, documents):
    raw = PLACES_PATH.read_text("utf-8")
    path = tmp_path / "places.geojson"
    path.write_text(raw.replace('"kind": "city"', '"kind": "cty"', 1), "utf-8")
    _, problems = read_places(path, documents)
    assert len(problems) == 1 and "unknown kind 'cty'" in problems[0].message
    assert problems[0].line > 1
