/* A tap on a chart's mark chooses its event, as a click does.
 *
 * plotly.js handles a touch on its plot area itself: the tap shows the hover label and emits
 * plotly_click, but it does not select the point, and Streamlit's plotly chart reports a
 * selection only (st.plotly_chart on_select). A touch that reaches no plotly handler is turned
 * by the browser into the mouse events of a click, which plotly handles as a click: the point is
 * selected and Streamlit reruns with it. So touches on a chart's plot area stop here, before
 * plotly's handlers; nothing is prevented: scrolling the page over the chart still works.
 */
(function () {
  "use strict";
  if (window.__caTouchTaps) { return; }  // once per page: Streamlit may insert the script again
  window.__caTouchTaps = true;
  ["touchstart", "touchmove", "touchend"].forEach(function (type) {
    document.addEventListener(type, function (event) {
      var target = event.target;
      if (target && target.closest && target.closest(".js-plotly-plot .nsewdrag")) {
        event.stopPropagation();
      }
    }, { capture: true, passive: true });
  });
})();
