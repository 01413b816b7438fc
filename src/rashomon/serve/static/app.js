/* Rashomon web UI: the little that needs a script. Served as a file (the CSP forbids inline code).
 * - a figure or claim (any element with data-article and data-sent) scrolls to its sentence in the
 *   article it comes from and highlights it;
 * - the evidence legend shows or hides each kind of highlight. */
(function () {
  "use strict";

  function clearActive() {
    document.querySelectorAll(".seg.active").forEach(function (el) { el.classList.remove("active"); });
    document.querySelectorAll(".goto.current").forEach(function (el) { el.classList.remove("current"); });
    document.querySelectorAll(".account.focus").forEach(function (el) { el.classList.remove("focus"); });
  }

  function showSentence(trigger) {
    var box = document.getElementById("acc-" + trigger.dataset.article);
    if (!box) { return; }
    var selector = '.seg[data-sent~="' + CSS.escape(trigger.dataset.sent) + '"]';
    var segments = box.querySelectorAll(selector);
    clearActive();
    trigger.classList.add("current");
    box.classList.add("focus");
    segments.forEach(function (el) { el.classList.add("active"); });
    if (segments.length) {
      segments[0].scrollIntoView({ block: "center", inline: "nearest" });
    }
  }

  document.addEventListener("click", function (event) {
    var trigger = event.target.closest(".goto[data-article][data-sent]");
    if (trigger) {
      event.preventDefault();
      showSentence(trigger);
    }
  });

  document.addEventListener("change", function (event) {
    var box = event.target.closest(".legend input[data-kind]");
    if (box) {
      document.body.classList.toggle("hide-" + box.dataset.kind, !box.checked);
    }
  });

  // Review forms whose target is picked in a list (a report, a figure): post to that target's URL.
  document.addEventListener("submit", function (event) {
    var form = event.target.closest("form[data-action-prefix]");
    if (form) {
      var pick = form.querySelector("select[name=article], select[name=figure]");
      form.action = form.dataset.actionPrefix + encodeURIComponent(pick.value);
    }
  });
})();
