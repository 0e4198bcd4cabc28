// finlife's only script: small progressive enhancements; every page works without it.
(function () {
  "use strict";

  // Reveal / hide a password field.
  document.addEventListener("click", function (event) {
    var reveal = event.target.closest("[data-reveal]");
    if (reveal) {
      var input = document.getElementById(reveal.getAttribute("data-reveal"));
      var shown = input.type === "password";
      input.type = shown ? "text" : "password";
      reveal.setAttribute("aria-pressed", String(shown));
      return;
    }
    var opener = event.target.closest("[data-dialog-open]");
    if (opener) {
      var dialog = document.getElementById(opener.getAttribute("data-dialog-open"));
      if (dialog && dialog.showModal) dialog.showModal();
      return;
    }
    var closer = event.target.closest("[data-dialog-close]");
    if (closer) {
      closer.closest("dialog").close();
    }
  });

  // One submit per click: a second press of "Pay" must not send a second request.
  document.addEventListener("submit", function (event) {
    var button = event.target.querySelector("button[type=submit]");
    if (event.target.dataset.submitted) {
      event.preventDefault();
      return;
    }
    event.target.dataset.submitted = "1";
    if (button) button.classList.add("is-busy");
  });

  // Coming back with the Back button: the page is live again.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) return;
    document.querySelectorAll("form[data-submitted]").forEach(function (form) {
      delete form.dataset.submitted;
      form.querySelectorAll(".is-busy").forEach(function (b) { b.classList.remove("is-busy"); });
    });
  });

  // The Life channel's "use my location": fill the search form's lat/lng from the browser and send it.
  // Without a position (refused, unavailable, no geolocation) the page keeps the city centre.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-locate]");
    if (!button) return;
    var form = document.getElementById(button.getAttribute("data-locate"));
    var status = document.querySelector("[data-locate-status]");
    function failed() {
      if (status) status.textContent = button.getAttribute("data-failed") || "";
      button.disabled = false;
    }
    if (!form || !navigator.geolocation) { failed(); return; }
    button.disabled = true;
    if (status) status.textContent = button.getAttribute("data-locating") || "";
    navigator.geolocation.getCurrentPosition(function (where) {
      form.elements.lat.value = where.coords.latitude.toFixed(6);
      form.elements.lng.value = where.coords.longitude.toFixed(6);
      form.submit();
    }, failed, { enableHighAccuracy: false, timeout: 10000, maximumAge: 60000 });
  });

  // Toasts leave on their own after a few seconds.
  document.querySelectorAll("[data-toast]").forEach(function (toast) {
    setTimeout(function () {
      toast.classList.add("is-leaving");
      setTimeout(function () { toast.remove(); }, 400);
    }, 4000);
  });

  // A table wider than its card scrolls inside it: that region must be reachable by keyboard
  // (WCAG 2.1.1), so it takes the focus while, and only while, it has something to scroll.
  var markScrollable = function () {
    document.querySelectorAll(".table-wrap").forEach(function (wrap) {
      var scrolls = wrap.scrollWidth > wrap.clientWidth + 1 || wrap.scrollHeight > wrap.clientHeight + 1;
      if (scrolls) wrap.tabIndex = 0;
      else wrap.removeAttribute("tabindex");
    });
  };
  markScrollable();
  window.addEventListener("resize", markScrollable);

  // Put the cursor on the first field that needs fixing.
  var invalid = document.querySelector("[aria-invalid=true]");
  if (invalid) invalid.focus();
})();
