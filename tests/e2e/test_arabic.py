"""Arabic first, English complete — as a reader sees it in Chromium (issue 14).

What is checked is what the browser computed and drew, not the markup: the document's
lang/dir, the computed text-align of every element that holds Arabic text, where the sidebar
stands, the visual order of a date in the timeline's hover label (glyph positions in the SVG),
the English beside each passage and where it lands, the contrast of the quotes, and that the
stylesheet's data-testid selectors still match Streamlit's elements.
"""

from __future__ import annotations

import json
import re

import pytest

from coalition_atlas.load import load_atlas
from coalition_atlas.style import CSS_FILE

PAGES = {
    "overview": "",
    "timeline": "timeline?event=iraqi-partners-retake-60-percent",
    "map": "map?place=mosul",
    "sources": "sources?doc=washington-2017&p=2&event=iraqi-partners-retake-60-percent",
    "presenter": "presenter",
}
ARABIC = re.compile(r"[\u0600-\u06FF]")

# Where each element holding text says its lines start: "left", "right" or "center".
# The nearest block box decides (an inline element's text-align is its block's).
SIDES = r"""([roots, skip]) => {
  const resolve = (el) => {
    const cs = getComputedStyle(el);
    const a = cs.textAlign, rtl = cs.direction === 'rtl';
    if (a === 'start' || a === 'justify' || a === '-webkit-auto') return rtl ? 'right' : 'left';
    if (a === 'end') return rtl ? 'left' : 'right';
    if (a.endsWith('left')) return 'left';
    if (a.endsWith('right')) return 'right';
    return a;
  };
  const out = [];
  for (const root of document.querySelectorAll(roots)) {
    const walk = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walk.nextNode(); node; node = walk.nextNode()) {
      const text = node.textContent.trim();
      if (!text) continue;
      let el = node.parentElement;
      if (!el || el.closest(skip) || !el.getClientRects().length) continue;
      while (el.parentElement && getComputedStyle(el).display.startsWith('inline')) el = el.parentElement;
      const lang = node.parentElement.closest('[lang]');
      out.push({text: text.slice(0, 40), side: resolve(el), tag: el.tagName,
                testid: (el.closest('[data-testid]') || {}).dataset?.testid || '',
                lang: lang ? lang.getAttribute('lang') : ''});
    }
  }
  return out;
}"""
# not blocks of text: centred controls, the chart's SVG (checked by glyph positions below),
# the map (its own frame), the hidden language marker
SKIP = ("button, [role='button'], [role='tab'], [role='option'], [data-baseweb='tag'], svg, iframe, "
        "[data-testid='stSegmentedControl'], [data-testid='stBaseButton-segmented_control'], .ca-lang")

# the text of the hover label shown, and the horizontal centre of every character
HOVER = r"""() => {
  const text = document.querySelector('.hoverlayer .hovertext text');
  if (!text) return null;
  const n = text.getNumberOfChars();
  const xs = [];
  for (let i = 0; i < n; i++) { const r = text.getExtentOfChar(i); xs.push(r.x + r.width / 2); }
  return {text: text.textContent, xs};
}"""

# the centre of an event's mark on the chart (the test reads Plotly's data to find it)
MARK_CENTRE = r"""(id) => {
  const gd = document.querySelector('.js-plotly-plot');
  const traces = gd.querySelectorAll('.scatterlayer .trace');
  for (let i = 0; i < gd._fullData.length; i++) {
    const t = gd._fullData[i];
    if (t.meta !== 'events' || !traces[i]) continue;
    const k = Array.from(t.customdata).indexOf(id);
    if (k >= 0) {
      const r = traces[i].querySelectorAll('path.point')[k].getBoundingClientRect();
      return {x: r.x + r.width / 2, y: r.y + r.height / 2};
    }
  }
  return null;
}"""

