/* Twitches logged without a connection: kept on this device (IndexedDB) until they are
 * sent, then deleted. Used by the pages (js/webapp.js, js/offline.js) and by the service
 * worker (Background Sync), so it touches no page.
 *
 * Each queued twitch has a one-time key, sent as the API's Idempotency-Key: however often
 * a send is retried (a lost answer, two tabs, the worker and a page at once), the server
 * writes it once. It is dated by the time it was felt, not the time it is sent. "Again"
 * becomes a copy of the latest twitch on the server the first time it is sent, and that
 * copy is kept with it, so a retry sends exactly the same request.
 *
 * A phone can be shared, and a session can end while twitches wait. Each queued twitch
 * carries the mark of the person who logged it (webapp/owner.py: the same for one person
 * everywhere, a clue to nobody's identity), taken from the last page a signed-in person
 * opened here. It is sent only while that person is signed in, with the mark in
 * X-Queued-By so the server refuses it for anyone else; another person signed in here
 * leaves it waiting, untouched and unread.
 */
(function (scope) {
  "use strict";

  const DB = "twitchlog";
  const STORE = "queue";
  const TWITCHES = "/api/v1/twitches/";
  const SESSION = "/offline/session/";
  const COPIED = ["location", "side", "duration_seconds", "intensity", "triggers"];
  // The mark of the person last signed in on this device (js/webapp.js keeps it current).
  // Site storage, so signing out (Clear-Site-Data) forgets it with the queue.
  const OWNER = "twitchlog-queue-owner";
  const OWNER_HEADER = "X-Queued-By";

  /* The mark of the person last signed in here, or "" when none is known. */
  function owner() {
    try {
      return (scope.localStorage && scope.localStorage.getItem(OWNER)) || "";
    } catch (error) {
      return ""; // storage turned off: nobody is known, so nothing is queued
    }
  }

  function rememberOwner(mark) {
    try {
      if (scope.localStorage && mark && scope.localStorage.getItem(OWNER) !== mark) {
        scope.localStorage.setItem(OWNER, mark);
      }
    } catch (error) {
      // Storage turned off: the offline form says it cannot keep a twitch here.
    }
  }

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

  /* Queue a twitch for the person last signed in here: `fields` as the API takes them,
   * or null for "Again". Refused when nobody is known, as it could be no one's. */
  function add(fields, felt, label) {
    const mark = owner();
    if (!mark) {
      return Promise.reject(new Error("nobody has signed in on this device"));
    }
    const item = {
      key: newKey(),
      owner: mark,
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

  /* The queue as the person with `mark` may see it: their own twitches, and how many
   * twitches of how many other people wait here for them to sign in (never shown). */
  function split(items, mark) {
    const others = items.filter((item) => !mark || item.owner !== mark);
    return {
      mine: mark ? items.filter((item) => item.owner === mark) : [],
      others: others.length,
      otherOwners: new Set(others.map((item) => item.owner)).size,
    };
  }

  /* Send the signed-in person's waiting twitches, oldest first; anyone else's wait.
   * Resolves to {sent, waiting, signedOut}: `waiting` counts what is still to be sent
   * for the person signed in (everything waiting, when nobody is). */
  function send() {
    return all().then(function (items) {
      const pending = items.filter((item) => !item.problem);
      if (!pending.length) {
        return { sent: 0, waiting: 0, signedOut: false };
      }
      return fetch(SESSION, { credentials: "same-origin", cache: "no-store" })
        .then((response) => response.json())
        .then(function (session) {
          if (!session.signed_in) {
            return { sent: 0, waiting: pending.length, signedOut: true };
          }
          const owners = session.owners || [];
          rememberOwner(owners[0]);
          const isTheirs = (item) => !item.problem && owners.indexOf(item.owner) >= 0;
          const headers = {
            "Content-Type": "application/json",
            Accept: "application/json",
            "X-CSRFToken": session.csrf,
          };
          let sent = 0;
          return pending
            .filter(isTheirs)
            .reduce(function (chain, item) {
              return chain.then(function () {
                const own = Object.assign({ [OWNER_HEADER]: item.owner }, headers);
                const ready = item.body ? Promise.resolve(item) : resolveAgain(item, own);
                return ready.then(function (readyItem) {
                  return readyItem ? post(readyItem, own) : false;
                }).then(function (done) {
                  sent += done ? 1 : 0;
                });
              });
            }, Promise.resolve())
            .catch(function (failure) {
              // No connection, the server down, the session gone, or someone else
              // signed in meanwhile (the server refuses their twitch): the rest wait.
              if (failure && (failure.status === 401 || failure.status === 403)) {
                return "signed out";
              }
              return null;
            })
            .then(function (stopped) {
              return all().then((left) => ({
                sent: sent,
                waiting: left.filter(isTheirs).length,
                signedOut: stopped === "signed out",
              }));
            });
        });
    });
  }

  scope.TwitchQueue = {
    add: add,
    all: all,
    remove: remove,
    send: send,
    split: split,
    owner: owner,
    rememberOwner: rememberOwner,
    SYNC_TAG: "send-twitches",
  };
})(self);
