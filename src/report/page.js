// rnnlab report: the page's script (embedded by CMake; docs/report.md).
// Plain JavaScript over plotly.js. The data are JSON blocks in the page:
// #rnnlab-index (read at load) and #net-K per network (parsed when opened).
// A group is an object whose "\u0040" member holds its attributes; a dataset
// is {shape, data} or, complex, {shape, re, im}, or {shape, omitted}.
(function () {
  'use strict';
  const ATTRS = '\u0040';
  const INDEX = JSON.parse(document.getElementById('rnnlab-index').textContent);
  const NETS = INDEX.networks;

  // ---- small helpers --------------------------------------------------------
  function el(tag, props, children) {
    const e = document.createElement(tag);
    if (props) for (const [k, v] of Object.entries(props)) {
      if (k === 'class') e.className = v;
      else if (k === 'text') e.textContent = v;
      else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v);
    }
    for (const c of children || []) if (c != null) e.append(c);
    return e;
  }
  function node(obj, path) {
    let at = obj;
    for (const part of path.split('/')) {
      if (at == null || typeof at !== 'object' || !(part in at)) return null;
      at = at[part];
    }
    return at;
  }
  function attrsOf(obj, path) {
    const g = path ? node(obj, path) : obj;
    return g && g[ATTRS] ? g[ATTRS] : null;
  }
  function data(obj, path) {
    const d = node(obj, path);
    return d && d.data !== undefined ? d.data : null;
  }
  function complexData(obj, path) {
    const d = node(obj, path);
    return d && d.re !== undefined ? d : null;
  }
  function isNum(v) { return typeof v === 'number' && isFinite(v); }
  function fmt(v) {
    if (v === null || v === undefined) return '';
    if (typeof v === 'number') {
      if (!isFinite(v)) return String(v);
      if (Number.isInteger(v)) return String(v);
      const a = Math.abs(v);
      return (a !== 0 && (a < 1e-3 || a >= 1e5)) ? v.toExponential(3) : String(Number(v.toPrecision(4)));
    }
    if (Array.isArray(v)) return v.map(fmt).join(', ');
    if (typeof v === 'object') return v.re !== undefined ? fmt(v.re) + ' + ' + fmt(v.im) + 'i' : JSON.stringify(v);
    return String(v);
  }
  function missing(text) { return el('p', { class: 'missing', text: text }); }
  const PLOT_CONFIG = { responsive: true, displaylogo: false };
  // The one palette of categorical colours, the same list and order as PALETTE
  // in python/rnnlab/plot.py (tab10, then the lighter tab20 tones): the k-th
  // smallest value of a task condition has PALETTE[k] in the report and in
  // every figure, and up to 20 categories never share a colour.
  const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22',
                   '#17becf', '#aec7e8', '#ffbb78', '#98df8a', '#ff9896', '#c5b0d5', '#c49c94', '#f7b6d2', '#c7c7c7',
                   '#dbdb8d', '#9edae5'];
  // n distinct colours: the palette's, beyond 20 evenly spaced hues.
  function groupColors(n) {
    if (n <= PALETTE.length) return PALETTE.slice(0, n);
    return Array.from({ length: n }, (_, i) => 'hsl(' + Math.round(360 * i / n) + ', 65%, 45%)');
  }
  function circle(cx, cy, r, name, style) {
    const x = [], y = [];
    for (let k = 0; k <= 256; ++k) {
      const t = 2 * Math.PI * k / 256;
      x.push(cx + r * Math.cos(t));
      y.push(cy + r * Math.sin(t));
    }
    return Object.assign({ x: x, y: y, mode: 'lines', name: name, hoverinfo: 'name', line: { color: '#c0392b', width: 1.5 } }, style || {});
  }

  // ---- a sortable table ---------------------------------------------------------
  // columns: [{key, title, num}], rows: objects. Clicking a header sorts by it.
  function SortableTable(columns, options) {
    this.columns = columns;
    this.options = options || {};
    this.sortKey = null;
    this.sortDir = 1;
    this.table = el('table', { class: 'data', id: this.options.id || null });
    const tr = el('tr');
    for (const c of columns) {
      const th = el('th', { text: c.title, 'data-col': c.key, title: c.help || c.title });
      th.addEventListener('click', () => this.sortBy(c.key));
      tr.append(th);
    }
    this.thead = el('thead', null, [tr]);
    this.tbody = el('tbody');
    this.table.append(this.thead, this.tbody);
    this.rows = [];
  }
  SortableTable.prototype.sortBy = function (key) {
    this.sortDir = this.sortKey === key ? -this.sortDir : 1;
    this.sortKey = key;
    for (const th of this.thead.querySelectorAll('th')) {
      th.classList.remove('sorted-asc', 'sorted-desc');
      if (th.dataset.col === key) th.classList.add(this.sortDir > 0 ? 'sorted-asc' : 'sorted-desc');
    }
    this.render(this.rows);
  };
  SortableTable.prototype.render = function (rows) {
    this.rows = rows;
    let shown = rows;
    if (this.sortKey !== null) {
      const key = this.sortKey, dir = this.sortDir;
      shown = rows.slice().sort((a, b) => {
        const x = a[key], y = b[key];
        const xm = x === null || x === undefined || x === '', ym = y === null || y === undefined || y === '';
        if (xm || ym) return xm === ym ? 0 : (xm ? 1 : -1);  // blanks last either way
        if (typeof x === 'number' && typeof y === 'number') return dir * (x - y);
        return dir * String(x).localeCompare(String(y), undefined, { numeric: true });
      });
    }
    const frag = document.createDocumentFragment();
    for (const row of shown) {
      const tr = el('tr');
      if (this.options.rowId) tr.dataset.net = this.options.rowId(row);
      for (const c of this.columns) tr.append(el('td', { class: c.num ? 'num' : '', text: fmt(row[c.key]) }));
      if (this.options.onRowClick) tr.addEventListener('click', () => this.options.onRowClick(row, tr));
      frag.append(tr);
    }
    this.tbody.replaceChildren(frag);
  };

  // ---- the overview: columns, categories, filters ---------------------------------
  const titles = Object.assign({
    key: 'network', seed: 'seed', status: 'status', iterations: 'iterations', units: 'units',
    val_accuracy: 'accuracy', loss: 'loss', val_loss: 'val. loss', family: 'family',
    group: 'group', sweep: 'sweep point', representative: 'family representative',
  }, INDEX.column_titles || {});
  function has(key) { return NETS.some(n => n[key] !== undefined && n[key] !== null); }
  function distinct(key) { return new Set(NETS.map(n => n[key])).size; }
  const inSweep = has('sweep_point');
  const columnKeys = ['key'];
  if (inSweep) columnKeys.push('seed');
  columnKeys.push('status', 'iterations', 'units', 'val_accuracy', 'loss');
  for (const k of Object.keys(NETS[0] || {})) if (k.startsWith('sweep:')) columnKeys.push(k);
  for (const k of ['family', 'representative', 'attractor', 'jarne']) if (has(k)) columnKeys.push(k);
  if (has('group') && distinct('group') > 1 && !inSweep) columnKeys.push('group');
  for (const k of Object.keys(INDEX.column_titles || {}))
    if (!columnKeys.includes(k) && has(k) && NETS.some(n => typeof n[k] === 'number')) columnKeys.push(k);
  const columns = columnKeys.filter(k => k === 'key' || has(k)).map(k => ({
    key: k, title: titles[k] || k.replace(/^sweep:/, ''),
    num: NETS.some(n => typeof n[k] === 'number') && k !== 'key',
  }));
  // Category bar charts: each label column, the status, the sweep's keys.
  const categoryKeys = ['attractor', 'jarne', 'family', 'status'].filter(has);
  if (inSweep) categoryKeys.push(...columnKeys.filter(k => k.startsWith('sweep:')));
  else if (has('group') && distinct('group') > 1) categoryKeys.push('group');

  const state = { text: '', category: null, open: null };
  let overview = null;

  function rowText(n) { return columnKeys.map(k => fmt(n[k])).join(' ').toLowerCase(); }
  const searchText = NETS.map(rowText);
  function applyFilters() {
    const q = state.text.trim().toLowerCase();
    const rows = NETS.filter((n, i) =>
      (!q || searchText[i].includes(q)) &&
      (!state.category || fmt(n[state.category.key]) === state.category.value));
    overview.render(rows);
    document.getElementById('row-count').textContent = rows.length + ' of ' + NETS.length + ' networks';
    const chip = document.getElementById('active-filter');
    chip.replaceChildren();
    if (state.category) {
      chip.append(el('span', { class: 'chip' }, [
        (titles[state.category.key] || state.category.key) + ' = ' + state.category.value,
        el('button', { title: 'clear', text: '\u00d7', onclick: () => setCategory(null) })]));
    }
    for (const b of document.querySelectorAll('.cat')) {
      const on = state.category && b.dataset.col === state.category.key && b.dataset.value === state.category.value;
      b.classList.toggle('active', !!on);
    }
    markOpen();
  }
  function setCategory(cat) {
    state.category = cat && state.category && cat.key === state.category.key && cat.value === state.category.value ? null : cat;
    applyFilters();
  }
  function markOpen() {
    for (const tr of overview.tbody.children) tr.classList.toggle('open', tr.dataset.net === state.open);
  }

  function categoryBlock(key) {
    const counts = new Map();
    for (const n of NETS) {
      const v = fmt(n[key]);
      counts.set(v, (counts.get(v) || 0) + 1);
    }
    const entries = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0], undefined, { numeric: true }));
    const max = Math.max(...entries.map(e => e[1]));
    const block = el('div', { class: 'category' }, [el('h3', { text: (titles[key] || key.replace(/^sweep:/, '')) })]);
    for (const [value, count] of entries) {
      block.append(el('button', {
        class: 'cat', 'data-col': key, 'data-value': value, title: 'show only these networks',
        onclick: () => setCategory({ key: key, value: value }),
      }, [el('span', { class: 'label', text: value === '' ? '(none)' : value }),
          el('span', { class: 'bar', style: 'width:' + (100 * count / max) + '%' }),
          el('span', { class: 'count', text: String(count) })]));
    }
    return block;
  }

  // The census table as stored: text rows "a | b | c" (the first is the header).
  function censusTable(text) {
    const lines = text.split('\n').filter(l => l.trim());
    if (lines.length < 2 || !lines[0].includes('|')) return el('pre', { text: text });
    const head = lines[0].split('|').map(s => s.trim());
    const cols = head.map((h, i) => ({ key: 'c' + i, title: h, num: i > 0 }));
    const rows = lines.slice(1).map(l => {
      const cells = l.split('|').map(s => s.trim());
      const row = {};
      cells.forEach((c, i) => { row['c' + i] = i > 0 && c !== '' && !isNaN(Number(c)) ? Number(c) : c; });
      return row;
    });
    const t = new SortableTable(cols, { id: 'census-table' });
    t.render(rows);
    return el('div', { class: 'table-wrap' }, [t.table]);
  }

  // Per sweep point: networks, trained, mean accuracy; with each key's value.
  function sweepTable() {
    const keys = columnKeys.filter(k => k.startsWith('sweep:'));
    const points = new Map();
    for (const n of NETS) {
      const p = n.sweep_point;
      if (!points.has(p)) points.set(p, Object.assign({ point: p, label: n.sweep, networks: 0, trained: 0, acc: [] },
        Object.fromEntries(keys.map(k => [k, n[k]]))));
      const row = points.get(p);
      row.networks += 1;
      if (n.status === 'trained') row.trained += 1;
      if (isNum(n.val_accuracy)) row.acc.push(n.val_accuracy);
    }
    const rows = [...points.values()].map(r => Object.assign(r, {
      mean_accuracy: r.acc.length ? r.acc.reduce((a, b) => a + b, 0) / r.acc.length : null }));
    const cols = [{ key: 'point', title: 'point', num: true }]
      .concat(keys.map(k => ({ key: k, title: k.replace(/^sweep:/, '') })))
      .concat([{ key: 'networks', title: 'networks', num: true }, { key: 'trained', title: 'trained', num: true },
               { key: 'mean_accuracy', title: 'mean accuracy', num: true }]);
    const t = new SortableTable(cols, { id: 'sweep-table' });
    t.render(rows);
    return el('div', { class: 'table-wrap' }, [t.table]);
  }

  // Factor marginals of a sweep: per swept key, the networks at each of its
  // values split by attractor type (or by status without a census), and each
  // network's validation accuracy at each value (a box per value).
  function factorPlots() {
    const keys = columnKeys.filter(k => k.startsWith('sweep:'));
    const by = has('attractor') ? 'attractor' : 'status';
    if (!keys.length) return null;
    const box = el('div', { class: 'panels', id: 'factor-plots' });
    const plots = [];
    const kinds = [...new Set(NETS.map(n => fmt(n[by])))].sort();
    const kindColors = groupColors(kinds.length);
    for (const key of keys) {
      const name = key.replace(/^sweep:/, '');
      const values = [...new Set(NETS.map(n => fmt(n[key])))].sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
      const x = values.map(v => name + ' = ' + v);
      const traces = kinds.map((kind, i) => ({
        type: 'bar', name: kind === '' ? '(none)' : kind, x: x,
        y: values.map(v => NETS.filter(n => fmt(n[key]) === v && fmt(n[by]) === kind).length),
        marker: { color: kindColors[i] } }));
      const p = panel('Sweep factor ' + name + ': networks by ' + (titles[by] || by));
      p.classList.add('factor');
      p.dataset.factor = name;
      const d = plotDiv(p);
      d.classList.add('factor-counts');
      // The legend beside the bars, so that many categories never cover them.
      plots.push([d, traces, { barmode: 'stack', margin: { l: 50, r: 10, t: 10, b: 60 }, yaxis: { title: { text: 'networks' } },
                                legend: { x: 1.02, y: 1, title: { text: titles[by] || by } } }]);
      if (has('val_accuracy')) {
        const acc = values.map(v => NETS.filter(n => fmt(n[key]) === v && isNum(n.val_accuracy)));
        const boxes = [{ type: 'box', name: 'validation accuracy', boxpoints: 'all', jitter: 0.4, pointpos: 0,
                         x: acc.flatMap((ns, i) => ns.map(() => x[i])), y: acc.flatMap(ns => ns.map(n => n.val_accuracy)),
                         text: acc.flatMap(ns => ns.map(n => 'network ' + n.key)), marker: { color: PALETTE[0], size: 5 } }];
        const da = plotDiv(p);
        da.classList.add('factor-accuracy');
        plots.push([da, boxes, { margin: { l: 50, r: 10, t: 10, b: 60 }, showlegend: false,
                                 yaxis: { title: { text: 'validation accuracy (each network)' }, range: [0, 1.02] } }]);
      }
      box.append(p);
    }
    return [box, plots];
  }

  // ---- one network's panels ----------------------------------------------------------
  const PHI_PRIME_AT_ZERO = { tanh: 1, linear: 1, softplus: 0.5, sigmoid: 0.25, relu: 0, retanh: 0 };

  function eigenTrace(eig, name, color, size) {
    return { x: eig.re, y: eig.im, mode: 'markers', type: 'scatter', name: name,
             marker: { color: color, size: size || 6, opacity: 0.85 },
             hovertemplate: '%{x:.4f} %{y:+.4f}i<extra>' + name + '</extra>' };
  }
  function complexPlane(title) {
    return { title: { text: title, font: { size: 13 } }, margin: { l: 50, r: 10, t: 40, b: 40 },
             xaxis: { title: { text: 'Re' }, zeroline: true }, yaxis: { title: { text: 'Im' }, scaleanchor: 'x', zeroline: true },
             legend: { orientation: 'h', y: -0.18 } };
  }

  function panel(title, wide) {
    const p = el('div', { class: 'panel' + (wide ? ' wide' : '') }, [el('h3', { text: title })]);
    return p;
  }
  function plotDiv(p, tall) {
    const d = el('div', { class: 'plot' + (tall ? ' tall' : '') });
    p.append(d);
    return d;
  }

  function wRecPanel(net, row, plots) {
    const p = panel('Eigenvalues of W_rec');
    const a = (attrsOf(net, '') || {}).alpha;
    const trained = complexData(net, 'analysis/spectrum/trained/eigenvalues');
    if (!trained) { p.append(missing('No spectrum stored: run rnnlab analyze --spectrum.')); return p; }
    const traces = [];
    const initial = complexData(net, 'analysis/spectrum/initial/eigenvalues');
    if (initial) traces.push(eigenTrace(initial, 'initial W_rec', '#b8c2cc', 5));
    traces.push(eigenTrace(trained, 'trained W_rec', '#1f5fbf', 6));
    const activation = (attrsOf(net, '') || {}).activation;
    let g = PHI_PRIME_AT_ZERO[activation];
    let note;
    if (isNum(a) && a > 0) {
      // The step map at x is J = (1-a) I + a W_rec diag(phi'(x)): with every
      // phi' = g its eigenvalues are 1 - a + a g l, inside the unit circle iff
      // |l - (1 - 1/a)/g| < 1/(a g).
      if (!(g > 0)) {
        g = 1;
        note = activation + " has phi'(0) = 0, so J(0) = (1-a) I is stable for any W_rec; the circle is the boundary where all units are active (phi' = 1).";
      } else {
        note = "J = (1-a) I + a W_rec phi'(0) with a = " + fmt(a) + ", phi'(0) = " + g +
               ': its eigenvalues are inside the unit circle iff those of W_rec are inside the red circle (centre ' +
               fmt((1 - 1 / a) / g) + ', radius ' + fmt(1 / (a * g)) + ').';
      }
      traces.push(circle((1 - 1 / a) / g, 0, 1 / (a * g), 'stability boundary: |1 - a + a\u00b7phi\'\u00b7l| = 1'));
    } else {
      note = 'No alpha attribute: no stability boundary.';
    }
    const d = plotDiv(p);
    p.append(el('p', { class: 'note', text: note + ' Double-click the plot to see the whole circle.' }));
    // Open on the eigenvalues and the part of the boundary near them (the
    // whole circle, radius 1/a, would shrink them to a dot).
    let extent = 1.5;
    for (let k = 0; k < trained.re.length; ++k) extent = Math.max(extent, 1.15 * Math.hypot(trained.re[k], trained.im[k]));
    const layout = complexPlane('W_rec (' + (row.units || '?') + ' units)');
    layout.xaxis.range = [-extent, extent];
    layout.yaxis.range = [-extent, extent];
    plots.push([d, traces, layout]);
    return p;
  }

  function stepMapPanel(net, plots) {
    const p = panel("Eigenvalues of the step map J(0) = (1-a) I + a W_rec diag(phi'(0))");
    const eig = complexData(net, 'analysis/spectrum/trained/linearised_origin/eigenvalues');
    if (!eig) { p.append(missing('Not stored (analysis/spectrum/trained/linearised_origin): run rnnlab analyze --spectrum.')); return p; }
    const traces = [];
    const initial = complexData(net, 'analysis/spectrum/initial/linearised_origin/eigenvalues');
    if (initial) traces.push(eigenTrace(initial, 'initial J(0)', '#b8c2cc', 5));
    traces.push(eigenTrace(eig, 'trained J(0)', '#1f5fbf', 6));
    traces.push(circle(0, 0, 1, 'unit circle: stable inside (per step)'));
    const d = plotDiv(p);
    const at = attrsOf(net, 'analysis/spectrum/trained/linearised_origin') || {};
    p.append(el('p', { class: 'note', text: 'Per step of ' + fmt(at.dt_ms) + ' ms. Spectral radius ' +
      fmt(at.spectral_radius) + ', ' + fmt(at.n_outside_unit_circle) + ' outside the unit circle.' }));
    plots.push([d, traces, complexPlane('linearisation at the origin')]);
    return p;
  }

  function curvesPanel(net, plots) {
    const p = panel('Training curves');
    const it = data(net, 'train/iteration');
    if (!it || !it.length) { p.append(missing('No training curves (train/): an imported network, or none recorded.')); return p; }
    const traces = [];
    for (const [key, name, color] of [['loss', 'loss', '#1f5fbf'], ['val_loss', 'validation loss', '#e07b1f']]) {
      const y = data(net, 'train/' + key);
      if (y) traces.push({ x: it, y: y, name: name, mode: 'lines+markers', line: { color: color }, marker: { size: 4 } });
    }
    const acc = data(net, 'train/val_accuracy');
    if (acc) traces.push({ x: it, y: acc, name: 'validation accuracy', yaxis: 'y2', mode: 'lines+markers',
                           line: { color: '#2b9348', dash: 'dot' }, marker: { size: 4 } });
    const d = plotDiv(p);
    plots.push([d, traces, { margin: { l: 60, r: 60, t: 20, b: 50 }, legend: { orientation: 'h', y: -0.25 },
      xaxis: { title: { text: 'iteration' } }, yaxis: { title: { text: 'loss (MSE)' }, type: 'log' },
      yaxis2: { title: { text: 'accuracy' }, overlaying: 'y', side: 'right', range: [0, 1.02] } }]);
    return p;
  }

  function connectivityPanel(net, plots) {
    const p = panel('Connectivity: W_rec[i, j], from unit j to unit i');
    const trained = data(net, 'trained/w_rec');
    if (!trained || !trained.length) { p.append(missing('No trained W_rec in the page (absent, or too large).')); return p; }
    const initial = data(net, 'initial/w_rec');
    const views = { 'trained': trained };
    if (initial && initial.length === trained.length) {
      views['initial'] = initial;
      views['trained - initial'] = trained.map((r, i) => r.map((v, j) => v - initial[i][j]));
    }
    const select = el('select', { title: 'which matrix' });
    for (const k of Object.keys(views)) select.append(el('option', { value: k, text: k }));
    p.append(select);
    const d = plotDiv(p);
    const trace = { z: trained, type: 'heatmap', colorscale: 'RdBu', zmid: 0,
                    hovertemplate: 'to %{y} from %{x}: %{z}<extra></extra>' };
    select.addEventListener('change', () => Plotly.restyle(d, { z: [views[select.value]] }));
    plots.push([d, [trace], { margin: { l: 50, r: 10, t: 10, b: 40 },
      xaxis: { title: { text: 'from unit j' }, zeroline: false, showgrid: false },
      yaxis: { title: { text: 'to unit i' }, autorange: 'reversed', scaleanchor: 'x', zeroline: false, showgrid: false } }]);
    return p;
  }

  const STABILITY_COLORS = { stable: '#2b9348', saddle: '#d62828', unstable: '#f77f00', marginal: '#7b2cbf' };

  function conditionValue(group) {
    const v = (group[ATTRS] || {}).value;
    return isNum(v) ? v : Number(v);
  }

  function stateSpacePanel(net, plots) {
    const p = panel('Fixed points on the task trajectories', true);
    const dyn = 'analysis/dynamics';
    const components = data(net, dyn + '/pca/components');
    const mean = data(net, dyn + '/pca/mean');
    const pcs = components && components.length ? components[0].length : 0;
    const dims = pcs >= 3 ? 3 : (pcs === 2 ? 2 : 0);
    // Fixed points: the fixed-point analysis's, else the dynamics analysis's own.
    let fpPath = null;
    for (const path of ['analysis/fixed_points/points', dyn + '/fixed_points'])
      if (data(net, path + '/x')) { fpPath = path; break; }
    const traces = [];
    const project = dims
      ? (x => { const out = []; for (let c = 0; c < dims; ++c) { let s = 0; for (let i = 0; i < x.length; ++i) s += (x[i] - (mean ? mean[i] : 0)) * components[i][c]; out.push(s); } return out; })
      : (x => x.slice(0, 3));
    const axisCount = dims || 3;
    const label = dims ? (c => 'PC' + (c + 1)) : (c => 'unit ' + (c + 1));
    // Trajectories: the mean state per condition, already projected on the PCs,
    // coloured by the rank of the condition's value (as the Python figures).
    const conditions = node(net, dyn + '/conditions');
    const conditionName = (attrsOf(net, dyn) || {}).condition;
    if (dims && conditions) {
      const keys = Object.keys(conditions).filter(k => k !== ATTRS)
        .sort((a, b) => conditionValue(conditions[a]) - conditionValue(conditions[b]) || Number(a) - Number(b));
      const colors = groupColors(keys.length);
      keys.forEach((k, idx) => {
        const traj = data(conditions[k], 'mean_states_pcs');
        if (!traj || !traj.length) return;
        const value = (conditions[k][ATTRS] || {}).value;
        const color = colors[idx];
        const name = (conditionName ? conditionName + ' = ' : 'condition ') + fmt(value);
        const t = { name: name, mode: 'lines', line: { color: color, width: 3 }, legendgroup: name,
                    x: traj.map(r => r[0]), y: traj.map(r => r[1]) };
        if (dims === 3) t.z = traj.map(r => r[2]);
        traces.push(t);
        const ends = { name: 'start (circle) / end (square), ' + name, mode: 'markers', showlegend: false, legendgroup: name,
                       marker: { color: color, size: 6, symbol: ['circle', 'square'], line: { color: '#000', width: 1 } },
                       x: [traj[0][0], traj[traj.length - 1][0]], y: [traj[0][1], traj[traj.length - 1][1]] };
        if (dims === 3) ends.z = [traj[0][2], traj[traj.length - 1][2]];
        traces.push(ends);
      });
    }
    if (fpPath) {
      const xs = data(net, fpPath + '/x');
      const stability = data(net, fpPath + '/stability') || xs.map(() => 'unknown');
      const groups = new Map();
      xs.forEach((x, k) => {
        const s = stability[k];
        if (!groups.has(s)) groups.set(s, []);
        groups.get(s).push(project(x));
      });
      for (const [s, pts] of groups) {
        const t = { name: s + ' fixed point' + (pts.length > 1 ? 's' : '') + ' (' + pts.length + ')', mode: 'markers',
                    marker: { color: STABILITY_COLORS[s] || '#555', size: dims === 3 || !dims ? 6 : 10, symbol: 'diamond',
                              line: { color: '#000', width: 1 } },
                    x: pts.map(q => q[0]), y: pts.map(q => q[1]) };
        if (axisCount === 3) t.z = pts.map(q => q[2] !== undefined ? q[2] : 0);
        traces.push(t);
      }
    }
    if (!traces.length) {
      p.append(missing('No fixed points or trajectories stored: run rnnlab analyze --fixed-points --dynamics.'));
      return p;
    }
    const fpAttrs = attrsOf(net, 'analysis/fixed_points') || {};
    const where = [];
    // The dynamics analysis searches at zero input (docs/dynamics.md); the
    // fixed-point analysis at the input stored in its input attribute.
    const input = fpPath === dyn + '/fixed_points' ? 'zero' : fpAttrs.input;
    if (fpPath) where.push('fixed points from ' + fpPath.replace('/points', '') + (input !== undefined ? ', found at input ' + fmt(input) : ''));
    if (dims && conditions) where.push('mean trajectory of each condition group, circle at its start and square at its end');
    where.push(dims ? 'projected on the first ' + dims + ' principal components of the task states (analysis/dynamics/pca)'
                    : 'no PCA stored: shown on the first three units');
    p.append(el('p', { class: 'note', text: where.join('; ') + '. Drag to rotate.' }));
    const d = plotDiv(p, true);
    const is3d = axisCount === 3 && (dims === 3 || !dims);
    for (const t of traces) t.type = is3d ? 'scatter3d' : 'scatter';
    const layout = is3d
      ? { margin: { l: 0, r: 0, t: 0, b: 0 }, legend: { x: 0, y: 1 },
          scene: { xaxis: { title: { text: label(0) } }, yaxis: { title: { text: label(1) } }, zaxis: { title: { text: label(2) } } } }
      : { margin: { l: 50, r: 10, t: 10, b: 40 }, xaxis: { title: { text: label(0) } }, yaxis: { title: { text: label(1) } } };
    plots.push([d, traces, layout]);
    return p;
  }

  function attractorPanel(net) {
    const p = panel('Attractors and dynamics (analysis/dynamics)');
    const dyn = node(net, 'analysis/dynamics');
    if (!dyn) { p.append(missing('No dynamics analysis stored: run rnnlab analyze --dynamics.')); return p; }
    const a = dyn[ATTRS] || {};
    const summary = [['attractor', a.attractor], ['leading Lyapunov exponent (1/tau)', a.leading_lyapunov_per_tau],
                     ['participation ratio', a.participation_ratio], ['grouped by condition', a.condition],
                     ['Jarne class', (attrsOf(dyn, 'jarne') || {}).label]].filter(r => r[1] !== undefined);
    const t = el('table', { class: 'data' });
    for (const [k, v] of summary) t.append(el('tr', null, [el('th', { text: k }), el('td', { text: fmt(v) })]));
    p.append(t);
    const conditions = node(dyn, 'conditions');
    if (conditions) {
      const keys = Object.keys(conditions).filter(k => k !== ATTRS).sort((x, y) => Number(x) - Number(y));
      const cols = [];
      for (const k of keys) for (const c of Object.keys(conditions[k][ATTRS] || {})) if (!cols.includes(c)) cols.push(c);
      const st = new SortableTable([{ key: 'group', title: 'group', num: true }].concat(cols.map(c => ({ key: c, title: c.replace(/_/g, ' '), num: true }))),
                                   { id: null });
      st.render(keys.map(k => Object.assign({ group: Number(k) }, conditions[k][ATTRS] || {})));
      p.append(el('h3', { text: 'Per condition group (autonomous run from its end state)' }), el('div', { class: 'table-wrap' }, [st.table]));
    }
    return p;
  }

  // Every attribute stored for the network, group by group: whatever an
  // analysis writes shows up here even before a panel knows it.
  function everythingPanel(net) {
    const p = el('details', { class: 'panel wide' }, [el('summary', { text: 'Everything stored for this network (attributes by group, and datasets)' })]);
    function walk(g, path, depth) {
      const a = g[ATTRS] || {};
      const rows = Object.entries(a);
      const datasets = Object.entries(g).filter(([k, v]) => k !== ATTRS && v && v.shape !== undefined);
      if (rows.length || datasets.length) {
        p.append(el('h3', { text: '/' + path }));
        const t = el('table', { class: 'data' });
        for (const [k, v] of rows) t.append(el('tr', null, [el('th', { text: k }), el('td', { text: fmt(v).slice(0, 300) })]));
        for (const [k, v] of datasets)
          t.append(el('tr', null, [el('th', { text: k }), el('td', { class: 'note', text: 'dataset ' + v.shape.join(' x ') + (v.omitted ? ' (not in the page: ' + v.omitted + ')' : '') })]));
        p.append(t);
      }
      if (depth > 8) return;
      for (const [k, v] of Object.entries(g))
        if (k !== ATTRS && v && typeof v === 'object' && v.shape === undefined) walk(v, path ? path + '/' + k : k, depth + 1);
    }
    p.addEventListener('toggle', () => { if (p.open && p.children.length === 1) walk(net, '', 0); });
    return p;
  }

  function openNetwork(i) {
    const row = NETS[i];
    state.open = row.key;
    markOpen();
    const box = document.getElementById('panels');
    for (const d of box.querySelectorAll('.js-plotly-plot')) Plotly.purge(d);
    box.replaceChildren();
    const net = JSON.parse(document.getElementById('net-' + i).textContent);
    const title = 'network ' + row.key + (row.sweep ? ' (' + row.sweep + ', seed ' + row.seed + ')' : '');
    document.getElementById('network-title').textContent = title;
    const info = [row.status + (row.status_reason ? ' (' + row.status_reason + ')' : ''), fmt(row.units) + ' units',
                  'alpha ' + fmt(row.alpha), 'dt ' + fmt(row.dt) + ' ms', row.activation, 'origin ' + row.origin];
    box.append(el('p', { class: 'note', text: info.filter(Boolean).join(' \u00b7 ') }));
    if (row.status === 'failed' || row.status === 'missing') box.append(missing('This network has no weights: ' + (row.status_reason || row.status)));
    const plots = [];
    const grid = el('div', { class: 'panels', id: 'panel-grid' }, [
      wRecPanel(net, row, plots), stepMapPanel(net, plots), curvesPanel(net, plots), connectivityPanel(net, plots),
      stateSpacePanel(net, plots), attractorPanel(net), everythingPanel(net)]);
    box.append(grid);
    for (const [d, traces, layout] of plots) Plotly.newPlot(d, traces, layout, PLOT_CONFIG);
    if (history.replaceState) history.replaceState(null, '', '#net=' + encodeURIComponent(row.key));
  }

  // ---- the page ---------------------------------------------------------------------
  function build() {
    const app = document.getElementById('app');
    const root = INDEX.attrs || {};
    const trained = NETS.filter(n => n.status === 'trained').length;
    const header = el('header', null, [el('h1', { text: 'rnnlab report: ' + INDEX.file }),
      el('p', { text: NETS.length + ' networks (' + trained + ' trained) \u00b7 rnnlab ' + (root.rnnlab_version || '?') }) ]);
    const main = el('main');

    const census = el('section', { id: 'census' }, [el('h2', { text: 'Census' })]);
    const ct = INDEX.census && INDEX.census[ATTRS] && INDEX.census[ATTRS].table;
    if (ct) census.append(el('p', { class: 'note', text: 'Networks per group and attractor type / Jarne class (analysis/census). Click a header to sort.' }), censusTable(ct));
    else census.append(missing('No census stored (analysis/census): rnnlab analyze --dynamics computes it.'));
    const fam = INDEX.census && attrsOf(INDEX.census, 'families');
    if (fam) census.append(el('p', { class: 'note', text: 'Families: k = ' + fmt(fam.k) + ', mean silhouette ' + fmt(fam.silhouette) +
      ' (one family unless k-means finds a silhouette of at least ' + fmt(fam.min_silhouette) + ').' }));
    if (categoryKeys.length) {
      census.append(el('p', { class: 'note', text: 'Click a bar to list only those networks; click it again to show all.' }));
      census.append(el('div', { class: 'categories', id: 'categories' }, categoryKeys.map(categoryBlock)));
    }
    main.append(census);
    const factors = inSweep ? factorPlots() : null;
    if (factors) census.append(el('h3', { text: 'Sweep factors' }), factors[0]);
    if (inSweep) main.append(el('section', { id: 'sweep' }, [el('h2', { text: 'Sweep points' }), sweepTable()]));

    const list = el('section', { id: 'overview' }, [el('h2', { text: 'Networks' })]);
    const filter = el('input', { type: 'search', id: 'filter', placeholder: 'filter: any text in a row' });
    filter.addEventListener('input', () => { state.text = filter.value; applyFilters(); });
    list.append(el('div', { class: 'toolbar' }, [filter, el('span', { id: 'active-filter' }), el('span', { id: 'row-count', class: 'note' })]));
    const keyToIndex = new Map(NETS.map((n, i) => [n.key, i]));
    overview = new SortableTable(columns, { id: 'networks', rowId: r => r.key, onRowClick: r => openNetwork(keyToIndex.get(r.key)) });
    list.append(el('p', { class: 'note', text: 'Click a network to open its panels below; click a header to sort.' }),
                el('div', { class: 'table-wrap' }, [overview.table]));
    main.append(list);

    main.append(el('section', { id: 'network' }, [el('h2', { id: 'network-title', text: 'No network open' }), el('div', { id: 'panels' })]));
    if (root.config) main.append(el('section', null, [el('details', null, [el('summary', { text: 'Config as run' }), el('pre', { text: root.config })])]));
    app.replaceChildren(header, main);
    if (factors) for (const [d, traces, layout] of factors[1]) Plotly.newPlot(d, traces, layout, PLOT_CONFIG);
    applyFilters();
    const m = /^#net=(.*)$/.exec(location.hash);
    if (m && keyToIndex.has(decodeURIComponent(m[1]))) openNetwork(keyToIndex.get(decodeURIComponent(m[1])));
  }
  build();
})();
