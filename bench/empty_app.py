"""The emptiest Streamlit app: what Streamlit itself costs per page load (bench/capacity.py)."""

import streamlit as st

st.write("")
