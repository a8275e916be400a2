// Quizzes: after htmx swaps in a checked answer, move focus to the verdict so keyboard and
// screen reader users land on the result (the button they pressed was replaced).
document.addEventListener("htmx:afterSettle", (event) => {
  const target = event.detail && event.detail.elt;
  const root = target && target.isConnected ? target : document.getElementById("question");
  const verdict = root && root.querySelector("[data-quiz-focus]");
  if (verdict) {
    verdict.focus({ preventScroll: true });
    verdict.scrollIntoView({ block: "nearest", behavior: "smooth" });
  }
});

// A double click on "Submit the test" sends one request (the server ignores a second one
// anyway, so this is only a courtesy).
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-quiz-test")) return;
  if (form.dataset.submitted) {
    event.preventDefault();
    return;
  }
  form.dataset.submitted = "1";
});
