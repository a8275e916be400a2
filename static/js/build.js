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
