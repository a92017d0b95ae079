/* The journal: on a wide screen the filters start open beside the timeline. */
(function () {
  "use strict";
  var filters = document.getElementById("journal-filters");
  if (filters && window.matchMedia("(min-width: 992px)").matches) {
    filters.open = true;
  }
})();
