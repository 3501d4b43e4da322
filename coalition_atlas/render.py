"""What an event, a document and a figure show, and the HTML the dashboard draws them with.

Pages hand these strings to ``st.markdown(..., unsafe_allow_html=True)`` (or ``st.html``), so
nothing from events.yaml may reach them unescaped: the event is the ``_event.html`` template
(autoescaped, the same one the pack uses); the rest uses ``escaping.esc``; URL parameters go
through ``urlencode``.

Figures are said aloud (``figures.figure_value``: Babel, units always); citations name the
document and paragraph in words (``cite_words``), never by id; the templates isolate every run
that mixes Arabic with Latin letters or digits (a date, a figure, a name, a citation) in
``<bdi>``.
"""

from __future__ import annotations

from urllib.parse import urlencode

from .escaping import esc, md  # noqa: F401  (the pages' names for the one escaping policy)
from .figures import figure_value
from .i18n import Lang, category_label, dating_label, direction, format_day, format_partial_date, isolate, join_list, t
from .load import Atlas, country_name
from .models import Event, Figure
from .templating import render


def source_href(doc: str, passage: str, event: str | None = None, lang: Lang = "ar", page: str = "sources") -> str:
    """A relative link to a passage on the Sources page (the event's words highlighted)."""
    params = {"doc": doc, "p": passage}
    if event:
        params["event"] = event
    if lang != "ar":
        params["lang"] = lang
    return f"{page}?{urlencode(params)}"


def passage_label(passage: str, lang: Lang) -> str:
    if passage in ("title", "headline", "lead", "caption"):
        return t("headline" if passage == "title" else passage, lang)
    return f"{t('paragraph', lang)} {passage}"


def figure_text(figure: Figure, lang: Lang | None) -> str:
    """A figure as a reader reads it ("more than 60% — of the territory"), or, with no
    ``lang``, in the record's own words for the exports: ``more-than 60 percent «…» — …``
    (the value as written, no rounding)."""
    value = figure.value
    if lang is None:  # the record's own words, for the exports
        if figure.words is not None:  # words, not a number: «عشرات الآلاف» tens of thousands
            exact: object = f"«{isolate(figure.words.ar)}» {figure.words.en}"
        elif figure.fraction:
            exact = "/".join(map(str, figure.fraction))  # 1/3, not 0.333…
        else:
            exact = int(value) if float(value).is_integer() else value  # 2000000000, not 2e+09
        return f"{figure.qualifier} {exact} {figure.unit} «{isolate(figure.of.ar)}» — {figure.of.en}"  # Arabic isolated
    return f"{figure_value(figure, lang)} — {figure.of.get(lang)}"  # said aloud: Babel, with its unit


def doc_short(atlas: Atlas, doc: str, lang: Lang) -> str:
    """A document in a few words: "Statement · 22 March 2017" (its title is a sentence)."""
    found = atlas.documents.get(doc)
    return f"{t(found.meta.kind, lang)} · {format_day(found.meta.date, lang)}" if found else doc


def doc_title(atlas: Atlas, doc: str, lang: Lang) -> str:
    found = atlas.documents.get(doc)
    return found.meta.title.get(lang) if found else doc


def doc_name(atlas: Atlas, doc: str, lang: Lang) -> str:
    """A document in two words a reader can say: «بيان واشنطن», "Washington statement"."""
    found = atlas.documents.get(doc)
    if found is None:
        return doc
    place = atlas.places.get(found.meta.place)
    where = place.name(lang).split(",")[0] if place else ""
    return t(f"doc_{found.meta.kind}", lang, place=where).strip()


def cite_words(atlas: Atlas, doc: str, passage: str, lang: Lang) -> str:
    """Document and paragraph in words: «بيان واشنطن، الفقرة 2», "Washington statement, ¶ 2"."""
    if passage in ("title", "headline", "lead", "caption"):
        where = t("headline" if passage == "title" else passage, lang)
    else:
        where = t("cite_paragraph", lang, n=passage)
    return f"{doc_name(atlas, doc, lang)}{'، ' if lang == 'ar' else ', '}{where}"


def in_file_id(doc: str, passage: str) -> str:
    """A cited passage's element id inside one file (the briefing pack)."""
    return f"src-{doc}-{passage}"


