"""HTML for the Sources page: a document's header and its passages, verbatim, with the words an
event quotes highlighted and, under each passage, the events that cite it.

Plain functions; every text from the data goes through ``render.esc``. The passage text is
cut into pieces at the offsets ``sources.find_quote`` gives on the raw text, and each piece is
escaped on its own (never escape-then-search: the offsets belong to the raw text).
"""

from __future__ import annotations

import re
from collections.abc import Collection
from urllib.parse import urlencode

from markupsafe import Markup

from .i18n import Lang, direction, format_day, t
from .load import Atlas
from .render import esc, passage_label, source_href
from .sources import Document, Passage, find_quote
from .templating import render

Citations = dict[tuple[str, str], list[tuple[str, str]]]


def citations(atlas: Atlas) -> Citations:
    """Backlinks: for each (document, passage) the (event id, quote) pairs that cite it,
    in the order of the record."""
    out: Citations = {}
    for event in atlas.events:
        for ref in event.sources:
            out.setdefault((ref.doc, ref.paragraph), []).append((event.id, ref.quote))
    return out


def anchor_id(doc: str, passage: str) -> str:
    """The stable id of a passage's element on the Sources page."""
    return f"p-{doc}-{passage}"


def timeline_href(event_id: str, lang: Lang) -> str:
    params = {"event": event_id}
    if lang != "ar":
        params["lang"] = lang
    return f"timeline?{urlencode(params)}"


