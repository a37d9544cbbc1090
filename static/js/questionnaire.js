// The questionnaire with htmx: after a page of questions is swapped in, focus moves to its
// heading (or to the error summary), so a screen reader reads the new page from its start.
// Each page has its own address and history entry; htmx keeps no copy of pages (the
// htmx-config in base.html), so Back and Forward fetch the page again, with the answers given.
(function () {
  function focusPanel() {
    var panel = document.getElementById("questionnaire-panel");
    if (!panel) return;
    var target = panel.querySelector("#error-summary") || panel.querySelector("#question-heading");
    if (target) target.focus();
  }
  document.addEventListener("DOMContentLoaded", function () {
    var panel = document.getElementById("questionnaire-panel");
    if (!panel || !panel.dataset.pageUrl || !window.history.replaceState) return;
    // This entry names its page (the first page is reached as /check/), and is htmx's to restore.
    window.history.replaceState({ htmx: true }, "", panel.dataset.pageUrl);
    if (panel.querySelector("#error-summary")) focusPanel();
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail && event.detail.target;
    if (target && target.id === "questionnaire-panel") focusPanel();
  });
  document.addEventListener("htmx:historyRestore", focusPanel);
})();
