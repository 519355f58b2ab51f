/* The network map: draws /network/map/data.json with Cytoscape.js and the fcose layout.
 * Without JavaScript the filters still submit and the table and measures are served by the page.
 * The graph is exposed as window.platooNetmap (and data-ready on the canvas once laid out). */
(function () {
  "use strict";
  var canvas = document.getElementById("netmap-canvas");
  var legendData = document.getElementById("netmap-legend");
  if (!canvas || !legendData || typeof cytoscape === "undefined") return;
  var style = JSON.parse(legendData.textContent);
  var strings = style.strings;
  var form = document.getElementById("netmap-filters");
  var tooltip = document.getElementById("netmap-tooltip");
  var status = document.getElementById("netmap-status");
  var notes = document.getElementById("netmap-notes");
  var rows = document.getElementById("netmap-rows");
  var tableNote = document.getElementById("netmap-table-note");
  var exportLinks = ["export-graphml", "export-nodes", "export-edges"].map(function (id) { return document.getElementById(id); });
  var TABLE_ROWS = 200;
  var LARGE = 500;  // above this many nodes: a fast layout, smaller nodes, fewer names
  var NAMED = 40;
  var FONT = window.getComputedStyle(document.body).fontFamily;  // Sarabun: canvas text needs the Thai font too
  var cy = null;
  var focused = null;  // on touch screens the first tap names a node, the second opens it

  function format(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_m, key) { return values[key]; });
  }
  function number(n) { return Number(n).toLocaleString(); }
  function counted(name, n) {
    return format(strings[name + (Number(n) === 1 ? "_one" : "_many")], { count: number(n) });
  }

  function colourOf(node) {
    if (node.type === "organization") {
      var sector = style.sectors[node.sector];
      return sector ? sector.colour : style.types.organization.colour;
    }
    return style.types[node.type].colour;
  }

  function details(node) {
    if (node.type === "organization") {
      var parts = [style.sectors[node.sector] ? style.sectors[node.sector].label : ""];
      if (node.people !== undefined && node.people !== null) parts.push(counted("people", node.people));
      return parts.join(" · ");
    }
    if (node.type === "community") {
      return [style.levels[String(node.level)] || "", counted("members", node.members)].join(" · ");
    }
    return "";
  }

  function elements(data) {
    var count = data.nodes.length;
    var opacity = count > LARGE ? 0.3 : 0.55;
    // A large map names only its most connected nodes (the others on hover) and draws smaller nodes.
    var named = {};
    data.nodes.slice().sort(function (a, b) { return b.degree - a.degree; })
      .slice(0, count > LARGE ? NAMED : count).forEach(function (n) { named[n.id] = true; });
    var scale = count > LARGE ? 0.5 : 1;
    var nodes = data.nodes.map(function (n) {
      var big = n.type === "person" ? 6 + 2 * Math.sqrt(n.degree) : 14 + 5 * Math.sqrt(n.degree);
      return { group: "nodes", data: {
        id: n.id, label: n.label, name: named[n.id] ? n.label : "", url: n.url, type: n.type, colour: colourOf(n),
        shape: style.types[n.type].shape, size: Math.max(6, Math.min(big, 80) * scale), info: details(n), degree: n.degree
      } };
    });
    var edges = data.edges.map(function (e) {
      var kind = style.kinds[e.kind] || { colour: "#999", line: "solid", directed: false };
      var width = e.kind === "link" ? 1 + (e.level || 1) * 0.6 : Math.min(1 + Math.log2(e.weight), 6);
      return { group: "edges", data: {
        id: e.id, source: e.source, target: e.target, kind: e.kind, colour: kind.colour,
        line: kind.line, width: width, opacity: opacity, arrow: e.directed && (e.kind === "reuse" || e.kind === "applied") ? "triangle" : "none"
      } };
    });
    return nodes.concat(edges);
  }

  function stylesheet() {
    return [
      { selector: "node", style: {
        "background-color": "data(colour)", "shape": "data(shape)", "width": "data(size)", "height": "data(size)",
        "label": "data(name)", "font-family": FONT, "font-size": 10, "min-zoomed-font-size": 9,
        "text-valign": "bottom", "text-wrap": "ellipsis", "text-max-width": "140px",
        "text-margin-y": 2, "color": "#1f2933", "text-outline-color": "#fff", "text-outline-width": 2,
        "border-width": 1, "border-color": "#fff"
      } },
      { selector: "node[type = 'person']", style: { "font-size": 8 } },
      { selector: "node:selected", style: { "border-width": 3, "border-color": "#b4541a" } },
      { selector: "edge", style: {
        "line-color": "data(colour)", "line-style": "data(line)", "width": "data(width)", "opacity": "data(opacity)",
        "curve-style": "haystack", "target-arrow-shape": "none"
      } },
      { selector: "edge[arrow = 'triangle']", style: {
        "curve-style": "straight", "target-arrow-shape": "triangle", "target-arrow-color": "data(colour)", "arrow-scale": 0.8
      } }
    ];
  }

  function showTooltip(node) {
    var data = node.data();
    var position = node.renderedPosition();
    tooltip.textContent = "";
    var name = document.createElement("strong");
    name.textContent = data.label;
    tooltip.appendChild(name);
    var line = document.createElement("div");
    line.textContent = [style.types[data.type].label, data.info, number(data.degree) + " " + strings.ties]
      .filter(Boolean).join(" · ");
    tooltip.appendChild(line);
    if (focused === node.id()) {
      var hint = document.createElement("div");
      hint.className = "meta";
      hint.textContent = strings.open;
      tooltip.appendChild(hint);
    }
    tooltip.style.left = Math.round(position.x + 12) + "px";
    tooltip.style.top = Math.round(position.y + 12) + "px";
    tooltip.hidden = false;
  }

  function hideTooltip() { tooltip.hidden = true; }

  function draw(data) {
    var count = data.nodes.length;
    if (cy) cy.destroy();
    focused = null;
    canvas.removeAttribute("data-ready");
    cy = cytoscape({
      container: canvas,
      elements: elements(data),
      style: stylesheet(),
      layout: { name: "preset" },
      minZoom: 0.05,
      maxZoom: 4,
      // Large graphs: no edges or labels while panning, cached textures.
      hideEdgesOnViewport: count > 400,
      textureOnViewport: count > 400,
      pixelRatio: count > 800 ? 1 : "auto"
    });
    window.platooNetmap = cy;
    cy.on("mouseover", "node", function (event) { showTooltip(event.target); });
    cy.on("mouseout", "node", hideTooltip);
    cy.on("pan zoom", hideTooltip);
    cy.on("tap", "node", function (event) {
      var node = event.target;
      var touch = event.originalEvent && (event.originalEvent.pointerType === "touch" || event.originalEvent.type === "touchend");
      if (touch && focused !== node.id()) {
        focused = node.id();
        showTooltip(node);
        return;
      }
      window.location.href = node.data("url");
    });
    cy.on("tap", function (event) { if (event.target === cy) { focused = null; hideTooltip(); } });
    // fcose's force-directed pass takes tens of seconds beyond a few hundred nodes (measured: 0.5 s at
    // 421 nodes, 22-46 s at 1,250-1,500); its spectral draft alone places 1,500 in about two seconds.
    var layout = cy.layout({
      name: "fcose",
      quality: count > LARGE ? "draft" : "default",
      randomize: true,
      animate: false,
      fit: true,
      padding: 24,
      nodeSeparation: count > LARGE ? 120 : 75,
      nodeRepulsion: function () { return 6500; },
      idealEdgeLength: function () { return 70; },
      tile: true
    });
    layout.one("layoutstop", function () {
      cy.fit(undefined, 24);
      canvas.setAttribute("data-ready", "true");
    });
    layout.run();
  }

  function render(data) {
    status.textContent = format(strings.summary, { nodes: number(data.summary.nodes), edges: number(data.summary.edges) });
    notes.textContent = "";
    data.aggregation.notes.forEach(function (text) {
      var p = document.createElement("p");
      p.className = "message warning";
      p.textContent = text;
      notes.appendChild(p);
    });
    if (rows) {
      rows.textContent = "";
      data.nodes.slice().sort(function (a, b) { return b.degree - a.degree || a.label.localeCompare(b.label); })
        .slice(0, TABLE_ROWS).forEach(function (n) {
          var tr = document.createElement("tr");
          var name = document.createElement("td");
          var link = document.createElement("a");
          link.href = n.url;
          link.textContent = n.label;
          name.appendChild(link);
          tr.appendChild(name);
          [style.types[n.type].label, details(n), number(n.degree)].forEach(function (text) {
            var td = document.createElement("td");
            td.textContent = text;
            tr.appendChild(td);
          });
          rows.appendChild(tr);
        });
      if (tableNote && data.nodes.length > TABLE_ROWS) tableNote.hidden = false;
    }
    draw(data);
  }

  function query() {
    var params = new URLSearchParams();
    if (form) {
      new FormData(form).forEach(function (value, key) { if (value) params.append(key, value); });
    } else {
      new URLSearchParams(window.location.search).forEach(function (value, key) { params.append(key, value); });
    }
    return params.toString();
  }

  function load(updateAddress) {
    var q = query();
    status.textContent = strings.loading;
    canvas.removeAttribute("data-ready");
    fetch(canvas.dataset.url + (q ? "?" + q : ""), { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then(function (data) {
        if (updateAddress) {
          window.history.replaceState(null, "", window.location.pathname + (q ? "?" + q : ""));
          exportLinks.forEach(function (a) {
            if (a) a.setAttribute("href", a.getAttribute("href").split("?")[0] + (q ? "?" + q : ""));
          });
        }
        render(data);
      })
      .catch(function () { status.textContent = strings.failed; });
  }

  if (form) {
    form.addEventListener("submit", function (event) { event.preventDefault(); load(true); });
    form.addEventListener("change", function () { load(true); });
  }
  // Canvas labels are drawn once: wait for the Thai web font, or they come out as boxes.
  (document.fonts && document.fonts.load ? document.fonts.load("10px Sarabun", "ก") : Promise.resolve())
    .catch(function () {}).then(function () { load(false); });
})();
