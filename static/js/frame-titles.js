/* Coalition Atlas: give the maps' frames a title a screen reader can say.
 *
 * st_folium's frame is titled after the component ("streamlit_folium.st_folium"). Each page
 * puts a <script data-ca-frame="CSS selector" data-ca-frame-title="…"> next to its map (through
 * st.html, coalition_atlas/templates/frame_title.html); this file, loaded by it from static/,
 * sets the title of the frames the selector finds, now and whenever the page changes (a rerun
 * may draw the frame again). DOM APIs only.
 */
(function () {
  "use strict";

  function apply() {
    var wanted = document.querySelectorAll("script[data-ca-frame]");
    Array.prototype.forEach.call(wanted, function (script) {
      var title = script.getAttribute("data-ca-frame-title");
      var frames = [];
      try { frames = document.querySelectorAll(script.getAttribute("data-ca-frame")); } catch (err) { frames = []; }
      Array.prototype.forEach.call(frames, function (frame) {
        if (frame.tagName === "IFRAME" && frame.getAttribute("title") !== title) { frame.setAttribute("title", title); }
      });
    });
  }

  apply();
  if (!window.caFrameTitles) {  // one observer for the whole session, however many scripts load
    window.caFrameTitles = new MutationObserver(apply);
    window.caFrameTitles.observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ["title"] });
  }
})();
