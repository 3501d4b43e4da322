/* Coalition Atlas: what every map does for the keyboard and for screen readers.
 *
 * Loaded by the dashboard's maps (a script link in the map's frame, served from static/) and
 * inlined in the briefing pack. Leaflet's public API and the DOM only. window.CaMap:
 *
 *   quietOutlines(layer)  the country outlines are not Tab stops: Leaflet 1.9 listens for
 *                         focus on every shape with a tooltip, which makes Chromium put each
 *                         SVG path in the Tab order (250 unnamed stops). Hover still names them.
 *   nameMarker(marker, name)  a place's marker is read by its name alone (not "2Africa": the
 *                         count and the name drawn under it are hidden from screen readers).
 *   nameMap(map, label)   the map's own Tab stop (arrow keys pan it) says what it is.
 *   localZoom(map, zoomIn, zoomOut)  the zoom buttons named in the page's language.
 *   plainPrefix(map)      Leaflet's credit as text: no link to leave the page from inside a map.
 *   focusWithoutScroll(map)  a click focuses the map without scrolling the page under the
 *                         pointer (Leaflet scrolls only its own window, the frame's).
 *   giveKeysBack()        in the presenter: after a click on the map the page gets the keys
 *                         back, so that → and the clicker still step.
 *   scaleLabels(map)      in the presenter: names on the map as large as the page's text
 *                         (the page's --ca-zoom, read from the parent document).
 */
(function () {
  "use strict";

  // now if the layer is drawn, else when it is (a map without a view yet draws nothing)
  function whenDrawn(layer, fn) {
    if (layer.getElement && layer.getElement()) { fn(layer.getElement()); }
    layer.on("add", function () { fn(layer.getElement()); });
  }

  function quietOutlines(layer) {
    layer.eachLayer(function (shape) {
      whenDrawn(shape, function (el) {
        el.setAttribute("tabindex", "-1");
        el.setAttribute("aria-hidden", "true");
      });
    });
  }

  function nameMarker(marker, name) {
    whenDrawn(marker, function (el) {
      el.setAttribute("aria-label", name);
      Array.prototype.forEach.call(el.children, function (child) { child.setAttribute("aria-hidden", "true"); });
    });
  }

  function nameMap(map, label) {
    var box = map.getContainer();
    box.setAttribute("role", "region");
    box.setAttribute("aria-label", label);
  }

  function localZoom(map, zoomIn, zoomOut) {
    if (!map.zoomControl) { return; }
    var position = map.zoomControl.getPosition();
    map.removeControl(map.zoomControl);
    map.zoomControl = L.control.zoom({ position: position, zoomInTitle: zoomIn, zoomOutTitle: zoomOut }).addTo(map);
  }

  function plainPrefix(map) {
    if (map.attributionControl) { map.attributionControl.setPrefix("Leaflet"); }
  }

  function focusWithoutScroll(map) {
    var box = map.getContainer();
    // capture: before Leaflet's own mousedown handler, which then finds the map focused
    box.addEventListener("mousedown", function () {
      if (map.keyboard && map.keyboard.enabled() && document.activeElement !== box && !box.contains(document.activeElement)) {
        box.focus({ preventScroll: true });
      }
    }, true);
  }

  function giveKeysBack() {
    var parentWindow;
    try { parentWindow = window.parent !== window ? window.parent : null; } catch (err) { parentWindow = null; }
    if (!parentWindow) { return; }
    // at once (a key pressed right after the click must reach the page); Leaflet's click that
    // follows still opens the popup, which takes no focus
    document.addEventListener("pointerup", function () {
      if (document.activeElement && document.activeElement.blur) { document.activeElement.blur(); }
      parentWindow.focus();
    }, true);
  }

  function scaleLabels(map) {
    var root = document.documentElement;
    function apply() {
      var zoom = 1;
      try {
        zoom = parseFloat(window.parent.getComputedStyle(window.parent.document.documentElement).getPropertyValue("--ca-zoom")) || 1;
      } catch (err) { zoom = 1; }
      root.style.setProperty("--ca-zoom", String(zoom));
    }
    apply();
    try { window.parent.addEventListener("resize", apply); } catch (err) { /* another origin: keep 1 */ }
    window.addEventListener("resize", apply);
    if (map) { map.whenReady(apply); }
  }

  window.CaMap = {
    quietOutlines: quietOutlines, nameMarker: nameMarker, nameMap: nameMap, localZoom: localZoom, plainPrefix: plainPrefix,
    focusWithoutScroll: focusWithoutScroll, giveKeysBack: giveKeysBack, scaleLabels: scaleLabels
  };
})();
