"""The briefing pack's timeline as SVG text, against the fixture record and the real one: one
link per event to its card, the dashboard's colours, shapes, lanes, spans and earlier band, the
axis right to left in Arabic, a legend, a viewBox, hostile text kept as text, and the cost of
10,000 marks. Drawn in Chromium by tests/e2e/test_briefing_file.py."""

from __future__ import annotations

import ast
import datetime as dt
import re
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from coalition_atlas import svg_timeline
from coalition_atlas.i18n import FSI, PDI, category_label, dating_label, format_partial_date, t
from coalition_atlas.models import Bilingual
from coalition_atlas.svg_timeline import HEIGHT, SHAPES, WIDTH, mark_title, timeline_svg
from coalition_atlas.timeline import CATEGORY_COLORS, OKABE_ITO, SYMBOLS, lanes, positions
from coalition_atlas.vocabulary import CATEGORIES, DATINGS

NS = {"svg": "http://www.w3.org/2000/svg"}
HOSTILE = "<img src=x onerror=alert(1)></script>]]><!--\u202e\u2067evil\u202c&amp;"


def parse(svg: str) -> ET.Element:
    """The SVG as XML (it is well-formed: a standalone file too)."""
    return ET.fromstring(svg)


def marks(root: ET.Element) -> list[ET.Element]:
    return root.findall(".//svg:g[@class='ca-marks']/svg:a", NS)


def mark_xy(mark: ET.Element) -> tuple[float, float]:
    use = mark.find("svg:use", NS)
    return float(use.get("x")), float(use.get("y"))


def texts(root: ET.Element) -> list[str]:
    return ["".join(el.itertext()) for el in root.iter("{http://www.w3.org/2000/svg}text")]


# --- marks --------------------------------------------------------------------------------------

@pytest.mark.parametrize("which", ["fixture_atlas", "real_atlas"])
@pytest.mark.parametrize("lang", ["ar", "en"])
def test_one_link_per_event_to_its_card(which, lang, request):
    atlas = request.getfixturevalue(which)
    root = parse(timeline_svg(atlas.events, lang))
    found = marks(root)
    assert [m.get("href") for m in found] == [f"#event-{e.id}" for e in atlas.events]  # in the order given
    for mark, event in zip(found, atlas.events):
        assert mark.find("svg:title", NS).text == mark_title(event, lang)
        assert f"ca-k-{event.category}" in mark.get("class").split()
        assert f"ca-d-{event.dating}" in mark.get("class").split()
        assert mark.find("svg:use", NS).get("href") == f"#ca-tl-{event.dating}"  # the shape of its dating
        assert mark.find("svg:text", NS) is None, "no text per mark: the title is the hover text"


def test_title_is_date_then_title_in_the_language(fixture_atlas):
    event = fixture_atlas.event("iraq-60-percent-retaken")
    assert mark_title(event, "en") == f"22 March 2017 · {FSI}Iraqis have freed over 60% of their land{PDI}"
    assert mark_title(event, "ar") == f"{format_partial_date('2017-03-22', 'ar')} · {FSI}{event.title.ar}{PDI}"
    assert "آذار/مارس" in mark_title(event, "ar")  # Babel's month names, as everywhere in the pack