# contrast of each quote's text against what is drawn behind it, opacity included
CONTRAST = r"""(sel) => {
  const rgb = (s) => (s.match(/[\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const f = (c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  return [...document.querySelectorAll(sel)].filter(el => el.getClientRects().length).map(el => {
    let alpha = 1, bg = null;
    for (let e = el; e; e = e.parentElement) {
      const cs = getComputedStyle(e);
      alpha *= Number(cs.opacity);
      const b = rgb(cs.backgroundColor);
      if (!bg && (b.length === 3 || b[3] > 0.99)) bg = b.slice(0, 3);
    }
    bg = bg || [255, 255, 255];
    const c = rgb(getComputedStyle(el).color);
    const a = alpha * (c.length > 3 ? c[3] : 1);
    const fg = c.slice(0, 3).map((v, i) => v * a + bg[i] * (1 - a));
    const [l1, l2] = [lum(fg), lum(bg)].sort((x, y) => y - x);
    return {text: el.textContent.trim().slice(0, 30), ratio: (l1 + 0.05) / (l2 + 0.05)};
  });
}"""


@pytest.fixture(scope="module")
def atlas():
    return load_atlas()


def open_page(page, base: str, path: str, lang: str, wait_for_app_run) -> None:
    query = "lang=en" if lang == "en" else ""
    sep = "&" if "?" in path else "?"
    page.goto(f"{base}/{path}{sep + query if query else ''}")
    wait_for_app_run(page, timeout=60_000)
    page.wait_for_function("() => !document.querySelector('[data-stale=\"true\"]')", timeout=30_000)
    page.wait_for_function(  # set by static/js/lang.js once the page has run (Chromium starts lang="en")
        "l => document.documentElement.dir === (l === 'ar' ? 'rtl' : 'ltr')", arg=lang, timeout=30_000
    )
    wait_for_app_run(page, timeout=60_000)


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_every_page_reads_in_its_language(page, app_server, wait_for_app_run, screenshot_path, lang):
    """lang/dir on the document; every block of Arabic text starts on the right (in English
    too, where Arabic quotes are marked lang="ar"); English text starts on the left; the
    sidebar stands on the reading side; no raw document id is shown."""
    for name, path in PAGES.items():
        open_page(page, app_server, path, lang, wait_for_app_run)
        if name in ("overview", "timeline"):
            page.wait_for_selector(".js-plotly-plot .scatterlayer .point", state="attached", timeout=30_000)
        assert page.evaluate("() => [document.documentElement.lang, document.documentElement.dir]") == (
            ["ar", "rtl"] if lang == "ar" else ["en", "ltr"]
        ), name
        blocks = page.evaluate(SIDES, ['[data-testid="stMain"], [data-testid="stSidebar"]', SKIP])
        arabic = [b for b in blocks if ARABIC.search(b["text"])]
        assert lang == "en" or len(arabic) > 5, name
        wrong = [b for b in arabic if b["side"] != "right"]
        assert wrong == [], f"{name}: Arabic text not starting on the right:\n" + json.dumps(wrong, ensure_ascii=False, indent=1)
        if lang == "en":
            unmarked = [b for b in arabic if b["lang"] != "ar"]
            assert unmarked == [], f"{name}: Arabic without lang=ar:\n" + json.dumps(unmarked, ensure_ascii=False, indent=1)
            latin = [b for b in blocks if not ARABIC.search(b["text"]) and re.search("[A-Za-z]{3}", b["text"])]
            wrong = [b for b in latin if b["side"] != "left"]
            assert wrong == [], f"{name}: English not starting on the left:\n" + json.dumps(wrong, ensure_ascii=False, indent=1)
        sidebar = page.locator('[data-testid="stSidebar"]').bounding_box()
        main = page.locator('[data-testid="stMain"]').bounding_box()
        if sidebar is None or sidebar["width"] < 50:  # the presenter folds the sidebar away
            pass
        elif lang == "ar":
            assert sidebar["x"] > main["x"] + main["width"] / 2, f"{name}: the sidebar is not on the right"
        else:
            assert sidebar["x"] + sidebar["width"] <= main["x"] + 1, f"{name}: the sidebar is not on the left"
        shown = page.evaluate("() => document.body.innerText")
        assert "washington-2017" not in shown and "paris-2019" not in shown, f"{name}: a raw document id is shown"
        page.screenshot(path=str(screenshot_path(f"reading-{name}-{lang}")))
    assert page.external_requests == []


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_arabic_date_range_runs_right_to_left(page, app_server, wait_for_app_run, lang):
    """Streamlit's slider runs left to right whatever the page: in Arabic, two month selects."""
    open_page(page, app_server, "timeline", lang, wait_for_app_run)
    sidebar = page.locator('[data-testid="stSidebar"]')
    if lang == "en":
        assert sidebar.locator('[data-testid="stSlider"]').count() == 1
        return
    boxes = sidebar.locator('[data-testid="stSelectbox"]')
    boxes.filter(has_text="إلى").wait_for(timeout=30_000)
    assert sidebar.locator('[data-testid="stSlider"]').count() == 0
    labels = [boxes.nth(i).locator('[data-testid="stWidgetLabel"]').inner_text() for i in range(boxes.count())]
    assert labels[-2:] == ["من", "إلى"]
    shown = boxes.nth(boxes.count() - 2).locator("input").input_value()
    assert "كانون الثاني/يناير 2012" in shown
    assert page.external_requests == []


