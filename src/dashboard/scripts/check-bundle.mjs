// Prints the gzip size of every built file and fails when the JavaScript that index.html loads
// at first (its entry script and the modules it preloads) is over the budget.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

const BUDGET_KB = 250;
const dist = new URL("../dist/", import.meta.url).pathname;
const gz = (file) => gzipSync(readFileSync(join(dist, file))).length;
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;

const html = readFileSync(join(dist, "index.html"), "utf8");
const initial = [...html.matchAll(/<(?:script|link)[^>]+(?:src|href)="\/?(assets\/[^"]+\.js)"/g)].map((m) => m[1]);
for (const file of readdirSync(join(dist, "assets")).sort()) {
  const path = `assets/${file}`;
  console.log(`${initial.includes(path) ? "initial " : "        "} ${path.padEnd(48)} ${kb(gz(path)).padStart(10)} gzip`);
}
const total = initial.reduce((sum, f) => sum + gz(f), 0);
console.log(`initial JavaScript: ${kb(total)} gzip (budget ${BUDGET_KB} KB)`);
if (initial.length === 0) {
  console.error("no initial script found in dist/index.html");
  process.exit(1);
}
if (total > BUDGET_KB * 1024) {
  console.error(`initial JavaScript is over the budget of ${BUDGET_KB} KB gzip`);
  process.exit(1);
}
