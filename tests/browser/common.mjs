// Shared by the browser tests: the rampart binary, Chromium, artefacts.
import { spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const RAMPART = process.env.RAMPART_BIN || join(ROOT, "target/debug/rampart");
export const ARTEFACTS = join(ROOT, "target/browser-artifacts");
mkdirSync(ARTEFACTS, { recursive: true });

// Debian's Chromium, started as the machine allows: no sandbox as root, no
// GPU, and none of the background connections a closed network refuses.
export async function browser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: [
      "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ],
  });
}

// Records console errors and uncaught exceptions of a page.
export function watchErrors(page) {
  const errors = [];
  page.on("console", (m) => { if (m.type() === "error") errors.push(`console: ${m.text()}`); });
  page.on("pageerror", (e) => errors.push(`exception: ${e.message}`));
  return errors;
}

// Runs rampart and returns its stdout (throws on a non-zero exit).
export function rampart(args) {
  return new Promise((ok, fail) => {
    const p = spawn(RAMPART, args, { cwd: ROOT });
    let out = "", err = "";
    p.stdout.on("data", (d) => { out += d; });
    p.stderr.on("data", (d) => { err += d; });
    p.on("close", (code) => (code === 0 ? ok(out) : fail(new Error(`rampart ${args.join(" ")}: exit ${code}\n${err}`))));
  });
}

// Starts `rampart serve ... --port 0` and resolves with its URL once it
// says where it listens.
export function serve(args) {
  return new Promise((ok, fail) => {
    const p = spawn(RAMPART, ["serve", ...args, "--port", "0"], { cwd: ROOT });
    let out = "";
    const timer = setTimeout(() => fail(new Error(`no address from rampart serve: ${out}`)), 60000);
    p.stdout.on("data", (d) => {
      out += d;
      const m = out.match(/http:\/\/[0-9.:]+\//);
      if (m) { clearTimeout(timer); ok({ url: m[0], process: p, banner: out }); }
    });
    p.stderr.on("data", (d) => { out += d; });
    p.on("exit", (code) => { clearTimeout(timer); fail(new Error(`rampart serve exited ${code}: ${out}`)); });
  });
}
