// Progressive enhancement for learner code steps: every
// <textarea data-editor="python"> becomes a CodeMirror 6 editor, while the
// textarea stays in its form (hidden) and always holds the current code, so
// plain form posts and htmx requests send what the learner sees.
//
// Built into static/vendor/codemirror/editor.bundle.js by `npm run build`.
import { Compartment, EditorState } from "@codemirror/state";
import {
  EditorView,
  highlightActiveLine,
  highlightActiveLineGutter,
  highlightSpecialChars,
  keymap,
  lineNumbers,
  placeholder,
} from "@codemirror/view";
import {
  bracketMatching,
  HighlightStyle,
  indentOnInput,
  indentUnit,
  LanguageSupport,
  syntaxHighlighting,
} from "@codemirror/language";
import {
  history,
  historyKeymap,
  indentLess,
  indentMore,
  indentWithTab,
  standardKeymap,
  toggleComment,
} from "@codemirror/commands";
import { pythonLanguage } from "@codemirror/lang-python";
import { styleTags, tags as t } from "@lezer/highlight";

const SELECTOR = 'textarea[data-editor="python"]';
const DEFAULT_HINT = "Tab indents, Shift+Tab dedents. To leave the editor, press Escape, then Tab.";
const SUBMIT_HINT = "Ctrl+Enter (⌘+Enter on a Mac) checks your code. ";

// One palette everywhere: tokens get Pygments' own class names and the editor's
// content is a `.highlight`, so static/css/pygments.css (generated from the styles
// that colour the solution, the lessons and the demo) colours the editor too, light
// and dark. Each Lezer tag maps to the class Pygments' PythonLexer gives that token.
const highlightStyle = HighlightStyle.define([
  { tag: [t.keyword, t.controlKeyword, t.definitionKeyword, t.moduleKeyword, t.modifier], class: "k" },
  { tag: t.operatorKeyword, class: "ow" },
  { tag: [t.bool, t.null, t.atom], class: "kc" },
  { tag: [t.string, t.special(t.string)], class: "s" },
  { tag: t.docString, class: "sd" },
  { tag: [t.escape, t.regexp], class: "se" },
  { tag: t.number, class: "m" },
  { tag: [t.comment, t.lineComment], class: "c1" },
  { tag: t.function(t.definition(t.variableName)), class: "nf" },
  { tag: [t.definition(t.className), t.className], class: "nc" },
  { tag: t.namespace, class: "nn" },
  { tag: t.meta, class: "nd" },
  {
    tag: [
      t.arithmeticOperator,
      t.bitwiseOperator,
      t.compareOperator,
      t.definitionOperator,
      t.updateOperator,
      t.derefOperator,
    ],
    class: "o",
  },
  { tag: [t.punctuation, t.paren, t.squareBracket, t.brace, t.separator], class: "p" },
  {
    tag: [t.variableName, t.propertyName, t.function(t.variableName), t.function(t.propertyName)],
    class: "n",
  },
  { tag: t.invalid, class: "err" },
]);

// Pygments marks the modules of an import statement (`import asyncio`) as namespaces;
// Lezer's grammar calls them plain names, so say it here.
const pythonImports = pythonLanguage.configure({
  props: [styleTags({ "ImportStatement/VariableName": t.namespace })],
});

// Python without lang-python's completion sources: there is no autocomplete
// UI here, and leaving them out keeps @codemirror/autocomplete out of the bundle.
const python = new LanguageSupport(pythonImports);

const darkQuery = typeof matchMedia === "function" ? matchMedia("(prefers-color-scheme: dark)") : null;
const isDark = () => Boolean(darkQuery && darkQuery.matches);

const views = new WeakMap(); // textarea -> EditorView
const live = new Set(); // views still attached to a textarea
const themeSlot = new Compartment();

function ariaAttributes(textarea) {
  const attrs = {};
  for (const name of ["aria-label", "aria-labelledby", "aria-describedby"]) {
    const value = textarea.getAttribute(name);
    if (value) attrs[name] = value;
  }
  // A <label for=...> names the textarea, which is now hidden; point the
  // editor at the same label so screen readers still announce it.
  if (!attrs["aria-label"] && !attrs["aria-labelledby"] && textarea.labels && textarea.labels.length) {
    attrs["aria-labelledby"] = Array.from(textarea.labels, (label, i) => {
      if (!label.id) label.id = `${textarea.id || "editor"}-label-${i}`;
      return label.id;
    }).join(" ");
  }
  const hint = hintElement(textarea);
  if (hint) {
    attrs["aria-describedby"] = [attrs["aria-describedby"], hint.id].filter(Boolean).join(" ");
  }
  if (textarea.readOnly || textarea.disabled) attrs["aria-readonly"] = "true";
  if (textarea.required) attrs["aria-required"] = "true";
  return attrs;
}

// data-editor-hint-id names the keyboard hint. If the page ships it (usually
// `hidden`, because it only applies once the editor exists) it is shown; if not,
// a default one is created under the editor.
function hintElement(textarea) {
  const id = textarea.getAttribute("data-editor-hint-id");
  if (!id) return null;
  let hint = document.getElementById(id);
  if (!hint) {
    hint = document.createElement("p");
    hint.id = id;
    hint.className = "ae-editor-hint";
    hint.textContent = (textarea.form ? SUBMIT_HINT : "") + DEFAULT_HINT;
    textarea.__aeHint = hint;
  } else {
    hint.hidden = false;
  }
  return hint;
}

function submitForm(textarea) {
  const form = textarea.form;
  if (!form || textarea.readOnly || textarea.disabled) return false;
  // requestSubmit fires "submit" (htmx and validation see it), unlike form.submit().
  form.requestSubmit();
  return true;
}

