/* Dashboard charts: Chart.js, right-to-left, Persian digits, the Vazirmatn font. */
(function () {
  const data = JSON.parse(document.getElementById("chart-data").textContent);
  const fa = (v) => String(v).replace(/[0-9]/g, (d) => "۰۱۲۳۴۵۶۷۸۹"[d]);
  const faNum = (v) => fa(Number(v).toLocaleString("en-US").replace(/,/g, "٬"));
  Chart.defaults.font.family = "Vazirmatn, Tahoma, sans-serif";
  const palette = ["#198754", "#fd7e14", "#6f42c1", "#6c757d", "#adb5bd", "#1d5f8a", "#0dcaf0", "#d63384", "#ffc107", "#20c997"];
  const common = {
    locale: "fa-IR",
    plugins: {
      legend: { rtl: true, textDirection: "rtl", position: "bottom" },
      tooltip: { rtl: true, textDirection: "rtl", callbacks: { label: (ctx) => " " + faNum(ctx.parsed.y ?? ctx.parsed) } },
    },
  };
  const barScales = {
    x: { reverse: true, ticks: { callback: function (v) { return this.getLabelForValue(v); } } },
    y: { position: "right", beginAtZero: true, ticks: { callback: (v) => faNum(v), precision: 0 } },
  };
  function bar(id, series, color) {
    new Chart(document.getElementById(id), {
      type: "bar",
      data: { labels: series.labels, datasets: [{ data: series.values, backgroundColor: color }] },
      options: { ...common, plugins: { ...common.plugins, legend: { display: false } }, scales: barScales },
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
