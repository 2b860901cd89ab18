// catbridge dashboard: plain JavaScript served by the gateway itself, no build step. It paints the port,
// server and backend objects from the REST API at once, then goes live on /api/events (README
// "Dashboard"): the page is useful before, and without, its websocket.

const TOKEN_KEY = 'catbridge.token';
/** Entries kept in the trace list; older ones scroll away. */
const TRACE_ROWS = 500;

const $ = (selector, root = document) => root.querySelector(selector);

const view = {
  ports: new Map(), // name → { data, card }
  backends: new Map(), // name → backend object
  servers: new Map(), // name → server object (network doors and their clients)
  profiles: new Map(), // profile name → { model, hamlib }
  paused: false,
  held: [], // trace entries that arrived while paused
  filter: '',
  shown: 0,
};

function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

function authHeaders() {
  const t = token();
  return t ? { authorization: `Bearer ${t}` } : {};
}

/** 14074000 → "14.074.000": the way a radio's display groups the digits. */
export function formatFreq(hz) {
  const mhz = Math.floor(hz / 1e6);
  const rest = String(hz % 1e6).padStart(6, '0');
  return `${mhz}.${rest.slice(0, 3)}.${rest.slice(3)}`;
}

/** 1 → "1 error", 2 → "2 errors". */
export function count(n, noun) {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

// ---- login ----

function askToken(message) {
  sessionStorage.removeItem(TOKEN_KEY);
  $('#app').hidden = true;
  $('#login').hidden = false;
  const error = $('#login-error');
  error.hidden = !message;
  error.textContent = message ?? '';
  $('#token').focus();
}

$('#login').addEventListener('submit', (event) => {
  event.preventDefault();
  sessionStorage.setItem(TOKEN_KEY, $('#token').value);
  $('#token').value = '';
  $('#login').hidden = true;
  start();
});

// ---- port cards ----

function renderPort(port) {
  let entry = view.ports.get(port.name);
  if (!entry) {
    const card = $('#port-card').content.firstElementChild.cloneNode(true);
    card.dataset.port = port.name;
    $('.release', card).addEventListener('click', () => releasePtt(port.name));
    $('#ports').append(card);
    entry = { data: port, card };
    view.ports.set(port.name, entry);
  }
  entry.data = port;
  const { card } = entry;
  const profile = view.profiles.get(port.rig);
  $('.name', card).textContent = port.name;
  $('.model', card).textContent = profile
    ? `emulates ${profile.model} — choose "${profile.hamlib.name}" (Hamlib ${profile.hamlib.model})`
    : `emulates ${port.rig}`;
  $('.link', card).textContent = port.tcp ? `${port.link} · also on ${port.tcp.listen}` : port.link;
  renderClient(card, port.client);
  renderState(card, port.state);
  renderStats(card, port.stats);
}

function renderClient(card, client) {
  const node = $('.client', card);
  node.className = `client ${client.open ? 'open' : 'closed'}`;
  const programs = (client.programs ?? []).map((p) => `${p.command} (pid ${p.pid})`).join(', ');
  let text = 'no client';
  if (client.open && client.remote) text = `client ${client.remote}`;
  else if (client.open) {
    text = `client open · ${client.baud ?? '?'} baud ${client.dataBits ?? ''}${(client.parity ?? 'n')[0].toUpperCase()}${client.stopBits ?? ''}`;
    if (programs) text += ` · ${programs}`;
  }
  node.textContent = text;
}

function renderState(card, state) {
  const freq = state.vfo === 'VFOB' ? state.freqB : state.freqA;
  const freqNode = $('.freq', card);
  freqNode.textContent = formatFreq(freq);
  freqNode.dataset.hz = String(freq);
  $('.vfo', card).textContent = state.vfo === 'VFOB' ? 'VFO B' : 'VFO A';
  $('.mode', card).textContent = `${state.mode}${state.passband ? ` · ${state.passband} Hz` : ''}`;
  const split = $('.split', card);
  split.className = `split ${state.split ? 'on' : ''}`;
  split.textContent = state.split
    ? `SPLIT · TX on ${state.txVfo === 'VFOB' ? 'B' : 'A'} ${formatFreq(state.txVfo === 'VFOB' ? state.freqB : state.freqA)}`
    : 'split off';
  card.classList.toggle('transmitting', state.ptt);
  $('.tx', card).textContent = state.ptt ? 'TX' : 'RX';
  card.dataset.ptt = String(state.ptt);
}

function statsText(stats) {
  return `${count(stats.commands, 'command')} · ${stats.unknownCommands} unknown · ${count(stats.errors, 'error')}`;
}

function renderStats(card, stats) {
  $('.stats', card).textContent = statsText(stats);
}

// ---- network servers ----

function renderServers() {
  const body = $('#servers tbody');
  body.replaceChildren();
  $('#servers-section').hidden = view.servers.size === 0;
  for (const server of view.servers.values()) {
    const clients = server.clients.length === 0 ? [null] : server.clients;
    for (const client of clients) {
      const row = el('tr');
      row.dataset.server = server.name;
      if (client) row.dataset.client = client.name;
      row.append(
        el('td', '', server.name),
        el('td', '', server.type),
        el('td', '', server.listen),
        client ? el('td', 'open', client.remote) : el('td', 'muted', 'no client'),
        el(
          'td',
          client?.transmitting ? 'error' : 'muted',
          client ? (client.transmitting ? 'TX' : 'RX') : '–',
        ),
        el('td', 'muted', client ? statsText(client.stats) : '–'),
      );
      body.append(row);
    }
  }
}

async function releasePtt(port) {
  await fetch(`/api/ports/${encodeURIComponent(port)}/ptt`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...authHeaders() },
    body: JSON.stringify({ ptt: false }),
  });
}

