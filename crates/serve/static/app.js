// The Rampart replay: draws one night from /api/replay on a 2D canvas.
// Positions between the engine's recorded points are interpolated here;
// everything else (fates, shots, kills) is read from the event log.
"use strict";

const FATE_COLOURS = {
  killed: "#2ca02c", jammed: "#006dbd", leaked_hit: "#d62728", leaked_missed: "#ff7f0e",
  decoy_expired: "#7f7f7f", fell_short: "#ff27bd", airborne: "#000000",
};
const KIND_COLOURS = {
  "long-range-sam": "#9467bd", "medium-sam": "#1f77b4", gun: "#8c564b",
  "interceptor-drone": "#17becf", jammer: "#bcbd22",
};

const state = {
  replay: null, t: 0, playing: false, speed: 300, last: null,
  // The map's transform: the base view (region or whole raid) under the
  // user's zoom (k, 1 to 64) and pan (dx, dy), in canvas pixels.
  base: null, zoom: { k: 1, dx: 0, dy: 0 }, view: null,
};
const $ = (id) => document.getElementById(id);

function hms(ms) {
  const s = Math.floor(ms / 1000);
  const p = (n) => String(n).padStart(2, "0");
  return `${p(Math.floor(s / 3600))}:${p(Math.floor(s / 60) % 60)}:${p(s % 60)}`;
}

function esc(s) {
  return String(s).replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
}

// The map transform: metres east/north to canvas pixels, north up, over
// the defended region or over the whole raid (launch sites included).
function makeView(r, canvas, whole) {
  const [x0, y0, x1, y1] = whole ? r.extent : r.bounds;
  const pad = 0.03 * Math.max(x1 - x0, y1 - y0);
  const w = x1 - x0 + 2 * pad, h = y1 - y0 + 2 * pad;
  const scale = Math.min(canvas.width / w, canvas.height / h);
  const ox = (canvas.width - w * scale) / 2, oy = (canvas.height - h * scale) / 2;
  return {
    scale,
    x: (e) => ox + (e - x0 + pad) * scale,
    y: (n) => oy + (y1 + pad - n) * scale,
  };
}

// The base view under the user's zoom and pan: a point drawn at p by the
// base view is drawn at p * k + d.
function zoomed(base, z) {
  return {
    scale: base.scale * z.k,
    x: (e) => base.x(e) * z.k + z.dx,
    y: (n) => base.y(n) * z.k + z.dy,
  };
}

function setZoom(z) {
  state.zoom = z;
  state.view = zoomed(state.base, z);
  draw();
}

// Zoom by `factor` about the canvas point (cx, cy), which stays put.
function zoomAbout(cx, cy, factor) {
  const z = state.zoom, k = Math.min(64, Math.max(1, z.k * factor)), f = k / z.k;
  setZoom({ k, dx: cx - (cx - z.dx) * f, dy: cy - (cy - z.dy) * f });
}

// Canvas pixels of a pointer or wheel event (the canvas may be drawn scaled).
function canvasPoint(ev) {
  const c = $("map"), rect = c.getBoundingClientRect();
  return [(ev.clientX - rect.left) * (c.width / rect.width), (ev.clientY - rect.top) * (c.height / rect.height)];
}

// Mouse wheel zooms about the cursor; a drag (mouse, pen or one finger)
// pans; two fingers pinch to zoom; a double click goes back to the whole
// view. A drag does not select what it started on.
function zoomAndPan(canvas) {
  const pointers = new Map();
  let moved = 0, pinch = null;
  canvas.addEventListener("wheel", (ev) => {
    ev.preventDefault();
    const [cx, cy] = canvasPoint(ev);
    zoomAbout(cx, cy, Math.exp(-ev.deltaY / 500));
  }, { passive: false });
  canvas.addEventListener("pointerdown", (ev) => {
    // Capture keeps a drag that leaves the canvas; a synthetic pointer has
    // nothing to capture.
    try { canvas.setPointerCapture(ev.pointerId); } catch { /* not a live pointer */ }
    pointers.set(ev.pointerId, canvasPoint(ev));
    if (pointers.size === 1) moved = 0;
    pinch = null;
  });
  canvas.addEventListener("pointermove", (ev) => {
    const last = pointers.get(ev.pointerId);
    if (!last) return;
    const now = canvasPoint(ev);
    pointers.set(ev.pointerId, now);
    if (pointers.size === 1) {
      const z = state.zoom, ddx = now[0] - last[0], ddy = now[1] - last[1];
      moved += Math.abs(ddx) + Math.abs(ddy);
      setZoom({ k: z.k, dx: z.dx + ddx, dy: z.dy + ddy });
    } else if (pointers.size === 2) {
      const [a, b] = [...pointers.values()];
      const d = Math.hypot(a[0] - b[0], a[1] - b[1]);
      if (pinch && pinch > 0) zoomAbout((a[0] + b[0]) / 2, (a[1] + b[1]) / 2, d / pinch);
      pinch = d;
      moved += 10;
    }
  });
  const end = (ev) => { pointers.delete(ev.pointerId); pinch = null; };
  canvas.addEventListener("pointerup", end);
  canvas.addEventListener("pointercancel", end);
  canvas.addEventListener("dblclick", () => setZoom({ k: 1, dx: 0, dy: 0 }));
  return () => moved > 4;
}

