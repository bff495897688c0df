/* The public statistics' charts: horizontal bars drawn with Chart.js (vendored) from #stats-data, which the server
   writes with every text already in the page's language; `ui.digits` says whether figures use Persian ("fa") or
   ASCII ("latn") digits. Right-to-left pages put the category names on the right, bars growing leftwards.
   Each chart has a table under it with the same figures (the accessible form). */
(function () {
  const node = document.getElementById("stats-data");
  if (!node || typeof Chart === "undefined") return;
  const data = JSON.parse(node.textContent);
  const ui = data.ui || {};
  const rtl = (document.documentElement.getAttribute("dir") || (ui.rtl ? "rtl" : "ltr")) === "rtl";
  const persianDigits = ui.digits === "fa";
  const fa = (v) => String(v).replace(/[0-9]/g, (d) => "۰۱۲۳۴۵۶۷۸۹"[d]);
  const formatNumber = (v) => {
    const text = Number(v).toLocaleString("en-US");
    return persianDigits ? fa(text.replace(/,/g, "٬").replace(/\./g, "٫")) : text;
  };
  const BAR_PX = 28;
  const AXIS_PX = 68;
  const colors = ["#198754", "#1d5f8a", "#6f42c1", "#fd7e14", "#0dcaf0"];
  Chart.defaults.font.family = "Vazirmatn, Tahoma, sans-serif";
  (data.charts || []).forEach(function (series, i) {
    const canvas = document.getElementById(series.id);
    if (!canvas || !series.labels.length) return;
    canvas.parentElement.style.height = series.labels.length * BAR_PX + AXIS_PX + "px";
    new Chart(canvas, {
      type: "bar",
      data: {
        labels: series.labels,
        datasets: [{ data: series.values, backgroundColor: colors[i % colors.length], maxBarThickness: 22 }],
      },
      options: {
        locale: persianDigits ? "fa-IR" : "en-US",
        responsive: true,
        maintainAspectRatio: false,
        indexAxis: "y",
        plugins: {
          legend: { display: false },
          tooltip: {
            rtl: rtl,
            textDirection: rtl ? "rtl" : "ltr",
            callbacks: { label: (ctx) => " " + formatNumber(ctx.raw) },
          },
        },
        scales: {
          x: {
            reverse: rtl,
            beginAtZero: true,
            ticks: { callback: (v) => formatNumber(v), precision: 0, maxRotation: 0 },
            title: { display: Boolean(series.axis), text: series.axis || "" },
          },
          y: {
            position: rtl ? "right" : "left",
            ticks: { autoSkip: false, maxRotation: 0, minRotation: 0, crossAlign: "far" },
            grid: { display: false },
          },
        },
      },
    });
  });
})();
