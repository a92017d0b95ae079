/* Every page: register the service worker (/sw.js), which keeps the app shell for use
 * without a connection. Nothing personal is stored by it.
 */
(function () {
  "use strict";

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
