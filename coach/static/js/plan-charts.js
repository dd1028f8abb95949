// Draws the development plan's charts from the JSON the server embeds: each goal's
// indicator over time against its target and pace, and each scale's score per cycle.
// Every figure, status and verdict comes from the server; this file only draws.
(function () {
  "use strict";

  var script = document.currentScript;
  var fallback = script && script.getAttribute("data-fallback");
  var colours = {
    value: "#2f6f73", target: "#9a5530", pace: "#6b7280", others: "#b4693e",
    grid: "#d9dee3", text: "#39424e"
  };

  function withChart(draw) {
    if (window.Chart) { draw(); return; }
    if (!fallback) { return; }
    var local = document.createElement("script");  // the CDN is unreachable: use our copy
    local.src = fallback;
    local.onload = draw;
    document.head.appendChild(local);
  }

  function readJson(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  function yAxis(title, min, max) {
    var y = { grid: { color: colours.grid }, ticks: { color: colours.text },
      title: { display: Boolean(title), text: title, color: colours.text } };
    if (min !== undefined) { y.min = min; y.max = max; y.ticks.stepSize = 1; }
    return y;
  }

  function base(scales) {
    return { maintainAspectRatio: false, animation: false,
      plugins: { legend: { display: false } }, scales: scales };
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
    new window.Chart(canvas, {
      type: "line",
      data: { datasets: [
        { label: goal.title, data: goal.values, borderColor: colours.value, backgroundColor: colours.value, borderWidth: 3, pointRadius: 4, clip: false },
        { label: "Target", data: goal.target, borderColor: colours.target, borderWidth: 2, borderDash: [8, 5], pointRadius: 0 },
        { label: "Pace", data: goal.pace, borderColor: colours.pace, borderWidth: 1.5, borderDash: [2, 4], pointRadius: 0 }
      ] },
      options: base({ x: dayAxis(goal), y: yAxis(goal.unit) })
    });
  }

  function drawTrend(scale, data) {
    var canvas = document.getElementById(scale.id);
    if (!canvas) { return; }
    new window.Chart(canvas, {
      type: "line",
      data: { labels: data.labels, datasets: [
        { label: "Self", data: scale.self, borderColor: colours.value, backgroundColor: colours.value, borderWidth: 3, pointRadius: 4, spanGaps: true },
        { label: "Others", data: scale.others, borderColor: colours.others, backgroundColor: colours.others, borderWidth: 2, borderDash: [6, 4], pointRadius: 4, spanGaps: true }
      ] },
      options: base({ x: { offset: true, grid: { display: false }, ticks: { color: colours.text, maxRotation: 0 } },
        y: yAxis("", data.min, data.max) })
    });
  }

  function draw() {
    if (!window.Chart) { return; }
    var plan = readJson("plan-data");
    if (plan) { plan.goals.forEach(drawGoal); }
    var trends = readJson("trend-data");
    if (trends) { trends.scales.forEach(function (scale) { drawTrend(scale, trends); }); }
    document.documentElement.setAttribute("data-charts", "drawn");
  }

  withChart(draw);
})();
