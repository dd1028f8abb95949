// Draws the HR pages' charts from the JSON the server embeds (#hr-data). Every figure, and
// every decision about what may be shown, comes from the server: a hidden figure is null.
// Shared pieces: charts-common.js (window.coachCharts).
(function () {
  "use strict";

  var charts = window.coachCharts;
  var colours = charts.colours;
  var sources = { self: colours.teal, others: colours.rust };

  function hasData(values) {
    return values && values.some(function (v) { return v !== null && v !== undefined; });
  }

  function selfOthers(series, fill) {
    var sets = [];
    if (hasData(series.self)) { sets.push(charts.line("Self", series.self, sources.self, false, fill ? colours.tealFill : null)); }
    if (hasData(series.others)) { sets.push(charts.line("Others", series.others, sources.others, true, fill ? colours.rustFill : null)); }
    return sets;
  }

  function drawDashboard(data) {
    var node = document.getElementById("pole-chart");
    if (node) { charts.radar(node, data.poles.labels, selfOthers(data.poles, true), data); }
    node = document.getElementById("skill-chart");
    if (node) { charts.horizontalBars(node, data.skills.labels, selfOthers(data.skills, false), data); }
    ["leader_index", "manager_index"].forEach(function (index) {
      var canvas = document.getElementById(index.replace("_", "-") + "-chart");
      if (!canvas) { return; }
      var sets = [];
      var labels = [];
      [["self", "Self"], ["others", "Others"]].forEach(function (pair) {
        var series = data[index][pair[0]];
        if (!series) { return; }
        labels = labels.concat(series.labels.map(function (l) { return pair[1] + " " + l; }));
      });
      [["self", "Self"], ["others", "Others"]].forEach(function (pair) {
        var series = data[index][pair[0]];
        if (!series) { return; }
        var values = labels.map(function (l) {
          var at = series.labels.map(function (s) { return pair[1] + " " + s; }).indexOf(l);
          return at < 0 ? null : series.counts[at];
        });
        sets.push({ label: pair[1], data: values, backgroundColor: sources[pair[0]], skipNull: true });
      });
      charts.chart(canvas, "bar", { labels: labels, datasets: sets }, { scales: {
        y: { beginAtZero: true, ticks: { precision: 0, color: colours.text } },
        x: { stacked: true, ticks: { color: colours.text, font: { size: 10 } } } } });
    });
    node = document.getElementById("trend-chart");
    if (node && data.trend.labels.length) {
      var sets = [];
      if (hasData(data.trend.self_leader)) { sets.push(charts.line("Self: leader index", data.trend.self_leader, sources.self, false)); }
      if (hasData(data.trend.self_manager)) { sets.push(charts.line("Self: manager index", data.trend.self_manager, "#1f4f52", true)); }
      if (hasData(data.trend.others_leader)) { sets.push(charts.line("Others: leader index", data.trend.others_leader, sources.others, false)); }
      if (hasData(data.trend.others_manager)) { sets.push(charts.line("Others: manager index", data.trend.others_manager, "#6e3b1f", true)); }
      charts.chart(node, "line", { labels: data.trend.labels, datasets: sets }, { scales: { y: charts.valueAxis(data) } });
    }
  }

  // Each archetype as paired bars per scale (its average, the organisation's), scale names
  // written out down the side: a radar with eighteen spokes left its labels on top of each other.
  function drawArchetypes(data) {
    data.cards.forEach(function (card) {
      var canvas = document.getElementById(card.id);
      if (!canvas) { return; }
      charts.horizontalBars(canvas, card.labels, [
        { label: "This archetype", data: card.archetype, backgroundColor: colours.teal, borderRadius: 2 },
        { label: "Organisation average", data: card.organisation, backgroundColor: "#a3aab3", borderRadius: 2 }
      ], data);
    });
  }

  function draw() {
    var data = charts.readJson("hr-data");
    if (!data) { return; }
    if (data.cards) { drawArchetypes(data); } else { drawDashboard(data); }
    charts.markDrawn();
  }

  charts.whenReady(draw, document.currentScript);
})();
