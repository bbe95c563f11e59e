/*
 * RaftStore console: keeps pages live. Every two seconds it clicks each hidden ".poll-tick" button, whose
 * f:ajax re-renders the page's live panels; no page reload, no library. Paused while the tab is hidden or
 * while the user is typing, so a refresh never steals focus from a form field.
 */
(function () {
  "use strict";
  var INTERVAL_MS = 2000;

  function typing() {
    var el = document.activeElement;
    return el && (el.tagName === "INPUT" || el.tagName === "TEXTAREA" || el.tagName === "SELECT")
      && !el.classList.contains("poll-tick");
  }

  function tick() {
    if (document.hidden || typing()) {
      return;
    }
    var buttons = document.querySelectorAll(".poll-tick");
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].click();
    }
  }

  window.setInterval(tick, INTERVAL_MS);
})();
