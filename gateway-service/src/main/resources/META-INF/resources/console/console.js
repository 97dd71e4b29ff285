// The operator console: reads only the console API (/console/api, documented in /q/openapi). All text from the
// server is put into the page as text (textContent), never as HTML.
'use strict';

const API = '/console/api';
const $ = (id) => document.getElementById(id);
const views = ['login', 'overview', 'channels', 'channel', 'nodes', 'apps', 'sessions'];
let app = null;
let timer = null;
let logSource = null;
let paused = false;
let held = [];

async function api(path, options = {}) {
  const response = await fetch(API + path, { credentials: 'same-origin', ...options });
  if (response.status === 401) {
    show('login');
    throw new Error('not logged in');
  }
  if (!response.ok) {
    let detail = response.statusText;
    try {
      const problem = await response.json();
      detail = problem.detail || detail;
      if (problem.errors) detail += ': ' + problem.errors.map((e) => `${e.field} ${e.message}`).join('; ');
    } catch (e) { /* not problem+json */ }
    throw new Error(detail);
  }
  return response.status === 204 ? null : response.json();
}

function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (className) node.className = className;
  return node;
}

function row(cells) {
  const tr = document.createElement('tr');
  cells.forEach((cell) => {
    const td = document.createElement('td');
    if (cell instanceof Node) td.appendChild(cell); else td.textContent = cell === null || cell === undefined ? '' : String(cell);
    tr.appendChild(td);
  });
  return tr;
}

function ago(ms) {
  if (!ms) return 'never';
  const seconds = Math.max(0, Math.round((Date.now() - ms) / 1000));
  if (seconds < 5) return 'just now';
  if (seconds < 60) return seconds + ' s ago';
  if (seconds < 3600) return Math.round(seconds / 60) + ' min ago';
  return new Date(ms).toLocaleString();
}

function show(view) {
  clearInterval(timer);
  timer = null;
  if (view !== 'channel') stopLog();
  views.forEach((v) => { $(v).hidden = v !== view; });
  $('nav').hidden = view === 'login';
  document.querySelectorAll('#nav [data-view]').forEach((b) => {
    if (b.dataset.view === view || (view === 'channel' && b.dataset.view === 'channels')) b.setAttribute('aria-current', 'page');
    else b.removeAttribute('aria-current');
  });
  if (view === 'login') { $('password').focus(); return; }
  const refresh = { overview: loadOverview, channels: loadChannels, nodes: loadNodes, channel: loadChannel, apps: loadApps,
    sessions: loadSessions }[view];
  refresh().catch(report);
  timer = setInterval(() => refresh().catch(report), 2000);
}

function report(error) {
  if (error.message !== 'not logged in') console.warn(error);
}

// ---- overview ----

const CARDS = [
  ['connections', 'Connections', (s) => s.connections],
  ['subscriptions', 'Subscriptions', (s) => s.subscriptions],
  ['members', 'Presence members', (s) => s.members],
  ['published', 'Events published / s', (s) => s.eventsPublishedPerSecond],
  ['delivered', 'Frames delivered / s', (s) => s.eventsDeliveredPerSecond],
  ['messages', 'Messages / s', (s) => s.messagesPerSecond],
  ['webhooks', 'Webhooks delivered / s', (s) => s.webhooksDeliveredPerSecond],
  ['retried', 'Webhook retries / s', (s) => s.webhooksRetriedPerSecond],
  ['failed', 'Webhooks failed / s', (s) => s.webhooksFailedPerSecond],
  ['lag', 'Webhook queue lag (s)', (s) => s.webhookLagSeconds],
  ['redis', 'Redis round trip (ms)', (s) => s.redisMs],
  ['database', 'PostgreSQL round trip (ms)', (s) => s.databaseMs],
];

function format(value) {
  if (value === null || value === undefined) return '–';
  return Number.isInteger(value) ? String(value) : value.toFixed(value < 10 ? 2 : 1);
}

function sparkline(values) {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 100 40');
  svg.setAttribute('preserveAspectRatio', 'none');
  svg.setAttribute('aria-hidden', 'true');
  const numbers = values.map((v) => (v === null || v === undefined ? 0 : v));
  const max = Math.max(1e-9, ...numbers);
  const step = numbers.length > 1 ? 100 / (numbers.length - 1) : 100;
  const line = document.createElementNS(ns, 'polyline');
  line.setAttribute('points', numbers.map((v, i) => `${(i * step).toFixed(2)},${(38 - (v / max) * 36).toFixed(2)}`).join(' '));
  svg.appendChild(line);
  return svg;
}

async function loadOverview() {
  const overview = await api('/overview');
  fillApps(overview.apps);
  const current = overview.current;
  $('overview-at').textContent = current ? 'as of ' + new Date(current.at).toLocaleTimeString() : '';
  const cards = $('cards');
  cards.replaceChildren();
  CARDS.forEach(([id, title, pick]) => {
    const card = el('div', null, 'card');
    card.dataset.metric = id;
    card.appendChild(el('h3', title));
    card.appendChild(el('div', current ? format(pick(current)) : '–', 'value'));
    card.appendChild(sparkline(overview.history.map(pick)));
    cards.appendChild(card);
  });
  const perNode = $('per-node');
  perNode.replaceChildren();
  Object.entries(current ? current.connectionsByNode : {}).forEach(([node, n]) => perNode.appendChild(el('li', `${node}: ${n}`)));
  if (!perNode.children.length) perNode.appendChild(el('li', 'No gateway is reporting.', 'empty'));
}

function fillApps(apps) {
  const select = $('app');
  if (select.options.length === apps.length) return;
  select.replaceChildren(...apps.map((id) => { const o = el('option', id); o.value = id; return o; }));
  app = app && apps.includes(app) ? app : apps[0];
  select.value = app;
}

// ---- channels ----

async function loadChannels() {
  if (!app) fillApps((await api('/overview')).apps);
  const prefix = $('prefix').value.trim();
  const rows = await api(`/apps/${encodeURIComponent(app)}/channels?prefix=${encodeURIComponent(prefix)}`);
  const body = $('channel-rows');
  body.replaceChildren(...rows.map((c) => {
    const open = el('button', c.name, 'link');
    open.type = 'button';
    open.addEventListener('click', () => openChannel(c.name));
    return row([open, c.subscriptionCount, c.userCount === null ? '–' : c.userCount]);
  }));
  $('channels-empty').hidden = rows.length > 0;
}

let channel = null;

function openChannel(name) {
  channel = name;
  $('channel-title').textContent = name;
  $('log').replaceChildren();
  held = [];
  setPaused(false);
  show('channel');
  startLog();
}

async function loadChannel() {
  const detail = await api(`/apps/${encodeURIComponent(app)}/channels/${encodeURIComponent(channel)}`);
  $('channel-summary').textContent = `${detail.occupied ? 'Occupied' : 'Not occupied'} · ${detail.subscriptionCount} subscriptions`
    + (detail.userCount === null ? '' : ` · ${detail.userCount} users`);
  $('member-rows').replaceChildren(...detail.members.map((m) => row([
    m.id, el('code', m.info ? JSON.stringify(m.info) : ''), m.status + (m.text ? ` — ${m.text}` : ''), m.connections,
    m.connections > 0 ? 'online now' : ago(m.lastSeen),
  ])));
  $('members-empty').hidden = detail.members.length > 0;
}

/** Private and presence channels: the log hides their app payloads unless the operator asks (the server logs it). */
function hidesPayloads(name) {
  return name.startsWith('private-') || name.startsWith('presence-');
}

function startLog() {
  stopLog();
  $('reveal-row').hidden = !hidesPayloads(channel);
  const reveal = hidesPayloads(channel) && $('reveal').checked ? '?reveal=true' : '';
  $('log-state').textContent = 'connecting…';
  let listening = false;
  logSource = new EventSource(`${API}/apps/${encodeURIComponent(app)}/channels/${encodeURIComponent(channel)}/log${reveal}`);
  logSource.onerror = () => { listening = false; $('log-state').textContent = 'reconnecting…'; };
  logSource.onmessage = (message) => {
    const entry = JSON.parse(message.data);
    if (entry.kind === 'heartbeat') {
      // the first heartbeat says the log listens: every event of the channel from here on is in it
      if (!listening) $('log-state').textContent = paused ? 'paused' : 'live';
      listening = true;
      return;
    }
    if (entry.event && entry.event.startsWith('pusher_internal:member')) loadChannel().catch(report); // members live, not every 2 s
    if (paused) { held.push(entry); $('log-state').textContent = `paused (${held.length} held)`; return; }
    addLogEntry(entry);
  };
}

function stopLog() {
  if (logSource) { logSource.close(); logSource = null; }
}

