"""The Presenter page, run headless through Streamlit's AppTest from the real entry point.

The buttons are what the keys press (each has its shortcut: → ← PageDown PageUp Home End);
the step follows in the URL. AppTest does not run components: the map is checked in the
browser (tests/e2e/test_presenter.py) and in tests/test_tours.py.
"""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from coalition_atlas.filtering import filter_events
from coalition_atlas.i18n import t
from coalition_atlas.load import load_atlas
from coalition_atlas.viewstate import ViewState
from conftest import open_page, param


@pytest.fixture(scope="module")
def record():
    return load_atlas()


def presenter(**params: str) -> AppTest:
    return open_page("presenter", **params)


def counter(at: AppTest) -> str:
    (found,) = [m.value for m in at.markdown if '<p class="ca-p-counter"' in m.value]
    return found.rsplit(">", 2)[-2].split("<")[0]


def step_event(at: AppTest) -> str:
    (found,) = [m.value for m in at.markdown if 'class="ca-p-step' in m.value]
    return found.split('data-event="')[1].split('"')[0]


def press(at: AppTest, key: str) -> AppTest:
    at.button(key=key).click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_the_step_in_the_url_is_shown(record):
    at = presenter(tour="mosul-to-last-territory", step="3")
    assert counter(at) == "3 / 12"
    assert step_event(at) == "syrian-partners-expel-daesh-from-a-third"
    step = next(m.value for m in at.markdown if 'class="ca-p-step' in m.value)
    assert record.event("syrian-partners-expel-daesh-from-a-third").title.ar in step
    assert "حتى ذلك التاريخ" in step and "الرقة" in step  # dating and place, in Arabic
    assert (param(at, "tour"), param(at, "step")) == ("mosul-to-last-territory", "3")
    assert at.selectbox(key="presenter_tour").value == "mosul-to-last-territory"
    assert not at.toast


def test_buttons_move_the_step_and_the_url_follows():
    at = presenter(tour="mosul-to-last-territory", step="3")
    assert (param(press(at, "ca_next"), "step"), counter(at)) == ("4", "4 / 12")
    assert (param(press(at, "ca_prev"), "step"), counter(at)) == ("3", "3 / 12")
    assert (param(press(at, "ca_pgdn"), "step"), counter(at)) == ("4", "4 / 12")  # what a clicker's PageDown presses
    assert (param(press(at, "ca_pgup"), "step"), counter(at)) == ("3", "3 / 12")
    assert (param(press(at, "ca_last"), "step"), step_event(at)) == ("12", "deadly-attacks-continue-rising-in-syria")
    assert at.button(key="ca_next").disabled and at.button(key="ca_last").disabled
    assert (param(press(at, "ca_first"), "step"), step_event(at)) == ("1", "decisive-gains-against-daesh")
    assert at.button(key="ca_prev").disabled and at.button(key="ca_first").disabled
    assert not at.button(key="ca_next").disabled
    assert param(at, "tour") == "mosul-to-last-territory"


def test_the_buttons_carry_the_keyboard_shortcuts():
    at = presenter(tour="mosul-to-last-territory", step="2")
    shortcuts = {b.key: b.proto.shortcut for b in at.button if b.key.startswith("ca_") and b.key != "ca_lang"}
    assert shortcuts == {
        "ca_first": "home", "ca_prev": "left", "ca_next": "right", "ca_last": "end", "ca_pgdn": "pagedown", "ca_pgup": "pageup",
    }


def test_out_of_range_step_is_clamped_with_a_notice():
    at = presenter(tour="mosul-to-last-territory", step="40", lang="en")
    assert counter(at) == "12 / 12" and param(at, "step") == "12"
    assert [toast.value for toast in at.toast] == ["There is no step 40 in this tour (it has 12); showing step 12."]
    at = presenter(tour="mosul-to-last-territory", step="0")
    assert counter(at) == "1 / 12" and param(at, "step") == "1"


def test_unknown_tour_and_bad_step_fall_back(record):
    at = presenter(tour="no-such-tour", step="7")
    assert counter(at) == f"1 / {len(record.events)}"
    assert (param(at, "tour"), param(at, "step")) == ("chronological", "1")
    # the notice names the fallback, never the URL's text (a toast is Markdown)
    assert [toast.value for toast in at.toast] == ["لا جولة بالاسم الوارد في الرابط؛ تُعرض جولة «كل الأحداث بترتيب التاريخ»."]
    at = presenter(tour="chronological", step="abc")  # not a number: the view state drops it
    assert counter(at) == f"1 / {len(record.events)}" and param(at, "step") == "1"


def test_english(record):
    at = presenter(tour="mosul-to-last-territory", step="7", lang="en")
    assert at.button(key="ca_next").label == "Next" and at.button(key="ca_prev").label == "Previous"
    assert at.button(key="ca_lang").label == "العربية"
    assert t("presenter_keys", "en") == at.button(key="ca_next").help
    step = next(m.value for m in at.markdown if 'class="ca-p-step' in m.value)
    assert record.event("final-liberation-declared").title.en in step and "23 March 2019 · on that date" in step
    assert "Two years later" in step
    assert any("This event names no place on the map." in m.value for m in at.markdown)
    assert param(at, "lang") == "en"


def test_switching_the_language_keeps_the_step():
    at = presenter(tour="mosul-to-last-territory", step="5", lang="en")
    press(at, "ca_lang")
    assert param(at, "lang") is None and param(at, "step") == "5" and counter(at) == "5 / 12"
    assert at.button(key="ca_next").label == t("next_step", "ar")
    press(at, "ca_lang")
    assert param(at, "lang") == "en" and counter(at) == "5 / 12"


def test_choosing_a_tour_starts_it_at_step_one():
    at = presenter(tour="chronological", step="9")
    at.selectbox(key="presenter_tour").set_value("mosul-to-last-territory").run()
    assert not at.exception
    assert (param(at, "tour"), param(at, "step"), counter(at)) == ("mosul-to-last-territory", "1", "1 / 12")


def test_current_filters_tour(record):
    at = presenter(tour="current-filters", country="LBY", step="2", lang="en")
    libya = filter_events(record.events, ViewState(countries=("LBY",)))
    assert counter(at) == f"2 / {len(libya)}"
    assert at.selectbox(key="presenter_tour").value == "current-filters"
    assert param(at, "country") == "LBY"
    nothing = presenter(tour="current-filters", country="LBY", category="messaging")  # no such event
    assert any(t("no_events", "ar") in i.value for i in nothing.info)