function position(th, t) {
  const p = th.path;
  if (t <= p[0][0]) return [p[0][1], p[0][2]];
  for (let k = 1; k < p.length; k++) {
    if (t <= p[k][0]) {
      const a = p[k - 1], b = p[k];
      const f = b[0] > a[0] ? (t - a[0]) / (b[0] - a[0]) : 1;
      return [a[1] + f * (b[1] - a[1]), a[2] + f * (b[2] - a[2])];
    }
  }
  const last = p[p.length - 1];
  return [last[1], last[2]];
}

// Everything the panel shows at time t, from the event log.
function countsAt(r, t) {
  const c = { launched: 0, airborne: 0, engaged: 0, killed: 0, jammed: 0, leaked: 0, shots: 0 };
  const rounds = r.effectors.map((e) => e.magazine);
  const engaged = new Set();
  for (const ev of r.events) {
    if (ev.time > t) break;
    switch (ev.event) {
      case "launch": c.launched++; break;
      case "shot": c.shots += ev.rounds; engaged.add(ev.threat); if (rounds[ev.effector] != null) rounds[ev.effector] -= ev.rounds; break;
      case "reloaded": rounds[ev.effector] = r.effectors[ev.effector].magazine; break;
      case "killed": c.killed++; break;
      case "jammed": c.jammed++; break;
      case "impact": c.leaked++; break;
    }
  }
  c.engaged = engaged.size;
  for (const th of r.threats) if (th.launch <= t && (t < th.end || th.fate === "airborne")) c.airborne++;
  // Of those, the ones over the map drawn now.
  const v = state.view, canvas = $("map");
  c.in_view = 0;
  for (const th of r.threats) {
    if (th.launch > t || t >= th.end) continue;
    const [e, n] = position(th, t), x = v.x(e), y = v.y(n);
    if (x >= 0 && y >= 0 && x <= canvas.width && y <= canvas.height) c.in_view++;
  }
  return { counts: c, rounds };
}

