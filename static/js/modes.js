// Learning modes. Everything here is an enhancement: without it the Parsons form's selects
// and the server-measured time do the same job.
(function () {
  "use strict";

  // Parsons: move up/down, indent/outdent and leave-out buttons on every line (no dragging,
  // WCAG 2.5.7), the selects kept in step with the list's order, each move announced.
  function enhanceParsons(form) {
    var list = form.querySelector(".parsons__lines");
    var status = document.getElementById("parsons-moves");
    var help = form.querySelector(".parsons__js-help");
    if (!list) return;
    if (help) help.hidden = false;

    function rows() { return Array.prototype.slice.call(list.children); }
    function select(row, role) { return row.querySelector('select[data-role="' + role + '"]'); }
    function isUsed(row) { return !row.classList.contains("is-unused"); }
    function text(row) { return row.querySelector(".parsons__code").textContent; }
    function announce(message) { if (status) status.textContent = message; }

    function sync() {
      var rank = 0;
      rows().forEach(function (row) {
        var position = select(row, "position");
        var used = position.value !== "unused";
        row.classList.toggle("is-unused", !used);
        if (used) { rank += 1; position.value = String(rank); }
        row.style.setProperty("--indent", select(row, "indent").value);
        var toggle = row.querySelector('[data-action="toggle"]');
        if (toggle) {
          toggle.textContent = used ? "Leave out" : "Use";
          toggle.setAttribute("aria-label", toggle.textContent + ": " + text(row));
        }
      });
    }
    function positionOf(row) {
      var value = select(row, "position").value;
      return value === "unused" ? "left out" : "position " + value;
    }

    function button(action, verb, row) {
      var b = document.createElement("button");
      b.type = "button";
      b.className = "button--quiet";
      b.dataset.action = action;
      // The name starts with the visible word (WCAG 2.5.3) and says which line it moves.
      b.textContent = verb;
      b.setAttribute("aria-label", verb + ": " + text(row));
      return b;
    }

    rows().forEach(function (row) {
      var controls = row.querySelector(".parsons__controls");
      [["up", "Up"], ["down", "Down"], ["outdent", "Outdent"], ["indent", "Indent"], ["toggle", "Leave out"]]
        .forEach(function (pair) { controls.appendChild(button(pair[0], pair[1], row)); });
    });
    // Rows come from the server in position order; unused ones last.
    sync();

    list.addEventListener("click", function (event) {
      var b = event.target.closest("button[data-action]");
      if (!b) return;
      var row = b.closest(".parsons__line");
      var action = b.dataset.action;
      var indent = select(row, "indent");
      var position = select(row, "position");
      if (action === "up" && row.previousElementSibling) {
        list.insertBefore(row, row.previousElementSibling);
      } else if (action === "down" && row.nextElementSibling) {
        list.insertBefore(row.nextElementSibling, row);
      } else if (action === "indent") {
        indent.value = String(Math.min(3, Number(indent.value) + 1));
      } else if (action === "outdent") {
        indent.value = String(Math.max(0, Number(indent.value) - 1));
      } else if (action === "toggle") {
        position.value = isUsed(row) ? "unused" : "1";
      }
      sync();
      b.focus();
      if (action === "indent" || action === "outdent") {
        announce(text(row) + ": indentation " + indent.value + ".");
      } else if (action === "toggle") {
        announce(text(row) + (isUsed(row) ? ": used, " + positionOf(row) + "." : ": left out."));
      } else {
        announce(text(row) + ": moved to " + positionOf(row) + ".");
      }
    });

    list.addEventListener("change", function (event) {
      var changed = event.target.closest("select");
      if (!changed) return;
      var row = changed.closest(".parsons__line");
      if (changed.dataset.role === "position") {
        var used = rows().filter(function (r) { return r !== row && isUsed(r); });
        var unused = rows().filter(function (r) { return r !== row && !isUsed(r); });
        if (changed.value === "unused") {
          unused.push(row);
        } else {
          used.splice(Math.min(Number(changed.value) - 1, used.length), 0, row);
        }
        used.concat(unused).forEach(function (r) { list.appendChild(r); });
        changed.focus();
      }
      sync();
      announce(text(row) + ": " + positionOf(row) + ", indentation " + select(row, "indent").value + ".");
    });
  }

  // From scratch: a running clock. The server measures the time that counts.
  function startTimer(element) {
    var start = Date.now() - Number(element.dataset.elapsed || 0) * 1000;
    window.setInterval(function () {
      element.textContent = Math.round((Date.now() - start) / 1000) + " s";
    }, 1000);
  }

  document.querySelectorAll("form[data-parsons]").forEach(enhanceParsons);
  document.querySelectorAll("[data-timer]").forEach(startTimer);
})();
