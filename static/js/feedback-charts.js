// Draws the 360 report's charts (self against others) from the JSON the server embeds.
// Every figure, and every decision about what may be shown, comes from the server.
// Shared pieces: charts-common.js (window.coachCharts).
(function () {
  "use strict";

  var charts = window.coachCharts;
  var colours = charts.colours;

  // Bars are plain; with fill, both series are filled and others' line is dashed.
  // Bars grow from the scale's floor (base), so a score of exactly the floor still shows as a
  // short bar (minBarLength), not as nothing: measured from 0, it would end at the axis.
  function datasets(series, othersLabel, fill, floor) {
    return [
      charts.line("Self", series.self, colours.teal, false, fill ? colours.tealFill : null),
      charts.line(othersLabel || "Others", series.others, colours.rust, fill, fill ? colours.rustFill : null)
    ].map(function (set) { set.base = floor; set.minBarLength = 4; return set; });
  }

  // A scale where others' figure is hidden keeps its name with "(others hidden)", so the gap
  // in the line reads as withheld, not as missing. The server says which ones are hidden.
  function marked(series) {
    return series.labels.map(function (label, i) {
      return series.others_hidden && series.others_hidden[i] ? label + " (others hidden)" : label;
    });
  }

  function draw() {
    var data = charts.readJson("report-data");
    if (!data) { return; }
    var poles = document.getElementById("pole-chart");
    // Poles as bars, self beside others, in instrument order (leader then manager pole of each
    // dimension): a radar would join the two kinds of pole into one zig-zag line.
    if (poles) { charts.horizontalBars(poles, marked(data.poles), datasets(data.poles, data.others_label, false, data.min), data); }
    var bars = document.getElementById("skill-chart");
    if (bars) { charts.horizontalBars(bars, marked(data.skills), datasets(data.skills, data.others_label, false, data.min), data); }
    charts.markDrawn();
  }

  charts.wirePrintButtons();
  charts.whenReady(draw, document.currentScript);
})();