function addLogEntry(entry) {
  const kind = entry.kind === 'webhook' ? 'webhook' : entry.event && entry.event.startsWith('pusher_internal:member') ? 'member' : 'event';
  const item = el('li', null, 'kind-' + kind);
  item.dataset.event = entry.event || '';
  item.appendChild(el('time', new Date(entry.at).toLocaleTimeString() + ' '));
  item.appendChild(el('strong', (entry.kind === 'webhook' ? 'webhook ' : '') + entry.event));
  if (entry.userId) item.appendChild(el('span', ` user ${entry.userId}`));
  item.appendChild(entry.hidden ? el('div', 'payload hidden (private channel)', 'payload withheld')
    : el('div', entry.data === null ? '' : entry.data, 'payload'));
  $('log').prepend(item);
  while ($('log').children.length > 500) $('log').lastChild.remove();
}

function setPaused(value) {
  paused = value;
  $('pause').textContent = paused ? 'Resume' : 'Pause';
  $('pause').setAttribute('aria-pressed', String(paused));
  if (!paused) {
    held.forEach(addLogEntry);
    held = [];
  }
  $('log-state').textContent = paused ? 'paused' : (logSource ? 'live' : '');
}

// ---- sessions ----

async function loadSessions() {
  const sessions = await api('/sessions');
  $('session-rows').replaceChildren(...sessions.map((s) => {
    const revoke = el('button', s.current ? 'Revoke (log me out)' : 'Revoke');
    revoke.type = 'button';
    revoke.addEventListener('click', () => revokeSession(`/sessions/${encodeURIComponent(s.id)}`));
    return row([s.id.slice(0, 8) + (s.current ? ' (this one)' : ''), s.address, s.userAgent, ago(s.createdAt),
      new Date(s.expiresAt).toLocaleString(), revoke]);
  }));
}

async function revokeSession(path) {
  $('sessions-error').textContent = '';
  try {
    await api(path, { method: 'DELETE' });
    await loadSessions();
  } catch (e) {
    if (e.message !== 'not logged in') $('sessions-error').textContent = e.message;
  }
}

// ---- nodes ----

async function loadNodes() {
  const nodes = await api('/nodes');
  $('node-rows').replaceChildren(...nodes.map((n) => {
    const state = el('span', n.state, 'state-' + n.state);
    return row([n.node || n.instance, n.service, state, n.leaseAgeMs === null ? '–' : (n.leaseAgeMs / 1000).toFixed(1) + ' s',
      n.meters['presence.connections'] === undefined ? '–' : n.meters['presence.connections'], n.version,
      new Date(n.startedAt).toLocaleString(), ago(n.reportedAt)]);
  }));
}

// ---- apps ----

const LIMIT_FIELDS = ['enabled', 'maxConnections', 'enableClientMessages', 'maxBackendEventsPerSecond', 'maxClientEventsPerSecond',
  'maxReadRequestsPerSecond', 'maxPresenceMembersPerChannel', 'maxPresenceMemberSizeInKb', 'maxChannelNameLength',
  'maxEventChannelsAtOnce', 'maxEventNameLength', 'maxEventPayloadInKb', 'maxEventBatchSize', 'enableUserAuthentication',
  'webhooks', 'presenceVisibility', 'resumeWindowSeconds', 'maxStoredEventsPerChannel'];

function button(text, action) {
  const b = el('button', text);
  b.type = 'button';
  b.addEventListener('click', () => action().catch((e) => { $('apps-error').textContent = e.message; }));
  return b;
}

function showSecret(appId, secret) {
  $('apps-secret').hidden = false;
  $('apps-secret').textContent = `Secret of ${appId} (shown this once, copy it now): ${secret}`;
}

async function loadApps() {
  const apps = await api('/apps');
  const usages = await Promise.all(apps.map((a) => api(`/apps/${encodeURIComponent(a.id)}/usage`).catch(() => null)));
  $('app-rows').replaceChildren(...apps.map((a, i) => {
    const u = usages[i];
    const refusals = u ? Object.entries(u.refusals).map(([limit, n]) => `${limit}: ${n}`).join(', ') || 'none' : '–';
    return row([a.id, el('code', a.key), a.enabled ? 'yes' : 'no (disabled)', u ? format(u.connections) : '–',
      u ? format(u.presenceMembers) : '–', u ? format(u.eventsPerSecond) : '–', u ? format(u.messagesPerSecond) : '–', refusals, actions(a)]);
  }));
}

