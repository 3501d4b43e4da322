"""The handout printed by Chromium: at most four A4 pages for the real record (and a filtered
view), in both languages, with no request off the machine and no script."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from coalition_atlas.handout import handout_html
from coalition_atlas.load import load_atlas
from coalition_atlas.viewstate import ViewState

A4_POINTS = (595, 842)  # 210 x 297 mm in PDF points (rounded)


@pytest.fixture(scope="module")
def atlas():
    return load_atlas()


def pdf_pages(data: bytes) -> list[tuple[float, float]]:
    """The page sizes of a PDF Chromium printed (its page objects are not compressed)."""
    sizes = []
    for match in re.finditer(rb"/Type\s*/Page\b(?!s)", data):
        page_object = data[match.end():data.find(b"endobj", match.end())]
        box = re.search(rb"/MediaBox\s*\[\s*([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s*\]", page_object)
        sizes.append((float(box.group(3)), float(box.group(4))) if box else (0.0, 0.0))
    return sizes


@pytest.mark.parametrize("lang", ["en", "ar"])
@pytest.mark.parametrize("params", [{}, {"countries": ("IRQ",)}], ids=["all", "iraq"])
def test_the_handout_prints_on_at_most_four_a4_pages(browser, atlas, tmp_path, screenshot_path, lang, params):
    html = handout_html(atlas, ViewState(lang=lang, **params))
    source = tmp_path / f"handout-{lang}.html"
    source.write_text(html, encoding="utf-8")
    context = browser.new_context()
    refused: list[str] = []
    context.route("**/*", lambda route: (refused.append(route.request.url), route.abort())
                  if not route.request.url.startswith("file://") else route.continue_())
    page = context.new_page()
    try:
        page.goto(source.as_uri())
        page.evaluate("document.fonts.ready.then(() => true)")
        pdf = tmp_path / f"handout-{lang}.pdf"
        page.pdf(path=str(pdf), prefer_css_page_size=True, print_background=True)
        if not params:
            page.emulate_media(media="print")
            page.set_viewport_size({"width": 694, "height": 1000})  # A4 between the margins, at 96 dpi
            page.screenshot(path=str(screenshot_path(f"handout-{lang}-print")), full_page=True)
    finally:
        context.close()
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    sizes = pdf_pages(data)
    assert 1 <= len(sizes) <= 4, f"{len(sizes)} pages"
    for width, height in sizes:
        assert abs(width - A4_POINTS[0]) < 2 and abs(height - A4_POINTS[1]) < 2, (width, height)
    if shutil.which("pdfinfo"):  # a second count, where poppler is installed
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
        assert int(re.search(r"Pages:\s+(\d+)", info).group(1)) == len(sizes)
    assert refused == []
    assert "<script" not in html
