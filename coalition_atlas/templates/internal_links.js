// Coalition Atlas: the app's own links move within the session (no page load).
//
// Links in the app's HTML (an event's "Read in the source", a figure's passage, "back to the
// timeline", a passage's citing events) are real links: they can be copied, opened in a new tab
// (middle click, Ctrl/Cmd/Shift click) and a reload of the address they lead to shows the same
// view. A plain left click on one of them would load the whole app again (a new session); this
// script, mounted once per page by pages/_links.py (st.components.v2), sends such a click to
// Python instead, which switches page with the link's query parameters (st.switch_page).
// Only unhandled plain clicks on same-origin links to one of the app's pages, without a target other than _self and
// without `download`, are taken; everything else is left to the browser.
export default function (component) {
  const { setTriggerValue, data } = component;
  const pages = new Set((data && data.pages) || []);

  function anchorOf(event) {
    const path = event.composedPath ? event.composedPath() : [];
    for (const node of path) {
      if (node instanceof HTMLAnchorElement && node.hasAttribute("href")) return node;
    }
    return null;
  }

  function onClick(event) {
    if (event.defaultPrevented || event.button !== 0) return;
    if (event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
    const a = anchorOf(event);
    if (!a || a.hasAttribute("download")) return;
    const target = (a.getAttribute("target") || "").toLowerCase();
    if (target && target !== "_self") return;
    let url;
    try {
      url = new URL(a.href, document.baseURI);
    } catch (err) {
      return;
    }
    if (url.origin !== window.location.origin) return;
    const page = url.pathname.replace(/\/+$/, "").split("/").pop();
    if (!pages.has(page)) return;
    event.preventDefault();
    setTriggerValue("go", page + url.search);
  }

  // Bubbling, not capturing: Streamlit's own links (st.page_link, the navigation) handle their
  // clicks first and mark them handled (defaultPrevented), and are then left alone here.
  document.addEventListener("click", onClick);
  document.documentElement.setAttribute("data-ca-links", "on");  // for tests: the listener is there
  return () => {
    document.removeEventListener("click", onClick);
    document.documentElement.removeAttribute("data-ca-links");
  };
}
