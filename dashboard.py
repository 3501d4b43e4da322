"""Coalition Atlas — entry point: `streamlit run dashboard.py`.

The page's setup (the record, the view state from the URL, the sidebar with our links to the
pages, the style) and the navigation over the pages listed once in ``pages/_ui.py``
(``_ui.PAGES``): ``_ui.navigation``. Streamlit's own navigation is off
(``client.showSidebarNavigation = false``; ours is ``position="hidden"``). Every page starts
with ``_ui.atlas()`` and is whole on its own: on a fresh server, before any session has called
``st.navigation``, Streamlit runs a deep link such as ``/timeline?lang=en`` straight from
``pages/``, without this script.
"""

from pages import _ui

_ui.navigation().run()
