// A release whose PDF or EPUB is still being built: ask every few seconds how the builds stand, and
// reload the page once none is pending, so the downloads (or the error) appear without a manual reload.
// Without this script the page says "being built" and a reload shows the files.
(function () {
  "use strict";
  var box = document.querySelector("[data-build-status]");
  if (!box || !window.fetch) return;
  var tries = 0;
  function check() {
    tries += 1;
    fetch(box.dataset.buildStatus, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (status) {
        if (status && status.pdf !== "pending" && status.epub !== "pending") window.location.reload();
        else if (tries < 120) window.setTimeout(check, Math.min(15000, 3000 + tries * 1000));
      })
      .catch(function () { if (tries < 120) window.setTimeout(check, 15000); });
  }
  window.setTimeout(check, 3000);
})();
