// The briefing pack's map, inlined into the file by briefing.py: Leaflet draws it from the
// JSON in the element #ca-map-data; no network.
(function () {
  "use strict";
  var root = document.documentElement;
  function data(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }
  function fail(box, what, err) {
    root.setAttribute("data-ca-" + what, "failed");
    if (box) {
      var p = document.createElement("p");
      p.className = "ca-fallback";
      p.textContent = box.getAttribute("data-fallback");
      box.appendChild(p);
    }
    if (window.console) { console.error(what, err); }
  }

  // a place name is hidden where it would cover another marker or a name of more weight
  // (not its own marker: a diamond's rotated box reaches below it, over its name)
  function declutter(map) {
    var box = map.getContainer();
    var placed = Array.prototype.map.call(box.querySelectorAll(".ca-place .ca-shape"),
      function (el) { return { r: el.getBoundingClientRect(), owner: el.parentNode }; });
    var labels = Array.prototype.slice.call(box.querySelectorAll(".ca-place .ca-label"));
    labels.sort(function (a, b) { return Number(b.getAttribute("data-rank")) - Number(a.getAttribute("data-rank")); });
    labels.forEach(function (label) {
      label.style.visibility = "";
      var r = label.getBoundingClientRect();
      var clash = placed.some(function (p) {
        return p.owner !== label.parentNode &&
          r.left < p.r.right && r.right > p.r.left && r.top < p.r.bottom && r.bottom > p.r.top;
      });
      label.style.visibility = clash ? "hidden" : "";
      if (!clash) { placed.push({ r: r, owner: null }); }
    });
  }

  function drawMap() {
    var box = document.getElementById("ca-map");
    var spec = data("ca-map-data");
    if (!box || !spec) { return; }
    try {
      var map = L.map(box, { minZoom: 2, maxZoom: 10, zoomSnap: 0.25, scrollWheelZoom: false });
      map.attributionControl.setPrefix(false);
      var outlines = L.geoJSON(spec.countries, {
        attribution: "Natural Earth",
        style: function (f) {
          return { fillColor: f.properties.named ? spec.colours.named : spec.colours.land, fillOpacity: 1,
                   color: spec.colours.border, weight: 0.7 };
        },
        onEachFeature: function (f, layer) { layer.bindTooltip(f.properties.label, { sticky: true }); }
      }).addTo(map);
      CaMap.quietOutlines(outlines);  // hover names them; they are no Tab stops (static/js/atlas-map.js)
      CaMap.nameMap(map, spec.mapLabel);
      CaMap.localZoom(map, spec.zoomIn, spec.zoomOut);
      spec.places.forEach(function (p) {
        var half = p.size / 2;
        var icon = L.divIcon({ className: "ca-place ca-place-" + p.id + " ca-" + p.style, html: p.icon,
                               iconSize: [p.size, p.size], iconAnchor: [half, half], popupAnchor: [0, -half] });
        var marker = L.marker([p.lat, p.lon], { icon: icon, title: p.name, riseOnHover: true,
                                   zIndexOffset: p.style === "region" ? -1000 : 0 })
          .bindPopup(p.popup, { maxWidth: 360, maxHeight: 320 });
        CaMap.nameMarker(marker, p.name);  // its name alone, not "3Mosul"
        marker.addTo(map);
      });
      var home = function () {
        if (spec.center) { map.setView(spec.center, 6, { animate: false }); }
        else { map.fitBounds(spec.bounds, { padding: [80, 50], maxZoom: 7, animate: false }); }  // room for the names
      };
      home();
      // printed: no open popup, the whole view (a popup may have panned the map)
      var forPrint = function () { map.closePopup(); home(); declutter(map); };
      window.addEventListener("beforeprint", forPrint);
      if (window.matchMedia) {
        var print = window.matchMedia("print");
        var onChange = function (e) { if (e.matches) { forPrint(); } };
        if (print.addEventListener) { print.addEventListener("change", onChange); } else if (print.addListener) { print.addListener(onChange); }
      }
      var legend = L.control({ position: spec.legendPosition });
      legend.onAdd = function () {
        var div = L.DomUtil.create("div", "ca-legend");
        div.setAttribute("dir", spec.dir);
        div.innerHTML = spec.legend;
        return div;
      };
      legend.addTo(map);
      map.on("zoomend", function () { declutter(map); });
      declutter(map);
      if (document.fonts && document.fonts.ready) { document.fonts.ready.then(function () { declutter(map); }); }
      root.setAttribute("data-ca-map", "drawn");
    } catch (err) { fail(box, "map", err); }
  }

  function start() { drawMap(); }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
