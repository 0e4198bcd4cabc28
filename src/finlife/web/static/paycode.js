// The payment code page: count the code's lifetime down and, when it ends, grey the code out and say so.
// Every few seconds it asks whether a cashier has taken the code; once taken it stops counting, says so
// and opens the payment's result page. Without this script the page still shows until when the code is valid.
(function () {
  "use strict";

  var card = document.querySelector("[data-paycode]");
  if (!card) return;
  var counter = card.querySelector("[data-countdown]");
  var notice = card.querySelector("[data-expired]");
  var template = counter.getAttribute("data-template");
  var stateUrl = card.getAttribute("data-state");
  // Counted from the server's answer, not the phone's clock, which may be minutes off.
  var deadline = Date.now() + Number(card.getAttribute("data-seconds")) * 1000;
  var settled = false;
  var POLL_MS = 2000;

  var finish = function (text, className) {
    settled = true;
    card.classList.add(className);
    counter.hidden = true;
    notice.textContent = text;
  };

  var tick = function () {
    if (settled) return;
    var left = Math.max(0, Math.ceil((deadline - Date.now()) / 1000));
    counter.textContent = template.replace("{seconds}", String(left));
    if (left > 0) {
      setTimeout(tick, 250);
      return;
    }
    finish(notice.getAttribute("data-text"), "paycode--expired");
  };

  var poll = function () {
    if (settled || !stateUrl || !window.fetch) return;
    fetch(stateUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (answer) { return answer.ok ? answer.json() : null; })
      .then(function (state) {
        if (state && state.status === "used") {
          finish(notice.getAttribute("data-taken"), "paycode--taken");
          if (state.result) window.location.assign(state.result);
          return;
        }
        setTimeout(poll, POLL_MS);
      })
      .catch(function () { setTimeout(poll, POLL_MS); });
  };
  tick();
  setTimeout(poll, POLL_MS);
})();
