#!/usr/bin/env node
// End-to-end test of the built client (dist/) in Debian's headless Chromium:
//  - a stub of the OpenAI-compatible chat-completions API (streams "Hello from the stub";
//    answers 500 with a JSON error to a prompt containing "fail"),
//  - a static server for dist/ whose /config.js points the app at the stub (the runtime config),
//  - Chromium driven by playwright-core: prompt -> reply, "fail" prompt -> alert, screenshot.
// Exits non-zero with a clear message on any failure; always closes the browser and the servers.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const appDir = path.resolve(here, '..');
const distDir = path.join(appDir, 'dist');
const targetDir = path.resolve(appDir, '..', 'target');
const screenshotPath = path.join(targetDir, 'react-client-e2e.png');
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const WAIT_MS = 15_000;
const STUB_REPLY = 'Hello from the stub';
const STUB_ERROR = 'The stub model failed on purpose';

const log = (message) => console.log(`[e2e] ${message}`);

class E2eFailure extends Error {}
function check(condition, message) {
  if (!condition) throw new E2eFailure(message);
}

// ----------------------------------------------------------------------------- stub API server
function startStubApi() {
  const requests = [];
  const server = http.createServer((req, res) => {
    const cors = {
      'Access-Control-Allow-Origin': '*',
      'Access-Control-Allow-Headers': 'Content-Type, Authorization',
      'Access-Control-Allow-Methods': 'POST, OPTIONS',
    };
    if (req.method === 'OPTIONS') {
      res.writeHead(204, cors).end();
      return;
    }
    if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
      res.writeHead(404, { ...cors, 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ error: { message: `No route ${req.method} ${req.url}` } }));
      return;
    }
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => (raw += chunk));
    req.on('end', () => {
      let body;
      try {
        body = JSON.parse(raw);
      } catch {
        res.writeHead(400, { ...cors, 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ error: { message: 'Body is not JSON' } }));
        return;
      }
      requests.push(body);
      const prompt = body.messages?.at(-1)?.content ?? '';
      if (prompt.includes('fail')) {
        res.writeHead(500, { ...cors, 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ error: { message: STUB_ERROR, type: 'server_error', code: 500 } }));
        return;
      }
      res.writeHead(200, {
        ...cors,
        'Content-Type': 'text/event-stream; charset=utf-8',
        'Cache-Control': 'no-cache',
        Connection: 'keep-alive',
      });
      const pieces = ['Hello', ' from', ' the', ' stub'];
      const chunk = (delta, finish = null) =>
        `data: ${JSON.stringify({
          id: 'chatcmpl-stub',
          object: 'chat.completion.chunk',
          model: body.model,
          choices: [{ index: 0, delta, finish_reason: finish }],
        })}\n\n`;
      const events = [
        chunk({ role: 'assistant' }),
        ...pieces.map((content) => chunk({ content })),
        chunk({}, 'stop'),
        'data: [DONE]\n\n',
      ];
      let i = 0;
      const timer = setInterval(() => {
        if (i < events.length) {
          // Split each event in two writes so the client must join partial reads.
          const event = events[i++];
          const cut = Math.floor(event.length / 2);
          res.write(event.slice(0, cut));
          res.write(event.slice(cut));
        } else {
          clearInterval(timer);
          res.end();
        }
      }, 40);
      res.on('close', () => clearInterval(timer));
    });
  });
  return listen(server).then((url) => ({ server, url, requests }));
}

// --------------------------------------------------------------------------- static dist server
const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.map': 'application/json',
};

function startStaticServer(configJs) {
  const server = http.createServer((req, res) => {
    const urlPath = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (urlPath === '/config.js') {
      res.writeHead(200, { 'Content-Type': MIME['.js'], 'Cache-Control': 'no-store' });
      res.end(configJs);
      return;
    }
    let file = path.join(distDir, path.normalize(urlPath));
    if (!file.startsWith(distDir)) {
      res.writeHead(403).end();
      return;
    }
    if (!existsSync(file) || statSync(file).isDirectory()) file = path.join(distDir, 'index.html'); // SPA fallback
    res.writeHead(200, { 'Content-Type': MIME[path.extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  return listen(server).then((url) => ({ server, url }));
}

function listen(server) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${server.address().port}`));
  });
}

function close(server) {
  return new Promise((resolve) => {
    server.closeAllConnections?.();
    server.close(() => resolve());
  });
}

// ------------------------------------------------------------------------------------- the test
async function main() {
  check(
    existsSync(CHROMIUM),
    `${CHROMIUM} not found. Install Debian chromium: apt-get install chromium`,
  );
  check(
    existsSync(path.join(distDir, 'index.html')),
    `${path.join(distDir, 'index.html')} not found: run "npm run build" first.`,
  );
  let chromium;
  try {
    ({ chromium } = await import('playwright-core'));
  } catch (err) {
    throw new E2eFailure(`playwright-core is not installed (run "npm ci"): ${err.message}`);
  }

  const cleanups = [];
  try {
    const stub = await startStubApi();
    cleanups.push(() => close(stub.server));
    log(`stub chat-completions API on ${stub.url}`);

    const configJs = `window.__LLMSTACK_CONFIG__ = { apiBaseUrl: ${JSON.stringify(stub.url)} };\n`;
    const web = await startStaticServer(configJs);
    cleanups.push(() => close(web.server));
    log(`dist/ served on ${web.url} with config.js -> ${stub.url}`);

    const userDataDir = mkdtempSync(path.join(os.tmpdir(), 'llmstack-e2e-chromium-'));
    cleanups.push(() => rmSync(userDataDir, { recursive: true, force: true }));
    // A persistent context on a fresh, empty profile directory (Playwright's way of --user-data-dir).
    const context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
      viewport: { width: 1000, height: 700 },
      timeout: 60_000,
    });
    cleanups.unshift(() => context.close()); // the browser closes first
    log(`launched ${CHROMIUM} (Chromium ${context.browser()?.version() ?? 'unknown version'})`);

    const page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(WAIT_MS);
    const pageErrors = [];
    page.on('pageerror', (err) => pageErrors.push(err.message));
    page.on('console', (msg) => {
      if (msg.type() === 'error') pageErrors.push(`console: ${msg.text()}`);
    });

    await page.goto(web.url, { waitUntil: 'load' });
    const shownBase = await page.getByTestId('api-base-url').textContent();
    check(
      shownBase === stub.url,
      `the app shows API ${JSON.stringify(shownBase)}, expected the runtime config.js value ${stub.url}`,
    );
    log(`the app reads its API base URL from config.js: ${shownBase}`);

    // 1. A prompt gets the streamed reply.
    await page.getByLabel('Prompt').fill('Say hello, please');
    await page.getByRole('button', { name: 'Send' }).click();
    const reply = page.getByTestId('message-assistant').last();
    try {
      await reply.filter({ hasText: STUB_REPLY }).waitFor({ state: 'visible' });
    } catch {
      const seen = await page.locator('.chat-page').innerText().catch(() => '(page text unavailable)');
      throw new E2eFailure(
        `no reply "${STUB_REPLY}" within ${WAIT_MS} ms. Page shows:\n${seen}\nPage errors: ${pageErrors.join(' | ') || 'none'}`,
      );
    }
    const replyText = await reply.innerText();
    check(replyText.includes(STUB_REPLY), `reply was ${JSON.stringify(replyText)}`);
    check(stub.requests.length === 1, `stub got ${stub.requests.length} requests, expected 1`);
    check(
      stub.requests[0].stream === true && stub.requests[0].model === 'gpt-4o-mini',
      `unexpected request body ${JSON.stringify(stub.requests[0])}`,
    );
    check((await page.getByRole('alert').count()) === 0, 'an error alert is shown after a good reply');
    log(`reply rendered: ${JSON.stringify(replyText.replace(/\s+/g, ' ').trim())}`);

    // 2. A failing prompt shows the status and message in the alert.
    await page.getByLabel('Prompt').fill('Now please fail');
    await page.getByRole('button', { name: 'Send' }).click();
    const alert = page.getByRole('alert');
    try {
      await alert.waitFor({ state: 'visible' });
    } catch {
      throw new E2eFailure(`no role="alert" shown within ${WAIT_MS} ms after the "fail" prompt`);
    }
    const alertText = await alert.innerText();
    check(alertText.includes('HTTP 500'), `alert lacks the status "HTTP 500": ${JSON.stringify(alertText)}`);
    check(alertText.includes(STUB_ERROR), `alert lacks the message "${STUB_ERROR}": ${JSON.stringify(alertText)}`);
    log(`alert shown: ${JSON.stringify(alertText.replace(/\s+/g, ' ').trim())}`);

    mkdirSync(targetDir, { recursive: true });
    await page.screenshot({ path: screenshotPath, fullPage: true });
    log(`screenshot saved to ${screenshotPath}`);

    // The browser logs the deliberate 500 as a failed resource load; anything else is a bug.
    const unexpected = pageErrors.filter((e) => !e.includes('status of 500'));
    check(unexpected.length === 0, `errors in the page: ${unexpected.join(' | ')}`);
  } finally {
    for (const cleanup of cleanups) {
      try {
        await cleanup();
      } catch (err) {
        console.error(`[e2e] cleanup failed: ${err.message}`);
      }
    }
  }
}

const started = Date.now();
try {
  await main();
  console.log(`[e2e] PASSED in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  console.log('2 passed, 0 failed');
  process.exit(0);
} catch (err) {
  const message = err instanceof E2eFailure ? err.message : err.stack || String(err);
  console.error(`[e2e] FAILED: ${message}`);
  console.log('0 passed, 1 failed');
  process.exit(1);
}
