// MachineAuth dashboard: progressive enhancement only. Every page works without this file.
(function () {
  "use strict";

  // Copy buttons: <button data-copy="element-id" hidden>. Shown only where copying works.
  function setUpCopyButtons() {
    document.querySelectorAll("button[data-copy]").forEach(function (button) {
      var target = document.getElementById(button.getAttribute("data-copy"));
      if (!target) return;
      button.hidden = false;
      button.addEventListener("click", function () {
        var text = target.textContent.trim();
        var done = function () {
          button.textContent = "Copied";
          setTimeout(function () { button.textContent = "Copy"; }, 2000);
        };
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(text).then(done, function () { selectText(target); });
        } else {
          selectText(target);
        }
      });
    });
  }

  function selectText(element) {
    var range = document.createRange();
    range.selectNodeContents(element);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  // Live regions: <div data-live="/dashboard/overview/live" data-interval="5"> is replaced with
  // a fresh server-rendered fragment every few seconds while the tab is visible.
  function setUpLiveRegions() {
    document.querySelectorAll("[data-live]").forEach(function (region) {
      var source = region.getAttribute("data-live");
      var seconds = parseInt(region.getAttribute("data-interval") || "5", 10);
      var refresh = function () {
        if (document.hidden) return;
        fetch(source, { credentials: "same-origin", headers: { "Accept": "text/html" } })
          .then(function (response) {
            if (response.redirected || !response.ok) throw new Error("session ended");
            return response.text();
          })
          .then(function (html) {
            var fragment = new DOMParser().parseFromString(html, "text/html");
            var fresh = fragment.querySelector("[data-live-content]");
            if (fresh) {
              region.replaceChildren(fresh);
              region.setAttribute("data-updated", new Date().toISOString());
            }
          })
          .catch(function () { region.setAttribute("data-stale", "true"); });
      };
      setInterval(refresh, Math.max(seconds, 2) * 1000);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    setUpCopyButtons();
    setUpLiveRegions();
  });
})();
