/* The trends page: draws each chart from the figures the server put in #trends-data.
 *
 * Every canvas has a text or table alternative in the page, so the charts only add a
 * picture; a canvas that is absent (an empty section) is simply skipped.
 */
(function () {
  "use strict";

  const source = document.getElementById("trends-data");
  if (!source || typeof window.Chart === "undefined") {
    return;
  }
  const data = JSON.parse(source.textContent);
  const Chart = window.Chart;

  // One palette for every chart, matching the app's teal; amber marks "with" and
  // averages, plum marks symptoms, grey marks what is shown apart (eyelid, unknown).
  // The colours come from css/theme.css, so the charts follow the light or dark theme.
  const theme = window.getComputedStyle(document.documentElement);
  function themed(name) {
    return theme.getPropertyValue("--tl-chart-" + name).trim();
  }
  const COLOURS = {
    teal: themed("teal"),
    tealRgb: themed("teal-rgb"),
    tealSoft: "rgba(" + themed("teal-rgb") + ", 0.45)",
    amber: themed("amber"),
    amberSoft: "rgba(" + themed("amber-rgb") + ", 0.75)",
    plum: themed("plum"),
    grey: themed("grey"),
    greyRgb: themed("grey-rgb"),
    ink: themed("ink"),
    grid: themed("grid"),
  };
  const FACTOR_COLOURS = {
    caffeine_mg: COLOURS.amber,
    sleep_hours: COLOURS.teal,
    stress: COLOURS.plum,
    water_litres: themed("blue"),
  };

  Chart.defaults.font.family = window.getComputedStyle(document.body).fontFamily;
  Chart.defaults.font.size = 12;
  Chart.defaults.color = COLOURS.ink;
  Chart.defaults.borderColor = COLOURS.grid;
  Chart.defaults.maintainAspectRatio = false;
  // Drawn at once: no motion for people who find it distracting, and a steady picture.
  Chart.defaults.animation = false;
  Chart.defaults.plugins.legend.labels.boxWidth = 14;

  const shortDate = new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short" });
  const longDate = new Intl.DateTimeFormat(undefined, {
    weekday: "short",
    day: "numeric",
    month: "short",
    year: "numeric",
  });

  function parseDay(iso) {
    const [year, month, day] = iso.split("-").map(Number);
    return new Date(year, month - 1, day);
  }

  // Charts below the fold are drawn as they come near the screen, so a phone's first
  // paint is not held up by nine charts at once.
  const pending = new Map();
  const observer = "IntersectionObserver" in window
    ? new IntersectionObserver(function (entries) {
        entries.forEach(function (entry) {
          if (entry.isIntersecting) {
            observer.unobserve(entry.target);
            new Chart(entry.target, pending.get(entry.target));
            pending.delete(entry.target);
          }
        });
      }, { rootMargin: "200px 0px" })
    : null;

  function draw(id, config) {
    const canvas = document.getElementById(id);
    if (!canvas) {
      return;
    }
    if (observer) {
      pending.set(canvas, config);
      observer.observe(canvas);
    } else {
      new Chart(canvas, config);
    }
  }

  function plural(count, word) {
    return count + " " + word + (count === 1 ? "" : "s");
  }

  function twitches(count) {
    return count + (count === 1 ? " twitch" : " twitches");
  }

  // A shade of a colour for a heat square: stronger as the value nears the maximum.
  function shade(rgb, value, max) {
    const alpha = max ? 0.2 + 0.8 * (value / max) : 0;
    return "rgba(" + rgb + ", " + alpha.toFixed(2) + ")";
  }

  // Square markers fill their cell of a category-by-category grid.
  function cellRadius(columns, rows) {
    return function (context) {
      const area = context.chart.chartArea;
      if (!area) {
        return 3;
      }
      const size = Math.min(area.width / columns, area.height / rows);
      return Math.max(2, size / 2 - 1);
    };
  }

  function hourLabel(hour) {
    return String(hour).padStart(2, "0");
  }

  /* Each day: bars of twitches, the 7-day average, and triangles on symptom days. */
  function drawDaily() {
    const days = data.daily;
    const symptoms = new Map(data.symptom_days.map((day) => [day.date, day.labels]));
    draw("chart-daily", {
      type: "bar",
      data: {
        labels: days.map((day) => day.date),
        datasets: [
          {
            type: "line",
            label: "Symptom logged",
            data: days.map((day) => (symptoms.has(day.date) ? 1 : null)),
            yAxisID: "symptoms",
            showLine: false,
            pointStyle: "triangle",
            pointRadius: 6,
            pointHoverRadius: 8,
            backgroundColor: COLOURS.plum,
            borderColor: COLOURS.plum,
            order: 0,
          },
          {
            type: "line",
            label: "7-day average",
            data: days.map((day) => day.average),
            borderColor: COLOURS.amber,
            backgroundColor: COLOURS.amber,
            borderWidth: 2.5,
            pointRadius: 0,
            tension: 0.3,
            order: 1,
          },
          {
            label: "Twitches",
            data: days.map((day) => day.count),
            backgroundColor: COLOURS.tealSoft,
            borderRadius: 2,
            categoryPercentage: 1,
            barPercentage: 0.9,
            order: 2,
          },
        ],
      },
      options: {
        interaction: { mode: "index", intersect: false },
        scales: {
          x: {
            grid: { display: false },
            ticks: {
              maxRotation: 0,
              autoSkipPadding: 12,
              callback: function (value) {
                return shortDate.format(parseDay(this.getLabelForValue(value)));
              },
            },
          },
          y: {
            beginAtZero: true,
            ticks: { precision: 0 },
            title: { display: true, text: "Twitches" },
          },
          symptoms: { display: false, min: 0, max: 1.08 },
        },
        plugins: {
          legend: { position: "bottom" },
          tooltip: {
            callbacks: {
              title: (items) => longDate.format(parseDay(items[0].label)),
              label: (item) => {
                if (item.dataset.yAxisID === "symptoms") {
                  return "Symptoms: " + symptoms.get(item.label).join(", ");
                }
                if (item.dataset.type === "line") {
                  return "7-day average: " + item.parsed.y.toFixed(1);
                }
                return twitches(item.parsed.y);
              },
            },
          },
        },
      },
    });
  }

  /* Where: twitches per region, eyelid in grey as it is shown apart. The bars lie
     flat so each region keeps its full name, on two lines where it is long. */
  function drawRegions() {
    draw("chart-regions", {
      type: "bar",
      data: {
        labels: data.regions.map((region) => region.lines),
        datasets: [
          {
            label: "Twitches",
            data: data.regions.map((region) => region.count),
            backgroundColor: data.regions.map((region) =>
              region.region === "eyelid" ? COLOURS.grey : COLOURS.teal,
            ),
            borderRadius: 3,
          },
        ],
      },
      options: {
        indexAxis: "y",
        scales: {
          x: { beginAtZero: true, ticks: { precision: 0 } },
          y: { grid: { display: false } },
        },
        plugins: {
          legend: { display: false },
          tooltip: {
            callbacks: {
              title: (items) => data.regions[items[0].dataIndex].label,
            },
          },
        },
      },
    });
  }

  /* Spread: weeks across, regions down; a square for each week a region had twitches. */
  function drawSpread() {
    const weeks = data.region_weeks.weeks;
    const regions = data.region_weeks.regions;
    const weekLabels = weeks.map((week) => week.start);
    const points = [];
    weeks.forEach((week) => {
      regions.forEach((region) => {
        const days = week.days[region.region];
        if (days) {
          points.push({ x: week.start, y: region.label, days: days, region: region });
        }
      });
    });
    draw("chart-spread", {
      type: "scatter",
      data: {
        datasets: [
          {
            label: "Days with twitches that week",
            data: points,
            pointStyle: "rect",
            pointRadius: cellRadius(weeks.length, regions.length),
            pointHoverRadius: cellRadius(weeks.length, regions.length),
            borderWidth: 0,
            backgroundColor: (context) => {
              const point = context.raw;
              if (!point) {
                return COLOURS.teal;
              }
              const rgb = point.region.region === "eyelid" ? COLOURS.greyRgb : COLOURS.tealRgb;
              return shade(rgb, point.days, 7);
            },
          },
        ],
      },
      options: {
        scales: {
          x: {
            type: "category",
            labels: weekLabels,
            offset: true,
            grid: { display: false },
            ticks: {
              maxRotation: 0,
              autoSkipPadding: 16,
              callback: function (value) {
                return shortDate.format(parseDay(this.getLabelForValue(value)));
              },
            },
          },
          y: {
            type: "category",
            labels: regions.map((region) => region.label),
            offset: true,
            grid: { display: false },
            ticks: { callback: (value) => regions[value].lines },
          },
        },
        plugins: {
          legend: { display: false },
          tooltip: {
            callbacks: {
              title: (items) => "Week of " + longDate.format(parseDay(items[0].raw.x)),
              label: (item) => item.raw.region.label + ": " + plural(item.raw.days, "day"),
            },
          },
        },
      },
    });
  }

  /* When: twitches by hour of the day. */
  function drawHours() {
    draw("chart-hours", {
      type: "bar",
      data: {
        labels: data.hourly.map((_, hour) => hourLabel(hour)),
        datasets: [
          {
            label: "Twitches",
            data: data.hourly,
            backgroundColor: COLOURS.teal,
            borderRadius: 2,
            categoryPercentage: 0.9,
          },
        ],
      },
      options: {
        scales: {
          x: { grid: { display: false }, ticks: { maxRotation: 0, autoSkipPadding: 6 } },
          y: { beginAtZero: true, ticks: { precision: 0 } },
        },
        plugins: {
          legend: { display: false },
          tooltip: {
            callbacks: {
              title: (items) => items[0].label + ":00 to " + items[0].label + ":59",
            },
          },
        },
      },
    });
  }

  /* When: a weekday by hour grid, stronger for more twitches. */
  function drawWeekHours() {
    const hours = Array.from({ length: 24 }, (_, hour) => hourLabel(hour));
    const dayLabels = data.weekday_hours.map((day) => day.label.slice(0, 3));
    const max = Math.max(0, ...data.weekday_hours.flatMap((day) => day.hours));
    const points = [];
    data.weekday_hours.forEach((day, index) => {
      day.hours.forEach((count, hour) => {
        if (count) {
          points.push({ x: hours[hour], y: dayLabels[index], count: count, day: day.label });
        }
      });
    });
    draw("chart-week-hours", {
      type: "scatter",
      data: {
        datasets: [
          {
            label: "Twitches",
            data: points,
            pointStyle: "rect",
            pointRadius: cellRadius(24, 7),
            pointHoverRadius: cellRadius(24, 7),
            borderWidth: 0,
            backgroundColor: (context) =>
              context.raw ? shade(COLOURS.tealRgb, context.raw.count, max) : COLOURS.teal,
          },
        ],
      },
      options: {
        scales: {
          x: {
            type: "category",
            labels: hours,
            offset: true,
            grid: { display: false },
            ticks: { maxRotation: 0, autoSkipPadding: 6 },
          },
          y: { type: "category", labels: dayLabels, offset: true, grid: { display: false } },
        },
        plugins: {
          legend: { display: false },
          tooltip: {
            callbacks: {
              title: (items) => items[0].raw.day + ", " + items[0].raw.x + ":00",
              label: (item) => twitches(item.raw.count),
            },
          },
        },
      },
    });
  }

  // Horizontal bar charts grow with their rows so labels never crowd on a phone.
  function sizeBox(id) {
    const canvas = document.getElementById(id);
    if (!canvas) {
      return;
    }
    const box = canvas.parentElement;
    const rows = Number(box.dataset.rows) || 1;
    box.style.height = 70 + rows * 34 + "px";
  }

  /* What goes with it: days with each trigger against other days with twitches. */
  function drawTriggers() {
    const items = data.triggers.triggers.filter((item) => item.enough);
    sizeBox("chart-triggers");
    draw("chart-triggers", {
      type: "bar",
      data: {
        labels: items.map((item) => item.label),
        datasets: [
          {
            label: "Days it was noted",
            data: items.map((item) => item.noted.average),
            backgroundColor: COLOURS.amberSoft,
            borderRadius: 2,
            days: items.map((item) => item.noted.days),
          },
          {
            label: "Other days with twitches",
            data: items.map((item) => item.other.average),
            backgroundColor: COLOURS.tealSoft,
            borderRadius: 2,
            days: items.map((item) => item.other.days),
          },
        ],
      },
      options: {
        indexAxis: "y",
        scales: {
          x: { beginAtZero: true, title: { display: true, text: "Twitches a day" } },
          y: { grid: { display: false } },
        },
        plugins: {
          legend: { position: "bottom" },
          tooltip: {
            callbacks: {
              label: (item) =>
                item.dataset.label +
                ": " +
                item.parsed.x.toFixed(1) +
                " a day over " +
                plural(item.dataset.days[item.dataIndex], "day"),
            },
          },
        },
      },
    });
  }

  /* What goes with it: twitches a day by check-in band, coloured by factor. */
  function drawCheckins() {
    const bands = [];
    data.checkins.factors.forEach((factor) => {
      factor.bands.forEach((band) => {
        if (band.enough) {
          bands.push({ factor: factor, band: band });
        }
      });
    });
    sizeBox("chart-checkins");
    draw("chart-checkins", {
      type: "bar",
      data: {
        labels: bands.map((item) => item.factor.label + ": " + item.band.label.toLowerCase()),
        datasets: [
          {
            label: "Twitches a day",
            data: bands.map((item) => item.band.average),
            backgroundColor: bands.map((item) => FACTOR_COLOURS[item.factor.factor]),
            borderRadius: 2,
          },
        ],
      },
      options: {
        indexAxis: "y",
        scales: {
          x: { beginAtZero: true, title: { display: true, text: "Twitches a day" } },
          y: { grid: { display: false } },
        },
        plugins: {
          legend: { display: false },
          tooltip: {
            callbacks: {
              label: (item) =>
                item.parsed.x.toFixed(1) +
                " a day over " +
                plural(bands[item.dataIndex].band.days, "day"),
            },
          },
        },
      },
    });
  }

  /* How long and how strong: two small horizontal bar charts, "not noted" in grey. */
  function notNoted(item) {
    return item.bucket === "unknown" || item.intensity === null;
  }

  function drawDistribution(id, items) {
    draw(id, {
      type: "bar",
      data: {
        labels: items.map((item) => item.label),
        datasets: [
          {
            label: "Twitches",
            data: items.map((item) => item.count),
            backgroundColor: items.map((item) =>
              notNoted(item) ? COLOURS.grey : COLOURS.teal,
            ),
            borderRadius: 2,
          },
        ],
      },
      options: {
        indexAxis: "y",
        scales: {
          x: { beginAtZero: true, ticks: { precision: 0 } },
          y: { grid: { display: false } },
        },
        plugins: { legend: { display: false } },
      },
    });
  }

  /* Where: shade each area of the body map by its count, in five steps. */
  function shadeBodyMap() {
    const map = document.getElementById("trends-body-map");
    if (!map) {
      return;
    }
    const counts = data.body_map.areas;
    const max = data.body_map.max;
    map.querySelectorAll(".body-area").forEach((area) => {
      const place = counts[area.dataset.location] || {};
      const count = place[area.dataset.side] || 0;
      // A square-root scale, so that a few twitches still show beside one busy place.
      const step = count && max ? Math.max(1, Math.ceil(Math.sqrt(count / max) * 5)) : 0;
      area.classList.add("heat-" + step);
      area.dataset.count = String(count);
      const title = area.querySelector("title");
      if (title) {
        title.textContent = title.textContent + ": " + twitches(count);
      }
    });
  }

  shadeBodyMap();
  drawDaily();
  drawRegions();
  drawSpread();
  drawHours();
  drawWeekHours();
  drawTriggers();
  drawCheckins();
  drawDistribution("chart-durations", data.durations);
  drawDistribution("chart-intensities", data.intensities);
})();
