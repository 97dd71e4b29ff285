// A light Pusher protocol 7 load client (raw WebSockets with `ws`, no Pusher library, frames matched by substring)
// that measures the server it is pointed at, not itself: the server's CPU-seconds (utime + stime of SERVER_PIDS,
// comma separated, e.g. the gateway and Redis) and RSS come from /proc at the scenario's start and end.
//
//   node load.cjs <scenario> [n]     with PORT (the server's WebSocket/HTTP port) and SERVER_PIDS
//   join <users>        users join one presence channel, 64 joins in flight; done when every socket knows all
//   fanout <subs>       subs sockets on one channel; 300 triggers (HTTP API, signed) 20 ms apart; latency per delivery
//   triggers <subs>     subs sockets on one channel; signed triggers at RATE per second (default 1337) for 15 s
//   idle <conns>        conns connections opened, 256 at a time: connects per second, server KiB per connection
//
// Prints one JSON line: {"scenario", "n", "wallMs", "cpuSeconds": {pid: s}, "rssKiB": {pid: [before, after]}, ...}.
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const http = require('http');
const WebSocket = require('ws');

const [scenario, nText] = process.argv.slice(2);
const n = Number(nText || 1000);
const port = Number(process.env.PORT);
const pids = (process.env.SERVER_PIDS || '').split(',').filter(Boolean);
const KEY = 'app-key';
// the servers are started with this secret (bench-vs-soketi.sh passes it as BENCH_SECRET): not a development default
const SECRET = process.env.BENCH_SECRET || 'app-secret';
const APP_ID = 'app-id';
const CLOCK_TICKS = 100; // USER_HZ on Linux
const URL = `ws://127.0.0.1:${port}/app/${KEY}?protocol=7&client=bench&version=1.0`;

const hmac = (text) => crypto.createHmac('sha256', SECRET).update(text).digest('hex');

function cpu(pid) {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS; // utime, stime
}

function rss(pid) {
  const match = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) : 0;
}

function measure() {
  const at = {};
  pids.forEach((pid) => { at[pid] = { cpu: cpu(pid), rss: rss(pid) }; });
  return { time: process.hrtime.bigint(), at };
}

function report(start, extra) {
  const end = measure();
  const cpuSeconds = {};
  const rssKiB = {};
  pids.forEach((pid) => {
    cpuSeconds[pid] = +(end.at[pid].cpu - start.at[pid].cpu).toFixed(2);
    rssKiB[pid] = [start.at[pid].rss, end.at[pid].rss];
  });
  console.log(JSON.stringify({ scenario, n, wallMs: Number(end.time - start.time) / 1e6, cpuSeconds, rssKiB, ...extra }));
}

/** Opens a socket and resolves with it and its socket id once connection_established arrives. */
function connect(onFrame) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(URL, { perMessageDeflate: false });
    let established = false;
    ws.on('message', (raw) => {
      const text = raw.toString();
      if (!established) {
        if (text.includes('pusher:connection_established')) {
          established = true;
          const socketId = /socket_id\\?":\\?"([0-9.]+)/.exec(text)[1];
          resolve({ ws, socketId });
        }
        return;
      }
      if (onFrame) onFrame(text);
    });
    ws.on('error', (e) => (established ? null : reject(e)));
  });
}

/** Runs tasks with at most `width` in flight. */
async function pool(count, width, task) {
  let next = 0;
  const workers = Array.from({ length: Math.min(width, count) }, async () => {
    while (next < count) {
      const i = next++;
      await task(i);
    }
  });
  await Promise.all(workers);
}

function trigger(channel, name, data) {
  const body = JSON.stringify({ name, channel, data });
  const params = { auth_key: KEY, auth_timestamp: Math.floor(Date.now() / 1000).toString(), auth_version: '1.0',
    body_md5: crypto.createHash('md5').update(body).digest('hex') };
  const query = Object.keys(params).sort().map((k) => `${k}=${params[k]}`).join('&');
  const path = `/apps/${APP_ID}/events`;
  const signature = hmac(`POST\n${path}\n${query}`);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: `${path}?${query}&auth_signature=${signature}`, method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) }, agent }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error('trigger answered ' + res.statusCode))));
    });
    req.on('error', reject);
    req.end(body);
  });
}
const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });

function subscribeFrame(channel, socketId, presenceUser) {
  if (!presenceUser) return JSON.stringify({ event: 'pusher:subscribe', data: { channel } });
  const channelData = JSON.stringify({ user_id: presenceUser, user_info: { name: 'user ' + presenceUser } });
  return JSON.stringify({ event: 'pusher:subscribe', data: { channel, auth: `${KEY}:${hmac(`${socketId}:${channel}:${channelData}`)}`,
    channel_data: channelData } });
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];

