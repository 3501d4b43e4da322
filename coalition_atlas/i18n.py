"""Languages: every label in Arabic and English, dates through Babel, text direction.

Dates in Arabic name the month in both calendars the documents use («آذار/مارس»: the
Levantine name from Babel's ar_SY, the Egyptian from ar) and use Western digits, as the
documents themselves do ("22 مارس/ آذار 2017", "60 بالمئة").
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable
from typing import Literal

from babel.dates import format_date

from .i18n_find import FIND_STRINGS
from .models import date_bounds
from .vocabulary import CATEGORIES, DATINGS

Lang = Literal["ar", "en"]
LANGS: tuple[Lang, ...] = ("ar", "en")

# Unicode isolates: an Arabic name inside English text (or the reverse) keeps its own order.
FSI, PDI = "\u2068", "\u2069"
LRI, RLI = "\u2066", "\u2067"  # isolates of a set direction (a line of a hover label)

STRINGS: dict[str, tuple[str, str]] = {
    # key: (Arabic, English)
    "app_title": ("أطلس التحالف", "Coalition Atlas"),
    "tagline": (
        "خط زمني وخريطة من وثيقتين للتحالف الدولي ضد داعش، وكل حدث يقود إلى الكلمات التي يستند إليها.",
        "A timeline and map drawn from two documents of the Global Coalition against Daesh; every event leads to the words it rests on.",
    ),
    "translation_note": (
        "النصوص العربية هي نصوص الوثائق كما وردت. الترجمة الإنجليزية ترجمة أمينة من إعدادنا.",
        "The Arabic texts are the documents' own words. The English is a faithful translation of our own.",
    ),
    "overview": ("نظرة عامة", "Overview"),
    "timeline": ("الخط الزمني", "Timeline"),
    "map": ("الخريطة", "Map"),
    "sources": ("المصادر", "Sources"),
    "filters": ("التصفية", "Filters"),
    "language": ("اللغة", "Language"),
    "countries": ("الدول", "Countries"),
    "all_countries": ("كل الدول", "All countries"),
    "all_categories": ("كل الفئات", "All categories"),
    "all_documents": ("كل الوثائق", "Both documents"),
    "categories": ("الفئات", "Categories"),
    "documents": ("الوثائق", "Documents"),
    "date_range": ("الفترة", "Date range"),
    "reset": ("إعادة ضبط التصفية", "Reset filters"),
    "events_shown": ("{n} من {total} حدثاً", "{n} of {total} events"),
    "no_events": ("لا أحداث تطابق التصفية.", "No events match the filters."),
    "earlier": ("قبل 2017", "Before 2017"),
    "date": ("التاريخ", "Date"),
    "title": ("العنوان", "Title"),
    "category": ("الفئة", "Category"),
    "places": ("الأماكن", "Places"),
    "dating": ("نوع التأريخ", "Dating"),
    "figures": ("الأرقام", "Figures"),
    "people": ("الأشخاص", "People"),
    "quote": ("النص", "Quote"),
    "translation": ("الترجمة", "Translation"),
    "read_in_source": ("اقرأ في المصدر", "Read in the source"),
    "cited_by": ("الأحداث المستندة إلى هذه الفقرة", "Events citing this passage"),
    "paragraph": ("الفقرة", "Paragraph"),
    "cite_paragraph": ("الفقرة {n}", "¶ {n}"),
    "doc_statement": ("بيان {place}", "{place} statement"),
    "doc_news-report": ("خبر {place}", "{place} news report"),
    "date_from": ("من", "From"),
    "date_to": ("إلى", "To"),
    "english_of_passage": ("الترجمة الإنجليزية", "English translation"),
    "chosen_event": ("الحدث المختار", "The chosen event"),
    "headline": ("العنوان الرئيسي", "Headline"),
    "lead": ("المقدمة", "Lead"),
    "caption": ("تعليق الصورة", "Photo caption"),
    "statement": ("بيان", "Statement"),
    "news-report": ("خبر صحفي", "News report"),
    "select_event": ("اختر حدثاً", "Choose an event"),
    "select_place": ("اختر مكاناً", "Choose a place"),
    "all_places": ("كل الأماكن", "All places"),
    "liberated": ("مكان محرر", "Liberated place"),
    "other_place": ("مكان آخر ورد في الوثائق", "Other place the documents name"),
    "online_tiles": ("خريطة أساس من الإنترنت (اختياري)", "Online base map (optional)"),
    "event_table": ("جدول الأحداث", "Event table"),
    "headline_figures": ("أرقام من الوثائق", "Figures the documents state"),
    "notice_params": ("تم تجاهل بعض معاملات الرابط: {what}", "Some link parameters were ignored: {what}"),
    "notice_unknown_params": ("{n} معامل غير معروف", "{n} unknown"),
    "more_problems": ("و{n} مشكلة أخرى", "and {n} more"),
    "timeline_and_map": ("الزمان والمكان معاً", "When and where, together"),
    "overview_hint": (
        "اختر حدثاً على الخط الزمني لترى أماكنه على الخريطة، أو مكاناً على الخريطة لترى أحداثه على الخط الزمني.",
        "Choose an event on the timeline to see its places on the map, or a place on the map to see its events on the timeline.",
    ),
    "clear_selection": ("إلغاء الاختيار", "Clear the selection"),
    "record_error": (
        "ملف events.yaml فيه أخطاء؛ هذه قائمتها:",
        "events.yaml has problems; here they are:",
    ),
    # Sources page
    "document": ("الوثيقة", "Document"),
    "no_citations": ("لا يستند أي حدث إلى هذه الفقرة.", "No event cites this passage."),
    "on_timeline": ("في الخط الزمني", "on the timeline"),
    "back_to_timeline": ("العودة إلى الحدث في الخط الزمني", "Back to the event on the timeline"),
    "highlighted_for": ("الكلمات المظللة هي ما يقتبسه هذا الحدث:", "The highlighted words are what this event quotes:"),
    "no_web_address": ("لا يُعرف عنوان هذه الوثيقة على الشبكة.", "No web address is known for this document."),
    # Map page
    "region_place": ("منطقة", "Region"),
    "country_named": ("دولة تذكرها الأحداث المعروضة", "Country named in the events shown"),
    "place_reports": ("ما تقوله الوثائق عن هذا المكان", "What the documents report of it"),
    "events_here": ("الأحداث المعروضة في هذا المكان", "Events shown at this place"),
    "more_citing": ("و{n} حدثاً آخر يستشهد بهذه الفقرة: صفِّ الأحداث لتراها", "and {n} more events cite this passage: filter the events to see them"),
    "more_listed": ("تُعرض أول {shown} من {n} حدثاً: صفِّ الأحداث أو اختر مكاناً لترى البقية", "Showing the first {shown} of {n} events: filter or choose a place to see the rest"),
    "more_events_here": ("و{n} حدثاً آخر: اختر المكان لترى القائمة كاملة بجانب الخريطة", "and {n} more: choose the place to see them all beside the map"),
    "places_here": ("{n} مكاناً متقاربة، أكثرها ذكراً:", "{n} places close together; the most named:"),
    "events_at": ("الأحداث في {place}", "Events at {place}"),
    "clear_place": ("عرض أحداث كل الأماكن", "Show the events of all places"),
    "no_events_at_place": ("لا حدث معروضاً يذكر هذا المكان.", "No event shown names this place."),
    # the map's names for the keyboard and screen readers (maps.MapAccess, the frame's title)
    "map_label": ("الخريطة: تحرّكها الأسهم، و+ و− للتكبير والتصغير", "Map: arrow keys move it, + and − zoom"),
    "map_frame_title": ("خريطة الأماكن", "Map of the places"),
    "zoom_in": ("تكبير", "Zoom in"),
    "zoom_out": ("تصغير", "Zoom out"),
    "map_hint": ("انقر علامة على الخريطة أو اختر مكاناً من القائمة.", "Click a marker on the map, or choose a place from the list."),
    # Timeline page
    "timeline_hint": (
        "كل علامة حدث: شكلها يبيّن نوع التأريخ، ولونها وصفّها يبيّنان الفئة، والخط يمتد على الشهر أو السنة حين لا يُعرف اليوم. انقر علامة أو اختر حدثاً من القائمة.",
        "Each mark is an event: its shape says how it is dated, its colour and row its category; a line spans the month or year when no day is known. Click a mark, or choose an event from the list.",
    ),
    "timeline_alt": (
        "خط زمني يعرض {n} حدثاً حسب التاريخ والفئة؛ الجدول أدناه يسرد الأحداث نفسها.",
        "Timeline of {n} events by date and category; the table below lists the same events.",
    ),
    "timeline_alt_overview": (
        "خط زمني يعرض {n} حدثاً حسب التاريخ والفئة؛ قائمة «اختر حدثاً» بجانب الخريطة تسرد الأحداث نفسها.",
        "Timeline of {n} events by date and category; the list “Choose an event” beside the map holds the same events.",
    ),
    "timeline_alt_presenter": (
        "خط زمني لأحداث الجولة ({n})؛ الحدث المعروض مميّز: {title}. تنتقل الأسهم بين الخطوات.",
        "Timeline of the tour's {n} events; the event shown is marked: {title}. The arrow keys move between steps.",
    ),
    # Briefing pack and downloads (export.py, briefing.py)
    "briefing": ("موجز", "Briefing"),
    "briefing_intro": (
        "يجمع هذا الموجز الخط الزمني والخريطة والأحداث المعروضة، وكل حدث مع نص الوثيقة الذي يستند إليه. يعمل الملف دون اتصال بالإنترنت ويُطبع على ورق A4.",
        "This briefing holds the timeline, the map and the events of the current view, each event with the words of the document it rests on. The file works without internet and prints on A4 paper.",
    ),
    "filters_applied": ("التصفية المطبّقة", "Filters applied"),
    "no_filters": ("لا تصفية: كل أحداث الأطلس.", "None: every event of the atlas."),
    "generated_on": ("أُعدّ في {date}", "Prepared on {date}"),
    "contents": ("المحتويات", "Contents"),
    "events_list": ("الأحداث ونصوصها", "The events and their sources"),
    "cited_passages": ("الفقرات المستشهد بها كاملةً", "The cited passages in full"),
    "places_list": ("الأماكن على الخريطة", "The places on the map"),
    "outside_frame": ("خارج إطار الخريطة (صغّرها لتراها): {places}", "Outside the map's frame (zoom out to see them): {places}"),
    "needs_js": (
        "يحتاج هذا الجزء إلى متصفح حديث مع تفعيل جافاسكربت؛ قائمة الأحداث أدناه تعرض المحتوى نفسه.",
        "This part needs a recent browser with JavaScript on; the list of events below holds the same content.",
    ),
    "downloads": ("التنزيل", "Downloads"),
    "downloads_hint": ("تتبع الملفات التصفية واللغة الحاليتين.", "The files follow the current filters and language."),
    "download_briefing": ("الموجز (HTML)", "Briefing (HTML)"),
    "download_csv": ("الأحداث (CSV)", "Events (CSV)"),
    "download_geojson": ("الأحداث والأماكن (GeoJSON)", "Events and places (GeoJSON)"),
    # Presenter page
    "presenter": ("وضع العرض", "Presenter"),
    "tour": ("الجولة", "Tour"),
    "tour_current": ("الأحداث المعروضة بالتصفية الحالية", "The events the current filters show"),
    "first_step": ("الأولى", "First"),
    "previous_step": ("السابقة", "Previous"),
    "next_step": ("التالية", "Next"),
    "last_step": ("الأخيرة", "Last"),
    "step_of": ("الخطوة {n} من {total}", "Step {n} of {total}"),
    "presenter_keys": (
        "المفاتيح: → أو PageDown للتالية، ← أو PageUp للسابقة، Home للأولى، End للأخيرة (خارج الخريطة).",
        "Keys: → or PageDown next, ← or PageUp previous, Home first, End last (outside the map).",
    ),
    "notice_unknown_tour": ("لا جولة بالاسم الوارد في الرابط؛ تُعرض جولة «{default}».", "The link names no known tour; showing '{default}'."),
    "notice_step_clamped": (
        "لا خطوة {step} في هذه الجولة (عدد خطواتها {total})؛ تُعرض الخطوة {shown}.",
        "There is no step {step} in this tour (it has {total}); showing step {shown}.",
    ),
    "tours_error": ("ملف tours.yaml فيه أخطاء؛ هذه قائمتها:", "tours.yaml has problems; here they are:"),
    # Filters that follow (every page's banner), the Sources page under a filter
    "filters_on": ("التصفية مفعّلة", "Filters on"),
    "clear_filters": ("إلغاء التصفية", "Clear filters"),
    "sources_marked": (
        "التصفية تعرض {n} من {total} حدثاً: الفقرات التي تستشهد بها ({passages}) معلَّمة، وتُخفي التصفية {hidden} حدثاً من القوائم تحت الفقرات.",
        "The filters show {n} of {total} events: the {passages} passages they cite are marked, and the filters hide {hidden} events from the lists under the passages.",
    ),
    "cited_in_view": ("تستشهد بها الأحداث المعروضة", "cited by the events shown"),
    "hidden_citing": ("و{n} حدثاً آخر تخفيه التصفية", "and {n} more events the filters hide"),
    "presenter_filtered": ("جولة في الأحداث التي تعرضها التصفية الحالية", "A walk through the events the current filters show"),
    "legend": ("مفتاح الخريطة", "Legend"),
    # The handout (handout.py)
    "handout": ("نشرة", "Handout"),
    "download_handout": ("نشرة للطباعة (HTML، 4 صفحات على الأكثر)", "Handout (HTML, at most 4 pages)"),
    "handout_intro": (
        "ملخص العرض الحالي في صفحات قليلة: الوثيقتان، والأرقام الواردة فيهما، والخط الزمني، والخريطة، وحدث في كل سطر مع موضعه في الوثيقة. الموجز الكامل يضم نصوص الاستشهادات.",
        "The current view in a few pages: the two documents, the figures they state, the timeline, the map, and one line per event with where the document says it. The full briefing holds the quoted words.",
    ),
    "events_one_line": ("الأحداث، حدث في كل سطر", "The events, one line each"),
    "no_place_on_map": ("لا يسمّي هذا الحدث مكاناً على الخريطة.", "This event names no place on the map."),
}
STRINGS |= FIND_STRINGS  # search and walks of your own


def t(key: str, lang: Lang, **values: object) -> str:
    ar, en = STRINGS[key]
    text = ar if lang == "ar" else en
    return text.format(**values) if values else text


def direction(lang: Lang) -> str:
    return "rtl" if lang == "ar" else "ltr"


def list_separator(lang: Lang, *, strong: bool = False) -> str:
    """Between the items of a list: the Arabic comma «، » (or semicolon «؛ » between items that
    hold commas themselves, ``strong``), or ", " / "; " in English."""
    if strong:
        return "؛ " if lang == "ar" else "; "
    return "، " if lang == "ar" else ", "


def join_list(items: Iterable[str], lang: Lang, *, strong: bool = False) -> str:
    """``items`` as one run of text, with the language's :func:`list_separator`."""
    return list_separator(lang, strong=strong).join(items)


