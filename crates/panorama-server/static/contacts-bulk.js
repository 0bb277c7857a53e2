// Row selection and bulk actions on the contacts list (templates/contacts_bulk.html): delete, add
// or remove a label on the ticked rows or on every contact of the filter, through
// POST /api/v1/contacts/bulk; the job it starts is followed until it ends, then the list refreshes.
(function () {
  "use strict";
  var root = document.getElementById("contacts-page");
  var bar = root && root.querySelector("[data-bulk]");
  if (!bar) { return; }
  var POLL_MS = 400;
  var dialog = root.querySelector("[data-bulk-confirm]");
  var matching = false; // every contact of the filter, not only the ticked rows
  var busy = false;

  function text(key) { return root.getAttribute("data-text-" + key) || ""; }
  function number(value) { return Number(value).toLocaleString("en-US"); }
  function listState() { return root.querySelector(".list-state"); }
  function total() { var s = listState(); return s ? Number(s.getAttribute("data-total")) : 0; }
  function rowBoxes() { return Array.prototype.slice.call(root.querySelectorAll("[data-select-row]")); }
  function selectedIds() {
    return rowBoxes().filter(function (b) { return b.checked; }).map(function (b) { return b.value; });
  }
  function count() { return matching ? total() : selectedIds().length; }

  function render() {
    var boxes = rowBoxes();
    var ids = selectedIds();
    var page = root.querySelector("[data-select-page]");
    if (page) {
      page.checked = boxes.length > 0 && ids.length === boxes.length;
      page.indeterminate = ids.length > 0 && ids.length < boxes.length;
    }
    bar.hidden = ids.length === 0 && !matching && !busy;
    var counted = matching ? text("all-matching") : ids.length ? text("selected") : "";
    bar.querySelector("[data-bulk-count]").textContent =
      counted.replace("{count}", number(matching ? total() : ids.length));
    var all = bar.querySelector("[data-select-matching]");
    all.hidden = matching || boxes.length === 0 || ids.length !== boxes.length || total() <= boxes.length;
    all.textContent = text("select-matching").replace("{count}", number(total()));
    // With nothing selected the bar only reports how the last action ended.
    var chosen = ids.length > 0 || matching;
    bar.querySelector("[data-bulk-clear]").hidden = !chosen;
    bar.querySelector(".bulk-actions").hidden = !chosen && !busy;
    bar.querySelectorAll(".bulk-actions button, .bulk-actions select").forEach(function (control) {
      control.disabled = busy;
    });
  }

  function status(words, percent) {
    var progress = bar.querySelector("[data-bulk-progress]");
    progress.hidden = !words;
    bar.querySelector("[data-bulk-status]").textContent = words || "";
    var meter = bar.querySelector("[data-bulk-meter]");
    meter.hidden = percent === undefined;
    if (percent !== undefined) { meter.value = percent; }
  }

  function body(action) {
    var request = { action: action };
    if (action !== "delete") {
      var label = bar.querySelector("[data-bulk-label]").value;
      if (!label) { status(text("pick-label")); return null; }
      request.label_id = Number(label);
    }
    if (matching) {
      request.filter = JSON.parse(listState().getAttribute("data-filter") || "{}");
    } else {
      request.ids = selectedIds();
    }
    return request;
  }

  function problem(response) {
    return response.json().catch(function () { return {}; }).then(function (doc) {
      throw new Error(doc.detail || doc.title || String(response.status));
    });
  }

  // A bulk job as /api/v1/contacts/bulk/{id} shows it (api/contacts/bulk/dto.rs): `state`,
  // `rows_done` of `rows_total`, and `counts.done` once it ends; its creation says `selected`.
  function finished(job) { return job.state === "done" || job.state === "failed"; }
  function done(job) { return job.rows_done || 0; }
  function planned(job) { return job.rows_total !== undefined ? job.rows_total : job.selected; }
  function changed(job) { return job.counts && job.counts.done !== undefined ? job.counts.done : done(job); }

  function follow(url, job) {
    var all = planned(job);
    var percent = all ? Math.round((100 * done(job)) / all) : undefined;
    status(text("running").replace("{done}", number(done(job))).replace("{total}", all ? number(all) : "…"), percent);
    if (finished(job)) { return Promise.resolve(job); }
    return new Promise(function (resolve) { window.setTimeout(resolve, POLL_MS); })
      .then(function () { return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } }); })
      .then(function (response) { return response.ok ? response.json() : problem(response); })
      .then(function (next) { return follow(url, next); });
  }

  function run(request) {
    busy = true;
    render();
    status(text("running").replace("{done}", "0").replace("{total}", number(count())), 0);
    fetch("/api/v1/contacts/bulk", {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify(request)
    })
      .then(function (response) {
        if (!response.ok) { return problem(response); }
        return response.json().then(function (job) {
          var url = job.url || response.headers.get("Location");
          return follow(url, job);
        });
      })
      .then(function (job) {
        if (job.state === "failed") { throw new Error(job.error || "failed"); }
        matching = false;
        busy = false;
        var words = text("done").replace("{count}", number(changed(job)));
        var refreshed = window.PanoramaContacts ? window.PanoramaContacts.refresh() : Promise.resolve();
        return refreshed.then(function () { render(); status(words, 100); bar.hidden = false; });
      })
      .catch(function (error) {
        busy = false;
        render();
        status(text("failed").replace("{error}", error.message));
      });
  }

  function act(action) {
    var request = body(action);
    if (!request) { return; }
    if (action !== "delete") { run(request); return; }
    dialog.querySelector("[data-confirm-text]").textContent =
      text("confirm-delete").replace("{count}", number(count()));
    dialog.returnValue = "";
    dialog.showModal();
    dialog.addEventListener("close", function confirmed() {
      dialog.removeEventListener("close", confirmed);
      if (dialog.returnValue === "confirm") { run(request); }
    });
  }

  root.addEventListener("change", function (event) {
    var target = event.target;
    if (target.matches("[data-select-page]")) {
      rowBoxes().forEach(function (b) { b.checked = target.checked; });
      matching = false;
    } else if (target.matches("[data-select-row]")) {
      matching = false;
    } else {
      return;
    }
    status("");
    render();
  });
  bar.addEventListener("click", function (event) {
    var button = event.target.closest("button");
    if (!button || busy) { return; }
    if (button.hasAttribute("data-select-matching")) { matching = true; }
    if (button.hasAttribute("data-bulk-clear")) {
      matching = false;
      rowBoxes().forEach(function (b) { b.checked = false; });
      status("");
    }
    if (button.hasAttribute("data-bulk-delete")) { act("delete"); }
    if (button.hasAttribute("data-bulk-action")) { act(button.getAttribute("data-bulk-action")); }
    render();
  });
  document.addEventListener("panorama:contacts-refreshed", function () {
    if (!busy) { matching = false; status(""); }
    render();
  });
  render();
})();
