/* Twitches logged without a connection: kept on this device (IndexedDB) until they are
 * sent, then deleted. Used by the pages (js/webapp.js, js/offline.js) and by the service
 * worker (Background Sync), so it touches no page.
 *
 * Each queued twitch has a one-time key, sent as the API's Idempotency-Key: however often
 * a send is retried (a lost answer, two tabs, the worker and a page at once), the server
 * writes it once. It is dated by the time it was felt, not the time it is sent. "Again"
 * becomes a copy of the latest twitch on the server the first time it is sent, and that
 * copy is kept with it, so a retry sends exactly the same request.
 */
(function (scope) {
  "use strict";

  const DB = "twitchlog";
  const STORE = "queue";
  const TWITCHES = "/api/v1/twitches/";
  const SESSION = "/offline/session/";
  const COPIED = ["location", "side", "duration_seconds", "intensity", "triggers"];

  function open() {
    return new Promise(function (resolve, reject) {
      const request = scope.indexedDB.open(DB, 1);
      request.onupgradeneeded = function () {
        request.result.createObjectStore(STORE, { keyPath: "key" });
      };
      request.onsuccess = function () {
        resolve(request.result);
      };
      request.onerror = function () {
        reject(request.error);
      };
    });
  }

  function withStore(mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        const transaction = db.transaction(STORE, mode);
        const result = work(transaction.objectStore(STORE));
        transaction.oncomplete = function () {
          db.close();
          resolve(result && "result" in result ? result.result : undefined);
        };
        transaction.onerror = transaction.onabort = function () {
          db.close();
          reject(transaction.error);
        };
      });
    });
  }

  function newKey() {
    if (scope.crypto && scope.crypto.randomUUID) {
      return scope.crypto.randomUUID();
    }
    const bytes = scope.crypto.getRandomValues(new Uint8Array(16));
    return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
  }

  // RFC 3339 with the device's offset: "2026-11-30T10:05:00+01:00".
  function withOffset(date) {
    const pad = (n) => String(Math.floor(Math.abs(n))).padStart(2, "0");
    const minutes = -date.getTimezoneOffset();
    return (
      date.getFullYear() + "-" + pad(date.getMonth() + 1) + "-" + pad(date.getDate()) +
      "T" + pad(date.getHours()) + ":" + pad(date.getMinutes()) + ":" + pad(date.getSeconds()) +
      (minutes >= 0 ? "+" : "-") + pad(minutes / 60) + ":" + pad(minutes % 60)
    );
  }

  /* Queue a twitch: `fields` as the API takes them, or null for "Again". */
  function add(fields, felt, label) {
    const item = {
      key: newKey(),
      felt: withOffset(felt),
      label: label,
      body: fields ? Object.assign({}, fields, { occurred_at: withOffset(felt) }) : null,
      problem: "",
    };
    return withStore("readwrite", (store) => store.put(item)).then(() => item);
  }

  function all() {
    return withStore("readonly", (store) => store.getAll()).then(function (items) {
      return (items || []).sort((a, b) => (a.felt < b.felt ? -1 : a.felt > b.felt ? 1 : 0));
    });
  }

  function put(item) {
    return withStore("readwrite", (store) => store.put(item));
  }

  function remove(key) {
    return withStore("readwrite", (store) => store.delete(key));
  }

  function json(response) {
    return response.json().catch(() => ({}));
  }

  function problemOf(data) {
    if (data && typeof data.detail === "string") {
      return data.detail;
    }
    const first = data && Object.values(data)[0];
    return Array.isArray(first) ? String(first[0]) : "The server did not accept it.";
  }

  /* The body of an "Again": the latest twitch on the server, felt at the queued time. */
  function resolveAgain(item, headers) {
    return fetch(TWITCHES + "?page_size=1", { credentials: "same-origin", headers: headers })
      .then(function (response) {
        if (!response.ok) {
          throw { status: response.status };
        }
        return response.json();
      })
      .then(function (page) {
        const latest = page.results && page.results[0];
        if (!latest) {
          item.problem = "There was no twitch to repeat yet.";
          return put(item).then(() => null);
        }
        item.body = { occurred_at: item.felt };
        COPIED.forEach(function (name) {
          if (latest[name] !== undefined && latest[name] !== null) {
            item.body[name] = latest[name];
          }
        });
        return put(item).then(() => item);
      });
  }

  function post(item, headers) {
    return fetch(TWITCHES, {
      method: "POST",
      credentials: "same-origin",
      headers: Object.assign({ "Idempotency-Key": item.key }, headers),
      body: JSON.stringify(item.body),
    }).then(function (response) {
      if (response.status === 201) {
        return remove(item.key).then(() => true);
      }
      if (response.status === 401 || response.status === 403) {
        throw { status: response.status };
      }
      if (response.status >= 500 || response.status === 429) {
        throw { status: response.status };
      }
      // Refused as it stands (400, 404, 409): kept and shown, never sent again.
      return json(response).then(function (data) {
        item.problem = problemOf(data);
        return put(item).then(() => false);
      });
    });
  }

  /* Send what is waiting, oldest first. Resolves to {sent, waiting, signedOut}. */
  function send() {
    return all().then(function (items) {
      const pending = items.filter((item) => !item.problem);
      if (!pending.length) {
        return { sent: 0, waiting: items.length, signedOut: false };
      }
      return fetch(SESSION, { credentials: "same-origin", cache: "no-store" })
        .then((response) => response.json())
        .then(function (session) {
          if (!session.signed_in) {
            return { sent: 0, waiting: items.length, signedOut: true };
          }
          const headers = {
            "Content-Type": "application/json",
            Accept: "application/json",
            "X-CSRFToken": session.csrf,
          };
          let sent = 0;
          return pending
            .reduce(function (chain, item) {
              return chain.then(function () {
                const ready = item.body ? Promise.resolve(item) : resolveAgain(item, headers);
                return ready.then(function (readyItem) {
                  return readyItem ? post(readyItem, headers) : false;
                }).then(function (done) {
                  sent += done ? 1 : 0;
                });
              });
            }, Promise.resolve())
            .catch(function (failure) {
              // No connection, the server down, or the session gone: the rest wait.
              if (failure && (failure.status === 401 || failure.status === 403)) {
                return "signed out";
              }
              return null;
            })
            .then(function (stopped) {
              return all().then((left) => ({
                sent: sent,
                waiting: left.length,
                signedOut: stopped === "signed out",
              }));
            });
        });
    });
  }

  scope.TwitchQueue = { add: add, all: all, remove: remove, send: send, SYNC_TAG: "send-twitches" };
})(self);
