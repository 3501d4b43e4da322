"""Coalition Atlas: the curated record of two Coalition documents, and what reads it.

This package never imports streamlit: pages wire widgets to the plain functions here.
"""
