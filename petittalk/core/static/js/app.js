// Petit Talk: small progressive enhancements. The site works without JavaScript.
(function () {
  "use strict";

  // Remember the visitor's time zone so anonymous pages can show times in it.
  var zone = "";
  try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (e) { zone = ""; }
  var zoneJustLearnt = false;
  if (zone && document.cookie.indexOf("pt_tz=") === -1) {
    document.cookie = "pt_tz=" + encodeURIComponent(zone) + "; path=/; max-age=31536000; SameSite=Lax";
    zoneJustLearnt = true;
  }

  document.addEventListener("DOMContentLoaded", function () {
    // Sign-up: preselect the browser's zone; the person can still change it.
    document.querySelectorAll("select[data-detect-timezone]").forEach(function (select) {
      if (!zone || select.dataset.userChosen) { return; }
      var option = Array.prototype.find.call(select.options, function (o) { return o.value === zone; });
      if (option && (select.value === "UTC" || select.value === "")) { select.value = zone; }
    });

    // A first-time visitor's page was drawn before we knew their zone: redraw the free times.
    var picker = document.getElementById("slot-picker");
    if (zoneJustLearnt && picker && window.htmx && picker.dataset.viewerZone !== zone) {
      window.htmx.ajax("GET", picker.dataset.refreshUrl, { target: "#slot-picker", swap: "outerHTML" });
    }

    // Mobile navigation toggle.
    var toggle = document.querySelector(".nav-toggle");
    var nav = document.getElementById("site-nav");
    if (toggle && nav) {
      toggle.addEventListener("click", function () {
        var open = nav.classList.toggle("is-open");
        toggle.setAttribute("aria-expanded", open ? "true" : "false");
      });
      document.addEventListener("keydown", function (event) {
        if (event.key === "Escape" && nav.classList.contains("is-open")) {
          nav.classList.remove("is-open");
          toggle.setAttribute("aria-expanded", "false");
          toggle.focus();
        }
      });
    }

    // On a phone the directory's filters fold away unless some are in use; on a desktop they
    // always stay open (clicking the heading does nothing there).
    var phone = window.matchMedia("(max-width: 860px)");
    document.querySelectorAll("details[data-collapse-on-phone]").forEach(function (details) {
      if (phone.matches && !details.hasAttribute("data-active")) { details.open = false; }
      details.querySelector("summary").addEventListener("click", function (event) {
        if (!phone.matches) { event.preventDefault(); }
      });
    });

    // Receipts: print without an inline script.
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.addEventListener("click", function () { window.print(); });
    });

    // Basket: a live countdown for each held lesson.
    var timers = document.querySelectorAll(".hold-timer[data-expires]");
    function tick() {
      timers.forEach(function (timer) {
        var left = Math.max(0, Math.round((new Date(timer.dataset.expires) - new Date()) / 1000));
        var minutes = Math.floor(left / 60), seconds = left % 60;
        timer.textContent = left > 0
          ? "Held for " + minutes + ":" + (seconds < 10 ? "0" : "") + seconds + " more"
          : "The hold has lapsed: pick the time again";
      });
    }
    if (timers.length) { tick(); window.setInterval(tick, 1000); }

    // Filters on the directory apply as soon as a select changes.
    document.querySelectorAll("form[data-autosubmit] select").forEach(function (select) {
      select.addEventListener("change", function () { select.form.requestSubmit(); });
    });
  });
})();