function draw() {
  const r = state.replay, canvas = $("map"), g = canvas.getContext("2d"), v = state.view, t = state.t;
  g.clearRect(0, 0, canvas.width, canvas.height);
  g.fillStyle = "#fbfbf8";
  g.fillRect(0, 0, canvas.width, canvas.height);
  // The city or region, if the scenario outlines it.
  if (r.outline && r.outline.length > 2) {
    g.fillStyle = "#ece8dc"; g.strokeStyle = "#b8b09a";
    g.beginPath();
    r.outline.forEach((p, k) => (k ? g.lineTo(v.x(p[0]), v.y(p[1])) : g.moveTo(v.x(p[0]), v.y(p[1]))));
    g.closePath(); g.fill(); g.stroke();
  }
  // Launch sites (on the map when the view takes in the whole raid).
  g.fillStyle = "#555";
  for (const site of r.launch_sites) {
    const x = v.x(site.at[0]), y = v.y(site.at[1]);
    g.beginPath(); g.moveTo(x - 5, y - 5); g.lineTo(x + 5, y + 5); g.moveTo(x + 5, y - 5); g.lineTo(x - 5, y + 5);
    g.strokeStyle = "#555"; g.lineWidth = 2; g.stroke(); g.lineWidth = 1;
    g.fillText(site.id, x + 7, y + 4);
  }
  // Sensor coverage.
  g.setLineDash([4, 3]);
  g.strokeStyle = "#bbb";
  for (const s of r.sensors) {
    if (s.range * v.scale > 4 * canvas.width) continue;
    g.beginPath(); g.arc(v.x(s.at[0]), v.y(s.at[1]), s.range * v.scale, 0, 2 * Math.PI); g.stroke();
  }
  g.setLineDash([]);
  // Effector envelopes and positions.
  for (const e of r.effectors) {
    const c = KIND_COLOURS[e.kind] || "#555";
    g.strokeStyle = c; g.globalAlpha = 0.35;
    g.beginPath(); g.arc(v.x(e.at[0]), v.y(e.at[1]), e.max_range * v.scale, 0, 2 * Math.PI); g.stroke();
    g.globalAlpha = 1; g.fillStyle = c;
    g.fillRect(v.x(e.at[0]) - 3, v.y(e.at[1]) - 3, 6, 6);
  }
  // Assets: dark until hit, red once hit.
  const hit = new Set();
  for (const ev of r.events) {
    if (ev.time > t) break;
    if (ev.event === "impact" && ev.hit) hit.add(ev.asset);
  }
  g.font = "11px sans-serif";
  const labels = placeLabels(r, v, g);
  r.assets.forEach((a, k) => {
    const x = v.x(a.at[0]), y = v.y(a.at[1]);
    g.fillStyle = hit.has(k) ? "#d62728" : "#222";
    g.beginPath(); g.moveTo(x, y - 6); g.lineTo(x + 6, y + 5); g.lineTo(x - 6, y + 5); g.closePath(); g.fill();
    const l = labels[k];
    if (l) { g.fillStyle = "#444"; g.fillText(a.id, l.x0, y + 4); }
  });
  window.rampartLabels = labels.filter(Boolean);
  // Threats in flight, with a faint trail; markers where flights ended.
  for (const th of r.threats) {
    if (th.launch > t) continue;
    const colour = FATE_COLOURS[th.fate] || "#000";
    if (t < th.end) {
      const [e, n] = position(th, t);
      g.strokeStyle = colour; g.globalAlpha = 0.25;
      g.beginPath(); g.moveTo(v.x(th.path[0][1]), v.y(th.path[0][2]));
      for (const p of th.path) { if (p[0] >= t) break; g.lineTo(v.x(p[1]), v.y(p[2])); }
      g.lineTo(v.x(e), v.y(n)); g.stroke();
      g.globalAlpha = 1; g.fillStyle = colour;
      g.beginPath(); g.arc(v.x(e), v.y(n), th.kind === "owa-drone" || th.kind === "decoy" ? 2.5 : 4, 0, 2 * Math.PI); g.fill();
    } else if (th.fate === "killed" || th.fate === "jammed") {
      if (t - th.end < 600000) {
        const x = v.x(th.end_at[0]), y = v.y(th.end_at[1]);
        g.strokeStyle = colour; g.beginPath(); g.moveTo(x - 3, y - 3); g.lineTo(x + 3, y + 3); g.moveTo(x + 3, y - 3); g.lineTo(x - 3, y + 3); g.stroke();
      }
    } else if (th.fate === "leaked_hit" || th.fate === "leaked_missed") {
      const x = v.x(th.end_at[0]), y = v.y(th.end_at[1]);
      g.strokeStyle = colour; g.lineWidth = 2; g.beginPath(); g.arc(x, y, 6, 0, 2 * Math.PI); g.stroke(); g.lineWidth = 1;
    }
  }
  if (state.selected) {
    const s = state.selected;
    let at = null;
    if (s.type === "effector") at = r.effectors[s.index].at;
    else { const th = r.threats[s.index]; at = th.launch <= t ? position(th, Math.min(t, th.end)) : null; }
    if (at) { g.strokeStyle = "#000"; g.lineWidth = 2; g.beginPath(); g.arc(v.x(at[0]), v.y(at[1]), 9, 0, 2 * Math.PI); g.stroke(); g.lineWidth = 1; }
  }
  panel();
}

function panel() {
  const r = state.replay, t = state.t;
  const { counts, rounds } = countsAt(r, t);
  for (const [k, n] of Object.entries(counts)) $(`count-${k}`).textContent = n;
  $("clock").textContent = hms(t);
  $("scrubber").value = t;
  const byKind = {};
  r.effectors.forEach((e, k) => {
    if (e.magazine == null) return;
    const b = (byKind[e.kind] ||= { left: 0, start: 0 });
    b.left += rounds[k]; b.start += e.magazine;
  });
  $("stocks").innerHTML = Object.entries(byKind)
    .map(([k, b]) => `<tr><th>${esc(k)}</th><td data-kind="${esc(k)}">${b.left}</td><td>of ${b.start}</td></tr>`).join("");
}

function effectorName(r, k) { return r.effectors[k] ? r.effectors[k].id : `effector ${k}`; }

