// The console page: one script, no framework, no inline code (the CSP forbids it). All text from the server is
// put in the page with textContent, never as HTML.
"use strict";
(function () {
  const TYPE_LABEL = { snow: "Snow", flood: "Flood", open_manhole: "Open manhole", dumping: "Dumping" };
  const STATE_LABEL = { DETECTED: "Detected", PENDING_REVIEW: "Pending review", CONFIRMED: "Confirmed",
    DISPATCHED: "Dispatched", RESOLVED: "Resolved", REJECTED: "Rejected", EXPIRED: "Expired" };
  const ROLE_ORDER = { before: 0, during: 1, after: 2, vehicle: 3, frame: 4 };
  const ACTION_STYLE = { confirm: "btn-ok", reject: "btn-bad", dispatch: "btn-primary", resolve: "btn-warn" };
  const ACTION_LABEL = { confirm: "Confirm", reject: "Reject as false", dispatch: "Dispatch", resolve: "Resolve" };

  const $ = id => document.getElementById(id);
  const state = { me: null, incidents: new Map(), order: [], selected: null, events: null, sites: [], siteCache: new Map(),
    camOffset: 0, camState: "", auditOffset: 0, pending: null };

  function h(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const k in attrs || {}) {
      const v = attrs[k];
      if (v == null || v === false) continue;
      if (k === "class") e.className = v;
      else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v === true ? "" : v);
    }
    for (const c of children.flat()) if (c != null) e.append(c instanceof Node ? c : String(c));
    return e;
  }

  async function api(method, path, body) {
    const opts = { method, credentials: "same-origin", headers: { "Accept": "application/json" } };
    // Every state change is JSON, {} when there is nothing to say: the server refuses any other type (CSRF).
    if (method !== "GET") { opts.headers["Content-Type"] = "application/json"; opts.body = JSON.stringify(body === undefined ? {} : body); }
    const r = await fetch(path, opts);
    const text = await r.text();
    let data = null;
    try { data = text ? JSON.parse(text) : null; } catch (e) { data = { error: text }; }
    if (!r.ok) {
      const err = new Error((data && data.error) || ("HTTP " + r.status));
      err.status = r.status;
      if (r.status === 401 && path !== "/api/login") showLogin();
      throw err;
    }
    return data;
  }

  function toast(msg, bad) {
    const t = $("toast");
    t.textContent = msg;
    t.className = "toast" + (bad ? " bad" : "");
    clearTimeout(toast.timer);
    toast.timer = setTimeout(() => t.classList.add("hidden"), 4000);
  }

  function ago(iso) {
    if (!iso) return "";
    const s = Math.max(0, (Date.now() - Date.parse(iso)) / 1000);
    if (s < 60) return Math.round(s) + " s ago";
    if (s < 3600) return Math.round(s / 60) + " min ago";
    if (s < 86400) return Math.round(s / 3600) + " h ago";
    return Math.round(s / 86400) + " d ago";
  }
  const fmt = iso => iso ? new Date(iso).toLocaleString("en-GB", { hour12: false }) : "—";

  // ---- login ---------------------------------------------------------------------------------------------
  function showLogin() {
    if (state.events) { state.events.close(); state.events = null; }
    state.me = null;
    $("app-view").classList.add("hidden");
    $("login-view").classList.remove("hidden");
    $("login-username").focus();
  }

  $("login-form").addEventListener("submit", async ev => {
    ev.preventDefault();
    $("login-error").textContent = "";
    $("login-submit").disabled = true;
    try {
      const me = await api("POST", "/api/login", { username: $("login-username").value.trim(), password: $("login-password").value });
      $("login-password").value = "";
      startApp(me);
    } catch (e) {
      $("login-error").textContent = e.message;
    } finally {
      $("login-submit").disabled = false;
    }
  });

  $("logout").addEventListener("click", async () => {
    try { await api("POST", "/api/logout"); } catch (e) { /* already gone */ }
    showLogin();
  });

  // ---- shell -----------------------------------------------------------------------------------------------
  function startApp(me) {
    state.me = me;
    document.body.dataset.role = me.role;
    $("login-view").classList.add("hidden");
    $("app-view").classList.remove("hidden");
    $("user-chip").textContent = me.username + " · " + me.role + (me.service ? " · " + me.service : "");
    const tabs = [["queue", tabTitle(me)]];
    if (me.role === "operator" || me.role === "admin") tabs.push(["cameras", "Cameras"]);
    if (me.role === "admin") tabs.push(["audit", "Audit log"]);
    $("tabs").replaceChildren(...tabs.map(([id, label]) => h("button", { class: "tab", "data-tab": id, onclick: () => showTab(id) }, label)));
    $("queue-title").textContent = tabTitle(me);
    if (me.role === "police") { $("filter-type").value = "dumping"; $("filter-type").disabled = true; }
    else { $("filter-type").disabled = false; }
    showTab("queue");
    api("GET", "/api/sites").then(s => { state.sites = s.sites; renderOverview(); }).catch(() => {});
    loadIncidents();
    connectEvents();
  }

  function tabTitle(me) {
    switch (me.role) {
      case "police": return "Dumping violations";
      case "utility": return "Dispatched to " + me.service;
      case "admin": return "All incidents";
      default: return "Incident queue";
    }
  }

  function showTab(id) {
    for (const t of document.querySelectorAll(".tab")) t.classList.toggle("active", t.dataset.tab === id);
    $("queue-view").classList.toggle("hidden", id !== "queue");
    $("cameras-view").classList.toggle("hidden", id !== "cameras");
    $("audit-view").classList.toggle("hidden", id !== "audit");
    if (id === "cameras") loadCameras();
    if (id === "audit") loadAudit();
  }

  setInterval(() => { $("clock").textContent = new Date().toLocaleTimeString("en-GB", { hour12: false }) + " ALMT"; }, 1000);

  // ---- live events -------------------------------------------------------------------------------------
  function connectEvents() {
    if (state.events) state.events.close();
    const es = new EventSource("/api/events");
    state.events = es;
    const live = on => {
      $("live-indicator").classList.toggle("on", on);
      $("live-indicator").classList.toggle("off", !on);
      $("live-text").textContent = on ? "live" : "reconnecting";
    };
    es.addEventListener("hello", () => live(true));
    es.addEventListener("incident", ev => upsert(JSON.parse(ev.data), true));
    es.addEventListener("resync", () => loadIncidents());
    es.addEventListener("logout", () => { es.close(); showLogin(); });
    es.onerror = () => live(false);
  }

  // ---- queue -----------------------------------------------------------------------------------------------
  for (const id of ["filter-type", "filter-state", "filter-district"]) $(id).addEventListener("change", () => loadIncidents());

  function filters() {
    return { type: $("filter-type").value, state: $("filter-state").value, district: $("filter-district").value };
  }

  async function loadIncidents() {
    const f = filters();
    const q = new URLSearchParams();
    for (const k in f) if (f[k]) q.set(k, f[k]);
    q.set("limit", "500");
    try {
      const page = await api("GET", "/api/incidents?" + q);
      state.incidents = new Map(page.incidents.map(i => [i.id, i]));
      state.order = page.incidents.map(i => i.id);
      renderList();
      if (state.selected && state.incidents.has(state.selected)) renderDetail(state.incidents.get(state.selected));
    } catch (e) {
      toast(e.message, true);
    }
  }

  function matches(i) {
    const f = filters();
    return (!f.type || i.type === f.type) && (!f.state || i.state === f.state) && (!f.district || i.district === f.district);
  }

  function upsert(i, fromEvent) {
    const known = state.incidents.has(i.id);
    if (!matches(i)) {
      if (known) { state.incidents.delete(i.id); state.order = state.order.filter(x => x !== i.id); renderList(); }
      return;
    }
    state.incidents.set(i.id, i);
    if (!known) state.order.unshift(i.id);
    renderList(fromEvent ? i.id : null);
    if (state.selected === i.id) renderDetail(i);
  }

  function renderList(flashId) {
    const list = $("incident-list");
    const rows = state.order.map(id => state.incidents.get(id)).filter(Boolean).map(i =>
      h("li", { class: "incident-row" + (i.id === state.selected ? " selected" : "") + (i.id === flashId ? " flash" : ""),
        "data-id": i.id, "data-state": i.state, onclick: () => select(i.id) },
        h("span", { class: "stripe t-" + i.type }),
        h("div", {},
          h("div", { class: "row-title" }, TYPE_LABEL[i.type] || i.type, " · ", i.address || "unknown address"),
          h("div", { class: "row-sub" }, i.district, " · ", i.cameras.join(", "), " · score ", i.bestScore.toFixed(2))),
        h("div", { class: "row-meta" },
          h("span", { class: "badge s-" + i.state }, STATE_LABEL[i.state] || i.state),
          h("span", {}, ago(i.lastSeen)),
          i.deliveryFailed ? h("span", { class: "badge s-REJECTED", title: "delivery to the case system failed" }, "delivery failed") : null)));
    list.replaceChildren(...(rows.length ? rows : [h("li", { class: "empty" }, "No incidents match.")]));
    $("queue-count").textContent = rows.length + (rows.length === 1 ? " incident" : " incidents");
    renderOverview();
  }

  function renderOverview() {
    if (!window.AstanaMap) return;
    const points = state.order.map(id => state.incidents.get(id)).filter(i => i && i.place)
      .map(i => ({ id: i.id, lat: i.place.lat, lon: i.place.lon, type: i.type, selected: i.id === state.selected, title: (TYPE_LABEL[i.type] || i.type) + " · " + (i.address || "") }));
    AstanaMap.render($("overview-map"), { points, cameras: state.sites, onSelect: select });
  }

  async function select(id) {
    state.selected = id;
    state.pending = null;
    renderList();
    try {
      const i = await api("GET", "/api/incidents/" + encodeURIComponent(id));
      state.incidents.set(i.id, i);
      renderDetail(i);
    } catch (e) { toast(e.message, true); }
  }

  // ---- detail ----------------------------------------------------------------------------------------------
  function renderDetail(i) {
    const d = $("detail");
    const actions = h("div", { class: "actions", id: "actions" });
    for (const a of i.actions) {
      actions.append(h("button", { class: "btn " + ACTION_STYLE[a], "data-action": a, onclick: () => startAction(i, a) }, ACTION_LABEL[a]));
    }
    if (!i.actions.length) actions.append(h("span", { class: "muted" }, i.state === "RESOLVED" || i.state === "REJECTED" || i.state === "EXPIRED" ? "Closed." : "No action for your role at this stage."));
    actions.append(h("span", { class: "spacer" }));
    if (i.exportable) actions.append(h("a", { class: "btn", id: "export", href: "/api/incidents/" + encodeURIComponent(i.id) + "/export", download: "incident-" + i.id + ".zip" }, "Export case file (ZIP)"));
    if (state.pending && state.pending.id === i.id) actions.append(reasonForm(i, state.pending.action));

    const frames = i.evidence.slice().sort((a, b) => (ROLE_ORDER[a.role] ?? 9) - (ROLE_ORDER[b.role] ?? 9) || a.at.localeCompare(b.at));
    const frameGrid = h("div", { class: "frames" }, frames.map(f => frameCard(f)));

    const mapBox = h("div", { class: "map", id: "detail-map" });
    const facts = h("dl", { class: "facts" },
      h("dt", {}, "Address"), h("dd", {}, i.address || "—"),
      h("dt", {}, "District"), h("dd", {}, i.district),
      h("dt", {}, "Position"), h("dd", {}, i.place ? i.place.lat.toFixed(5) + ", " + i.place.lon.toFixed(5) : "—"),
      h("dt", {}, "Cameras"), h("dd", {}, i.cameras.join(", ")),
      h("dt", {}, "First seen"), h("dd", {}, fmt(i.firstSeen)),
      h("dt", {}, "Last seen"), h("dd", {}, fmt(i.lastSeen)),
      h("dt", {}, "Best score"), h("dd", {}, i.bestScore.toFixed(3)),
      h("dt", {}, "Service"), h("dd", {}, i.serviceCode || "—"),
      h("dt", {}, "Case system id"), h("dd", {}, i.serviceRequestId || (i.deliveryFailed ? "delivery failed" : "not yet delivered")));
    const history = h("ol", { class: "timeline" }, i.history.slice().reverse().map(t =>
      h("li", {}, h("div", {}, (t.from ? (STATE_LABEL[t.from] || t.from) + " → " : "") + (STATE_LABEL[t.to] || t.to), " by ", h("b", {}, t.actor || "system")),
        h("div", { class: "when" }, fmt(t.at)), t.reason ? h("div", { class: "muted" }, "“" + t.reason + "”") : null)));

    d.replaceChildren(...[
      h("div", { class: "detail-head" },
        h("span", { class: "type-pill" }, h("span", { class: "type-dot t-" + i.type }), TYPE_LABEL[i.type] || i.type),
        h("h1", {}, i.address || "Unknown address"),
        h("span", { class: "badge s-" + i.state, id: "detail-state" }, STATE_LABEL[i.state] || i.state)),
      h("div", { class: "detail-sub" }, "Incident ", h("code", {}, i.id), " · seen by ", i.cameras.length, i.cameras.length === 1 ? " camera" : " cameras", " · last ", ago(i.lastSeen)),
      actions,
      h("h2", {}, i.type === "dumping" ? "Before · during · after · vehicle" : "Evidence frames"),
      frames.length ? frameGrid : h("div", { class: "muted" }, "No frames you may view."),
      i.evidenceWithheld ? h("div", { class: "withheld" }, i.evidenceWithheld + " frame(s) that can show vehicles are withheld for your role.") : null,
      h("div", { class: "cards" },
        h("div", { class: "card" }, h("h2", {}, "Location"), mapBox),
        h("div", { class: "card" }, h("h2", {}, "Details"), facts, h("h2", { class: "history-title" }, "History"), history))
    ].filter(Boolean));
    if (window.AstanaMap && i.place) {
      const cams = state.sites.filter(s => i.cameras.includes(s.camera));
      AstanaMap.render(mapBox, { points: [{ id: i.id, lat: i.place.lat, lon: i.place.lon, type: i.type, selected: true }], cameras: cams, labels: true, focus: i.place });
    }
  }

  function frameCard(f) {
    const img = h("img", { src: f.url, alt: f.role + " frame from " + f.camera, loading: "lazy" });
    const box = h("div", { class: "frame-img" }, img);
    img.addEventListener("load", () => { box.style.aspectRatio = img.naturalWidth + " / " + img.naturalHeight; });
    zonesFor(f.camera).then(zones => { if (zones && zones.length) box.append(zoneOverlay(zones)); });
    return h("figure", { class: "frame", "data-role": f.role },
      box, h("figcaption", { class: "frame-cap" },
        h("div", { class: "cap-top" }, h("span", { class: "role" }, f.role), h("span", { class: "hash", title: "SHA-256 " + f.sha256 }, "sha256 " + f.sha256.slice(0, 12))),
        h("div", { class: "cap-sub" }, f.camera, " · ", fmt(f.at), f.detail ? " · " + f.detail : "")));
  }

  async function zonesFor(camera) {
    if (!state.sites.some(s => s.camera === camera)) return [];
    if (!state.siteCache.has(camera)) state.siteCache.set(camera, api("GET", "/api/sites/" + encodeURIComponent(camera)).then(s => s.zones).catch(() => []));
    return state.siteCache.get(camera);
  }

  function zoneOverlay(zones) {
    const NS = "http://www.w3.org/2000/svg";
    const svg = document.createElementNS(NS, "svg");
    svg.setAttribute("class", "zones");
    svg.setAttribute("viewBox", "0 0 1 1");
    svg.setAttribute("preserveAspectRatio", "none");
    for (const z of zones) {
      const p = document.createElementNS(NS, "polygon");
      p.setAttribute("points", z.polygon.map(pt => pt[0] + "," + pt[1]).join(" "));
      p.setAttribute("fill", "rgba(47,140,255,0.12)");
      p.setAttribute("stroke", "#4aa3ff");
      p.setAttribute("stroke-width", "0.004");
      p.setAttribute("stroke-dasharray", "0.012 0.008");
      const t = document.createElementNS(NS, "title");
      t.textContent = "zone " + z.id + " (" + z.detectors.join(", ") + ")";
      p.append(t);
      svg.append(p);
    }
    return svg;
  }

  function startAction(i, action) {
    if (action === "reject" || action === "resolve") {
      state.pending = { id: i.id, action };
      renderDetail(i);
      $("reason-input").focus();
      return;
    }
    act(i, action, null);
  }

  function reasonForm(i, action) {
    const required = action === "reject" || state.me.role === "utility";
    const input = h("textarea", { id: "reason-input", placeholder: action === "reject" ? "Why is this a false alarm?" : "What was done? (comment)" });
    return h("form", { class: "reason-form", id: "reason-form", onsubmit: ev => {
        ev.preventDefault();
        const reason = input.value.trim();
        if (required && !reason) { toast(action === "reject" ? "A reason is required to reject." : "A comment is required to resolve.", true); return; }
        act(i, action, reason || null);
      } },
      input,
      h("button", { class: "btn " + ACTION_STYLE[action], id: "reason-submit", type: "submit" }, ACTION_LABEL[action]),
      h("button", { class: "btn btn-ghost", type: "button", onclick: () => { state.pending = null; renderDetail(i); } }, "Cancel"));
  }

  async function act(i, action, reason) {
    try {
      const updated = await api("POST", "/api/incidents/" + encodeURIComponent(i.id) + "/" + action, reason ? { reason } : {});
      state.pending = null;
      toast((ACTION_LABEL[action] || action) + ": " + (STATE_LABEL[updated.state] || updated.state));
      upsert(updated, false);
      if (state.incidents.has(updated.id)) renderDetail(updated);
    } catch (e) {
      toast(e.message, true);
    }
  }

  // ---- cameras ---------------------------------------------------------------------------------------------
  const CAM_PAGE = 100;
  $("cam-prev").addEventListener("click", () => { state.camOffset = Math.max(0, state.camOffset - CAM_PAGE); loadCameras(); });
  $("cam-next").addEventListener("click", () => { state.camOffset += CAM_PAGE; loadCameras(); });
  let camSearchTimer = null;
  $("camera-search").addEventListener("input", () => { clearTimeout(camSearchTimer); camSearchTimer = setTimeout(() => { state.camOffset = 0; loadCameras(); }, 250); });

  async function loadCameras() {
    const q = new URLSearchParams({ offset: state.camOffset, limit: CAM_PAGE });
    if (state.camState) q.set("state", state.camState);
    const search = $("camera-search").value.trim();
    if (search) q.set("q", search);
    try {
      const page = await api("GET", "/api/cameras?" + q);
      const chips = [h("span", { class: "chip" + (state.camState ? "" : " active"), onclick: () => { state.camState = ""; state.camOffset = 0; loadCameras(); } }, "all ", h("b", {}, page.total))];
      for (const s in page.byState) {
        if (!page.byState[s]) continue;
        chips.push(h("span", { class: "chip c-" + s + (state.camState === s ? " active" : ""), onclick: () => { state.camState = s; state.camOffset = 0; loadCameras(); } }, s, " ", h("b", {}, page.byState[s])));
      }
      $("camera-states").replaceChildren(...chips);
      $("camera-rows").replaceChildren(...page.cameras.map(c => h("tr", {},
        h("td", { class: "mono" }, c.id), h("td", { class: "c-" + c.state }, c.state), h("td", {}, c.lastFrameAt ? ago(c.lastFrameAt) : "—"),
        h("td", { class: "num" }, c.fps.toFixed(1)), h("td", { class: "num" }, c.keyframeIntervalMs == null ? "—" : (c.keyframeIntervalMs / 1000).toFixed(1) + " s"),
        h("td", { class: "num" }, c.reconnects), h("td", { class: "num" }, c.framesDropped), h("td", { class: "muted" }, c.lastError || ""))));
      const last = Math.min(page.matched, state.camOffset + page.cameras.length);
      $("cam-page").textContent = page.matched ? (state.camOffset + 1) + "–" + last + " of " + page.matched : "no cameras";
      $("cam-prev").disabled = state.camOffset === 0;
      $("cam-next").disabled = last >= page.matched;
    } catch (e) { toast(e.message, true); }
  }

  // ---- audit ------------------------------------------------------------------------------------------------
  const AUDIT_PAGE = 100;
  $("audit-prev").addEventListener("click", () => { state.auditOffset = Math.max(0, state.auditOffset - AUDIT_PAGE); loadAudit(); });
  $("audit-next").addEventListener("click", () => { state.auditOffset += AUDIT_PAGE; loadAudit(); });

  async function loadAudit() {
    try {
      const page = await api("GET", "/api/audit?offset=" + state.auditOffset + "&limit=" + AUDIT_PAGE);
      const v = page.verification;
      $("audit-verify").textContent = v.ok ? "hash chain verified · " + v.entries + " entries"
        : "TAMPERED" + (v.firstBadLine ? " at line " + v.firstBadLine : "") + ": " + v.problem;
      $("audit-verify").className = "chip " + (v.ok ? "c-streaming" : "c-stalled");
      $("audit-rows").replaceChildren(...page.entries.map(e => h("tr", {},
        h("td", { class: "num" }, e.seq), h("td", { class: "mono" }, fmt(e.at)), h("td", {}, e.actor), h("td", { class: "mono" }, e.address),
        h("td", {}, e.action), h("td", { class: "mono" }, e.target), h("td", { class: e.outcome === "ok" ? "c-streaming" : "c-backoff" }, e.outcome),
        h("td", {}, e.detail || ""), h("td", { class: "mono muted", title: e.hash }, e.hash.slice(0, 12)))));
      $("audit-page").textContent = page.total ? (state.auditOffset + 1) + "–" + Math.min(page.total, state.auditOffset + page.entries.length) + " of " + page.total : "empty";
      $("audit-prev").disabled = state.auditOffset === 0;
      $("audit-next").disabled = state.auditOffset + page.entries.length >= page.total;
    } catch (e) { toast(e.message, true); }
  }

  // ---- boot ---------------------------------------------------------------------------------------------------
  api("GET", "/api/me").then(startApp).catch(() => showLogin());
})();
