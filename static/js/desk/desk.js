/* The staff desks (pickup and check-in): find a code, show it big, act,
 * undo; offline first. Today's list comes from a signed snapshot kept in
 * IndexedDB; every hand-over or check-in is first written to a queue in
 * IndexedDB (with its scan time and a one-time nonce), then uploaded; the
 * server applies each nonce once and answers applied / duplicate / conflict.
 * Nothing here needs the network to show the list or record an action. */
(function () {
  "use strict";

  var body = document.body;
  var DESK = body.dataset.desk;
  var API = body.dataset.api;
  var KIND = body.dataset.kind;
  var USER = body.dataset.user;
  var UNDO_MS = parseInt(body.dataset.undoMinutes || "10", 10) * 60000;
  var T = JSON.parse(document.getElementById("desk-strings").textContent);
  var DONE = { pickup: "collected", check_in: "checked_in" }[DESK];
  var OPEN = { pickup: ["placed", "ready"], check_in: ["confirmed", "paid", "no_show"] }[DESK];
  var MISSED = { pickup: "expired", check_in: "no_show" }[DESK];

  var state = {
    snapshot: null, // {data: {generated_at, items}, signed}
    queue: [], // queued actions, oldest first
    conflicts: [],
    current: null, // the code shown
    recent: {}, // code -> time of the hand-over/check-in made here (for undo)
    csrf: (document.querySelector("input[name=csrfmiddlewaretoken]") || {}).value || "",
    online: navigator.onLine,
    syncing: false,
  };

  function fmt(text, values) {
    return String(text).replace(/%\((\w+)\)s/g, function (_m, key) {
      return values && key in values ? values[key] : "";
    });
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      if (key === "text") node.textContent = attrs[key];
      else if (key === "className") node.className = attrs[key];
      else node.setAttribute(key, attrs[key]);
    });
    (children || []).forEach(function (child) {
      if (child) node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  function timeOf(iso) {
    var d = new Date(iso);
    return ("0" + d.getHours()).slice(-2) + ":" + ("0" + d.getMinutes()).slice(-2);
  }

  /* The code in what was typed or scanned: the same rule as core.codes.normalise. */
  function normalise(text) {
    text = (text || "").normalize("NFKC").trim().slice(0, 2048);
    if (text.indexOf("code=") !== -1) {
      try {
        text = new URL(text, location.href).searchParams.get("code") || "";
      } catch (e) {
        text = "";
      }
    }
    return text.toUpperCase().replace(/[^A-Z0-9]/g, "").slice(0, 32);
  }

  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64;
    b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return ("0" + x.toString(16)).slice(-2); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  /* --- IndexedDB: the snapshot, the queue, the conflicts -------------------------- */

  var dbPromise = new Promise(function (resolve, reject) {
    var request = indexedDB.open("desk-" + DESK + "-" + USER, 1);
    request.onupgradeneeded = function () {
      var db = request.result;
      db.createObjectStore("snapshot");
      db.createObjectStore("queue", { keyPath: "nonce" });
    };
    request.onsuccess = function () { resolve(request.result); };
    request.onerror = function () { reject(request.error); };
  });

  function store(name, mode, work) {
    return dbPromise.then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(name, mode);
        var result = work(tx.objectStore(name));
        tx.oncomplete = function () { resolve(result && "result" in result ? result.result : result); };
        tx.onerror = function () { reject(tx.error); };
        tx.onabort = function () { reject(tx.error); };
      });
    });
  }

  function loadLocal() {
    return Promise.all([
      store("snapshot", "readonly", function (s) { return s.get("current"); }),
      store("queue", "readonly", function (s) { return s.getAll(); }),
      store("snapshot", "readonly", function (s) { return s.get("recent"); }),
    ]).then(function (found) {
      if (found[0]) state.snapshot = found[0];
      state.recent = found[2] || {};
      state.queue = (found[1] || []).sort(function (a, b) { return a.scanned_at < b.scanned_at ? -1 : 1; });
    });
  }

  /* --- Talking to the server -------------------------------------------------------- */

  function api(path, options) {
    options = options || {};
    var init = { method: options.method || "GET", credentials: "same-origin", headers: { Accept: "application/json" } };
    if (options.body !== undefined) {
      init.body = JSON.stringify(options.body);
      init.headers["Content-Type"] = "application/json";
      init.headers["X-CSRFToken"] = state.csrf;
    }
    return fetch(API + path, init).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (type.indexOf("json") === -1) {
        var error = new Error("signed out");
        error.signedOut = true;
        throw error;
      }
      return response.json().then(function (data) {
        if (!response.ok) {
          var failure = new Error(data.detail || T.error);
          failure.status = response.status;
          failure.data = data;
          throw failure;
        }
        return data;
      });
    });
  }

  function setOnline(online, signedOut) {
    state.online = online;
    state.signedOut = !!signedOut;
    renderStatus();
  }

  function refreshSnapshot() {
    return api("snapshot").then(function (data) {
      state.csrf = data.csrf || state.csrf;
      state.snapshot = { data: data.data, signed: data.signed, saved_at: new Date().toISOString() };
      setOnline(true);
      return store("snapshot", "readwrite", function (s) { s.put(state.snapshot, "current"); });
    }).catch(function (error) {
      setOnline(false, error.signedOut);
    }).then(render);
  }

  function refreshConflicts() {
    return api("conflicts").then(function (data) {
      state.conflicts = data.conflicts;
      renderConflicts();
    }).catch(function () {});
  }

  function mergeItems(items) {
    if (!state.snapshot || !items) return;
    var byCode = {};
    items.forEach(function (item) { byCode[item.code] = item; });
    var list = state.snapshot.data.items;
    list.forEach(function (item, index) {
      if (byCode[item.code]) {
        list[index] = byCode[item.code];
        delete byCode[item.code];
      }
    });
    Object.keys(byCode).forEach(function (code) { list.push(byCode[code]); });
    store("snapshot", "readwrite", function (s) { s.put(state.snapshot, "current"); });
  }

  /* Uploads the whole queue; each answered action leaves it. */
  function flush() {
    if (state.syncing || !state.queue.length) return Promise.resolve();
    state.syncing = true;
    var batch = state.queue.slice(0, 500);
    var sent = batch.map(function (a) {
      return { nonce: a.nonce, kind: a.kind, code: a.code, scanned_at: a.scanned_at, payment_method: a.payment_method };
    });
    return api("sync", { method: "POST", body: { actions: sent } }).then(function (data) {
      setOnline(true);
      var answered = {};
      var applied = 0;
      data.results.forEach(function (result) {
        answered[result.nonce] = true;
        if (result.result === "applied" || result.result === "duplicate") applied += 1;
      });
      mergeItems(data.items);
      return store("queue", "readwrite", function (s) {
        Object.keys(answered).forEach(function (nonce) { s.delete(nonce); });
      }).then(function () {
        state.queue = state.queue.filter(function (a) { return !answered[a.nonce]; });
        if (applied) announce(fmt(T.synced_n, { n: applied }));
        return refreshConflicts();
      });
    }).catch(function (error) {
      if (error.status === 403 && !error.signedOut) {
        // A stale CSRF token (the page came from the offline cache): fetch a fresh one.
        return refreshSnapshot();
      }
      setOnline(false, error.signedOut);
    }).then(function () {
      state.syncing = false;
      render();
      if (state.online && state.queue.length && state.queue.length !== batch.length) return flush();
    });
  }

  /* --- What the clerk does ---------------------------------------------------------- */

  function items() {
    return state.snapshot ? state.snapshot.data.items : [];
  }

  function localItem(code) {
    return items().filter(function (item) { return item.code === code; })[0] || null;
  }

  function queuedFor(code) {
    return state.queue.filter(function (a) { return a.code === code; })[0] || null;
  }

  function find(raw) {
    var code = normalise(raw);
    if (!code) return;
    state.current = code;
    var local = localItem(code);
    show(local, code);
    if (!navigator.onLine && !state.online) return;
    api("find?code=" + encodeURIComponent(code)).then(function (data) {
      setOnline(true);
      mergeItems([data.item]);
      show(data.item, code);
    }).catch(function (error) {
      if (error.status === 404) {
        show(null, code, T.not_found);
      } else {
        setOnline(false, error.signedOut);
        show(local, code);
      }
    });
  }

  function act(item, payment) {
    var action = {
      nonce: uuid(),
      kind: KIND,
      code: item.code,
      scanned_at: new Date().toISOString(),
      payment_method: payment || "",
    };
    state.recent[item.code] = Date.now();
    state.queue.push(action);
    saveRecent();
    return store("queue", "readwrite", function (s) { s.put(action); }).then(function () {
      show(localItem(item.code) || item, item.code);
      render();
      return flush();
    }).then(function () { show(localItem(item.code) || item, item.code); });
  }

  /* When each hand-over or check-in was made here: its undo button outlives a closed tab. */
  function saveRecent() {
    var now = Date.now();
    Object.keys(state.recent).forEach(function (code) {
      if (now - state.recent[code] > UNDO_MS) delete state.recent[code];
    });
    store("snapshot", "readwrite", function (s) { s.put(state.recent, "recent"); });
  }

  function undo(item) {
    var queued = queuedFor(item.code);
    var done;
    if (queued) {
      // Not uploaded yet: it simply leaves the queue.
      state.queue = state.queue.filter(function (a) { return a.nonce !== queued.nonce; });
      done = store("queue", "readwrite", function (s) { s.delete(queued.nonce); });
    } else {
      done = api("undo", { method: "POST", body: { code: item.code } }).then(function (data) {
        mergeItems([data.item]);
      });
    }
    return done.then(function () {
      delete state.recent[item.code];
      saveRecent();
      announce(T.undone);
      render();
      show(localItem(item.code) || item, item.code);
    }).catch(function (error) {
      announce(fmt(T.undo_failed, { reason: error.message }));
    });
  }

  /* --- Drawing ------------------------------------------------------------------------- */

  function effective(item) {
    var queued = queuedFor(item.code);
    var paidNow = !!(queued && queued.payment_method && queued.payment_method !== "later");
    return { status: queued ? DONE : item.status, queued: !!queued, paid: item.paid || paidNow };
  }

  function announce(text) {
    var box = document.getElementById("desk-camera-msg");
    box.hidden = false;
    box.textContent = text;
  }

  function show(item, code, message) {
    var box = document.getElementById("desk-result");
    box.hidden = false;
    box.textContent = "";
    if (!item) {
      box.appendChild(el("p", { className: "desk-notfound", text: message || (state.online ? T.not_found : T.not_found_offline) }));
      box.appendChild(el("p", { className: "desk-code-big", text: code }));
      return;
    }
    var now = effective(item);
    var card = el("article", { className: "desk-card desk-status-" + now.status });
    card.appendChild(el("p", { className: "desk-code-big", text: item.code_display }));
    card.appendChild(el("h2", { className: "desk-name", text: item.name }));
    if (item.departure) card.appendChild(el("p", { className: "desk-departure", text: item.departure }));
    if (item.note) card.appendChild(el("p", { className: "desk-note", text: item.note }));
    var status = now.queued ? T.done_offline : item.status_label;
    card.appendChild(el("p", { className: "desk-badges" }, [
      el("span", { className: "desk-badge desk-badge-" + now.status, text: status }),
      el("span", { className: "desk-badge " + (now.paid ? "desk-badge-paid" : "desk-badge-unpaid"), text: now.paid ? T.paid : T.unpaid }),
    ]));
    var lines = el("ul", { className: "desk-lines", "aria-label": T.lines });
    item.lines.forEach(function (line) {
      lines.appendChild(el("li", {}, [
        el("span", { text: line.name + (line.variant && line.variant !== line.name ? " · " + line.variant : "") }),
        el("span", { className: "desk-qty", text: line.quantity > 1 || DESK === "pickup" ? "× " + line.quantity : "" }),
      ]));
    });
    card.appendChild(lines);
    card.appendChild(el("p", { className: "desk-total" }, [T.total + " ", el("strong", { text: "¥" + item.total })]));

    if (OPEN.indexOf(now.status) !== -1) {
      var form = el("form", { className: "desk-act" });
      var needsPayment = DESK === "pickup" || !now.paid;
      if (needsPayment) {
        var fieldset = el("fieldset", { className: "desk-pays" }, [el("legend", { text: T.payment })]);
        fieldset.appendChild(document.getElementById("desk-payment-choices").content.cloneNode(true));
        form.appendChild(fieldset);
      }
      var error = el("p", { className: "desk-error", role: "alert" });
      form.appendChild(error);
      form.appendChild(el("button", { type: "submit", className: "desk-btn desk-btn-primary", text: T.action }));
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        var choice = form.querySelector("input[name=payment_method]:checked");
        if (needsPayment && !choice) {
          error.textContent = T.choose_payment;
          return;
        }
        form.querySelector("button[type=submit]").disabled = true;
        act(item, choice ? choice.value : "");
      });
      card.appendChild(form);
    } else if (now.status === DONE) {
      card.appendChild(el("p", { className: "desk-done", text: now.queued ? T.done_offline : T.done }));
      var at = state.recent[item.code];
      if (at && Date.now() - at < UNDO_MS) {
        var button = el("button", { type: "button", className: "desk-btn desk-btn-secondary desk-undo", text: fmt(T.undo, { time: timeOf(at + UNDO_MS) }) });
        button.addEventListener("click", function () { button.disabled = true; undo(item); });
        card.appendChild(button);
      }
    } else {
      card.appendChild(el("p", { className: "desk-closed", text: fmt(T.closed, { status: item.status_label }) }));
    }
    box.appendChild(card);
  }

  function renderStatus() {
    var net = document.getElementById("desk-net");
    var text = document.getElementById("desk-net-text");
    var snapshotTime = state.snapshot ? timeOf(state.snapshot.data.generated_at) : null;
    net.className = "desk-net " + (state.online ? "is-online" : "is-offline");
    if (state.signedOut) text.textContent = T.signed_out;
    else if (state.online) text.textContent = state.queue.length ? fmt(T.queued, { n: state.queue.length }) : T.online;
    else {
      text.textContent = (snapshotTime ? fmt(T.offline, { time: snapshotTime }) : T.offline_nocopy) +
        (state.queue.length ? " · " + fmt(T.queued, { n: state.queue.length }) : "");
    }
    document.getElementById("count-queued").textContent = state.queue.length;
    document.getElementById("desk-snapshot-age").textContent = snapshotTime ? fmt(T.copy_of, { time: snapshotTime }) : "";
  }

  function isToday(item) {
    if (!item.date) return true;
    var d = new Date();
    var today = d.getFullYear() + "-" + ("0" + (d.getMonth() + 1)).slice(-2) + "-" + ("0" + d.getDate()).slice(-2);
    return item.date === today;
  }

  function render() {
    renderStatus();
    var list = document.getElementById("desk-list");
    list.textContent = "";
    var counts = { expected: 0, done: 0, missed: 0 };
    items().forEach(function (item) {
      var now = effective(item);
      if (isToday(item) && now.status !== "cancelled") {
        counts.expected += 1;
        if (now.status === DONE) counts.done += 1;
        if (now.status === MISSED) counts.missed += 1;
      }
      var button = el("button", { type: "button", className: "desk-row desk-status-" + now.status }, [
        el("span", { className: "desk-row-code", text: item.code_display }),
        el("span", { className: "desk-row-name", text: item.name + (item.departure ? " · " + item.departure : "") }),
        el("span", { className: "desk-row-status", text: now.queued ? T.not_synced : item.status_label }),
      ]);
      button.addEventListener("click", function () {
        document.getElementById("desk-code").value = item.code;
        find(item.code);
        document.getElementById("desk-result").focus();
      });
      list.appendChild(el("li", { "data-code": item.code, "data-status": now.status }, [button]));
    });
    document.getElementById("count-expected").textContent = counts.expected;
    document.getElementById("count-done").textContent = counts.done;
    document.getElementById("count-missed").textContent = counts.missed;
    if (state.current) {
      var current = localItem(state.current);
      if (current) show(current, state.current);
    }
  }

  function renderConflicts() {
    var section = document.getElementById("desk-conflicts");
    var list = document.getElementById("desk-conflict-list");
    list.textContent = "";
    section.hidden = !state.conflicts.length;
    state.conflicts.forEach(function (conflict) {
      var resolve = el("button", { type: "button", className: "desk-btn desk-btn-secondary desk-resolve", text: T.resolved });
      resolve.addEventListener("click", function () {
        resolve.disabled = true;
        api("conflicts", { method: "POST", body: { nonce: conflict.nonce } }).then(function (data) {
          state.conflicts = data.conflicts;
          renderConflicts();
        }).catch(function (error) { resolve.disabled = false; announce(error.message); });
      });
      var open = el("button", { type: "button", className: "desk-btn desk-btn-secondary", text: T.open });
      open.addEventListener("click", function () {
        document.getElementById("desk-code").value = conflict.code;
        find(conflict.code);
      });
      list.appendChild(el("li", { className: "desk-conflict", "data-code": conflict.code }, [
        el("p", {}, [el("strong", { text: conflict.code }), " · " + timeOf(conflict.scanned_at)]),
        el("p", { text: conflict.message }),
        el("p", { className: "desk-conflict-actions" }, [open, resolve]),
      ]));
    });
  }

  /* --- Wiring -------------------------------------------------------------------------- */

  document.getElementById("desk-scan").addEventListener("submit", function (event) {
    event.preventDefault();
    var input = document.getElementById("desk-code");
    find(input.value);
    input.select();
  });

  window.addEventListener("online", function () { refreshSnapshot().then(flush).then(refreshConflicts); });
  window.addEventListener("offline", function () { setOnline(false); });
  setInterval(function () { if (state.queue.length) flush(); }, 30000);

  // The camera (scan.js) hands what it read to the same box.
  window.deskScanned = function (text) {
    var input = document.getElementById("desk-code");
    input.value = normalise(text);
    find(text);
  };

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/vendor/desk/sw.js", { scope: "/vendor/desk/" }).catch(function () {});
    navigator.serviceWorker.ready.then(function (registration) {
      var urls = [location.pathname];
      document.querySelectorAll("script[src], link[rel=stylesheet], link[rel=icon], link[rel=manifest]").forEach(function (node) {
        urls.push(node.getAttribute("src") || node.getAttribute("href"));
      });
      if (registration.active) registration.active.postMessage({ keep: urls });
    });
  }

  loadLocal().then(function () {
    render();
    return refreshSnapshot();
  }).then(flush).then(refreshConflicts).then(function () {
    body.setAttribute("data-ready", "1");
  });
})();
