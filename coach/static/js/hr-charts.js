// Draws the HR pages' charts from the JSON the server embeds (#hr-data). Every figure, and
// every decision about what may be shown, comes from the server: a hidden figure is null.
(function () {
  "use strict";

  var script = document.currentScript;
  var fallback = script && script.getAttribute("data-fallback");
  var colours = { self: "#2f6f73", others: "#9a5530", org: "#6b7280", grid: "#d9dee3", text: "#39424e" };

  function withChart(draw) {
    if (window.Chart) { draw(); return; }
    if (!fallback) { return; }
    var local = document.createElement("script");  // the CDN is unreachable: use our copy
    local.src = fallback;
    local.onload = draw;
    document.head.appendChild(local);
  }

  function wrap(label) {
    if (label.length < 16 || label.indexOf(" ") < 0) { return label; }
    var middle = Math.floor(label.length / 2);
    var before = label.lastIndexOf(" ", middle);
    var after = label.indexOf(" ", middle);
    var cut = before < 0 ? after : (after < 0 || middle - before <= after - middle ? before : after);
    return [label.slice(0, cut), label.slice(cut + 1)];
  }

  function narrow() { return window.matchMedia("(max-width: 640px)").matches; }

  function line(label, data, colour, dashed, fill) {
    return { label: label, data: data, borderColor: colour, backgroundColor: fill || colour,
      borderDash: dashed ? [6, 4] : [], pointRadius: 3, spanGaps: false };
  }

  function hasData(values) {
    return values && values.some(function (v) { return v !== null && v !== undefined; });
  }

  function selfOthers(series, fill) {
    var sets = [];
    if (hasData(series.self)) { sets.push(line("Self", series.self, colours.self, false, fill ? "rgba(47,111,115,0.15)" : null)); }
    if (hasData(series.others)) { sets.push(line("Others", series.others, colours.others, true, fill ? "rgba(154,85,48,0.10)" : null)); }
    return sets;
  }

  function scaleOptions(data, axis) {
    var ticks = { stepSize: 1, color: colours.text, backdropColor: "transparent" };
    var scales = {};
    scales[axis] = { min: data.min, max: data.max, ticks: ticks, grid: { color: colours.grid } };
    return scales;
  }

  function radar(canvas, labels, datasets, data) {
    new window.Chart(canvas, {
      type: "radar",
      data: { labels: labels.map(wrap), datasets: datasets },
      options: { maintainAspectRatio: false, animation: false,
        scales: { r: { min: data.min, max: data.max,
          ticks: { stepSize: 1, color: colours.text, backdropColor: "transparent" },
          grid: { color: colours.grid }, angleLines: { color: colours.grid },
          pointLabels: { color: colours.text, font: { size: narrow() ? 10 : 12 } } } } }
    });
  }

  function bars(canvas, labels, datasets, options) {
    new window.Chart(canvas, {
      type: "bar",
      data: { labels: labels, datasets: datasets },
      options: Object.assign({ maintainAspectRatio: false, animation: false }, options)
    });
  }

  function drawDashboard(data) {
    var node = document.getElementById("pole-chart");
    if (node) { radar(node, data.poles.labels, selfOthers(data.poles, true), data); }
    node = document.getElementById("skill-chart");
    if (node) {
      var y = { ticks: { color: colours.text, font: { size: narrow() ? 10 : 12 } }, grid: { display: false } };
      var scales = scaleOptions(data, "x");
      scales.y = y;
      bars(node, data.skills.labels.map(wrap), selfOthers(data.skills, false), { indexAxis: "y", scales: scales });
    }
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
        sets.push({ label: pair[1], data: values, backgroundColor: colours[pair[0]], skipNull: true });
      });
      bars(canvas, labels, sets, { scales: { y: { beginAtZero: true, ticks: { precision: 0, color: colours.text } },
        x: { stacked: true, ticks: { color: colours.text, font: { size: 10 } } } } });
    });
    node = document.getElementById("trend-chart");
    if (node && data.trend.labels.length) {
      var sets = [];
      if (hasData(data.trend.self_leader)) { sets.push(line("Self: leader index", data.trend.self_leader, colours.self, false)); }
      if (hasData(data.trend.self_manager)) { sets.push(line("Self: manager index", data.trend.self_manager, "#1f4f52", true)); }
      if (hasData(data.trend.others_leader)) { sets.push(line("Others: leader index", data.trend.others_leader, colours.others, false)); }
      if (hasData(data.trend.others_manager)) { sets.push(line("Others: manager index", data.trend.others_manager, "#6e3b1f", true)); }
      new window.Chart(node, { type: "line", data: { labels: data.trend.labels, datasets: sets },
        options: { maintainAspectRatio: false, animation: false, scales: scaleOptions(data, "y") } });
    }
  }

  function drawArchetypes(data) {
    data.cards.forEach(function (card) {
      var canvas = document.getElementById(card.id);
      if (!canvas) { return; }
      radar(canvas, card.labels, [
        line("This archetype", card.archetype, colours.self, false, "rgba(47,111,115,0.15)"),
        line("Organisation average", card.organisation, colours.org, true, "rgba(107,114,128,0.08)")
      ], data);
    });
  }

  function draw() {
    var node = document.getElementById("hr-data");
    if (!node || !window.Chart) { return; }
    var data = JSON.parse(node.textContent);
    if (!data) { return; }
    if (data.cards) { drawArchetypes(data); } else { drawDashboard(data); }
    document.documentElement.setAttribute("data-charts", "drawn");
  }

  withChart(draw);
})();
