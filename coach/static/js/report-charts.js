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

  // Below this width (a phone) labels are wrapped onto short lines and set smaller,
  // so the radar's ten labels and the bars' skill names fit instead of being cut off.
  var NARROW = 560;

  function isNarrow(chart) { return chart.width < NARROW; }

  function wrapWords(text, width) {
    var lines = [];
    var line = "";
    String(text).split(" ").forEach(function (word) {
      if (line && (line + " " + word).length > width) { lines.push(line); line = word; }
      else { line = line ? line + " " + word : word; }
    });
    if (line) { lines.push(line); }
    return lines;
  }

  function fontFor(size, narrowSize) {
    return function (context) { return { size: isNarrow(context.chart) ? narrowSize : size }; };
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
          min: data.min, max: data.max,
          ticks: { stepSize: 1, backdropColor: "transparent", color: palette.text, font: fontFor(11, 10) },
          grid: { color: palette.grid }, angleLines: { color: palette.grid },
          pointLabels: {
            color: palette.text,
            font: fontFor(13, 11),
            padding: 6,
            callback: function (label) { return wrapWords(label, isNarrow(this.chart) ? 11 : 24); }
          }
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
          x: { min: data.min, max: data.max, ticks: { stepSize: 1, color: palette.text, font: fontFor(12, 11) }, grid: { color: palette.grid } },
          y: {
            grid: { display: false },
            ticks: {
              color: palette.text,
              font: fontFor(13, 11),
              autoSkip: false,
              callback: function (value) {
                return wrapWords(this.getLabelForValue(value), isNarrow(this.chart) ? 16 : 40);
              }
            }
          }
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
