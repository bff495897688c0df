/* A date picker for <input data-jalali-picker>: a month's calendar under the field, Jalali with Persian digits and
   Saturday first in the Persian interface (writes ۱۴۰۴/۰۶/۱۷), Gregorian in the English one (writes 2025-09-08).
   The server reads what is typed too (any digits, Jalali or ISO): the picker only helps. No inline script or style
   (the Content-Security-Policy allows neither); the calendar's look is in taavon.css (.jpicker).
   The calendar's arithmetic is jalali.js's (loaded before this script). */
(function () {
  "use strict";

  const { jalCal, g2d, d2g, j2d, d2j } = window.taavonCalendar; // jalali.js
  const mod = (a, b) => a - ~~(a / b) * b;

  const FA_MONTHS = ["فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور", "مهر", "آبان", "آذر", "دی", "بهمن", "اسفند"];
  const FA_DAYS = ["ش", "ی", "د", "س", "چ", "پ", "ج"];
  const EN_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
  const EN_DAYS = ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"];
  const persian = () => (document.documentElement.lang || "fa").startsWith("fa");
  const faDigits = (s) => String(s).replace(/[0-9]/g, (d) => "۰۱۲۳۴۵۶۷۸۹"[d]);
  const asciiDigits = (s) => String(s).replace(/[۰-۹]/g, (d) => "۰۱۲۳۴۵۶۷۸۹".indexOf(d)).replace(/[٠-٩]/g, (d) => "٠١٢٣٤٥٦٧٨٩".indexOf(d));
  const pad = (n) => String(n).padStart(2, "0");

  // a calendar's month: {year, month (1-12), first (JDN of day 1), days, label}
  function month(year, m) {
    if (persian()) {
      const days = m <= 6 ? 31 : m <= 11 ? 30 : jalCal(year).leap === 0 ? 30 : 29;
      return { year, month: m, first: j2d(year, m, 1), days, label: FA_MONTHS[m - 1] + " " + faDigits(year) };
    }
    const days = new Date(Date.UTC(year, m, 0)).getUTCDate();
    return { year, month: m, first: g2d(year, m, 1), days, label: EN_MONTHS[m - 1] + " " + year };
  }
  function today() {
    const now = new Date();
    return g2d(now.getFullYear(), now.getMonth() + 1, now.getDate());
  }
  function parts(jdn) {
    if (persian()) {
      const j = d2j(jdn);
      return [j.jy, j.jm, j.jd];
    }
    const g = d2g(jdn);
    return [g.gy, g.gm, g.gd];
  }
  function text(jdn) {
    const [y, m, d] = parts(jdn);
    return persian() ? faDigits(y + "/" + pad(m) + "/" + pad(d)) : y + "-" + pad(m) + "-" + pad(d);
  }
  function parse(value) {
    const found = asciiDigits(value || "").match(/(\d{4})\s*[\/\-.]\s*(\d{1,2})\s*[\/\-.]\s*(\d{1,2})/);
    if (!found) return null;
    const [y, m, d] = [Number(found[1]), Number(found[2]), Number(found[3])];
    if (m < 1 || m > 12 || d < 1 || d > 31) return null;
    if (y < 1700) return j2d(y, m, d); // a Jalali year
    return g2d(y, m, d);
  }

  let open = null; // {input, box, shown: month}

  function close() {
    if (open) {
      open.box.remove();
      open.input.setAttribute("aria-expanded", "false");
      open = null;
    }
  }
  function button(label, className, onClick, attrs) {
    const b = document.createElement("button");
    b.type = "button";
    b.className = className;
    b.textContent = label;
    Object.entries(attrs || {}).forEach(([k, v]) => b.setAttribute(k, v));
    b.addEventListener("click", (e) => {
      e.preventDefault();
      onClick();
    });
    return b;
  }
  function render() {
    const { input, box, shown } = open;
    box.replaceChildren();
    const head = document.createElement("div");
    head.className = "jpicker-head";
    const step = (delta) => {
      let y = shown.year, m = shown.month + delta;
      if (m < 1) { m = 12; y -= 1; }
      if (m > 12) { m = 1; y += 1; }
      open.shown = month(y, m);
      render();
    };
    const prev = persian() ? "ماه پیش" : "Previous month";
    const next = persian() ? "ماه بعد" : "Next month";
    head.append(
      button("‹", "btn btn-sm btn-light jpicker-prev", () => step(-1), { "aria-label": prev }),
      Object.assign(document.createElement("strong"), { textContent: shown.label }),
      button("›", "btn btn-sm btn-light jpicker-next", () => step(1), { "aria-label": next }),
    );
    const grid = document.createElement("div");
    grid.className = "jpicker-grid";
    grid.setAttribute("role", "grid");
    (persian() ? FA_DAYS : EN_DAYS).forEach((d) => {
      grid.append(Object.assign(document.createElement("span"), { className: "jpicker-dow", textContent: d }));
    });
    // the weekday of day 1: JDN mod 7 is 0 on a Monday; Saturday first in Persian, Monday first in English
    const offset = persian() ? mod(shown.first + 2, 7) : mod(shown.first, 7);
    for (let i = 0; i < offset; i += 1) grid.append(document.createElement("span"));
    const chosen = parse(input.value);
    const now = today();
    for (let d = 0; d < shown.days; d += 1) {
      const jdn = shown.first + d;
      const classes = ["btn", "btn-sm", "jpicker-day"];
      if (jdn === chosen) classes.push("btn-primary");
      else if (jdn === now) classes.push("btn-outline-primary");
      else classes.push("btn-light");
      const day = button(persian() ? faDigits(d + 1) : String(d + 1), classes.join(" "), () => {
        input.value = text(jdn);
        input.dispatchEvent(new Event("change", { bubbles: true }));
        close();
        input.focus();
      }, { "data-jdn": String(jdn), "aria-label": text(jdn) });
      if (jdn > now) day.disabled = true; // figures are shown as of a day that has come
      grid.append(day);
    }
    const foot = document.createElement("div");
    foot.className = "jpicker-foot";
    foot.append(
      button(persian() ? "امروز" : "Today", "btn btn-sm btn-link", () => {
        input.value = text(today());
        close();
      }),
      button(persian() ? "پاک کردن" : "Clear", "btn btn-sm btn-link", () => {
        input.value = "";
        close();
      }),
    );
    box.append(head, grid, foot);
  }
  function show(input) {
    if (open && open.input === input) return;
    close();
    const box = document.createElement("div");
    box.className = "jpicker shadow";
    box.setAttribute("role", "dialog");
    box.setAttribute("aria-label", persian() ? "انتخاب تاریخ" : "Choose a date");
    const start = parse(input.value) || today();
    const [y, m] = parts(start);
    open = { input, box, shown: month(y, m) };
    input.setAttribute("aria-expanded", "true");
    input.insertAdjacentElement("afterend", box);
    render();
    // kept inside the window (a field at the page's edge)
    const rect = box.getBoundingClientRect();
    const room = document.documentElement.clientWidth - 8;
    const dx = rect.right > room ? room - rect.right : rect.left < 8 ? 8 - rect.left : 0;
    if (dx) box.style.transform = "translateX(" + dx + "px)";
  }

  document.addEventListener("focusin", (e) => {
    const input = e.target.closest && e.target.closest("input[data-jalali-picker]");
    if (input) show(input);
  });
  document.addEventListener("click", (e) => {
    const input = e.target.closest && e.target.closest("input[data-jalali-picker]");
    if (input) { show(input); return; }
    if (open && !open.box.contains(e.target)) close();
  });
  document.addEventListener("keydown", (e) => {
    if (e.key === "Escape") close();
  });
  // for the tests: the arithmetic, checked against the server's calendar
  window.taavonJalali = { j2d, d2j, g2d, d2g, text, parse };
})();
