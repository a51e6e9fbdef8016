// Shows where the main-thread time of a page load goes on this machine: for
// each run (a fresh headless Chromium, Lighthouse's own page load and trace,
// as measure.mjs makes them), the renderer's tasks of 50 ms or more in the
// first two seconds after navigation starts, with their wall time (what
// Lighthouse's long tasks and Total Blocking Time count) beside the CPU time
// the thread really had, and the sums over all its tasks.
//
//   npm ci --prefix tools/lighthouse
//   node tools/lighthouse/tasks.mjs http://127.0.0.1:8080/dang-nhap [RUNS]
//   CHROME_FLAGS=--single-process node tools/lighthouse/tasks.mjs …
//
// A task whose wall time is far above its CPU time waited: for a core (the
// browser, the GPU process, Lighthouse and the server share the machine's
// cores) or for another process. The medians of the sums end the output.
// CHROME_FLAGS adds Chromium flags (space-separated) to the usual ones, to
// compare: with --single-process (a debugging mode, never what a visitor
// runs) the renderer shares no core with a browser process of its own.
import {navigationGather} from 'lighthouse/core/gather/navigation-runner.js';
import * as chromeLauncher from 'chrome-launcher';

const [url, runsArg] = process.argv.slice(2);
if (!url) {
  console.error('usage: node tasks.mjs URL [RUNS]');
  process.exit(2);
}
const runs = Number(runsArg || 5);

// mainThreadTasks returns the top-level tasks of the renderer that loaded
// url (its main thread), from navigation start on, for `window` µs.
function mainThreadTasks(trace, window) {
  const events = trace.traceEvents;
  const nav = events.find(e => e.name === 'navigationStart' && e.args?.data?.isLoadingMainFrame &&
    e.args.data.documentLoaderURL === url);
  if (!nav) throw new Error('no navigation to ' + url + ' in the trace');
  return {
    start: nav.ts,
    tasks: events.filter(e => e.ph === 'X' && e.name === 'RunTask' && e.pid === nav.pid && e.tid === nav.tid &&
      e.ts >= nav.ts && e.ts < nav.ts + window),
  };
}

const ms = us => Math.round(us / 1000);
const median = xs => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const sums = {wall: [], cpu: [], long: [], longCPU: []};
for (let i = 1; i <= runs; i++) {
  const chrome = await chromeLauncher.launch({
    chromePath: process.env.CHROME_PATH || '/usr/bin/chromium',
    chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
      ...(process.env.CHROME_FLAGS || '').split(' ').filter(Boolean)],
  });
  try {
    const flags = {port: chrome.port, logLevel: 'error', disableFullPageScreenshot: true};
    const {artifacts} = await navigationGather(undefined, url, {flags});
    const {start, tasks} = mainThreadTasks(artifacts.Trace, 2_000_000);
    let wall = 0, cpu = 0, long = 0, longCPU = 0;
    const shown = [];
    for (const t of tasks) {
      wall += t.dur;
      cpu += t.tdur ?? 0;
      if (t.dur >= 50_000) {
        long += t.dur;
        longCPU += t.tdur ?? 0;
        shown.push(`@${ms(t.ts - start)} ms: ${ms(t.dur)} wall, ${ms(t.tdur ?? 0)} CPU`);
      }
    }
    console.log(`run ${i}: ${tasks.length} tasks, ${ms(wall)} ms wall, ${ms(cpu)} ms CPU; tasks of 50 ms+: ${shown.length}, ` +
      `${ms(long)} ms wall, ${ms(longCPU)} ms CPU`);
    for (const s of shown) console.log('   ' + s);
    sums.wall.push(ms(wall)); sums.cpu.push(ms(cpu)); sums.long.push(ms(long)); sums.longCPU.push(ms(longCPU));
  } finally {
    await chrome.kill();
  }
}
console.log(`medians of ${runs} runs: all tasks ${median(sums.wall)} ms wall, ${median(sums.cpu)} ms CPU; ` +
  `tasks of 50 ms+ ${median(sums.long)} ms wall, ${median(sums.longCPU)} ms CPU`);