def test_colours_are_the_dashboards_okabe_ito(real_atlas):
    svg = timeline_svg(real_atlas.events, "en")
    style = parse(svg).find("svg:style", NS).text
    for cat in CATEGORIES:
        assert f".ca-tl .ca-k-{cat}{{color:{CATEGORY_COLORS[cat]}}}" in style
        assert CATEGORY_COLORS[cat] in OKABE_ITO.values()
    # filled circle for "on", hollow diamond and triangle for the others (timeline.SYMBOLS)
    assert SYMBOLS == {"on": "circle", "reported": "diamond-open", "planned": "triangle-up-open"}
    assert set(SHAPES) == set(DATINGS) and len(set(SHAPES.values())) == len(DATINGS)
    assert ".ca-tl use{fill:#fff;stroke:currentColor" in style and ".ca-tl .ca-d-on use{fill:currentColor" in style
    defs = {p.get("id"): p.get("d") for p in parse(svg).findall("svg:defs/svg:path", NS)}
    assert defs == {f"ca-tl-{d}": SHAPES[d] for d in DATINGS}


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_marks_sit_where_the_dashboard_puts_them(real_atlas, lang):
    """Same slots as timeline.positions: a lane per category (first on top), the date along x
    (left to right in English, right to left in Arabic)."""
    events = list(real_atlas.events)
    root = parse(timeline_svg(events, lang))
    where = positions(events)
    xy = {m.get("href")[len("#event-"):]: mark_xy(m) for m in marks(root)}
    lane = lanes()
    for a in events:
        for b in events:
            if where[a.id][1] > where[b.id][1]:  # higher lane value: higher on the page
                assert xy[a.id][1] < xy[b.id][1]
            if where[a.id][0] < where[b.id][0]:
                assert (xy[a.id][0] < xy[b.id][0]) if lang == "en" else (xy[a.id][0] > xy[b.id][0])
    assert lane[list(CATEGORIES)[0]] > lane[list(CATEGORIES)[-1]]  # the first category on top
    assert all(0 < x < WIDTH and 0 < y < HEIGHT for x, y in xy.values())


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_lane_labels_axis_and_direction(real_atlas, lang):
    svg = timeline_svg(real_atlas.events, lang)
    root = parse(svg)
    assert root.get("viewBox") == f"0 0 {WIDTH} {HEIGHT}"  # scales (print zooms it)
    assert root.get("direction") == ("rtl" if lang == "ar" else "ltr")
    labels = texts(root)
    for cat in CATEGORIES:
        assert category_label(cat, lang) in labels
    for year in ("2017", "2018", "2019"):
        assert year in labels
    # the lane labels stand left of the plot in English, right of it in Arabic
    years = {el.text: float(el.get("x")) for el in root.iter("{http://www.w3.org/2000/svg}text") if el.text in ("2017", "2019")}
    lane_x = float(next(el for el in root.iter("{http://www.w3.org/2000/svg}text") if el.text == category_label("territory", lang)).get("x"))
    if lang == "ar":
        assert years["2017"] > years["2019"] and lane_x > years["2017"]
    else:
        assert years["2017"] < years["2019"] and lane_x < years["2017"]
    assert '"Noto Naskh Arabic"' in root.find("svg:style", NS).text  # the pack's shipped font


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_legend_names_the_shapes(fixture_atlas, lang):
    root = parse(timeline_svg(fixture_atlas.events, lang))
    legend = root.find(".//svg:g[@class='ca-tl-legend']", NS)
    assert ["".join(el.itertext()) for el in legend.iter("{http://www.w3.org/2000/svg}text")] == [
        dating_label(d, lang) for d in DATINGS
    ]
    assert [u.get("href") for u in legend.iter("{http://www.w3.org/2000/svg}use")] == [f"#ca-tl-{d}" for d in DATINGS]
    # the colours: a swatch beside each lane's label
    swatches = [r for r in root.iter("{http://www.w3.org/2000/svg}rect") if (r.get("class") or "").startswith("ca-k-")]
    assert sorted(r.get("class") for r in swatches) == sorted(f"ca-k-{c}" for c in CATEGORIES)


