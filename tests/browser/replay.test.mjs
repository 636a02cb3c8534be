// The replay page in headless Chromium: it loads with no console error, the
// replay advances, the scrubber jumps, and a click tells a threat's story.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { join } from "node:path";
import { ARTEFACTS, browser, serve, watchErrors } from "./common.mjs";

let server, chrome, page, errors;

before(async () => {
  server = await serve(["examples/night-raid.toml"]);
  chrome = await browser();
  page = await chrome.newPage({ viewport: { width: 1280, height: 900 } });
  errors = watchErrors(page);
  await page.goto(server.url);
  await page.waitForSelector("body[data-ready=true]", { timeout: 30000 });
});

after(async () => {
  if (page) await page.screenshot({ path: join(ARTEFACTS, "replay.png") });
  if (chrome) await chrome.close();
  if (server) server.process.kill();
});

const text = (id) => page.textContent(`#${id}`);
const number = async (id) => Number(await text(id));

test("the server says where it listens, on loopback by default", () => {
  assert.match(server.banner, /listening on 127\.0\.0\.1:\d+/);
});

test("the page loads the night", async () => {
  assert.equal(await page.textContent("#title"), "Night raid on Aldport");
  assert.match(await text("subtitle"), /threats launched/);
  assert.deepEqual(errors, []);
});

test("the legend names the colours of the assets, hit or not", async () => {
  await page.waitForFunction(() => document.getElementById("legend").textContent.includes("asset"));
  const legend = await page.textContent("#legend");
  assert.ok(legend.includes("asset hit"), `the night raid hits an asset: ${legend}`);
});

test("asset labels never overlap nor leave the map at the default view", async () => {
  await page.waitForFunction(() => Array.isArray(window.rampartLabels) && window.rampartLabels.length > 0);
  const [labels, width] = await page.evaluate(() => [window.rampartLabels, document.getElementById("map").width]);
  for (const [i, a] of labels.entries()) {
    assert.ok(a.x0 >= 0 && a.x1 <= width, `${a.id} leaves the map`);
    for (const b of labels.slice(i + 1)) {
      const overlap = a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
      assert.ok(!overlap, `labels ${a.id} and ${b.id} overlap`);
    }
  }
});

const resetZoom = () => page.evaluate(() =>
  document.getElementById("map").dispatchEvent(new MouseEvent("dblclick", { bubbles: true })));

test("the wheel zooms about the cursor, a drag pans, a double click goes back", async (t) => {
  t.after(resetZoom);
  const at = await page.evaluate(() => window.rampart.effectorOnPage(0));
  assert.ok(at, "effector 0 is on the map");
  await page.mouse.move(at[0], at[1]);
  await page.mouse.wheel(0, -500);
  await page.waitForFunction(() => window.rampart.state.zoom.k > 2.5);
  const still = await page.evaluate(() => window.rampart.effectorOnPage(0));
  // Within the rounding of the cursor to whole pixels, times the zoom.
  assert.ok(Math.hypot(still[0] - at[0], still[1] - at[1]) < 3, `the point under the cursor stays: ${at} -> ${still}`);
  await page.mouse.move(still[0], still[1]);
  await page.mouse.down();
  await page.mouse.move(still[0] + 40, still[1] + 30, { steps: 4 });
  await page.mouse.up();
  const panned = await page.evaluate(() => window.rampart.effectorOnPage(0));
  assert.ok(Math.abs(panned[0] - still[0] - 40) < 1.5 && Math.abs(panned[1] - still[1] - 30) < 1.5, `panned by the drag: ${still} -> ${panned}`);
  await page.mouse.dblclick(panned[0], panned[1]);
  assert.deepEqual(await page.evaluate(() => window.rampart.state.zoom), { k: 1, dx: 0, dy: 0 });
});

test("two fingers pinch to zoom", async (t) => {
  t.after(resetZoom);
  await resetZoom();
  const k = await page.evaluate(() => {
    const c = document.getElementById("map"), rect = c.getBoundingClientRect();
    const cx = rect.left + rect.width / 2, cy = rect.top + rect.height / 2;
    const fire = (type, id, x) => c.dispatchEvent(new PointerEvent(type, {
      pointerId: id, pointerType: "touch", clientX: x, clientY: cy, bubbles: true,
    }));
    fire("pointerdown", 1, cx - 20);
    fire("pointerdown", 2, cx + 20);
    fire("pointermove", 2, cx + 21);
    fire("pointermove", 2, cx + 61);
    fire("pointerup", 1, cx - 20);
    fire("pointerup", 2, cx + 61);
    return window.rampart.state.zoom.k;
  });
  assert.ok(k > 1.8 && k < 2.2, `spreading two fingers from 41 to 81 px zooms about 2x: ${k}`);
});

test("playing advances the replay: the clock and the counters change", async () => {
  const clock = await text("clock");
  const launched = await number("count-launched");
  await page.selectOption("#speed", "3600");
  await page.click("#play");
  await page.waitForFunction((c) => document.getElementById("clock").textContent !== c, clock);
  await page.waitForFunction(
    (n) => Number(document.getElementById("count-launched").textContent) > n, launched, { timeout: 20000 });
  await page.click("#play");
  assert.equal(await text("play"), "Play");
  assert.ok((await number("count-launched")) > launched);
  assert.deepEqual(errors, []);
});

