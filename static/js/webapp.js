/* Every page: register the service worker (/sw.js), which keeps the app shell for use
 * without a connection, and show and send the twitches logged offline (js/queue.js):
 * "waiting to send" at the top of the page, sent when the connection returns (by
 * Background Sync where the browser has it, else on the next online or visibility
 * event), and held for sign-in when the session has ended. Each person sees and sends
 * only their own: twitches another account logged here are counted, never shown, and
 * wait for that account (js/queue.js).
 */
(function () {
  "use strict";

  // The installed app's "Again" shortcut opens the home page at #again: the button to
  // log the last twitch once more is then the one in focus, one tap or Enter away.
  if (window.location.hash === "#again") {
    document.addEventListener("DOMContentLoaded", function () {
      const again = document.querySelector('form[action$="/again/"] button:not([disabled])');
      if (again) {
        again.focus();
      }
    });
  }

  const script = document.currentScript;
  const queue = window.TwitchQueue;
  // A signed-in page names its person's mark: what is queued from now on is theirs.
  const signedInAs = (script && script.dataset.owner) || "";
  if (queue && signedInAs) {
    queue.rememberOwner(signedInAs);
  }

  function plural(count) {
    return count + (count === 1 ? " twitch" : " twitches");
  }

  // Only how many, and never what or when: they are someone else's.
  function othersText(count, accounts) {
    const one = count === 1;
    const whose = accounts > 1
      ? " by other accounts " + (one ? "is" : "are") + " waiting for those accounts to log in."
      : " by another account " + (one ? "is" : "are") + " waiting for that account to log in.";
    const notYours = signedInAs
      ? (one ? " It will not go into your journal." : " They will not go into your journal.")
      : "";
    return plural(count) + " logged on this device" + whose + notYours;
  }

  function timeOf(iso) {
    const date = new Date(iso);
    return date.toLocaleString(undefined, {
      weekday: "short",
      hour: "2-digit",
      minute: "2-digit",
    });
  }

  // The "waiting to send" panel, made once and kept at the top of the page's main part.
  let panel = null;
  let live = null;
  function ensurePanel() {
    if (panel) {
      return panel;
    }
    live = document.createElement("p");
    live.setAttribute("role", "status");
    live.className = "queue-message mb-2";
    panel = document.createElement("section");
    panel.className = "queue-panel card card-body mb-3";
    panel.setAttribute("aria-labelledby", "queue-heading");
    panel.innerHTML =
      '<h2 id="queue-heading" class="h6 mb-2">Waiting to send</h2>' +
      '<ul class="queue-list list-unstyled mb-2"></ul>' +
      '<p class="queue-others mb-2" hidden></p>' +
      '<button type="button" class="btn btn-outline-primary btn-sm queue-send">Send now</button>';
    panel.querySelector(".queue-send").addEventListener("click", send);
    // At the top of the page, or where the page keeps a place for it (the offline page).
    const place = document.getElementById("queue-place");
    const main = document.querySelector("main");
    if (place) {
      place.append(live, panel);
    } else if (main) {
      main.prepend(live, panel);
    }
    return panel;
  }

  function say(text) {
    ensurePanel();
    live.textContent = text;
  }

  function show(result) {
    return queue.all().then(function (items) {
      const { mine, others, otherOwners } = queue.split(items, queue.owner());
      if (!mine.length && !others && !panel) {
        return;
      }
      ensurePanel();
      panel.hidden = !mine.length && !others;
      const list = panel.querySelector(".queue-list");
      list.hidden = !mine.length;
      list.replaceChildren(
        ...mine.map(function (item) {
          const row = document.createElement("li");
          row.textContent = item.label + " \u00b7 felt " + timeOf(item.felt) +
            (item.problem ? " \u00b7 not sent: " + item.problem : " \u00b7 waiting to send");
          return row;
        })
      );
      const othersLine = panel.querySelector(".queue-others");
      othersLine.hidden = !others;
      othersLine.textContent = others ? othersText(others, otherOwners) : "";
      const waiting = mine.filter((item) => !item.problem).length;
      panel.querySelector(".queue-send").hidden = !waiting;
      if (result && result.sent) {
        say("Sent " + plural(result.sent) + " logged without a connection." +
          (waiting ? " " + plural(waiting) + " still waiting." : ""));
      } else if (result && result.signedOut && waiting) {
        live.innerHTML = "";
        live.append(plural(waiting) + " waiting to send: ");
        const link = document.createElement("a");
        link.href = "/accounts/login/";
        const one = waiting === 1;
        link.textContent = one ? "log in to send it" : "log in to send them";
        live.append(link, one ? ". It stays on this device until then." : ". They stay on this device until then.");
      } else if (waiting) {
        say(plural(waiting) + " waiting to send when the connection returns.");
      }
    });
  }

  let sending = null;
  function send() {
    if (!queue || sending) {
      return sending;
    }
    sending = queue
      .send()
      .then(show, function () {
        return show(null);
      })
      .finally(function () {
        sending = null;
      });
    return sending;
  }

  function askForSync() {
    if (!("serviceWorker" in navigator)) {
      return;
    }
    navigator.serviceWorker.ready
      .then(function (registration) {
        return registration.sync && registration.sync.register(queue.SYNC_TAG);
      })
      .catch(function () {
        // No Background Sync here: the online and visibility events send instead.
      });
  }

  if (queue && window.indexedDB) {
    document.addEventListener("DOMContentLoaded", function () {
      show(null).then(function () {
        if (navigator.onLine) {
          send();
        }
      });
    });
    document.addEventListener("twitchlog:queued", function () {
      show(null).then(function () {
        askForSync();
        if (navigator.onLine) {
          send();
        }
      });
    });
    window.addEventListener("online", send);
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "visible" && navigator.onLine) {
        send();
      }
    });
    if ("serviceWorker" in navigator) {
      navigator.serviceWorker.addEventListener("message", function (event) {
        if (event.data && event.data.type === "queue-sent") {
          show(event.data.result);
        }
      });
    }
  }

  if (!("serviceWorker" in navigator) || !script) {
    return;
  }
  const worker = script.dataset.serviceWorker;
  // After the page has loaded, so that fetching the shell never slows the page itself.
  window.addEventListener("load", function () {
    navigator.serviceWorker.register(worker, { scope: "/" }).catch(function () {
      // An old browser or a private window without storage: the pages work as before.
    });
  });
})();
