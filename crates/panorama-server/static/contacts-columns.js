// The column chooser of the contacts list (templates/contacts_columns.html): move attributes
// between the available and shown lists, filter both, reorder the shown ones by drag and drop or
// with the up/down buttons, and save through PUT /api/v1/views/contacts, then refresh the table.
(function () {
  "use strict";
  var root = document.getElementById("contacts-page");
  var chooser = root && root.querySelector("details[data-columns]");
  if (!chooser) { return; }
  var MAX = Number(chooser.getAttribute("data-columns-max")) || 20;
  var lists = {
    available: chooser.querySelector('[data-list="available"]'),
    shown: chooser.querySelector('[data-list="shown"]')
  };
  var message = chooser.querySelector("[data-chooser-message]");
  var saved = null;

  function text(key) { return root.getAttribute("data-text-" + key) || ""; }
  function say(words) { message.textContent = words || ""; }
  function ul(name) { return lists[name].querySelector("[data-items]"); }
  function items(name) { return Array.prototype.slice.call(ul(name).children); }
  function box(li) { return li.querySelector("input[type=checkbox]"); }
  function checked(name) {
    return items(name).filter(function (li) { return !li.hidden && box(li).checked; });
  }
  function names(name) { return items(name).map(function (li) { return li.getAttribute("data-name"); }); }

  // Schema order of every attribute, so a hidden column goes back where it came from.
  var order = {};
  items("available").concat(items("shown")).forEach(function (li, index) {
    order[li.getAttribute("data-name")] = index;
  });

  function update() {
    var shown = items("shown");
    lists.available.querySelector("[data-checked]").textContent = String(checked("available").length);
    lists.available.querySelector("[data-size]").textContent = String(items("available").length);
    lists.shown.querySelector("[data-size]").textContent = String(shown.length);
    items("available").forEach(function (li) { li.draggable = false; });
    shown.forEach(function (li, index) {
      li.draggable = true;
      li.querySelector("[data-up]").disabled = index === 0;
      li.querySelector("[data-down]").disabled = index === shown.length - 1;
    });
    chooser.querySelector("[data-chooser-save]").disabled = shown.length === 0;
  }

  function filter(list) {
    var input = list.querySelector("[data-filter]");
    var needle = input.value.trim().toLowerCase();
    list.querySelectorAll("[data-items] > li").forEach(function (li) {
      var haystack = (li.textContent + " " + li.getAttribute("data-name")).toLowerCase();
      li.hidden = needle !== "" && haystack.indexOf(needle) < 0;
    });
  }

  function move(moving, to) {
    var room = to === "shown" ? MAX - items("shown").length : moving.length;
    moving.slice(0, Math.max(room, 0)).forEach(function (li) {
      box(li).checked = false;
      if (to === "available") {
        var before = items("available").filter(function (other) {
          return order[other.getAttribute("data-name")] > order[li.getAttribute("data-name")];
        })[0];
        ul("available").insertBefore(li, before || null);
      } else {
        ul("shown").appendChild(li);
      }
    });
    say(moving.length > room ? text("columns-max").replace("{max}", String(MAX)) : "");
    filter(lists[to]);
    update();
  }

  function visible(name) { return items(name).filter(function (li) { return !li.hidden; }); }

  // Restore the lists to `state` ({available: [...], shown: [...]}, names in order).
  function restore(state) {
    ["available", "shown"].forEach(function (name) {
      var byName = {};
      items("available").concat(items("shown")).forEach(function (li) {
        byName[li.getAttribute("data-name")] = li;
      });
      state[name].forEach(function (key) {
        if (byName[key]) { box(byName[key]).checked = false; ul(name).appendChild(byName[key]); }
      });
    });
    chooser.querySelectorAll("[data-filter]").forEach(function (input) { input.value = ""; });
    filter(lists.available);
    filter(lists.shown);
    say("");
    update();
  }

  function snapshot() { saved = { available: names("available"), shown: names("shown") }; }

  function close(cancel) {
    if (cancel && saved) { restore(saved); }
    chooser.open = false;
    chooser.querySelector("summary").focus();
  }

  function save() {
    var columns = names("shown");
    if (columns.length === 0) { say(text("columns-min")); return; }
    fetch("/api/v1/views/contacts", {
      method: "PUT",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({ columns: columns })
    })
      .then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (body) {
          if (!response.ok) { throw new Error(body.detail || String(response.status)); }
          return body;
        });
      })
      .then(function () {
        snapshot();
        close(false);
        return window.PanoramaContacts && window.PanoramaContacts.refresh();
      })
      .catch(function (error) {
        say(text("columns-failed").replace("{error}", error.message));
      });
  }

  chooser.addEventListener("toggle", function () { if (chooser.open) { snapshot(); update(); } });
  chooser.addEventListener("input", function (event) {
    var list = event.target.closest("[data-list]");
    if (event.target.matches("[data-filter]") && list) { filter(list); }
    update();
  });
  chooser.addEventListener("click", function (event) {
    var button = event.target.closest("button");
    if (!button) { return; }
    var direction = button.getAttribute("data-move");
    if (direction === "all-right") { move(visible("available"), "shown"); }
    if (direction === "right") { move(checked("available"), "shown"); }
    if (direction === "left") { move(checked("shown"), "available"); }
    if (direction === "all-left") { move(visible("shown"), "available"); }
    var li = button.closest("li");
    if (li && button.hasAttribute("data-up") && li.previousElementSibling) {
      li.parentNode.insertBefore(li, li.previousElementSibling);
    }
    if (li && button.hasAttribute("data-down") && li.nextElementSibling) {
      li.parentNode.insertBefore(li.nextElementSibling, li);
    }
    if (li) {
      update();
      if (button.disabled) { box(li).focus(); } else { button.focus(); }
    }
    if (button.hasAttribute("data-chooser-save")) { save(); }
    if (button.hasAttribute("data-chooser-cancel")) { close(true); }
  });
  chooser.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && chooser.open) { event.preventDefault(); close(true); }
  });
  document.addEventListener("click", function (event) {
    if (chooser.open && !chooser.contains(event.target)) { close(true); }
  });

  // Drag and drop inside the shown list: the dragged row follows the pointer's half of a row.
  var dragged = null;
  var shownList = ul("shown");
  shownList.addEventListener("dragstart", function (event) {
    dragged = event.target.closest("li");
    if (!dragged) { return; }
    dragged.classList.add("dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", dragged.getAttribute("data-name"));
  });
  shownList.addEventListener("dragover", function (event) {
    if (!dragged) { return; }
    event.preventDefault();
    var over = event.target.closest("li");
    if (!over || over === dragged || over.parentNode !== shownList) { return; }
    var bounds = over.getBoundingClientRect();
    var after = event.clientY > bounds.top + bounds.height / 2;
    shownList.insertBefore(dragged, after ? over.nextElementSibling : over);
  });
  shownList.addEventListener("drop", function (event) { event.preventDefault(); });
  shownList.addEventListener("dragend", function () {
    if (dragged) { dragged.classList.remove("dragging"); }
    dragged = null;
    update();
  });
  update();
})();
