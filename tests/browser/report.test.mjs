// The HTML report of the example night opens in Chromium with the network
// cut off, with no console error, and shows the numbers of `--json`.
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { test } from "node:test";
import { ARTEFACTS, browser, rampart, watchErrors } from "./common.mjs";

// RFC 6901: the value at a JSON Pointer such as /by_fate/killed.
function pointer(doc, path) {
  return path.split("/").slice(1).map((t) => t.replace(/~1/g, "/").replace(/~0/g, "~")).reduce((v, k) => v?.[k], doc);
}

// Opens `file` with the network cut off; returns what it shows from the
// result (pointer, value, text), after checking that it logged no error and
// asked the network for nothing. Keeps a full-page screenshot as `shot`.
async function openOffline(file, shot) {
  const chrome = await browser();
  try {
    const context = await chrome.newContext({ offline: true });
    const requests = [];
    await context.route("**/*", (route) => {
      const url = route.request().url();
      if (url.startsWith("file:")) return route.continue();
      requests.push(url);
      return route.abort();
    });
    const page = await context.newPage();
    const errors = watchErrors(page);
    await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
    const shown = await page.$$eval("[data-metric]", (els) => els.map((e) => [e.dataset.metric, e.dataset.value, e.textContent]));
    await page.screenshot({ path: join(ARTEFACTS, shot), fullPage: true });
    assert.deepEqual(errors, []);
    assert.deepEqual(requests, [], "the report asked the network for something");
    return shown;
  } finally {
    await chrome.close();
  }
}

test("study and campaign reports work offline and show the numbers of their --json", async () => {
  const dir = mkdtempSync(join(tmpdir(), "rampart-study-report-"));
  for (const [name, args] of [
    ["mc", ["mc", "examples/minimal.toml", "--reps", "20", "--json"]],
    ["campaign", ["campaign", "examples/campaign.toml", "--nights", "12", "--reps", "2", "--json"]],
  ]) {
    const file = join(dir, `${name}.html`);
    const result = JSON.parse(await rampart([...args, "--report", file]));
    const shown = await openOffline(file, `report-${name}.png`);
    assert.ok(shown.length > 10, `${name}: ${shown.length} numbers`);
    for (const [path, value] of shown) {
      assert.deepEqual(JSON.parse(value), pointer(result, path) ?? null, `${name}: ${path}`);
    }
  }
});

test("the night report works offline and matches the --json summary", async () => {
  const dir = mkdtempSync(join(tmpdir(), "rampart-report-"));
  const file = join(dir, "night.html");
  const summary = JSON.parse(await rampart(["run", "examples/night-raid.toml", "--json", "--report", file]));
  {
    const shown = await openOffline(file, "report.png");
    assert.ok(shown.length > 30, `${shown.length} numbers shown`);
    for (const [path, value, text] of shown) {
      const want = pointer(summary, path);
      assert.notEqual(want, undefined, `${path} is not in the --json summary`);
      assert.equal(JSON.parse(value), want, path);
      // What the reader sees is that number, rounded as shown.
      const seen = Number(text.replace(/[$,%]/g, ""));
      const scaled = text.endsWith("%") ? 100 * want : want;
      const decimals = (text.replace(/[$,%]/g, "").split(".")[1] || "").length;
      assert.ok(Math.abs(seen - scaled) <= 0.5 * 10 ** -decimals + 1e-9, `${path}: shown ${text}, value ${want}`);
    }
    for (const path of ["/leakers", "/threats_launched", "/defender_cost", "/attacker_cost", "/cost_exchange_ratio"]) {
      assert.ok(shown.some(([p]) => p === path), `${path} is not shown`);
    }
  }
});