function threatStory(k) {
  const r = state.replay, th = r.threats[k];
  const lines = [];
  for (const ev of r.events) {
    if (ev.threat !== th.id) continue;
    const at = hms(ev.time);
    switch (ev.event) {
      case "launch": lines.push(`${at} launched`); break;
      case "track": lines.push(`${at} tracked${ev.decoy_identified ? ", identified as a decoy" : ""}`); break;
      case "track_lost": lines.push(`${at} track lost (out of every sensor's coverage)`); break;
      case "shot": lines.push(`${at} ${esc(effectorName(r, ev.effector))} fires ${ev.rounds} round(s), intercept at ${hms(ev.intercept)}`); break;
      case "missed": lines.push(`${at} missed by ${esc(effectorName(r, ev.effector))}`); break;
      case "wasted": lines.push(`${at} a round of ${esc(effectorName(r, ev.effector))} wasted`); break;
      case "killed": lines.push(`${at} killed by ${esc(effectorName(r, ev.effector))}`); break;
      case "jammed": lines.push(`${at} jammed by ${esc(effectorName(r, ev.effector))}`); break;
      case "impact": lines.push(`${at} impact at ${esc(r.assets[ev.asset].id)}: ${ev.hit ? "hit" : "missed"}`); break;
      case "expired": lines.push(`${at} flight ended`); break;
    }
  }
  return `<p><strong>Threat ${th.id}</strong>: ${esc(th.class)} (${esc(th.kind)}), raid ${esc(th.raid)}, aimed at ${esc(th.target)}. ` +
    `Fate: <strong class="fate">${esc(th.fate.replace("_", " "))}</strong>.</p><ol>${lines.map((l) => `<li>${l}</li>`).join("")}</ol>`;
}

function effectorStory(k) {
  const r = state.replay, e = r.effectors[k];
  const lines = [];
  for (const ev of r.events) {
    if (ev.effector !== k) continue;
    const at = hms(ev.time);
    if (ev.event === "shot") lines.push(`${at} fires ${ev.rounds} round(s) at threat ${ev.threat}`);
    else if (ev.event === "killed") lines.push(`${at} kills threat ${ev.threat}`);
    else if (ev.event === "missed") lines.push(`${at} misses threat ${ev.threat}`);
    else if (ev.event === "jammed") lines.push(`${at} jams threat ${ev.threat}`);
    else if (ev.event === "reloaded") lines.push(`${at} reloaded`);
  }
  const mag = e.magazine == null ? "a jammer" : `${e.magazine} rounds at $${Math.round(e.cost_per_shot).toLocaleString("en-US")} a round`;
  return `<p><strong>${esc(e.id)}</strong>: ${esc(e.kind)}${e.class ? ` (${esc(e.class)})` : ""}, ${mag}, reach ${(e.min_range / 1000).toFixed(1)}-${(e.max_range / 1000).toFixed(1)} km.</p>` +
    (lines.length ? `<ol>${lines.map((l) => `<li>${l}</li>`).join("")}</ol>` : "<p>No action this night.</p>");
}

// Whether threat th is drawn at time t, and where: in flight, or as the
// marker where its flight ended (kills fade after ten minutes, impacts stay).
function drawnAt(th, t) {
  if (th.launch > t) return null;
  if (t < th.end) return position(th, t);
  const marker = th.fate === "leaked_hit" || th.fate === "leaked_missed" ||
    ((th.fate === "killed" || th.fate === "jammed") && t - th.end < 600000);
  return marker ? th.end_at : null;
}

// What is under a canvas point: the nearest thing drawn there, a threat
// (in flight or its marker) or an effector.
function pick(px, py) {
  const r = state.replay, v = state.view, t = state.t;
  let best = null, bestD = 10;
  r.threats.forEach((th, k) => {
    const at = drawnAt(th, t);
    if (!at) return;
    const d = Math.hypot(v.x(at[0]) - px, v.y(at[1]) - py);
    if (d < bestD) { bestD = d; best = { type: "threat", index: k }; }
  });
  r.effectors.forEach((e, k) => {
    const d = Math.hypot(v.x(e.at[0]) - px, v.y(e.at[1]) - py);
    if (d < bestD) { bestD = d; best = { type: "effector", index: k }; }
  });
  return best;
}

function select(sel) {
  state.selected = sel;
  if (!sel) { $("story").innerHTML = "<p>Nothing there. Click a threat or an effector.</p>"; }
  else $("story").innerHTML = sel.type === "threat" ? threatStory(sel.index) : effectorStory(sel.index);
  draw();
}

function setTime(t) {
  state.t = Math.max(0, Math.min(state.replay.duration, Math.round(t)));
  draw();
}

function frame(now) {
  if (!state.playing) { state.last = null; return; }
  if (state.last != null) {
    const next = state.t + (now - state.last) * state.speed;
    if (next >= state.replay.duration) { setTime(state.replay.duration); setPlaying(false); return; }
    setTime(next);
  }
  state.last = now;
  requestAnimationFrame(frame);
}

