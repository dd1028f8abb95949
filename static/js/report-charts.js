// Draws the self-assessment report's charts from the JSON the server embeds in the page.
// No figure is computed here: the server sends finished scores; this file only draws them.
// Shared pieces: charts-common.js (window.coachCharts).
(function () {
  "use strict";

  var charts = window.coachCharts;
  var colours = charts.colours;
  var kinds = { leader: colours.teal, manager: colours.copper };

  // Below this width (a phone) labels are wrapped onto short lines and set smaller,
  // so the dimensions' pole names and the skill names fit instead of being cut off.
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

  // The score axis from charts-common.js, its numbers set smaller on a phone.
  function scoreAxis(data, size, narrowSize) {
    var axis = charts.valueAxis(data);
    axis.ticks.font = fontFor(size, narrowSize);
    return axis;
  }

  // One pair of bars per dimension: its leader pole and its manager pole side by side, in the
  // same two colours as the legend and the table. The poles are never joined into one line.
  // Bars grow from the scale's lowest answer (base), so a score of exactly that answer still
  // shows as a short bar (minBarLength) instead of vanishing left of the axis.
  function pairs(canvas, data) {
    var dims = data.dimensions;
    return charts.chart(canvas, "bar", {
      labels: dims.labels,
      datasets: [
        { label: "Leader pole", data: dims.leader, backgroundColor: kinds.leader, borderRadius: 3, base: data.min, minBarLength: 4 },
        { label: "Manager pole", data: dims.manager, backgroundColor: kinds.manager, borderRadius: 3, base: data.min, minBarLength: 4 }
      ]
    }, {
      indexAxis: "y",
      plugins: {
        legend: { display: false },
        tooltip: { callbacks: { label: function (item) {
          var names = item.datasetIndex === 0 ? dims.leader_names : dims.manager_names;
          return names[item.dataIndex] + ": " + (item.raw === null ? "not enough answers" : item.raw.toFixed(1));
        } } }
      },
      scales: {
        x: scoreAxis(data, 12, 11),
        y: labelAxis(14, 30)
      }
    });
  }

  // The category axis of a horizontal bar chart: full labels, wrapped at a width that
  // depends on the chart's width (narrow on a phone).
  function labelAxis(narrowWidth, wideWidth) {
    return {
      grid: { display: false },
      ticks: {
        color: colours.text,
        font: fontFor(13, 11),
        autoSkip: false,
        callback: function (value) {
          return wrapWords(this.getLabelForValue(value), isNarrow(this.chart) ? narrowWidth : wideWidth);
        }
      }
    };
  }

  function bars(canvas, data) {
    return charts.chart(canvas, "bar", {
      labels: data.skills.labels,
      datasets: [{
        label: "Self",
        data: data.skills.values,
        backgroundColor: data.skills.families.map(function (f) {
          return f === "leadership" ? kinds.leader : kinds.manager;
        }),
        borderRadius: 4,
        base: data.min,
        minBarLength: 4
      }]
    }, {
      indexAxis: "y",
      plugins: { legend: { display: false } },
      scales: {
        x: scoreAxis(data, 12, 11),
        y: labelAxis(16, 40)
      }
    });
  }

  function draw() {
    var data = charts.readJson("report-data");
    if (!data) { return; }
    var poleCanvas = document.getElementById("pole-chart");
    var skillCanvas = document.getElementById("skill-chart");
    if (poleCanvas) { pairs(poleCanvas, data); }
    if (skillCanvas) { bars(skillCanvas, data); }
    charts.markDrawn();
  }

  charts.wirePrintButtons();
  charts.whenReady(draw, document.currentScript);
})();
