"""The handout (handout.py): the current view in a few pages, one line per event with its
citation. Its printed page count is checked in Chromium (tests/e2e/test_handout_print.py)."""

from __future__ import annotations

import html
import re
import subprocess
import sys
from pathlib import Path

import pytest

from coalition_atlas.export import export_bytes, file_name
from coalition_atlas.filtering import filter_events
from coalition_atlas.handout import citation_line, handout_html, handout_map
from coalition_atlas.i18n import format_partial_date, t
from coalition_atlas.load import Atlas
from coalition_atlas.models import Bilingual
from coalition_atlas.viewstate import ViewState

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_every_event_of_the_view_has_one_line_with_its_citation(real_atlas, lang):
    out = handout_html(real_atlas, ViewState(lang=lang))
    lines = re.findall(r'<li id="event-([a-z0-9-]+)">(.*?)</li>', out, re.S)
    assert [i for i, _ in lines] == [e.id for e in sorted(real_atlas.events, key=lambda e: (e.start, e.end, e.id))]
    for event_id, line in lines:
        event = real_atlas.event(event_id)
        text = html.unescape(line)
        assert event.title.get(lang) in text and format_partial_date(event.date, lang) in text
        assert citation_line(event, real_atlas, lang) in text
    assert f'<html lang="{lang}" dir="{"rtl" if lang == "ar" else "ltr"}">' in out


def test_documents_figures_timeline_map_and_no_script(real_atlas):
    out = handout_html(real_atlas, ViewState(lang="en"))
    for doc in real_atlas.documents.values():
        assert html.escape(doc.meta.title.ar) in out and html.escape(doc.meta.title.en) in out
    figures = {(f.value, f.of.en) for e in real_atlas.events for f in e.figures}
    assert out.count('class="ho-figure"') == len(figures)
    assert len(re.findall(r'<a [^>]*href="#event-', out)) >= len(real_atlas.events)  # the timeline's marks lead to the lines
    assert 'class="ho-map-svg"' in out and out.count('class="ho-mark ') >= 10
    assert "<script" not in out and "Content-Security-Policy" in out
    assert not re.search(r"(?:src|href)=\"(?:https?:)?//", out), "nothing fetched"
    assert t("no_filters", "en") in out


def test_the_view_filters_and_says_so(real_atlas):
    state = ViewState(lang="en", countries=("LBY",))
    shown = filter_events(real_atlas.events, state)
    out = handout_html(real_atlas, state)
    assert out.count('<li id="event-') == len(shown) and "Libya" in out
    assert t("events_shown", "en", n=len(shown), total=len(real_atlas.events)) in out
    marks = handout_map(real_atlas, shown, "en").marks
    assert {m.name for m in marks} <= {real_atlas.places[p].name_en for e in shown for p in e.places}
    empty = handout_html(real_atlas, ViewState(lang="en", countries=("LBY",), categories=("messaging",)))
    assert t("no_events", "en") in empty and "ho-map-svg" not in empty


def test_map_names_do_not_overlap(real_atlas):
    for lang in ("ar", "en"):
        drawn = handout_map(real_atlas, list(real_atlas.events), lang)
        assert any(m.label for m in drawn.marks) and drawn.land
        for m in drawn.marks:
            assert 0 <= m.x <= drawn.width and 0 <= m.y <= drawn.height


def test_hostile_text_is_escaped(real_atlas):
    bad = '<img src=x onerror=alert(1)>"'
    event = real_atlas.events[0]
    hostile = event.model_copy(update={"title": Bilingual.model_construct(ar=bad, en=bad)})
    atlas = Atlas((hostile, *real_atlas.events[1:]), real_atlas.places, real_atlas.documents, 0)
    out = handout_html(atlas, ViewState(lang="en"))
    assert "<img src=x" not in out and "&lt;img src=x onerror=alert(1)&gt;" in out


def test_download_and_command_line(real_atlas, tmp_path):
    state = ViewState(lang="en", countries=("IRQ",))
    data = export_bytes(real_atlas, state, "handout")
    assert data.startswith(b"<!DOCTYPE html>") and file_name("handout", state) == "coalition-atlas-handout-en.html"
    target = tmp_path / "h.html"
    run = subprocess.run(
        [sys.executable, "-m", "coalition_atlas", "export", "--format", "handout", "--lang", "en", "--country", "IRQ",
         "-o", str(target)], cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    assert run.returncode == 0, run.stderr
    assert "handout" in run.stdout and target.read_bytes().count(b'<li id="event-') == len(filter_events(real_atlas.events, state))
