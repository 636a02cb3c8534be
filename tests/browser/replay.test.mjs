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
  // A threat in flight at 02:00:00, clicked where the page draws it.
  const t = 7200000;
  await page.$eval("#scrubber", (el, v) => { el.value = String(v); el.dispatchEvent(new Event("input")); }, t);
  const k = await page.evaluate((t) => window.rampart.state.replay.threats.findIndex((th) => th.launch <= t && t < th.end), t);
  assert.ok(k >= 0, "a threat is in flight at 02:00:00");
  const [x, y] = await page.evaluate(([k, t]) => window.rampart.screenOf(k, t), [k, t]);
  await page.mouse.click(x, y);
  const story = await text("story");
  assert.match(story, /^Threat \d+: /);
  assert.match(story, /Fate: /);
  assert.match(story, /launched/);
  assert.deepEqual(errors, []);
});
