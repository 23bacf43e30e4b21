// simdeck's service worker: after a first visit the deck works with no network.
// The build (xtask prerender) stamps VERSION with a hash of every file in the site
// and PRECACHE with their paths, so a new deploy is a new worker with a new cache.
// The page and navigations go to the network first (a new deploy is seen at once),
// the cache only when offline; every other file is content-hashed: cache first,
// and kept once fetched (the presenter module, which only a presenter window loads,
// is not in PRECACHE).
const VERSION = "__SIMDECK_VERSION__";
const PRECACHE = __SIMDECK_PRECACHE__;
const CACHE = "simdeck-" + VERSION;
const PAGE = new URL("./", self.registration.scope).href;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE)
      .then((cache) => cache.addAll(PRECACHE.map((path) => new URL(path, self.registration.scope).href)))
      .then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith("simdeck-") && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim())
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (request.mode === "navigate" || url.href.split(/[?#]/)[0] === PAGE) {
    event.respondWith(
      fetch(request)
        .then((response) => {
          if (response.ok) {
            const copy = response.clone();
            caches.open(CACHE).then((cache) => cache.put(PAGE, copy));
          }
          return response;
        })
        .catch(() => caches.open(CACHE).then((cache) => cache.match(PAGE)).then((hit) => hit || Response.error()))
    );
    return;
  }
  event.respondWith(
    caches.open(CACHE).then((cache) =>
      cache.match(request, { ignoreSearch: true }).then((hit) => hit || fetch(request).then((response) => {
        if (response.ok) cache.put(request, response.clone());
        return response;
      }))
    )
  );
});
