/* The visits' figures: Chart.js in the page's language and direction (like charts.js for the dashboard).
   The data, labels already in the page's language, come from the server in #visits-chart-data. */
(function () {
  const data = JSON.parse(document.getElementById("visits-chart-data").textContent);
  const ui = data.ui || {};
  const rtl = document.documentElement.getAttribute("dir") === "rtl";
  const persianDigits = ui.digits === "fa";
  const fa = (v) => String(v).replace(/[0-9]/g, (d) => "۰۱۲۳۴۵۶۷۸۹"[d]);
  const formatNumber = (v) => {
    const text = Number(v).toLocaleString("en-US");
    return persianDigits ? fa(text.replace(/,/g, "٬")) : text;
  };
  Chart.defaults.font.family = "Vazirmatn, Tahoma, sans-serif";
  const direction = rtl ? "rtl" : "ltr";
  const BAR_PX = 28;
  const AXIS_PX = 48;
  const legend = { rtl: rtl, textDirection: direction, position: "bottom" };
  const tooltip = { rtl: rtl, textDirection: direction, callbacks: { label: (ctx) => " " + formatNumber(ctx.raw) } };
  const valueTicks = { callback: (v) => formatNumber(v), precision: 0 };

  // planned against reported, per Jalali month: vertical bars, the months read from the page's start side
  const plan = document.getElementById("chart-plan");
  if (plan) {
    plan.parentElement.style.height = "280px";
    new Chart(plan, {
      type: "bar",
      data: {
        labels: data.plan.labels,
        datasets: [
          { label: data.plan.planned_label, data: data.plan.planned, backgroundColor: "#adb5bd", maxBarThickness: 18 },
          { label: data.plan.reported_label, data: data.plan.reported, backgroundColor: "#198754", maxBarThickness: 18 },
        ],
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        plugins: { legend: legend, tooltip: tooltip },
        scales: {
          x: { reverse: rtl, ticks: { autoSkip: false, maxRotation: 0 } },
          y: { beginAtZero: true, position: rtl ? "right" : "left", ticks: valueTicks },
        },
      },
    });
  }

  // a horizontal bar per category or age group, the names on the reading side
  function bar(id, series, color) {
    const canvas = document.getElementById(id);
    if (!canvas) return;
    canvas.parentElement.style.height = Math.max(series.labels.length, 1) * BAR_PX + AXIS_PX + "px";
    new Chart(canvas, {
      type: "bar",
      data: { labels: series.labels, datasets: [{ data: series.values, backgroundColor: color, maxBarThickness: 22 }] },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        indexAxis: "y",
        plugins: { legend: { display: false }, tooltip: tooltip },
        scales: {
          x: { reverse: rtl, beginAtZero: true, ticks: valueTicks },
          y: {
            position: rtl ? "right" : "left",
            ticks: { autoSkip: false, maxRotation: 0, minRotation: 0, crossAlign: "far" },
            grid: { display: false },
          },
        },
      },
    });
  }
  bar("chart-open-category", data.open_category, "#fd7e14");
  bar("chart-open-age", data.open_age, "#6f42c1");
  bar("chart-year-category", data.year_category, "#1d5f8a");
})();
