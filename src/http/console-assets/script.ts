/**
 * The console's script, an ES2020 module served at /console/console.js. It talks to the admin
 * JSON API with the bearer token and renders every value as text (textContent, text nodes,
 * attribute setters), never as HTML: merchant-provided strings reach this page.
 *
 * Written as String.raw so backslashes stay as the browser should see them; the script itself
 * must therefore use no backtick and no dollar-brace (plain string concatenation instead).
 */
export const CONSOLE_JS = String.raw`'use strict';
const TOKEN_KEY = 'aopgate.console.token';
const TABS = ['apps', 'sessions', 'journal', 'faults', 'notifications', 'clock'];
const DRILLS = ['duplicate', 'out-of-order', 'forged-signature'];
const OPEN_STATES = ['INIT', 'PROCESSING'];

const state = { token: sessionStorage.getItem(TOKEN_KEY) || '', selectedTrace: null, blobUrls: [] };
const byId = (id) => document.getElementById(id);

// ---- DOM helpers: the only way this script makes elements -----------------------------------

/** An element with attributes (set one by one, never parsed) and children (nodes or text). */
function h(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else if (key === 'value' || key === 'checked') node[key] = value;
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  appendChildren(node, children);
  return node;
}

/** Appends nodes and text (as text nodes); nested arrays are flattened, empty values skipped. */
function appendChildren(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false || child === '') continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces a node's content (without HTML parsing) with nodes and text. */
function fill(node, ...children) {
  node.replaceChildren();
  appendChildren(node, children);
}

const show = (node, visible) => { node.hidden = !visible; };
const dash = (v) => (v === undefined || v === null || v === '' ? '—' : String(v));
const when = (iso) => (iso ? new Date(iso).toLocaleString() : '—');
const pretty = (v) => JSON.stringify(v, null, 2);
const kv = (label, value) => (value === undefined ? null : [h('dt', {}, label), h('dd', {}, value instanceof Node ? value : dash(value))]);
const badge = (text, tone) => h('span', { class: 'badge' + (tone ? ' ' + tone : '') }, text);

function setError(node, message) {
  node.textContent = message || '';
  show(node, Boolean(message));
}

let statusTimer = 0;
/** A short message in the bar under the header (errors stay until the next one). */
function flash(message, isError) {
  const bar = byId('status');
  bar.textContent = message;
  bar.className = isError ? 'status error' : 'status';
  show(bar, true);
  clearTimeout(statusTimer);
  if (!isError) statusTimer = setTimeout(() => show(bar, false), 4000);
}

/** A table that collapses into cards on a phone; each cell is labelled for that layout. */
function table(columns, rows, rowAttrs, empty, tableClass) {
  if (rows.length === 0) return h('p', { class: 'muted' }, empty || 'Nothing yet.');
  return h('div', { class: 'scroll' }, h('table', { class: tableClass || 'collapse' },
    h('thead', {}, h('tr', {}, columns.map((c) => h('th', { scope: 'col' }, c[0])))),
    h('tbody', {}, rows.map((row) => h('tr', rowAttrs ? rowAttrs(row) : {}, columns.map((c) => h('td', { 'data-label': c[0] }, c[1](row))))))));
}

/** Request or payload parameters as a two-column table (values that are objects as JSON). */
function paramTable(params) {
  const rows = Object.entries(params || {});
  return table([['Parameter', (r) => h('code', {}, r[0])], ['Value', (r) => (typeof r[1] === 'object' ? h('pre', {}, pretty(r[1])) : String(r[1]))]], rows, null, 'No parameters.', 'params');
}

// ---- the admin API ----------------------------------------------------------------------------

class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

async function api(method, path, body) {
  const headers = { authorization: 'Bearer ' + state.token };
  const init = { method, headers, cache: 'no-store' };
  if (body !== undefined) {
    headers['content-type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const res = await fetch(path, init);
  const json = await res.json().catch(() => null);
  if (!res.ok) throw new ApiError(res.status, json && typeof json.error === 'string' ? json.error : 'HTTP ' + res.status);
  return json;
}

function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && String(v).trim() !== '') q.set(k, String(v).trim());
  const text = q.toString();
  return text ? '?' + text : '';
}

/** Runs an action; a refused token sends the operator back to sign in, other errors are shown. */
async function guarded(action, errorNode) {
  if (errorNode) setError(errorNode, '');
  try {
    return await action();
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return signOut('The gateway refused the token (401). Sign in again.');
    if (errorNode) setError(errorNode, e.message);
    else flash(e.message, true);
  }
}

function onSubmit(form, action) {
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    action(form);
  });
}

// ---- sign in / out ------------------------------------------------------------------------------

function loginMessage(e) {
  if (e instanceof ApiError && e.status === 401) return 'Wrong token: the gateway answered 401.';
  if (e instanceof ApiError && e.status === 404) return 'The admin API is disabled on this gateway: set AOPGATE_ADMIN_TOKEN and restart it.';
  return 'Could not reach the admin API: ' + e.message;
}

async function signIn(form) {
  const errorNode = byId('login-error');
  setError(errorNode, '');
  state.token = form.token.value.trim();
  try {
    await api('GET', '/admin/apps');
  } catch (e) {
    state.token = '';
    return setError(errorNode, loginMessage(e));
  }
  sessionStorage.setItem(TOKEN_KEY, state.token);
  form.reset();
  enterConsole();
}

function signOut(message) {
  state.token = '';
  sessionStorage.removeItem(TOKEN_KEY);
  for (const url of state.blobUrls.splice(0)) URL.revokeObjectURL(url);
  for (const tab of TABS) show(byId('view-' + tab), false);
  show(byId('tabs'), false);
  show(byId('logout'), false);
  show(byId('status'), false);
  show(byId('login'), true);
  setError(byId('login-error'), message || '');
  byId('token').focus();
}

function enterConsole() {
  show(byId('login'), false);
  show(byId('tabs'), true);
  show(byId('logout'), true);
  showTab();
}

// ---- tabs ---------------------------------------------------------------------------------------

const LOADERS = { apps: loadApps, sessions: loadSessions, journal: loadJournal, faults: loadFaults, notifications: loadNotifications, clock: loadClock };

function currentTab() {
  const tab = location.hash.slice(1);
  return TABS.includes(tab) ? tab : 'apps';
}

function showTab() {
  const tab = currentTab();
  for (const t of TABS) show(byId('view-' + t), t === tab);
  for (const link of document.querySelectorAll('#tabs a')) {
    if (link.dataset.tab === tab) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  guarded(LOADERS[tab]);
}

// ---- apps ---------------------------------------------------------------------------------------

async function loadApps() {
  const { apps } = await api('GET', '/admin/apps');
  fill(byId('apps-list'), (apps.length ? apps.map(appCard) : [h('p', { class: 'muted' }, 'No apps yet: create one above.')]));
}

function appCard(app) {
  const notifyUrl = h('input', { type: 'url', name: 'notify_url', value: app.notify_url || '', placeholder: 'none' });
  const products = h('input', { type: 'text', name: 'products', value: app.products.join(', ') });
  const scenes = h('input', { type: 'text', name: 'scenes', value: app.scenes.join(', ') });
  const listOf = (input) => input.value.split(',').map((v) => v.trim()).filter(Boolean);
  const drills = DRILLS.map((d) => h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'drill', value: d, checked: app.drills.includes(d) }), d));
  const saved = h('span', { class: 'muted', role: 'status' });
  const error = h('p', { class: 'error', role: 'alert', hidden: true });
  const certificates = h('div', { class: 'certificates' });
  const settings = h('form', { class: 'settings' },
    h('label', {}, 'Notify URL', notifyUrl),
    h('label', {}, 'Signed products (contract)', products),
    h('label', {}, 'Scenes (biz_code / verify_type)', scenes),
    h('p', { class: 'actions' }, 'Drills:', drills),
    h('p', { class: 'actions' }, h('button', { type: 'submit' }, 'Save'), saved));
  onSubmit(settings, () => guarded(async () => {
    saved.textContent = '';
    const chosen = drills.map((label) => label.firstChild).filter((box) => box.checked).map((box) => box.value);
    await api('PATCH', '/admin/apps/' + encodeURIComponent(app.app_id), { notify_url: notifyUrl.value.trim() || null, drills: chosen, products: listOf(products), scenes: listOf(scenes) });
    saved.textContent = 'Saved';
  }, error));
  return h('article', { class: 'card', 'data-app-id': app.app_id },
    h('h3', { class: 'app-name' }, app.name),
    h('dl', { class: 'kv' }, kv('App ID', h('code', {}, app.app_id)), kv('Sign type', app.sign_type), kv('Status', app.status),
      kv('Products', app.products.join(', ')), kv('Scenes', app.scenes.join(', ')), kv('Created', when(app.created_at))),
    settings, error,
    h('details', {}, h('summary', {}, 'App public key'), h('pre', {}, app.app_public_key)),
    h('p', { class: 'actions' }, h('button', { type: 'button', class: 'ghost', onclick: () => guarded(() => issueCertificates(app.app_id, certificates), error) }, 'Issue certificates')),
    certificates);
}

/** A file offered for download from memory (no server round trip, nothing stored). */
function downloadLink(filename, text) {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/x-pem-file' }));
  state.blobUrls.push(url);
  return h('a', { href: url, download: filename }, filename);
}

async function issueCertificates(appId, target) {
  const issued = await api('POST', '/admin/apps/' + encodeURIComponent(appId) + '/certificates', {});
  fill(target,
    h('dl', { class: 'kv' }, kv('app_cert_sn', issued.app_cert_sn), kv('alipay_cert_sn', issued.alipay_cert_sn), kv('alipay_root_cert_sn', issued.alipay_root_cert_sn)),
    h('ul', {}, Object.entries(issued.files).map(([name, pem]) => h('li', {}, downloadLink(name, pem)))));
}

async function createApp(form) {
  const body = { sign_type: form.sign_type.value, aes: form.aes.checked };
  for (const name of ['app_id', 'name', 'notify_url']) if (form[name].value.trim()) body[name] = form[name].value.trim();
  const created = await api('POST', '/admin/apps', body);
  form.reset();
  showCreatedApp(created);
  await loadApps();
}

/** The private key is in this answer only: show it once, with a way to copy it. */
function showCreatedApp(created) {
  byId('created-app-id').textContent = created.app.app_id;
  byId('created-key').value = created.app_private_key || '(you supplied the public key: aopgate has no private key for this app)';
  byId('created-aes-key').value = created.aes_key || '';
  show(byId('created-aes'), Boolean(created.aes_key));
  byId('copy-result').textContent = '';
  show(byId('created-app'), true);
}

async function copyPrivateKey() {
  const area = byId('created-key');
  try {
    await navigator.clipboard.writeText(area.value);
  } catch {
    // Plain-HTTP origins other than localhost have no clipboard API: fall back to a selection copy.
    area.select();
    document.execCommand('copy');
  }
  byId('copy-result').textContent = 'Copied.';
}

function forgetCreatedApp() {
  byId('created-key').value = '';
  byId('created-aes-key').value = '';
  show(byId('created-app'), false);
}

async function loadPlatform() {
  const p = await api('GET', '/admin/platform');
  fill(byId('platform'),
    h('dl', { class: 'kv' }, kv('alipay_cert_sn', p.alipay_cert_sn), kv('alipay_root_cert_sn', p.alipay_root_cert_sn)),
    h('pre', { id: 'platform-key' }, p.alipay_public_key),
    h('p', {}, downloadLink('alipayPublicKey_RSA2.pem', p.alipay_public_key)));
}

// ---- sessions -----------------------------------------------------------------------------------

const SESSION_COLUMNS = [
  ['ID', (s) => h('code', {}, s.id)],
  ['Family', (s) => s.family],
  ['App', (s) => s.app_id + (s.acting_isv ? ' (ISV ' + s.acting_isv + ')' : '')],
  ['State', (s) => badge(s.state, s.state === 'PASSED' ? 'good' : s.state === 'FAILED' ? 'bad' : '')],
  ['Merchant ref', (s) => dash(s.merchant_ref)],
  ['Scene', (s) => dash(s.scene)],
  ['Identity', (s) => h('div', { class: 'identity' }, Object.entries(s.identity || {}).map(([k, v]) => h('div', {}, h('span', { class: 'muted' }, k + ': '), typeof v === 'object' ? JSON.stringify(v) : dash(v))))],
  ['History', (s) => h('ol', { class: 'history' }, s.history.map((step) => h('li', {}, step.state + ' ', h('span', { class: 'muted' }, when(step.at)))))],
  ['Expires', (s) => when(s.expires_at)],
  ['Failed reason', (s) => dash(s.failed_reason)],
  ['Actions', sessionActions],
];

async function loadSessions() {
  const f = byId('sessions-filter');
  const { sessions } = await api('GET', '/admin/sessions' + query({ app_id: f.app_id.value, limit: f.limit.value }));
  fill(byId('sessions-list'), table(SESSION_COLUMNS, sessions, (s) => ({ 'data-session-id': s.id }), 'No sessions.'));
}

function sessionActions(s) {
  if (!OPEN_STATES.includes(s.state)) return '';
  const reason = h('input', { name: 'failed_reason', placeholder: 'failed reason', 'aria-label': 'Failed reason' });
  const complete = (body) => guarded(async () => {
    await api('POST', '/admin/' + s.admin_path + '/' + encodeURIComponent(s.id) + '/complete', body);
    flash('Session ' + s.id + (body.passed ? ' passed.' : ' failed.'));
    await loadSessions();
  });
  return h('div', { class: 'actions' },
    h('button', { type: 'button', class: 'pass', onclick: () => complete({ passed: true }) }, 'Pass'),
    reason,
    h('button', { type: 'button', class: 'danger fail', onclick: () => complete(reason.value.trim() ? { passed: false, failed_reason: reason.value.trim() } : { passed: false }) }, 'Fail'));
}

// ---- journal ------------------------------------------------------------------------------------

const INVALID_SIGNATURE = 'isv.invalid-signature';
const SHOWN_FIELDS = ['time', 'trace_id', 'protocol', 'app_id', 'method', 'code', 'sub_code', 'latency_ms', 'signature_valid', 'request', 'response', 'string_to_sign', 'diagnosis', 'biz_content_decrypted', 'acting_for'];
const signatureText = (v) => (v === true ? 'valid' : v === false ? 'invalid' : '—');

const JOURNAL_COLUMNS = [
  ['Time', (e) => when(e.time)],
  ['App', (e) => dash(e.app_id)],
  ['Method', (e) => dash(e.method)],
  ['Code', (e) => badge(dash(e.code), e.code === '10000' ? 'good' : 'bad')],
  ['Sub code', (e) => dash(e.sub_code)],
  ['Latency', (e) => e.latency_ms + ' ms'],
  ['Signature', (e) => signatureText(e.signature_valid)],
];

async function loadJournal() {
  const f = byId('journal-filter');
  const filters = { app_id: f.app_id.value, method: f.method.value, code: f.code.value, sub_code: f.sub_code.value, limit: f.limit.value };
  const { entries } = await api('GET', '/admin/journal' + query(filters));
  const rowAttrs = (e) => ({
    class: 'clickable' + (e.sub_code === INVALID_SIGNATURE ? ' bad' : '') + (e.trace_id === state.selectedTrace ? ' selected' : ''),
    tabindex: 0,
    'data-trace': e.trace_id,
    onclick: () => showEntry(e),
    onkeydown: (event) => { if (event.key === 'Enter') showEntry(e); },
  });
  fill(byId('journal-list'), table(JOURNAL_COLUMNS, entries, rowAttrs, 'No calls match.'));
}

function diagnosisBox(entry) {
  if (entry.sub_code !== INVALID_SIGNATURE) return null;
  const d = entry.diagnosis;
  return h('div', { class: 'alarm', id: 'diagnosis', role: 'note' },
    h('strong', {}, 'Signature diagnosis'),
    h('p', { class: 'diagnosis-message' }, d ? d.message : 'No diagnosis recorded (the app may have no public key on file).'),
    d ? h('p', {}, 'Cause: ', h('code', {}, d.cause)) : null);
}

function showEntry(entry) {
  state.selectedTrace = entry.trace_id;
  for (const row of document.querySelectorAll('#journal-list tr[data-trace]')) row.classList.toggle('selected', row.dataset.trace === entry.trace_id);
  const others = Object.fromEntries(Object.entries(entry).filter(([k]) => !SHOWN_FIELDS.includes(k)));
  const request = h('div', {}, h('h3', {}, 'Request parameters'), paramTable(entry.request));
  const box = byId('journal-detail');
  fill(box,
    h('div', { class: 'bar' }, h('h2', {}, dash(entry.method)), h('button', { type: 'button', class: 'ghost', onclick: closeEntry }, 'Close')),
    h('dl', { class: 'kv' }, kv('Time', when(entry.time)), kv('Trace ID', h('code', {}, entry.trace_id)), kv('Protocol', entry.protocol), kv('App', entry.app_id),
      kv('Code', dash(entry.code) + (entry.sub_code ? ' / ' + entry.sub_code : '')), kv('Latency', entry.latency_ms + ' ms'),
      kv('Signature', signatureText(entry.signature_valid)), entry.acting_for ? kv('Acting for', entry.acting_for) : null),
    diagnosisBox(entry),
    entry.string_to_sign !== undefined
      ? h('div', { class: 'side' }, h('div', {}, h('h3', {}, "Gateway's string to sign"), h('pre', { id: 'string-to-sign' }, entry.string_to_sign)), request)
      : request,
    entry.biz_content_decrypted !== undefined ? [h('h3', {}, 'Decrypted biz_content'), h('pre', {}, pretty(entry.biz_content_decrypted))] : null,
    h('h3', {}, 'Response'), h('pre', { class: 'response' }, pretty(entry.response)),
    Object.keys(others).length ? [h('h3', {}, 'More'), h('pre', {}, pretty(others))] : null);
  show(box, true);
  box.scrollIntoView({ block: 'start' });
}

function closeEntry() {
  state.selectedTrace = null;
  show(byId('journal-detail'), false);
  for (const row of document.querySelectorAll('#journal-list tr.selected')) row.classList.remove('selected');
}

// ---- faults -------------------------------------------------------------------------------------

const FAULT_COLUMNS = [
  ['App', (r) => r.app_id || 'any'],
  ['Method', (r) => r.method || 'any'],
  ['Action', (r) => r.action],
  ['Answer', (r) => (r.action === 'answer' ? r.code + ' ' + dash(r.sub_code) + ' ' + dash(r.sub_msg) : '—')],
  ['Latency', (r) => r.latency_ms + ' ms'],
  ['Probability', (r) => String(r.probability)],
  ['Remaining', (r) => (r.remaining === null ? 'unlimited' : String(r.remaining))],
  ['Source', (r) => r.source],
  ['Created', (r) => when(r.created_at)],
  ['', (r) => h('button', { type: 'button', class: 'danger remove', onclick: () => guarded(() => removeFault(r.id)) }, 'Remove')],
];

async function loadFaults() {
  const { faults } = await api('GET', '/admin/faults');
  fill(byId('faults-list'), table(FAULT_COLUMNS, faults, (r) => ({ 'data-fault-id': r.id }), 'No fault rules: every call is answered normally.'));
}

/** The form as the API's fault spec: empty fields left out, numbers as numbers. */
function faultSpec(form) {
  const spec = {};
  for (const name of ['app_id', 'method', 'code', 'sub_code', 'sub_msg']) if (form[name].value.trim()) spec[name] = form[name].value.trim();
  for (const name of ['latency_ms', 'probability', 'count']) if (form[name].value.trim()) spec[name] = Number(form[name].value);
  if (form.drop.checked) spec.drop = true;
  return spec;
}

async function addFault(form) {
  const { id } = await api('POST', '/admin/faults', faultSpec(form));
  form.reset();
  flash('Fault rule ' + id + ' added.');
  await loadFaults();
}

async function removeFault(id) {
  await api('DELETE', '/admin/faults/' + encodeURIComponent(id));
  flash('Fault rule ' + id + ' removed.');
  await loadFaults();
}

// ---- notifications ------------------------------------------------------------------------------

const ATTEMPT_COLUMNS = [
  ['Time', (a) => when(a.time)],
  ['Drill', (a) => dash(a.drill)],
  ['HTTP', (a) => dash(a.http_status)],
  ['Response', (a) => (a.response_head ? h('code', {}, a.response_head) : '—')],
  ['Error', (a) => dash(a.error)],
  ['Latency', (a) => (a.latency_ms === null || a.latency_ms === undefined ? '—' : a.latency_ms + ' ms')],
  ['Accepted', (a) => (a.accepted_forgery ? badge('FORGERY ACCEPTED', 'bad') : a.accepted ? 'yes' : 'no')],
];

async function loadNotifications() {
  const f = byId('notifications-filter');
  const { notifications } = await api('GET', '/admin/notifications' + query({ app_id: f.app_id.value }));
  fill(byId('notifications-list'), (notifications.length ? notifications.map(notificationCard) : [h('p', { class: 'muted' }, 'No notifications.')]));
}

function notificationCard(n) {
  const tone = n.status === 'DELIVERED' ? 'good' : n.status === 'FAILED' ? 'bad' : '';
  const forged = n.attempts.some((a) => a.accepted_forgery === true);
  const resend = () => guarded(async () => {
    await api('POST', '/admin/notifications/' + encodeURIComponent(n.notify_id) + '/resend', {});
    flash('Notification ' + n.notify_id + ' queued again.');
    await loadNotifications();
  });
  return h('article', { class: 'card', 'data-notify-id': n.notify_id },
    h('h3', {}, dash(n.notify_type), ' ', badge(n.status, tone + ' notify-status')),
    forged ? h('p', { class: 'alarm forgery' }, h('strong', {}, 'The merchant accepted a forged notification'), 'It answered "success" to a notification with a bad signature: it does not verify signatures.') : null,
    h('dl', { class: 'kv' }, kv('Notify ID', h('code', {}, n.notify_id)), kv('App', n.app_id), kv('URL', n.url),
      kv('Attempts', n.attempt_count + ' of ' + n.max_attempts), kv('Next attempt', when(n.next_attempt_at)), kv('Created', when(n.created_at)), kv('Delivered', when(n.delivered_at))),
    h('p', { class: 'actions' }, h('button', { type: 'button', class: 'resend', onclick: resend }, 'Resend')),
    table(ATTEMPT_COLUMNS, n.attempts, (a) => (a.accepted_forgery ? { class: 'bad' } : {}), 'No attempts yet.'),
    h('details', {}, h('summary', {}, 'Payload'), paramTable(n.payload)));
}

// ---- clock --------------------------------------------------------------------------------------

function showClock(clock) {
  byId('clock-now').textContent = clock.now;
  byId('clock-offset').textContent = clock.offset_ms === 0 ? 'none (real time)' : formatOffset(clock.offset_ms);
}

function formatOffset(ms) {
  const sign = ms < 0 ? '-' : '+';
  let s = Math.round(Math.abs(ms) / 1000);
  const parts = [[86400, 'd'], [3600, 'h'], [60, 'm'], [1, 's']].flatMap(([size, unit]) => {
    const n = Math.floor(s / size);
    s -= n * size;
    return n ? [n + unit] : [];
  });
  return sign + (parts.join(' ') || '0s') + ' (' + ms + ' ms)';
}

async function loadClock() {
  showClock(await api('GET', '/admin/clock'));
}

async function moveClock(command) {
  showClock(await api('POST', '/admin/clock', command));
}

// ---- wiring -------------------------------------------------------------------------------------

function wire() {
  onSubmit(byId('login-form'), signIn);
  byId('logout').addEventListener('click', () => signOut('Signed out.'));
  window.addEventListener('hashchange', () => { if (state.token) showTab(); });
  for (const button of document.querySelectorAll('.view .refresh')) button.addEventListener('click', showTab);

  onSubmit(byId('create-app'), (form) => guarded(() => createApp(form), byId('create-app-error')));
  byId('copy-key').addEventListener('click', copyPrivateKey);
  byId('dismiss-created').addEventListener('click', forgetCreatedApp);
  byId('platform-box').addEventListener('toggle', (event) => { if (event.target.open) guarded(loadPlatform); });

  onSubmit(byId('sessions-filter'), () => guarded(loadSessions));
  onSubmit(byId('journal-filter'), () => guarded(loadJournal));
  onSubmit(byId('add-fault'), (form) => guarded(() => addFault(form), byId('add-fault-error')));
  onSubmit(byId('notifications-filter'), () => guarded(loadNotifications));
  onSubmit(byId('clock-advance'), (form) => guarded(() => moveClock({ advance: form.advance.value.trim() }), byId('clock-error')));
  byId('clock-reset').addEventListener('click', () => guarded(() => moveClock({ reset: true }), byId('clock-error')));
}

wire();
if (state.token) enterConsole();
else signOut('');
`;