def citation(atlas: Atlas, doc: str, paragraph: str, lang: Lang, *, event: str | None = None, in_file: bool = False) -> dict:
    """What the citation line under a quote says: the document and passage, and where "Read in
    the source" leads — the passage in the same file (``in_file``: the pack) or on the Sources
    page (the event's words highlighted)."""
    where = cite_words(atlas, doc, paragraph, lang)
    if in_file:
        return {"in_file": True, "where": where, "title": doc_title(atlas, doc, lang),
                "href": "#" + in_file_id(doc, paragraph), "read": t("read_in_source", lang)}
    return {"in_file": False, "where": where, "title": doc_title(atlas, doc, lang),
            "href": source_href(doc, paragraph, event, lang), "read": t("read_in_source", lang)}


def event_facts(event: Event, atlas: Atlas, lang: Lang, *, unknown_places: bool = False) -> list[tuple[str, str]]:
    """The event's facts as (label, text) rows: countries, places, people, figures. A place the
    gazetteer lacks is left out, or shown by its id (``unknown_places``, the pack)."""
    facts = []
    if event.countries:
        facts.append((t("countries", lang), join_list((country_name(c, lang) for c in event.countries), lang)))
    if event.places:
        names = [atlas.places[p].name(lang) if p in atlas.places else p for p in event.places if unknown_places or p in atlas.places]
        facts.append((t("places", lang), join_list(names, lang)))
    if event.people:
        facts.append((t("people", lang), join_list((p.get(lang) for p in event.people), lang)))
    for figure in event.figures:
        facts.append((t("figures", lang), figure_text(figure, lang)))
    return facts


def event_card(event: Event, atlas: Atlas, lang: Lang, *, in_file: bool = False) -> dict:
    """What ``_event.html`` draws for one event: title, when, summary, facts, every quote with
    its citation (``in_file``: as an ``<article>`` of the pack, citing its passages there)."""
    return {
        "in_file": in_file,
        "id": event.id,
        "category": event.category,
        "dir": direction(lang),
        "lang": lang,
        "title": event.title.get(lang),
        "meta": [format_partial_date(event.date, lang), dating_label(event.dating, lang), category_label(event.category, lang)],
        "summary": event.summary.get(lang),
        "facts": event_facts(event, atlas, lang, unknown_places=in_file),
        "quotes": [
            {"quote": ref.quote, "translation": ref.translation,
             "cite": citation(atlas, ref.doc, ref.paragraph, lang, event=event.id, in_file=in_file)}
            for ref in event.sources
        ],
    }


def event_detail_html(event: Event, atlas: Atlas, lang: Lang, level: int = 4) -> str:
    """The whole of an event: summary, when, where, who, figures, and every quote with its link
    (the one event template, ``_event.html``). ``level``: its title's heading level, one below
    the page's heading above it (no level skipped, for screen readers' heading lists)."""
    return render("event.html", card=event_card(event, atlas, lang), level=level)


def document_card_html(doc, atlas: Atlas, lang: Lang) -> str:
    """One source document in brief: title, kind, date, place."""
    meta = doc.meta
    place = atlas.places.get(meta.place)
    bits = [t(meta.kind, lang), format_day(meta.date, lang)] + ([place.name(lang)] if place else [])
    return render(
        "document_card.html", dir=direction(lang), lang=lang, title_ar=meta.title.ar,
        title_en=meta.title.en if lang == "en" else "", bits=bits,
        href=source_href(doc.id, doc.passages[0].id, lang=lang), read=t("read_in_source", lang),
    )


def figures_html(atlas: Atlas, lang: Lang) -> str:
    """Every figure the documents state, with its event, citation and a link to the passage;
    each once (events that repeat a figure from the same passage add no card)."""
    cards, seen = [], set()
    for event in atlas.events:
        for figure in event.figures:
            ref = event.sources[0]
            stated = (figure.value, figure.words.en if figure.words else None, figure.unit, figure.qualifier, figure.of.en, ref.doc, ref.paragraph)
            if stated in seen:
                continue
            seen.add(stated)
            cards.append(
                {
                    "value": figure_value(figure, lang), "of": figure.of.get(lang),
                    "date": format_partial_date(event.date, lang), "where": cite_words(atlas, ref.doc, ref.paragraph, lang),
                    "href": source_href(ref.doc, ref.paragraph, event.id, lang),
                }
            )
    return render("figures.html", dir=direction(lang), lang=lang, cards=cards)
