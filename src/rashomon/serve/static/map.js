/* Rashomon's interactive map (Leaflet + Leaflet.markercluster, vendored under /static/vendor/).
 * No tiles: the land is the Natural Earth layer shipped with the package (/static/world.json), drawn as
 * vector data. The incidents come from a <script type="application/json"> element named by the map's
 * data-map attribute: data, never run. Popups are built from DOM nodes with textContent, so a place name
 * or anything else from an article cannot become markup. */
(function () {
  "use strict";
  if (typeof L === "undefined") { return; }

  function text(tag, className, value) {
    var el = document.createElement(tag);
    if (className) { el.className = className; }
    el.textContent = value;
    return el;
  }

  function popup(p) {
    var box = document.createElement("div");
    box.className = "map-popup";
    var when = p.date ? p.date + (p.date_end && p.date_end !== p.date ? " – " + p.date_end : "") : "date unknown";
    box.appendChild(text("div", "when", when));
    box.appendChild(text("div", "where", p.place));
    if (p.type) { box.appendChild(text("div", "what", p.type)); }
    box.appendChild(text("div", "killed", p.killed_text + (p.disputed ? " · reports disagree" : "")));
    var link = text("a", "open", "Open the incident");
    link.href = p.href;
    box.appendChild(link);
    return box;
  }

  function radius(p) {
    var best = p.killed && p.killed.best ? p.killed.best : 0;
    return 5 + Math.min(14, Math.sqrt(best) * 1.6);
  }

  function drawLand(map, url) {
    map.createPane("land").style.zIndex = 250;  /* under the markers' pane (400) */
    fetch(url, { credentials: "same-origin" }).then(function (res) { return res.json(); }).then(function (world) {
      L.geoJSON(world, { pane: "land", interactive: false, className: "land-shape" }).addTo(map);
      map.getContainer().dataset.land = "drawn";
    });
  }

  function start(container) {
    var source = document.getElementById(container.dataset.map);
    if (!source) { return; }
    var data = JSON.parse(source.textContent);
    if (data.map) { data = data.map; }  /* the list page's element also holds the timeline's data */
    var map = L.map(container, { worldCopyJump: false, minZoom: 1, maxZoom: 12, zoomSnap: 0.5 });
    map.attributionControl.setPrefix("Leaflet");
    map.attributionControl.addAttribution("Basemap: Natural Earth (public domain)");
    drawLand(map, data.basemap);
    var cluster = L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 50 });
    var bounds = [];
    data.points.forEach(function (p) {
      var marker = L.circleMarker([p.lat, p.lon], {
        radius: radius(p), className: "incident-marker" + (p.disputed ? " disputed" : ""),
      });
      marker.bindPopup(popup(p));
      marker.on("add", function () {
        var el = marker.getElement();
        if (el) { el.setAttribute("data-incident", p.id); }
      });
      cluster.addLayer(marker);
      bounds.push([p.lat, p.lon]);
    });
    map.addLayer(cluster);
    map.incidents = cluster;
    if (bounds.length === 1 || data.single) {
      map.setView(bounds[0] || [15, 10], data.single ? 6 : 5);
    } else if (bounds.length) {
      map.fitBounds(bounds, { padding: [30, 30], maxZoom: 7 });
    } else {
      map.setView([15, 10], 1);
    }
    window.rashomonMaps = window.rashomonMaps || [];
    window.rashomonMaps.push(map);
    container.dataset.ready = "yes";
  }

  document.querySelectorAll(".lmap[data-map]").forEach(start);
})();
