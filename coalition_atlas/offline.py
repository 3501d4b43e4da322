"""Offline browser assets: folium maps and fonts without any CDN.

folium 0.20.0 names its JavaScript/CSS as CDN URLs (cdn.jsdelivr.net,
code.jquery.com, cdnjs, netdna, ...). streamlit-folium's iframe loads the
scripts one after another and stops at the first that fails, so without
internet the map never draws. ``tools/vendor_assets.sh`` copies the same
versions into ``static/vendor/``; Streamlit serves that folder at
``/app/static/vendor/...`` (``server.enableStaticServing = true`` in
``.streamlit/config.toml``; Streamlit serves the ``static/`` folder that sits
next to the main script, i.e. the repo root's for ``dashboard.py``).

* :func:`localize` rewrites a map's (and every descendant's) ``default_js`` /
  ``default_css`` to those local files, on the instances only (folium's class
  attributes stay untouched), and adds a tiny script that fixes Leaflet's
  default marker icon path (streamlit-folium#275).
* :func:`external_urls` / :func:`assert_no_cdn` find absolute URLs in
  rendered HTML, for tests.
* :func:`fonts_css` returns ``static/fonts/fonts.css`` ready to inline.

URL form: the default ``base`` is the root-relative path ``/app/static/vendor``.
It works both inside streamlit-folium's component iframe (served by the
Streamlit server at ``/component/streamlit_folium.st_folium/index.html``) and in
``components.html``/``folium_static`` (``srcdoc`` iframe, which resolves URLs
against the Streamlit page). A *relative* ``app/static/...`` would resolve
against the component's own folder and 404 there (checked in Chromium). If the
app is served under ``server.baseUrlPath``, pass ``base=vendor_base(path)``.

This module must not import streamlit.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

from . import paths

REPO_ROOT = paths.APP_DIR  # static/ beside the app's dashboard.py (Streamlit serves it there)
STATIC_DIR = REPO_ROOT / "static"
VENDOR_DIR = STATIC_DIR / "vendor"
FONTS_DIR = STATIC_DIR / "fonts"

#: Where Streamlit's static serving exposes ``static/`` (root-relative URL).
STATIC_URL = "/app/static"
VENDOR_URL = f"{STATIC_URL}/vendor"
FONTS_URL = f"{STATIC_URL}/fonts"
#: ``<link rel="stylesheet" href=FONTS_CSS_URL>`` declares "Noto Naskh Arabic".
FONTS_CSS_URL = f"{FONTS_URL}/fonts.css"
ARABIC_FONT_FAMILY = "Noto Naskh Arabic"

# CDN URL as written in folium 0.20.0 -> file under static/vendor/.
# Keep in sync with tools/vendor_assets.sh (tests check every target exists).
LOCAL_ASSETS: dict[str, str] = {
    # folium.Map (folium/folium.py)
    "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js": "leaflet@1.9.3/leaflet.js",
    "https://code.jquery.com/jquery-3.7.1.min.js": "jquery@3.7.1/jquery.min.js",
    "https://cdn.jsdelivr.net/npm/bootstrap@5.2.2/dist/js/bootstrap.bundle.min.js": "bootstrap@5.2.2/js/bootstrap.bundle.min.js",
    "https://cdnjs.cloudflare.com/ajax/libs/Leaflet.awesome-markers/2.0.2/leaflet.awesome-markers.js": "leaflet.awesome-markers@2.0.2/leaflet.awesome-markers.js",
    "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.css": "leaflet@1.9.3/leaflet.css",
    "https://cdn.jsdelivr.net/npm/bootstrap@5.2.2/dist/css/bootstrap.min.css": "bootstrap@5.2.2/css/bootstrap.min.css",
    # Bootstrap 3.0.0 is not on npm: glyphicon rules cut out of bootstrap 3.4.1.
    "https://netdna.bootstrapcdn.com/bootstrap/3.0.0/css/bootstrap-glyphicons.css": "bootstrap@3.4.1/css/bootstrap-glyphicons.css",
    "https://cdn.jsdelivr.net/npm/@fortawesome/fontawesome-free@6.2.0/css/all.min.css": "fontawesome-free@6.2.0/css/all.min.css",
    "https://cdnjs.cloudflare.com/ajax/libs/Leaflet.awesome-markers/2.0.2/leaflet.awesome-markers.css": "leaflet.awesome-markers@2.0.2/leaflet.awesome-markers.css",
    # A file in folium's GitHub repo, not in any package: generated equivalent.
    "https://cdn.jsdelivr.net/gh/python-visualization/folium/folium/templates/leaflet.awesome.rotate.min.css": "local/leaflet.awesome.rotate.css",
    # folium.plugins.MarkerCluster
    "https://cdnjs.cloudflare.com/ajax/libs/leaflet.markercluster/1.1.0/leaflet.markercluster.js": "leaflet.markercluster@1.1.0/leaflet.markercluster.js",
    "https://cdnjs.cloudflare.com/ajax/libs/leaflet.markercluster/1.1.0/MarkerCluster.css": "leaflet.markercluster@1.1.0/MarkerCluster.css",
    "https://cdnjs.cloudflare.com/ajax/libs/leaflet.markercluster/1.1.0/MarkerCluster.Default.css": "leaflet.markercluster@1.1.0/MarkerCluster.Default.css",
}

#: Script loaded right after leaflet.js; sets L.Icon.Default.imagePath.
ICON_PATH_FIX = ("leaflet_default_icon_path", "local/leaflet-default-icon-path.js")
_LEAFLET_JS_NAME = "leaflet"

LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})

# XML namespace identifiers look like URLs but are never fetched.
_NOT_FETCHED = ("http://www.w3.org/", "https://www.w3.org/")


class UnvendoredAssetError(RuntimeError):
    """A folium element asks for a CDN file that static/vendor does not have."""


def _walk(element) -> Iterator:
    """The element and all its descendants (branca ``_children``), depth first."""
    yield element
    for child in list(getattr(element, "_children", {}).values()):
        yield from _walk(child)
    # DualMap keeps its two maps as attributes.
    for attr in ("m1", "m2"):
        sub = getattr(element, attr, None)
        if sub is not None and hasattr(sub, "_children"):
            yield from _walk(sub)


def _is_external(url: str) -> bool:
    parts = urlsplit(url)
    if url.startswith("//"):
        return (parts.hostname or "") not in LOOPBACK_HOSTS
    return parts.scheme in ("http", "https") and (parts.hostname or "") not in LOOPBACK_HOSTS


def vendor_base(base_url_path: str = "") -> str:
    """``base`` for :func:`localize` when Streamlit runs with ``server.baseUrlPath``.

    ``vendor_base("atlas") == "/atlas/app/static/vendor"``; ``vendor_base("")``
    is :data:`VENDOR_URL`. (The dashboard may pass
    ``st.get_option("server.baseUrlPath")``; this module never imports streamlit.)
    """
    path = base_url_path.strip("/")
    return f"/{path}{VENDOR_URL}" if path else VENDOR_URL


def local_url(url: str, base: str = VENDOR_URL) -> str | None:
    """Local replacement for a folium CDN ``url`` (None if not vendored)."""
    rel = LOCAL_ASSETS.get(url)
    return None if rel is None else f"{base.rstrip('/')}/{rel}"


def localize(
    m,
    base: str = VENDOR_URL,
    *,
    strict: bool = True,
    fix_icon_path: bool = True,
    tileless_max_zoom: int | None = 18,
):
    """Point ``m``'s and its descendants' JS/CSS links at the vendored copies.

    Call it after the last element (marker cluster, plugin, ...) has been added,
    right before rendering / ``st_folium``: elements added later keep their CDN
    URLs. Idempotent. Only instance attributes are set, so other maps (and
    folium's class-level defaults) are not affected.

    strict: raise :class:`UnvendoredAssetError` when an element needs a CDN
        file that is not vendored (e.g. a new plugin): vendor it first
        (tools/vendor_assets.sh + LOCAL_ASSETS). With ``strict=False`` such
        links are left as they are.
    fix_icon_path: add ``local/leaflet-default-icon-path.js`` right after
        leaflet.js (default markers are broken images otherwise in
        streamlit-folium, streamlit-folium#275).
    tileless_max_zoom: a map without any TileLayer (``tiles=None``, the
        offline case) has no maximum zoom, and Leaflet.markercluster then
        throws "Map has no maxZoom specified" and the rest of the map script
        never runs (in streamlit-folium: an iframe of height 0). Such maps get
        this ``maxZoom`` unless they set one. None: leave the map alone.

    Returns ``m``.
    """
    base = base.rstrip("/")
    missing: list[str] = []

    def rewrite(links: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
        out = []
        for name, url in links:
            new = local_url(url, base)
            if new is None and _is_external(url):
                missing.append(url)
                new = url
            out.append((name, new or url))
        return out

    for el in _walk(m):
        for attr in ("default_js", "default_css"):
            links = getattr(el, attr, None)
            if links:
                setattr(el, attr, rewrite(links))
        if fix_icon_path and any(n == _LEAFLET_JS_NAME for n, _ in getattr(el, "default_js", None) or ()):
            js = [pair for pair in el.default_js if pair[0] != ICON_PATH_FIX[0]]
            at = next(i for i, (n, _) in enumerate(js) if n == _LEAFLET_JS_NAME) + 1
            js.insert(at, (ICON_PATH_FIX[0], f"{base}/{ICON_PATH_FIX[1]}"))
            el.default_js = js

    if tileless_max_zoom is not None and isinstance(getattr(m, "options", None), dict):
        from folium.raster_layers import TileLayer  # folium is imported lazily

        has_tiles = any(isinstance(el, TileLayer) for el in _walk(m))
        if not has_tiles and not {"max_zoom", "maxZoom"} & m.options.keys():
            m.options["max_zoom"] = tileless_max_zoom

    if missing and strict:
        raise UnvendoredAssetError(
            "not vendored (add to tools/vendor_assets.sh and "
            "coalition_atlas.offline.LOCAL_ASSETS): " + ", ".join(sorted(set(missing)))
        )
    return m


def asset_urls(m) -> list[str]:
    """Every JS/CSS URL the map and its descendants ask for, in load order."""
    seen: dict[str, None] = {}
    for el in _walk(m):
        for attr in ("default_js", "default_css"):
            for _, url in getattr(el, attr, None) or ():
                seen.setdefault(url, None)
    return list(seen)


def missing_local_files(urls: Iterable[str], base: str = VENDOR_URL) -> list[str]:
    """URLs under ``base`` whose file does not exist in static/vendor/."""
    prefix = base.rstrip("/") + "/"
    return [
        u for u in urls
        if u.startswith(prefix) and not (VENDOR_DIR / u[len(prefix):]).is_file()
    ]


_URL_RE = re.compile(r"""(?i)\b(?:https?|wss?):(?://|\\/\\/)[^\s"'<>()\\`]+""")
# protocol-relative URLs ("//cdn.example/x.js") in attributes and CSS url()/@import
_PROTO_REL_RE = re.compile(
    r"""(?i)(?:\b(?:src|href|srcset|action|data)\s*=\s*["']?|url\(\s*["']?|@import\s+["'])(//[^\s"'<>()]+)"""
)


def external_urls(html: str, ignore: Iterable[str] = _NOT_FETCHED) -> list[str]:
    """Absolute URLs in ``html`` whose host is not 127.0.0.1/localhost/::1.

    Relative and root-relative URLs, data:/blob: URIs and XML namespace
    identifiers (``ignore`` prefixes) are not listed. Also finds
    protocol-relative ``//host/...`` in src/href/url(). Order kept, no
    duplicates. Plain links (``<a href="https://...">``) are listed too: it is
    a text check, not a network check.
    """
    ignore = tuple(ignore)
    found: dict[str, None] = {}
    candidates = [m.group(0) for m in _URL_RE.finditer(html)]
    candidates += [m.group(1) for m in _PROTO_REL_RE.finditer(html)]
    for url in candidates:
        url = url.replace("\\/", "/").rstrip(".,;")
        if url.startswith(ignore):
            continue
        host = urlsplit(url if "://" in url else "http:" + url).hostname or ""
        if host not in LOOPBACK_HOSTS:
            found.setdefault(url, None)
    return list(found)


def assert_no_cdn(html: str) -> None:
    """Raise AssertionError listing the external URLs found in ``html``."""
    urls = external_urls(html)
    if urls:
        raise AssertionError(f"{len(urls)} external URL(s) in HTML: " + ", ".join(urls[:20]))


def fonts_css(base: str = FONTS_URL, *, embed: bool = False) -> str:
    """``static/fonts/fonts.css`` for inlining in a ``<style>`` element.

    The file's ``url(./x.woff2)`` are relative to the CSS file, which is right
    for ``<link href="/app/static/fonts/fonts.css">`` but wrong once the rules
    are inlined (they would resolve against the page). ``embed=False``
    rewrites them to ``{base}/x.woff2``; ``embed=True`` inlines the fonts as
    ``data:font/woff2;base64,...`` (self-contained, ~170 kB, for standalone
    HTML exports).
    """
    css = (FONTS_DIR / "fonts.css").read_text(encoding="utf-8")

    def repl(match: re.Match[str]) -> str:
        name = match.group(1)
        if embed:
            data = base64.b64encode((FONTS_DIR / name).read_bytes()).decode("ascii")
            return f"url(data:font/woff2;base64,{data})"
        return f"url({base.rstrip('/')}/{name})"

    return re.sub(r"url\(\./([^)\s]+)\)", repl, css)
