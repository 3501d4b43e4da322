/* Coalition Atlas: the document's language and direction follow the app's language.
 *
 * Streamlit has no public setting for <html lang dir>. dashboard.py puts, on every run,
 *   <span class="ca-lang" data-lang="ar" data-dir="rtl" hidden></span>
 *   <script src="app/static/js/lang.js"></script>
 * through st.html (unsafe_allow_javascript: a same-origin file, so a strict CSP without
 * 'unsafe-inline' still allows it). The script copies the marker's values onto <html> and
 * keeps watching: a language switch re-renders the marker, a page change may remount it.
 */
(function () {
  "use strict";
  var root = document.documentElement;
  function apply() {
    var marks = document.querySelectorAll(".ca-lang[data-lang]");
    if (!marks.length) { return; }
    var mark = marks[marks.length - 1];
    var lang = mark.getAttribute("data-lang") === "ar" ? "ar" : "en";
    var dir = lang === "ar" ? "rtl" : "ltr";
    if (root.getAttribute("lang") !== lang) { root.setAttribute("lang", lang); }
    if (root.getAttribute("dir") !== dir) { root.setAttribute("dir", dir); }
  }
  apply();
  if (window.__caLangObserver) { return; }  // one observer per page, however often the script runs
  window.__caLangObserver = new MutationObserver(apply);
  window.__caLangObserver.observe(document.body, {
    subtree: true, childList: true, attributes: true, attributeFilter: ["data-lang"]
  });
})();