function sync(view) {
  const textarea = view.aeTextarea;
  const value = view.state.doc.toString();
  if (textarea.value !== value) textarea.value = value;
  return value;
}

function enhanceOne(textarea) {
  if (views.has(textarea)) return views.get(textarea);

  // htmx history snapshots keep the dead editor markup next to the textarea;
  // drop it before building a live one.
  const stale = textarea.nextElementSibling;
  if (stale && stale.classList.contains("ae-editor")) stale.remove();

  const readOnly = textarea.readOnly || textarea.disabled;
  const extensions = [
    lineNumbers(),
    highlightActiveLineGutter(),
    highlightSpecialChars(),
    history(),
    indentOnInput(),
    bracketMatching(),
    highlightActiveLine(),
    python,
    syntaxHighlighting(highlightStyle),
    indentUnit.of("    "),
    EditorState.tabSize.of(4),
    // A trimmed defaultKeymap: editing basics, undo, comment toggling.
    // indentWithTab traps Tab; CodeMirror's built-in escape hatch is Escape
    // then Tab (within 2 s), which moves focus on as usual.
    keymap.of([
      // Ctrl+Enter (Cmd+Enter) sends the editor's form, as its first submit button
      // would, so the learner can check without leaving the keyboard's home row.
      { key: "Mod-Enter", run: () => submitForm(textarea) },
      ...standardKeymap,
      ...historyKeymap,
      { key: "Mod-/", run: toggleComment },
      { key: "Mod-[", run: indentLess },
      { key: "Mod-]", run: indentMore },
      indentWithTab,
    ]),
    themeSlot.of(EditorView.darkTheme.of(isDark())),
    EditorView.contentAttributes.of(ariaAttributes(textarea)),
    EditorView.editorAttributes.of({ class: "ae-editor" }),
    EditorView.contentAttributes.of({ class: "highlight" }),
    EditorView.updateListener.of((update) => {
      if (!update.docChanged) return;
      sync(update.view);
      // Let listeners on the form (e.g. hx-trigger="input") see edits.
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
    }),
    EditorView.domEventHandlers({
      blur(_event, view) {
        if (view.aeChanged !== view.state.doc.toString()) {
          view.aeChanged = view.state.doc.toString();
          textarea.dispatchEvent(new Event("change", { bubbles: true }));
        }
      },
    }),
  ];
  if (readOnly) {
    extensions.push(EditorState.readOnly.of(true), EditorView.editorAttributes.of({ class: "ae-editor--readonly" }));
  }
  if (textarea.disabled) extensions.push(EditorView.editable.of(false));
  if (textarea.placeholder) extensions.push(placeholder(textarea.placeholder));

  const view = new EditorView({
    state: EditorState.create({ doc: textarea.value, extensions }),
  });
  view.aeTextarea = textarea;
  view.aeChanged = textarea.value;
  textarea.after(view.dom);
  if (textarea.__aeHint) view.dom.after(textarea.__aeHint);
  textarea.hidden = true;
  textarea.style.display = "none";
  textarea.setAttribute("data-editor-enhanced", "");

  // Clicking the textarea's <label> should land in the editor.
  for (const label of textarea.labels || []) {
    label.addEventListener("click", (event) => {
      event.preventDefault();
      view.focus();
    });
  }
  // A required, empty, hidden textarea cannot take focus when the browser
  // blocks submission; send the learner to the editor instead.
  textarea.addEventListener("invalid", () => view.focus());

  const form = textarea.form;
  if (form) {
    form.addEventListener("submit", () => sync(view), true);
    form.addEventListener("reset", () => {
      // The reset restores the textarea after this event; follow it.
      setTimeout(() => {
        view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: textarea.value } });
      });
    });
  }

  views.set(textarea, view);
  live.add(view);
  return view;
}

function enhance(root) {
  const scope = root && root.querySelectorAll ? root : document;
  const found = [];
  if (scope.matches && scope.matches(SELECTOR)) found.push(enhanceOne(scope));
  for (const textarea of scope.querySelectorAll(SELECTOR)) found.push(enhanceOne(textarea));
  return found;
}

function get(textarea) {
  const el = typeof textarea === "string" ? document.querySelector(textarea) : textarea;
  return (el && views.get(el)) || null;
}

function pruneDetached() {
  for (const view of live) {
    if (!view.aeTextarea.isConnected) {
      live.delete(view);
      view.destroy();
    }
  }
}

// htmx collects parameters before firing htmx:configRequest, so besides
// syncing the textareas, overwrite any already-collected value (htmx 2 hands
// out a FormData proxy: read and assign by name, `in` does not work).
document.addEventListener("htmx:configRequest", (event) => {
  pruneDetached();
  const params = event.detail && event.detail.parameters;
  for (const view of live) {
    const value = sync(view);
    const name = view.aeTextarea.name;
    if (!params || !name) continue;
    const elt = event.detail.elt;
    const form = elt && (elt.tagName === "FORM" ? elt : elt.closest && elt.closest("form"));
    if (form && form === view.aeTextarea.form && params[name] !== undefined) params[name] = value;
  }
});

document.addEventListener("htmx:load", (event) => enhance(event.target));
document.addEventListener("htmx:afterSwap", pruneDetached);

if (darkQuery && darkQuery.addEventListener) {
  darkQuery.addEventListener("change", () => {
    for (const view of live) view.dispatch({ effects: themeSlot.reconfigure(EditorView.darkTheme.of(isDark())) });
  });
}

if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", () => enhance(document));
} else {
  enhance(document);
}

window.AsyncEditor = { enhance, get };
