// Measures Lighthouse's four scores (performance, accessibility, best
// practices, SEO) of pages of a running motcua server in headless Chromium,
// with Lighthouse's default settings: a phone (mobile emulation) and
// simulated throttling (slow 4G, 4× CPU slowdown).
//
//   npm ci --prefix tools/lighthouse
//   node tools/lighthouse/measure.mjs BASE PAGES.json [RUNS]
//
// PAGES.json is a list of pages, measured one at a time, RUNS times each
// (default 1), each in a fresh headless Chromium:
//
//   [{"who": "congdan", "path": "/ho-so", "cookie": "motcua_session=…", "status": 200}]
//
// "cookie" (optional) is sent with every request of the page: a signed-in
// page. "status" 404 measures an error page (Lighthouse stops on an HTTP
// error otherwise). It prints a JSON list: per page its runs, each with the
// four scores (0–100), the audits that cost points (weighted audits scored
// under 1, by category) and Lighthouse's benchmark index of the machine
// at that moment (its CPU speed: lower when the machine is busy). The browser test TestBrowserLighthouse
// (cmd/motcua) starts the demo, writes PAGES.json and judges the result.
import {readFileSync} from 'node:fs';
import lighthouse from 'lighthouse';
import * as chromeLauncher from 'chrome-launcher';

const [base, file, runsArg] = process.argv.slice(2);
if (!base || !file) {
  console.error('usage: node measure.mjs BASE PAGES.json [RUNS]');
  process.exit(2);
}
const pages = JSON.parse(readFileSync(file, 'utf8'));
const runs = Number(runsArg || 1);
const categories = ['performance', 'accessibility', 'best-practices', 'seo'];

// measure runs Lighthouse once on page and keeps what the test reads.
async function measure(port, page) {
  // Skipped: what no category scores and costs seconds (the back/forward
  // cache's second navigation, the screenshots).
  const flags = {
    port, output: 'json', logLevel: 'error', ignoreStatusCode: page.status >= 400,
    disableFullPageScreenshot: true, skipAudits: ['bf-cache', 'screenshot-thumbnails', 'final-screenshot'],
  };
  if (page.cookie) flags.extraHeaders = {Cookie: page.cookie};
  const {lhr} = await lighthouse(base.replace(/\/$/, '') + page.path, flags);
  if (lhr.runtimeError) return {error: `${lhr.runtimeError.code}: ${lhr.runtimeError.message}`};
  const scores = {}, failing = [];
  for (const id of categories) {
    const c = lhr.categories[id];
    scores[id] = Math.round((c.score ?? 0) * 100);
    for (const ref of c.auditRefs) {
      const a = lhr.audits[ref.id];
      if (ref.weight > 0 && a.score !== null && a.score < 1) {
        failing.push({category: id, id: ref.id, score: a.score, value: a.displayValue || ''});
      }
    }
  }
  return {final: lhr.finalDisplayedUrl, benchmark: Math.round(lhr.environment.benchmarkIndex), scores, failing};
}

// Each run has a Chromium of its own: a cookie a page set in the browser's
// jar would replace the Cookie header of the next page's sign-in.
// A run that fails to record the page (NO_NAVSTART, NO_FCP: Chromium's
// trace, now and then) is made again, three attempts in all.
async function run(page) {
  let r;
  for (let attempt = 0; attempt < 3; attempt++) {
    r = await launchAndMeasure(page);
    if (!r.error) break;
  }
  return r;
}

async function launchAndMeasure(page) {
  const chrome = await chromeLauncher.launch({
    chromePath: process.env.CHROME_PATH || '/usr/bin/chromium',
    chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
  try {
    return await measure(chrome.port, page);
  } finally {
    await chrome.kill();
  }
}

const out = [];
for (const page of pages) {
  const r = {who: page.who, path: page.path, runs: []};
  for (let i = 0; i < runs; i++) r.runs.push(await run(page));
  out.push(r);
}
console.log(JSON.stringify(out, null, 1));
