// Knowledge editor: show the fields of the chosen kind, live Markdown preview, no double submit.
// Without JavaScript the form still works: every kind's fields show, and "Preview" reloads the page.
(function () {
  "use strict";
  var form = document.querySelector("form.knowledge-editor");
  if (!form) return;

  var kindInputs = form.querySelectorAll('input[name="kind"]');
  var kindFieldsets = form.querySelectorAll(".kind-fields");
  form.querySelectorAll(".no-js-note").forEach(function (note) { note.hidden = true; });

  function showKindFields() {
    var checked = form.querySelector('input[name="kind"]:checked');
    var kind = checked ? checked.value : "";
    kindFieldsets.forEach(function (fieldset) {
      fieldset.hidden = fieldset.dataset.kind !== kind;
    });
  }
  kindInputs.forEach(function (input) { input.addEventListener("change", showKindFields); });
  showKindFields();

  var body = form.querySelector('textarea[name="body"]');
  var section = form.querySelector(".markdown-preview");
  var target = form.querySelector(".preview-body");
  var previewButton = form.querySelector(".preview-button");
  var timer = null;
  var sent = 0;

  function refreshPreview() {
    var number = ++sent;
    var data = new FormData();
    data.append("body", body.value);
    data.append("csrfmiddlewaretoken", form.querySelector('input[name="csrfmiddlewaretoken"]').value);
    fetch(form.dataset.previewUrl, { method: "POST", body: data, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : Promise.reject(response.status); })
      .then(function (html) {
        if (number !== sent) return; // a newer preview is on its way
        target.innerHTML = html; // sanitised on the server by the same renderer as the item page
        section.hidden = false;
      })
      .catch(function () { /* the Preview button still works by reloading the page */ });
  }

  if (body && section && target) {
    body.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(refreshPreview, 500);
    });
    if (previewButton) {
      previewButton.addEventListener("click", function (event) {
        event.preventDefault();
        refreshPreview();
      });
    }
  }

  form.addEventListener("submit", function (event) {
    if (form.dataset.submitting) {
      event.preventDefault();
      return;
    }
    form.dataset.submitting = "1";
    form.querySelectorAll(".save-button").forEach(function (button) {
      button.setAttribute("aria-disabled", "true");
      button.classList.add("busy");
    });
  });
})();
