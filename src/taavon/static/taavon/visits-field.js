/* The inspector's offline app (/visits/field/): the plan and the report form, working without a network.

   - The data (plan, cooperatives, officers, choice lists) comes from data.json; the service worker keeps its last
     copy, so the page works offline once it has been opened with a network.
   - A saved report is put in IndexedDB (with its photos, resized here) under an id made on this device
     (crypto.randomUUID), then sent — now, on the `online` event, on page load, and with "Send now". A report stays
     "waiting" until the server has answered it: a send lost midway is sent again, and the server's id check makes
     that harmless.
   - The server's answer: received (sent), received with a conflict (kept until the user removes it), refused
     (its messages kept until the user removes it).
   Every string the user sees comes from the page (<script type="application/json" id="field-labels">). */
(function () {
  "use strict";

  const root = document.getElementById("field-app");
  if (!root) return;
  const L = JSON.parse(document.getElementById("field-labels").textContent);
  const persian = (document.documentElement.lang || "fa").startsWith("fa");
  const $ = (sel, scope) => (scope || root).querySelector(sel);
  const MAX_SIDE = 1600;
  const SEP = persian ? "، " : ", ";

  // --- digits and dates -------------------------------------------------------------------------------------
  const FA = "۰۱۲۳۴۵۶۷۸۹";
  const AR = "٠١٢٣٤٥٦٧٨٩";
  const show = (value) => (persian ? String(value).replace(/[0-9]/g, (d) => FA[d]) : String(value));
  const latin = (value) =>
    String(value || "")
      .replace(/[۰-۹]/g, (d) => FA.indexOf(d))
      .replace(/[٠-٩]/g, (d) => AR.indexOf(d))
      .trim();

  // Jalali ⇄ Gregorian: the one calendar of the pages (jalali.js, loaded before this script)
  const { jalCal, g2d, d2g, j2d, d2j } = window.taavonCalendar;
  const pad = (n) => String(n).padStart(2, "0");
  const isoOf = (g) => `${g.gy}-${pad(g.gm)}-${pad(g.gd)}`;
  /** "2026-11-29" → "۱۴۰۵/۰۹/۰۸" (Persian) or the ISO date (English) */
  function showDate(iso) {
    if (!iso) return "";
    const [y, m, d] = iso.split("-").map(Number);
    if (!persian) return iso;
    const j = d2j(g2d(y, m, d));
    return show(`${j.jy}/${pad(j.jm)}/${pad(j.jd)}`);
  }
  /** a typed date (Jalali 1404/6/11 in any digits, or Gregorian 2025-09-02) → ISO, or "" when it is not a date */
  function parseDate(text) {
    const parts = latin(text).split(/[/\-.\s]+/).filter(Boolean).map(Number);
    if (parts.length !== 3 || parts.some((n) => !Number.isInteger(n))) return "";
    const [y, m, d] = parts;
    if (y > 1700) {
      const dt = new Date(Date.UTC(y, m - 1, d));
      return dt.getUTCMonth() === m - 1 && dt.getUTCDate() === d ? isoOf({ gy: y, gm: m, gd: d }) : "";
    }
    if (y < 1300 || y > 1500 || m < 1 || m > 12 || d < 1 || d > (m <= 6 ? 31 : 30)) return "";
    const g = d2g(j2d(y, m, d));
    const back = d2j(g2d(g.gy, g.gm, g.gd));
    return back.jm === m && back.jd === d ? isoOf(g) : "";
  }

  // --- IndexedDB: the reports on this device ----------------------------------------------------------------
  const DB_NAME = "taavon-field";
  const STORE = "reports";
  let dbPromise = null;
  function db() {
    if (!dbPromise) {
      dbPromise = new Promise((resolve, reject) => {
        const open = indexedDB.open(DB_NAME, 1);
        open.onupgradeneeded = () => open.result.createObjectStore(STORE, { keyPath: "client_id" });
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
      });
    }
    return dbPromise;
  }
  async function store(mode, fn) {
    const d = await db();
    return new Promise((resolve, reject) => {
      const tx = d.transaction(STORE, mode);
      const req = fn(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(req && req.result);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
  }
  const allReports = () => store("readonly", (s) => s.getAll());
  const putReport = (r) => store("readwrite", (s) => s.put(r));
  const deleteReport = (id) => store("readwrite", (s) => s.delete(id));

  function newId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }

  // --- the data ---------------------------------------------------------------------------------------------
  let data = null;
  const coopById = new Map();

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([k, v]) => {
      if (k === "class") node.className = v;
      else if (k === "text") node.textContent = v;
      else node.setAttribute(k, v);
    });
    children.forEach((c) => node.append(c));
    return node;
  }
  function fillSelect(select, choices, placeholder) {
    const chosen = select.value; // fresh data must not undo what the inspector has chosen
    select.replaceChildren();
    if (placeholder !== undefined) select.append(el("option", { value: "", text: placeholder }));
    choices.forEach((c) => select.append(el("option", { value: c.value, text: c.label })));
    if (chosen && choices.some((c) => String(c.value) === chosen)) select.value = chosen;
  }

  // the page talks to the server (its data, or sending reports): `data-busy` on the app's root says so, for whoever
  // waits until it is quiet (the browser tests)
  let busy = 0;
  function working(delta) {
    busy += delta;
    if (busy > 0) root.dataset.busy = "1";
    else delete root.dataset.busy;
  }

  async function loadData() {
    working(1);
    try {
      await fetchData();
    } finally {
      working(-1);
    }
  }

  async function fetchData() {
    const state = $("#data-state");
    try {
      const res = await fetch(root.dataset.dataUrl, { credentials: "same-origin", headers: { Accept: "application/json" } });
      if (!res.ok || !(res.headers.get("Content-Type") || "").includes("json")) throw new Error(String(res.status));
      data = await res.json();
      const fromCache = res.headers.get("X-Taavon-From-Cache") === "1";
      state.textContent = fromCache ? L.offline_data : L.online_data;
      state.className = "badge " + (fromCache ? "text-bg-warning" : "text-bg-success");
    } catch (e) {
      state.textContent = L.no_data;
      state.className = "badge text-bg-danger text-wrap";
      return;
    }
    coopById.clear();
    data.cooperatives.forEach((c) => coopById.set(c.id, c));
    fillSelect($("#unit-state"), data.choices.unit_state, L.choose);
    renderPlan();
    renderCoops("");
    if (!$("#visited-on").value) $("#visited-on").value = showDate(data.today);
  }

  function renderPlan() {
    const list = $("#plan-list");
    list.replaceChildren();
    $("#plan-empty").hidden = data.plan.length > 0;
    data.plan.forEach((v) => {
      const coop = coopById.get(v.cooperative);
      const open = coop ? coop.open_findings : [];
      const card = el("div", { class: "card", "data-testid": "plan-visit" });
      const body = el("div", { class: "card-body py-2" });
      body.append(
        el("div", { class: "d-flex justify-content-between" },
          el("strong", { text: v.cooperative_name }), el("span", { class: "text-muted", text: showDate(v.date) })),
        el("div", { class: "small", text: v.purpose + (v.note ? " — " + v.note : "") }),
        el("div", { class: "small text-muted", text: `${L.inspectors} ${v.inspectors.join(SEP)}` })
      );
      if (open.length) {
        const ul = el("ul", { class: "small mb-1 ps-3" });
        open.forEach((f) => ul.append(el("li", { text: `${label("category", f.category)}: ${f.description}` })));
        body.append(el("div", { class: "small text-danger mt-1", text: L.open_findings }), ul);
      }
      const go = el("button", { type: "button", class: "btn btn-sm btn-outline-primary mt-1", text: L.report_this });
      go.addEventListener("click", () => {
        chooseCoop(v.cooperative, v.id);
        showTab("report");
      });
      body.append(go);
      card.append(body);
      list.append(card);
    });
  }

  function label(kind, value) {
    const found = data.choices[kind].find((c) => c.value === value);
    return found ? found.label : value;
  }

  function renderCoops(query) {
    const select = $("#coop");
    const current = select.value;
    const q = latin(query).replace(/\s+/g, " ").toLowerCase();
    select.replaceChildren();
    data.cooperatives
      .filter((c) => !q || c.name.toLowerCase().includes(q) || c.shenasnameh.includes(q))
      .slice(0, 200)
      .forEach((c) => select.append(el("option", { value: c.id, text: `${c.name} — \u2066${show(c.shenasnameh)}\u2069` })));
    if (current && select.querySelector(`option[value="${current}"]`)) select.value = current;
  }

  function chooseCoop(id, visitId) {
    const select = $("#coop");
    if (!select.querySelector(`option[value="${id}"]`)) {
      $("#coop-q").value = "";
      renderCoops("");
    }
    select.value = String(id);
    coopChanged(visitId);
  }

  function coopChanged(visitId) {
    const coop = coopById.get(Number($("#coop").value));
    const visits = coop ? data.plan.filter((v) => v.cooperative === coop.id) : [];
    fillSelect($("#visit"), visits.map((v) => ({ value: String(v.id), label: `${showDate(v.date)} — ${v.purpose}` })), L.no_visit);
    if (visitId) $("#visit").value = String(visitId);
    const box = $("#coop-findings");
    const ul = $("#coop-findings-list");
    ul.replaceChildren();
    (coop ? coop.open_findings : []).forEach((f) =>
      ul.append(el("li", { text: `${label("category", f.category)} (${label("severity", f.severity)}): ${f.description}` }))
    );
    box.hidden = !ul.children.length;
    root.querySelectorAll("[data-a=officer]").forEach((s) => fillOfficers(s));
  }

  function fillOfficers(select) {
    const coop = coopById.get(Number($("#coop").value));
    const officers = data.officers.filter((o) => !coop || o.counties.includes(coop.county));
    const current = select.value;
    fillSelect(select, officers.map((o) => ({ value: String(o.id), label: o.name })), L.choose);
    select.value = current;
  }

  // --- findings and actions ---------------------------------------------------------------------------------
  function addFinding() {
    const node = document.getElementById("finding-tpl").content.firstElementChild.cloneNode(true);
    fillSelect(node.querySelector("[data-f=category]"), data.choices.category, L.choose);
    fillSelect(node.querySelector("[data-f=severity]"), data.choices.severity, L.choose);
    node.querySelector("[data-remove]").addEventListener("click", () => node.remove());
    node.querySelector("[data-add-action]").addEventListener("click", () => addAction(node));
    $("#findings").append(node);
    return node;
  }

  function addAction(finding) {
    const node = document.getElementById("action-tpl").content.firstElementChild.cloneNode(true);
    const owner = node.querySelector("[data-a=owner]");
    fillSelect(owner, data.choices.owner, L.choose);
    fillOfficers(node.querySelector("[data-a=officer]"));
    owner.addEventListener("change", () => {
      node.querySelectorAll("[data-for-owner]").forEach((x) => (x.hidden = x.dataset.forOwner !== owner.value));
    });
    node.querySelector("[data-remove]").addEventListener("click", () => node.remove());
    finding.querySelector(".actions").append(node);
    return node;
  }

  // --- photos: made smaller here (a canvas) before they are kept ---------------------------------------------
  let photos = []; // {blob, url}
  async function resize(file) {
    const bitmap = await createImageBitmap(file);
    const scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
    const canvas = document.createElement("canvas");
    canvas.width = Math.round(bitmap.width * scale);
    canvas.height = Math.round(bitmap.height * scale);
    canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    bitmap.close();
    return new Promise((resolve, reject) =>
      canvas.toBlob((b) => (b ? resolve(b) : reject(new Error("toBlob"))), "image/jpeg", 0.85)
    );
  }
  async function photosChosen(event) {
    const problems = [];
    for (const file of Array.from(event.target.files)) {
      try {
        const blob = await resize(file);
        photos.push({ blob, url: URL.createObjectURL(blob) });
      } catch (e) {
        problems.push(`${L.photo_unreadable} ${file.name}`);
      }
    }
    event.target.value = "";
    renderPhotos();
    showErrors(problems);
  }
  function renderPhotos() {
    const list = $("#photo-list");
    list.replaceChildren();
    photos.forEach((p, i) => {
      const img = el("img", { src: p.url, alt: "", class: "field-thumb rounded border", "data-testid": "photo-thumb" });
      const remove = el("button", { type: "button", class: "btn btn-sm btn-link p-0", text: L.remove });
      remove.addEventListener("click", () => {
        URL.revokeObjectURL(p.url);
        photos.splice(i, 1);
        renderPhotos();
      });
      list.append(el("div", { class: "text-center" }, img, el("br"), remove));
    });
  }

  // --- location ---------------------------------------------------------------------------------------------
  let geo = null;
  function locate() {
    const out = $("#location");
    if (!navigator.geolocation) {
      out.textContent = L.location_none;
      return;
    }
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        geo = {
          latitude: pos.coords.latitude.toFixed(6),
          longitude: pos.coords.longitude.toFixed(6),
          accuracy: Math.round(pos.coords.accuracy),
        };
        out.textContent = `${show(geo.latitude)}${SEP}${show(geo.longitude)} (±${show(geo.accuracy)} ${L.location_accuracy})`;
      },
      () => (out.textContent = L.location_none),
      { enableHighAccuracy: true, timeout: 20000, maximumAge: 60000 }
    );
  }

  // --- saving a report --------------------------------------------------------------------------------------
  function showErrors(messages) {
    const box = $("#form-errors");
    box.replaceChildren(...messages.map((m) => el("div", { text: m })));
    box.hidden = !messages.length;
  }

  function whole(text) {
    const t = latin(text);
    if (!t) return { ok: true, value: null };
    return /^\d{1,5}$/.test(t) ? { ok: true, value: Number(t) } : { ok: false };
  }

  function collect() {
    const errors = [];
    const coop = coopById.get(Number($("#coop").value));
    if (!coop) errors.push(L.need_coop);
    const visitId = Number($("#visit").value) || null;
    const visit = visitId ? data.plan.find((v) => v.id === visitId) : null;
    const visitedOn = parseDate($("#visited-on").value);
    if (!visitedOn) errors.push(L.need_date);
    const unitState = $("#unit-state").value;
    if (!unitState) errors.push(L.need_state);
    const women = whole($("#workers-women").value);
    const men = whole($("#workers-men").value);
    if (!women.ok || !men.ok) errors.push(L.bad_number);
    const findings = [];
    let badFinding = false, badAction = false;
    root.querySelectorAll("#findings .finding").forEach((node) => {
      const f = {
        category: node.querySelector("[data-f=category]").value,
        severity: node.querySelector("[data-f=severity]").value,
        description: node.querySelector("[data-f=description]").value.trim(),
        actions: [],
      };
      if (!f.category || !f.severity || !f.description) badFinding = true;
      node.querySelectorAll(".action").forEach((a) => {
        const get = (k) => a.querySelector(`[data-a=${k}]`).value.trim();
        const action = {
          what: get("what"),
          owner: get("owner"),
          officer: get("owner") === "officer" ? Number(get("officer")) || null : null,
          agency: get("owner") === "agency" ? get("agency") : "",
          due_on: parseDate(get("due_on")),
        };
        if (!action.what || !action.owner || !action.due_on) badAction = true;
        if (action.owner === "officer" && !action.officer) badAction = true;
        if (action.owner === "agency" && !action.agency) badAction = true;
        f.actions.push(action);
      });
      findings.push(f);
    });
    if (badFinding) errors.push(L.need_finding);
    if (badAction) errors.push(L.need_action);
    if (errors.length) return { errors };
    return {
      errors,
      label: `${coop.name} — ${showDate(visitedOn)}`,
      report: {
        client_id: newId(),
        cooperative: coop.id,
        visit: visitId,
        visited_on: visitedOn,
        unit_state: unitState,
        workers_women: women.value,
        workers_men: men.value,
        latitude: geo ? geo.latitude : null,
        longitude: geo ? geo.longitude : null,
        accuracy: geo ? geo.accuracy : null,
        summary: $("#summary").value.trim(),
        findings,
        seen_cooperative_version: coop.version,
        seen_visit_version: visit ? visit.version : null,
      },
    };
  }

  async function save(event) {
    event.preventDefault();
    if (!data) return;
    const got = collect();
    showErrors(got.errors);
    if (got.errors.length) return;
    await putReport({
      client_id: got.report.client_id,
      created_at: new Date().toISOString(),
      label: got.label,
      state: "waiting",
      report: got.report,
      photos: photos.map((p) => p.blob),
      photo_count: photos.length,
      messages: [],
      visit_url: "",
    });
    resetForm();
    flash(L.saved, "success");
    showTab("outbox");
    await renderOutbox();
    sendAll();
  }

  function resetForm() {
    $("#report-form").reset();
    $("#findings").replaceChildren();
    photos.forEach((p) => URL.revokeObjectURL(p.url));
    photos = [];
    geo = null;
    $("#location").textContent = "";
    renderPhotos();
    if (data) {
      renderCoops("");
      coopChanged();
      $("#visited-on").value = showDate(data.today);
    }
  }

  function flash(text, kind) {
    const box = el("div", { class: `alert alert-${kind} small py-2`, role: "status", "data-testid": "flash", text });
    const old = root.querySelector("[data-testid=flash]");
    if (old) old.remove();
    root.querySelector(".field-status").after(box);
  }

  // --- sending ----------------------------------------------------------------------------------------------
  function csrfToken() {
    const m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return m ? decodeURIComponent(m[1]) : root.dataset.csrf;
  }

  function messagesOf(body) {
    const out = [];
    if (body && body.message) out.push(body.message);
    if (body && body.errors) Object.values(body.errors).forEach((list) => out.push(...list));
    return out.length ? out : [L.refused_generic];
  }

  let sending = false;
  async function sendAll() {
    if (sending) return;
    sending = true;
    working(1);
    let answered = 0;
    try {
      const waiting = (await allReports()).filter((r) => r.state === "waiting");
      for (const record of waiting) {
        const form = new FormData();
        form.append("report", JSON.stringify(record.report));
        record.photos.forEach((blob, i) => form.append(`photo${i}`, blob, `photo${i}.jpg`));
        let res;
        try {
          res = await fetch(root.dataset.syncUrl, {
            method: "POST",
            body: form,
            credentials: "same-origin",
            headers: { "X-CSRFToken": csrfToken(), Accept: "application/json" },
          });
        } catch (e) {
          flash(L.send_failed, "warning");
          break; // no network: everything waits, nothing is lost
        }
        const isJson = (res.headers.get("Content-Type") || "").includes("json");
        if (res.redirected || !isJson) {
          // signed out (the login page) or an error page: the report waits for the next try
          flash(res.redirected ? L.signed_out : L.send_failed, "warning");
          break;
        }
        const body = await res.json().catch(() => ({}));
        if (res.status === 200 || res.status === 201) {
          record.state = body.conflict ? "conflict" : "sent";
          record.messages = body.conflict ? [body.conflict] : [];
          record.visit_url = body.visit_url || "";
          record.photos = []; // received: the server keeps them now
        } else if ([400, 403, 404, 409, 413, 422].includes(res.status)) {
          record.state = "refused";
          record.messages = messagesOf(body);
        } else {
          flash(L.send_failed, "warning");
          break; // the server could not take it now: it waits
        }
        await putReport(record);
        answered += 1;
      }
    } finally {
      sending = false;
      await renderOutbox();
    }
    try {
      if (answered) {
        const old = root.querySelector("[data-testid=flash]");
        if (old) old.remove();
        await loadData(); // the network is back: fresh data (the plan, the open findings)
      }
    } finally {
      working(-1);
    }
  }

  async function renderOutbox() {
    const reports = (await allReports()).sort((a, b) => a.created_at.localeCompare(b.created_at));
    const waiting = reports.filter((r) => r.state === "waiting").length;
    $("#waiting-count").textContent = show(waiting);
    const list = $("#outbox");
    list.replaceChildren();
    $("#outbox-empty").hidden = reports.length > 0;
    const badge = { waiting: "text-bg-warning", sent: "text-bg-success", refused: "text-bg-danger", conflict: "text-bg-danger" };
    reports.forEach((r) => {
      const card = el("div", { class: `card field-report field-report-${r.state}`, "data-testid": "outbox-report", "data-state": r.state });
      const body = el("div", { class: "card-body py-2" });
      body.append(
        el("div", { class: "d-flex justify-content-between gap-2" },
          el("strong", { text: r.label }),
          el("span", { class: `badge align-self-start text-wrap ${badge[r.state]}`, "data-testid": "report-state", text: L[`state_${r.state}`] })),
        el("div", { class: "small text-muted", text: `${L.findings_n} ${show(r.report.findings.length)} · ${L.photos_n} ${show(r.photo_count ?? r.photos.length)}` })
      );
      if (r.messages.length) {
        const ul = el("ul", { class: "small mb-1 ps-3 text-danger", "data-testid": "report-messages" });
        r.messages.forEach((m) => ul.append(el("li", { text: m })));
        body.append(ul);
      }
      const row = el("div", { class: "d-flex gap-2" });
      if (r.visit_url) row.append(el("a", { href: r.visit_url, class: "btn btn-sm btn-link px-0", text: L.open_visit }));
      if (r.state !== "waiting") {
        const dismiss = el("button", { type: "button", class: "btn btn-sm btn-outline-secondary", "data-testid": "dismiss", text: L.dismiss });
        dismiss.addEventListener("click", async () => {
          await deleteReport(r.client_id);
          renderOutbox();
        });
        row.append(dismiss);
      }
      body.append(row);
      card.append(body);
      list.append(card);
    });
  }

  // --- tabs and start ---------------------------------------------------------------------------------------
  function showTab(name) {
    root.querySelectorAll("[data-tab]").forEach((b) => b.classList.toggle("active", b.dataset.tab === name));
    root.querySelectorAll("[data-pane]").forEach((p) => (p.hidden = p.dataset.pane !== name));
  }

  root.querySelectorAll("[data-tab]").forEach((b) => b.addEventListener("click", () => showTab(b.dataset.tab)));
  $("#coop-q").addEventListener("input", (e) => renderCoops(e.target.value));
  $("#coop").addEventListener("change", () => coopChanged());
  $("#add-finding").addEventListener("click", () => data && addFinding());
  $("#photos").addEventListener("change", photosChosen);
  $("#locate").addEventListener("click", locate);
  $("#report-form").addEventListener("submit", save);
  $("#send-now").addEventListener("click", () => sendAll());
  // numbers and dates typed with Latin digits are shown with the page's digits
  root.addEventListener("change", (event) => {
    const input = event.target;
    if (input.matches && input.matches("input[inputmode=numeric]")) input.value = show(latin(input.value));
  });
  window.addEventListener("online", () => sendAll());

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(root.dataset.swUrl, { scope: "/visits/" }).catch(() => {});
    // the first time the worker takes the page, the data is asked again through it (it keeps the copy)
    navigator.serviceWorker.addEventListener("controllerchange", () => loadData());
  }
  loadData().then(renderOutbox).then(sendAll);
})();
