// The operator console in Chromium (playwright-core) against the gateway at GATEWAY_PORT, with real pusher-js clients
// making the traffic: refused without login, a wrong password refused, then logged in; a presence channel appears
// in the channel list when a client joins it; on the channel's page a second member and an HTTP API trigger show,
// each once, and the member_added webhook queued for it; pausing holds the log, resuming shows what was held once; a
// test event sent from the page reaches the subscriber once; the nodes view lists the gateway as live. "Once" is
// exact: a marker event sent after the event on the same channel arrives after every copy of it. How fast the changes
// show is measured (the ...Ms figures), not asserted: each must show within a generous ceiling. Screenshots go to
// SCREENSHOT_DIR. Prints one JSON line with what it saw; exit 0, or an error line and exit 1.
const crypto = require('crypto');
const path = require('path');
const Pusher = require('pusher-js');
const { chromium } = require('playwright-core');
const api = require('./http-api.cjs');

const port = Number(process.env.GATEWAY_PORT);
const base = `http://localhost:${port}`;
const channel = process.env.CHANNEL;
const password = process.env.CONSOLE_PASSWORD;
const shots = process.env.SCREENSHOT_DIR;
const sign = (text) => crypto.createHmac('sha256', 'app-secret').update(text).digest('hex');
/** Longest wait for what must show: a ceiling for a failure on a loaded machine, not a measure of speed. */
const CEILING_MS = 30000;

function client(userId) {
  return new Pusher('app-key', {
    wsHost: '127.0.0.1', wsPort: port, forceTLS: false, enabledTransports: ['ws'], cluster: 'local',
    channelAuthorization: {
      customHandler: ({ socketId, channelName }, callback) => {
        const channelData = JSON.stringify({ user_id: userId, user_info: { name: userId } });
        callback(null, { auth: 'app-key:' + sign(`${socketId}:${channelName}:${channelData}`), channel_data: channelData });
      },
    },
  });
}

function joined(pusher) {
  return new Promise((resolve, reject) => {
    const c = pusher.subscribe(channel);
    c.bind('pusher:subscription_succeeded', () => resolve(c));
    c.bind('pusher:subscription_error', (e) => reject(new Error('subscription_error ' + JSON.stringify(e))));
  });
}

/** An HTTP API trigger on the channel. */
const trigger = (name, data) => api.trigger(port, [channel], name, data);

/** The promise, or a failure naming what did not arrive within the ceiling. */
function arrives(promise, what) {
  let timer;
  const late = new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`${what} did not arrive`)), CEILING_MS); });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/**
 * The log entries of an event, counted once a marker triggered after it shows in the live log: the log follows the
 * channel in order, so every copy of the event is in by then.
 */
async function logEntries(page, event, marker) {
  await trigger(marker, '{}');
  await page.locator(`#log li[data-event="${marker}"]`).waitFor({ timeout: CEILING_MS });
  return page.locator(`#log li[data-event="${event}"]`).count();
}