async function join() {
  const channel = 'presence-bench-' + crypto.randomUUID();
  const known = new Array(n).fill(0);
  let complete = 0;
  let done;
  const finished = new Promise((r) => { done = r; });
  const sockets = [];
  const start = measure();
  await pool(n, 64, async (i) => {
    let counted = false;
    const { ws, socketId } = await connect((text) => {
      if (text.includes('member_added')) known[i]++;
      else if (text.includes('subscription_succeeded')) {
        known[i] += Number((/count\\?":(\d+)/.exec(text) || [0, 0])[1]); // the members at subscription, self included
      } else return;
      if (!counted && known[i] >= n) {
        counted = true;
        if (++complete === n) done();
      }
    });
    sockets.push(ws);
    const subscribed = new Promise((resolve) => ws.once('message', resolve));
    ws.send(subscribeFrame(channel, socketId, String(i)));
    await subscribed;
  });
  const timeout = setTimeout(() => done('timeout'), 300000);
  const outcome = await finished;
  clearTimeout(timeout);
  report(start, { complete, timedOut: outcome === 'timeout' });
  sockets.forEach((ws) => ws.terminate());
}

async function subscribers(channel, count, onEvent) {
  const sockets = [];
  await pool(count, 64, async () => {
    const { ws, socketId } = await connect((text) => {
      if (text.includes('"bench"')) onEvent(text);
    });
    const subscribed = new Promise((resolve) => ws.once('message', resolve));
    ws.send(subscribeFrame(channel, socketId, null));
    await subscribed;
    sockets.push(ws);
  });
  return sockets;
}

async function fanout() {
  const channel = 'bench-fanout-' + crypto.randomUUID();
  const latencies = [];
  let warm = true;
  const sockets = await subscribers(channel, n, (text) => {
    const sent = /t\\?":(\d+\.?\d*)/.exec(text);
    if (sent && !warm) latencies.push(performance.timeOrigin + performance.now() - Number(sent[1]));
  });
  for (let i = 0; i < 20; i++) { await trigger(channel, 'bench', JSON.stringify({ t: performance.timeOrigin + performance.now() })); }
  await new Promise((r) => setTimeout(r, 500));
  warm = false;
  const start = measure();
  for (let i = 0; i < 300; i++) {
    await trigger(channel, 'bench', JSON.stringify({ t: performance.timeOrigin + performance.now() }));
    await new Promise((r) => setTimeout(r, 20));
  }
  await new Promise((r) => setTimeout(r, 1000));
  latencies.sort((a, b) => a - b);
  report(start, { delivered: latencies.length, expected: 300 * n, p50Ms: +percentile(latencies, 0.5).toFixed(2),
    p99Ms: +percentile(latencies, 0.99).toFixed(2), maxMs: +latencies[latencies.length - 1].toFixed(2) });
  sockets.forEach((ws) => ws.terminate());
}

async function triggers() {
  const channel = 'bench-triggers-' + crypto.randomUUID();
  const rate = Number(process.env.RATE || 1337);
  const seconds = 15;
  let delivered = 0;
  const sockets = await subscribers(channel, n, () => { delivered++; });
  const start = measure();
  const began = Date.now();
  let sent = 0;
  const inFlight = new Set();
  while (Date.now() - began < seconds * 1000) {
    const due = Math.floor(((Date.now() - began) / 1000) * rate);
    while (sent < due) {
      sent++;
      const p = trigger(channel, 'bench', '{"x":1}').finally(() => inFlight.delete(p));
      inFlight.add(p);
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  await Promise.all(inFlight);
  await new Promise((r) => setTimeout(r, 1000));
  report(start, { sent, delivered, expected: sent * n });
  sockets.forEach((ws) => ws.terminate());
}

async function idle() {
  const sockets = [];
  const start = measure();
  const t0 = Date.now();
  await pool(n, 256, async () => { sockets.push((await connect(null)).ws); });
  const connectSeconds = (Date.now() - t0) / 1000;
  await new Promise((r) => setTimeout(r, 5000)); // let the server settle before its RSS is read
  const end = measure();
  const perConnection = {};
  pids.forEach((pid) => { perConnection[pid] = +((end.at[pid].rss - start.at[pid].rss) / n).toFixed(2); });
  report(start, { connectsPerSecond: Math.round(n / connectSeconds), kibPerConnection: perConnection });
  sockets.forEach((ws) => ws.terminate());
}

const scenarios = { join, fanout, triggers, idle, 'idle-warm': idle };
if (!scenarios[scenario]) {
  console.error('scenario: join | fanout | triggers | idle | idle-warm');
  process.exit(2);
}
scenarios[scenario]().then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });
