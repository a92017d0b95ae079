/* TwitchLog's service worker. /sw.js serves this file with one line in front of it:
 *   const SHELL = {version, urls, offline};   (webapp/shell.py)
 *
 * It keeps the app shell (style sheets, scripts, icons and the offline page, the same
 * for everyone) and nothing else: no page with anyone's data is ever stored here, and
 * those pages are sent no-store besides. A page that cannot load for want of a
 * connection shows the offline page instead. A new release has a new version: its
 * worker takes over at once and deletes the caches of the versions before it.
 *
 * Background Sync: twitches logged offline (js/queue.js) are sent when the connection
 * returns, even with no page open; each carries its one-time key, so the pages sending
 * too never writes one twice.
 */
"use strict";

importScripts(SHELL.queue);

const CACHE = "twitchlog-shell-" + SHELL.version;
const KEPT = new Set(SHELL.urls);

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(SHELL.urls))
      .then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) =>
        Promise.all(names.filter((name) => name !== CACHE).map((name) => caches.delete(name)))
      )
      .then(() => self.clients.claim())
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") {
    return;
  }
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) {
    return;
  }
  if (request.mode === "navigate") {
    // Always the network: only when there is none, the offline page.
    event.respondWith(
      fetch(request).catch(() =>
        caches.open(CACHE).then((cache) => cache.match(SHELL.offline))
      )
    );
    return;
  }
  if (KEPT.has(url.pathname)) {
    event.respondWith(
      caches
        .open(CACHE)
        .then((cache) => cache.match(request))
        .then((kept) => kept || fetch(request))
    );
  }
});

self.addEventListener("sync", (event) => {
  if (event.tag !== TwitchQueue.SYNC_TAG) {
    return;
  }
  event.waitUntil(
    TwitchQueue.send().then((result) =>
      self.clients.matchAll({ type: "window" }).then((pages) => {
        pages.forEach((page) => page.postMessage({ type: "queue-sent", result: result }));
        if (result.waiting && !result.signedOut && !result.sent) {
          // Still no connection: the browser tries this sync again later.
          throw new Error("twitches still waiting");
        }
      })
    )
  );
});
