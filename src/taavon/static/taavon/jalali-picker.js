/* A date picker for <input data-jalali-picker>: a month's calendar under the field, Jalali with Persian digits and
   Saturday first in the Persian interface (writes ۱۴۰۴/۰۶/۱۷), Gregorian in the English one (writes 2025-09-08).
   The server reads what is typed too (any digits, Jalali or ISO): the picker only helps. No inline script or style
   (the Content-Security-Policy allows neither); the calendar's look is in taavon.css (.jpicker).
   The Jalali arithmetic is the jalaali algorithm (Borkowski's breaks), as jdatetime computes it on the server. */
(function () {
  "use strict";

  const div = (a, b) => ~~(a / b);
  const mod = (a, b) => a - ~~(a / b) * b;
  const BREAKS = [-61, 9, 38, 199, 426, 686, 756, 818, 1111, 1181, 1210, 1635, 2060, 2097, 2192, 2262, 2324, 2394, 2456, 3178];

  function jalCal(jy) {
    const gy = jy + 621;
    let leapJ = -14, jp = BREAKS[0], jump = 0;
    for (let i = 1; i < BREAKS.length; i += 1) {
      const jm = BREAKS[i];
      jump = jm - jp;
      if (jy < jm) break;
      leapJ += div(jump, 33) * 8 + div(mod(jump, 33), 4);
      jp = jm;
    }
    let n = jy - jp;
    leapJ += div(n, 33) * 8 + div(mod(n, 33) + 3, 4);
    if (mod(jump, 33) === 4 && jump - n === 4) leapJ += 1;
    const leapG = div(gy, 4) - div((div(gy, 100) + 1) * 3, 4) - 150;
    const march = 20 + leapJ - leapG;
    if (jump - n < 6) n = n - jump + div(jump + 4, 33) * 33;
    let leap = mod(mod(n + 1, 33) - 1, 4);
    if (leap === -1) leap = 4;
    return { leap, gy, march };
  }
  function g2d(gy, gm, gd) {
    let d = div((gy + div(gm - 8, 6) + 100100) * 1461, 4) + div(153 * mod(gm + 9, 12) + 2, 5) + gd - 34840408;
    return d - div(div(gy + 100100 + div(gm - 8, 6), 100) * 3, 4) + 752;
  }
  function d2g(jdn) {
    let j = 4 * jdn + 139361631;
    j += div(div(4 * jdn + 183187720, 146097) * 3, 4) * 4 - 3908;
    const i = div(mod(j, 1461), 4) * 5 + 308;
    const gd = div(mod(i, 153), 5) + 1;
    const gm = mod(div(i, 153), 12) + 1;
    return { gy: div(j, 1461) - 100100 + div(8 - gm, 6), gm, gd };
  }
  function j2d(jy, jm, jd) {
    const r = jalCal(jy);
    return g2d(r.gy, 3, r.march) + (jm - 1) * 31 - div(jm, 7) * (jm - 7) + jd - 1;
  }
  function d2j(jdn) {
    const gy = d2g(jdn).gy;
    let jy = gy - 621;
    const r = jalCal(jy);
    let k = jdn - g2d(gy, 3, r.march);
    if (k >= 0) {
      if (k <= 185) return { jy, jm: 1 + div(k, 31), jd: mod(k, 31) + 1 };
      k -= 186;
    } else {
      jy -= 1;
      k += 179;
      if (r.leap === 1) k += 1;
    }
    return { jy, jm: 7 + div(k, 30), jd: mod(k, 30) + 1 };
  }

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
