"""Streamlit's text elements aligned to the start of the language: one wrapper per language.

``st.title``, ``st.header``, ``st.subheader``, ``st.markdown``, ``st.caption`` and ``st.text``
take ``text_alignment``, whose default is a physical "left": in Arabic every block of text
must start on the right. Pages write ``say = aligned(lang)`` then ``say.title(...)``,
``say.markdown(...)``; each call goes to the current container (``with col:``) as ``st.x``
would. What Streamlit does not let us align this way (widget labels, its navigation) is
aligned by static/css/atlas.css.
"""

from __future__ import annotations

from functools import partial

import streamlit as st

NAMES = ("title", "header", "subheader", "markdown", "caption", "text")


class aligned:  # noqa: N801 - used like a function: aligned(lang).title(...)
    def __init__(self, lang: str) -> None:
        self.alignment = "right" if lang == "ar" else "left"

    def __getattr__(self, name: str):
        if name not in NAMES:
            raise AttributeError(name)
        return partial(getattr(st, name), text_alignment=self.alignment)
