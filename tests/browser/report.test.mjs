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

test("the night report works offline and matches the --json summary", async () => {
  const dir = mkdtempSync(join(tmpdir(), "rampart-report-"));
  const file = join(dir, "night.html");
  const summary = JSON.parse(await rampart(["run", "examples/night-raid.toml", "--json", "--report", file]));
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
    await page.screenshot({ path: join(ARTEFACTS, "report.png"), fullPage: true });
    assert.deepEqual(errors, []);
    assert.deepEqual(requests, [], "the report asked the network for something");
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
  } finally {
    await chrome.close();
  }
});