test("the scrubber jumps to a time", async () => {
  await page.$eval("#scrubber", (el) => { el.value = "7200000"; el.dispatchEvent(new Event("input")); });
  assert.equal(await text("clock"), "02:00:00");
  const shots = await number("count-shots");
  await page.$eval("#scrubber", (el) => { el.value = "0"; el.dispatchEvent(new Event("input")); });
  assert.equal(await text("clock"), "00:00:00");
  assert.equal(await number("count-shots"), 0);
  assert.ok(shots > 0, `shots by 02:00:00: ${shots}`);
  // Rounds left never exceed the rounds at the start.
  await page.$eval("#scrubber", (el) => { el.value = "14400000"; el.dispatchEvent(new Event("input")); });
  const stocks = await page.$$eval("#stocks tr", (rows) => rows.map((r) => [Number(r.cells[1].textContent), Number(r.cells[2].textContent.replace("of ", ""))]));
  assert.ok(stocks.length > 0);
  for (const [left, start] of stocks) assert.ok(left >= 0 && left <= start, `${left} of ${start}`);
});

test("a click on a threat shows its story", async () => {
  // A threat in flight at 02:00:00 and on the map, clicked where the page
  // draws it, with nothing else drawn within the click radius.
  const t = 7200000;
  await page.$eval("#scrubber", (el, v) => { el.value = String(v); el.dispatchEvent(new Event("input")); }, t);
  const found = await page.evaluate((t) => {
    const r = window.rampart.state.replay;
    const spots = [];
    r.threats.forEach((th, k) => { const p = window.rampart.threatOnPage(k); if (p) spots.push({ k, p, inFlight: th.launch <= t && t < th.end }); });
    r.effectors.forEach((e, k) => { const p = window.rampart.effectorOnPage(k); if (p) spots.push({ k: -1 - k, p }); });
    const alone = (s) => spots.every((o) => o === s || Math.hypot(o.p[0] - s.p[0], o.p[1] - s.p[1]) > 14);
    const s = spots.find((s) => s.inFlight && alone(s));
    return s ? { id: r.threats[s.k].id, p: s.p } : null;
  }, t);
  assert.ok(found, "a threat in flight stands alone on the map at 02:00:00");
  await page.mouse.click(found.p[0], found.p[1]);
  const story = await text("story");
  assert.match(story, new RegExp(`^Threat ${found.id}: `));
  assert.match(story, /Fate: /);
  assert.match(story, /launched/);
  assert.deepEqual(errors, []);
});

test("a click on an effector shows its story", async () => {
  const found = await page.evaluate(() => {
    const r = window.rampart.state.replay;
    const threats = r.threats.map((_, k) => window.rampart.threatOnPage(k)).filter(Boolean);
    const effectors = r.effectors.map((e, k) => ({ id: e.id, p: window.rampart.effectorOnPage(k) })).filter((e) => e.p);
    const clear = (e) => threats.every((p) => Math.hypot(p[0] - e.p[0], p[1] - e.p[1]) > 14) &&
      effectors.every((o) => o === e || Math.hypot(o.p[0] - e.p[0], o.p[1] - e.p[1]) > 14);
    return effectors.find(clear) || null;
  });
  assert.ok(found, "an effector stands alone on the map");
  await page.mouse.click(found.p[0], found.p[1]);
  assert.ok((await text("story")).startsWith(found.id + ": "), await text("story"));
});

test("the whole-raid view shows the flights that the region view cuts off", async () => {
  await page.$eval("#scrubber", (el) => { el.value = "7200000"; el.dispatchEvent(new Event("input")); });
  const airborne = await number("count-airborne");
  const region = await number("count-in_view");
  await page.selectOption("#view", "raid");
  const raid = await number("count-in_view");
  assert.ok(region < airborne, `region view: ${region} of ${airborne}`);
  assert.equal(raid, airborne, "every flight is on the map of the whole raid");
  await page.screenshot({ path: join(ARTEFACTS, "replay-whole-raid.png") });
  await page.selectOption("#view", "region");
});

test("at the end of the night the panel agrees with the summary", async () => {
  const r = await page.evaluate(() => window.rampart.state.replay);
  await page.$eval("#scrubber", (el, v) => { el.value = String(v); el.dispatchEvent(new Event("input")); }, r.duration);
  const shots = Object.values(r.summary.shots_by_effector_class).reduce((a, c) => a + c.shots, 0);
  assert.equal(await number("count-shots"), shots);
  assert.equal(await number("count-launched"), r.summary.threats_launched);
  assert.equal(await number("count-killed"), r.summary.by_fate.killed);
  assert.equal(await number("count-jammed"), r.summary.by_fate.jammed);
  assert.equal(await number("count-leaked"), r.summary.leakers);
  assert.equal(await number("count-airborne"), r.summary.by_fate.airborne);
});
