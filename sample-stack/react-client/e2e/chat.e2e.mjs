#!/usr/bin/env node
// End-to-end test of the built client (dist/) in Debian's headless Chromium, against the backend the stack's page
// really talks to:
//  - a stand-in of Open WebUI's OpenAI-compatible API (POST /api/chat/completions, GET /api/models): refuses a
//    request without its API key as Open WebUI does (403 {"detail":"Not authenticated"}), streams "Hello from the
//    stub", answers 500 {"detail": ...} to a prompt containing "fail";
//  - the image's own start script (../images/react-client/40-llmstack-config.sh), run with the dev overlay's
//    settings (backend openwebui, upstream = the stand-in, the key), writes config.js and the nginx locations;
//  - the page's origin: a small server standing in for the image's nginx (no nginx here): dist/, that config.js,
//    and exactly the locations the script wrote, proxied to the stand-in with the Authorization header the script
//    wrote (the browser sends none);
//  - Chromium driven by playwright-core: no key asked, prompt -> reply, "fail" prompt -> alert, screenshot.
// Exits non-zero with a clear message on any failure; always closes the browser and the servers.
import { execFileSync } from 'node:child_process';
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
const START_SCRIPT = path.resolve(appDir, '..', 'images', 'react-client', '40-llmstack-config.sh');
// What the dev overlay's openwebui-secret holds (a test value here).
const API_KEY = 'sk-e2e-openwebui-key';

const log = (message) => console.log(`[e2e] ${message}`);

class E2eFailure extends Error {}
function check(condition, message) {
  if (!condition) throw new E2eFailure(message);
}

// ------------------------------------------------------------------- stand-in of Open WebUI's API
function startStubApi() {
  const requests = [];
  const server = http.createServer((req, res) => {
    if (req.headers.authorization !== `Bearer ${API_KEY}`) {
      // Open WebUI: no token -> 403 "Not authenticated"; a wrong one -> 401
      const status = req.headers.authorization ? 401 : 403;
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ detail: status === 403 ? 'Not authenticated' : 'Invalid token' }));
      return;
    }
    if (req.method === 'GET' && req.url === '/api/models') {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ data: [{ id: 'gpt-4o-mini', object: 'model', owned_by: 'openai' }] }));
      return;
    }
    if (req.method !== 'POST' || req.url !== '/api/chat/completions') {
      res.writeHead(404, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ detail: 'Not Found' }));
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
        res.writeHead(400, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ detail: 'Body is not JSON' }));
        return;
      }
      requests.push(body);
      const prompt = body.messages?.at(-1)?.content ?? '';
      if (prompt.includes('fail')) {
        res.writeHead(500, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ detail: STUB_ERROR }));
        return;
      }
      res.writeHead(200, {
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

// ------------------------------------------------------ the image's start script, and nginx's stand-in

/** Runs the image's start script as the container would, into a temporary directory; its two files. */
function runStartScript(upstream, dir) {
  const conf = path.join(dir, 'nginx');
  const html = path.join(dir, 'html');
  mkdirSync(html, { recursive: true });
  const out = execFileSync('sh', [START_SCRIPT], {
    env: {
      PATH: process.env.PATH,
      LLMSTACK_NGINX_CONF_DIR: conf,
      LLMSTACK_HTML_DIR: html,
      LLM_API_BACKEND: 'openwebui',
      LLM_API_UPSTREAM: upstream,
      LLM_API_KEY: API_KEY,
    },
    encoding: 'utf8',
  });
  check(!out.includes(API_KEY), `the start script printed the API key: ${out}`);
  return {
    configJs: readFileSync(path.join(html, 'config.js'), 'utf8'),
    nginxConf: readFileSync(path.join(conf, 'llm-api.conf'), 'utf8'),
  };
}

/** The exact-match locations of the written nginx configuration, each with its upstream and Authorization. */
function proxiedLocations(nginxConf) {
  const locations = new Map();
  for (const block of nginxConf.split(/^location /m).slice(1)) {
    const exact = /^= (\S+) \{/.exec(block);
    const upstream = /proxy_pass (\S+);/.exec(block);
    const auth = /proxy_set_header Authorization "([^"]*)";/.exec(block);
    check(exact && upstream, `unexpected location in the nginx configuration:\n${block}`);
    locations.set(exact[1], { upstream: upstream[1], authorization: auth?.[1] });
  }
  return locations;
}
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

/** The page's origin as the image's nginx serves it: dist/, config.js, the proxied API locations. */
function startPageServer(configJs, locations) {
  const browserAuthorizations = [];
  const server = http.createServer((req, res) => {
    const urlPath = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    const location = locations.get(urlPath);
    if (location) {
      browserAuthorizations.push(req.headers.authorization);
      const headers = { ...req.headers };
      delete headers.host;
      if (location.authorization) headers.authorization = location.authorization;
      const upstream = http.request(`${location.upstream}${req.url}`, { method: req.method, headers }, (answer) => {
        res.writeHead(answer.statusCode, answer.headers);
        answer.pipe(res); // unbuffered, as proxy_buffering off
      });
      upstream.on('error', (err) => res.writeHead(502).end(String(err)));
      req.pipe(upstream);
      return;
    }
    if (urlPath.startsWith('/api/')) {
      res.writeHead(404).end(); // nginx: only the written locations are proxied; the SPA fallback is for pages
      return;
    }
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
  return listen(server).then((url) => ({ server, url, browserAuthorizations }));
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
    log(`stand-in of Open WebUI's API on ${stub.url}`);

    const scriptDir = mkdtempSync(path.join(os.tmpdir(), 'llmstack-e2e-start-'));
    cleanups.push(() => rmSync(scriptDir, { recursive: true, force: true }));
    const { configJs, nginxConf } = runStartScript(stub.url, scriptDir);
    const locations = proxiedLocations(nginxConf);
    check(
      [...locations.keys()].join(' ') === '/api/chat/completions /api/models',
      `the start script proxies ${[...locations.keys()].join(', ')}, expected /api/chat/completions and /api/models`,
    );
    check(
      [...locations.values()].every((l) => l.authorization === `Bearer ${API_KEY}` && l.upstream === stub.url),
      'the start script did not proxy to the upstream with the key',
    );
    const web = await startPageServer(configJs, locations);
    cleanups.push(() => close(web.server));
    log(`dist/ served on ${web.url}; config.js and /api/ locations written by the image's start script`);

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
      shownBase === `${web.url}/api`,
      `the app shows API ${JSON.stringify(shownBase)}, expected the page's origin + /api from config.js (${web.url}/api)`,
    );
    log(`the app reads its API base URL from config.js: ${shownBase}`);
    check((await page.getByLabel(/API key/).count()) === 0, 'the page asks for an API key the server adds');
    const pageText = await page.locator('.chat-page').innerText();
    check(!/optional/i.test(pageText), `the page labels something optional: ${JSON.stringify(pageText)}`);
    check(pageText.includes("API key: added by the page's server"), 'the page does not say the server adds the key');

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
      web.browserAuthorizations.every((a) => a === undefined),
      `the browser sent an Authorization header: ${web.browserAuthorizations}`,
    );
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
