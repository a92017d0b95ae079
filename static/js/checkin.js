/* The daily check-in: shows the caffeine in mg as cups, cans and mg are typed. */
(function () {
  "use strict";

  var perServing = JSON.parse(document.getElementById("caffeine-per-serving").textContent);
  var output = document.getElementById("caffeine-total");
  var inputs = {
    coffee: document.getElementById("id_coffee_cups"),
    tea: document.getElementById("id_tea_cups"),
    energy: document.getElementById("id_energy_drinks"),
    other: document.getElementById("id_other_caffeine_mg")
  };
  var names = {
    coffee: ["cup of coffee", "cups of coffee"],
    tea: ["cup of tea", "cups of tea"],
    energy: ["energy drink", "energy drinks"]
  };

  function amount(input) {
    var value = parseFloat(String(input.value).replace(",", "."));
    return isFinite(value) && value > 0 ? value : 0;
  }

  function update() {
    var total = 0;
    var parts = [];
    ["coffee", "tea", "energy"].forEach(function (kind) {
      var count = amount(inputs[kind]);
      if (count) {
        total += count * perServing[kind];
        parts.push(count + " " + names[kind][count === 1 ? 0 : 1]);
      }
    });
    var other = amount(inputs.other);
    if (other) {
      total += other;
      parts.push(other + " mg other");
    }
    total = Math.round(total);
    output.textContent = parts.length
      ? "Caffeine today: " + total + " mg (" + parts.join(" + ") + ")"
      : "Caffeine today: none entered";
  }

  output.parentElement.hidden = false;
  Object.keys(inputs).forEach(function (key) {
    inputs[key].addEventListener("input", update);
  });
  update();

  var errors = document.getElementById("form-errors");
  if (errors) {
    errors.focus();
  }
})();
