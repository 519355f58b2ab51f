// The draft of a manual: chapters and sections ordered by dragging them by their handle, or with the
// keyboard (the ↑ ↓ buttons this adds). Without this script the page still works: the positions are
// number inputs and a button saves them. With it, the inputs are filled in and the form sent on each drop.
(function () {
  "use strict";
  var form = document.querySelector("form[data-reorder]");
  if (!form) return;
  form.classList.add("js-reorder");
  var nojs = form.querySelector(".order-help-nojs"), js = form.querySelector(".order-help-js");
  if (nojs) nojs.hidden = true;
  if (js) js.hidden = false;
  var dragged = null;

  function isChapter(node) { return node.classList.contains("draft-chapter"); }

  function renumber() {
    form.querySelectorAll("ol.draft-chapters > li.draft-node").forEach(function (chapter, index) {
      chapter.querySelector(":scope > .draft-row .position-input").value = index + 1;
      chapter.querySelector(":scope > .draft-row .parent-input").value = "";
      chapter.querySelectorAll(":scope > ol.draft-sections > li.draft-node").forEach(function (section, sub) {
        section.querySelector(".position-input").value = sub + 1;
        section.querySelector(".parent-input").value = chapter.dataset.id;
      });
    });
  }

  function save() {
    renumber();
    form.classList.add("saving");
    if (form.requestSubmit) form.requestSubmit(); else form.submit();
  }

  // Where a dragged node would land if dropped on `target` (null: nowhere).
  function landing(target, event) {
    if (!dragged || !target) return null;
    var over = target.closest("li.draft-node, ol.draft-sections");
    if (!over || dragged.contains(over)) return null;
    if (isChapter(dragged)) {
      var chapter = over.closest("li.draft-chapter");
      if (!chapter || chapter === dragged) return null;
      var box = chapter.getBoundingClientRect();
      return { list: chapter.parentNode, before: event.clientY < box.top + box.height / 2 ? chapter : chapter.nextSibling };
    }
    if (over.matches("ol.draft-sections")) return { list: over, before: null };
    if (isChapter(over)) return { list: over.querySelector(":scope > ol.draft-sections"), before: null };
    var rect = over.getBoundingClientRect();
    return { list: over.parentNode, before: event.clientY < rect.top + rect.height / 2 ? over : over.nextSibling };
  }

  form.querySelectorAll("li.draft-node").forEach(function (node) {
    var row = node.querySelector(":scope > .draft-row");
    node.draggable = true;
    node.addEventListener("dragstart", function (event) {
      event.stopPropagation();
      dragged = node;
      node.classList.add("dragging");
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", node.dataset.id);
    });
    node.addEventListener("dragend", function () {
      node.classList.remove("dragging");
      dragged = null;
    });
    // Keyboard: move up or down within its list.
    var actions = row.querySelector(".draft-actions");
    [["↑", -1], ["↓", 1]].forEach(function (pair) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "link move-button";
      button.textContent = pair[0];
      button.setAttribute("aria-label", (pair[1] < 0 ? form.dataset.up : form.dataset.down) || pair[0]);
      button.addEventListener("click", function () {
        var sibling = pair[1] < 0 ? node.previousElementSibling : node.nextElementSibling;
        if (!sibling) return;
        node.parentNode.insertBefore(node, pair[1] < 0 ? sibling : sibling.nextSibling);
        save();
      });
      actions.insertBefore(button, actions.firstChild);
    });
  });

  form.addEventListener("dragover", function (event) {
    if (landing(event.target, event)) {
      event.preventDefault();
      event.dataTransfer.dropEffect = "move";
    }
  });
  form.addEventListener("drop", function (event) {
    var place = landing(event.target, event);
    if (!place) return;
    event.preventDefault();
    place.list.insertBefore(dragged, place.before);
    save();
  });

  document.querySelectorAll("form[data-confirm]").forEach(function (remove) {
    remove.addEventListener("submit", function (event) {
      if (!window.confirm(remove.dataset.confirm)) event.preventDefault();
    });
  });
})();
