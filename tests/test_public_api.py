"""Public APIs only (GUIDE rule 7): no private Streamlit, streamlit-folium, folium or Leaflet
internals in the app. The exceptions still left are listed here with their reason, and may only
shrink: a new private call fails this test (a listed one that is gone: strike it from KNOWN)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = sorted([ROOT / "dashboard.py", *(ROOT / "pages").glob("*.py"), *(ROOT / "coalition_atlas").rglob("*.py")])

PRIVATE = {
    "Streamlit internals": re.compile(r"\bstreamlit\.(runtime|elements|commands|web|proto|delta_generator)\b|\bPagesManager\b"),
    "streamlit-folium private names": re.compile(r"\bsf\._\w+|streamlit_folium\._\w+|\bfrom streamlit_folium import _"),
    "folium/branca private attributes": re.compile(r"\._children\b|[\"']_children[\"']"),
    "Leaflet private members": re.compile(r"\._on[A-Z]\w*\s*="),
}

# (file, kind): why it is still there; shrink only.
KNOWN = {
    ("coalition_atlas/offline.py", "folium/branca private attributes"): "reads branca's element tree to localise assets",
    ("coalition_atlas/maps.py", "folium/branca private attributes"): "a MacroElement of ours walks its own children",
    ("coalition_atlas/maps.py", "Leaflet private members"): "keyboard._onMouseDown: keys after a click (keyboard issue)",
}


def found() -> set[tuple[str, str]]:
    hits = set()
    for path in SOURCES:
        code = "\n".join(line for line in path.read_text(encoding="utf-8").splitlines() if not line.lstrip().startswith("#"))
        for kind, pattern in PRIVATE.items():
            if pattern.search(code):
                hits.add((str(path.relative_to(ROOT)), kind))
    return hits


def test_no_new_private_api():
    assert found() <= set(KNOWN), sorted(found() - set(KNOWN))


def test_navigation_is_public_and_the_page_list_written_once():
    """No PagesManager switch; dashboard.py names no page (``pages/_ui.py``'s PAGES does)."""
    entry = (ROOT / "dashboard.py").read_text(encoding="utf-8")
    assert "pages/" not in entry.split('"""', 2)[-1] and "st.Page(" not in entry
    ui = (ROOT / "pages" / "_ui.py").read_text(encoding="utf-8")
    assert "PagesManager" not in ui and "uses_pages_directory" not in ui
    config = (ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8")
    assert re.search(r"^showSidebarNavigation = false$", config, re.M)
