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

  function selfOthers(series) {
    var sets = [];
    if (hasData(series.self)) { sets.push(charts.line("Self", series.self, sources.self, false)); }
    if (hasData(series.others)) { sets.push(charts.line("Others", series.others, sources.others, true)); }
    return sets;
  }

  // Each dimension's two poles as a pair of bars, one chart per source: the solid bar is the
  // leader pole, the outlined one the manager pole, and the label beside them names both, in
  // the same order. A radar would join the two kinds of pole into one zig-zag line. A pole
  // whose figure is withheld keeps its name, marked, so its missing bar reads as withheld.
  function polePairs(canvas, data, values, colour) {
    function named(names, pole) {
      return names.map(function (name, i) { return values[pole][i] === null ? name + " (not shown)" : name; });
    }
    var leader = named(data.poles.leader_names, "leader");
    var manager = named(data.poles.manager_names, "manager");
    // Two-line labels (an array per dimension) are drawn as they are: wrap leaves arrays alone.
    var labels = leader.map(function (name, i) { return [name, manager[i]]; });
    charts.horizontalBars(canvas, labels, [
      { label: "Leader pole", data: values.leader, backgroundColor: colour, borderColor: colour, borderWidth: 2, minBarLength: 4 },
      { label: "Manager pole", data: values.manager, backgroundColor: "#ffffff", borderColor: colour, borderWidth: 2, minBarLength: 4 }
    ], data);
  }

  function drawDashboard(data) {
    ["self", "others"].forEach(function (source) {
      var canvas = document.getElementById("pole-chart-" + source);
      if (canvas && data.poles[source]) { polePairs(canvas, data, data.poles[source], sources[source]); }
    });
    var node = document.getElementById("skill-chart");
    if (node && data.skills.shown) { charts.horizontalBars(node, data.skills.labels, selfOthers(data.skills), data); }
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
