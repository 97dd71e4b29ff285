// Two people in two browser contexts use the browser client served by the gateway at BASE_URL, in Debian's
// Chromium driven by playwright-core. Prints one JSON line with what was measured and exits 0, or prints the
// failed step and exits 1. Screenshots go to SCREENSHOT_DIR. When RESTART_FILE is set, the script prints
// "restart-gateway" near the end and waits until that file exists (the caller restarts the gateway meanwhile).
import { chromium } from 'playwright-core';
import { existsSync, mkdirSync } from 'node:fs';

const base = process.env.BASE_URL;
const shots = process.env.SCREENSHOT_DIR || 'screenshots';
const restartFile = process.env.RESTART_FILE;
const XSS = '<img src=x onerror=alert(1)>';
const suffix = Math.random().toString(36).slice(2, 8);
const ana = { handle: `ana${suffix}`, displayName: 'Ana', status: 'writing tests', password: 'correct horse' };
const bob = { handle: `bob${suffix}`, displayName: XSS, status: 'here', password: 'battery staple' };
const dialogs = [];
const seen = {};
let step = 'start';

mkdirSync(shots, { recursive: true });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-extensions',
    '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1'],
});
const watchdog = setTimeout(() => fail(new Error('timed out')), 150000);

async function fail(error) {
  console.log(JSON.stringify({ ok: false, step, error: String(error && error.stack || error), dialogs, seen }));
  try {
    for (const context of browser.contexts()) {
      for (const page of context.pages()) await page.screenshot({ path: `${shots}/failure-${context.pages().indexOf(page)}-${browser.contexts().indexOf(context)}.png` });
    }
  } catch { /* best effort */ }
  process.exit(1);
}
process.on('unhandledRejection', fail);

async function openPage(name, url = base) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  const page = await context.newPage();
  page.setDefaultTimeout(10000);
  page.on('dialog', async (dialog) => {
    dialogs.push(`${name}: ${dialog.type()} ${dialog.message()}`);
    await dialog.dismiss();
  });
  page.on('pageerror', (e) => { seen[`${name}PageError`] = String(e); });
  page.on('console', (m) => {
    if (m.type() === 'warning' || m.type() === 'error') (seen.console ||= []).push(`${name}: ${m.text()}`);
  });
  await page.goto(url);
  return page;
}

async function register(page, user) {
  await page.fill('#register-handle', user.handle);
  await page.fill('#register-display', user.displayName);
  await page.fill('#register-password', user.password);
  await page.fill('#register-status', user.status);
  await page.click('#register-form button[type=submit]');
  await page.waitForSelector('#app-view:not([hidden])');
  await connected(page);
}

const connected = (page) => page.waitForSelector('#connection[data-state="connected"]', { timeout: 20000 });
const onlineRow = (handle) => `#online-list li[data-handle="${handle}"]`;
const shot = (page, name) => page.screenshot({ path: `${shots}/${name}.png` });

async function createRoom(page, name, visibility, topic) {
  await page.fill('#room-name', name);
  await page.fill('#room-topic', topic);
  await page.selectOption('#room-visibility', visibility);
  await page.click('#room-form button[type=submit]');
  await page.waitForSelector(`#chat-title >> text=# ${name}`);
}

/** Room lists have no live events: a reload shows the new room or invitation, then Join opens it. */
async function joinAfterReload(page, name) {
  await page.reload();
  await connected(page);
  await page.click(`#joinable-rooms li:has-text("${name}") button:has-text("Join")`);
  await page.waitForSelector(`#chat-title >> text=# ${name}`);
}

async function time(fn) {
  const started = Date.now();
  await fn();
  return Date.now() - started;
}