@pytest.mark.parametrize(
    ("lang", "words"),
    [("ar", ["22", "آذار", "مارس", "2017"]), ("en", ["22", "March", "2017"])],
)
def test_hover_label_date_reads_in_order(page, app_server, wait_for_app_run, atlas, lang, words):
    """The hover label of a known event: its date's words drawn in reading order (Arabic from
    the right), measured from the glyphs' positions, not the text's order."""
    event = atlas.event("iraqi-partners-retake-60-percent")
    open_page(page, app_server, "timeline", lang, wait_for_app_run)
    page.wait_for_selector(".js-plotly-plot .scatterlayer .point", state="attached", timeout=30_000)
    page.locator(".js-plotly-plot").scroll_into_view_if_needed()
    box = page.evaluate(MARK_CENTRE, event.id)
    assert box is not None
    page.mouse.move(box["x"] + 1, box["y"] + 1)
    page.mouse.move(box["x"], box["y"])
    page.wait_for_function("t => { const e = document.querySelector('.hoverlayer .hovertext text');"
                           " return e && e.textContent.includes(t); }", arg=event.title.get(lang)[:15], timeout=15_000)
    label = page.evaluate(HOVER)
    text, xs = label["text"], label["xs"]
    centres = []
    for word in words:
        at = text.index(word)
        centres.append(sum(xs[at:at + len(word)]) / len(word))
    steps = [b - a for a, b in zip(centres, centres[1:])]
    if lang == "ar":
        assert all(s < 0 for s in steps), (text, words, centres)  # each word left of the one before
    else:
        assert all(s > 0 for s in steps), (text, words, centres)
    # and the date comes first on its line: rightmost in Arabic, leftmost in English
    title_at = text.index(event.title.get(lang)[:10])
    first_line = [x for x in xs[: title_at]]
    date_x = centres[0]
    assert (date_x >= max(first_line) - 30) if lang == "ar" else (date_x <= min(first_line) + 30)
    assert page.external_requests == []


def test_english_stands_beside_every_passage(page, app_server, wait_for_app_run, atlas):
    """In English, every passage of both documents has our English beside it (wide screen),
    under it on a narrow one."""
    for doc in atlas.documents.values():
        open_page(page, app_server, f"sources?doc={doc.id}", "en", wait_for_app_run)
        pairs = page.evaluate(
            """() => [...document.querySelectorAll('.ca-passage')].map(p => {
                 const ar = p.querySelector('.ca-ptext'), en = p.querySelector('.ca-ptext-en');
                 const a = ar.getBoundingClientRect(), e = en ? en.getBoundingClientRect() : null;
                 return {id: p.id, en: en ? en.innerText.trim().length : 0, lang: en ? en.lang : '',
                         beside: !!e && Math.abs(a.top - e.top) < 4 && (e.right <= a.left + 1 || e.left >= a.right - 1)};
               })"""
        )
        assert [p["id"] for p in pairs] == [f"p-{doc.id}-{p.id}" for p in doc.passages]
        missing = [p for p in pairs if not (p["en"] > 0 and p["lang"] == "en" and p["beside"])]
        assert missing == [], missing
    page.set_viewport_size({"width": 600, "height": 900})
    page.wait_for_timeout(300)
    stacked = page.evaluate(
        """() => [...document.querySelectorAll('.ca-passage')].every(p => {
             const a = p.querySelector('.ca-ptext').getBoundingClientRect();
             const e = p.querySelector('.ca-ptext-en').getBoundingClientRect();
             return e.top >= a.bottom - 1; })"""
    )
    assert stacked
    assert page.external_requests == []