def isolate(text: str) -> str:
    """Wrap a run of text so that its direction does not disturb the text around it."""
    return f"{FSI}{text}{PDI}"


def category_label(category: str, lang: Lang) -> str:
    ar, en, _ = CATEGORIES[category]
    return ar if lang == "ar" else en


def dating_label(dating: str, lang: Lang) -> str:
    ar, en, _ = DATINGS[dating]
    return ar if lang == "ar" else en


@functools.lru_cache(maxsize=64)  # 12 months × 2 languages: Babel takes ~0.1 ms a call
def _month(day_of_month_one: dt.date, lang: Lang) -> str:
    day = day_of_month_one
    if lang == "en":
        return format_date(day, "MMMM", locale="en")
    return f"{format_date(day, 'MMMM', locale='ar_SY')}/{format_date(day, 'MMMM', locale='ar')}"


def format_day(day: dt.date, lang: Lang) -> str:
    if lang == "en":
        return f"{day.day} {_month(day.replace(day=1, year=2000), lang)} {day.year}"
    return f"{day.day} {_month(day.replace(day=1, year=2000), lang)} {day.year}"


def format_partial_date(text: str, lang: Lang) -> str:
    """An event's date at its own precision: "2012", "February 2018", "23 March 2019"."""
    first, _ = date_bounds(text)
    precision = text.count("-")
    if precision == 0:
        return str(first.year)
    if precision == 1:
        return f"{_month(first.replace(day=1, year=2000), lang)} {first.year}"
    return format_day(first, lang)
