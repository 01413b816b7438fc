/* Rashomon's timeline (uPlot, vendored under /static/vendor/): incidents per day, week or month as bars,
 * and killed (best estimate, with the low-high band) as a line, over the incidents matching the list's
 * filters. Clicking a bar filters the list to that period (date_from / date_to). The data comes from the
 * <script type="application/json"> element named by data-src. */
(function () {
  "use strict";
  if (typeof uPlot === "undefined") { return; }

  var COUNTS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000, 100000];  /* whole numbers */

  function seconds(day) { return Date.parse(day + "T00:00:00Z") / 1000; }

  function pickUnit(units) {
    var order = ["day", "week", "month"];
    for (var i = 0; i < order.length; i++) {
      if (units[order[i]] && units[order[i]].length <= 60) { return order[i]; }
    }
    return units.month ? "month" : Object.keys(units)[0];
  }

  function filterTo(bin) {
    var params = new URLSearchParams(window.location.search);
    params.set("date_from", bin.start);
    params.set("date_to", bin.end);
    params.delete("page");
    window.location.assign(window.location.pathname + "?" + params.toString());
  }

  var current = null;

  function draw(box, bins, unit) {
    if (current) { current.destroy(); }
    box.textContent = "";
    var xs = bins.map(function (b) { return seconds(b.start); });
    var data = [xs, bins.map(function (b) { return b.incidents; }), bins.map(function (b) { return b.best; }),
      bins.map(function (b) { return b.high; }), bins.map(function (b) { return b.low; })];
    var width = Math.max(320, box.clientWidth || 800);
    var opts = {
      width: width, height: 220, cursor: { drag: { x: false, y: false } }, legend: { show: true },
      scales: { x: { time: true }, n: { auto: true, range: function (u, lo, hi) { return [0, Math.max(1, hi)]; } },
        k: { auto: true, range: function (u, lo, hi) { return [0, Math.max(1, hi)]; } } },
      axes: [{}, { scale: "n", label: "incidents", incrs: COUNTS },
        { scale: "k", side: 1, label: "killed", grid: { show: false }, incrs: COUNTS }],
      series: [
        { label: unit },
        { label: "incidents", scale: "n", fill: "rgba(47, 95, 179, 0.55)", stroke: "#2f5fb3", width: 0,
          paths: uPlot.paths.bars({ size: [0.7, 60], align: 0 }), points: { show: false } },
        { label: "killed (best)", scale: "k", stroke: "#b3412f", width: 2 },
        { label: "killed (high)", scale: "k", stroke: "rgba(179, 65, 47, 0.35)", width: 1 },
        { label: "killed (low)", scale: "k", stroke: "rgba(179, 65, 47, 0.35)", width: 1 },
      ],
      bands: [{ series: [3, 4], fill: "rgba(179, 65, 47, 0.15)" }],
    };
    var plot = new uPlot(opts, data, box);
    plot.over.addEventListener("click", function () {
      var idx = plot.cursor.idx;
      if (idx !== null && idx !== undefined && bins[idx] && bins[idx].incidents > 0) { filterTo(bins[idx]); }
    });
    box.dataset.unit = unit;
    box.dataset.bins = String(bins.length);
    window.rashomonTimeline = plot;
    current = plot;
    return plot;
  }

  function start(box) {
    var source = document.getElementById(box.dataset.src);
    if (!source) { return; }
    var data = JSON.parse(source.textContent).timeline;
    var units = data.units;
    if (!Object.keys(units).length) { box.textContent = "No dated incident to draw."; return; }
    var unit = pickUnit(units);
    draw(box, units[unit], unit);
    document.querySelectorAll("button[data-unit]").forEach(function (button) {
      button.disabled = !units[button.dataset.unit];
      button.setAttribute("aria-pressed", String(button.dataset.unit === unit));
      button.addEventListener("click", function () {
        unit = button.dataset.unit;
        document.querySelectorAll("button[data-unit]").forEach(function (b) {
          b.setAttribute("aria-pressed", String(b === button));
        });
        draw(box, units[unit], unit);
      });
    });
    box.dataset.ready = "yes";
  }

  document.querySelectorAll(".timeline[data-src]").forEach(start);
})();
