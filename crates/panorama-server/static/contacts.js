// The contacts list (templates/contacts.html): search as you type, and the one way the page
// changes in place: fetch this same page for a URL and swap its data-region parts, so the server
// renders a search, a saved column choice or a finished bulk action exactly as it renders a load.
// Other scripts of the page call window.PanoramaContacts.refresh().
(function () {
  "use strict";
  var root = document.getElementById("contacts-page");
  if (!root) { return; }
  root.classList.add("js");
  var DEBOUNCE_MS = 300;
  var form = root.querySelector("form[data-search]");
  var timer = null;
  var controller = null;
  var sequence = 0;

  function currentUrl() { return window.location.pathname + window.location.search; }

  // Replace each region's content (not the element itself, so live regions keep announcing).
  function swap(html) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    root.querySelectorAll("[data-region]").forEach(function (region) {
      var name = region.getAttribute("data-region");
      var fresh = doc.querySelector('[data-region="' + name + '"]');
      if (fresh) { region.innerHTML = fresh.innerHTML; }
    });
    document.dispatchEvent(new CustomEvent("panorama:contacts-refreshed"));
  }

  // Fetch `url` (default: the current one) and swap it in; a later call wins over an earlier one.
  function refresh(url) {
    var target = url || currentUrl();
    if (controller) { controller.abort(); }
    controller = new AbortController();
    var mine = ++sequence;
    root.setAttribute("aria-busy", "true");
    return fetch(target, {
      credentials: "same-origin",
      signal: controller.signal,
      headers: { Accept: "text/html" }
    })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.text();
      })
      .then(function (html) {
        if (mine !== sequence) { return; }
        swap(html);
        if (target !== currentUrl()) { window.history.replaceState(null, "", target); }
      })
      .catch(function (error) {
        if (error && error.name === "AbortError") { return; }
        window.location.href = target; // let the server's page say what went wrong
      })
      .finally(function () {
        if (mine === sequence) { root.removeAttribute("aria-busy"); }
      });
  }

  // The search form as a URL: an empty keyword drops the field too, as the server's links do.
  function searchUrl() {
    var params = new URLSearchParams(new FormData(form));
    if (!(params.get("q") || "").trim()) {
      params.delete("q");
      params.delete("field");
    }
    return "/contacts?" + params.toString();
  }

  function searchNow() {
    window.clearTimeout(timer);
    timer = null;
    return refresh(searchUrl());
  }

  function searchSoon() {
    window.clearTimeout(timer);
    timer = window.setTimeout(searchNow, DEBOUNCE_MS);
  }

  if (form) {
    form.addEventListener("input", function (event) {
      // An input method composing Chinese sends input events for every stroke; wait for the text.
      if (event.target.matches("[data-search-q]") && !event.isComposing) { searchSoon(); }
    });
    form.addEventListener("compositionend", searchSoon);
    form.addEventListener("change", function (event) {
      if (event.target.matches("[data-search-field]")) { searchNow(); }
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      searchNow();
    });
  }

  // The page-size choice applies at once; its Apply button is for pages without script.
  root.addEventListener("change", function (event) {
    var select = event.target.closest("form[data-page-size] select");
    if (!select) { return; }
    var params = new URLSearchParams(new FormData(select.form));
    refresh("/contacts?" + params.toString());
  });

  window.PanoramaContacts = { refresh: refresh };
})();
