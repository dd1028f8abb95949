// Draws the 360 report's charts (self against others) from the JSON the server embeds.
// Every figure, and every decision about what may be shown, comes from the server.
// Shared pieces: charts-common.js (window.coachCharts).
(function () {
  "use strict";

  var charts = window.coachCharts;
  var colours = charts.colours;

  // On the radar both series are filled and others' line is dashed; bars are plain.
  function datasets(series, othersLabel, fill) {
    return [
      charts.line("Self", series.self, colours.teal, false, fill ? colours.tealFill : null),
      charts.line(othersLabel || "Others", series.others, colours.rust, fill, fill ? colours.rustFill : null)
    ];
  }

  function draw() {
    var data = charts.readJson("report-data");
    if (!data) { return; }
    var radar = document.getElementById("pole-chart");
    if (radar) { charts.radar(radar, data.poles.labels, datasets(data.poles, data.others_label, true), data); }
    var bars = document.getElementById("skill-chart");
    if (bars) { charts.horizontalBars(bars, data.skills.labels, datasets(data.skills, data.others_label, false), data); }
    charts.markDrawn();
  }

  charts.wirePrintButtons();
  charts.whenReady(draw, document.currentScript);
})();
