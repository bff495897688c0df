/* Dashboard charts: Chart.js in the page's language and direction, the Vazirmatn font.
   Every text a chart shows (category names, axis titles) comes from the server in #chart-data, already in the
   page's language; `ui.digits` says whether figures are written with Persian ("fa") or ASCII ("latn") digits.
   The direction is the page's (<html dir>): right-to-left, the bars grow leftwards from the category names on the
   right; left-to-right, the mirror image.
   Bar charts are horizontal: the (long) category names sit beside the bars, unrotated, one per bar
   (autoSkip off), and the box around each canvas is made tall enough for its number of bars. */
(function () {
  const data = JSON.parse(document.getElementById("chart-data").textContent);
  const ui = data.ui || {};
  const rtl = (document.documentElement.getAttribute("dir") || (ui.rtl ? "rtl" : "ltr")) === "rtl";
  const persianDigits = ui.digits === "fa";
  const fa = (v) => String(v).replace(/[0-9]/g, (d) => "۰۱۲۳۴۵۶۷۸۹"[d]);
  const formatNumber = (v) => {
    const text = Number(v).toLocaleString("en-US");
    return persianDigits ? fa(text.replace(/,/g, "٬").replace(/\./g, "٫")) : text;
  };
  Chart.defaults.font.family = "Vazirmatn, Tahoma, sans-serif";
  const palette = ["#198754", "#fd7e14", "#6f42c1", "#6c757d", "#adb5bd", "#1d5f8a", "#0dcaf0", "#d63384", "#ffc107", "#20c997"];
  const BAR_PX = 28; // height given to each bar (with its gap)
  const AXIS_PX = 48; // the value axis and padding under the bars
  const AXIS_TITLE_PX = 20; // the value axis's title, when it has one
  const direction = rtl ? "rtl" : "ltr";
  const common = {
    locale: persianDigits ? "fa-IR" : "en-US",
    responsive: true,
    maintainAspectRatio: false,
    plugins: {
      legend: { rtl: rtl, textDirection: direction, position: "bottom" },
      tooltip: { rtl: rtl, textDirection: direction, callbacks: { label: (ctx) => " " + formatNumber(ctx.raw) } },
    },
  };
  const barScales = (series) => ({
    // the values: growing away from the category names, whole numbers in the language's digits
    x: {
      reverse: rtl,
      beginAtZero: true,
      ticks: { callback: (v) => formatNumber(v), precision: 0, maxRotation: 0 },
      title: { display: Boolean(series.axis), text: series.axis || "" },
    },
    // the categories: on the reading side (right in right-to-left), every one of them, flat
    y: {
      position: rtl ? "right" : "left",
      ticks: {
        autoSkip: false,
        maxRotation: 0,
        minRotation: 0,
        crossAlign: "far",
        callback: function (v) { return this.getLabelForValue(v); },
      },
      grid: { display: false },
    },
  });
  function bar(id, series, color) {
    const canvas = document.getElementById(id);
    const box = canvas.parentElement;
    box.style.height = Math.max(series.labels.length, 1) * BAR_PX + AXIS_PX + (series.axis ? AXIS_TITLE_PX : 0) + "px";
    new Chart(canvas, {
      type: "bar",
      data: { labels: series.labels, datasets: [{ data: series.values, backgroundColor: color, maxBarThickness: 22 }] },
      options: {
        ...common,
        indexAxis: "y",
        plugins: { ...common.plugins, legend: { display: false } },
        scales: barScales(series),
      },
    });
  }
  new Chart(document.getElementById("chart-status"), {
    type: "doughnut",
    data: { labels: data.status.labels, datasets: [{ data: data.status.values, backgroundColor: palette }] },
    options: common,
  });
  bar("chart-stages", data.stages, "#1d5f8a");
  bar("chart-county", data.county_investment, "#198754");
  bar("chart-jobs", data.sector_jobs, "#fd7e14");
})();
