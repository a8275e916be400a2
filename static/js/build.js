// Guided build: "Line N" links in a verdict move the editor's cursor to that line.
// Without this file (or without the editor) the links still jump to the code field.
(function () {
  "use strict";

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a.verdict__line[data-line]");
    if (!link || !window.AsyncEditor) return;
    var view = window.AsyncEditor.get("#code");
    if (!view) return;
    event.preventDefault();
    var doc = view.state.doc;
    var number = Math.min(Math.max(parseInt(link.dataset.line, 10) || 1, 1), doc.lines);
    var line = doc.line(number);
    var column = parseInt(link.dataset.column || "1", 10) || 1;
    var position = Math.min(line.from + column - 1, line.to);
    view.dispatch({ selection: { anchor: position }, scrollIntoView: true });
    view.focus();
    view.dom.scrollIntoView({ block: "nearest" });
  });
})();

// A post bigger than the server accepts never reaches the step's view (Django answers a
// bare 400), so say so here, before sending; the code stays in the editor.
(function () {
  "use strict";

  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = document.getElementById("code-form");
    var textarea = document.getElementById("code");
    var verdict = document.getElementById("verdict");
    if (!form || !textarea || !verdict) return;
    var elt = event.detail && event.detail.elt;
    if (!elt || (elt !== form && elt.form !== form)) return;
    var limit = parseInt(form.dataset.maxPostBytes || "0", 10);
    var size = new URLSearchParams({ code: textarea.value }).toString().length;
    if (!limit || size <= limit - 4096) return;
    event.preventDefault();
    var box = document.createElement("div");
    box.className = "verdict verdict--refused";
    var heading = document.createElement("h2");
    heading.className = "verdict__headline";
    heading.textContent = "Your code was not checked";
    var message = document.createElement("p");
    message.textContent =
      "Your code is far too large to send (" + Math.ceil(size / 1024) + " KB; the checker " +
      "accepts up to " + form.dataset.maxCodeBytes + " bytes). Nothing was sent, and your " +
      "code is still in the editor.";
    box.append(heading, message);
    verdict.replaceChildren(box);
  });
})();
