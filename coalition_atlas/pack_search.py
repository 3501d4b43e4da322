"""The briefing pack's own search: the same matching as the dashboard's (``search.py``), run by
the pack's script (``templates/pack/search.js``) over what the pack holds — its events, the
passages it quotes (Arabic, and the English translation where the record has one), its places
and its figures — offline, from ``file://``, with no network. The data reaches the page only
through ``|tojson`` (templates/pack/search.html); the script (pack/search.js) builds the results with DOM calls
(``textContent``), never from HTML strings. This module never imports streamlit.
"""

from __future__ import annotations

from .i18n import Lang, category_label, format_partial_date, t
from .i18n_find import FIND_STRINGS
from .load import Atlas
from .models import Event
from .render import figure_text, passage_label
from .search import AR_CLITICS, AR_PREFIXES, STOPWORDS, _translation, figure_words


def place_anchor(place_id: str) -> str:
    """The id of a place's line in the pack's list of places."""
    return f"place-{place_id}"


def search_data(atlas: Atlas, events: list[Event], passages: list[tuple[str, str]], places: list[str], lang: Lang) -> dict:
    """What the pack's script searches: items (kind, anchor, title, facts, fields: [name,
    language, text, weight]) and the words of the results' labels."""
    items = []
    for event in events:
        fields = [["title", "ar", event.title.ar, 3], ["title", "en", event.title.en, 3],
                  ["summary", "ar", event.summary.ar, 1.5], ["summary", "en", event.summary.en, 1.5]]
        for ref in event.sources:
            fields += [["quote", "ar", ref.quote, 2], ["translation", "en", ref.translation, 2]]
        for person in event.people:
            fields += [["people", "ar", person.ar, 2], ["people", "en", person.en, 2]]
        meta = f"{format_partial_date(event.date, lang)} · {category_label(event.category, lang)}"
        items.append({"k": "events", "a": f"event-{event.id}", "t": event.title.get(lang), "m": meta, "f": fields})
        for figure in event.figures:
            items.append({"k": "figures", "a": f"event-{event.id}", "t": event.title.get(lang), "m": meta, "f": [
                ["figure", "ar", figure_text(figure, "ar"), 2], ["figure", "en", figure_text(figure, "en"), 2],
                ["figure_words", "ar", figure_words(figure, "ar"), 2],
                ["figure_words", "en", figure_words(figure, "en"), 2],
            ]})
    for doc_id, passage_id in passages:
        doc = atlas.documents[doc_id]
        passage = doc.passage(passage_id)
        fields = [["text", "ar", passage.text, 1]]
        english = _translation(doc, passage_id)
        if english:
            fields.append(["translation", "en", english, 1])
        title = f"{doc.meta.title.get(lang)[:70]} — {passage_label(passage_id, lang)}"
        items.append({"k": "passages", "a": f"src-{doc_id}-{passage_id}", "t": title, "m": "", "f": fields})
    for pid in places:
        place = atlas.places[pid]
        fields = [["name", "ar", place.name_ar, 3], ["name", "en", place.name_en, 3]]
        for status in place.status:
            fields += [["status", "ar", status.quote, 1], ["status", "en", status.en, 1]]
        items.append({"k": "places", "a": place_anchor(pid), "t": place.name(lang), "m": "", "f": fields})
    words = {key: t(key, lang) for key in FIND_STRINGS if key.startswith(("search", "field_"))}
    return {
        "items": items,
        "words": words,
        "lang": lang,
        "prefixes": list(AR_PREFIXES),
        "clitics": list(AR_CLITICS),
        "stop": sorted(STOPWORDS),
    }


def pack_passages(atlas: Atlas, events: list[Event]) -> list[tuple[str, str]]:
    """The passages the pack prints (those its events and places cite), in document order."""
    from .maps import places_of

    keys = {(ref.doc, ref.paragraph) for event in events for ref in event.sources}
    keys |= {(s.doc, s.paragraph) for pid in places_of(events, atlas) for s in atlas.places[pid].status}
    return [(d.id, p.id) for d in atlas.documents.values() for p in d.passages if (d.id, p.id) in keys]
