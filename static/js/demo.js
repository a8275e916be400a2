// Demo lab: measure a browser-fired run. htmx fires the requests (one per lane, all at once);
// this only times them with performance.now(), reads each answer's Server-Timing header,
// then fills the table, draws the waterfall and announces the result.
(function () {
  "use strict";

  var runs = {};

  function laneOf(elt) {
    var row = elt.closest && elt.closest("[data-lane]");
    var run = row && row.closest("[data-run]");
    return row && run ? { row: row, run: run, index: row.getAttribute("data-lane") } : null;
  }

  function stateOf(run) {
    var id = run.getAttribute("data-run");
    if (!runs[id]) {
      runs[id] = { n: Number(run.getAttribute("data-n")), lanes: {}, done: 0 };
    }
    return runs[id];
  }

  // "start;desc="1732...", view;dur=1000.2;desc="slow_view", thread;desc="MainThread #1""
  function parseServerTiming(header) {
    var metrics = {};
    (header || "").split(",").forEach(function (part) {
      var bits = part.trim().split(";");
      var entry = {};
      bits.slice(1).forEach(function (param) {
        var eq = param.indexOf("=");
        if (eq > 0) {
          entry[param.slice(0, eq).trim()] = param.slice(eq + 1).trim().replace(/^"|"$/g, "");
        }
      });
      if (bits[0]) metrics[bits[0].trim()] = entry;
    });
    return metrics;
  }

  function seconds(ms) {
    return (ms / 1000).toFixed(2);
  }

  function setCell(row, name, text) {
    var cell = row.querySelector('[data-cell="' + name + '"]');
    if (cell) cell.textContent = text;
  }

  // One run at a time: a second run fired while the first is still waiting would queue
  // behind it on the server and report times that belong to neither.
  function fireButton() {
    return document.querySelector("#browser-form button[type=submit]");
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    var lane = laneOf(event.detail.elt);
    if (!lane) return;
    stateOf(lane.run).lanes[lane.index] = { sent: performance.now() };
    var button = fireButton();
    if (button) button.disabled = true;
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    var lane = laneOf(event.detail.elt);
    if (!lane) return;
    var state = stateOf(lane.run);
    var entry = state.lanes[lane.index] || { sent: performance.now() };
    var xhr = event.detail.xhr;
    var timing = parseServerTiming(xhr && xhr.getResponseHeader("Server-Timing"));
    entry.answered = performance.now();
    entry.status = xhr ? xhr.status : 0;
    entry.serverStart = timing.start ? Number(timing.start.desc) : null;
    entry.serverTook = timing.view ? Number(timing.view.dur) : null;
    entry.thread = timing.thread ? timing.thread.desc : "";
    state.lanes[lane.index] = entry;
    state.done += 1;
    if (state.done === state.n) finish(lane.run, state);
  });

  function finish(run, state) {
    var button = fireButton();
    if (button) button.disabled = false;
    var indexes = Object.keys(state.lanes);
    var lanes = indexes.map(function (i) { return state.lanes[i]; });
    var t0 = Math.min.apply(null, lanes.map(function (l) { return l.sent; }));
    var serverStarts = lanes.filter(function (l) { return l.serverStart !== null; })
      .map(function (l) { return l.serverStart; });
    // Server clock and browser clock differ; line the server's first start up with the
    // browser's first send, and keep every other server time relative to that.
    var s0 = serverStarts.length ? Math.min.apply(null, serverStarts) : 0;
    var wall = Math.max.apply(null, lanes.map(function (l) { return l.answered; })) - t0;
    var prediction = run.getAttribute("data-prediction");
    var predictionMs = prediction === "" ? null : Number(prediction) * 1000;
    var span = Math.max(wall, predictionMs || 0, 1);
    var threads = {};
    var errors = 0;

    indexes.forEach(function (i) {
      var l = state.lanes[i];
      var row = run.querySelector('[data-lane="' + i + '"]');
      var bars = run.querySelector('[data-bars="' + i + '"]');
      if (l.thread) threads[l.thread] = true;
      if (l.status !== 200) errors += 1;
      setCell(row, "sent", seconds(l.sent - t0));
      setCell(row, "answered", seconds(l.answered - t0) + (l.status === 200 ? "" : " (HTTP " + l.status + ")"));
      if (l.serverStart !== null && l.serverTook !== null) {
        setCell(row, "server-start", seconds(l.serverStart - s0));
        setCell(row, "server-took", seconds(l.serverTook));
      } else {
        setCell(row, "server-start", "–");
        setCell(row, "server-took", "–");
      }
      setCell(row, "thread", l.thread || "–");
      if (bars) {
        var browserBar = bars.querySelector(".bar--browser");
        var serverBar = bars.querySelector(".bar--server");
        place(browserBar, l.sent - t0, l.answered - l.sent, span);
        if (l.serverStart !== null && l.serverTook !== null) {
          place(serverBar, l.serverStart - s0, l.serverTook, span);
        }
      }
    });

    var marker = run.querySelector(".waterfall__prediction");
    if (marker && predictionMs !== null) {
      marker.style.left = (100 * predictionMs / span) + "%";
      marker.hidden = false;
    }
    var axisEnd = run.querySelector("[data-axis-end]");
    if (axisEnd) axisEnd.textContent = seconds(span) + " s";

    var threadCount = Object.keys(threads).length;
    var wallFact = run.querySelector('[data-fact="wall"]');
    if (wallFact) wallFact.textContent = seconds(wall) + " s";
    var threadFact = run.querySelector('[data-fact="threads"]');
    if (threadFact) threadFact.textContent = threadCount + (threadCount === 1 ? " thread" : " threads");
    run.setAttribute("data-finished", "true");

    var wait = Number(run.getAttribute("data-wait"));
    var summary = state.n + " requests took " + seconds(wall) + " s in all, against " +
      (state.n * wait).toFixed(2) + " s if they had waited one after another";
    if (predictionMs !== null) summary += "; you predicted " + seconds(predictionMs) + " s";
    summary += ". " + threadCount + (threadCount === 1 ? " thread" : " threads") + " served them";
    if (errors) summary += ", and " + errors + " did not get through (see the table)";
    var live = document.getElementById("browser-summary");
    if (live) live.textContent = summary + ".";
  }

  function place(bar, startMs, durationMs, spanMs) {
    if (!bar) return;
    bar.style.left = (100 * Math.max(0, startMs) / spanMs) + "%";
    bar.style.width = Math.max(0.5, 100 * durationMs / spanMs) + "%";
    bar.classList.add("bar--placed");
  }
})();
