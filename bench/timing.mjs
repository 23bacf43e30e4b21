// simdeck's browser timings: cold time to the first slide and slide changes.
// Usage: node bench/timing.mjs BASE_URL [runs=5]   (BENCH_HOME holds playwright-core;
// `cargo xtask bench` sets it up and serves dist/ on 127.0.0.1).
// First slide: fresh Chromium and profile per run, 1280x720, ms from navigation start
// until an <h1> with the deck title has a box; also when the player has mounted.
// Slide change: ms from the keydown until the new slide is in the DOM, and until the
// next frame after that (which includes waiting for the display's frame boundary);
// once with the page at rest before each key (one press's latency), once with each key
// sent as soon as the last change was drawn (work of earlier slides, such as loading the
// figures module and mounting a figure, still running).
import fs from 'node:fs'; import os from 'node:os'; import path from 'node:path';
const home = process.env.BENCH_HOME || path.join(os.homedir(), '.cache', 'simdeck-bench');
const { chromium } = await import(path.join(home, 'node_modules', 'playwright-core', 'index.mjs'));

const BASE = process.argv[2]; const RUNS = +(process.argv[3] || 5);
const TITLE = 'TiDB-Operator Learning 1';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1'];
const INIT = `(() => {
  window.__title = null; window.__mounted = null;
  const check = () => {
    if (window.__title === null) for (const h of document.querySelectorAll('h1')) {
      const r = h.getBoundingClientRect();
      if ((h.textContent || '').includes(${JSON.stringify(TITLE)}) && r.width > 0 && r.height > 0) window.__title = performance.now();
    }
    if (window.__mounted === null && document.querySelector('#app .deck') && !document.getElementById('boot')) window.__mounted = performance.now();
    return window.__title !== null && window.__mounted !== null;
  };
  const mo = new MutationObserver(() => { if (check()) mo.disconnect(); });
  mo.observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
})();`;
const median = a => { const s = [...a].sort((x, y) => x - y); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const r1 = x => Math.round(x * 10) / 10;

async function withPage(fn) {
  const udd = fs.mkdtempSync(path.join(os.tmpdir(), 'simdeck-bench-'));
  const ctx = await chromium.launchPersistentContext(udd, { executablePath: '/usr/bin/chromium', headless: true, args: ARGS, viewport: { width: 1280, height: 720 } });
  try { const page = ctx.pages()[0] || await ctx.newPage(); return await fn(page); }
  finally { await ctx.close(); fs.rmSync(udd, { recursive: true, force: true }); }
}

async function coldLoad() {
  return withPage(async page => {
    const external = new Set();
    page.on('request', r => { const h = new URL(r.url()).hostname; if (h !== '127.0.0.1' && h !== 'localhost') external.add(h); });
    await page.addInitScript(INIT);
    await page.goto(BASE, { waitUntil: 'commit' });
    await page.waitForFunction(() => window.__title !== null && window.__mounted !== null, null, { timeout: 30000 });
    const [title, mounted] = await page.evaluate(() => [window.__title, window.__mounted]);
    return { title: r1(title), mounted: r1(mounted), external: [...external] };
  });
}

async function slideChanges(restMs) {
  return withPage(async page => {
    await page.goto(BASE, { waitUntil: 'load' });
    await page.waitForFunction(() => document.querySelector('#app .deck') && !document.getElementById('boot'));
    const times = [];
    for (let i = 0; i < 25; i++) {
      if (restMs) await page.waitForTimeout(restMs);
      times.push(await page.evaluate(() => new Promise(resolve => {
        const before = document.querySelector('.stage .slide-number').textContent;
        const t0 = performance.now();
        const mo = new MutationObserver(() => {
          const n = document.querySelector('.stage .slide-number');
          if (n && n.textContent !== before) {
            mo.disconnect();
            const dom = performance.now() - t0;
            requestAnimationFrame(() => resolve({ dom, frame: performance.now() - t0 }));
          }
        });
        mo.observe(document.body, { subtree: true, childList: true, characterData: true });
        window.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowDown' }));
      })));
    }
    return times;
  });
}

// Live figures: on each, ms from a key until the DOM shows it — `.` (one engine
// step, engine and render) until the step count changes, and → (the slide's next
// click) until the figure has the new click — each also until the next frame.
// SCALE: slide 20 with its cluster grown to 5,000 nodes by the what-if `n`.
const LIVE = ['7', '8', '9', '10', '15', '16', '17', '18', '19', '20', '22', '23', '24'];
const SCALE = ['20?n=5000'];
async function figureTimes(positions) {
  return withPage(async page => {
    const steps = [], clicks = [];
    for (const n of positions) {
      await page.goto(`${BASE}#/${n}`, { waitUntil: 'load' });
      await page.waitForFunction(() => document.querySelector('.stage .figure-live .fc-count'), null, { timeout: 30000 });
      const timeKey = (key, changed) => page.evaluate(([key, changed]) => new Promise(resolve => {
        const probe = {
          step: () => document.querySelector('.stage .fc-count').textContent,
          click: () => location.hash,
        }[changed];
        const before = probe();
        const t0 = performance.now();
        const done = () => {
          const dom = performance.now() - t0;
          requestAnimationFrame(() => resolve({ dom, frame: performance.now() - t0 }));
        };
        const mo = new MutationObserver(() => { if (probe() !== before) { mo.disconnect(); done(); } });
        mo.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
        window.dispatchEvent(new KeyboardEvent('keydown', { key }));
        setTimeout(() => { mo.disconnect(); resolve(null); }, 1000);
      }), [key, changed]);
      for (let i = 0; i < 8; i++) { const t = await timeKey('.', 'step'); if (t) steps.push(t); }
      await page.goto(`${BASE}#/${n}`, { waitUntil: 'load' });
      await page.waitForFunction(() => document.querySelector('.stage .figure-live .fc-count'), null, { timeout: 30000 });
      const t = await timeKey('ArrowRight', 'click'); if (t) clicks.push(t);
    }
    return { steps, clicks };
  });
}

await coldLoad(); // warm-up (disk cache of the browser binary), not counted
const titles = [], mounts = [], external = new Set();
for (let i = 0; i < RUNS; i++) {
  const r = await coldLoad(); titles.push(r.title); mounts.push(r.mounted); r.external.forEach(h => external.add(h));
  console.log(JSON.stringify({ run: i + 1, first_slide_ms: r.title, player_mounted_ms: r.mounted }));
}
console.log(`first slide visible: median ${r1(median(titles))} ms (min ${Math.min(...titles)}, max ${Math.max(...titles)}), ${RUNS} cold runs`);
console.log(`player mounted:      median ${r1(median(mounts))} ms`);
for (const [label, restMs] of [['slide change', 400], ['rapid change', 0]]) {
  const changes = await slideChanges(restMs);
  const dom = changes.map(c => c.dom), frame = changes.map(c => c.frame);
  const name = s => `${label} ${s}:`.padEnd(21);
  console.log(`${name('in DOM')}median ${r1(median(dom))} ms, max ${r1(Math.max(...dom))} ms over ${dom.length} changes${restMs ? `, each after ${restMs} ms at rest` : ', each key as soon as the last change was drawn'}`);
  console.log(`${name('framed')}median ${r1(median(frame))} ms, max ${r1(Math.max(...frame))} ms`);
}
for (const [label, positions] of [['figure', LIVE], ['5,000 nodes', SCALE]]) {
  const figures = await figureTimes(positions);
  const sd = figures.steps.map(c => c.dom), sf = figures.steps.map(c => c.frame);
  const cd = figures.clicks.map(c => c.dom), cf = figures.clicks.map(c => c.frame);
  const name = s => `${label} ${s}:`.padEnd(21);
  console.log(`${name('step in DOM')}median ${r1(median(sd))} ms, max ${r1(Math.max(...sd))} ms over ${sd.length} steps on ${positions.length} figures`);
  console.log(`${name('step framed')}median ${r1(median(sf))} ms, max ${r1(Math.max(...sf))} ms`);
  console.log(`${name('click in DOM')}median ${r1(median(cd))} ms, max ${r1(Math.max(...cd))} ms over ${cd.length} clicks`);
  console.log(`${name('click framed')}median ${r1(median(cf))} ms, max ${r1(Math.max(...cf))} ms`);
}
console.log(`requests to other origins: ${external.size ? [...external].join(', ') : 'none'}`);
