// What every chart script shares (feedback-charts.js, hr-charts.js, plan-charts.js,
// report-charts.js): waiting for Chart.js, reading the JSON the server embeds, the palette
// and the options all charts have in common. It draws nothing itself. base.html loads it
// before any page script; the page scripts use it as window.coachCharts.
(function () {
  "use strict";

  var colours = {
    teal: "#2f6f73", rust: "#9a5530", copper: "#b4693e", grey: "#6b7280",
    tealFill: "rgba(47,111,115,0.15)", rustFill: "rgba(154,85,48,0.10)",
    grid: "#d9dee3", text: "#39424e"
  };

  // Calls draw once Chart.js is there. The page loads it from the CDN first; when that could
  // not be reached (offline, blocked), the copy this server ships is loaded instead, from the
  // data-fallback address of the page script (pass its document.currentScript).
  function whenReady(draw, script) {
    function run() { if (window.Chart) { draw(); } }
    if (window.Chart) { run(); return; }
    var fallback = script && script.getAttribute("data-fallback");
    if (!fallback) { return; }
    var local = document.createElement("script");
    local.src = fallback;
    local.onload = run;
    document.head.appendChild(local);
  }

  function readJson(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  // The browser tests wait for this mark.
  function markDrawn() { document.documentElement.setAttribute("data-charts", "drawn"); }

  function wirePrintButtons() {
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.addEventListener("click", function () { window.print(); });
    });
  }

  function narrow() { return window.matchMedia("(max-width: 640px)").matches; }

  // Words onto lines of at most `width` characters (a longer single word keeps its own line).
  function wrapWords(text, width) {
    var lines = [];
    var current = "";
    String(text).split(" ").forEach(function (word) {
      if (current && (current + " " + word).length > width) { lines.push(current); current = word; }
      else { current = current ? current + " " + word : word; }
    });
    if (current) { lines.push(current); }
    return lines.length > 1 ? lines : lines[0];
  }

  // Long scale names wrap onto two lines so they fit beside a chart; on a phone onto as many
  // short lines as they need, so no name runs off the canvas.
  function wrap(label) {
    if (narrow() && label.length > 18) { return wrapWords(label, 18); }
    if (label.length < 16 || label.indexOf(" ") < 0) { return label; }
    var middle = Math.floor(label.length / 2);
    var before = label.lastIndexOf(" ", middle);
    var after = label.indexOf(" ", middle);
    var cut = before < 0 ? after : (after < 0 || middle - before <= after - middle ? before : after);
    return [label.slice(0, cut), label.slice(cut + 1)];
  }

  // One series; a dashed line is the second of a pair. fill: the area's colour, if not the line's.
  function line(label, data, colour, dashed, fill) {
    return { label: label, data: data, borderColor: colour, backgroundColor: fill || colour,
      borderDash: dashed ? [6, 4] : [], pointRadius: 3, spanGaps: false };
  }

  function chart(canvas, type, data, options) {
    return new window.Chart(canvas, {
      type: type,
      data: data,
      options: Object.assign({ maintainAspectRatio: false, animation: false }, options)
    });
  }

  // The score axis from range.min to range.max in whole steps.
  function valueAxis(range) {
    return { min: range.min, max: range.max, grid: { color: colours.grid },
      ticks: { stepSize: 1, color: colours.text, backdropColor: "transparent" } };
  }

  // The axis that names the scales, set smaller on a phone; every name is drawn (no skipping).
  function labelAxis() {
    return { ticks: { color: colours.text, autoSkip: false, font: { size: narrow() ? 10 : 12 } }, grid: { display: false } };
  }

  // Bars start at the lowest answer (the axis' minimum), so a score at the lowest answer is
  // still a short bar rather than nothing.
  function horizontalBars(canvas, labels, datasets, range) {
    datasets.forEach(function (set) { if (set.base === undefined) { set.base = range.min; } });
    return chart(canvas, "bar", { labels: labels.map(wrap), datasets: datasets },
      { indexAxis: "y", scales: { x: valueAxis(range), y: labelAxis() } });
  }

  window.coachCharts = {
    colours: colours,
    whenReady: whenReady,
    readJson: readJson,
    markDrawn: markDrawn,
    wirePrintButtons: wirePrintButtons,
    line: line,
    chart: chart,
    valueAxis: valueAxis,
    horizontalBars: horizontalBars
  };
})();
