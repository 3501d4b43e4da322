"""HTML for events and links to their passages. Every text from the data is escaped here.

Pages hand these strings to ``st.markdown(..., unsafe_allow_html=True)`` (or a map popup), so
nothing from events.yaml may reach them unescaped: ``esc`` for element text and attribute
values (quotes escaped too), ``urlencode`` for URL parameters.
"""

from __future__ import annotations

import html
import re
from urllib.parse import urlencode

from .i18n import Lang, category_label, dating_label, direction, format_partial_date, t
from .load import Atlas, country_name
from .models import Event, Figure


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


def figure_text(figure: Figure, lang: Lang) -> str:
    value = figure.value
    number = f"{value:,.0f}" if value >= 100 else f"{value:g}"
    if figure.unit == "fraction":
        number = {0.5: "½", 0.333: "⅓", 0.3333: "⅓"}.get(round(value, 4), f"{value:g}")
    unit = {
        "percent": "%",
        "usd": " USD" if lang == "en" else " دولار",
        "km2": " km²" if lang == "en" else " كم²",
    }.get(figure.unit, "")
    qualifier = {
        "more-than": ("أكثر من ", "more than "),
        "at-least": ("ما لا يقل عن ", "at least "),
        "about": ("حوالي ", "about "),
    }.get(figure.qualifier, ("", ""))
    prefix = qualifier[0] if lang == "ar" else qualifier[1]
    return f"{prefix}{number}{unit} — {figure.of.get(lang)}"


def event_detail_html(event: Event, atlas: Atlas, lang: Lang, level: int = 4) -> str:
    """The whole of an event: summary, when, where, who, figures, and every quote with its link.
    ``level``: its title's heading level, one below the page's heading above it (no level
    skipped, for screen readers' heading lists)."""
    d = direction(lang)
    rows = [
        f'<div class="ca-event" dir="{d}" lang="{lang}" id="event-{esc(event.id)}">',
        f"<h{level}>{esc(event.title.get(lang))}</h{level}>",
        f'<p class="ca-meta">{esc(format_partial_date(event.date, lang))} · '
        f"{esc(dating_label(event.dating, lang))} · {esc(category_label(event.category, lang))}</p>",
        f"<p>{esc(event.summary.get(lang))}</p>",
    ]
    facts = []
    if event.countries:
        facts.append((t("countries", lang), "، ".join(country_name(c, lang) for c in event.countries) if lang == "ar" else ", ".join(country_name(c, lang) for c in event.countries)))
    if event.places:
        names = [atlas.places[p].name(lang) for p in event.places if p in atlas.places]
        facts.append((t("places", lang), ("، " if lang == "ar" else ", ").join(names)))
    if event.people:
        facts.append((t("people", lang), ("، " if lang == "ar" else ", ").join(p.get(lang) for p in event.people)))
    for figure in event.figures:
        facts.append((t("figures", lang), figure_text(figure, lang)))
    if facts:
        rows.append("<dl>" + "".join(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in facts) + "</dl>")
    for ref in event.sources:
        doc = atlas.documents[ref.doc]
        where = f"{doc.meta.title.get(lang)} — {passage_label(ref.paragraph, lang)}"
        rows.append(
            '<blockquote class="ca-quote">'
            f'<p dir="rtl" lang="ar" class="ca-ar">«{esc(ref.quote)}»</p>'
            f'<p dir="ltr" lang="en" class="ca-en">“{esc(ref.translation)}”</p>'
            f'<p class="ca-cite"><a href="{esc(source_href(ref.doc, ref.paragraph, event.id, lang))}" target="_self">'
            f"{esc(t('read_in_source', lang))}</a> · {esc(where)}</p>"
            "</blockquote>"
        )
    rows.append("</div>")
    return "\n".join(rows)


def document_card_html(doc, atlas: Atlas, lang: Lang) -> str:
    """One source document in brief: title, kind, date, place."""
    meta = doc.meta
    place = atlas.places.get(meta.place)
    from .i18n import format_day

    bits = [t(meta.kind, lang), format_day(meta.date, lang)]
    if place:
        bits.append(place.name(lang))
    return (
        f'<div class="ca-doc" dir="{direction(lang)}">'
        f'<p class="ca-doc-title" dir="rtl" lang="ar">{esc(meta.title.ar)}</p>'
        + (f'<p class="ca-doc-title" dir="ltr" lang="en">{esc(meta.title.en)}</p>' if lang == "en" else "")
        + f'<p class="ca-meta">{esc(" · ".join(bits))}</p>'
        f'<p><a href="{esc(source_href(doc.id, doc.passages[0].id, lang=lang))}" target="_self">'
        f"{esc(t('read_in_source', lang))}</a></p></div>"
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
                '<div class="ca-figure">'
                f'<p class="ca-figure-value">{esc(figure_text(figure, lang).split(" — ")[0])}</p>'
                f"<p>{esc(figure.of.get(lang))}</p>"
                f'<p class="ca-cite">{esc(format_partial_date(event.date, lang))} · '
                f'<a href="{esc(source_href(ref.doc, ref.paragraph, event.id, lang))}" target="_self">'
                f"{esc(atlas.documents[ref.doc].id)} · {esc(passage_label(ref.paragraph, lang))}</a></p>"
                "</div>"
            )
    return f'<div class="ca-figures" dir="{direction(lang)}">' + "".join(cards) + "</div>"
