/*
 * RaftStore console: keeps pages live. Every two seconds it clicks each hidden ".poll-tick" button, whose
 * f:ajax re-renders the page's live panels; no page reload, no library. Paused while the tab is hidden or
 * while the user is typing, so a refresh never steals focus from a form field.
 *
 * A page that cannot refresh says so at once: when a refresh fails to connect, or is not answered in time, a
 * banner says since when the page is out of date and links the other nodes' consoles (the node serving the page
 * may be dead, hung or cut off, which is exactly when an admin looks). Faces reports a refused connection as
 * nothing at all (seen in Chromium: "begin", then no "complete" and no error), so each refresh also sends a HEAD
 * for a static file beside this script: a dead node fails it at once, at the first refresh after its death. A
 * hung or cut-off node is caught by the refresh's deadline instead.
 */
(function () {
  "use strict";
  var INTERVAL_MS = 2000;
  /**
   * A refresh not answered this long after it was sent means the serving node is not answering. A live node
   * answers in well under that even while a peer hangs (it asks each peer with an 800 ms timeout).
   */
  var ANSWER_MS = 1500;
  var lastAnswer = Date.now();
  /** When the oldest refresh still unanswered is due; null while none is. */
  var dueBy = null;
  /** A small static file of this node's, fetched beside each refresh to learn at once that the node is gone. */
  var PROBE = document.currentScript ? document.currentScript.src.replace(/console\.js(\?.*)?$/, "favicon.svg") : null;

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
    if (buttons.length > 0 && dueBy === null) {
      dueBy = Date.now() + ANSWER_MS;
    }
    if (buttons.length > 0 && PROBE && window.fetch) {
      // Rejected only when no HTTP answer came at all: refused, reset, unreachable.
      fetch(PROBE, { method: "HEAD", cache: "no-store", credentials: "same-origin" }).catch(showSilent);
    }
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

  function utc(millis) {
    return new Date(millis).toISOString().substring(11, 19) + " UTC";
  }

  /** The banner saying this node does not answer, with links to the others (rendered into #other-consoles). */
  function showSilent() {
    var box = document.getElementById("node-silent");
    var others = document.getElementById("other-consoles");
    var node = others ? others.getAttribute("data-node") : "this node";
    if (!box) {
      box = document.createElement("div");
      box.id = "node-silent";
      box.className = "banner bad";
      box.setAttribute("role", "alert");
      var main = document.querySelector("main.page");
      main.insertBefore(box, main.firstChild);
      document.body.classList.add("stale");
    }
    var text = "Node " + node + ", which serves this page, has not answered since " + utc(lastAnswer)
      + ": what this page shows may be out of date.";
    if (box.getAttribute("data-text") === text) {
      return;
    }
    box.setAttribute("data-text", text);
    box.textContent = text + " ";
    var links = others ? others.querySelectorAll("a") : [];
    if (links.length > 0) {
      box.appendChild(document.createTextNode("Open another node's console: "));
      for (var i = 0; i < links.length; i++) {
        var a = document.createElement("a");
        a.href = links[i].href;
        a.textContent = links[i].textContent;
        a.className = "other-console";
        box.appendChild(a);
        box.appendChild(document.createTextNode(i < links.length - 1 ? " · " : ""));
      }
    }
  }

  function answered() {
    lastAnswer = Date.now();
    dueBy = null;
    var box = document.getElementById("node-silent");
    if (box) {
      box.parentNode.removeChild(box);
      document.body.classList.remove("stale");
    }
  }

  function watch() {
    if (dueBy !== null && Date.now() > dueBy) {
      showSilent();
    }
  }

  function onEvent(data) {
    // responseCode 0: the request never reached a server (refused, reset, unreachable).
    if (data.status === "complete" && data.responseCode === 0) {
      showSilent();
    } else if (data.status === "complete") {
      answered(); // any HTTP answer, even an error page: the node is there
    }
    clearError(data);
  }

  function onError(data) {
    if (data.responseCode === 0 || data.status === "httpError" && !data.responseCode) {
      showSilent();
    } else {
      showError(data);
    }
  }

  if (window.faces && faces.ajax) {
    faces.ajax.addOnError(onError);
    faces.ajax.addOnEvent(onEvent);
  }
  window.setInterval(tick, INTERVAL_MS);
  window.setInterval(watch, 250);
})();
