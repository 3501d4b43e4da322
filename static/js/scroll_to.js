/* Coalition Atlas: scroll the Sources page to the chosen passage (and the event's words in it).
 *
 * A file, not an inline script: the deployment's Content-Security-Policy runs no inline script
 * but Streamlit's own (deploy/nginx.conf). The page puts, when a passage is chosen,
 *   <span class="ca-scroll-to" data-target="passage-id" hidden></span>
 *   <script src="app/static/js/scroll_to.js"></script>
 * and Streamlit inserts the script again on each run that draws it.
 */
(function () {
  var marks = document.querySelectorAll(".ca-scroll-to");
  if (!marks.length) { return; }
  var id = marks[marks.length - 1].getAttribute("data-target"), tries = 0, settled = 0;
  function go() {
    var el = document.getElementById(id);
    if (!el) { if (++tries < 100) setTimeout(go, 100); return; }
    // the event's words if marked (a long passage beside its English is taller than the screen)
    (el.querySelector("mark.ca-hl") || el).scrollIntoView({block: "center"});
    if (++settled < 4) setTimeout(go, 300);  // again while fonts and elements above settle
  }
  go();
})();