def test_month_and_year_have_a_span_days_do_not(fixture_atlas):
    base = fixture_atlas.events[0]
    events = [
        base,
        base.model_copy(update={"id": "a-month", "date": "2018-02"}),
        base.model_copy(update={"id": "a-year", "date": "2019", "dating": "planned"}),
    ]
    root = parse(timeline_svg(events, "en"))
    spans = [p for p in root.iter("{http://www.w3.org/2000/svg}path") if "ca-sp" in (p.get("class") or "").split()]
    assert len(spans) == 2
    assert "ca-d-planned" in spans[1].get("class")  # dashed
    xy = {m.get("href"): mark_xy(m) for m in marks(root)}
    for span, eid in zip(spans, ("a-month", "a-year")):
        a, b = (float(v) for v in re.match(r"M([\d.]+),[\d.]+H([\d.]+)", span.get("d")).groups())
        assert a < xy[f"#event-{eid}"][0] < b  # the mark at the middle of its span
    a, b = (float(v) for v in re.match(r"M([\d.]+),[\d.]+H([\d.]+)", spans[0].get("d")).groups())
    feb_width = b - a
    a, b = (float(v) for v in re.match(r"M([\d.]+),[\d.]+H([\d.]+)", spans[1].get("d")).groups())
    assert 10 < (b - a) / feb_width < 14  # a year is about twelve months


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_earlier_band(fixture_atlas, lang):
    root = parse(timeline_svg(fixture_atlas.events, lang))
    assert root.find(".//svg:rect[@class='ca-tl-earlier']", NS) is None
    assert "".join(t("earlier", lang).split()) not in ["".join(s.split()) for s in texts(root)]
    early = fixture_atlas.events[0].model_copy(update={"date": "2014-09", "id": "early"})
    root = parse(timeline_svg(list(fixture_atlas.events) + [early], lang))
    band = root.find(".//svg:rect[@class='ca-tl-earlier']", NS)
    x0, width = float(band.get("x")), float(band.get("width"))
    x, _ = mark_xy(next(m for m in marks(root) if m.get("href") == "#event-early"))
    assert x0 < x < x0 + width
    assert "".join(t("earlier", lang).split()) in ["".join(s.split()) for s in texts(root)]
    spans = [p for p in root.iter("{http://www.w3.org/2000/svg}path") if "ca-sp" in (p.get("class") or "").split()]
    assert spans == [], "no span for a month in the compressed band"
    others = [mark_xy(m)[0] for m in marks(root) if m.get("href") != "#event-early"]
    assert all((o < x) if lang == "ar" else (o > x) for o in others)  # the band comes first in reading order


def test_empty():
    root = parse(timeline_svg([], "en"))
    assert marks(root) == [] and "2017" in texts(root)


# --- safety ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["ar", "en"])
def test_hostile_text_stays_text(fixture_atlas, lang):
    event = fixture_atlas.events[0]
    bad = event.model_copy(update={"title": Bilingual(ar=HOSTILE, en=HOSTILE), "id": "x\"><script>alert(1)</script>"})
    svg = timeline_svg([bad, *fixture_atlas.events[1:]], lang)
    for raw in ("<img", "</script>", "<script", "]]>", "<!--"):
        assert raw not in svg, raw
    assert "&lt;img src=x onerror=alert(1)&gt;&lt;/script&gt;]]&gt;&lt;!--" in svg
    assert 'href="#event-x&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"' in svg
    assert "&amp;amp;" in svg  # an entity in the data is shown, not interpreted
    mark = marks(parse(svg))[0]
    title = mark.find("svg:title", NS).text
    assert title == mark_title(bad, lang) and title.endswith(f"{FSI}{HOSTILE}{PDI}")  # the bidi controls isolated
    assert mark.get("href") == "#event-x\"><script>alert(1)</script>"


def test_imports_neither_plotly_nor_streamlit():
    tree = ast.parse(Path(svg_timeline.__file__).read_text(encoding="utf-8"))
    names = [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
    names += [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
    assert not [n for n in names if n.split(".")[0] in ("plotly", "streamlit")]


# --- scale ------------------------------------------------------------------------------------------

def test_ten_thousand_marks_are_light_and_quick(real_atlas, monkeypatch):
    """The SVG's own cost for 10,000 events (the slots stubbed: timeline.positions is the
    dashboard's, and its cost is its own): well under a second, under 300 bytes a mark."""
    base = list(real_atlas.events)
    events = [
        base[i % len(base)].model_copy(update={"id": f"e{i:05d}", "date": (dt.date(2017, 1, 1) + dt.timedelta(days=i % 1095)).isoformat()})
        for i in range(10_000)
    ]
    lane = lanes()
    monkeypatch.setattr(svg_timeline, "positions", lambda evs: {e.id: (dt.datetime.combine(e.start, dt.time()), lane[e.category]) for e in evs})
    for lang in ("ar", "en"):
        began = time.perf_counter()
        svg = timeline_svg(events, lang)
        took = time.perf_counter() - began
        size = len(svg.encode("utf-8"))
        print(f"10,000 marks ({lang}): {took * 1000:.0f} ms, {size / 1e6:.2f} MB")
        assert svg.count('<a class="ca-m ') == 10_000
        assert took < 3.0 and size < 10_000 * 300