function setPlaying(on) {
  // Play at the end of the night starts it again.
  if (on && state.t >= state.replay.duration) setTime(0);
  state.playing = on;
  $("play").textContent = on ? "Pause" : "Play";
  if (on) requestAnimationFrame(frame);
}

// Asset labels that never overlap: by value (then id), each to the right of
// its marker, or to the left where it would leave the canvas; a label that
// would overlap one already placed is left out (a click still names it).
function placeLabels(r, v, g) {
  const order = r.assets.map((_, k) => k).sort((a, b) =>
    r.assets[b].value - r.assets[a].value || (r.assets[a].id < r.assets[b].id ? -1 : 1));
  const placed = [], out = new Array(r.assets.length).fill(null);
  const width = g.canvas.width;
  for (const k of order) {
    const a = r.assets[k], x = v.x(a.at[0]), y = v.y(a.at[1]);
    const w = g.measureText(a.id).width;
    const x0 = x + 8 + w > width ? x - 8 - w : x + 8;
    const box = { id: a.id, x0, x1: x0 + w, y0: y - 6, y1: y + 6 };
    if (placed.some((p) => box.x0 < p.x1 && p.x0 < box.x1 && box.y0 < p.y1 && p.y0 < box.y1)) continue;
    placed.push(box);
    out[k] = box;
  }
  return out;
}

// The legend, built with DOM calls: the page's content security policy
// forbids inline style attributes.
function legend(r) {
  const box = $("legend");
  const add = (colour, label, round) => {
    const span = document.createElement("span"), i = document.createElement("i");
    i.style.background = colour;
    if (round) i.style.borderRadius = "50%";
    span.append(i, label);
    box.append(span);
  };
  // Assets are dark until hit, red once hit (see the map's drawing).
  add("#222", "asset", false);
  if (r.events.some((ev) => ev.event === "impact" && ev.hit)) add("#d62728", "asset hit", false);
  const kinds = [...new Set(r.effectors.map((e) => e.kind))].sort();
  for (const k of kinds) add(KIND_COLOURS[k] || "#555", k, false);
  for (const f of Object.keys(FATE_COLOURS)) {
    if (r.threats.some((t) => t.fate === f)) add(FATE_COLOURS[f], f.replace("_", " "), true);
  }
}

async function main() {
  const response = await fetch("/api/replay");
  if (!response.ok) throw new Error(`/api/replay: ${response.status}`);
  const r = await response.json();
  state.replay = r;
  state.base = makeView(r, $("map"), false);
  state.view = zoomed(state.base, state.zoom);
  $("title").textContent = r.scenario;
  $("subtitle").textContent = `Seed ${r.seed}, policy ${r.policy}: ${r.threats.length} threats launched, ${r.summary.leakers} leaked.`;
  $("scrubber").max = r.duration;
  legend(r);
  $("play").disabled = false;
  $("play").addEventListener("click", () => setPlaying(!state.playing));
  $("speed").addEventListener("change", (ev) => { state.speed = Number(ev.target.value); });
  $("view").addEventListener("change", (ev) => {
    state.base = makeView(r, $("map"), ev.target.value === "raid");
    setZoom({ k: 1, dx: 0, dy: 0 });
  });
  const dragged = zoomAndPan($("map"));
  $("scrubber").addEventListener("input", (ev) => setTime(Number(ev.target.value)));
  $("map").addEventListener("click", (ev) => {
    if (dragged()) return;
    const rect = ev.target.getBoundingClientRect();
    const px = (ev.clientX - rect.left) * ($("map").width / rect.width);
    const py = (ev.clientY - rect.top) * ($("map").height / rect.height);
    select(pick(px, py));
  });
  setTime(0);
  document.body.dataset.ready = "true";
}

// For tests and for the curious: where things are drawn now, in page pixels
// (null when not drawn or off the map).
function onPage(at) {
  if (!at) return null;
  const c = $("map"), rect = c.getBoundingClientRect();
  const x = state.view.x(at[0]), y = state.view.y(at[1]);
  if (x < 0 || y < 0 || x > c.width || y > c.height) return null;
  return [rect.left + x * rect.width / c.width, rect.top + y * rect.height / c.height];
}

window.rampart = {
  state,
  setTime,
  threatOnPage: (index) => onPage(drawnAt(state.replay.threats[index], state.t)),
  effectorOnPage: (index) => onPage(state.replay.effectors[index].at),
};

main().catch((err) => {
  $("subtitle").textContent = `Could not load the replay: ${err.message}`;
  console.error(err);
});
