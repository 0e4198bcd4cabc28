// Pages showing work still under way (a transfer waiting for the other bank) ask for its state every
// 1.5 s and reload once it has changed, so the person sees the outcome without pressing anything.
(function () {
  "use strict";
  var box = document.querySelector("[data-refresh]");
  if (!box) return;
  var was = box.getAttribute("data-transfer-state") || box.getAttribute("data-state");
  var ask = function () {
    fetch(box.getAttribute("data-refresh"), { credentials: "same-origin", cache: "no-store" })
      .then(function (answer) { return answer.ok ? answer.json() : null; })
      .then(function (state) {
        if (state && state.status !== was) { window.location.reload(); return; }
        setTimeout(ask, 1500);
      })
      .catch(function () { setTimeout(ask, 5000); });
  };
  setTimeout(ask, 1500);
})();
