// Progressive enhancement: a text box that filters a long <select> (the 91 occupations and
// 7 special-ability items). Without JavaScript the select still works, with type-ahead.
(function () {
  function enhance(root) {
    root.querySelectorAll("select[data-filter-label]").forEach(function (select) {
      if (select.dataset.filterReady) return;
      select.dataset.filterReady = "1";
      var input = document.createElement("input");
      input.type = "search";
      input.className = "form-control mb-2";
      input.id = select.id + "_filter";
      input.setAttribute("aria-controls", select.id);
      var label = document.createElement("label");
      label.className = "form-label small";
      label.htmlFor = input.id;
      label.textContent = select.dataset.filterLabel;
      select.parentNode.insertBefore(label, select);
      select.parentNode.insertBefore(input, select);
      var options = Array.prototype.slice.call(select.options);
      input.addEventListener("input", function () {
        var text = input.value.trim().toLowerCase();
        var first = null;
        options.forEach(function (option) {
          var match = !option.value || option.text.toLowerCase().indexOf(text) !== -1;
          option.hidden = !match;
          if (match && option.value && !first) first = option;
        });
        if (text && first) select.value = first.value;
      });
    });
  }
  document.addEventListener("DOMContentLoaded", function () { enhance(document); });
  document.addEventListener("htmx:afterSwap", function (event) { enhance(event.target); });
})();
