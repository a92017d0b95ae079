/* Sign-up: the journal starts in this browser's time zone (the server checks the name,
   and Settings changes it). Without this file the journal starts in UTC. */
(function () {
  "use strict";
  var field = document.getElementById("id_time_zone");
  if (!field || field.value) {
    return;
  }
  try {
    field.value = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  } catch (error) {
    field.value = "";
  }
})();