async function main() {
  const result = {};
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-extensions',
      '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1'],
  });
  const ana = client('ana');
  const bob = client('bob');
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();

    // not logged in: the API refuses, the page asks for the password
    await page.goto(`${base}/console`);
    result.apiWithoutLogin = await page.evaluate(async (url) => (await fetch(url)).status, `${base}/console/api/overview`);
    await page.locator('#login-form').waitFor({ state: 'visible' });
    await page.getByLabel('Operator password').fill('not-the-password');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.locator('#login-error', { hasText: 'Wrong operator password' }).waitFor();
    await page.getByLabel('Operator password').fill(password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.locator('#overview').waitFor({ state: 'visible' });
    await page.locator('.card[data-metric="redis"] .value').filter({ hasNotText: '–' }).waitFor();
    await page.screenshot({ path: path.join(shots, 'console-overview.png'), fullPage: true });

    // a channel appears when a client joins it
    await page.getByRole('button', { name: 'Channels', exact: true }).click();
    const anaChannel = await joined(ana);
    const appeared = Date.now();
    await page.getByRole('button', { name: channel, exact: true }).waitFor({ timeout: CEILING_MS });
    result.channelListedMs = Date.now() - appeared;
    await page.getByRole('button', { name: channel, exact: true }).click();
    await page.locator('#member-rows tr', { hasText: 'ana' }).waitFor();
    await page.locator('#log-state', { hasText: 'live' }).waitFor();
    // the log follows the channel once a marker sent now shows in it: bob's join below cannot pass unseen
    await trigger('log-ready', '{}');
    await page.locator('#log li[data-event="log-ready"]').waitFor({ timeout: CEILING_MS });

    // a second member and an HTTP API trigger show (how fast: memberShownMs, triggerShownMs)
    const joinStart = Date.now();
    await joined(bob);
    await page.locator('#member-rows tr', { hasText: 'bob' }).waitFor({ timeout: CEILING_MS });
    result.memberShownMs = Date.now() - joinStart;
    await page.locator('#log li[data-event="pusher_internal:member_added"]', { hasText: 'bob' }).waitFor({ timeout: CEILING_MS });
    await page.locator('#log li.kind-webhook[data-event="member_added"]', { hasText: 'bob' }).waitFor({ timeout: CEILING_MS });

    const anaGot = [];
    anaChannel.bind('api-check', (data) => anaGot.push(['api-check', data]));
    anaChannel.bind('from-console', (data) => anaGot.push(['from-console', data]));
    const triggerStart = Date.now();
    await trigger('api-check', JSON.stringify({ n: 1 }));
    await page.locator('#log li[data-event="api-check"]').waitFor({ timeout: CEILING_MS });
    result.triggerShownMs = Date.now() - triggerStart;
    result.apiCheckEntries = await logEntries(page, 'api-check', 'api-check-marker');
    // a presence channel's app payloads are hidden until the operator asks to see them
    result.apiCheckPayload = await page.locator('#log li[data-event="api-check"] .payload').first().textContent();
    await page.getByLabel('Show the payloads of this private channel (your choice is logged)').check();
    await page.locator('#log-state', { hasText: 'live' }).waitFor();
    await trigger('revealed-check', JSON.stringify({ n: 2 }));
    result.revealedPayload = await page.locator('#log li[data-event="revealed-check"] .payload').first().textContent({ timeout: CEILING_MS });

    // paused: held, then shown once on resume
    await page.getByRole('button', { name: 'Pause' }).click();
    await trigger('while-paused', '"x"');
    await page.locator('#log-state', { hasText: '1 held' }).waitFor({ timeout: CEILING_MS });
    result.shownWhilePaused = await page.locator('#log li[data-event="while-paused"]').count();
    await page.getByRole('button', { name: 'Resume' }).click();
    result.shownAfterResume = await logEntries(page, 'while-paused', 'resume-marker');

    // a test event from the page reaches the subscriber once
    await page.getByLabel('Event name').fill('from-console');
    await page.getByLabel('Data').fill('{"hello":"ops"}');
    await page.getByRole('button', { name: 'Send' }).click();
    await page.locator('#send-result', { hasText: 'Sent' }).waitFor();
    await page.locator('#log li[data-event="from-console"]').waitFor({ timeout: CEILING_MS });
    // ana gets the channel's events in order: once the marker sent after the console's event is there, so is every copy
    const marker = new Promise((resolve) => anaChannel.bind('subscriber-marker', resolve));
    await trigger('subscriber-marker', '{}');
    await arrives(marker, 'the marker at the subscriber');
    result.subscriberGot = anaGot;
    await page.screenshot({ path: path.join(shots, 'console-channel.png'), fullPage: true });

    // nodes: the gateway is live with its lease
    await page.getByRole('button', { name: 'Nodes', exact: true }).click();
    await page.locator('#node-rows tr', { hasText: 'gateway-service' }).first().waitFor();
    result.gatewayStates = await page.locator('#node-rows tr', { hasText: 'gateway-service' }).locator('td:nth-child(3)').allTextContents();
    await page.screenshot({ path: path.join(shots, 'console-nodes.png'), fullPage: true });

    // sessions: another operator's browser is listed; revoking every session ends both at their next call
    const other = await (await browser.newContext()).newPage();
    await other.goto(`${base}/console`);
    await other.getByLabel('Operator password').fill(password);
    await other.getByRole('button', { name: 'Log in' }).click();
    await other.locator('#overview').waitFor({ state: 'visible' });
    await page.getByRole('button', { name: 'Sessions', exact: true }).click();
    await page.locator('#session-rows tr', { hasText: '(this one)' }).waitFor();
    result.sessionsListed = await page.locator('#session-rows tr').count();
    await page.getByRole('button', { name: 'Revoke every session (this one too)' }).click();
    await page.locator('#login-form').waitFor({ state: 'visible' });
    result.otherAfterRevokeAll = await other.evaluate(async (url) => (await fetch(url)).status, `${base}/console/api/overview`);
    await page.getByLabel('Operator password').fill(password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.locator('#overview').waitFor({ state: 'visible' });

    // logging out ends the session
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.locator('#login-form').waitFor({ state: 'visible' });
    result.apiAfterLogout = await page.evaluate(async (url) => (await fetch(url)).status, `${base}/console/api/overview`);
    console.log(JSON.stringify({ ok: true, ...result }));
  } finally {
    ana.disconnect();
    bob.disconnect();
    await browser.close();
  }
}

setTimeout(() => { console.log(JSON.stringify({ ok: false, why: 'timed out' })); process.exit(1); }, 110000).unref();
main().then(() => process.exit(0), (e) => { console.log(JSON.stringify({ ok: false, why: String(e && e.stack || e) })); process.exit(1); });
