// CxrQa review page (issue 7). Plain JavaScript, no build step and no third-party code: the page's
// Content-Security-Policy allows scripts from this server only, and every request carries the reviewer's key.
'use strict';

(() => {
  const KEY_STORAGE = 'cxrqa.review.key';
  // The API has no "who am I": the key's name is learnt from the first claim's claimed_by and kept beside the key.
  const ME_STORAGE = 'cxrqa.review.me';
  const PAGE_SIZE = 50;
  const DEFAULT_WIDTH = 256;
  const DEFAULT_LEVEL = 128;
  const GRID = 7;

  const $ = (id) => document.getElementById(id);
  const el = {
    loginView: $('login-view'), loginForm: $('login-form'), apiKey: $('api-key'),
    appView: $('app-view'), session: $('session'), whoami: $('whoami'), logout: $('logout'),
    error: $('error'), notice: $('notice'),
    tabs: [...document.querySelectorAll('[role="tab"]')], list: $('queue-list'), more: $('more'),
    refresh: $('refresh'), total: $('queue-total'), automation: $('automation'),
    canvas: $('film'), viewerEmpty: $('viewer-empty'), readout: $('wl-readout'),
    panel: $('case-panel'), caseId: $('case-id'),
    fModel: $('f-model'), fReasons: $('f-reasons'), fOrigin: $('f-origin'), fState: $('f-state'),
    fClaimed: $('f-claimed'), fDecided: $('f-decided'),
    claim: $('claim'), release: $('release'),
    width: $('wl-width'), level: $('wl-level'), reset: $('wl-reset'),
    heatOn: $('heatmap-on'), opacity: $('heatmap-opacity'),
    note: $('note'), decide: [...document.querySelectorAll('.decide')],
    confirm: $('confirm'), confirmText: $('confirm-text'), confirmYes: $('confirm-yes'), confirmNo: $('confirm-no'),
  };

  const state = {
    key: sessionStorage.getItem(KEY_STORAGE),
    me: sessionStorage.getItem(ME_STORAGE),
    tab: 'pending',
    items: [],
    total: 0,
    current: null,      // the open ReviewItem
    openToken: 0,       // guards against a slow film of a case the reviewer has already left
    film: null,         // { width, height, gray, heat, image, ctx }
    width: DEFAULT_WIDTH,
    level: DEFAULT_LEVEL,
    armed: null,        // a decision label waiting for Enter / Confirm
    busy: false,
    thumbs: new Map(),  // case id -> object URL
    noticeTimer: 0,
    renderQueued: false,
  };

  // ---------- HTTP ----------

  class ApiError extends Error {
    constructor(status, code, message) {
      super(message);
      this.status = status;
      this.code = code;
    }
  }

  async function send(path, { method = 'GET', body, blob = false } = {}) {
    const headers = { Authorization: `Bearer ${state.key}`, Accept: blob ? 'image/*' : 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let response;
    try {
      response = await fetch(path, {
        method, headers, cache: 'no-store', credentials: 'omit',
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (e) {
      throw new ApiError(0, 'network', `The server cannot be reached (${e.message}).`);
    }
    if (response.ok) return blob ? response.blob() : response.json();
    // Every server error is problem+json; its detail is written for people, its code for programs.
    let detail = '';
    let code = '';
    try {
      const problem = await response.json();
      detail = problem.detail || problem.title || '';
      code = problem.code || '';
    } catch {
      // Not JSON (a proxy's page): fall back to the status below.
    }
    const error = new ApiError(response.status, code, detail || `The server answered ${response.status}.`);
    if (response.status === 401) {
      logout(`Your key was refused: ${error.message}`);
    }
    throw error;
  }

  function describe(error) {
    if (error instanceof ApiError) return error.code ? `${error.message} (${error.code})` : error.message;
    return `Unexpected error: ${error && error.message ? error.message : error}`;
  }

  // Runs a user action: clears the last error and shows this one's. Exclusive actions (claim, release, decide) never
  // overlap one another, and their buttons are disabled meanwhile; reading (queue, opening a case) is never blocked.
  async function act(action, exclusive = false) {
    if (exclusive) {
      if (state.busy) return;
      state.busy = true;
      updateButtons();
    }
    clearError();
    try {
      await action();
    } catch (e) {
      if (!(e instanceof ApiError && e.status === 401)) showError(describe(e));
    } finally {
      if (exclusive) state.busy = false;
      updateButtons();
    }
  }

  // ---------- messages ----------

  function showError(text) {
    el.error.textContent = text;
    el.error.hidden = false;
  }

  function clearError() {
    el.error.hidden = true;
    el.error.textContent = '';
  }

  function notify(text) {
    el.notice.textContent = text;
    clearTimeout(state.noticeTimer);
    state.noticeTimer = setTimeout(() => { el.notice.textContent = ''; }, 5000);
  }

  // ---------- session ----------

  function showLogin() {
    el.appView.hidden = true;
    el.session.hidden = true;
    el.loginView.hidden = false;
    el.apiKey.focus();
  }

  function showApp() {
    el.loginView.hidden = true;
    el.appView.hidden = false;
    el.session.hidden = false;
    showWho();
  }

  function showWho() {
    el.whoami.textContent = state.me ? `Signed in as ${state.me}` : `Key …${state.key.slice(-4)}`;
  }

  async function login(key) {
    state.key = key;
    // /reviews/stats needs a reviewer or admin key: a wrong or a submitter key is refused here with the server's words.
    await loadStats();
    sessionStorage.setItem(KEY_STORAGE, key);
    el.apiKey.value = '';
    showApp();
    await loadQueue();
    const fromHash = decodeURIComponent(location.hash.slice(1));
    if (/^[0-9a-f]{32}$/.test(fromHash)) await openCase(fromHash);
  }

  function logout(message) {
    sessionStorage.removeItem(KEY_STORAGE);
    sessionStorage.removeItem(ME_STORAGE);
    state.key = null;
    state.me = null;
    state.items = [];
    state.current = null;
    state.film = null;
    state.openToken++;
    disarm();
    for (const url of state.thumbs.values()) URL.revokeObjectURL(url);
    state.thumbs.clear();
    el.list.replaceChildren();
    el.panel.hidden = true;
    el.canvas.hidden = true;
    el.viewerEmpty.hidden = false;
    el.readout.textContent = '';
    history.replaceState(null, '', location.pathname);
    showLogin();
    if (message) showError(message); else clearError();
  }

  // ---------- queue ----------

  async function loadStats() {
    const stats = await send('/reviews/stats');
    for (const span of document.querySelectorAll('[data-count]')) {
      const n = stats[span.dataset.count];
      span.textContent = Number.isInteger(n) ? `(${n})` : '';
    }
    renderAutomation(stats.automation);
  }

  // Whether this site answers on its own, the drift monitor's nearest signal and the audit sample's bounds per class.
  function renderAutomation(a) {
    if (!a) { el.automation.hidden = true; return; }
    const parts = [a.paused ? `Automation PAUSED at site ${a.site}: ${a.detail ?? a.cause}` : `Automated answers on at site ${a.site}`];
    if (a.drift && a.drift.signals.length) {
      const top = a.drift.signals.reduce((m, s) => (s.statistic > m.statistic ? s : m));
      parts.push(`drift ${top.statistic.toFixed(1)} / ${a.drift.threshold.toFixed(1)} (${top.name}, ${a.films_observed} films)`);
    }
    for (const c of a.audit || []) {
      if (c.samples > 0) parts.push(`${c.predicted_class} audit: ${c.errors}/${c.samples} wrong, error ${pct(c.lower)}–${pct(c.upper)} (promise ${pct(c.alpha)})`);
    }
    el.automation.textContent = parts.join(' · ');
    el.automation.classList.toggle('paused', !!a.paused);
    el.automation.hidden = false;
  }

  function pct(x) {
    return typeof x === 'number' ? `${(x * 100).toFixed(1)} %` : '?';
  }

  async function loadQueue(append = false) {
    const offset = append ? state.items.length : 0;
    const page = await send(`/reviews?status=${state.tab}&limit=${PAGE_SIZE}&offset=${offset}`);
    state.items = append ? state.items.concat(page.items) : page.items;
    state.total = page.total;
    renderQueue();
    await loadStats();
  }

  function selectTab(name) {
    state.tab = name;
    for (const tab of el.tabs) {
      const selected = tab.dataset.state === name;
      tab.setAttribute('aria-selected', String(selected));
      tab.tabIndex = selected ? 0 : -1;
    }
    return loadQueue();
  }

  function renderQueue() {
    const rows = state.items.map((item) => {
      const li = document.createElement('li');
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'queue-item';
      button.dataset.caseId = item.case_id;
      if (state.current && state.current.case_id === item.case_id) button.setAttribute('aria-current', 'true');

      const thumb = document.createElement('img');
      thumb.alt = '';
      thumb.className = 'thumb';
      const cached = state.thumbs.get(item.case_id);
      if (cached) thumb.src = cached; else loadThumb(item, thumb);

      const lines = document.createElement('span');
      lines.className = 'lines';
      const c = item.case || {};
      lines.append(
        line(c.blinded ? 'AI answer hidden (audit sample)' : `${c.prediction ?? '?'} · p ${fixed(c.pneumonia_probability)}`, 'title'),
        line((c.reasons && c.reasons.length ? c.reasons.join(', ') : 'no reasons'), 'reasons'),
        line(originText(item.origin), 'origin'),
        line(queueStateLine(item), 'who'),
      );
      button.append(thumb, lines);
      button.addEventListener('click', () => act(() => openCase(item.case_id)));
      li.append(button);
      return li;
    });
    if (rows.length === 0) {
      const li = document.createElement('li');
      li.className = 'queue-empty';
      li.textContent = `No ${state.tab} cases.`;
      rows.push(li);
    }
    el.list.replaceChildren(...rows);
    el.total.textContent = `${state.items.length} of ${state.total}`;
    el.more.hidden = state.items.length >= state.total;
  }

  function line(text, cls) {
    const span = document.createElement('span');
    span.className = cls;
    span.textContent = text;
    return span;
  }

  function queueStateLine(item) {
    if (item.state === 'decided') return `${item.label} by ${item.decided_by}`;
    if (item.state === 'claimed') return `claimed by ${item.claimed_by}${expired(item) ? ' (expired)' : ''}`;
    return `queued ${when(item.queued_at)}`;
  }

  async function loadThumb(item, img) {
    const url = item.case && item.case.thumbnail_url;
    if (!url) return;
    try {
      const objectUrl = URL.createObjectURL(await send(url, { blob: true }));
      state.thumbs.set(item.case_id, objectUrl);
      img.src = objectUrl;
    } catch {
      // A missing thumbnail must not hide the case: the row still opens it, and the film load reports any error.
      img.alt = 'no thumbnail';
    }
  }

  function move(step) {
    if (state.items.length === 0) return;
    const index = state.current ? state.items.findIndex((i) => i.case_id === state.current.case_id) : -1;
    const next = index < 0 ? 0 : Math.min(Math.max(index + step, 0), state.items.length - 1);
    if (next !== index) act(() => openCase(state.items[next].case_id));
  }

  // ---------- case ----------

  async function openCase(id) {
    const token = ++state.openToken;
    disarm();
    const item = await send(`/reviews/${encodeURIComponent(id)}`);
    if (token !== state.openToken) return;
    state.current = item;
    history.replaceState(null, '', `#${item.case_id}`);
    el.note.value = '';
    renderPanel();
    renderQueue();
    el.canvas.hidden = true;
    el.viewerEmpty.hidden = false;
    el.viewerEmpty.textContent = 'Loading the film…';
    const gray = await loadGray(item.case.display_url);
    if (token !== state.openToken) return;
    state.film = { ...gray, heat: upsampleGrid(item.case.heatmap_grid, gray.width, gray.height) };
    el.canvas.width = gray.width;
    el.canvas.height = gray.height;
    state.film.ctx = el.canvas.getContext('2d');
    state.film.image = state.film.ctx.createImageData(gray.width, gray.height);
    el.canvas.hidden = false;
    el.viewerEmpty.hidden = true;
    resetWindow();
  }

  function renderPanel() {
    const item = state.current;
    el.panel.hidden = !item;
    if (!item) return;
    const c = item.case || {};
    el.caseId.textContent = item.case_id;
    // A blinded audit sample: the radiologist's read must not lean on the AI's answer, so none is shown.
    el.fModel.textContent = c.blinded
      ? c.message
      : `${c.prediction} · p(pneumonia) ${fixed(c.pneumonia_probability)} · confidence ${fixed(c.confidence)} · ${c.status}`;
    const chips = (c.reasons || []).map((r) => {
      const chip = document.createElement('span');
      chip.className = 'chip';
      chip.textContent = r;
      return chip;
    });
    el.fReasons.replaceChildren(...(chips.length ? chips : [document.createTextNode('none')]));
    el.fOrigin.textContent = originText(item.origin);
    el.fState.textContent = item.state;
    el.fClaimed.textContent = item.claimed_by
      ? `by ${item.claimed_by} at ${when(item.claimed_at)}; ${expired(item) ? 'expired' : 'until'} ${when(item.claim_expires_at)}`
      : '—';
    if (item.decided_by) {
      const label = line(item.label, `label-${item.label}`);
      el.fDecided.replaceChildren(label, document.createTextNode(` by ${item.decided_by} at ${when(item.decided_at)}`));
      if (item.note) el.fDecided.append(document.createElement('br'), document.createTextNode(`Note: ${item.note}`));
    } else {
      el.fDecided.textContent = '—';
    }
    updateButtons();
  }

  function mine(item) {
    return item.state === 'claimed' && (!state.me || item.claimed_by === state.me);
  }

  function updateButtons() {
    const item = state.current;
    const open = !!item && !state.busy;
    el.claim.disabled = !open || item.state === 'decided';
    el.release.disabled = !open || item.state !== 'claimed';
    for (const b of el.decide) b.disabled = !open || !mine(item);
    el.note.disabled = !item || item.state === 'decided';
  }

  function applyItem(item, message) {
    state.current = item;
    if (item.claimed_by && item.state === 'claimed' && !state.me) {
      state.me = item.claimed_by;
      sessionStorage.setItem(ME_STORAGE, state.me);
      showWho();
    }
    renderPanel();
    notify(message);
    return loadQueue();
  }

  function claim() {
    return act(async () => {
      const id = state.current.case_id;
      const item = await send(`/reviews/${id}/claim`, { method: 'POST' });
      state.me = item.claimed_by;
      sessionStorage.setItem(ME_STORAGE, state.me);
      showWho();
      await applyItem(item, `Claimed ${short(id)}; the claim expires at ${when(item.claim_expires_at)}.`);
    }, true);
  }

  function release() {
    return act(async () => {
      const id = state.current.case_id;
      disarm();
      await applyItem(await send(`/reviews/${id}/release`, { method: 'POST' }), `Released ${short(id)}.`);
    }, true);
  }

  // A decision cannot be undone (a second one is refused), so a key press or a click only arms it: Enter or
  // "Confirm decision" sends it, Esc or "Cancel" drops it.
  function arm(label) {
    const item = state.current;
    if (!item) return;
    if (!mine(item)) {
      showError(item.state === 'decided' ? 'This case is already decided.' : 'Claim the case before deciding it.');
      return;
    }
    clearError();
    state.armed = label;
    for (const b of el.decide) b.setAttribute('aria-pressed', String(b.dataset.label === label));
    el.confirmText.textContent = `Record “${label}”? Enter confirms, Esc cancels.`;
    el.confirm.hidden = false;
  }

  function disarm() {
    state.armed = null;
    for (const b of el.decide) b.removeAttribute('aria-pressed');
    el.confirm.hidden = true;
  }

  function confirmDecision() {
    const label = state.armed;
    if (!label || !state.current) return Promise.resolve();
    return act(async () => {
      const id = state.current.case_id;
      const note = el.note.value.trim();
      const body = note ? { label, note } : { label };
      const item = await send(`/reviews/${id}/decision`, { method: 'POST', body });
      disarm();
      await applyItem(item, `Decided ${short(id)}: ${item.label}.`);
    }, true);
  }

  // ---------- film: window/level and heatmap ----------

  async function loadGray(url) {
    const blob = await send(url, { blob: true });
    const bitmap = await createImageBitmap(blob, { colorSpaceConversion: 'none', premultiplyAlpha: 'none' });
    const scratch = document.createElement('canvas');
    scratch.width = bitmap.width;
    scratch.height = bitmap.height;
    const ctx = scratch.getContext('2d', { willReadFrequently: true });
    ctx.drawImage(bitmap, 0, 0);
    bitmap.close();
    const rgba = ctx.getImageData(0, 0, scratch.width, scratch.height).data;
    // display.png is 8-bit grey, so R = G = B: keep one channel.
    const gray = new Uint8Array(scratch.width * scratch.height);
    for (let i = 0; i < gray.length; i++) gray[i] = rgba[i * 4];
    return { width: scratch.width, height: scratch.height, gray };
  }

  // One axis of a bilinear resize with OpenCV INTER_LINEAR semantics (pixel centres aligned, edges clamped), as the
  // server's BilinearUpsampler, so the page's map is the server's heatmap.png map.
  function axis(source, size) {
    const lower = new Int32Array(size);
    const upper = new Int32Array(size);
    const weight = new Float32Array(size);
    const scale = source / size;
    for (let i = 0; i < size; i++) {
      let s = (i + 0.5) * scale - 0.5;
      let s0 = Math.floor(s);
      let f = s - s0;
      if (s0 < 0) { s0 = 0; f = 0; }
      if (s0 >= source - 1) { s0 = source - 1; f = 0; }
      lower[i] = s0;
      upper[i] = Math.min(s0 + 1, source - 1);
      weight[i] = f;
    }
    return { lower, upper, weight };
  }

  // The 7x7 grid (values in [0, 1]) to one level 0..255 per film pixel. x and y stretch independently: the network saw
  // the whole film squashed to a square. A missing or malformed grid gives no heatmap rather than a wrong one.
  function upsampleGrid(grid, width, height) {
    if (!Array.isArray(grid) || grid.length !== GRID || grid.some((r) => !Array.isArray(r) || r.length !== GRID)) return null;
    const xs = axis(GRID, width);
    const ys = axis(GRID, height);
    const wide = new Float32Array(GRID * width);
    for (let gy = 0; gy < GRID; gy++) {
      const row = grid[gy];
      for (let x = 0; x < width; x++) {
        const a = Number(row[xs.lower[x]]) || 0;
        const b = Number(row[xs.upper[x]]) || 0;
        wide[gy * width + x] = a + (b - a) * xs.weight[x];
      }
    }
    const levels = new Uint8Array(width * height);
    for (let y = 0; y < height; y++) {
      const above = ys.lower[y] * width;
      const below = ys.upper[y] * width;
      const wy = ys.weight[y];
      for (let x = 0; x < width; x++) {
        const v = wide[above + x] + (wide[below + x] - wide[above + x]) * wy;
        levels[y * width + x] = Math.min(255, Math.max(0, Math.round(v * 255)));
      }
    }
    return levels;
  }

  // Jet as the server draws it (Colormaps.Jet): each channel a tent clamp(1.5 - |4v - c|, 0, 1), c = 3, 2, 1.
  const JET = (() => {
    const table = new Uint8Array(256 * 3);
    const tent = (v, c) => Math.round(255 * Math.min(1, Math.max(0, 1.5 - Math.abs(4 * v - c))));
    for (let q = 0; q < 256; q++) {
      const v = q / 255;
      table[q * 3] = tent(v, 3);
      table[q * 3 + 1] = tent(v, 2);
      table[q * 3 + 2] = tent(v, 1);
    }
    return table;
  })();

  // DICOM's linear VOI window (PS3.3 C.11.2.1.2) on 8-bit values: width 256 and centre 128 is the identity.
  function windowTable(width, centre) {
    const table = new Uint8ClampedArray(256);
    const low = centre - 0.5 - (width - 1) / 2;
    const high = centre - 0.5 + (width - 1) / 2;
    for (let v = 0; v < 256; v++) {
      if (v <= low) table[v] = 0;
      else if (v > high) table[v] = 255;
      else table[v] = Math.round(((v - (centre - 0.5)) / Math.max(width - 1, 1) + 0.5) * 255);
    }
    return table;
  }

  function render() {
    state.renderQueued = false;
    const film = state.film;
    if (!film) return;
    const lut = windowTable(state.width, state.level);
    const out = film.image.data;
    const gray = film.gray;
    const heat = el.heatOn.checked ? film.heat : null;
    const opacity = Number(el.opacity.value) / 100;
    if (!heat || opacity === 0) {
      for (let i = 0, o = 0; i < gray.length; i++, o += 4) {
        const g = lut[gray[i]];
        out[o] = g; out[o + 1] = g; out[o + 2] = g; out[o + 3] = 255;
      }
    } else {
      // out = (1 - a) * grey + a * jet(v), a = opacity * v: cold regions stay clear, as in the server's overlay.
      for (let i = 0, o = 0; i < gray.length; i++, o += 4) {
        const g = lut[gray[i]];
        const q = heat[i];
        const a = opacity * q / 255;
        const j = q * 3;
        out[o] = g + (JET[j] - g) * a;
        out[o + 1] = g + (JET[j + 1] - g) * a;
        out[o + 2] = g + (JET[j + 2] - g) * a;
        out[o + 3] = 255;
      }
    }
    film.ctx.putImageData(film.image, 0, 0);
    const heatText = heat ? `heatmap ${Math.round(opacity * 100)} %` : 'heatmap off';
    el.readout.textContent = `W ${state.width} / L ${state.level} · ${heatText}`;
    el.canvas.setAttribute('aria-label', `Film of case ${state.current.case_id}: window ${state.width}, level ${state.level}, ${heatText}`);
  }

  function scheduleRender() {
    if (state.renderQueued) return;
    state.renderQueued = true;
    requestAnimationFrame(render);
  }

  function setWindow(width, level) {
    state.width = Math.round(Math.min(256, Math.max(1, width)));
    state.level = Math.round(Math.min(255, Math.max(0, level)));
    el.width.value = String(state.width);
    el.level.value = String(state.level);
    scheduleRender();
  }

  function resetWindow() {
    setWindow(DEFAULT_WIDTH, DEFAULT_LEVEL);
  }

  function toggleHeatmap() {
    el.heatOn.checked = !el.heatOn.checked;
    scheduleRender();
  }

  // Drag: sideways changes the width, up and down the level, one grey level per film pixel moved.
  let drag = null;
  el.canvas.addEventListener('pointerdown', (e) => {
    if (!state.film) return;
    el.canvas.setPointerCapture(e.pointerId);
    drag = { x: e.clientX, y: e.clientY, width: state.width, level: state.level };
  });
  el.canvas.addEventListener('pointermove', (e) => {
    if (!drag) return;
    // Film pixels per screen pixel: the canvas is scaled to fit (object-fit: contain), so the larger ratio applies.
    const box = el.canvas.getBoundingClientRect();
    const scale = Math.max(el.canvas.width / box.width, el.canvas.height / box.height);
    setWindow(drag.width + (e.clientX - drag.x) * scale, drag.level + (e.clientY - drag.y) * scale);
  });
  const endDrag = () => { drag = null; };
  el.canvas.addEventListener('pointerup', endDrag);
  el.canvas.addEventListener('pointercancel', endDrag);
  el.canvas.addEventListener('dblclick', resetWindow);

  // ---------- formatting ----------

  function fixed(x) {
    return typeof x === 'number' ? x.toFixed(2) : '?';
  }

  function short(id) {
    return id.slice(0, 8);
  }

  function originText(origin) {
    return origin === 'audit_sample' ? 'audit sample (automated answer re-read)' : origin === 'routed' ? 'routed (the model asked)' : String(origin);
  }

  function expired(item) {
    return item.state === 'claimed' && item.claim_expires_at && Date.parse(item.claim_expires_at) < Date.now();
  }

  // Local time, unambiguous (YYYY-MM-DD HH:MM): a reviewer compares these with the audit trail.
  function when(t) {
    if (!t) return '—';
    const d = new Date(t);
    if (Number.isNaN(d.getTime())) return String(t);
    const p = (n) => String(n).padStart(2, '0');
    return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
  }

  // ---------- wiring ----------

  el.loginForm.addEventListener('submit', (e) => {
    e.preventDefault();
    const key = el.apiKey.value.trim();
    if (!key) return;
    act(() => login(key).catch((error) => {
      // A refused key must not linger: back to the form with the server's reason.
      state.key = null;
      sessionStorage.removeItem(KEY_STORAGE);
      throw error;
    }));
  });
  el.logout.addEventListener('click', () => logout());
  for (const tab of el.tabs) tab.addEventListener('click', () => act(() => selectTab(tab.dataset.state)));
  el.refresh.addEventListener('click', () => act(() => loadQueue()));
  el.more.addEventListener('click', () => act(() => loadQueue(true)));
  el.claim.addEventListener('click', claim);
  el.release.addEventListener('click', release);
  for (const b of el.decide) b.addEventListener('click', () => arm(b.dataset.label));
  el.confirmYes.addEventListener('click', confirmDecision);
  el.confirmNo.addEventListener('click', disarm);
  el.width.addEventListener('input', () => setWindow(Number(el.width.value), state.level));
  el.level.addEventListener('input', () => setWindow(state.width, Number(el.level.value)));
  el.reset.addEventListener('click', resetWindow);
  el.heatOn.addEventListener('change', scheduleRender);
  el.opacity.addEventListener('input', scheduleRender);

  document.addEventListener('keydown', (e) => {
    if (!state.key || el.appView.hidden || e.ctrlKey || e.metaKey || e.altKey) return;
    const t = e.target;
    // Typing a note (or any text) must never decide a case.
    if (t instanceof HTMLTextAreaElement || (t instanceof HTMLInputElement && !['range', 'checkbox'].includes(t.type))) return;
    if (state.armed && e.key === 'Enter') {
      e.preventDefault(); // a focused button would otherwise be clicked by the same Enter
      confirmDecision();
      return;
    }
    if (e.key === 'Escape') { disarm(); return; }
    const key = e.key.toLowerCase();
    const actions = {
      n: () => arm('Normal'),
      p: () => arm('Pneumonia'),
      u: () => arm('Unreadable'),
      h: toggleHeatmap,
      r: resetWindow,
      j: () => move(1),
      k: () => move(-1),
    };
    if (actions[key]) {
      e.preventDefault();
      actions[key]();
    }
  });

  if (state.key) {
    act(() => login(state.key));
  } else {
    showLogin();
  }
})();
