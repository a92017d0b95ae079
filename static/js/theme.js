/* The page's colours: the person's choice (data-theme="light" or "dark", already set by
 * the server), or else the device's setting, followed as it changes (at sunset, say).
 * Loaded in the head, before anything is drawn, so a dark page never flashes white.
 */
(function () {
  "use strict";

  const root = document.documentElement;
  if (root.dataset.theme === "light" || root.dataset.theme === "dark") {
    return;
  }
  const dark = window.matchMedia("(prefers-color-scheme: dark)");
  function follow() {
    root.setAttribute("data-bs-theme", dark.matches ? "dark" : "light");
  }
  follow();
  dark.addEventListener("change", follow);
})();