def test_read_in_the_source_in_english_shows_the_english(page, app_server, wait_for_app_run, atlas):
    event = atlas.event("iraqi-partners-retake-60-percent")
    ref = event.sources[0]
    open_page(page, app_server, f"timeline?event={event.id}", "en", wait_for_app_run)
    page.locator(f"#event-{event.id} a", has_text="Read in the source").first.click()
    page.wait_for_url(re.compile(r"/sources\?"), timeout=30_000)
    wait_for_app_run(page)
    english = page.locator(f"#p-{ref.doc}-{ref.paragraph} .ca-ptext-en")
    english.wait_for(timeout=30_000)
    page.wait_for_function(
        "el => { const r = el.getBoundingClientRect(); return r.top < window.innerHeight && r.bottom > 0; }",
        arg=english.element_handle(), timeout=30_000,
    )
    assert english.get_attribute("lang") == "en"
    marked = english.locator("mark.ca-tr")
    if marked.count():  # the event's translation, where it stands verbatim in our English
        assert marked.first.is_visible()
    assert page.external_requests == []


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_chosen_event_in_view_and_quotes_at_full_contrast(page, app_server, wait_for_app_run, atlas, lang):
    event = atlas.event("final-liberation-declared")
    open_page(page, app_server, f"timeline?event={event.id}", lang, wait_for_app_run)
    detail = page.locator(f"#event-{event.id}")
    detail.wait_for(timeout=30_000)
    top = detail.bounding_box()
    assert top["y"] < 768 / 2, "the chosen event starts in the upper half of the first screen"
    ratios = page.evaluate(CONTRAST, ".ca-quote p")
    assert ratios and min(r["ratio"] for r in ratios) >= 4.5, ratios
    assert page.external_requests == []


def test_stylesheet_selectors_still_match(page, app_server, wait_for_app_run):
    """Every data-testid static/css/atlas.css names is found on some page (a Streamlit upgrade
    that renamed one would silently undo a rule)."""
    wanted = set(re.findall(r'data-testid="([^"]+)"', CSS_FILE.read_text(encoding="utf-8")))
    found: set[str] = set()
    pages = ("", "timeline?event=final-liberation-declared", "map?place=mosul", "sources",
             "timeline?country=LBY&category=messaging")  # the last shows no event: an alert
    for path in pages:
        open_page(page, app_server, path, "ar", wait_for_app_run)
        found |= set(page.evaluate("w => w.filter(id => document.querySelector(`[data-testid=\"${id}\"]`))", sorted(wanted)))
    # folded away (Arabic: the sidebar on the right slides off the right edge, nothing of it
    # over the page), then unfolded again: the fold and unfold buttons are matched too
    page.hover('[data-testid="stSidebar"]')
    page.locator('[data-testid="stSidebarCollapseButton"] button').click()
    unfold = page.locator('[data-testid="stExpandSidebarButton"]')
    unfold.wait_for(timeout=15_000)
    page.wait_for_function(
        """() => { const r = document.querySelector('[data-testid="stSidebar"]').getBoundingClientRect();
                   const s = getComputedStyle(document.querySelector('[data-testid="stSidebar"]'));
                   return s.visibility === 'hidden' || r.left >= window.innerWidth; }""", timeout=15_000,
    )
    found |= set(page.evaluate("w => w.filter(id => document.querySelector(`[data-testid=\"${id}\"]`))", sorted(wanted)))
    unfold.click()
    page.wait_for_function(
        """() => { const r = document.querySelector('[data-testid="stSidebar"]').getBoundingClientRect();
                   return r.width > 200 && r.left > window.innerWidth / 2 && r.right <= window.innerWidth + 1; }""", timeout=15_000,
    )
    assert wanted - found == set()
