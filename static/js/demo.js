// Demo lab: measure a browser-fired run. htmx fires the requests (one per lane, all at once);
// this only times them with performance.now(), reads each answer's Server-Timing and
// Demo-Warning headers, draws each bar as its answer arrives, then fills in the summary and
// sends the measurements to the server, which keeps the run and answers with its explanation.
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
      runs[id] = { n: Number(run.getAttribute("data-n")), lanes: {}, done: 0, t0: null };
    }
    return runs[id];
  }

  // 'start;desc="1732...", view;dur=1000.2;desc="slow_view", thread;desc="MainThread"'
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

  function plural(count, word) {
    return count + " " + word + (count === 1 ? "" : "s");
  }

  function setCell(row, name, text) {
    var cell = row && row.querySelector('[data-cell="' + name + '"]');
    if (cell) cell.textContent = text;
  }

  // One run at a time: a second run fired while the first is still waiting would queue
  // behind it on the server and report times that belong to neither.
  function fireButton() {
    return document.querySelector("#browser-form button[type=submit]");
  }

  // A new run: the previous run's summary and explanation go, so neither is read as this one's.
  document.addEventListener("htmx:beforeRequest", function (event) {
    if (event.detail.elt && event.detail.elt.id === "browser-form") {
      var summary = document.getElementById("browser-summary");
      if (summary) summary.textContent = "";
      var explain = document.getElementById("browser-explain");
      if (explain) explain.innerHTML = "";
    }
  });

  document.addEventListener("htmx:beforeRequest", function (event) {
    var lane = laneOf(event.detail.elt);
    if (!lane) return;
    var state = stateOf(lane.run);
    var now = performance.now();
    state.lanes[lane.index] = { sent: now };
    if (state.t0 === null || now < state.t0) state.t0 = now;
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
    entry.warning = (xhr && xhr.getResponseHeader("Demo-Warning")) || "";
    state.lanes[lane.index] = entry;
    state.done += 1;
    draw(lane.run, state);
    if (state.done === state.n) finish(lane.run, state);
  });

  // Draw every answer in so far, on a scale that grows as the answers come in.
  function draw(run, state) {
    var indexes = Object.keys(state.lanes).filter(function (i) {
      return state.lanes[i].answered !== undefined;
    });
    var lanes = indexes.map(function (i) { return state.lanes[i]; });
    var t0 = state.t0;
    var serverStarts = lanes.filter(function (l) { return l.serverStart !== null; })
      .map(function (l) { return l.serverStart; });
    // Server clock and browser clock differ; line the server's first start up with the
    // browser's first send, and keep every other server time relative to that.
    var s0 = serverStarts.length ? Math.min.apply(null, serverStarts) : 0;
    var wall = Math.max.apply(null, lanes.map(function (l) { return l.answered; })) - t0;
    var prediction = run.getAttribute("data-prediction");
    var predictionMs = prediction === "" ? null : Number(prediction) * 1000;
    var span = Math.max(wall, predictionMs || 0, 1);

    indexes.forEach(function (i) {
      var l = state.lanes[i];
      var row = run.querySelector('[data-lane="' + i + '"]');
      var bars = run.querySelector('[data-bars="' + i + '"]');
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
      if (l.warning && row) {
        var answer = row.querySelector('[data-cell="answer"]');
        if (answer && !answer.querySelector(".demo-warning-inline")) {
          var note = document.createElement("span");
          note.className = "demo-warning-inline";
          note.textContent = " ⚠ " + l.warning;
          answer.appendChild(note);
        }
      }
      if (bars) {
        place(bars.querySelector(".bar--browser"), l.sent - t0, l.answered - l.sent, span);
        if (l.serverStart !== null && l.serverTook !== null) {
          place(bars.querySelector(".bar--server"), l.serverStart - s0, l.serverTook, span);
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
    return { wall: wall, predictionMs: predictionMs };
  }

  function finish(run, state) {
    var button = fireButton();
    if (button) button.disabled = false;
    var drawn = draw(run, state);
    var lanes = Object.keys(state.lanes).map(function (i) { return state.lanes[i]; });
    var threads = {};
    var errors = 0;
    var warning = "";
    var warned = 0;
    lanes.forEach(function (l) {
      if (l.thread) threads[l.thread] = true;
      if (l.status !== 200) errors += 1;
      if (l.warning) { warning = l.warning; warned += 1; }
    });
    var threadCount = Object.keys(threads).length;
    var wallFact = run.querySelector('[data-fact="wall"]');
    if (wallFact) wallFact.textContent = seconds(drawn.wall) + " s";
    var threadFact = run.querySelector('[data-fact="threads"]');
    if (threadFact) threadFact.textContent = threadCount ? plural(threadCount, "thread") : "not reported";
    run.setAttribute("data-finished", "true");

    var wait = Number(run.getAttribute("data-wait"));
    var view = run.getAttribute("data-view");
    var summary;
    if (run.getAttribute("data-waits") === "false") {
      summary = state.n + " responses from " + view + " came back in " + seconds(drawn.wall) +
        " s, without doing the work";
    } else {
      summary = state.n + " requests took " + seconds(drawn.wall) + " s in all, against " +
        (state.n * wait).toFixed(2) + " s if they had waited one after another";
    }
    if (drawn.predictionMs !== null) summary += "; you predicted " + seconds(drawn.predictionMs) + " s";
    if (threadCount) summary += ". " + plural(threadCount, "thread") + " served them";
    if (errors) summary += ", and " + errors + " did not get through (see the table)";
    if (warned) summary += '. The server warned: "' + warning + '"';
    var live = document.getElementById("browser-summary");
    if (live) live.textContent = summary + ".";
    record(run, state, { wall: drawn.wall, threads: threadCount, errors: errors, warning: warning, warned: warned });
  }

  // Keep the run and fetch its explanation (and the redrawn charts) from the server.
  function record(run, state, measured) {
    var form = document.getElementById("browser-form");
    if (!form || !window.htmx) return;
    window.htmx.ajax("POST", form.getAttribute("data-record-url"), {
      source: run,
      target: "#browser-explain",
      swap: "outerHTML",
      // The CSRF token comes from the page's hx-headers, which the run element inherits.
      values: {
        mode: run.getAttribute("data-mode"),
        n: state.n,
        workers: run.getAttribute("data-workers") || "",
        prediction: run.getAttribute("data-prediction") || "",
        elapsed: (measured.wall / 1000).toFixed(4),
        threads: measured.threads,
        failed: measured.errors,
        warning: measured.warning,
        warned: measured.warned,
        lesson: run.getAttribute("data-lesson") || ""
      }
    });
  }

  function place(bar, startMs, durationMs, spanMs) {
    if (!bar) return;
    bar.style.left = (100 * Math.max(0, startMs) / spanMs) + "%";
    bar.style.width = Math.max(0.5, 100 * durationMs / spanMs) + "%";
    bar.classList.add("bar--placed");
  }
})();
