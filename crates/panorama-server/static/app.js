// Panorama's page script: small, no framework, nothing inline (the content policy forbids it).
// Times are rendered by the server in UTC; here they are shown in the viewer's own zone.
(function () {
  "use strict";
  function pad(n) { return String(n).padStart(2, "0"); }
  function localise() {
    document.querySelectorAll("time[datetime]").forEach(function (el) {
      var value = el.getAttribute("datetime");
      if (value.length <= 10) { return; } // a date alone has no zone to convert
      var at = new Date(value);
      if (isNaN(at.getTime())) { return; }
      var date = at.getFullYear() + "-" + pad(at.getMonth() + 1) + "-" + pad(at.getDate());
      var time = pad(at.getHours()) + ":" + pad(at.getMinutes()) + ":" + pad(at.getSeconds());
      el.textContent = el.classList.contains("event-time") ? time : date + " " + time;
      el.title = value;
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", localise);
  } else {
    localise();
  }
})();
