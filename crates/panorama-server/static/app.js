// Panorama's page script: small, no framework, nothing inline (the content policy forbids it).

// The header's menu on narrow screens: the stylesheet folds the navigation behind the menu button
// only once this script runs (`html.js`), so without the script every link stays in view. The
// button opens and closes it; Escape closes it and gives focus back to the button.
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  function setOpen(bar, button, open) {
    bar.classList.toggle("open", open);
    button.setAttribute("aria-expanded", open ? "true" : "false");
  }
  document.addEventListener("click", function (event) {
    var target = event.target instanceof Element ? event.target : null;
    var button = target && target.closest(".menu-button");
    if (!button) { return; }
    var bar = button.closest(".topbar");
    setOpen(bar, button, !bar.classList.contains("open"));
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    var bar = document.querySelector(".topbar.open");
    if (!bar) { return; }
    var button = bar.querySelector(".menu-button");
    setOpen(bar, button, false);
    button.focus();
  });
})();

// Times are rendered by the server in the viewer's zone (src/ui/clock.rs), which the footer names:
// this script tells the server that zone in the panorama_tz cookie (until it has, pages show the
// company's zone). The behaviour area of the contact page (src/ui/behaviour.rs): unfold or fold
// every event, and append "load more" pages in place.
(function () {
  "use strict";
  try {
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (zone) {
      document.cookie = "panorama_tz=" + encodeURIComponent(zone) + "; path=/; max-age=31536000; samesite=lax";
    }
  } catch (ignored) { /* no Intl: the company's zone is used */ }

  function unfold(button) {
    var area = button.closest(".behaviour");
    var open = button.getAttribute("aria-pressed") !== "true";
    area.querySelectorAll("details").forEach(function (d) { d.open = open || d.classList.contains("day"); });
    button.setAttribute("aria-pressed", open ? "true" : "false");
    var other = button.getAttribute("data-fold-label");
    button.setAttribute("data-fold-label", button.textContent);
    button.textContent = other;
  }

  function loadMore(link) {
    var row = link.closest(".load-more-row");
    var days = link.closest(".behaviour").querySelector(".stream-days");
    link.setAttribute("aria-busy", "true");
    fetch(link.getAttribute("data-fragment"), { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.text();
      })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        doc.querySelectorAll(".stream-days > .day").forEach(function (day) {
          var last = days.querySelector(".day:last-of-type");
          if (last && last.getAttribute("data-date") === day.getAttribute("data-date")) {
            var list = last.querySelector(".timeline");
            day.querySelectorAll(".timeline > li").forEach(function (li) { list.appendChild(li); });
          } else {
            days.appendChild(day);
          }
        });
        var next = doc.querySelector(".load-more-row");
        if (next) { row.replaceWith(next); } else { row.remove(); }
        document.dispatchEvent(new Event("panorama:timeline"));
      })
      .catch(function () { window.location.href = link.href; });
  }

  document.addEventListener("click", function (event) {
    var target = event.target instanceof Element ? event.target : null;
    var button = target && target.closest("[data-unfold]");
    if (button) { unfold(button); return; }
    var link = target && target.closest("a.load-more[data-fragment]");
    if (link) { event.preventDefault(); loadMore(link); }
  });
})();

// The reveal buttons of the contact page (src/ui/contact_values.rs): shown beside a masked mobile
// or email for principals who may reveal one. Each click is one audited request for one value.
(function () {
  "use strict";
  function reveal(button) {
    var card = button.closest("[data-contact-id]");
    var shown = button.parentElement.querySelector(".value");
    if (!card || !shown) { return; }
    button.disabled = true;
    fetch("/api/v1/contacts/" + encodeURIComponent(card.getAttribute("data-contact-id")) + "/reveal", {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({ attribute: button.getAttribute("data-reveal") })
    })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      })
      .then(function (answer) {
        shown.textContent = answer.value === null ? "" : String(answer.value);
        shown.classList.add("revealed");
        button.remove();
      })
      .catch(function () {
        button.disabled = false;
        button.title = button.getAttribute("data-failed") || "";
        button.classList.add("failed");
      });
  }

  document.addEventListener("click", function (event) {
    var target = event.target instanceof Element ? event.target : null;
    var button = target && target.closest("button.reveal[data-reveal]");
    if (button) { reveal(button); }
  });
})();
