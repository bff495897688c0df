/* Dashboard charts: Chart.js, right-to-left, Persian digits, the Vazirmatn font.
   Bar charts are horizontal: the (long, Persian) category names sit on the right, unrotated, one per bar
   (autoSkip off), and the box around each canvas is made tall enough for its number of bars. */
(function () {
  const data = JSON.parse(document.getElementById("chart-data").textContent);
  const fa = (v) => String(v).replace(/[0-9]/g, (d) => "۰۱۲۳۴۵۶۷۸۹"[d]);
  const faNum = (v) => fa(Number(v).toLocaleString("en-US").replace(/,/g, "٬"));
  Chart.defaults.font.family = "Vazirmatn, Tahoma, sans-serif";
  const palette = ["#198754", "#fd7e14", "#6f42c1", "#6c757d", "#adb5bd", "#1d5f8a", "#0dcaf0", "#d63384", "#ffc107", "#20c997"];
  const BAR_PX = 28; // height given to each bar (with its gap)
  const AXIS_PX = 48; // the value axis and padding under the bars
  const common = {
    locale: "fa-IR",
    responsive: true,
    maintainAspectRatio: false,
    plugins: {
      legend: { rtl: true, textDirection: "rtl", position: "bottom" },
      tooltip: { rtl: true, textDirection: "rtl", callbacks: { label: (ctx) => " " + faNum(ctx.raw) } },
    },
  };
  const barScales = () => ({
    // the values: growing from the right edge leftwards, Persian digits, whole numbers
    x: {
      reverse: true,
      beginAtZero: true,
      ticks: { callback: (v) => faNum(v), precision: 0, maxRotation: 0 },
    },
    // the categories: on the right, every one of them, flat
    y: {
      position: "right",
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
    box.style.height = Math.max(series.labels.length, 1) * BAR_PX + AXIS_PX + "px";
    new Chart(canvas, {
      type: "bar",
      data: { labels: series.labels, datasets: [{ data: series.values, backgroundColor: color, maxBarThickness: 22 }] },
      options: {
        ...common,
        indexAxis: "y",
        plugins: { ...common.plugins, legend: { display: false } },
        scales: barScales(),
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
