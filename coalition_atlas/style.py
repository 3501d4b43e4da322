"""The dashboard's page style: the shipped Arabic font and ``static/css/atlas.css``.

The stylesheet is a real file; it is inlined (with the font's @font-face rules, whose URLs
``offline.fonts_css`` makes absolute) in one <style> element on every page. The direction
comes from ``<html dir>`` (``static/js/lang.js``); the two rules that set it on Streamlit's
main area and sidebar are also written here per language, so that the first paint, before the
script has run, is already in the right direction.

Kept free of "<tag" text: Streamlit's HTML sanitiser drops a whole <style> that holds one.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from .offline import fonts_css

CSS_FILE = Path(__file__).resolve().parent.parent / "static" / "css" / "atlas.css"
LANG_SCRIPT = "app/static/js/lang.js"  # relative: also right under a --server.baseUrlPath


@lru_cache(maxsize=2)
def page_css(direction: str) -> str:
    """A <style> element for every page; ``direction`` is "rtl" or "ltr"."""
    first_paint = f'[data-testid="stMain"], [data-testid="stSidebarContent"] {{ direction: {direction}; }}'
    css = f"{fonts_css()}\n{first_paint}\n{CSS_FILE.read_text(encoding='utf-8')}"
    # comments out: one that names a tag (fonts.css shows a <link>) makes the sanitiser drop it all
    return f"<style>\n{re.sub(r'/[*].*?[*]/', '', css, flags=re.S)}\n</style>"
