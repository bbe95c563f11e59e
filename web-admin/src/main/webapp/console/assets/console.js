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

  // Faces reports a failed ajax request only to the browser's console in production; say it in the page.
  function showError(data) {
    var box = document.getElementById("ajax-error");
    if (!box) {
      box = document.createElement("div");
      box.id = "ajax-error";
      box.className = "banner bad";
      var main = document.querySelector("main.page");
      main.insertBefore(box, main.firstChild);
    }
    box.textContent = "The server could not complete the request (" + (data.errorName || data.status)
      + "). Reload the page; if it persists, see the node's messages.log.";
  }

  function clearError(data) {
    var box = document.getElementById("ajax-error");
    // Faces signals "success" even after a server error: only a response without <error> clears the banner.
    if (box && data.status === "success" && (data.responseText || "").indexOf("<error>") < 0) {
      box.parentNode.removeChild(box);
    }
  }

  if (window.faces && faces.ajax) {
    faces.ajax.addOnError(showError);
    faces.ajax.addOnEvent(clearError);
  }
  window.setInterval(tick, INTERVAL_MS);
})();
