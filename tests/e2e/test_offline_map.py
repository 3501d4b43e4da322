"""The folium map draws with no internet: vendored JS/CSS, working default icon."""

from __future__ import annotations

import folium
from folium.plugins import MarkerCluster

from coalition_atlas import offline

APP = "tests/e2e/apps/offline_map_app.py"
# streamlit-folium's component iframe (served by Streamlit at /component/...)
MAP_IFRAME = 'iframe[src*="streamlit_folium"]'


def _map() -> folium.Map:
    m = folium.Map(location=[48.86, 2.34], zoom_start=12, tiles=None)
    folium.GeoJson(
        {"type": "Polygon", "coordinates": [[[2.3, 48.84], [2.38, 48.84], [2.38, 48.88], [2.3, 48.84]]]}
    ).add_to(m)
    folium.Marker([48.86, 2.34]).add_to(m)
    folium.Marker([48.85, 2.33], icon=folium.Icon(icon="info-sign", angle=30)).add_to(m)
    cluster = MarkerCluster().add_to(m)
    folium.Marker([48.87, 2.35]).add_to(cluster)
    return m


def test_localize_leaves_no_cdn_url_and_all_files_exist():
    m = _map()
    assert offline.external_urls(m.get_root().render())  # folium's defaults are CDN URLs

    offline.localize(m)
    html = m.get_root().render()
    assert offline.external_urls(html) == []
    urls = offline.asset_urls(m)
    assert offline.missing_local_files(urls) == []
    assert all(u.startswith(offline.VENDOR_URL + "/") for u in urls)
    # the icon-path shim comes right after leaflet.js (it needs L)
    js = [u for _, u in m.default_js]
    assert js[1].endswith("local/leaflet-default-icon-path.js") and js[0].endswith("/leaflet.js")
    # folium's class-level defaults are untouched (other maps keep working as before)
    assert folium.Map.default_js[0][1].startswith("https://")
    assert MarkerCluster.default_js[0][1].startswith("https://")


def test_localize_is_idempotent_and_sets_max_zoom_for_tileless_maps():
    m = offline.localize(_map())
    first = offline.asset_urls(m)
    offline.localize(m)
    assert offline.asset_urls(m) == first
    assert m.options["max_zoom"] == 18  # else MarkerCluster throws "Map has no maxZoom specified"
    tiled = offline.localize(folium.Map(tiles=folium.TileLayer(tiles="/tiles/{z}/{x}/{y}.png", attr="local")))
    assert "max_zoom" not in tiled.options


def test_icon_path_shim_points_at_vendored_leaflet_images():
    import re

    js = (offline.VENDOR_DIR / offline.ICON_PATH_FIX[1]).read_text()
    rel = re.search(r'new URL\("\.\./([^"]+)"', js).group(1)
    assert (offline.VENDOR_DIR / rel / "marker-icon.png").is_file()
    assert (offline.VENDOR_DIR / rel / "marker-shadow.png").is_file()


def test_every_known_cdn_url_is_vendored():
    assert offline.missing_local_files(offline.local_url(u) for u in offline.LOCAL_ASSETS) == []
    # folium 0.20.0's own lists are all covered
    for _, url in folium.Map.default_js + folium.Map.default_css + MarkerCluster.default_js + MarkerCluster.default_css:
        assert url in offline.LOCAL_ASSETS, url


def test_localize_strict_rejects_unvendored_plugin():
    from folium.plugins import Fullscreen

    m = folium.Map(tiles=None)
    Fullscreen().add_to(m)
    try:
        offline.localize(m)
    except offline.UnvendoredAssetError as e:
        assert "fullscreen" in str(e).lower()
    else:
        raise AssertionError("expected UnvendoredAssetError")


def test_external_urls_helper():
    html = (
        '<script src="https://cdn.example.com/a.js"></script>'
        '<link href="//fonts.example.net/x.css" rel="stylesheet">'
        '<img src="http://127.0.0.1:8501/app/static/x.png"><img src="/app/static/y.png">'
        '<svg xmlns="http://www.w3.org/2000/svg"></svg>'
        "<style>@font-face{src:url(https://fonts.gstatic.com/f.woff2)}</style>"
    )
    assert offline.external_urls(html) == [
        "https://cdn.example.com/a.js",
        "https://fonts.gstatic.com/f.woff2",
        "//fonts.example.net/x.css",
    ]


def test_fonts_css_inlinable():
    css = offline.fonts_css()
    assert css.count("@font-face") == 4 and 'url(./' not in css
    assert f"url({offline.FONTS_URL}/noto-naskh-arabic-arabic-700-normal.woff2)" in css
    assert offline.external_urls(css) == []


def test_offline_map_renders_with_default_icon(streamlit_app, page, wait_for_app_run, screenshot_path):
    base_url = streamlit_app(APP)
    page.goto(base_url + "/")
    wait_for_app_run(page)

    frame = page.frame_locator(MAP_IFRAME)
    # 1 plain marker + the cluster's bubble or its 5 markers
    frame.locator(".leaflet-marker-icon").first.wait_for(state="visible", timeout=30_000)
    default_icon = frame.locator('img.leaflet-marker-icon[src*="marker-icon"]').first
    default_icon.wait_for(state="visible")
    src = default_icon.get_attribute("src")
    assert "/app/static/vendor/leaflet@1.9.3/images/marker-icon" in src, src
    # the image really loaded (a broken image has naturalWidth 0)
    natural_width = default_icon.evaluate("img => img.complete ? img.naturalWidth : -1")
    if natural_width <= 0:  # not decoded yet: wait for it, without sleeping
        default_icon.evaluate("img => img.decode()")
        natural_width = default_icon.evaluate("img => img.naturalWidth")
    assert natural_width > 0, f"default marker icon did not load: {src}"

    frame.locator(".marker-cluster").first.wait_for(state="visible")  # MarkerCluster works
    frame.locator("path.leaflet-interactive").first.wait_for(state="attached")  # GeoJSON polygon

    # the vendored Arabic font (static/fonts, inlined via offline.fonts_css()) is used
    arabic = page.locator("#arabic-sample")
    arabic.wait_for(state="visible")
    loaded = arabic.evaluate(
        """async el => {
            await document.fonts.ready;
            const faces = await document.fonts.load('700 24px "Noto Naskh Arabic"', el.textContent);
            return faces.map(f => f.status + ':' + f.weight);
        }"""
    )
    assert "loaded:700" in loaded, loaded

    page.screenshot(path=str(screenshot_path("offline_map")), full_page=True)
    assert page.external_requests == []
