// Knowledge editor: while the writer types the title or text, show what the repository already holds
// that looks the same (possible duplicates, with links) and topics and tags to add with one click.
// Without JavaScript nothing is lost: saving a new item still shows possible duplicates, with choices.
(function () {
  "use strict";
  var form = document.querySelector("form.knowledge-editor");
  var panel = form && form.querySelector(".similar-live");
  if (!form || !panel || !form.dataset.similarUrl || !window.fetch) return;

  var WATCHED = ["title", "summary", "body", "aar_expected", "aar_happened", "aar_difference", "aar_next_time",
    "bp_context", "bp_practice", "bp_results", "bp_conditions"];
  var DELAY = 900; // ms after the last key press
  var timer = null;
  var sent = 0;
  var lastSent = "";

  function payload() {
    var data = new FormData();
    data.append("csrfmiddlewaretoken", form.querySelector('input[name="csrfmiddlewaretoken"]').value);
    var kind = form.querySelector('input[name="kind"]:checked');
    data.append("kind", kind ? kind.value : "");
    WATCHED.forEach(function (name) {
      var field = form.elements.namedItem(name);
      if (field && "value" in field) data.append(name, field.value);
    });
    form.querySelectorAll('input[name="topics"]:checked').forEach(function (box) { data.append("topics", box.value); });
    var tags = form.elements.namedItem("tags");
    data.append("tags", tags ? tags.value : "");
    if (form.dataset.item) data.append("item", form.dataset.item);
    return data;
  }

  function signature(data) {
    var parts = [];
    data.forEach(function (value, key) { if (key !== "csrfmiddlewaretoken") parts.push(key + "=" + value); });
    return parts.join("&");
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text; // never innerHTML: titles are what people typed
    return node;
  }

  function addButton(onAdd) {
    var button = element("button", "link suggestion-add", panel.dataset.add);
    button.type = "button";
    button.addEventListener("click", function () {
      onAdd();
      button.textContent = panel.dataset.added;
      button.disabled = true;
      schedule();
    });
    return button;
  }

  function addTopic(id) {
    var box = form.querySelector('input[name="topics"][value="' + String(id).replace(/\D/g, "") + '"]');
    if (box) {
      box.checked = true;
      box.dispatchEvent(new Event("change", { bubbles: true }));
    }
  }

  function addTag(name) {
    var field = form.elements.namedItem("tags");
    if (!field) return;
    var current = field.value.split(/[,\n\uff0c\u060c]/).map(function (t) { return t.trim(); }).filter(Boolean);
    if (current.map(function (t) { return t.toLowerCase(); }).indexOf(name.toLowerCase()) === -1) current.push(name);
    field.value = current.join(", ");
  }

  function fill(section, list, entries, build) {
    list.textContent = "";
    entries.forEach(function (entry) { list.appendChild(build(entry)); });
    section.hidden = entries.length === 0;
  }

  function show(result) {
    var duplicates = panel.querySelector(".similar-duplicates");
    fill(duplicates, duplicates.querySelector("ul"), result.duplicates || [], function (match) {
      var li = element("li", "similar-match");
      var link = element("a", "", match.title);
      link.href = match.url;
      link.target = "_blank";
      link.rel = "noopener";
      link.title = panel.dataset.open;
      li.appendChild(link);
      li.appendChild(document.createTextNode(" "));
      li.appendChild(element("span", "badge" + (match.label === "same" ? " warning" : ""), match.label_display));
      li.appendChild(element("span", "meta", " " + match.score.toFixed(2)));
      return li;
    });
    var topics = panel.querySelector(".similar-topics");
    fill(topics, topics.querySelector("ul"), result.topics || [], function (topic) {
      var li = element("li", "suggestion", topic.name + " ");
      li.dataset.topic = topic.id;
      li.appendChild(addButton(function () { addTopic(topic.id); }));
      li.appendChild(element("span", "meta suggestion-why", topic.why));
      return li;
    });
    var tags = panel.querySelector(".similar-tags");
    fill(tags, tags.querySelector("ul"), result.tags || [], function (tag) {
      var li = element("li", "suggestion", tag.name + " ");
      li.appendChild(addButton(function () { addTag(tag.name); }));
      li.appendChild(element("span", "meta suggestion-why", tag.why));
      return li;
    });
    panel.hidden = duplicates.hidden && topics.hidden && tags.hidden;
  }

  function lookUp() {
    var data = payload();
    var key = signature(data);
    if (key === lastSent) return;
    lastSent = key;
    var number = ++sent;
    fetch(form.dataset.similarUrl, { method: "POST", body: data, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : Promise.reject(response.status); })
      .then(function (result) {
        if (number === sent) show(result); // otherwise a newer look-up is on its way
      })
      .catch(function () { lastSent = ""; /* try again on the next key press */ });
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(lookUp, DELAY);
  }

  WATCHED.forEach(function (name) {
    var field = form.elements.namedItem(name);
    if (field && field.addEventListener) field.addEventListener("input", schedule);
  });
  var title = form.elements.namedItem("title");
  if (title && title.value) schedule(); // an editor opened on a draft: look once
})();
