"""The Sources page, run headless through Streamlit's AppTest from the real entry point."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from coalition_atlas.i18n import t
from coalition_atlas.load import load_atlas
from coalition_atlas.passages import citations
from conftest import open_page


@pytest.fixture(scope="module")
def record():
    return load_atlas()


def sources_page(**params: str) -> AppTest:
    return open_page("sources", **params)


def markdown(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


def scripts(at: AppTest) -> list[str]:
    """The page's scroll markers and their script (static/js/scroll_to.js: a file, as the
    deployment's CSP runs no inline script); not the language marker nor the touch script."""
    return [h.value for h in at.html if "<script" in h.value and "scroll_to.js" in h.value]


def test_passage_event_highlight_and_scroll(record):
    event_id = citations(record)[("washington-2017", "5")][0][0]
    at = sources_page(doc="washington-2017", p="5", event=event_id)
    body = markdown(at)
    assert '<mark class="ca-hl">' in body
    assert 'id="p-washington-2017-5"' in body and "ca-passage ca-target" in body
    assert f'id="event-{event_id}"' in body  # the event's detail on top
    assert f"timeline?event={event_id}" in body  # and the way back
    assert at.radio(key="sources_doc").value == "washington-2017"
    (script,) = scripts(at)
    assert 'data-target="p-washington-2017-5"' in script
    assert at.query_params["doc"] == "washington-2017" and at.query_params["p"] == "5"


def test_every_passage_of_the_document_is_on_the_page(record):
    at = sources_page(doc="paris-2019")
    body = markdown(at)
    for passage in record.documents["paris-2019"].passages:
        assert f'id="p-paris-2019-{passage.id}"' in body
    assert "<mark" not in body and not scripts(at)
    assert "http" not in body.replace('href="sources?', "").replace('href="timeline?', "")


@pytest.mark.parametrize(
    "params",
    [{"doc": "nope"}, {"doc": "washington-2017", "p": "999"}, {"p": "5"}, {"event": "nope", "doc": "paris-2019"}],
)
def test_bad_parameters_fall_back_quietly(record, params):
    at = sources_page(**params)
    expected = params["doc"] if params.get("doc") in record.documents else next(iter(record.documents))
    assert at.radio(key="sources_doc").value == expected
    assert not scripts(at)  # no passage to scroll to
    assert "<mark" not in markdown(at)


def test_an_event_alone_opens_the_passage_it_quotes(record):
    event = record.events[-1]
    at = sources_page(event=event.id)
    ref = event.sources[0]
    assert at.radio(key="sources_doc").value == ref.doc
    assert f'"p-{ref.doc}-{ref.paragraph}"' in scripts(at)[0]
    assert '<mark class="ca-hl">' in markdown(at)


def test_english(record):
    at = sources_page(lang="en", doc="washington-2017")
    body = markdown(at)
    assert at.title[0].value == t("sources", "en")
    assert t("no_web_address", "en") in body and "Paragraph 5" in body
    assert 'id="p-washington-2017-5"' in body
    assert '<p class="ca-ptext" dir="rtl" lang="ar">' in body  # the document stays right to left
    assert "&amp;lang=en" in body


def test_choosing_another_document_is_kept_in_the_url(record):
    at = sources_page(doc="washington-2017", p="5")
    at.radio(key="sources_doc").set_value("paris-2019").run()
    assert not at.exception
    assert at.query_params["doc"] == "paris-2019" and "p" not in at.query_params
    assert 'id="p-paris-2019-1"' in markdown(at) and not scripts(at)
