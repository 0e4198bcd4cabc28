// The payment code page: count the code's lifetime down and, when it ends, grey the code out and say so.
// Without this script the page still shows until when the code is valid.
(function () {
  "use strict";

  var card = document.querySelector("[data-paycode]");
  if (!card) return;
  var counter = card.querySelector("[data-countdown]");
  var notice = card.querySelector("[data-expired]");
  var template = counter.getAttribute("data-template");
  // Counted from the server's answer, not the phone's clock, which may be minutes off.
  var deadline = Date.now() + Number(card.getAttribute("data-seconds")) * 1000;

  var tick = function () {
    var left = Math.max(0, Math.ceil((deadline - Date.now()) / 1000));
    counter.textContent = template.replace("{seconds}", String(left));
    if (left > 0) {
      setTimeout(tick, 250);
      return;
    }
    card.classList.add("paycode--expired");
    counter.hidden = true;
    notice.textContent = notice.getAttribute("data-text");
  };
  tick();
})();
