// Measures Lighthouse's four scores (performance, accessibility, best
// practices, SEO) of the pages of a running motcua server, in headless
// Chromium, on a phone (Lighthouse's default mobile emulation), as a
// visitor and signed in.
//
//   npm ci --prefix tools/lighthouse
//   motcua serve --data /tmp/lh --demo &
//   node tools/lighthouse/measure.mjs http://127.0.0.1:8080 [DOSSIER-CODE]
//
// It signs in as the demo's citizen (congdan) and province viewer
// (lanhdaotinh) through the login form and passes the session cookie to
// Lighthouse. It prints one line per page and exits 1 when a score is
// below 90 (the aim is 100). Optional: the browser tests
// (TestBrowserPageQuality) check the same causes in every CI run.
import lighthouse from 'lighthouse';
import * as chromeLauncher from 'chrome-launcher';

const base = (process.argv[2] || 'http://127.0.0.1:8080').replace(/\/$/, '');
const code = process.argv[3] || '';

// login posts the login form and returns the session cookie.
async function login(user) {
  const page = await fetch(base + '/dang-nhap');
  const csrf = (await page.text()).match(/name="csrf" value="([0-9a-f]{32})"/)[1];
  const jar = page.headers.getSetCookie().map(c => c.split(';')[0]).join('; ');
  const res = await fetch(base + '/dang-nhap', {
    method: 'POST', redirect: 'manual',
    headers: {'Content-Type': 'application/x-www-form-urlencoded', Cookie: jar},
    body: new URLSearchParams({csrf, username: user, password: 'demo', next: '/'}),
  });
  const session = res.headers.getSetCookie().map(c => c.split(';')[0]).find(c => c.startsWith('motcua_session='));
  if (!session) throw new Error('login ' + user + ': ' + res.status);
  return jar + '; ' + session;
}

const journeys = [
  {who: 'visitor', pages: ['/', '/thu-tuc', '/thu-tuc/1.001193', '/tra-cuu', '/dang-nhap']},
  {who: 'congdan', pages: ['/ho-so', '/thu-tuc/1.001193/nop', ...(code ? ['/ho-so/' + code, '/ho-so/' + code + '/da-nop'] : [])]},
  {who: 'lanhdaotinh', pages: ['/bang-dieu-khien']},
];

const chrome = await chromeLauncher.launch({chromePath: process.env.CHROME_PATH || '/usr/bin/chromium', chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu']});
let low = false;
try {
  for (const j of journeys) {
    const cookie = j.who === 'visitor' ? '' : await login(j.who);
    for (const path of j.pages) {
      const r = await lighthouse(base + path, {port: chrome.port, output: 'json', logLevel: 'error', extraHeaders: cookie ? {Cookie: cookie} : undefined});
      if (r.lhr.runtimeError) {
        low = true;
        console.log(`error\t${j.who}\t${path}\t${r.lhr.runtimeError.code}: ${r.lhr.runtimeError.message}`);
        continue;
      }
      const c = r.lhr.categories;
      const scores = ['performance', 'accessibility', 'best-practices', 'seo'].map(k => Math.round((c[k].score || 0) * 100));
      if (scores.some(s => s < 90)) low = true;
      const failed = Object.values(r.lhr.audits).filter(a => a.score !== null && a.score < 0.9 && ['binary', 'numeric', 'metricSavings'].includes(a.scoreDisplayMode)).map(a => a.id);
      console.log(`${scores.join('/')}\t${j.who}\t${path}${failed.length ? '\t' + failed.join(', ') : ''}`);
    }
  }
} finally {
  await chrome.kill();
}
process.exit(low ? 1 : 0);
