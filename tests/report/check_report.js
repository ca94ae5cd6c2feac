// Opens an `rnnlab report` page in headless Chromium and checks what a reader
// does with it (docs/report.md "The browser test"). Run by tests/test_report.cpp:
//   node check_report.js REPORT.html NETWORKS ALPHA CHROMIUM PUPPETEER_CORE_DIR
// NETWORKS: rows the overview must have; ALPHA: dt/tau of the file's networks
// (tanh, so phi'(0) = 1). Prints "ok: ..." per check; exits 1 on the first failure.
'use strict';
const path = require('path');
const fs = require('fs');
const os = require('os');

const [reportPath, networksArg, alphaArg, chromium, puppeteerDir] = process.argv.slice(2);
const puppeteer = require(puppeteerDir);
const expectedRows = Number(networksArg);
const alpha = Number(alphaArg);

function check(condition, what) {
  if (!condition) throw new Error('check failed: ' + what);
  console.log('ok: ' + what);
}

(async () => {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'rnnlab-report-chromium-'));
  // The flags keep Chromium off the network (this page must need none) and
  // quiet when run as root in a container.
  const browser = await puppeteer.launch({
    executablePath: chromium,
    headless: true,
    userDataDir: profile,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
           '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage', '--use-angle=swiftshader',
           '--enable-unsafe-swiftshader'],
  });
  let failed = false;
  try {
    const page = await browser.newPage();
    await page.setViewport({ width: 1400, height: 1000 });
    const errors = [];
    const requests = [];
    page.on('console', m => { if (m.type() === 'error') errors.push(m.text()); });
    page.on('pageerror', e => errors.push(String(e)));
    page.on('request', r => { if (!/^(file|data|blob|about):/.test(r.url())) requests.push(r.url()); });
    await page.goto('file://' + path.resolve(reportPath), { waitUntil: 'load', timeout: 20000 });

    const rows = () => page.$$eval('#networks tbody tr', trs => trs.length);
    check(await rows() === expectedRows, 'the overview has one row per network (' + expectedRows + ')');
    check(await page.$('#census-table') !== null, 'the census table is shown');
    const factors = await page.$$eval('#factor-plots .factor-counts', ds => ds.map(d => d.data.reduce((n, t) => n + t.y.reduce((a, b) => a + b, 0), 0)));
    check(factors.length === 1 && factors[0] === expectedRows, 'the sweep factor plot counts every network once (' + factors + ')');
    const factorNames = await page.$$eval('#factor-plots .factor', ps => ps.map(p => p.dataset.factor));
    check(factorNames.length === 1 && factorNames[0] === 'model.units', 'one factor panel per swept key (' + factorNames + ')');
    const barColors = await page.$eval('#factor-plots .factor-counts', d => d.data.map(t => t.marker.color));
    check(new Set(barColors).size === barColors.length, 'every category of the factor plot has its own colour (' + barColors + ')');
    const accuracy = await page.$eval('#factor-plots .factor-accuracy', d => ({ x: d.data[0].x, y: d.data[0].y }));
    const levels = new Set(accuracy.x);
    check(accuracy.y.length === expectedRows && levels.size === 2 && accuracy.y.every(v => v >= 0 && v <= 1),
          'the factor panel shows each network\'s accuracy at its value (' + accuracy.y.length + ' points, ' + [...levels] + ')');

    // Sorting: clicking the "network" header twice reverses the order.
    const firstKey = () => page.$eval('#networks tbody tr', tr => tr.dataset.net);
    const before = await firstKey();
    await page.click('#networks th[data-col="key"]');
    await page.click('#networks th[data-col="key"]');
    check(await firstKey() !== before, 'clicking a header twice sorts the networks the other way');

    // Open a network: every panel draws.
    await page.click('#networks tbody tr');
    // Wait (on a busy machine) until the five plots have drawn; the checks
    // below say what is missing if they never do.
    await page.waitForFunction(() => document.querySelectorAll('#panels .js-plotly-plot .main-svg').length >= 5,
                               { timeout: 20000 }).catch(() => {});
    const plots = await page.$$eval('#panels .js-plotly-plot', ds => ds.map(d => ({
      traces: (d.data || []).map(t => ({ name: t.name || '', type: t.type || 'scatter', x: t.x, y: t.y, z: t.z })),
      drawn: d.querySelector('.main-svg') !== null,
    })));
    const missing = await page.$$eval('#panel-grid .missing', ps => ps.map(p => p.textContent));
    check(missing.length === 0, 'no panel says its data are missing (' + missing.join(' | ') + ')');
    check(plots.length === 5, 'five plots: W_rec and J(0) spectra, curves, connectivity, state space (got ' + plots.length + ')');
    check(plots.every(p => p.drawn && p.traces.length > 0), 'every plot has drawn traces');

    // The W_rec spectrum's boundary maps onto the unit circle under
    // l -> 1 - a + a l (the step map at the origin for tanh).
    const wrec = plots.find(p => p.traces.some(t => t.name.startsWith('stability boundary')));
    check(wrec !== undefined, 'the W_rec eigenvalue panel has the stability boundary trace');
    const boundary = wrec.traces.find(t => t.name.startsWith('stability boundary'));
    const off = boundary.x.map((x, k) => Math.abs(Math.hypot(1 - alpha + alpha * x, alpha * boundary.y[k]) - 1));
    check(Math.max(...off) < 1e-9, 'the boundary is |1 - a + a l| = 1 for a = ' + alpha + ' (max error ' + Math.max(...off) + ')');
    // Inside the boundary <=> the step map's eigenvalue inside the unit circle.
    const trained = wrec.traces.find(t => t.name === 'trained W_rec');
    const step = plots.find(p => p.traces.some(t => t.name === 'trained J(0)')).traces.find(t => t.name === 'trained J(0)');
    const c = 1 - 1 / alpha, r = 1 / alpha;
    const insideW = trained.x.filter((x, k) => Math.hypot(x - c, trained.y[k]) < r).length;
    const insideJ = step.x.filter((x, k) => Math.hypot(x, step.y[k]) < 1).length;
    check(trained.x.length === step.x.length && insideW === insideJ,
          'W_rec eigenvalues inside the boundary (' + insideW + ') = J(0) eigenvalues inside the unit circle (' + insideJ + ')');

    // The state-space panel: 3D, with the fixed points and the trajectories.
    const space = plots.find(p => p.traces.some(t => t.type === 'scatter3d'));
    check(space !== undefined, 'the fixed points are drawn in a 3D scatter');
    const fixed = space.traces.filter(t => /fixed point/.test(t.name));
    const points = fixed.reduce((n, t) => n + t.x.length, 0);
    check(points > 0 && fixed.every(t => t.z && t.z.length === t.x.length), 'the network shows its fixed points (' + points + ') in 3D');
    // Condition trajectories: named "<condition> = <value>", coloured in the
    // order of the values with the palette of python/rnnlab/plot.py, a start
    // (circle) and an end (square) marker on each.
    const condTraces = await page.$$eval('#panels .js-plotly-plot', ds => {
      const d = ds.find(x => (x.data || []).some(t => t.type === 'scatter3d'));
      return d.data.filter(t => / = /.test(t.name) && !t.name.startsWith('start')).map(t => ({
        name: t.name, color: t.line.color, x: t.x, y: t.y, z: t.z,
        ends: d.data.find(e => e.name === 'start (circle) / end (square), ' + t.name) }));
    });
    check(condTraces.length >= 2, 'trajectories of two or more conditions (' + condTraces.map(t => t.name) + ')');
    const palette = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728'];
    const byValue = condTraces.slice().sort((a, b) => Number(a.name.split(' = ')[1]) - Number(b.name.split(' = ')[1]));
    check(byValue.every((t, k) => t.color === palette[k]), 'condition colours follow the shared palette in value order (' +
          byValue.map(t => t.name + ': ' + t.color) + ')');
    check(condTraces.every(t => t.ends && t.ends.x.length === 2 && t.ends.marker.symbol.join() === 'circle,square' &&
                                t.ends.x[0] === t.x[0] && t.ends.x[1] === t.x[t.x.length - 1] &&
                                t.ends.z[1] === t.z[t.z.length - 1]),
          'each condition trajectory has a start (circle) and an end (square) marker on its first and last points');

    // Text filter: a row's own loss value picks out fewer rows, each containing it.
    const lossText = await page.$eval('#networks tbody tr', tr => {
      const col = [...document.querySelectorAll('#networks th')].findIndex(th => th.dataset.col === 'loss');
      return tr.children[col].textContent;
    });
    await page.type('#filter', lossText);
    const filtered = await page.$$eval('#networks tbody tr', trs => trs.map(tr => tr.textContent));
    check(filtered.length >= 1 && filtered.length < expectedRows && filtered.every(t => t.includes(lossText)),
          'typing "' + lossText + '" in the filter leaves ' + filtered.length + ' of ' + expectedRows + ' rows');
    await page.$eval('#filter', i => { i.value = ''; i.dispatchEvent(new Event('input')); });
    check(await rows() === expectedRows, 'clearing the filter shows every row again');

    // Census categories: clicking one lists exactly its networks.
    const cats = await page.$$eval('.cat', bs => bs.map(b => ({ col: b.dataset.col, value: b.dataset.value,
      count: Number(b.querySelector('.count').textContent) })));
    check(cats.some(c => c.col === 'attractor'), 'an attractor bar chart is shown');
    const representatives = await page.$$eval('#networks tbody tr', trs => {
      const k = [...document.querySelectorAll('#networks th')].findIndex(th => th.dataset.col === 'representative');
      return k < 0 ? -1 : trs.filter(tr => tr.children[k].textContent === 'yes').length;
    });
    const families = cats.filter(c => c.col === 'family').length;
    check(families > 0 && representatives === families, 'one representative per family (' + families + ')');
    const smaller = cats.find(c => c.col !== 'attractor' && c.count < expectedRows) || cats.find(c => c.count < expectedRows);
    check(smaller !== undefined, 'some category holds fewer than all networks (' + JSON.stringify(cats) + ')');
    for (const cat of [cats.find(c => c.col === 'attractor'), smaller]) {
      const sel = '.cat[data-col="' + cat.col + '"][data-value="' + cat.value + '"]';
      await page.click(sel);
      const shown = await page.$$eval('#networks tbody tr', (trs, col) => {
        const k = [...document.querySelectorAll('#networks th')].findIndex(th => th.dataset.col === col);
        return trs.map(tr => tr.children[k].textContent);
      }, cat.col);
      check(shown.length === cat.count && shown.every(v => v === cat.value),
            'clicking ' + cat.col + ' = ' + cat.value + ' lists its ' + cat.count + ' networks');
      await page.click(sel);  // again: the filter goes
      check(await rows() === expectedRows, 'clicking it again lists every network');
    }

    check(requests.length === 0, 'the page asked the network for nothing (' + requests.join(', ') + ')');
    check(errors.length === 0, 'no console errors (' + errors.join(' | ') + ')');
  } catch (e) {
    console.error(e.message || e);
    failed = true;
  } finally {
    await browser.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
  process.exit(failed ? 1 : 0);
})();
