// Draws the 360 report's charts (self against others) from the JSON the server embeds.
// Every figure, and every decision about what may be shown, comes from the server.
(function () {
  "use strict";

  var script = document.currentScript;
  var fallback = script && script.getAttribute("data-fallback");
  var colours = { self: "#2f6f73", others: "#9a5530", grid: "#d9dee3", text: "#39424e" };

  function withChart(draw) {
    if (window.Chart) { draw(); return; }
    if (!fallback) { return; }
    var local = document.createElement("script");  // the CDN is unreachable: use our copy
    local.src = fallback;
    local.onload = draw;
    document.head.appendChild(local);
  }

  function datasets(series, othersLabel, fill) {
    return [
      { label: "Self", data: series.self, borderColor: colours.self, backgroundColor: fill ? "rgba(47,111,115,0.15)" : colours.self, pointRadius: 3 },
      { label: othersLabel || "Others", data: series.others, borderColor: colours.others, backgroundColor: fill ? "rgba(154,85,48,0.10)" : colours.others, borderDash: fill ? [6, 4] : [], pointRadius: 3 }
    ];
  }

  // Long scale names wrap onto two lines so they fit beside a chart on a phone.
  function wrap(label) {
    if (label.length < 16 || label.indexOf(" ") < 0) { return label; }
    var middle = Math.floor(label.length / 2);
    var before = label.lastIndexOf(" ", middle);
    var after = label.indexOf(" ", middle);
    var cut = before < 0 ? after : (after < 0 || middle - before <= after - middle ? before : after);
    return [label.slice(0, cut), label.slice(cut + 1)];
  }

  function narrow() { return window.matchMedia("(max-width: 640px)").matches; }

  function draw() {
    var node = document.getElementById("report-data");
    if (!node || !window.Chart) { return; }
    var data = JSON.parse(node.textContent);
    var ticks = { stepSize: 1, color: colours.text, backdropColor: "transparent" };
    var radar = document.getElementById("pole-chart");
    if (radar) {
      new window.Chart(radar, {
        type: "radar",
        data: { labels: data.poles.labels.map(wrap), datasets: datasets(data.poles, data.others_label, true) },
        options: { maintainAspectRatio: false, animation: false,
          scales: { r: { min: data.min, max: data.max, ticks: ticks, grid: { color: colours.grid },
            angleLines: { color: colours.grid },
            pointLabels: { color: colours.text, font: { size: narrow() ? 10 : 12 } } } } }
      });
    }
    var bars = document.getElementById("skill-chart");
    if (bars) {
      new window.Chart(bars, {
        type: "bar",
        data: { labels: data.skills.labels.map(wrap), datasets: datasets(data.skills, data.others_label, false) },
        options: { indexAxis: "y", maintainAspectRatio: false, animation: false,
          scales: { x: { min: data.min, max: data.max, ticks: ticks, grid: { color: colours.grid } },
            y: { ticks: { color: colours.text, font: { size: narrow() ? 10 : 12 } }, grid: { display: false } } } }
      });
    }
    document.documentElement.setAttribute("data-charts", "drawn");
  }

  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
  withChart(draw);
})();
