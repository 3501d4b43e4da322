"""Every page with hostile links and hostile records (issue 13), in AppTest.

* Markdown, autolink, image, KaTeX and colour payloads in every URL parameter (known and
  unknown) and in every free text field the pages show (titles, summaries, people, figures,
  place names, tour titles and notes): every element that Streamlit renders as Markdown
  (toasts, banners, headers, captions, expander and radio labels, ``st.markdown``) carries them
  escaped, every HTML element carries them as text in one HTML block, and no URL text is echoed.
  (What the browser then shows, literally and loading nothing: tests/e2e/test_hostile_record.py.)
* Structure-aware mutations of the real events.yaml, places.geojson and tours.yaml
  (tests/test_hardened.py's strategy) never raise in the app: a banner with located problems,
  or the pages.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from coalition_atlas import tours
from coalition_atlas.gazetteer import PLACES_PATH
from coalition_atlas.viewstate import KNOWN
from conftest import RECORD
from test_hardened import mutated

ROOT = Path(__file__).resolve().parents[1]
EVIL = "evil.example"
PAYLOADS = [
    f"![x](https://{EVIL}/r.png)",
    f"[Session expired - log in](https://{EVIL}/login)",
    f"https://{EVIL}/auto www.{EVIL} mail@{EVIL}",
    "$\\color{red}{KaTeX}$ $$x^2$$",
    ":red[red] :blue-background[bg] :material/home: :smile:",
    f"<img src=https://{EVIL}/i.png> **bold** `code` # head",
    f"line\n\n![y](https://{EVIL}/y.png)",
]
PAYLOAD = " ".join(PAYLOADS)
PAGES = ["overview", "timeline", "map", "sources", "presenter"]


def _forget() -> None:
    """Empty the app's module-level memos of records and tours: they are keyed by path and
    modification time, which a swapped gazetteer or tours file does not change."""
    from pages import _cached, _ui

    _ui._load.cache_clear()
    _cached.walks.cache_clear()


@pytest.fixture(autouse=True)
def _fresh_memos():
    _forget()
    yield
    _forget()


def _yaml(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


@pytest.fixture
def hostile(tmp_path, monkeypatch):
    """The fixture record, gazetteer and a tour with payloads in every free text field."""
    from pages import _ui

    text = RECORD.replace("id: paris-meeting", "id: payload-meeting")
    for old in ('"The Paris meeting"', '"اجتماع باريس"', '"The political directors met in Paris."',
                '"Jean-Yves Le Drian"', '"Iraqi land Daesh held"'):
        assert old in text, old
        text = text.replace(old, _yaml(PAYLOAD), 1)
    events = tmp_path / "events.yaml"
    events.write_text(text, "utf-8")
    gazetteer = json.loads(PLACES_PATH.read_text("utf-8"))
    for feature in gazetteer["features"]:
        if feature["properties"]["id"] in ("mosul", "paris", "brussels"):
            feature["properties"]["name_en"] = PAYLOAD
            feature["properties"]["name_ar"] = PAYLOAD
    places = tmp_path / "places.geojson"
    places.write_text(json.dumps(gazetteer, ensure_ascii=False), "utf-8")
    walk = tmp_path / "tours.yaml"
    walk.write_text(
        "tours:\n  - id: payload-tour\n    title: {ar: %s, en: %s}\n    steps:\n"
        "      - {event: payload-meeting, note: {ar: %s, en: %s}}\n      - {event: iraq-60-percent-retaken}\n"
        % ((_yaml(PAYLOAD),) * 4), "utf-8")
    monkeypatch.setattr(_ui, "EVENTS_PATH", events)
    monkeypatch.setenv("COALITION_ATLAS_PLACES", str(places))
    load = tours.load_tours
    monkeypatch.setattr(tours, "load_tours", lambda ids, path=None: load(ids, walk))
    return tmp_path


def _open(page: str, **params: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    for key, value in params.items():
        at.query_params[key] = value
    at.switch_page(f"pages/{page}.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _markdown_texts(at: AppTest) -> list[str]:
    """Every string of the page that Streamlit renders as Markdown."""
    out = []
    for kind in ("title", "header", "subheader", "caption", "toast", "error", "warning", "info", "success"):
        out += [e.value for e in getattr(at, kind)]
    out += [m.value for m in at.markdown if not m.proto.allow_html]
    out += [e.label for e in at.expander]
    for radio in at.radio:
        out += [radio.label, *radio.options]
    out += [b.label for b in at.button]
    return out


def _html_texts(at: AppTest) -> list[str]:
    out = [m.value for m in at.markdown if m.proto.allow_html]
    out += [e.proto.body for e in at.get("html")]
    return out


_LIVE = ("](", "://", "www.", "@", "$", "<", ":red[", ":blue", ":material", ":smile", "`", "![")  # the app's own **bold** aside


def _check(at: AppTest, where: str) -> int:
    """How many elements carried a payload; fails on any that carries one live."""
    seen = 0
    for text in _markdown_texts(at):
        if "evil" not in text and "KaTeX" not in text:  # (escaped, the domain reads evil\.example)
            continue
        seen += 1
        live = re.sub(r"\\.", "", text)  # what is left once every escaped sign is taken out
        assert not [s for s in _LIVE if s in live], (where, text[:300])
        shown = re.sub(r"\\(.)", r"\1", text)  # GFM finds autolinks after escapes are decoded
        assert "://" not in shown and "www." not in shown and not re.search(r"\w@\w", shown), (where, text[:300])
        assert "\n\n" not in text.split("KaTeX")[0][-200:] or "\\" in text, (where, text[:300])
    for text in _html_texts(at):
        if EVIL not in text:
            continue
        seen += 1
        assert f"<img src=https://{EVIL}" not in text and f'href="https://{EVIL}' not in text, (where, text[:300])
        assert "\n\n" not in text, (where, "a blank line would end the HTML block")  # the rest stays HTML
    for chart in at.get("plotly_chart"):
        assert f"<img src=https://{EVIL}" not in chart.proto.spec, where
    return seen


@pytest.mark.parametrize("page", PAGES)
def test_payloads_in_every_url_parameter_are_never_echoed(hostile, page):
    url = PAYLOAD.replace(EVIL, "url.evil.example") + " urlmark"
    params = {key: url for key in KNOWN} | {url: url, "[x](https://url.evil.example)": "1"}
    at = _open(page, **params)
    _check(at, page)
    assert at.toast, "a notice says parameters were ignored"
    # never in a Markdown sink (toasts, banners, labels); an HTML sink may say it back (the search's
    # "no results for «…»"), escaped for HTML and checked by _check above
    shown = _markdown_texts(at)
    assert not [t for t in shown if "urlmark" in t or "url.evil" in t or "url\\.evil" in t], "a URL's text is never echoed"


@pytest.mark.parametrize(
    "page, params",
    [
        ("overview", {"lang": "en", "event": "payload-meeting"}),
        ("overview", {"lang": "ar", "place": "paris"}),
        ("timeline", {"lang": "en", "event": "payload-meeting"}),
        ("map", {"lang": "en", "place": "paris", "event": "payload-meeting"}),
        ("map", {"lang": "ar", "place": "mosul"}),
        ("sources", {"lang": "en", "doc": "paris-2019", "p": "1", "event": "payload-meeting"}),
        ("presenter", {"lang": "en", "tour": "payload-tour", "step": "1"}),
        ("presenter", {"lang": "ar", "tour": "no-such-tour", "step": "9"}),  # the fallback's toast names the title
    ],
)
def test_payloads_in_the_record_reach_every_sink_escaped(hostile, page, params):
    at = _open(page, **params)
    assert _check(at, f"{page} {params}") > 0, "the page shows the payloads somewhere"


def test_payloads_in_a_broken_record_reach_the_banner_escaped(hostile):
    from pages import _ui

    broken = _ui.EVENTS_PATH.read_text("utf-8").replace("category: diplomacy", "category: " + _yaml(PAYLOAD), 1)
    _ui.EVENTS_PATH.write_text(broken, "utf-8")
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    at.run()
    assert not at.exception and at.error
    assert _check(at, "banner") > 0


# --- mutated files in the app --------------------------------------------------------------------

APP_FUZZ = settings(max_examples=4, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                           HealthCheck.data_too_large, HealthCheck.large_base_example])


@pytest.mark.parametrize("kind", ["events", "places", "tours"])
@APP_FUZZ
@given(data=st.data())
def test_mutated_files_never_raise_in_the_app(kind, data, tmp_path, monkeypatch):
    from pages import _ui

    _forget()  # each example: its own file behind the same keys
    text = data.draw(mutated(kind))
    path = tmp_path / f"{kind}.{'geojson' if kind == 'places' else 'yaml'}"
    path.write_text(text, "utf-8")
    if kind == "events":
        monkeypatch.setattr(_ui, "EVENTS_PATH", path)
    elif kind == "places":
        monkeypatch.setenv("COALITION_ATLAS_PLACES", str(path))
    else:
        load = tours.load_tours
        monkeypatch.setattr(tours, "load_tours", lambda ids, p=None: load(ids, path))
    page = {"events": "map", "places": "map", "tours": "presenter"}[kind]
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    at.query_params["lang"] = "en"
    at.switch_page(f"pages/{page}.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    for banner in at.error:  # a refused file: located problems, never a traceback
        assert re.search(r"\w+\\?\.(yaml|geojson)\\?:\d+\\?:\d+", banner.value) and "Traceback" not in banner.value

