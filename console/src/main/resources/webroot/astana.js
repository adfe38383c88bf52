// An offline, schematic map of Astana: the river Yesil, a few main avenues and landmarks drawn from their
// approximate coordinates, with incidents and cameras plotted on the same projection. No tiles, no network.
"use strict";
window.AstanaMap = (function () {
  const BOUNDS = { latMin: 51.06, latMax: 51.215, lonMin: 71.33, lonMax: 71.57 };
  const W = 600;
  const K = Math.cos(51.13 * Math.PI / 180); // metres per degree of longitude shrink with latitude
  const H = Math.round(W * (BOUNDS.latMax - BOUNDS.latMin) / ((BOUNDS.lonMax - BOUNDS.lonMin) * K));
  const NS = "http://www.w3.org/2000/svg";

  const RIVER = [[51.095, 71.57], [51.108, 71.53], [51.121, 71.50], [51.133, 71.475], [51.142, 71.455],
    [51.150, 71.440], [51.156, 71.425], [51.158, 71.410], [51.153, 71.395], [51.148, 71.380],
    [51.152, 71.365], [51.160, 71.350], [51.165, 71.33]];
  const STREETS = [
    { name: "Respublika Ave", pts: [[51.150, 71.432], [51.170, 71.427], [51.190, 71.420], [51.205, 71.415]] },
    { name: "Abay Ave", pts: [[51.170, 71.370], [51.168, 71.400], [51.166, 71.430], [51.163, 71.470]] },
    { name: "Kabanbay Batyr Ave", pts: [[51.150, 71.415], [51.128, 71.418], [51.105, 71.420], [51.075, 71.418]] },
    { name: "Mangilik El Ave", pts: [[51.125, 71.445], [51.105, 71.452], [51.085, 71.460], [51.068, 71.468]] },
    { name: "Turan Ave", pts: [[51.145, 71.385], [51.125, 71.392], [51.100, 71.398], [51.075, 71.402]] },
    { name: "Tauelsizdik Ave", pts: [[51.140, 71.470], [51.150, 71.480], [51.162, 71.495], [51.175, 71.510]] },
    { name: "Saryarka Ave", pts: [[51.158, 71.405], [51.172, 71.395], [51.190, 71.385]] },
  ];
  const LANDMARKS = [
    { name: "Baiterek", at: [51.1283, 71.4305] }, { name: "Khan Shatyr", at: [51.1326, 71.4037] },
    { name: "Ak Orda", at: [51.1256, 71.4466] }, { name: "Nurly Zhol station", at: [51.1107, 71.5315] },
    { name: "Astana-1 station", at: [51.1920, 71.4080] },
  ];
  const TYPE_COLORS = { snow: "#9ad8ff", flood: "#3d8bfd", open_manhole: "#ffb74d", dumping: "#e57373" };

  function xy(lat, lon) {
    const x = (lon - BOUNDS.lonMin) / (BOUNDS.lonMax - BOUNDS.lonMin) * W;
    const y = (BOUNDS.latMax - lat) / (BOUNDS.latMax - BOUNDS.latMin) * H;
    return [Math.round(x * 10) / 10, Math.round(y * 10) / 10];
  }

  function el(name, attrs, text) {
    const e = document.createElementNS(NS, name);
    for (const k in attrs) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function line(pts) {
    return pts.map(p => xy(p[0], p[1]).join(",")).join(" ");
  }

  /**
   * The part of the city to show: around the focus point, or around all points, widened to the container's
   * aspect ratio so that the drawing fills it without distortion.
   */
  function view(container, opts) {
    let x0, y0, x1, y1;
    if (opts.focus) {
      const [fx, fy] = xy(opts.focus.lat, opts.focus.lon);
      [x0, y0, x1, y1] = [fx - 110, fy - 110, fx + 110, fy + 110];
    } else {
      const pts = (opts.points || []).concat(opts.cameras || []).filter(p => p.lat != null).map(p => xy(p.lat, p.lon));
      if (pts.length) {
        x0 = Math.min(...pts.map(p => p[0])) - 60; x1 = Math.max(...pts.map(p => p[0])) + 60;
        y0 = Math.min(...pts.map(p => p[1])) - 40; y1 = Math.max(...pts.map(p => p[1])) + 40;
      } else {
        [x0, y0, x1, y1] = [0, 0, W, H];
      }
    }
    const aspect = container.clientWidth && container.clientHeight ? container.clientWidth / container.clientHeight : W / H;
    let w = x1 - x0, h = y1 - y0;
    if (w / h < aspect) { const nw = h * aspect; x0 -= (nw - w) / 2; w = nw; } else { const nh = w / aspect; y0 -= (nh - h) / 2; h = nh; }
    return [x0, y0, w, h].map(v => Math.round(v)).join(" ");
  }

  /**
   * opts: { points: [{id, lat, lon, type, selected}], cameras: [{camera, lat, lon}], labels: bool,
   *         focus: {lat, lon} (zooms to it), onSelect: id => … }
   */
  function render(container, opts) {
    const svg = el("svg", { viewBox: view(container, opts), role: "img", "aria-label": "map of Astana" });
    const small = opts.focus ? 0.55 : 1;
    svg.appendChild(el("rect", { x: -W, y: -H, width: 3 * W, height: 3 * H, fill: "#0d141d" }));
    for (let gx = -W; gx <= 2 * W; gx += 50) svg.appendChild(el("line", { x1: gx, y1: -H, x2: gx, y2: 2 * H, stroke: "#141e2a", "stroke-width": 1 }));
    for (let gy = -H; gy <= 2 * H; gy += 50) svg.appendChild(el("line", { x1: -W, y1: gy, x2: 2 * W, y2: gy, stroke: "#141e2a", "stroke-width": 1 }));
    svg.appendChild(el("polyline", { points: line(RIVER), fill: "none", stroke: "#1d4f7a", "stroke-width": 9 * small, "stroke-linecap": "round", "stroke-linejoin": "round" }));
    for (const s of STREETS) {
      svg.appendChild(el("polyline", { points: line(s.pts), fill: "none", stroke: "#33465e", "stroke-width": 3 * small, "stroke-linecap": "round" }));
      if (opts.labels) {
        const [lx, ly] = xy(s.pts[1][0], s.pts[1][1]);
        svg.appendChild(el("text", { x: lx + 4, y: ly - 4, fill: "#5f7690", "font-size": 11 * small }, s.name));
      }
    }
    for (const l of LANDMARKS) {
      const [lx, ly] = xy(l.at[0], l.at[1]);
      svg.appendChild(el("rect", { x: lx - 2.5 * small, y: ly - 2.5 * small, width: 5 * small, height: 5 * small, fill: "#6f8399" }));
      if (opts.labels) svg.appendChild(el("text", { x: lx + 6, y: ly + 4, fill: "#7d91a8", "font-size": 10 * small }, l.name));
    }
    for (const c of opts.cameras || []) {
      if (c.lat == null) continue;
      const [cx, cy] = xy(c.lat, c.lon);
      const cam = el("path", { d: "M" + (cx - 4 * small) + "," + (cy + 3 * small) + " l" + 4 * small + "," + -7 * small + " l" + 4 * small + "," + 7 * small + "z", fill: "#8aa0b8", opacity: 0.85 });
      cam.appendChild(el("title", {}, "camera " + c.camera));
      svg.appendChild(cam);
    }
    const pts = (opts.points || []).slice().sort((a, b) => (a.selected ? 1 : 0) - (b.selected ? 1 : 0));
    for (const p of pts) {
      if (p.lat == null) continue;
      const [px, py] = xy(p.lat, p.lon);
      const g = el("g", { class: "map-point", "data-id": p.id });
      if (p.selected) g.appendChild(el("circle", { cx: px, cy: py, r: 11 * small, fill: "none", stroke: "#fff", "stroke-width": 2 * small }));
      g.appendChild(el("circle", { cx: px, cy: py, r: (p.selected ? 7 : 5) * small, fill: TYPE_COLORS[p.type] || "#fff", stroke: "#0b1017", "stroke-width": 1.5 * small }));
      g.appendChild(el("title", {}, p.title || p.id));
      if (opts.onSelect) {
        g.addEventListener("click", () => opts.onSelect(p.id));
        g.setAttribute("cursor", "pointer");
      }
      svg.appendChild(g);
    }
    container.replaceChildren(svg);
  }

  return { render: render, xy: xy };
})();
