/* The twitch form (/log/ and a twitch's edit page): the body map, the place search
   and the two ways of giving a length. The form works without this file; it only
   makes choosing faster. */
(function () {
  "use strict";

  var form = document.getElementById("twitch-form");
  if (!form) {
    return;
  }
  var select = document.getElementById("id_location");
  var chosen = document.getElementById("place-chosen");
  var map = form.querySelector(".body-map--interactive");
  var areas = map ? Array.prototype.slice.call(map.querySelectorAll(".body-area")) : [];
  var sideInputs = Array.prototype.slice.call(form.querySelectorAll('input[name="side"]'));

  function currentSide() {
    var checked = sideInputs.filter(function (input) { return input.checked; })[0];
    return checked ? checked.value : "";
  }

  function sideLabel(side) {
    var input = sideInputs.filter(function (i) { return i.value === side; })[0];
    var label = input && form.querySelector('label[for="' + input.id + '"]');
    return label ? label.textContent.trim() : "";
  }

  // An area is shown as chosen when its place matches and its side fits the side
  // chosen ("both" and "not given" light up both sides).
  function matches(area, location, side) {
    if (area.dataset.location !== location) {
      return false;
    }
    var areaSide = area.dataset.side;
    return areaSide === "centre" || side === "" || side === "both" || side === "centre" || areaSide === side;
  }

  function describe(location, side) {
    var exact = areas.filter(function (a) {
      return a.dataset.location === location && a.dataset.side === side;
    })[0];
    if (exact) {
      return exact.querySelector("title").textContent;
    }
    var option = select.options[select.selectedIndex];
    var text = option ? option.text : location;
    return side ? text + ", " + sideLabel(side).toLowerCase() : text;
  }

  function refresh() {
    var location = select.value;
    var side = currentSide();
    areas.forEach(function (area) {
      area.setAttribute("aria-pressed", location && matches(area, location, side) ? "true" : "false");
    });
    chosen.textContent = location ? "Chosen: " + describe(location, side) + "." : "Nothing chosen yet.";
    chosen.classList.toggle("place-chosen--set", Boolean(location));
  }

  function choose(area) {
    select.value = area.dataset.location;
    sideInputs.forEach(function (input) { input.checked = input.value === area.dataset.side; });
    refresh();
  }

  if (map) {
    map.addEventListener("click", function (event) {
      var area = event.target.closest(".body-area");
      if (area) {
        choose(area);
      }
    });
    map.addEventListener("keydown", function (event) {
      if (event.key !== "Enter" && event.key !== " ") {
        return;
      }
      var area = event.target.closest(".body-area");
      if (area) {
        event.preventDefault();
        choose(area);
      }
    });
  }
  select.addEventListener("change", refresh);
  sideInputs.forEach(function (input) { input.addEventListener("change", refresh); });

  // Find a place by typing its name or an everyday word for it ("bicep", "pinky"),
  // with a side if wanted ("left calf"); the best match is chosen, with that side.
  var searchBox = form.querySelector(".place-search");
  var search = document.getElementById("place-search");
  var searchResult = document.getElementById("place-search-result");
  var options = Array.prototype.slice.call(select.options).filter(function (o) { return o.value; });
  var SIDE_WORDS = { left: "left", l: "left", right: "right", r: "right", both: "both" };

  function placeWords(option) {
    return [option.text.toLowerCase()].concat((option.dataset.words || "").split(",").filter(Boolean));
  }

  // 0: the label or a word is exactly what was typed; 1: one starts with it (or it
  // with one: "biceps" finds "bicep"); 2: it appears inside the label; -1: no match.
  function rank(option, query) {
    var words = placeWords(option);
    if (words.indexOf(query) !== -1) {
      return 0;
    }
    if (words.some(function (w) { return w.indexOf(query) === 0 || (w.length > 2 && query.indexOf(w) === 0); })) {
      return 1;
    }
    return option.text.toLowerCase().indexOf(query) !== -1 ? 2 : -1;
  }

  function readQuery(text) {
    var side = "";
    var words = text.toLowerCase().replace(/[.,]/g, " ").split(/\s+/).filter(function (word) {
      if (SIDE_WORDS[word] && !side) {
        side = SIDE_WORDS[word];
        return false;
      }
      return Boolean(word) && word !== "my" && word !== "side" && word !== "of" && word !== "the";
    });
    return { place: words.join(" "), side: side };
  }

  if (searchBox && search) {
    searchBox.hidden = false;
    search.addEventListener("input", function () {
      var query = readQuery(search.value.trim());
      var ranked = options.map(function (option) {
        return { option: option, rank: query.place ? rank(option, query.place) : 0 };
      });
      ranked.forEach(function (r) { r.option.hidden = r.rank === -1; });
      Array.prototype.forEach.call(select.querySelectorAll("optgroup"), function (group) {
        group.hidden = !Array.prototype.some.call(group.children, function (o) { return !o.hidden; });
      });
      if (!query.place) {
        searchResult.textContent = "";
        return;
      }
      var found = ranked.filter(function (r) { return r.rank !== -1; })
        .sort(function (a, b) { return a.rank - b.rank; })
        .map(function (r) { return r.option; });
      if (found.length === 0) {
        searchResult.textContent = "No place matches \u201c" + search.value.trim() + "\u201d. Tap it on the map, or choose from the list below.";
        return;
      }
      select.value = found[0].value;
      if (query.side) {
        sideInputs.forEach(function (input) { input.checked = input.value === query.side; });
      }
      refresh();
      var chosenText = describe(select.value, currentSide());
      searchResult.textContent = found.length === 1
        ? "Found: " + chosenText + "."
        : "Chosen: " + chosenText + ". The list below also shows " + (found.length - 1) +
          (found.length === 2 ? " other place that matches." : " other places that match.");
    });
    // Enter in the search box moves on to the list instead of saving the form.
    search.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();
        select.focus();
      }
    });
  }

  // A typed number of seconds replaces the preset lengths, and a preset clears it.
  var typed = document.getElementById("id_duration_typed");
  var presets = Array.prototype.slice.call(form.querySelectorAll('input[name="duration_preset"]'));
  if (typed) {
    typed.addEventListener("input", function () {
      if (typed.value !== "") {
        presets.forEach(function (p) { p.checked = false; });
      }
    });
    presets.forEach(function (p) {
      p.addEventListener("change", function () { typed.value = ""; });
    });
  }

  var errors = document.getElementById("form-errors");
  if (errors) {
    errors.focus();
  }
  refresh();
})();
