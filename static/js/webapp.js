/* Every page: register the service worker (/sw.js), which keeps the app shell for use
 * without a connection. Nothing personal is stored by it.
 */
(function () {
  "use strict";

  // The installed app's "Again" shortcut opens the home page at #again: the button to
  // log the last twitch once more is then the one in focus, one tap or Enter away.
  if (window.location.hash === "#again") {
    document.addEventListener("DOMContentLoaded", function () {
      const again = document.querySelector('form[action$="/again/"] button:not([disabled])');
      if (again) {
        again.focus();
      }
    });
  }

  const script = document.currentScript;
  if (!("serviceWorker" in navigator) || !script) {
    return;
  }
  const worker = script.dataset.serviceWorker;
  // After the page has loaded, so that fetching the shell never slows the page itself.
  window.addEventListener("load", function () {
    navigator.serviceWorker.register(worker, { scope: "/" }).catch(function () {
      // An old browser or a private window without storage: the pages work as before.
    });
  });
})();
