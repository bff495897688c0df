/* The exhibition's visitors per day (events/exhibition.html): vertical bars, the days read from the page's start
   side, in the page's language and digits (like charts.js for the dashboard). The data, labels already in the
   page's language, come from the server in #events-chart-data. */
(function () {
  const source = document.getElementById("events-chart-data");
  const canvas = document.getElementById("chart-visitors");
  if (!source || !canvas) return;
  const data = JSON.parse(source.textContent);
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
  canvas.parentElement.style.height = "260px";
  new Chart(canvas, {
    type: "bar",
    data: {
      labels: data.visitors.labels,
      datasets: [{ label: data.visitors.label, data: data.visitors.values, backgroundColor: "#198754", maxBarThickness: 28 }],
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      plugins: {
        legend: { display: false },
        tooltip: { rtl: rtl, textDirection: direction, callbacks: { label: (ctx) => " " + formatNumber(ctx.raw) } },
      },
      scales: {
        x: { reverse: rtl, ticks: { autoSkip: false, maxRotation: 0 } },
        y: { beginAtZero: true, position: rtl ? "right" : "left", ticks: { callback: (v) => formatNumber(v), precision: 0 } },
      },
    },
  });
})();
