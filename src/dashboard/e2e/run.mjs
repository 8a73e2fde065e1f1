// End-to-end tests of the dashboard in a real Chromium (Debian's, through playwright-core; no
// browser is downloaded) against a single node started for them, with its data in a temporary
// folder and free ports. Every step counts as one test; the last line is
// "e2e: N passed, N failed". Screenshots of the main views go to e2e/screenshots/.
//
//   node e2e/run.mjs                 builds nothing: needs dist/ (npm run build) and the server
//                                    (dotnet build src/Wagate.Server -c Release)
//   WAGATE_E2E_URL=http://127.0.0.1:8080 WAGATE_E2E_ADMIN_PASSWORD=... node e2e/run.mjs
//                                    runs against a server you started instead
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = fileURLToPath(new URL(".", import.meta.url));
const root = join(here, "../../..");
const dist = join(here, "../dist");
const shots = join(here, "screenshots");
const serverDll = join(root, "src/Wagate.Server/bin/Release/net10.0/Wagate.Server.dll");
const WAIT = 30_000;

let passed = 0;
let failed = 0;
const results = [];

/** Runs the steps of one scenario in order; after a failure the rest cannot run and count as failed. */
async function scenario(name, page, steps) {
  let broken = null;
  for (const [title, step] of steps) {
    const label = `${name}: ${title}`;
    if (broken) {
      failed++;
      results.push(`FAIL ${label} (not run: "${broken}" failed)`);
      console.log(`FAIL ${label} (not run)`);
      continue;
    }
    const started = Date.now();
    try {
      await step();
      passed++;
      console.log(`PASS ${label} (${Date.now() - started} ms)`);
    } catch (error) {
      failed++;
      broken = title;
      console.log(`FAIL ${label}: ${error?.message?.split("\n").slice(0, 6).join("\n  ")}`);
      if (page) await shot(page, `failed-${name}`).catch(() => {});
    }
  }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function startServer() {
  if (!existsSync(join(dist, "index.html"))) throw new Error("dist/ is missing: run npm run build first");
  if (!existsSync(serverDll)) throw new Error(`${serverDll} is missing: run dotnet build src/Wagate.Server -c Release`);
  const data = mkdtempSync(join(tmpdir(), "wagate-e2e-"));
  const httpPort = await freePort();
  let grpcPort = await freePort();
  while (grpcPort === httpPort) grpcPort = await freePort();
  const admin = { email: "admin@wagate.local", password: `e2e-${Math.random().toString(36).slice(2)}-admin` };
  const env = {
    ...process.env,
    WAGATE_DATA_DIR: data,
    WAGATE_HTTP_PORT: String(httpPort),
    WAGATE_GRPC_PORT: String(grpcPort),
    WAGATE_ADMIN_EMAIL: admin.email,
    WAGATE_ADMIN_PASSWORD: admin.password,
    WAGATE_DASHBOARD_DIR: dist,
    WAGATE_SEND_MIN_GAP_MS: "0",
    WAGATE_SEND_JITTER_MS: "0",
    WAGATE_PASSWORD_ITERATIONS: "10000",
    // The webhook test's endpoint is on loopback; its retries wait long enough not to interfere.
    WAGATE_WEBHOOK_ALLOW_LOOPBACK: "1",
    WAGATE_WEBHOOK_FIRST_RETRY_MS: "600000",
  };
  const log = [];
  const child = spawn("dotnet", [serverDll], { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout.on("data", (d) => log.push(String(d)));
  child.stderr.on("data", (d) => log.push(String(d)));
  const url = `http://127.0.0.1:${httpPort}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited:\n${log.join("")}`);
    try {
      const ready = await fetch(`${url}/readyz`);
      if (ready.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill("SIGTERM");
      throw new Error(`the server was not ready within 90 s:\n${log.join("")}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    admin,
    log,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
        if (child.exitCode === null) child.kill("SIGKILL");
      }
      rmSync(data, { recursive: true, force: true });
    },
  };
}

const shot = async (page, name) => {
  await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
};

const axeSource = join(here, "../node_modules/axe-core/axe.min.js");

/** Runs axe-core in the page; a critical violation fails, serious ones are listed. */
async function accessible(page, label) {
  await page.addScriptTag({ path: axeSource });
  const { violations } = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
  for (const v of violations.filter((v) => v.impact === "serious")) console.log(`  note ${label}: ${v.id}: ${v.help} (${v.nodes.map((n) => n.target).join(", ")})`);
  const critical = violations.filter((v) => v.impact === "critical");
  if (critical.length) throw new Error(`${label}: ${critical.map((v) => `${v.id}: ${v.help} (${v.nodes[0]?.target})`).join("; ")}`);
}

/** Presses the view's Refresh button until `locator` shows (for reads without a stream). */
async function refreshUntil(page, locator, timeout = WAIT) {
  const deadline = Date.now() + timeout;
  for (;;) {
    try {
      await locator.waitFor({ timeout: 1000 });
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await page.getByRole("button", { name: "Refresh" }).click();
    }
  }
}

/** A webhook endpoint that answers 500, counting the requests it gets. */
async function failingEndpoint() {
  const { createServer: createHttpServer } = await import("node:http");
  const endpoint = { requests: 0, url: "", close: () => {} };
  const server = createHttpServer((req, res) => {
    endpoint.requests++;
    req.resume();
    res.writeHead(500, { "content-type": "text/plain" }).end("down for the test");
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  endpoint.url = `http://127.0.0.1:${server.address().port}`;
  endpoint.close = () => server.close();
  return endpoint;
}

/** Waits for `locator` to show `text` (the dashboard updates it live; nothing reloads). */
const waitForText = (locator, text, timeout = WAIT) => locator.filter({ hasText: text }).first().waitFor({ timeout });

async function main() {
  mkdirSync(shots, { recursive: true });
  let server;
  if (process.env.WAGATE_E2E_URL) {
    server = {
      url: process.env.WAGATE_E2E_URL,
      admin: { email: process.env.WAGATE_E2E_ADMIN_EMAIL ?? "admin@wagate.local", password: process.env.WAGATE_E2E_ADMIN_PASSWORD ?? "" },
      stop: async () => {},
    };
  } else {
    try {
      server = await startServer();
    } catch (error) {
      console.log(`FAIL e2e: could not start a server: ${error.message}`);
      console.log("e2e: 0 passed, 1 failed");
      process.exitCode = 1;
      return;
    }
  }
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    args: ["--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const errors = [];
  const hook = await failingEndpoint();
  try {
    const stamp = Date.now().toString(36);
    const customer = { email: `e2e-${stamp}@example.com`, password: "correct-horse-42", tenant: `Acme ${stamp}` };
    const desktop = { viewport: { width: 1280, height: 860 } };

    // --- The gateway serves the app ------------------------------------------------------------
    await scenario("gateway", null, [
      ["serves index.html at / and deep links, uncached", async () => {
        for (const path of ["/", "/sessions/support", "/operator/workers"]) {
          const res = await fetch(server.url + path, { redirect: "manual" });
          const body = await res.text();
          if (res.status !== 200 || !body.includes('<div id="root">')) throw new Error(`${path}: ${res.status}`);
          if (res.headers.get("cache-control") !== "no-cache") throw new Error(`${path}: cache-control ${res.headers.get("cache-control")}`);
        }
      }],
      ["serves hashed assets as immutable and API misses as 404, not the app", async () => {
        const html = await (await fetch(server.url + "/")).text();
        const asset = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
        if (!asset) throw new Error("no script in index.html");
        const res = await fetch(server.url + asset);
        if (res.status !== 200 || !/immutable/.test(res.headers.get("cache-control") ?? "")) throw new Error(`${asset}: ${res.status} ${res.headers.get("cache-control")}`);
        for (const path of ["/v1/nothing-here", "/openapi/nothing.json", "/assets/missing-0000.js", "/metrics/x"]) {
          const miss = await fetch(server.url + path);
          if (miss.status !== 404) throw new Error(`${path}: ${miss.status}`);
        }
        const openapi = await fetch(server.url + "/openapi/v1.json");
        if (openapi.status !== 200) throw new Error(`/openapi/v1.json: ${openapi.status}`);
      }],
    ]);

    // --- A new customer, from sign-up to a delivered message -------------------------------
    const context = await browser.newContext(desktop);
    const page = await context.newPage();
    page.on("pageerror", (e) => errors.push(e.message));
    const phoneA = "+15550001111";
    const phoneB = "+15550002222";
    await scenario("customer", page, [
      ["signs up and sees the first API key once", async () => {
        await page.goto(server.url + "/");
        await page.getByRole("heading", { name: "Sign in" }).waitFor({ timeout: WAIT });
        await shot(page, "sign-in");
        await page.getByRole("link", { name: "Create an account" }).click();
        await page.getByLabel("Your name", { exact: true }).fill("E2E Owner");
        await page.getByLabel("Company or project", { exact: true }).fill(customer.tenant);
        await page.getByLabel("Email", { exact: true }).fill(customer.email);
        await page.getByLabel("Password", { exact: true }).fill(customer.password);
        await shot(page, "sign-up");
        await page.getByRole("button", { name: "Create account" }).click();
        await page.getByRole("heading", { name: "Sessions" }).waitFor({ timeout: WAIT });
        await page.getByTestId("secret").waitFor({ timeout: WAIT });
        await shot(page, "sessions-empty");
        await page.reload();
        await page.getByRole("heading", { name: "Sessions" }).waitFor({ timeout: WAIT });
        if (await page.getByTestId("secret").count()) throw new Error("the first key is shown again after a reload");
        // From here on, a full page load would show: the marker is gone after one.
        await page.evaluate(() => (window.__noReload = true));
      }],
      ["creates a sandbox session and sees its QR code", async () => {
        await page.getByRole("button", { name: "New session" }).click();
        await page.getByLabel("Display name", { exact: true }).fill("Support line");
        await page.getByLabel("Session id (optional)", { exact: true }).fill("support");
        await page.getByLabel("Engine", { exact: true }).selectOption({ label: "Sandbox (simulated WhatsApp)" });
        await page.getByRole("button", { name: "Create session" }).click();
        await page.waitForURL(/\/sessions\/support$/, { timeout: WAIT });
        await page.getByTestId("qr-code").locator("svg").waitFor({ timeout: WAIT });
        await waitForText(page.getByTestId("qr-countdown"), "A new code comes in");
        await shot(page, "session-qr");
      }],
      ["scans the QR with a sandbox phone and sees CONNECTED without reloading", async () => {
        await page.getByLabel("Sandbox phone number", { exact: true }).fill(phoneA);
        await page.getByRole("button", { name: "Scan with a sandbox phone" }).click();
        await waitForText(page.getByTestId("session-state"), "Connected");
        await page.getByTestId("qr-code").waitFor({ state: "detached", timeout: WAIT });
        if (!(await page.evaluate(() => window.__noReload === true))) throw new Error("the page reloaded");
        await waitForText(page.locator("dd"), phoneA);
        await shot(page, "session-connected");
      }],
      ["creates a second sandbox phone", async () => {
        await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Sandbox" }).click();
        await page.getByLabel("Phone number", { exact: true }).fill(phoneB);
        await page.getByRole("button", { name: "Create phone" }).click();
        await waitForText(page.getByRole("list", { name: "Sandbox phones" }).getByRole("listitem"), phoneB);
        await shot(page, "sandbox");
      }],
      ["sends it a message and sees DELIVERED, then READ, live", async () => {
        await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Sessions" }).click();
        await page.getByRole("link", { name: "Support line" }).click();
        await waitForText(page.getByTestId("session-state"), "Connected");
        await page.getByLabel("To", { exact: true }).fill(phoneB);
        await page.getByLabel("Message", { exact: true }).fill("Hello from the dashboard");
        await page.getByRole("button", { name: "Send" }).click();
        const row = page.getByTestId("message-row").filter({ hasText: "Hello from the dashboard" });
        await waitForText(row.getByTestId("message-state"), "Delivered");
        await shot(page, "messages-delivered");
        // The phone reads it (as its owner would, outside this page): the row turns READ live.
        const tenant = await page.evaluate(async () => {
          const me = await fetch("/v1/users/me", { headers: { authorization: `Bearer ${sessionStorage.getItem("wagate.accessToken")}` } });
          return (await me.json()).tenant;
        });
        const marked = await page.evaluate(async ([tenant, phone]) => {
          const res = await fetch(`/v1/${tenant}/sandboxPhones/${phone}/messages:markRead`, {
            method: "POST",
            headers: { authorization: `Bearer ${sessionStorage.getItem("wagate.accessToken")}`, "content-type": "application/json" },
            body: "{}",
          });
          return res.status;
        }, [tenant, phoneB.replace(/\D/g, "")]);
        if (marked !== 200) throw new Error(`markRead answered ${marked}`);
        await waitForText(row.getByTestId("message-state"), "Read");
        if (!(await page.evaluate(() => window.__noReload === true))) throw new Error("the page reloaded");
        await shot(page, "messages-read");
      }],
      ["shows the message in the phone's inbox", async () => {
        await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Sandbox" }).click();
        await page.getByRole("listitem").filter({ hasText: phoneB }).getByRole("button", { name: "Inbox" }).click();
        await waitForText(page.getByTestId("phone-message"), "Hello from the dashboard");
        await shot(page, "sandbox-inbox");
      }],
      ["creates an API key and sees its secret once", async () => {
        await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "API keys" }).click();
        await page.getByLabel("Name", { exact: true }).fill("billing service");
        await page.getByLabel("Send messages", { exact: true }).check();
        await page.getByRole("button", { name: "Create key" }).click();
        const secret = (await page.getByTestId("secret").textContent({ timeout: WAIT })) ?? "";
        if (secret.length < 16) throw new Error(`no secret shown (got "${secret}")`);
        await waitForText(page.getByTestId("api-key-row"), "billing service");
        await shot(page, "api-keys-secret");
        await page.getByRole("button", { name: "Done" }).click();
        await page.getByTestId("secret").waitFor({ state: "detached", timeout: WAIT });
        await page.reload();
        await waitForText(page.getByTestId("api-key-row"), "billing service");
        if ((await page.content()).includes(secret)) throw new Error("the secret is shown again");
        await shot(page, "api-keys");
      }],
      ["looks right at phone width (390 px)", async () => {
        await page.setViewportSize({ width: 390, height: 844 });
        for (const [path, name, ready] of [
          ["/sessions", "mobile-sessions", () => page.getByTestId("session-row").first().waitFor({ timeout: WAIT })],
          ["/sessions/support", "mobile-session", () => page.getByTestId("message-row").first().waitFor({ timeout: WAIT })],
          ["/api-keys", "mobile-api-keys", () => page.getByTestId("api-key-row").first().waitFor({ timeout: WAIT })],
          ["/sandbox", "mobile-sandbox", () => page.getByRole("list", { name: "Sandbox phones" }).waitFor({ timeout: WAIT })],
        ]) {
          await page.goto(server.url + path);
          await ready();
          const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
          if (overflow > 1) throw new Error(`${path} is ${overflow} px wider than the screen`);
          await shot(page, name);
        }
        await page.setViewportSize(desktop.viewport);
      }],
      ["creates a webhook, sees its failed delivery with the attempt, and redelivers it", async () => {
        await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Webhooks" }).click();
        await page.getByRole("button", { name: "New webhook" }).click();
        await page.getByLabel("URL", { exact: true }).fill(`${hook.url}/wagate`);
        await page.getByRole("button", { name: "Create webhook" }).click();
        await page.getByTestId("secret").waitFor({ timeout: WAIT });
        await shot(page, "webhooks-secret");
        await page.getByRole("button", { name: "Done" }).click();
        // An event for it: the second phone writes to the session's number.
        await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Sandbox" }).click();
        await page.getByRole("listitem").filter({ hasText: phoneB }).getByRole("button", { name: "Inbox" }).click();
        await page.getByLabel("To (a session's number)", { exact: true }).fill(phoneA);
        await page.getByLabel("Text", { exact: true }).fill("Are you there?");
        await page.getByRole("button", { name: "Send", exact: true }).click();
        await waitForText(page.getByTestId("phone-message"), "Are you there?");
        await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Webhooks" }).click();
        await page.getByRole("link", { name: `${hook.url}/wagate` }).click();
        // Deliveries have no stream: the view's Refresh button reads them again until the attempt shows.
        const attempt = page.getByTestId("delivery").filter({ hasText: "HTTP 500" }).first();
        await refreshUntil(page, attempt);
        await shot(page, "webhook-deliveries");
        const before = hook.requests;
        await attempt.getByRole("button", { name: "Redeliver" }).click();
        await refreshUntil(page, page.getByTestId("delivery").first().getByRole("row").nth(2));
        if (hook.requests <= before) throw new Error("the redelivery did not reach the endpoint");
      }],
      ["has no critical accessibility violations (axe) in the customer views", async () => {
        for (const path of ["/sessions", "/sessions/support", "/sandbox", "/api-keys", "/webhooks"]) {
          await page.goto(server.url + path);
          await page.getByRole("heading", { level: 1 }).first().waitFor({ timeout: WAIT });
          await accessible(page, path);
        }
      }],
    ]);

    // --- The platform operator -------------------------------------------------------------
    const adminContext = await browser.newContext(desktop);
    const admin = await adminContext.newPage();
    admin.on("pageerror", (e) => errors.push(e.message));
    const tenantRow = () => admin.getByTestId("tenant-row").filter({ hasText: customer.tenant });
    await scenario("operator", admin, [
      ["signs in and sees the workers", async () => {
        await admin.goto(server.url + "/sign-in");
        await admin.getByLabel("Email", { exact: true }).fill(server.admin.email);
        await admin.getByLabel("Password", { exact: true }).fill(server.admin.password);
        await admin.getByRole("button", { name: "Sign in" }).click();
        await admin.getByRole("heading", { name: "Workers" }).waitFor({ timeout: WAIT });
        await admin.getByTestId("worker-row").first().waitFor({ timeout: WAIT });
        await shot(admin, "operator-workers");
        await accessible(admin, "/operator/workers");
      }],
      ["sees the new customer's tenant", async () => {
        await admin.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Tenants" }).click();
        await tenantRow().waitFor({ timeout: WAIT });
        await shot(admin, "operator-tenants");
        await accessible(admin, "/operator/tenants");
        await admin.setViewportSize({ width: 390, height: 844 });
        await shot(admin, "mobile-operator-tenants");
        await admin.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Workers" }).click();
        await admin.getByTestId("worker-row").first().waitFor({ timeout: WAIT });
        const overflow = await admin.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        if (overflow > 1) throw new Error(`/operator/workers is ${overflow} px wider than the screen`);
        await shot(admin, "mobile-operator-workers");
        await admin.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Tenants" }).click();
        await admin.setViewportSize(desktop.viewport);
      }],
      ["suspends it", async () => {
        await tenantRow().getByRole("button", { name: /^Suspend/ }).click();
        await tenantRow().getByLabel("Reason", { exact: true }).fill("unpaid invoice");
        await tenantRow().getByRole("button", { name: "Suspend", exact: true }).click();
        await waitForText(tenantRow(), "Suspended");
      }],
    ]);

    await scenario("suspended customer", page, [
      ["is refused with a clear message at the next action", async () => {
        await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Sessions" }).click();
        await waitForText(page.getByRole("alert"), "This tenant is suspended; contact the platform administrator.");
        await shot(page, "suspended-refused");
      }],
    ]);

    await scenario("operator again", admin, [
      ["resumes the tenant", async () => {
        await tenantRow().getByRole("button", { name: "Resume" }).click();
        await waitForText(tenantRow(), "Active");
      }],
    ]);

    await scenario("customer again", page, [
      ["sends again once resumed, then signs out", async () => {
        await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Sandbox" }).click();
        await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Sessions" }).click();
        await page.getByRole("link", { name: "Support line" }).click();
        await page.getByLabel("To", { exact: true }).fill(phoneB);
        await page.getByLabel("Message", { exact: true }).fill("Back again");
        await page.getByRole("button", { name: "Send", exact: true }).click();
        await waitForText(page.getByTestId("message-row").filter({ hasText: "Back again" }).getByTestId("message-state"), "Delivered");
        await page.getByRole("button", { name: "Sign out" }).click();
        await page.getByRole("heading", { name: "Sign in" }).waitFor({ timeout: WAIT });
        if (await page.evaluate(() => sessionStorage.getItem("wagate.accessToken"))) throw new Error("the token is still stored");
      }],
    ]);
    await context.close();
    await adminContext.close();

    // --- Dark mode follows the system ------------------------------------------------------
    const darkContext = await browser.newContext({ ...desktop, colorScheme: "dark" });
    const dark = await darkContext.newPage();
    dark.on("pageerror", (e) => errors.push(e.message));
    await scenario("dark mode", dark, [
      ["renders the views dark", async () => {
        await dark.goto(server.url + "/sign-in");
        await dark.getByLabel("Email", { exact: true }).fill(customer.email);
        await dark.getByLabel("Password", { exact: true }).fill(customer.password);
        await dark.getByRole("button", { name: "Sign in" }).click();
        await dark.getByTestId("session-row").first().waitFor({ timeout: WAIT });
        const background = await dark.evaluate(() => getComputedStyle(document.body).backgroundColor);
        if (!/^(rgb|oklch|lab)\(/.test(background) || /255, 255, 255|oklch\(0\.9/.test(background)) throw new Error(`the page is light: ${background}`);
        await shot(dark, "dark-sessions");
        await dark.getByRole("link", { name: "Support line" }).click();
        await dark.getByTestId("message-row").first().waitFor({ timeout: WAIT });
        await shot(dark, "dark-session");
        await accessible(dark, "/sessions/support (dark)");
      }],
    ]);
    await darkContext.close();

    if (errors.length) {
      failed++;
      console.log(`FAIL no script errors in the pages:\n  ${errors.join("\n  ")}`);
    } else {
      passed++;
      console.log("PASS no script errors in the pages");
    }
  } finally {
    await browser.close();
    hook.close();
    await server.stop();
  }
  console.log(`screenshots in ${shots}`);
  console.log(`e2e: ${passed} passed, ${failed} failed`);
  process.exitCode = failed ? 1 : 0;
}

main().catch((error) => {
  console.log(`FAIL e2e: ${error?.stack ?? error}`);
  console.log(`e2e: ${passed} passed, ${failed + 1} failed`);
  process.exitCode = 1;
});