function actions(a) {
  const cell = el('span');
  cell.appendChild(button('Edit', async () => editApp(a.id)));
  cell.appendChild(button(a.enabled ? 'Disable' : 'Enable', async () => {
    if (a.enabled && !window.confirm(`Disable ${a.id}? Its connections are closed (4003) and its API calls refused.`)) return;
    await api(`/apps/${encodeURIComponent(a.id)}`, { method: 'PATCH', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ enabled: !a.enabled }) });
    await loadApps();
  }));
  cell.appendChild(button('Rotate secret', async () => {
    if (!window.confirm(`Rotate the secret of ${a.id}? The old one stays valid for the grace period (apps.secret-grace-period).`)) return;
    const rotated = await api(`/apps/${encodeURIComponent(a.id)}/secret`, { method: 'POST' });
    showSecret(a.id, rotated.secret);
  }));
  cell.appendChild(button('Delete', async () => {
    if (window.prompt(`Delete ${a.id}? Its connections are closed and its API calls refused. Type the app id to confirm.`) !== a.id) return;
    await api(`/apps/${encodeURIComponent(a.id)}`, { method: 'DELETE' });
    await loadApps();
  }));
  return cell;
}

async function editApp(id) {
  const a = await api(`/apps/${encodeURIComponent(id)}`);
  const fields = {};
  LIMIT_FIELDS.forEach((f) => { fields[f] = a[f] === undefined ? null : a[f]; });
  $('app-edit-id').textContent = id;
  $('app-edit').dataset.app = id;
  $('app-fields').value = JSON.stringify(fields, null, 2);
  $('app-edit').hidden = false;
  $('app-fields').focus();
}

async function submitApp(event, path, method, text, done) {
  event.preventDefault();
  $('apps-error').textContent = '';
  let body;
  try { body = JSON.parse(text); } catch (e) { $('apps-error').textContent = 'Not valid JSON: ' + e.message; return; }
  try {
    const answer = await api(path, { method, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    done(answer);
    await loadApps();
  } catch (e) {
    $('apps-error').textContent = e.message;
  }
}

// ---- wiring ----

document.addEventListener('DOMContentLoaded', () => {
  $('login-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    $('login-error').textContent = '';
    try {
      await api('/session', { method: 'POST', headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ password: $('password').value }) });
      $('password').value = '';
      show('overview');
    } catch (e) {
      $('login-error').textContent = e.message === 'not logged in' ? 'Wrong operator password.' : e.message;
      $('password').setAttribute('aria-invalid', 'true');
    }
  });
  document.querySelectorAll('#nav [data-view]').forEach((b) => b.addEventListener('click', () => show(b.dataset.view)));
  $('app').addEventListener('change', () => { app = $('app').value; show('channels'); });
  $('logout').addEventListener('click', async () => { await fetch(API + '/session', { method: 'DELETE' }); show('login'); });
  $('prefix').addEventListener('input', () => loadChannels().catch(report));
  $('back').addEventListener('click', () => show('channels'));
  $('pause').addEventListener('click', () => setPaused(!paused));
  $('reveal').addEventListener('change', () => startLog());
  $('revoke-all').addEventListener('click', () => revokeSession('/sessions'));
  $('clear').addEventListener('click', () => { $('log').replaceChildren(); held = []; setPaused(paused); });
  $('send-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      const sent = await api(`/apps/${encodeURIComponent(app)}/channels/${encodeURIComponent(channel)}/events`, {
        method: 'POST', headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ event: $('send-event').value, data: $('send-data').value }) });
      $('send-result').textContent = `Sent (sequence ${sent.seq}).`;
    } catch (e) {
      $('send-result').textContent = 'Not sent: ' + e.message;
    }
  });
  $('app-create').addEventListener('submit', (event) => submitApp(event, '/apps', 'POST', $('app-new').value,
    (created) => showSecret(created.id, created.secret)));
  $('app-edit').addEventListener('submit', (event) => submitApp(event, `/apps/${encodeURIComponent($('app-edit').dataset.app)}`,
    'PATCH', $('app-fields').value, () => { $('app-edit').hidden = true; }));
  $('app-edit-cancel').addEventListener('click', () => { $('app-edit').hidden = true; });
  fetch(API + '/session', { credentials: 'same-origin' })
    .then((r) => show(r.status === 204 ? 'overview' : 'login'))
    .catch(() => show('login'));
});
