// Draws the development plan's charts from the JSON the server embeds: each goal's
// indicator over time against its target and pace, and each scale's score per cycle.
// Every figure, status and verdict comes from the server; this file only draws.
// Shared pieces: charts-common.js (window.coachCharts).
(function () {
  "use strict";

  var charts = window.coachCharts;
  var colours = charts.colours;
  var lines = { value: colours.teal, target: colours.rust, pace: colours.grey, others: colours.copper };

  function yAxis(title, min, max) {
    var y = { grid: { color: colours.grid }, ticks: { color: colours.text },
      title: { display: Boolean(title), text: title, color: colours.text } };
    if (min !== undefined) { y.min = min; y.max = max; y.ticks.stepSize = 1; }
    return y;
  }

  function withoutLegend(scales) {
    return { plugins: { legend: { display: false } }, scales: scales };
  }

  // A time axis in days from the goal's start; the server names the days that get a label.
  function dayAxis(goal) {
    var names = {};
    goal.ticks.forEach(function (tick) { names[tick.x] = tick.label; });
    return { type: "linear", min: 0, max: goal.x_max, grid: { display: false },
      afterBuildTicks: function (axis) {
        axis.ticks = goal.ticks.map(function (tick) { return { value: tick.x }; });
      },
      ticks: { color: colours.text, maxRotation: 0, autoSkip: true, autoSkipPadding: 12,
        callback: function (value) { return names[value] || ""; } } };
  }

  function drawGoal(goal) {
    var canvas = document.getElementById(goal.id);
    if (!canvas) { return; }
    charts.chart(canvas, "line", { datasets: [
      { label: goal.title, data: goal.values, borderColor: lines.value, backgroundColor: lines.value, borderWidth: 3, pointRadius: 4, clip: false },
      { label: "Target", data: goal.target, borderColor: lines.target, borderWidth: 2, borderDash: [8, 5], pointRadius: 0 },
      { label: "Pace", data: goal.pace, borderColor: lines.pace, borderWidth: 1.5, borderDash: [2, 4], pointRadius: 0 }
    ] }, withoutLegend({ x: dayAxis(goal), y: yAxis(goal.unit) }));
  }

  function drawTrend(scale, data) {
    var canvas = document.getElementById(scale.id);
    if (!canvas) { return; }
    charts.chart(canvas, "line", { labels: data.labels, datasets: [
      { label: "Self", data: scale.self, borderColor: lines.value, backgroundColor: lines.value, borderWidth: 3, pointRadius: 4, spanGaps: true },
      { label: "Others", data: scale.others, borderColor: lines.others, backgroundColor: lines.others, borderWidth: 2, borderDash: [6, 4], pointRadius: 4, spanGaps: true }
    ] }, withoutLegend({ x: { offset: true, grid: { display: false }, ticks: { color: colours.text, maxRotation: 0 } },
      y: yAxis("", data.min, data.max) }));
  }

  function draw() {
    var plan = charts.readJson("plan-data");
    if (plan) { plan.goals.forEach(drawGoal); }
    var trends = charts.readJson("trend-data");
    if (trends) { trends.scales.forEach(function (scale) { drawTrend(scale, trends); }); }
    charts.markDrawn();
  }

  charts.whenReady(draw, document.currentScript);
})();
