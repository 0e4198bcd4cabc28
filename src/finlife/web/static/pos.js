// The POS pages' enhancements (finlife.js does the rest); every page works without them.
(function () {
  "use strict";

  // The order's QR code is on screen: look every two seconds whether the customer has paid.
  var qr = document.querySelector("[data-poll]");
  if (qr) {
    var poll = function () {
      fetch(qr.getAttribute("data-poll"), { credentials: "same-origin", cache: "no-store" })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (state) {
          if (!state) return;
          if (state.status !== qr.getAttribute("data-status") || String(state.paid) !== qr.getAttribute("data-paid")) {
            // Paid in full: the receipt; paid in part: a fresh code for what is left.
            window.location.assign(state.status === "paid" ? qr.getAttribute("data-done") : window.location.href);
            return;
          }
          setTimeout(poll, 2000);
        })
        .catch(function () { setTimeout(poll, 5000); });
    };
    setTimeout(poll, 2000);
  }

  document.addEventListener("click", function (event) {
    var printer = event.target.closest("[data-print]");
    if (printer) {
      var frame = document.getElementById(printer.getAttribute("data-print"));
      if (frame && frame.contentWindow) frame.contentWindow.print();
      return;
    }
    if (event.target.closest("[data-print-page]")) {
      window.print();
      return;
    }
    var copier = event.target.closest("[data-copy]");
    if (copier) {
      var source = document.getElementById(copier.getAttribute("data-copy"));
      source.select();
      if (navigator.clipboard) navigator.clipboard.writeText(source.value);
    }
  });

  // Cash: the change, as the cashier types what the customer handed over.
  var preview = document.querySelector("[data-change-preview]");
  if (preview) {
    var amount = document.getElementById(preview.getAttribute("data-for-amount"));
    var tendered = document.getElementById(preview.getAttribute("data-for-tendered"));
    var fen = function (text) {
      var cleaned = (text || "").replace(/[\s,¥￥]/g, "");
      if (!/^\d+(\.\d{1,2})?$/.test(cleaned)) return null;
      var parts = cleaned.split(".");
      return parseInt(parts[0], 10) * 100 + (parts[1] ? parseInt((parts[1] + "0").slice(0, 2), 10) : 0);
    };
    var show = function () {
      var due = fen(amount.value);
      var given = fen(tendered.value);
      if (due === null || given === null || given < due) { preview.hidden = true; return; }
      var change = given - due;
      preview.querySelector("strong").textContent = "¥" + Math.floor(change / 100) + "." + String(change % 100).padStart(2, "0");
      preview.hidden = false;
    };
    amount.addEventListener("input", show);
    tendered.addEventListener("input", show);
  }

  // The cart without reloading the page: a cart form is sent in the background and the sale's panel
  // (and the toasts) are replaced by the ones of the page the server answers with — the same page a
  // plain submit would load, so without scripts nothing changes but the reload.
  var swapping = false;
  document.addEventListener("submit", function (event) {
    var form = event.target.closest("form.js-swap");
    if (!form || !window.fetch || !window.DOMParser || !window.URLSearchParams) return;
    event.preventDefault();
    if (swapping) return;
    swapping = true;
    var data = new FormData(form);
    if (event.submitter && event.submitter.name) data.append(event.submitter.name, event.submitter.value);
    fetch(form.action, { method: "POST", body: new URLSearchParams(data), credentials: "same-origin" })
      .then(function (response) {
        return response.text().then(function (html) { return { url: response.url, html: html }; });
      })
      .then(function (answer) {
        if (new URL(answer.url).pathname !== window.location.pathname) { window.location.assign(answer.url); return; }
        var fresh = new DOMParser().parseFromString(answer.html, "text/html");
        document.querySelectorAll("[data-region]").forEach(function (region) {
          var replacement = fresh.getElementById(region.id);
          if (replacement) region.replaceWith(document.importNode(replacement, true));
        });
        var toasts = document.querySelector(".toasts");
        var freshToasts = fresh.querySelector(".toasts");
        if (toasts && freshToasts) toasts.innerHTML = freshToasts.innerHTML;
      })
      .catch(function () { form.submit(); })
      .then(function () { swapping = false; });
  });
})();
