// Measures Lighthouse's four scores (performance, accessibility, best
// practices, SEO) of pages of a running motcua server in headless Chromium,
// with Lighthouse's default settings: a phone (mobile emulation) and
// simulated throttling (slow 4G and a slower CPU).
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
// at that moment (its CPU speed: lower when the machine is busy).
//
// The CPU slowdown is calibrated, as Lighthouse's docs/throttling.md asks
// ("Calibrating the CPU slowdown"): its default 4× turns a typical
// high-end desktop (benchmark index 1,500–2,000) into a mid-tier phone, so
// a slower or busier machine would emulate a slower phone than intended.
// Each run is gathered once and audited twice from the same trace: with the
// multiplier that brings this machine's benchmark index of the run down to
// the reference phone's (1,750 / 4 = 437.5: "calibrated", what the test
// judges), and with the fixed 4× ("default", reported beside it).
// The browser test TestBrowserLighthouse (cmd/motcua) starts the demo,
// writes PAGES.json and judges the result.
import {readFileSync} from 'node:fs';
import {navigationGather} from 'lighthouse/core/gather/navigation-runner.js';
import {Runner} from 'lighthouse/core/runner.js';
import * as chromeLauncher from 'chrome-launcher';

const [base, file, runsArg] = process.argv.slice(2);
if (!base || !file) {
  console.error('usage: node measure.mjs BASE PAGES.json [RUNS]');
  process.exit(2);
}
const pages = JSON.parse(readFileSync(file, 'utf8'));
const runs = Number(runsArg || 1);
const categories = ['performance', 'accessibility', 'best-practices', 'seo'];

// referenceIndex is the benchmark index of the phone Lighthouse's default
// 4× CPU slowdown aims at: the middle of the high-end desktop bracket
// (1,500–2,000) divided by 4.
const referenceIndex = 1750 / 4;

// calibrated is the CPU slowdown that brings a machine of benchmark index
// bench to the reference phone (never under 1: no speed-up).
function calibrated(bench) {
  return Math.max(1, Math.round(bench / referenceIndex * 10) / 10);
}

// summary keeps of a Lighthouse result what the test reads.
function summary(lhr) {
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
  return {scores, failing};
}

// measure runs Lighthouse once on page (one load, audited twice: with the
// calibrated CPU slowdown and with the default 4×).
async function measure(port, page) {
  // Skipped: what no category scores and costs seconds (the back/forward
  // cache's second navigation, the screenshots).
  const flags = {
    port, output: 'json', logLevel: 'error', ignoreStatusCode: page.status >= 400,
    disableFullPageScreenshot: true, skipAudits: ['bf-cache', 'screenshot-thumbnails', 'final-screenshot'],
  };
  if (page.cookie) flags.extraHeaders = {Cookie: page.cookie};
  const {artifacts, runnerOptions} = await navigationGather(undefined, base.replace(/\/$/, '') + page.path, {flags});
  const bench = artifacts.BenchmarkIndex;
  const audit = async (cpuSlowdownMultiplier) => {
    const settings = runnerOptions.resolvedConfig.settings;
    const options = {
      resolvedConfig: {...runnerOptions.resolvedConfig, settings: {...settings, throttling: {...settings.throttling, cpuSlowdownMultiplier}}},
      computedCache: new Map(),
    };
    // The artifacts record the settings they were gathered with; the CPU
    // slowdown of simulated throttling is only used by the audits.
    const {lhr} = await Runner.audit({...artifacts, settings: options.resolvedConfig.settings}, options);
    return lhr;
  };
  const multiplier = calibrated(bench);
  const lhr = await audit(multiplier);
  if (lhr.runtimeError) return {error: `${lhr.runtimeError.code}: ${lhr.runtimeError.message}`};
  const def = summary(await audit(4));
  return {
    final: lhr.finalDisplayedUrl, benchmark: Math.round(lhr.environment.benchmarkIndex), multiplier,
    ...summary(lhr), defaultScores: def.scores, defaultFailing: def.failing,
  };
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
