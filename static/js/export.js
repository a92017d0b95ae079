// After a failed import, bring the list of problems into view and give it focus, so
// people on a phone or using a screen reader land on what to fix.
(function () {
  "use strict";
  var problems = document.getElementById("import-problems");
  if (!problems) {
    return;
  }
  window.addEventListener("load", function () {
    problems.focus({ preventScroll: true });
    problems.scrollIntoView({ block: "start" });
  });
})();
