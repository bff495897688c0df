{% load static %}/* The service worker of the inspector's offline app (scope /visits/), served by visits.field_views.field_sw.
   - install: the app's shell (its page, scripts, styles, font) is put in a cache named by its files' version;
   - the page (/visits/field/) and its data (data.json): network first, the cached copy when there is no network
     (a copy from the cache is marked with the header X-Taavon-From-Cache: 1);
   - static files of the shell: cache first;
   - anything else, and every POST (the reports), goes to the network untouched. */
"use strict";

const SHELL = "{% url 'visits:field' %}";
const DATA = "{% url 'visits:field_data' %}";
const ASSETS = [
  "{% static 'vendor/bootstrap/bootstrap.rtl.min.css' %}",
  "{% static 'vendor/bootstrap/bootstrap.min.css' %}",
  "{% static 'vendor/bootstrap/bootstrap.bundle.min.js' %}",
  "{% static 'vendor/htmx/htmx.min.js' %}",
  "{% static 'vendor/vazirmatn/vazirmatn.css' %}",
  "{% static 'vendor/vazirmatn/fonts/Vazirmatn-Regular.woff2' %}",
  "{% static 'vendor/vazirmatn/fonts/Vazirmatn-Medium.woff2' %}",
  "{% static 'vendor/vazirmatn/fonts/Vazirmatn-Bold.woff2' %}",
  "{% static 'taavon/taavon.css' %}",
  "{% static 'taavon/taavon.js' %}",
  "{% static 'taavon/jalali.js' %}",
  "{% static 'taavon/jalali-picker.js' %}",
  "{% static 'taavon/visits-field.css' %}",
  "{% static 'taavon/visits-field.js' %}",
  "{% static 'taavon/icons/visits-192.png' %}",
];
// a new list of files (new hashed names) makes a new cache; the old ones go on activate
const CACHE = "taavon-field-" + ASSETS.join("|").length + "-" + ASSETS.join("|").split("").reduce((h, c) => (h * 31 + c.charCodeAt(0)) | 0, 7);

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      await cache.addAll(ASSETS);
      for (const url of [SHELL, DATA]) {
        try {
          const response = await fetch(new Request(url, { credentials: "same-origin" }));
          if (response.ok && !response.redirected) await cache.put(url, response);
        } catch (e) {
          // no network: cached on the next visit
        }
      }
      await self.skipWaiting();
    })()
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      const names = await caches.keys();
      await Promise.all(names.filter((n) => n.startsWith("taavon-field-") && n !== CACHE).map((n) => caches.delete(n)));
      await self.clients.claim();
    })()
  );
});

async function networkFirst(request, key) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    // only the page and data themselves (not a redirect to the login page, not an error) replace the copy
    if (response.ok && !response.redirected) await cache.put(key, response.clone());
    return response;
  } catch (e) {
    const cached = await cache.match(key);
    if (!cached) throw e;
    const headers = new Headers(cached.headers);
    headers.set("X-Taavon-From-Cache", "1");
    return new Response(await cached.blob(), { status: cached.status, statusText: cached.statusText, headers });
  }
}

async function cacheFirst(request) {
  const cached = await caches.match(request, { cacheName: CACHE });
  return cached || fetch(request);
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return; // the reports go to the network as they are
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname === SHELL) {
    event.respondWith(networkFirst(request, SHELL));
  } else if (url.pathname === DATA) {
    event.respondWith(networkFirst(request, DATA));
  } else if (ASSETS.includes(url.pathname)) {
    event.respondWith(cacheFirst(request));
  }
});
