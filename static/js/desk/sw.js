/* The desks' service worker (served at /vendor/desk/sw.js, scope
 * /vendor/desk/): keeps the desk pages and their static files so a desk
 * opens with no network. Pages: network first, the kept copy when offline.
 * Static files: the kept copy, refreshed in the background. The JSON
 * endpoints are never kept here: the page keeps its data in IndexedDB. */
"use strict";

var CACHE = "desk-shell-v1";
var PAGES = ["/vendor/desk/pickup/", "/vendor/desk/check-in/"];
// The static files are the ones each desk page names (hashed in production):
// the page posts their URLs once this worker is active ({keep: [...]}).

function keep(cache, url) {
  // One at a time and forgiving: a clerk of one desk gets a 403 for the other.
  return fetch(url, { credentials: "same-origin" })
    .then(function (response) {
      if (response.ok && !response.redirected) return cache.put(url, response);
    })
    .catch(function () {});
}

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(CACHE).then(function (cache) {
      return Promise.all(PAGES.map(function (url) { return keep(cache, url); }));
    }).then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (keys) {
      return Promise.all(keys.filter(function (key) { return key !== CACHE; }).map(function (key) { return caches.delete(key); }));
    }).then(function () { return self.clients.claim(); })
  );
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== location.origin) return;
  var isPage = request.mode === "navigate" && PAGES.indexOf(url.pathname) !== -1;
  var isStatic = url.pathname.indexOf("/static/") === 0;
  if (isPage) {
    event.respondWith(
      fetch(request).then(function (response) {
        if (response.ok && !response.redirected) {
          var copy = response.clone();
          caches.open(CACHE).then(function (cache) { cache.put(url.pathname, copy); });
        }
        return response;
      }).catch(function () {
        return caches.match(url.pathname).then(function (kept) {
          return kept || new Response("offline", { status: 503, headers: { "Content-Type": "text/plain" } });
        });
      })
    );
  } else if (isStatic) {
    event.respondWith(
      caches.match(url.pathname).then(function (kept) {
        var fresh = fetch(request).then(function (response) {
          if (response.ok) {
            var copy = response.clone();
            caches.open(CACHE).then(function (cache) { cache.put(url.pathname, copy); });
          }
          return response;
        }).catch(function () { return kept || Response.error(); });
        return kept || fresh;
      })
    );
  }
});

self.addEventListener("message", function (event) {
  var urls = (event.data && event.data.keep) || [];
  event.waitUntil(
    caches.open(CACHE).then(function (cache) {
      return Promise.all(urls.filter(function (url) {
        return new URL(url, location.origin).origin === location.origin;
      }).map(function (url) {
        return cache.match(new URL(url, location.origin).pathname).then(function (kept) {
          return kept || keep(cache, new URL(url, location.origin).pathname);
        });
      }));
    })
  );
});