try {
  step = 'A registers';
  const pageA = await openPage('ana');
  await page$(pageA, '#auth-view:not([hidden])');
  await shot(pageA, '01-login');
  await register(pageA, ana);
  await pageA.waitForSelector(onlineRow(ana.handle));

  step = 'B registers with markup in its name and A sees B come online';
  const pageB = await openPage('bob');
  await register(pageB, bob);
  seen.bobOnlineMs = await time(() => pageA.waitForSelector(onlineRow(bob.handle)));
  seen.bobNameShown = await pageA.textContent(`${onlineRow(bob.handle)} .person-name`);
  if (seen.bobNameShown !== XSS) throw new Error(`B's name shown as ${seen.bobNameShown}`);

  step = 'contact request, accepted after a reload (the session survives it)';
  await pageA.fill('#contact-handle', bob.handle);
  await pageA.click('#contact-form button[type=submit]');
  await pageA.waitForSelector(`#request-list li >> text=@${bob.handle}: request sent`);
  await pageB.reload();
  await connected(pageB);
  await pageB.click(`#request-list li >> text=Accept`);
  await pageB.waitForSelector(`#contact-list li[data-handle="${ana.handle}"]`);
  await pageA.reload();
  await connected(pageA);
  await pageA.waitForSelector(`#contact-list li[data-handle="${bob.handle}"] .badge[data-status="online"]`);

  step = 'B changes status; A sees it within a second';
  await pageB.waitForSelector('#status-select');
  seen.statusMs = await time(async () => {
    await pageB.selectOption('#status-select', 'busy');
    await pageA.waitForSelector(`${onlineRow(bob.handle)} .badge[data-status="busy"]`, { timeout: 1000 });
  });
  await pageB.fill('#status-text', `in a meeting ${XSS}`);
  seen.statusTextMs = await time(async () => {
    await pageB.press('#status-text', 'Enter');
    await pageA.waitForFunction(([row, text]) => document.querySelector(`${row} .person-text`)?.textContent === text,
      [onlineRow(bob.handle), `in a meeting ${XSS}`], { timeout: 1000 });
  });

  step = 'auto-away after the idle time (shortened to 2 s by ?idleMs) and back on activity';
  const carl = { handle: `carl${suffix}`, displayName: 'Carl', status: 'idle soon', password: 'carl password' };
  const pageC = await openPage('carl', `${base}?idleMs=2000`);
  await register(pageC, carl);
  await pageA.waitForSelector(`${onlineRow(carl.handle)} .badge[data-status="online"]`);
  await pageA.waitForSelector(`${onlineRow(carl.handle)} .badge[data-status="away"]`, { timeout: 8000 });
  await pageC.mouse.move(200, 300);
  await pageC.mouse.move(220, 320);
  await pageA.waitForSelector(`${onlineRow(carl.handle)} .badge[data-status="online"]`, { timeout: 3000 });
  seen.autoAway = true;
  await pageC.close();
  await pageA.waitForSelector(onlineRow(carl.handle), { state: 'detached', timeout: 10000 });

  step = 'A creates a room, B joins it';
  const roomName = `lobby ${suffix}`;
  await createRoom(pageA, roomName, 'public', 'where the tests meet');
  await joinAfterReload(pageB, roomName);
  await pageA.waitForSelector(`#timeline li.system:has-text("${bob.handle}")`);
  await pageA.waitForSelector(`#member-list li:has-text("${XSS}")`);

  step = 'typing indicator';
  await pageB.focus('#send-text');
  await pageB.keyboard.type('hello from bob', { delay: 40 });
  await pageA.waitForFunction(() => /is typing/.test(document.querySelector('#typing').textContent), null, { timeout: 3000 });
  seen.typing = await pageA.textContent('#typing');

  step = 'B sends, A receives live; the typing indicator goes';
  seen.messageMs = await time(async () => {
    await pageB.press('#send-text', 'Enter');
    await pageA.waitForSelector('#timeline li.message:has-text("hello from bob")');
  });
  await pageA.waitForFunction(() => document.querySelector('#typing').textContent === '', null, { timeout: 3000 });

  step = 'A sends markup as a message; B shows it as text';
  await pageA.fill('#send-text', XSS);
  await pageA.press('#send-text', 'Enter');
  await pageB.waitForFunction((text) => [...document.querySelectorAll('#timeline .msg-text')].some((p) => p.textContent === text), XSS);

  step = 'read receipts';
  await pageA.waitForSelector('#timeline li.mine .seen:not([hidden])', { timeout: 5000 });
  seen.receipt = await pageA.textContent('#timeline li.mine .seen:not([hidden])');
  await pageB.waitForSelector('#timeline li.mine .seen:not([hidden])', { timeout: 5000 });
  await shot(pageA, '02-room-ana');
  await shot(pageB, '03-room-bob');

  step = 'A edits and deletes its own message; B sees both';
  await pageA.fill('#send-text', 'a typo');
  await pageA.press('#send-text', 'Enter');
  await pageB.waitForSelector('#timeline li.message:has-text("a typo")');
  await pageA.click('#timeline li.mine:has-text("a typo") button:has-text("Edit")');
  await pageA.fill('#timeline .edit-form input', 'no typo');
  await pageA.press('#timeline .edit-form input', 'Enter');
  await pageB.waitForSelector('#timeline li.message:has-text("no typo"):has-text("(edited)")');
  await pageA.click('#timeline li.mine:has-text("no typo") button:has-text("Delete")');
  await pageA.click('#timeline li.mine:has-text("no typo") button:has-text("Really delete?")');
  await pageB.waitForSelector('#timeline li.msg-deleted:has-text("message deleted")');

  step = 'direct conversation once the contact is accepted';
  await pageA.click(`#contact-list li[data-handle="${bob.handle}"] button:has-text("Message")`);
  await pageA.waitForSelector(`#chat-topic >> text=@${bob.handle}`);
  await pageA.fill('#send-text', 'just between us');
  await pageA.press('#send-text', 'Enter');
  await pageA.waitForSelector('#timeline li.mine:has-text("just between us"):not(.msg-pending)');
  await pageB.waitForSelector(`#contact-list li[data-handle="${ana.handle}"] .unread`);
  await pageB.click(`#contact-list li[data-handle="${ana.handle}"] button:has-text("Message")`);
  await pageB.waitForSelector('#timeline li.message:has-text("just between us")');
  await pageA.waitForSelector('#timeline li.mine .seen:not([hidden])', { timeout: 5000 });
  await shot(pageB, '04-direct-bob');

  step = 'A creates a private room and invites B, who joins from the invitation';
  const secretName = `secret ${suffix}`;
  await createRoom(pageA, secretName, 'private', '');
  await pageA.fill('#invite-handle', bob.handle);
  await pageA.press('#invite-handle', 'Enter');
  await pageA.waitForSelector(`#invite-status >> text=Invited @${bob.handle}.`);
  await joinAfterReload(pageB, secretName);
  await pageA.waitForSelector(`#member-list li:has-text("${XSS}")`);
  seen.invited = true;

  step = 'a phone-sized screen';
  await pageB.setViewportSize({ width: 390, height: 800 });
  await shot(pageB, '05-phone-chat');
  await pageB.click('#chat-back');
  await shot(pageB, '06-phone-lists');

  step = 'B closes the tab; A sees B leave and "last seen"';
  seen.leaveMs = await time(async () => {
    await pageB.close();
    await pageA.waitForSelector(onlineRow(bob.handle), { state: 'detached', timeout: 10000 });
  });
  await pageA.waitForSelector(`#contact-list li[data-handle="${bob.handle}"] .last-seen:has-text("last seen")`, { timeout: 10000 });
  seen.lastSeen = await pageA.textContent(`#contact-list li[data-handle="${bob.handle}"] .last-seen`);
  await pageA.click('#chat-back').catch(() => {});
  await pageA.click(`#my-rooms li:has-text("${roomName}") button`);
  await pageA.waitForSelector('#timeline li.message:has-text("hello from bob")');
  await shot(pageA, '07-main-ana');

  if (restartFile) {
    step = 'the gateway restarts; the page reconnects and reloads';
    console.log('restart-gateway');
    const waitStarted = Date.now();
    while (!existsSync(restartFile)) {
      if (Date.now() - waitStarted > 90000) throw new Error('the gateway was not restarted');
      const state = await pageA.getAttribute('#connection', 'data-state');
      if (state !== 'connected') seen.stateDuringRestart = state;
      await new Promise((r) => setTimeout(r, 200));
    }
    await pageA.waitForSelector('#connection[data-state="connected"]', { timeout: 40000 });
    await pageA.waitForSelector(onlineRow(ana.handle));
    await pageA.fill('#send-text', 'after the restart');
    await pageA.press('#send-text', 'Enter');
    await pageA.waitForSelector('#timeline li.mine:has-text("after the restart"):not(.msg-pending)');
  }

  step = 'markup stayed text everywhere';
  seen.imagesInPage = await pageA.evaluate(() => document.querySelectorAll('img').length);
  if (seen.imagesInPage !== 0) throw new Error('an <img> element was created from user text');
  if (dialogs.length) throw new Error(`dialogs fired: ${dialogs.join('; ')}`);
  if (seen.anaPageError || seen.bobPageError) throw new Error(`page errors: ${seen.anaPageError || ''} ${seen.bobPageError || ''}`);

  clearTimeout(watchdog);
  console.log(JSON.stringify({ ok: true, dialogs, ...seen }));
  await browser.close();
  process.exit(0);
} catch (e) {
  await fail(e);
}

async function page$(page, selector) {
  await page.waitForSelector(selector);
}
