/* Settings: find a time zone by typing a city or a country; the list keeps only the
   zones that match, and the first match is chosen. The list works without this file. */
(function () {
  "use strict";
  var box = document.querySelector(".zone-search");
  var search = document.getElementById("zone-search");
  var select = document.getElementById("id_time_zone");
  var result = document.getElementById("zone-search-result");
  if (!box || !search || !select) {
    return;
  }
  var options = Array.prototype.slice.call(select.options);

  function words(text) {
    return text.toLowerCase().replace(/_/g, " ");
  }

  // How well a zone answers the query: its city or country named in full first, then
  // one that starts so, then any word that starts so, then the rest.
  function rank(option, query) {
    var city = words(option.value.split("/").pop());
    var country = words(option.dataset.country || "");
    if (city === query || country === query) {
      return 0;
    }
    if (city.indexOf(query) === 0 || country.indexOf(query) === 0) {
      return 1;
    }
    return (" " + words(option.text + " " + country).replace(/\//g, " ")).indexOf(" " + query) !== -1 ? 2 : 3;
  }

  box.hidden = false;
  search.addEventListener("input", function () {
    var query = words(search.value.trim());
    var found = options.filter(function (option) {
      var hit = !query || words(option.text + " " + (option.dataset.country || "")).indexOf(query) !== -1;
      option.hidden = !hit;
      return hit;
    });
    if (!query) {
      result.textContent = "";
      return;
    }
    found.sort(function (a, b) { return rank(a, query) - rank(b, query); });
    if (found.length) {
      select.value = found[0].value;
    }
    if (found.length === 0) {
      result.textContent = "No time zone matches \u201c" + search.value.trim() + "\u201d. Try the nearest big city.";
    } else if (found.length === 1) {
      result.textContent = "Chosen: " + found[0].text + ".";
    } else {
      result.textContent = found.length + " time zones match; the first, " + found[0].text + ", is chosen. The list below shows only those.";
    }
  });
  search.addEventListener("keydown", function (event) {
    if (event.key === "Enter") {
      event.preventDefault();
      select.focus();
    }
  });
})();
