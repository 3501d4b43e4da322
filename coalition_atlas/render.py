"""HTML for events and links to their passages. Every text from the data is escaped here.

Pages hand these strings to ``st.markdown(..., unsafe_allow_html=True)`` (or a map popup), so
nothing from events.yaml may reach them unescaped: the Jinja2 templates
(``templates/event_detail.html``, ``figures.html``, ``document_card.html``) autoescape element
text and attribute values, ``esc`` does the same for the few strings still built here, and
``urlencode`` the URL parameters.

Citations name the document and paragraph in words (``citation``), never by id; every run
that mixes Arabic with Latin letters or digits (a date, a figure, a name, a citation) sits in
its own ``<bdi>``.
"""

from __future__ import annotations

import html
import re
from urllib.parse import urlencode

from .figures import figure_value
from .i18n import Lang, category_label, dating_label, direction, format_day, format_partial_date, t
from .load import Atlas, country_name
from .models import Event, Figure
from .templating import render


def esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def md(text: object) -> str:
    """Text for Streamlit Markdown (labels, ``st.markdown``) taken literally: Markdown
    punctuation, ``$`` (LaTeX) and ``:`` (``:red[…]``, ``:material/…:``) backslash-escaped."""
    return re.sub(r"([\\`*_{}\[\]()#+\-.!|<>~$:])", r"\\\1", str(text))


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


def doc_name(atlas: Atlas, doc: str, lang: Lang) -> str:
    """A document in two words a reader can say: «بيان واشنطن», "Washington statement"."""
    found = atlas.documents.get(doc)
    if found is None:
        return doc
    place = atlas.places.get(found.meta.place)
    where = place.name(lang).split(",")[0] if place else ""
    return t(f"doc_{found.meta.kind}", lang, place=where).strip()


def citation(atlas: Atlas, doc: str, passage: str, lang: Lang) -> str:
    """Document and paragraph in words: «بيان واشنطن، الفقرة 2», "Washington statement, ¶ 2"."""
    if passage in ("title", "headline", "lead", "caption"):
        where = t("headline" if passage == "title" else passage, lang)
    else:
        where = t("cite_paragraph", lang, n=passage)
    return f"{doc_name(atlas, doc, lang)}{'، ' if lang == 'ar' else ', '}{where}"


def figure_text(figure: Figure, lang: Lang) -> str:
    """The figure said in full: "more than 4 years — military and civilian action …"."""
    return f"{figure_value(figure, lang)} — {figure.of.get(lang)}"


def _sep(lang: Lang) -> str:
    return "، " if lang == "ar" else ", "


def event_detail_html(event: Event, atlas: Atlas, lang: Lang) -> str:
    """The whole of an event: summary, when, where, who, figures, and every quote with its link."""
    facts = []
    if event.countries:
        facts.append((t("countries", lang), [country_name(c, lang) for c in event.countries]))
    if event.places:
        facts.append((t("places", lang), [atlas.places[p].name(lang) for p in event.places if p in atlas.places]))
    if event.people:
        facts.append((t("people", lang), [p.get(lang) for p in event.people]))
    if event.figures:
        facts.append((t("figures", lang), [figure_text(f, lang) for f in event.figures]))
    quotes = [
        {
            "ar": ref.quote, "en": ref.translation, "where": citation(atlas, ref.doc, ref.paragraph, lang),
            "href": source_href(ref.doc, ref.paragraph, event.id, lang),
        }
        for ref in event.sources
    ]
    return render(
        "event_detail.html", dir=direction(lang), lang=lang, id=event.id, title=event.title.get(lang),
        date=format_partial_date(event.date, lang), dating=dating_label(event.dating, lang),
        category=category_label(event.category, lang), summary=event.summary.get(lang), facts=facts,
        sep=_sep(lang), quotes=quotes, read=t("read_in_source", lang),
    )


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
            stated = (figure.value, figure.unit, figure.qualifier, figure.of.en, ref.doc, ref.paragraph)
            if stated in seen:
                continue
            seen.add(stated)
            cards.append(
                {
                    "value": figure_value(figure, lang), "of": figure.of.get(lang),
                    "date": format_partial_date(event.date, lang), "where": citation(atlas, ref.doc, ref.paragraph, lang),
                    "href": source_href(ref.doc, ref.paragraph, event.id, lang),
                }
            )
    return render("figures.html", dir=direction(lang), lang=lang, cards=cards)
