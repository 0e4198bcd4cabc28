// A job's progress bar (jobs/_progress.html): ask for the job every 0.7 s and move the bar and its text
// ("12 / 40 — Settling merchants…", in the page's language); when the job has ended, load the page
// again: it then shows the result, or why the job did not finish. Without script the page refreshes.
(function () {
  "use strict";
  var box = document.querySelector("[data-job-poll]");
  if (!box) return;
  var bar = box.querySelector("progress");
  var text = box.querySelector("[data-job-text]");
  var refresh = box.querySelector("[data-job-refresh]");
  if (refresh) refresh.hidden = true;
  var language = document.documentElement.lang || "zh-CN";
  var show = function (job) {
    if (job.total > 0) {
      bar.max = job.total;
      bar.value = job.done;
      text.textContent = job.done + " / " + job.total + " — " + job.stage.text;
    } else {
      bar.removeAttribute("value");  // indeterminate: how much work there is, is not known yet
      text.textContent = job.stage.text;
    }
  };
  var ask = function () {
    fetch(box.getAttribute("data-job-poll"), {
      credentials: "same-origin",
      cache: "no-store",
      headers: { "Accept": "application/json", "Accept-Language": language }
    })
      .then(function (answer) {
        if (answer.ok) return answer.json();
        // Signed out, or not this person's job: the page itself says so.
        return answer.status < 500 ? { status: "unavailable" } : null;
      })
      .then(function (job) {
        if (!job) { setTimeout(ask, 3000); return; }
        if (job.status !== "running") { window.location.replace(window.location.href); return; }
        show(job);
        setTimeout(ask, 700);
      })
      .catch(function () { setTimeout(ask, 3000); });
  };
  setTimeout(ask, 700);
})();
