"""Test app: a folium map that must draw with no internet.

tiles=None, a GeoJSON polygon, a default-icon Marker and a MarkerCluster, all
JS/CSS served from static/vendor via coalition_atlas.offline.localize(); plus
a line of Arabic in the vendored "Noto Naskh Arabic" (static/fonts).
Run by tests/e2e/test_offline_map.py (see conftest.start_streamlit).
"""

import sys
from pathlib import Path

import folium
import streamlit as st
from folium.plugins import MarkerCluster
from streamlit_folium import st_folium

REPO_ROOT = Path(__file__).resolve().parents[3]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from coalition_atlas.offline import ARABIC_FONT_FAMILY, fonts_css, localize  # noqa: E402

POLYGON = {
    "type": "Feature",
    "properties": {"name": "Test area"},
    "geometry": {
        "type": "Polygon",
        "coordinates": [[[2.30, 48.84], [2.38, 48.84], [2.38, 48.88], [2.30, 48.88], [2.30, 48.84]]],
    },
}

st.title("Offline map")
st.markdown(f"<style>{fonts_css()}</style>", unsafe_allow_html=True)
st.markdown(
    f'<p lang="ar" dir="rtl" id="arabic-sample" style="font-family: \'{ARABIC_FONT_FAMILY}\', serif;'
    f' font-size: 1.5rem">أطلس التحالفات — <b>خريطة</b></p>',
    unsafe_allow_html=True,
)

m = folium.Map(location=[48.86, 2.34], zoom_start=12, tiles=None)
folium.GeoJson(POLYGON, name="area", tooltip="Test area").add_to(m)
folium.Marker([48.86, 2.34], tooltip="default icon").add_to(m)
cluster = MarkerCluster(name="cluster").add_to(m)
for i in range(5):
    folium.Marker([48.845 + i * 0.001, 2.37 + i * 0.001]).add_to(cluster)
localize(m)

st_folium(m, key="offline_map", height=420, width=700, returned_objects=[])
