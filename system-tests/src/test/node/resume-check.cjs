// Resume across reconnects with unmodified clients: CLIENTS resumable clients (wsPath '/c/<clientId>'; every other one
// through Laravel Echo, the rest pusher-js alone) connect through ENTRY_PORT (a proxy the Java test cuts, or a
// balancer over gateways it restarts) and subscribe to a private and a presence channel. Once all are subscribed the
// script prints "step:ready" and publishes event "e" with n = 1, 2, ... on both channels, RATE per second, through the
// first of API_PORTS that answers, until the file STOP_FILE exists; then a last event and a "marker". When every
// client has the marker on both channels it prints one JSON line: per client and channel the numbers received, split
// where the client subscribed again (a reconnect), and the events_missed it was told; exit 0, or an error line and
// exit 1. "step:resumed" is printed once every client subscribed again on both channels. Channel auth is signed here
// with the development app secret, as a backend would.
const crypto = require('crypto');
const fs = require('fs');
const Pusher = require('pusher-js');
const api = require('./http-api.cjs');

const entry = Number(process.env.ENTRY_PORT);
const apiPorts = process.env.API_PORTS.split(',').map(Number);
const clients = Number(process.env.CLIENTS || '2');
const rate = Number(process.env.RATE || '50');
const privateName = process.env.PRIVATE_CHANNEL; // without the private- prefix (Echo adds it)
const presenceName = process.env.PRESENCE_CHANNEL; // without the presence- prefix
const channels = [`private-${privateName}`, `presence-${presenceName}`];
const sign = (text) => 'app-key:' + crypto.createHmac('sha256', 'app-secret').update(text).digest('hex');

const fail = (why) => { console.log(JSON.stringify({ ok: false, why, seen: report() })); process.exit(1); };
setTimeout(() => fail('timed out'), Number(process.env.TIMEOUT_MS || '150000'));

function clientId() {
  return crypto.randomBytes(16).toString('base64url');
}

function pusher(index) {
  return new Pusher('app-key', {
    wsHost: '127.0.0.1', wsPort: entry, wsPath: `/c/${clientId()}`, forceTLS: false, enabledTransports: ['ws'],
    cluster: 'local', disableStats: true,
    channelAuthorization: {
      customHandler: ({ socketId, channelName }, callback) => {
        if (channelName.startsWith('presence-')) {
          const channelData = JSON.stringify({ user_id: `user-${index}`, user_info: { n: index } });
          callback(null, { auth: sign(`${socketId}:${channelName}:${channelData}`), channel_data: channelData });
        } else {
          callback(null, { auth: sign(`${socketId}:${channelName}`) });
        }
      },
    },
  });
}

// per client: per channel the segments of numbers received (a new segment at each subscription_succeeded)
const seen = [];
const marked = [];
const missed = [];
let subscribed = 0;
let started = false;
let resumed = false;

function report() {
  return seen.map((byChannel, i) => ({ client: i, echo: i % 2 === 1, channels: byChannel, missed: missed[i] }));
}

function onSucceeded(i, channel) {
  const segments = seen[i][channel];
  if (segments.length === 0) subscribed++;
  segments.push([]);
  if (!started && subscribed === clients * channels.length) {
    started = true;
    console.log('step:ready');
    publish();
  }
  if (started && !resumed && seen.every((byChannel) => channels.every((c) => byChannel[c].length >= 2))) {
    resumed = true;
    console.log('step:resumed'); // every client subscribed again (after its reconnect) on every channel
  }
}

function onEvent(i, channel, data) {
  const segments = seen[i][channel];
  segments[segments.length - 1].push(Number(data.n));
}

function onMarker(i, channel) {
  marked[i].add(channel);
  if (marked.every((m) => m.size === channels.length)) {
    console.log(JSON.stringify({ ok: true, published: n, ambiguous: [...ambiguous], clients: report() }));
    process.exit(0);
  }
}

// numbers whose first attempt failed after the request may have reached a gateway (a gateway stopping while it
// answered): sent again through the other one, they may have been published twice by this publisher itself
const ambiguous = new Set();

async function trigger(name, data) {
  let last;
  for (const port of apiPorts) {
    try {
      await api.trigger(port, channels, name, JSON.stringify(data));
      return;
    } catch (e) {
      last = e; // that gateway is down: the next one
      if (e.code !== 'ECONNREFUSED' && data.n) ambiguous.add(data.n);
    }
  }
  throw last;
}

let n = 0;
async function publish() {
  const interval = 1000 / rate;
  let next = Date.now();
  while (!fs.existsSync(process.env.STOP_FILE)) {
    n++;
    try {
      await trigger('e', { n });
    } catch (e) {
      fail(`event ${n} not published: ${e}`);
    }
    next += interval;
    const wait = next - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
  n++;
  await trigger('e', { n });
  await trigger('marker', {});
}

async function main() {
  // laravel-echo 2 is an ES module (its CommonJS build does not load in Node): imported as one
  const Echo = (await import('laravel-echo')).default;
  for (let i = 0; i < clients; i++) {
    seen.push(Object.fromEntries(channels.map((c) => [c, []])));
    marked.push(new Set());
    missed.push([]);
    const client = pusher(i);
    if (i % 2 === 1) {
      // Laravel Echo over the same pusher-js client: its private() and join() add the prefixes
      const echo = new Echo({ broadcaster: 'pusher', client });
      const priv = echo.private(privateName);
      priv.listen('.e', (data) => onEvent(i, channels[0], data)).listen('.marker', () => onMarker(i, channels[0]));
      priv.subscribed(() => onSucceeded(i, channels[0]));
      priv.error((e) => fail(`client ${i} private subscription error ${JSON.stringify(e)}`));
      const pres = echo.join(presenceName);
      pres.listen('.e', (data) => onEvent(i, channels[1], data)).listen('.marker', () => onMarker(i, channels[1]));
      pres.here(() => onSucceeded(i, channels[1]));
      pres.error((e) => fail(`client ${i} presence subscription error ${JSON.stringify(e)}`));
      for (const c of channels) client.channel(c).bind('pusher:events_missed', (gap) => missed[i].push({ channel: c, ...gap }));
    } else {
      for (const c of channels) {
        const channel = client.subscribe(c);
        channel.bind('pusher:subscription_succeeded', () => onSucceeded(i, c));
        channel.bind('pusher:subscription_error', (e) => fail(`client ${i} ${c} subscription_error ${JSON.stringify(e)}`));
        channel.bind('e', (data) => onEvent(i, c, data));
        channel.bind('marker', () => onMarker(i, c));
        channel.bind('pusher:events_missed', (gap) => missed[i].push({ channel: c, ...gap }));
      }
    }
  }
}

main().catch((e) => fail(String(e)));
