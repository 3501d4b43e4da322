"""Navigation through public APIs only, on a freshly started server: a deep link opened first
draws its page whole (sidebar, filters, our page links, the view from the URL), Streamlit's
own navigation never lists the files of ``pages/`` (not even for a moment), and the pages link
to each other keeping the view. ``streamlit run dashboard.py`` as documented."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from pages._ui import PAGES

# Records, from the first byte of the document on, every text the sidebar navigation ever shows.
WATCH_NAV = """
window.__navSeen = [];
new MutationObserver(() => {
  document.querySelectorAll('[data-testid="stSidebarNav"], [data-testid="stSidebarNavItems"]').forEach(el => {
    window.__navSeen.push(el.innerText);
  });
}).observe(document, {subtree: true, childList: true});
"""


@pytest.fixture(scope="module")
def fresh_server(start_streamlit):
    """A server of its own, started for this module: no session has called st.navigation yet."""
    with start_streamlit("dashboard.py") as url:
        yield url


def sidebar_links(page) -> list[str]:
    """The hrefs of our page links in the sidebar, once all are drawn (a first load of "/" on a
    fresh server runs the script twice: Streamlit switches to st.navigation and reruns)."""
    expect(page.locator('[data-testid="stSidebar"] [data-testid="stPageLink"] a')).to_have_count(len(PAGES), timeout=90_000)
    return page.locator('[data-testid="stSidebar"] [data-testid="stPageLink"] a').evaluate_all(
        "as => as.map(a => a.getAttribute('href'))"
    )


def test_deep_link_first_on_a_fresh_server(page, fresh_server, wait_for_app_run, screenshot_path):
    page.add_init_script(WATCH_NAV)
    page.goto(f"{fresh_server}/timeline?lang=en&country=LBY")
    wait_for_app_run(page, timeout=90_000)
    page.wait_for_selector(".js-plotly-plot .scatterlayer .point", state="attached", timeout=30_000)
    page.screenshot(path=screenshot_path("navigation-fresh-deep-link"))
    # the page is whole: the sidebar's filters hold the URL's view, and our links carry it
    sidebar = page.locator('[data-testid="stSidebar"]')
    assert sidebar.get_by_text("Libya").count() >= 1
    hrefs = sidebar_links(page)
    # the default page (the overview) is the app's root, as on any server that has served a page
    assert [re.sub(r"\?.*", "", h).rsplit("/", 1)[-1] for h in hrefs] == ["" if default else name for name, default in PAGES]
    assert all("lang=en" in h and "country=LBY" in h for h in hrefs), hrefs
    assert re.search(r"/timeline\?", page.url) and "country=LBY" in page.url
    # Streamlit's own navigation never appeared: no file names of pages/ (_ui, _cached…)
    assert page.evaluate("window.__navSeen") == []
    assert page.locator('[data-testid="stSidebarNav"]').count() == 0
    # to another page in the session, the view kept
    sidebar.locator('[data-testid="stPageLink"] a', has_text="Map").click()
    page.wait_for_url(re.compile(r"/map\?"), timeout=30_000)
    wait_for_app_run(page, timeout=60_000)
    assert "country=LBY" in page.url and "lang=en" in page.url
    assert page.evaluate("window.__navSeen") == []


@pytest.mark.parametrize("name", ["_ui", "_cached"])
def test_helper_modules_are_not_pages(page, fresh_server, wait_for_app_run, name):
    page.goto(f"{fresh_server}/{name}?lang=en")
    page.wait_for_url(re.compile(r"/overview|/\?|/$"), timeout=60_000)
    wait_for_app_run(page, timeout=60_000)
    assert len(sidebar_links(page)) == len(PAGES)


def test_home_then_every_page(page, fresh_server, wait_for_app_run):
    page.add_init_script(WATCH_NAV)
    page.goto(f"{fresh_server}/?lang=en")
    wait_for_app_run(page, timeout=90_000)
    assert len(sidebar_links(page)) == len(PAGES)
    for name, _ in PAGES:
        page.goto(f"{fresh_server}/{name}?lang=en")
        wait_for_app_run(page, timeout=90_000)
        assert page.locator('[data-testid="stException"]').count() == 0, name
        assert len(sidebar_links(page)) == len(PAGES), name
    assert page.evaluate("window.__navSeen") == []


def test_the_first_filter_after_a_restart_holds(page, start_streamlit, wait_for_app_run):
    """The first run of a fresh process is Streamlit's pages/ folder mode; a widget set in the
    run after it used to lose its value (its id changes with the mode). A server of its own."""
    with start_streamlit("dashboard.py") as url:
        page.goto(f"{url}/?lang=en")
        wait_for_app_run(page, timeout=90_000)
        expect(page.locator('[data-testid="stSidebar"] [data-testid="stPageLink"] a')).to_have_count(len(PAGES), timeout=90_000)
        box = page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').first
        box.click()
        page.keyboard.type("Libya")
        page.locator('[role="option"]', has_text="Libya").first.wait_for()
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(r"country=LBY"), timeout=60_000)
        wait_for_app_run(page, timeout=60_000)
        expect(box).to_contain_text("Libya")
