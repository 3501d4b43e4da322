"""The benchmark's floor: the smallest Streamlit app that draws the same events as the dashboard.

It reads the record through the project's loader (``COALITION_ATLAS_EVENTS`` and, for the
synthetic records, ``COALITION_ATLAS_PLACES``, as for the dashboard) and draws it with the bare stack: one Plotly ``go.Scatter`` (SVG, one point per
event, x = first day, y = the category's lane) and one Folium map (``tiles=None``, one default
marker per (event, place) pair at the place's coordinates, assets served from the project's
static/vendor via ``coalition_atlas.offline.localize``) through ``st_folium(...,
returned_objects=[])``. Two extras, only so that the benchmark has a floor for the two
interactions it times: a sidebar country multiselect (the filter change) and a "next" button
bound to → (the presenter step: a ring on the chart and on the map around the step's event).

Run by bench/run.py from the repository root (so that .streamlit/config.toml applies and the
static/ folder is served), through a symlink placed beside ``static`` (see bench/server.py).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import folium  # noqa: E402
import plotly.graph_objects as go  # noqa: E402
import streamlit as st  # noqa: E402
from streamlit_folium import st_folium  # noqa: E402

from coalition_atlas.load import EVENTS_PATH, load_atlas  # noqa: E402
from coalition_atlas.offline import localize  # noqa: E402
from coalition_atlas.vocabulary import CATEGORIES  # noqa: E402

st.set_page_config(page_title="floor", layout="wide")


@st.cache_resource(show_spinner=False)
def record(path: str):
    return load_atlas(Path(path))


atlas = record(str(EVENTS_PATH))
codes = sorted({c for e in atlas.events for c in e.countries})
chosen = st.sidebar.multiselect("country", codes, key="country")
events = [e for e in atlas.events if not chosen or set(e.countries) & set(chosen)]

step = st.session_state.setdefault("step", 0)
if st.button("next", shortcut="Right", key="next"):
    step = st.session_state["step"] = (step + 1) % max(len(events), 1)
current = events[step] if events and step < len(events) else None
st.markdown(f'<span class="floor-step" data-step="{step}">{step}</span>', unsafe_allow_html=True)

lane = {c: i for i, c in enumerate(CATEGORIES)}
fig = go.Figure(
    go.Scatter(
        x=[e.start for e in events], y=[lane[e.category] for e in events], mode="markers",
        customdata=[e.id for e in events], hovertext=[e.title.en for e in events], hoverinfo="text",
        marker={"size": 9}, meta="events",
    )
)
if current is not None:
    fig.add_trace(go.Scatter(x=[current.start], y=[lane[current.category]], mode="markers", name="selected",
                             customdata=[current.id], marker={"symbol": "circle-open", "size": 22}, hoverinfo="skip"))
fig.update_layout(height=420, margin={"l": 10, "r": 10, "t": 10, "b": 10}, showlegend=False,
                  yaxis={"tickvals": list(lane.values()), "ticktext": list(lane)})
st.plotly_chart(fig, key="chart")

m = folium.Map(location=[33.0, 40.0], zoom_start=4, tiles=None)
for e in events:
    for pid in e.places:
        place = atlas.places.get(pid)
        if place is not None:
            folium.Marker([place.lat, place.lon], tooltip=e.title.en).add_to(m)
ring = None
if current is not None and any(p in atlas.places for p in current.places):
    ring = folium.FeatureGroup(name="selected")
    for pid in current.places:
        if pid in atlas.places:
            folium.CircleMarker([atlas.places[pid].lat, atlas.places[pid].lon], radius=18,
                                class_name="floor-ring").add_to(ring)
localize(m)
st_folium(m, returned_objects=[], height=450, use_container_width=True, key="map", feature_group_to_add=ring)