def merge_spans(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted spans with overlapping (or touching) ones joined."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _text_html(text: str) -> str:
    return esc(text.replace("\r\n", "\n")).replace("&#10;", "<br>")


def highlighted_html(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` escaped, each span (offsets into the raw text) wrapped in <mark class="ca-hl">."""
    out, at = [], 0
    for start, end in merge_spans(spans):
        out.append(_text_html(text[at:start]))
        out.append(f'<mark class="ca-hl">{_text_html(text[start:end])}</mark>')
        at = end
    out.append(_text_html(text[at:]))
    return "".join(out)


def quote_spans(passage: Passage, quotes: list[str]) -> list[tuple[int, int]]:
    return [span for span in (find_quote(passage, q) for q in quotes) if span]


BACKLINKS_MAX = 30  # a passage lists this many citing events (the chosen one always among them)


def _backlinks_html(
    passage: Passage, atlas: Atlas, lang: Lang, cited: list[tuple[str, str]], current: str | None,
    shown: Collection[str] | None = None,
) -> str:
    d = direction(lang)
    seen = list(dict.fromkeys(event_id for event_id, _ in cited))
    if not seen:
        return f'<p class="ca-backlinks ca-none" dir="{d}" lang="{lang}">{esc(t("no_citations", lang))}</p>'
    hidden = 0
    if shown is not None:  # under a filter: the events it shows (and the chosen one) are listed
        kept = [e for e in seen if e in shown or e == current]
        hidden, seen = len(seen) - len(kept), kept
    listed = seen[:BACKLINKS_MAX]
    if current in seen and current not in listed:
        listed[-1] = current
    items = []
    for event_id in listed:
        event = atlas.event(event_id)
        title = event.title.get(lang) if event else event_id
        here = ' aria-current="true" class="ca-current"' if event_id == current else ""
        items.append(
            f"<li{here}>"
            f'<a href="{esc(source_href(passage.doc, passage.id, event_id, lang))}" target="_self">{esc(title)}</a>'
            f' · <a class="ca-tl" href="{esc(timeline_href(event_id, lang))}" target="_self">{esc(t("on_timeline", lang))}</a>'
            "</li>"
        )
    if len(seen) > len(listed):
        items.append(f'<li class="ca-more">{esc(t("more_citing", lang, n=len(seen) - len(listed)))}</li>')
    if hidden:
        items.append(f'<li class="ca-hidden">{esc(t("hidden_citing", lang, n=hidden))}</li>')
    return (
        f'<div class="ca-backlinks" dir="{d}" lang="{lang}">'
        f'<p class="ca-backlinks-head">{esc(t("cited_by", lang))} ({len(seen) + hidden})</p>'
        f"<ul>{''.join(items)}</ul></div>"
    )


def english(doc: str, passage: str) -> str | None:
    """Our English of a passage (``sources/<doc>/translation.en.yaml``, read by
    ``sources.translation``), or None where there is none yet."""
    try:
        from .sources import translation
    except ImportError:  # the record without translations
        return None
    try:
        return translation(doc, passage) or None
    except (KeyError, LookupError, ValueError):
        return None


def english_spans(text: str, wanted: list[str]) -> list[tuple[int, int]]:
    """Where each of ``wanted`` (an event's translations) stands in ``text``, white space and
    case aside; the spans are offsets into ``text``."""
    spans = []
    for phrase in wanted:
        words = phrase.strip(" .,;:“”\"'").split()
        if not words:
            continue
        pattern = r"(?<!\w)" + r"\s+".join(re.escape(w) for w in words) + r"(?!\w)"  # whole words
        found = re.search(pattern, text, flags=re.IGNORECASE)
        if found:
            spans.append(found.span())
    return spans


def marked_html(text: str, spans: list[tuple[int, int]], css: str) -> str:
    """``text`` escaped, each span wrapped in <mark class="{css}">."""
    out, at = [], 0
    for start, end in merge_spans(spans):
        out.append(_text_html(text[at:start]))
        out.append(f'<mark class="{css}">{_text_html(text[start:end])}</mark>')
        at = end
    out.append(_text_html(text[at:]))
    return "".join(out)


def passage_html(
    passage: Passage,
    atlas: Atlas,
    lang: Lang,
    highlight_event: str | None = None,
    *,
    cites: Citations | None = None,
    target: bool = False,
    shown: Collection[str] | None = None,
    marks: list[tuple[int, int]] = (),
) -> str:
    """One passage: its words verbatim (Arabic, right to left) in an element with a stable id,
    its label linking to itself, the quotes of ``highlight_event`` marked, then the events that
    cite it. On English pages our English stands beside the Arabic (below it on a narrow
    screen), the event's translation marked in it. ``cites`` may be passed in to avoid
    recomputing ``citations(atlas)`` per passage. ``shown``: under a filter, the ids of the
    events it shows: a passage one of them cites is marked (class ``ca-in-view`` and a word beside
    its number), and only they are listed under it, with how many the filter hides."""
    cites = citations(atlas) if cites is None else cites
    cited = cites.get((passage.doc, passage.id), [])
    spans = quote_spans(passage, [q for e, q in cited if e == highlight_event]) if highlight_event else []
    translated = english(passage.doc, passage.id) if lang == "en" else None
    wanted = []
    if translated and spans:  # only where the event's quote stands in the Arabic
        event = atlas.event(highlight_event)
        wanted = [r.translation for r in event.sources if (r.doc, r.paragraph) == (passage.doc, passage.id)] if event else []
    in_view = shown is not None and any(e in shown for e, _ in cited)
    return render(
        "passage.html", classes="ca-passage" + (" ca-target" if target else "") + (" ca-in-view" if in_view else ""),
        in_view=t("cited_in_view", lang) if in_view else None,
        anchor=anchor_id(passage.doc, passage.id), dir=direction(lang), lang=lang,
        href=source_href(passage.doc, passage.id, None, lang), label=passage_label(passage.id, lang),
        arabic=Markup(highlighted_html(passage.text, [*spans, *marks])),  # marks: a search's words
        english=Markup(marked_html(translated, english_spans(translated, wanted), "ca-tr")) if translated else None,
        english_label=t("english_of_passage", lang),
        backlinks=Markup(_backlinks_html(passage, atlas, lang, cited, highlight_event, shown)),
    )


def document_header_html(doc: Document, lang: Lang, places: dict | None = None) -> str:
    """Title (Arabic and English), kind, date, place, where the text comes from, and the plain
    statement that no web address is known (none is ever made up). ``places`` (the gazetteer)
    gives the place its name; without it the place id is shown."""
    meta = doc.meta
    d = direction(lang)
    place = places.get(meta.place) if places else None
    place_name = place.name(lang) if place is not None else meta.place
    facts = " · ".join(esc(x) for x in (t(meta.kind, lang), format_day(meta.date, lang), place_name))
    return (
        f'<div class="ca-doc-header" dir="{d}" lang="{lang}" id="doc-{esc(meta.id)}">'
        f'<p class="ca-doc-title" role="heading" aria-level="2" dir="rtl" lang="ar">{esc(meta.title.ar)}</p>'
        f'<p class="ca-doc-title-en" dir="ltr" lang="en">{esc(meta.title.en)}</p>'
        f'<p class="ca-meta">{facts}</p>'
        f'<p class="ca-origin">{esc(meta.origin.get(lang))}</p>'
        f'<p class="ca-no-url">{esc(t("no_web_address", lang))}</p>'
        "</div>"
    )
