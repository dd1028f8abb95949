// Draws the self-assessment report's charts from the JSON the server embeds in the page.
// No figure is computed here: the server sends finished scores; this file only draws them.
(function () {
  "use strict";

  var script = document.currentScript;
  var fallback = script && script.getAttribute("data-fallback");
  var palette = { leader: "#2f6f73", manager: "#b4693e", line: "#2f6f73", grid: "#d9dee3", text: "#39424e" };

  function withChart(draw) {
    if (window.Chart) { draw(); return; }
    if (!fallback) { return; }
    // The CDN could not be reached (offline, blocked): use the copy this server ships.
    var local = document.createElement("script");
    local.src = fallback;
    local.onload = draw;
    document.head.appendChild(local);
  }

  function readData() {
    var node = document.getElementById("report-data");
    return node ? JSON.parse(node.textContent) : null;
  }

  function radar(canvas, data) {
    return new window.Chart(canvas, {
      type: "radar",
      data: {
        labels: data.poles.labels,
        datasets: [{
          label: "Self",
          data: data.poles.values,
          borderColor: palette.line,
          backgroundColor: "rgba(47, 111, 115, 0.18)",
          pointBackgroundColor: data.poles.kinds.map(function (k) { return palette[k]; }),
          pointRadius: 4,
          spanGaps: false
        }]
      },
      options: {
        maintainAspectRatio: false,
        animation: false,
        plugins: { legend: { display: false } },
        scales: { r: {
          min: data.min, max: data.max, ticks: { stepSize: 1, backdropColor: "transparent", color: palette.text },
          grid: { color: palette.grid }, angleLines: { color: palette.grid },
          pointLabels: { color: palette.text, font: { size: 12 } }
        } }
      }
    });
  }

  function bars(canvas, data) {
    return new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: data.skills.labels,
        datasets: [{
          label: "Self",
          data: data.skills.values,
          backgroundColor: data.skills.families.map(function (f) {
            return f === "leadership" ? palette.leader : palette.manager;
          }),
          borderRadius: 4
        }]
      },
      options: {
        indexAxis: "y",
        maintainAspectRatio: false,
        animation: false,
        plugins: { legend: { display: false } },
        scales: {
          x: { min: data.min, max: data.max, ticks: { stepSize: 1, color: palette.text }, grid: { color: palette.grid } },
          y: { ticks: { color: palette.text }, grid: { display: false } }
        }
      }
    });
  }

  function draw() {
    var data = readData();
    if (!data || !window.Chart) { return; }
    var poleCanvas = document.getElementById("pole-chart");
    var skillCanvas = document.getElementById("skill-chart");
    if (poleCanvas) { radar(poleCanvas, data); }
    if (skillCanvas) { bars(skillCanvas, data); }
    document.documentElement.setAttribute("data-charts", "drawn");
  }

  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
  withChart(draw);
})();
