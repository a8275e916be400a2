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

// Drafts: code typed but not checked yet is never lost. Each edit is kept in this browser
// at once (localStorage, which also covers being offline) and posted to the server a moment
// after typing stops, so a reload, or another device after logging in, finds it. Once the
// server has it, the browser's copy is dropped. Without this file the code is still saved
// by every Check, hint and solution request.
(function () {
  "use strict";

  var DELAY_MS = 800;
  var form = document.getElementById("code-form");
  var textarea = document.getElementById("code");
  if (!form || !textarea || !form.dataset.draftUrl) return;
  var key = form.dataset.draftKey;
  var status = document.getElementById("draft-status");
  var timer = null;
  var sending = false;

  function store() {
    try {
      return window.localStorage;
    } catch (error) {
      return null; // storage switched off: the server copy is all there is
    }
  }

  function say(text) {
    status = document.getElementById("draft-status");
    if (!status) return;
    status.textContent = text;
    status.hidden = !text;
  }

  function keep(code) {
    var storage = store();
    if (storage) storage.setItem(key, JSON.stringify({ code: code, at: Date.now() }));
  }

  function kept() {
    var storage = store();
    if (!storage) return null;
    try {
      var value = JSON.parse(storage.getItem(key) || "null");
      return value && typeof value.code === "string" ? value.code : null;
    } catch (error) {
      return null;
    }
  }

  // The browser's copy is older than what the server holds (work went on elsewhere).
  function stale() {
    var storage = store();
    var savedAt = parseInt(form.dataset.savedAt || "0", 10) * 1000;
    try {
      var value = JSON.parse((storage && storage.getItem(key)) || "null");
      return Boolean(value && savedAt && value.at < savedAt);
    } catch (error) {
      return null;
    }
  }

  function forget() {
    var storage = store();
    if (storage) storage.removeItem(key);
  }

  function current() {
    var area = document.getElementById("code");
    return area ? area.value : "";
  }

  function body(code) {
    var token = form.querySelector("input[name=csrfmiddlewaretoken]");
    var params = new URLSearchParams();
    if (token) params.set("csrfmiddlewaretoken", token.value);
    params.set("code", code);
    return params;
  }

  function send() {
    timer = null;
    var code = current();
    if (kept() === null) return; // nothing unsent
    var limit = parseInt(form.dataset.maxDraftBytes || "0", 10);
    if (limit && new Blob([code]).size > limit) {
      // The server would refuse it (as Check does, naming the limit): keep it here only.
      say("Your code is larger than a step accepts, so this draft is kept in this browser only.");
      return;
    }
    sending = true;
    fetch(form.dataset.draftUrl, {
      method: "POST",
      body: body(code),
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" },
    })
      .then(function (response) {
        if (!response.ok) {
          // Refused (too large, say): the server says why; this browser keeps its copy.
          var plain = (response.headers.get("Content-Type") || "").indexOf("text/plain") === 0;
          return response.text().then(function (text) {
            say(plain && text ? text : "Your draft could not be saved; it is kept in this browser.");
          });
        }
        // Typing may have gone on meanwhile: only a copy the server now holds is dropped.
        if (kept() === code) forget();
        say("Draft saved.");
      })
      .catch(function () {
        say("Offline: your draft is kept in this browser and saved when you are back online.");
      })
      .finally(function () {
        sending = false;
      });
  }

  function schedule() {
    if (timer) clearTimeout(timer);
    timer = setTimeout(send, DELAY_MS);
  }

  document.addEventListener("input", function (event) {
    if (event.target && event.target.id === "code") {
      keep(current());
      schedule();
    }
  });

  // Check and Start over save or replace the code on the server: a pending draft must not
  // overwrite them, and the browser's copy is no longer needed once they succeed.
  document.addEventListener("htmx:beforeRequest", function (event) {
    var elt = event.detail && event.detail.elt;
    if (elt && (elt === form || elt.form === form) && timer) {
      clearTimeout(timer);
      timer = null;
    }
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    var elt = event.detail && event.detail.elt;
    if (elt && (elt === form || elt.form === form) && event.detail.successful) forget();
  });

  // Leaving the page with a draft not yet sent: hand it to the browser to deliver.
  window.addEventListener("pagehide", function () {
    if (timer && navigator.sendBeacon) {
      clearTimeout(timer);
      timer = null;
      var limit = parseInt(form.dataset.maxDraftBytes || "0", 10);
      if (!limit || new Blob([current()]).size <= limit) {
        navigator.sendBeacon(form.dataset.draftUrl, body(current()));
      }
    }
  });
  window.addEventListener("online", function () {
    if (kept() !== null && !sending) send();
  });

  // A copy the server never got (offline, or the tab closed mid-typing) comes back.
  function restore() {
    var code = kept();
    if (code === null) return;
    if (code === current() || stale()) {
      forget();
      return;
    }
    var view = window.AsyncEditor && window.AsyncEditor.get("#code");
    if (view) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: code } });
    } else {
      textarea.value = code;
      keep(code);
    }
    say("Your unsaved draft was restored.");
    schedule();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", restore);
  } else {
    restore();
  }
})();
