"""The dashboard's page style: the shipped Arabic font, the text direction, the atlas's blocks.

Kept free of "<tag" text: Streamlit's HTML sanitiser drops a whole <style> that holds one.
"""

from __future__ import annotations

from functools import lru_cache

from .offline import fonts_css


@lru_cache(maxsize=2)
def page_css(direction: str) -> str:
    """A <style> element for every page; ``direction`` is "rtl" or "ltr"."""
    return f"""<style>
{fonts_css()}
html, body, [data-testid="stApp"], [data-testid="stApp"] *:not(code):not(pre):not(.material-symbols-rounded):not([data-testid="stIconMaterial"]) {{
  font-family: "Noto Naskh Arabic", "Source Sans Pro", sans-serif;
}}
[data-testid="stMain"], [data-testid="stSidebarContent"] {{ direction: {direction}; text-align: start; }}
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p {{ color: #333; opacity: 1; }}
.ca-event {{ border-inline-start: 4px solid #0072B2; padding-inline-start: .8rem; margin-block: .6rem; }}
.ca-meta {{ color: #444; font-size: .95rem; }}
.ca-quote {{ margin: .4rem 0; padding: .4rem .8rem; background: #f4f4f4; border-radius: 4px; }}
.ca-quote .ca-ar {{ font-size: 1.1rem; }}
.ca-cite {{ font-size: .9rem; }}
mark.ca-hl {{ background: #ffe08a; color: #000; padding: 0 .1em; }}
.ca-passage {{ scroll-margin-top: 4rem; }}
.ca-figures {{ display: grid; grid-template-columns: repeat(auto-fill, minmax(13rem, 1fr)); gap: .8rem; }}
.ca-figure {{ border: 1px solid #ccc; border-radius: 6px; padding: .6rem .8rem; }}
.ca-figure p {{ margin: .2rem 0; }}
.ca-figure-value {{ font-size: 1.6rem; font-weight: 700; color: #00466e; }}
.ca-doc {{ border: 1px solid #ccc; border-radius: 6px; padding: .6rem .8rem; height: 100%; }}
.ca-doc-title {{ font-weight: 700; margin: .1rem 0; }}
</style>"""