// ---- backends ----

function renderBackends() {
  const body = $('#backends tbody');
  body.replaceChildren();
  for (const b of view.backends.values()) {
    const row = el('tr');
    row.dataset.backend = b.name;
    const link = el('td', '', b.connected ? 'connected' : 'down');
    link.className = b.connected ? 'open' : 'error';
    row.append(
      el('td', '', b.name),
      el('td', '', b.type),
      el('td', '', b.address),
      link,
      el('td', '', b.latencyMs === null ? '–' : `${b.latencyMs.toFixed(1)} ms`),
      el('td', '', String(b.requests)),
      el('td', '', String(b.failures)),
      b.foreignPtt
        ? el('td', 'error', 'radio found transmitting at start, not keyed by catbridge: left alone')
        : el('td', b.lastError ? 'error' : 'muted', b.lastError ?? '–'),
    );
    body.append(row);
  }
}

// ---- trace ----

function time(iso) {
  return iso.slice(11, 23);
}

function traceEntry(event) {
  if (event.type === 'frame') {
    return { kind: event.kind, port: event.port, at: event.at, text: event.summary };
  }
  if (event.type === 'call') {
    const result = event.ok ? `ok ${event.ms.toFixed(1)} ms` : `FAILED: ${event.error}`;
    return {
      kind: event.ok ? 'call' : 'failed',
      port: event.port,
      at: event.at,
      text: `⇒ ${event.backend}: ${event.call} (${result})`,
    };
  }
  if (event.type === 'read' && !event.ok) {
    return {
      kind: 'failed',
      port: event.backend,
      at: event.at,
      text: `⇒ poll failed: ${event.error}`,
    };
  }
  return null;
}

function matches(entry) {
  if (!view.filter) return true;
  return `${entry.port} ${entry.kind} ${entry.text}`.toLowerCase().includes(view.filter);
}

function appendTrace(entries) {
  const list = $('#trace');
  const atBottom = list.scrollTop + list.clientHeight >= list.scrollHeight - 4;
  for (const entry of entries) {
    if (!matches(entry)) continue;
    const row = el('li', entry.kind);
    row.append(el('span', 'time', `${time(entry.at)} `), el('span', 'port', `${entry.port} `), entry.text);
    list.append(row);
    view.shown++;
  }
  while (list.childElementCount > TRACE_ROWS) list.firstElementChild.remove();
  if (atBottom) list.scrollTop = list.scrollHeight;
  $('#trace-count').textContent = `${view.shown} shown`;
}

/** Every entry seen, newest last, so that a new filter applies to what already arrived. */
const history = [];

function addTrace(entries) {
  history.push(...entries);
  if (history.length > TRACE_ROWS * 4) history.splice(0, history.length - TRACE_ROWS * 4);
  if (view.paused) view.held.push(...entries);
  else appendTrace(entries);
}

function redrawTrace() {
  $('#trace').replaceChildren();
  view.shown = 0;
  appendTrace(history.slice(-TRACE_ROWS * 4));
}

$('#pause').addEventListener('click', () => {
  view.paused = !view.paused;
  const button = $('#pause');
  button.textContent = view.paused ? 'Resume' : 'Pause';
  button.setAttribute('aria-pressed', String(view.paused));
  if (!view.paused) {
    appendTrace(view.held);
    view.held = [];
  }
});

$('#filter').addEventListener('input', (event) => {
  view.filter = event.target.value.trim().toLowerCase();
  redrawTrace();
});

// ---- live events ----

function setConnection(on, text) {
  const badge = $('#connection');
  badge.className = `badge ${on ? 'on' : 'off'}`;
  badge.textContent = text;
}

