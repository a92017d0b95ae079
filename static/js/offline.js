/* The offline page: log a twitch (or "Again") on the device, to be sent when the
 * connection returns (js/queue.js keeps it; js/webapp.js shows and sends what waits).
 * A twitch is kept for the person last signed in here; when nobody is known (no one has
 * signed in here since the last sign-out), the page says so instead of offering the form.
 */
(function () {
  "use strict";

  const section = document.getElementById("offline-log");
  const form = document.getElementById("offline-log-form");
  if (!section || !form || !window.TwitchQueue || !window.indexedDB) {
    return;
  }
  section.hidden = false;
  if (!window.TwitchQueue.owner()) {
    form.hidden = true;
    document.getElementById("offline-log-intro").hidden = true;
    document.getElementById("offline-log-nobody").hidden = false;
    return;
  }
  const when = form.elements.occurred_at;
  const place = form.elements.location;

  function localInput(date) {
    const pad = (n) => String(n).padStart(2, "0");
    return date.getFullYear() + "-" + pad(date.getMonth() + 1) + "-" + pad(date.getDate()) +
      "T" + pad(date.getHours()) + ":" + pad(date.getMinutes());
  }
  when.value = localInput(new Date());

  function checked(name) {
    const chosen = form.querySelector('input[name="' + name + '"]:checked');
    return chosen ? chosen.value : "";
  }

  function queued() {
    document.dispatchEvent(new CustomEvent("twitchlog:queued"));
  }

  function showError(field, text) {
    field.classList.add("is-invalid");
    field.setAttribute("aria-invalid", "true");
    let message = document.getElementById(field.id + "_offline_error");
    if (!message) {
      message = document.createElement("div");
      message.id = field.id + "_offline_error";
      message.className = "invalid-feedback d-block";
      field.insertAdjacentElement("afterend", message);
      field.setAttribute("aria-describedby", message.id);
    }
    message.textContent = text;
    field.focus();
  }

  function clearError(field) {
    field.classList.remove("is-invalid");
    field.removeAttribute("aria-invalid");
    const message = document.getElementById(field.id + "_offline_error");
    if (message) {
      message.remove();
      field.removeAttribute("aria-describedby");
    }
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    clearError(place);
    clearError(when);
    if (!place.value) {
      showError(place, "Choose where you felt it.");
      return;
    }
    const felt = when.value ? new Date(when.value) : null;
    if (!felt || isNaN(felt.getTime())) {
      showError(when, "Enter a date and a time, such as 2025-03-01 14:30.");
      return;
    }
    const side = checked("side");
    const fields = { location: place.value, intensity: Number(checked("intensity") || 2) };
    if (side) {
      fields.side = side;
    }
    const sideLabel = side ? form.querySelector('input[name="side"]:checked').labels[0].textContent.trim() : "";
    const label = place.options[place.selectedIndex].text + (sideLabel ? ", " + sideLabel.toLowerCase() : "");
    window.TwitchQueue.add(fields, felt, label).then(function () {
      place.value = "";
      when.value = localInput(new Date());
      queued();
    });
  });

  document.getElementById("offline-again").addEventListener("click", function () {
    window.TwitchQueue.add(null, new Date(), "Again: the same as your last twitch").then(queued);
  });
})();