function handle(event) {
  switch (event.type) {
    case 'hello':
      for (const port of event.ports) renderPort(port);
      for (const backend of event.backends) view.backends.set(backend.name, backend);
      renderBackends();
      for (const server of event.servers ?? []) view.servers.set(server.name, server);
      renderServers();
      $('#app').hidden = false;
      setConnection(true, 'live');
      return null;
    case 'state': {
      const entry = view.ports.get(event.port);
      if (entry) {
        entry.data.state = event.state;
        renderState(entry.card, event.state);
      }
      return null;
    }
    case 'client': {
      const entry = view.ports.get(event.port);
      if (entry) renderClient(entry.card, event.client);
      return null;
    }
    case 'backend':
      view.backends.set(event.backend.name, event.backend);
      renderBackends();
      return null;
    case 'netclient': {
      const server = view.servers.get(event.server);
      if (server) {
        server.clients = server.clients.filter((c) => c.name !== event.client.name);
        if (event.connected) server.clients.push(event.client);
        renderServers();
      }
      return null;
    }
    case 'dropped':
      $('#dropped').textContent = `${event.total} events dropped (this page fell behind)`;
      return null;
    case 'frame': {
      const entry = view.ports.get(event.port);
      if (entry) {
        entry.data.stats.commands++;
        if (event.kind === 'unknown') entry.data.stats.unknownCommands++;
        if (event.kind === 'malformed' || event.kind === 'overflow') entry.data.stats.errors++;
        renderStats(entry.card, entry.data.stats);
      }
      return traceEntry(event);
    }
    default:
      return traceEntry(event);
  }
}

function connect() {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  const socket = new WebSocket(`${scheme}://${location.host}/api/events`, ['catbridge.v1']);
  socket.addEventListener('open', () => {
    // The token goes in the first message: a browser cannot set headers on a websocket.
    const t = token();
    if (t) socket.send(JSON.stringify({ type: 'auth', token: t }));
  });
  socket.addEventListener('message', (message) => {
    const { events } = JSON.parse(message.data);
    const entries = [];
    for (const event of events) {
      const entry = handle(event);
      if (entry) entries.push(entry);
    }
    if (entries.length > 0) addTrace(entries);
  });
  socket.addEventListener('close', (event) => {
    if (event.code === 4401) {
      askToken('That token was refused.');
      return;
    }
    setConnection(false, 'reconnecting…');
    setTimeout(connect, 1000);
  });
}

/** Backend counters move with every poll, which is not an event: refresh them now and then. */
const BACKEND_REFRESH_MS = 2000;

async function refreshBackends() {
  if (document.hidden || $('#app').hidden) return;
  const [backends, servers] = await Promise.all([
    fetch('/api/backends', { headers: authHeaders() }),
    fetch('/api/servers', { headers: authHeaders() }),
  ]);
  if (backends.ok) {
    for (const backend of await backends.json()) view.backends.set(backend.name, backend);
    renderBackends();
  }
  if (servers.ok) {
    for (const server of await servers.json()) view.servers.set(server.name, server);
    renderServers();
  }
}

/**
 * First paint from the REST API, before the websocket is up: the ports, servers and backends as they
 * are now. The websocket's hello repaints them and then keeps them live.
 */
async function paintFromRest() {
  const headers = authHeaders();
  const [ports, servers, backends] = await Promise.all(
    ['/api/ports', '/api/servers', '/api/backends'].map((url) => fetch(url, { headers })),
  );
  if (!ports.ok || !servers.ok || !backends.ok) return;
  for (const port of await ports.json()) renderPort(port);
  for (const server of await servers.json()) view.servers.set(server.name, server);
  renderServers();
  for (const backend of await backends.json()) view.backends.set(backend.name, backend);
  renderBackends();
  $('#app').hidden = false;
}

async function loadProfiles() {
  const response = await fetch('/api/profiles', { headers: authHeaders() });
  if (response.status === 401) return false;
  for (const p of await response.json()) view.profiles.set(p.name, p);
  renderProfiles();
  return true;
}

/** Every radio a port can emulate (`rig:` in the config) and the Hamlib model a program should pick. */
function renderProfiles() {
  const body = $('#profiles tbody');
  body.replaceChildren();
  for (const p of view.profiles.values()) {
    const row = el('tr');
    row.dataset.profile = p.name;
    row.append(
      el('td', '', p.name),
      el('td', '', p.model),
      el('td', 'muted', p.family),
      el('td', '', `${p.hamlib.name} (Hamlib ${p.hamlib.model})`),
      el('td', 'muted', p.hamlib.port === 'network' ? 'network: CAT over TCP' : 'serial port'),
    );
    body.append(row);
  }
  $('#radios-count').textContent = count(view.profiles.size, 'model');
}

async function start() {
  const health = await (await fetch('/api/health')).json();
  if (health.authRequired && !token()) {
    askToken();
    return;
  }
  if (!(await loadProfiles())) {
    askToken(token() ? 'That token was refused.' : undefined);
    return;
  }
  await paintFromRest().catch(() => undefined);
  connect();
}

setInterval(() => void refreshBackends().catch(() => undefined), BACKEND_REFRESH_MS);
start();
