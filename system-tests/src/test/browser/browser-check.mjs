// Two people in two browser contexts use the browser client served by the gateway at BASE_URL, in Debian's
// Chromium driven by playwright-core. Prints one JSON line with what was measured and exits 0, or prints the
// failed step and exits 1. Screenshots go to SCREENSHOT_DIR. When RESTART_FILE is set, the script prints
// "restart-gateway" near the end and waits until that file exists (the caller restarts the gateway meanwhile).
// Nothing here depends on how fast the machine is: what is pushed must show within a generous ceiling, how fast it
// did is measured (the ...Ms figures), and "nothing more" is decided by a barrier, never by waiting a while.
import { chromium, request as http } from 'playwright-core';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';

const base = process.env.BASE_URL;
const shots = process.env.SCREENSHOT_DIR || 'screenshots';
const restartFile = process.env.RESTART_FILE;
// Ana's page goes through a proxy the Java test cuts (her network) when PROXIED_URL is set; everyone else is direct
const proxied = process.env.PROXIED_URL || base;
const networkFile = process.env.NETWORK_FILE;
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
const watchdog = setTimeout(() => fail(new Error('timed out')), 400000);
/** Longest wait for anything to show: a ceiling for a failure on a loaded machine, not a measure of speed. */
const CEILING_MS = 30000;

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
  page.setDefaultTimeout(CEILING_MS);
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

const connected = (page) => page.waitForSelector('#connection[data-state="connected"]');
const onlineRow = (handle) => `#online-list li[data-handle="${handle}"]`;
const shot = (page, name) => page.screenshot({ path: `${shots}/${name}.png` });

async function createRoom(page, name, visibility, topic, whenFilled = (submit) => submit()) {
  await page.fill('#room-name', name);
  await page.fill('#room-topic', topic);
  await page.selectOption('#room-visibility', visibility);
  const result = await whenFilled(() => page.click('#room-form button[type=submit]'));
  await page.waitForSelector(`#chat-title >> text=# ${name}`);
  return result;
}

/** The room (or invitation) appears in the "Join a room" list by itself; Join opens it. */
async function joinFromList(page, name) {
  await page.click(`#joinable-rooms li:has-text("${name}") button:has-text("Join")`);
  await page.waitForSelector(`#chat-title >> text=# ${name}`);
}

/** The promise, or a failure naming what did not arrive within the ceiling. */
async function arrives(promise, what) {
  let timer;
  const late = new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`no ${what()}`)), CEILING_MS); });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

async function time(fn) {
  const started = Date.now();
  await fn();
  return Date.now() - started;
}

/** How long after {@code act} the selector shows up on the other page, pushed there (no reload, no polling). */
async function live(page, selector, act) {
  const waiting = page.waitForSelector(selector);
  const started = Date.now();
  await act();
  await waiting;
  return Date.now() - started;
}

/**
 * The paths the timed steps take, once through the API with two throwaway users before anything is timed: a fresh
 * JVM interprets code it has not run yet, so a first contact request costs several times what every later one does.
 */
async function warmUp() {
  const api = async (path, method, body, token) => {
    const response = await fetch(new URL(path, base), { method, headers: { 'Content-Type': 'application/json',
      ...(token ? { Authorization: `Bearer ${token}` } : {}) }, body: body ? JSON.stringify(body) : undefined });
    if (!response.ok) throw new Error(`warm-up: ${method} ${path} answered ${response.status}`);
    return response.status === 204 ? null : response.json().catch(() => null);
  };
  for (let round = 0; round < 3; round++) {
    const users = [];
    for (const who of ['wa', 'wb']) {
      const handle = `${who}${round}${suffix}`;
      await api('/api/users', 'POST', { handle, password: 'warm up password' });
      users.push({ handle, token: (await api('/api/sessions', 'POST', { handle, password: 'warm up password' })).token });
    }
    const request = await api('/api/contacts/requests', 'POST', { to: users[1].handle }, users[0].token);
    await api(`/api/contacts/requests/${request.id}/accept`, 'POST', null, users[1].token);
    await api('/api/rooms', 'POST', { name: `warm up ${round} ${suffix}`, visibility: 'public' }, users[0].token);
  }
}

/** Bounding boxes of the visible elements that overlap each other or leave the viewport. */
async function layoutProblems(page, selectors) {
  return page.evaluate((list) => {
    const problems = [];
    const boxes = [];
    for (const selector of list) {
      const element = document.querySelector(selector);
      if (!element) { problems.push(`${selector} missing`); continue; }
      const r = element.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) { problems.push(`${selector} not shown`); continue; }
      if (r.left < -1 || r.right > window.innerWidth + 1 || r.top < -1 || r.bottom > window.innerHeight + 1) {
        problems.push(`${selector} outside the ${window.innerWidth}x${window.innerHeight} screen: ${JSON.stringify(r)}`);
      }
      boxes.push({ selector, r });
    }
    for (let i = 0; i < boxes.length; i += 1) {
      for (let j = i + 1; j < boxes.length; j += 1) {
        const a = boxes[i].r;
        const b = boxes[j].r;
        const overlap = Math.min(a.right, b.right) - Math.max(a.left, b.left) > 1 && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 1;
        if (overlap) problems.push(`${boxes[i].selector} overlaps ${boxes[j].selector}`);
      }
    }
    return problems;
  }, selectors);
}

try {
  step = 'warm-up through the API';
  await warmUp();

  step = 'A registers';
  const pageA = await openPage('ana', proxied);
  await page$(pageA, '#auth-view:not([hidden])');
  await shot(pageA, '01-login');

  step = 'a wrong username is named as the wrong field';
  await pageA.fill('#register-handle', 'a');
  await pageA.fill('#register-password', 'long enough password');
  await pageA.click('#register-form button[type=submit]');
  seen.fieldErrors = await pageA.evaluate(() => ({
    handleInvalid: document.querySelector('#register-handle').getAttribute('aria-invalid'),
    handleDescribedBy: document.querySelector('#register-handle').getAttribute('aria-describedby'),
    handleError: document.querySelector('#register-handle-error').textContent,
    passwordInvalid: document.querySelector('#register-password').getAttribute('aria-invalid'),
    focused: document.activeElement.id,
  }));
  if (seen.fieldErrors.handleInvalid !== 'true' || !/register-handle-error/.test(seen.fieldErrors.handleDescribedBy || '')
    || seen.fieldErrors.passwordInvalid !== null || seen.fieldErrors.focused !== 'register-handle') {
    throw new Error(`field errors: ${JSON.stringify(seen.fieldErrors)}`);
  }
  await shot(pageA, '01-register-error');
  await register(pageA, ana);
  if (await pageA.getAttribute('#register-handle', 'aria-invalid') !== null) throw new Error('the corrected field stayed marked');
  await pageA.waitForSelector(onlineRow(ana.handle));

  step = 'B registers with markup in its name and A sees B come online';
  const pageB = await openPage('bob');
  await register(pageB, bob);
  seen.bobOnlineMs = await time(() => pageA.waitForSelector(onlineRow(bob.handle)));
  seen.bobNameShown = await pageA.textContent(`${onlineRow(bob.handle)} .person-name`);
  if (seen.bobNameShown !== XSS) throw new Error(`B's name shown as ${seen.bobNameShown}`);

  step = 'A opens B\'s card from Online now and adds B; B sees the request live';
  await pageA.click(`${onlineRow(bob.handle)} button.person-open`);
  await pageA.waitForSelector('#person-card[open]');
  seen.card = await pageA.evaluate(() => ({
    name: document.querySelector('#card-name').textContent,
    handle: document.querySelector('#card-handle').textContent,
    status: document.querySelector('#card-status').textContent,
    seen: document.querySelector('#card-seen').textContent,
  }));
  if (seen.card.name !== XSS || seen.card.handle !== `@${bob.handle}`) throw new Error(`card: ${JSON.stringify(seen.card)}`);
  await shot(pageA, '02-person-card');
  seen.requestMs = await live(pageB, `#request-list li[data-handle="${ana.handle}"]`, () => pageA.click('#card-add'));
  await pageA.waitForSelector('#card-note >> text=Request sent');
  await pageA.keyboard.press('Escape');
  await pageA.waitForSelector('#person-card', { state: 'hidden' });

  step = 'B accepts; A sees the acceptance live, then messages B from Online now';
  seen.acceptMs = await live(pageA, `#contact-list li[data-handle="${bob.handle}"] .badge[data-status="online"]`,
    () => pageB.click(`#request-list li[data-handle="${ana.handle}"] button:has-text("Accept")`));
  await pageB.waitForSelector(`#contact-list li[data-handle="${ana.handle}"]`);
  await pageA.click(`${onlineRow(bob.handle)} button.person-open`);
  await pageA.click('#card-message');
  await pageA.waitForSelector(`#chat-topic >> text=@${bob.handle}`);
  await pageA.waitForSelector('#timeline li.empty-state');
  await pageA.waitForSelector(`#contact-list li.current[data-handle="${bob.handle}"]`);
  await shot(pageA, '03-new-conversation');
  await pageA.fill('#send-text', 'hello from the card');
  await pageA.press('#send-text', 'Enter');
  await pageA.waitForSelector('#timeline li.mine:has-text("hello from the card"):not(.msg-pending)');
  seen.unreadMs = await time(() => pageB.waitForSelector(`#contact-list li[data-handle="${ana.handle}"] .unread`));
  await pageB.click(`#contact-list li[data-handle="${ana.handle}"] button:has-text("Message")`);
  await pageB.waitForSelector('#timeline li.message:not(.mine):has-text("hello from the card")');
  await pageB.waitForSelector(`#contact-list li[data-handle="${ana.handle}"] .unread`, { state: 'detached' });
  seen.cardMessage = true;

  step = 'an invisible user is counted as the others count them, and told so';
  await pageA.selectOption('#status-select', 'invisible');
  await pageB.waitForSelector(onlineRow(ana.handle), { state: 'detached' });
  await pageA.waitForSelector('#invisible-note:not([hidden])');
  seen.invisibleCounts = [await pageA.textContent('#online-count'), await pageB.textContent('#online-count')];
  if (seen.invisibleCounts[0] !== seen.invisibleCounts[1]) throw new Error(`counts differ: ${seen.invisibleCounts}`);
  await pageA.waitForSelector(`${onlineRow(ana.handle)} >> text=invisible`);
  await pageA.selectOption('#status-select', 'online');
  await pageB.waitForSelector(onlineRow(ana.handle));

  step = 'B changes status; A sees it (statusMs, statusTextMs)';
  await pageB.waitForSelector('#status-select');
  seen.statusMs = await time(async () => {
    await pageB.selectOption('#status-select', 'busy');
    await pageA.waitForSelector(`${onlineRow(bob.handle)} .badge[data-status="busy"]`);
  });
  await pageB.fill('#status-text', `in a meeting ${XSS}`);
  seen.statusTextMs = await time(async () => {
    await pageB.press('#status-text', 'Enter');
    await pageA.waitForFunction(([row, text]) => document.querySelector(`${row} .person-text`)?.textContent === text,
      [onlineRow(bob.handle), `in a meeting ${XSS}`]);
  });

  step = 'auto-away after the idle time (shortened to 2 s by ?idleMs) and back on activity';
  const carl = { handle: `carl${suffix}`, displayName: 'Carl', status: 'idle soon', password: 'carl password' };
  await recordShown(pageA, 'carl', `${onlineRow(carl.handle)} .badge`, 'data-status');
  const pageC = await openPage('carl', `${base}?idleMs=2000`);
  await register(pageC, carl);
  await pageA.waitForFunction(() => window.shown.carl.includes('away'));
  await pageC.mouse.move(200, 300);
  await pageC.mouse.move(220, 320);
  // recorded, not sampled: back online shows even if carl idles away again 2 s later
  await pageA.waitForFunction(() => {
    const statuses = window.shown.carl;
    const away = statuses.indexOf('away');
    return away >= 0 && statuses.indexOf('online', away) > away;
  });
  seen.carlStatuses = await shown(pageA, 'carl');
  seen.autoAway = true;
  await pageC.close();
  await pageA.waitForSelector(onlineRow(carl.handle), { state: 'detached' });

  step = 'A creates a room; it appears in B\'s list live, B joins it';
  const roomName = `lobby ${suffix}`;
  seen.roomListMs = await createRoom(pageA, roomName, 'public', 'where the tests meet',
    (submit) => live(pageB, `#joinable-rooms li:has-text("${roomName}")`, submit));
  await joinFromList(pageB, roomName);
  await pageA.waitForSelector(`#timeline li.system:has-text("${XSS} joined")`); // named by display name, as text
  await pageA.waitForSelector(`#member-list li:has-text("${XSS}")`);

  step = 'typing indicator';
  await pageB.focus('#send-text');
  await pageB.keyboard.type('hello from bob', { delay: 40 });
  // the text read where it was seen: the indicator goes by itself 1.5 s after the last keystroke
  seen.typing = await (await pageA.waitForFunction(() => {
    const text = document.querySelector('#typing').textContent;
    return /is typing/.test(text) && text;
  })).jsonValue();

  step = 'B sends, A receives live; the typing indicator goes';
  seen.messageMs = await time(async () => {
    await pageB.press('#send-text', 'Enter');
    await pageA.waitForSelector('#timeline li.message:has-text("hello from bob")');
  });
  await pageA.waitForFunction(() => document.querySelector('#typing').textContent === '');

  step = 'A sends markup as a message; B shows it as text';
  await pageA.fill('#send-text', XSS);
  await pageA.press('#send-text', 'Enter');
  await pageB.waitForFunction((text) => [...document.querySelectorAll('#timeline .msg-text')].some((p) => p.textContent === text), XSS);

  step = 'read receipts';
  await pageA.waitForSelector('#timeline li.mine .seen:not([hidden])');
  seen.receipt = await pageA.textContent('#timeline li.mine .seen:not([hidden])');
  await pageB.waitForSelector('#timeline li.mine .seen:not([hidden])');
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
  await pageA.waitForSelector('#timeline li.mine .seen:not([hidden])');
  await shot(pageB, '04-direct-bob');

  step = 'A creates a private room and invites B, who joins from the invitation';
  const secretName = `secret ${suffix}`;
  await createRoom(pageA, secretName, 'private', '');
  await pageA.fill('#invite-handle', bob.handle);
  seen.invitationMs = await live(pageB, `#joinable-rooms li:has-text("${secretName}")`, async () => {
    await pageA.press('#invite-handle', 'Enter');
    await pageA.waitForSelector(`#invite-status >> text=Invited`);
  });
  await joinFromList(pageB, secretName);
  await pageA.waitForSelector(`#member-list li:has-text("${XSS}")`);
  seen.invited = true;

  step = 'a phone-sized screen: a one-line header, members and invite one tap away, nothing overlapping';
  await pageB.setViewportSize({ width: 390, height: 844 });
  seen.phoneHeaderPx = await pageB.evaluate(() => document.querySelector('.topbar').getBoundingClientRect().height);
  if (seen.phoneHeaderPx > 60) throw new Error(`the header takes ${seen.phoneHeaderPx} px`);
  seen.phoneChatProblems = await layoutProblems(pageB, ['.topbar', '.chat-header', '.timeline-wrap', '#typing', '#send-form']);
  await shot(pageB, '05-phone-chat');
  await pageB.click('#members-toggle');
  await pageB.waitForSelector(`#member-list li[data-handle="${ana.handle}"]`, { state: 'visible' });
  await pageB.waitForSelector('#invite-handle', { state: 'visible' });
  seen.phoneMembersProblems = await layoutProblems(pageB, ['.topbar', '.chat-header', '#members-panel', '#send-form']);
  seen.phoneMemberRows = await pageB.evaluate(() => [...document.querySelectorAll('#member-list li')].map((li) => li.textContent));
  await shot(pageB, '06-phone-members');
  await pageB.click(`#member-list li[data-handle="${ana.handle}"] button.person-open`);
  await pageB.waitForSelector('#person-card[open]');
  seen.phoneCardProblems = await layoutProblems(pageB, ['#person-card']);
  await shot(pageB, '07-phone-card');
  await pageB.click('#card-close');
  await pageB.click('#chat-back');
  await pageB.click('#me-toggle');
  await pageB.waitForSelector('#status-select', { state: 'visible' });
  await shot(pageB, '08-phone-lists');
  const phoneProblems = [...seen.phoneChatProblems, ...seen.phoneMembersProblems, ...seen.phoneCardProblems];
  if (phoneProblems.length) throw new Error(`phone layout: ${phoneProblems.join('; ')}`);

  step = 'B closes the tab; A sees B leave and "last seen"';
  const bobLastSeen = `#contact-list li[data-handle="${bob.handle}"] .last-seen`;
  await recordShown(pageA, 'lastSeen', bobLastSeen);
  await countLastSeenAnswers(pageA, bobLastSeen, await pageA.getAttribute(`#contact-list li[data-handle="${bob.handle}"]`, 'data-user-id'));
  seen.leaveMs = await time(async () => {
    await pageB.close();
    await pageA.waitForSelector(onlineRow(bob.handle), { state: 'detached' });
  });
  // "just now" at once, never a stale value first, corrected later: every text shown until the page has applied the
  // answer of presence-service it asks for once B is gone (the server's record of the leave, the last word)
  await pageA.waitForFunction(() => window.lastSeenAnswers > 0);
  seen.lastSeenShown = await shown(pageA, 'lastSeen');
  seen.lastSeen = seen.lastSeenShown[0];
  if (seen.lastSeenShown.length !== 1 || seen.lastSeen !== 'last seen just now') {
    throw new Error(`last seen after the leave: ${seen.lastSeenShown.join(' | ')}`);
  }
  step = 'one user with 150 rooms and 25 contacts: no subscription refused, unread counts still live';
  seen.many = await manyRoomsAndContacts(150, 25);

  await pageA.click(`#my-rooms li:has-text("${roomName}") button`);
  await pageA.waitForSelector('#timeline li.message:has-text("hello from bob")');
  await shot(pageA, '09-main-ana');

  if (restartFile) {
    step = 'the gateway restarts; the page reconnects and reloads';
    await recordShown(pageA, 'connection', '#connection', 'data-state');
    console.log('restart-gateway');
    const waitStarted = Date.now();
    while (!existsSync(restartFile)) { // the caller's signal: no page state tells the test that the restart is done
      if (Date.now() - waitStarted > 90000) throw new Error('the gateway was not restarted');
      await new Promise((r) => setTimeout(r, 200));
    }
    // lost, then connected again
    await pageA.waitForFunction(() => {
      const states = window.shown.connection;
      const lost = states.findIndex((state) => state !== 'connected');
      return lost >= 0 && states.indexOf('connected', lost) > lost;
    }, null, { timeout: 40000 });
    seen.restartStates = await shown(pageA, 'connection');
    seen.stateDuringRestart = seen.restartStates.find((s) => s !== 'connected');
    await pageA.waitForSelector(onlineRow(ana.handle));
    await pageA.fill('#send-text', 'after the restart');
    await pageA.press('#send-text', 'Enter');
    await pageA.waitForSelector('#timeline li.mine:has-text("after the restart"):not(.msg-pending)');
  }

  if (networkFile) {
    step = 'Ana is offline for 30 s (DevTools offline, her connections cut) while Bob writes and changes status';
    await offlineWhileBobWrites(pageA, roomName);
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

/**
 * From now on the page records each value the selector's element shows (its text, or an attribute) in
 * window.shown[key], as the DOM changes: a state shown however briefly is in it, nothing is sampled.
 */
async function recordShown(page, key, selector, attribute) {
  await page.evaluate(([key, selector, attribute]) => {
    const values = ((window.shown ||= {})[key] = []);
    new MutationObserver(() => {
      const element = document.querySelector(selector);
      const value = element && (attribute ? element.getAttribute(attribute) : element.textContent);
      if (value && value !== values.at(-1)) values.push(value);
    }).observe(document.body, { childList: true, subtree: true, attributes: true, characterData: true });
  }, [key, selector, attribute]);
}

/** What recordShown recorded so far. */
function shown(page, key) {
  return page.evaluate((k) => window.shown[k], key);
}

/**
 * From now on the page counts the answers to its last-seen queries about the user asked while the selector shows
 * them offline, once it has applied each (window.lastSeenAnswers): when the answer's text() resolves, the page's
 * awaits (microtasks) apply and render it, and this timer runs after them.
 */
async function countLastSeenAnswers(page, selector, id) {
  await page.evaluate(([selector, id]) => {
    window.lastSeenAnswers = 0;
    const fetch = window.fetch;
    window.fetch = async (url, init) => {
      const asked = String(url).endsWith('/api/presence/users/query') && String(init && init.body).includes(`"${id}"`)
        && document.querySelector(selector);
      const response = await fetch(url, init);
      if (asked) {
        const text = response.text.bind(response);
        response.text = () => text().then((body) => {
          setTimeout(() => { window.lastSeenAnswers += 1; });
          return body;
        });
      }
      return response;
    };
  }, [selector, id]);
}

/** Registers and logs in through the API of a request context (whose cookie then is the session). */
async function apiUser(api, user) {
  const created = await api.post('/api/users', { data: { handle: user.handle, password: user.password, displayName: user.displayName } });
  if (created.status() !== 201) throw new Error(`register ${user.handle}: ${created.status()} ${await created.text()}`);
  const login = await api.post('/api/sessions', { data: { handle: user.handle, password: user.password } });
  if (login.status() !== 201) throw new Error(`login ${user.handle}: ${login.status()}`);
  return (await (await api.get('/api/sessions/me')).json()).user;
}

async function ok(response, what) {
  if (!response.ok()) throw new Error(`${what}: ${response.status()} ${await response.text()}`);
  return response.status() === 204 ? null : response.json();
}

/**
 * Before the per-user channel, the page subscribed one channel per room and contact and hit the gateway's 100
 * subscriptions per connection: now it must open with every room and contact listed and nothing refused.
 */
async function manyRoomsAndContacts(roomCount, contactCount) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, baseURL: base });
  const dave = { handle: `dave${suffix}`, displayName: 'Dave', password: 'dave password' };
  const daveUser = await apiUser(context.request, dave);
  for (let i = 0; i < roomCount; i += 1) {
    await ok(await context.request.post('/api/rooms', { data: { name: `dave room ${String(i).padStart(3, '0')}`, visibility: 'private' } }), 'room');
  }
  const friends = [];
  for (let i = 0; i < contactCount; i += 1) {
    const api = await http.newContext({ baseURL: base });
    await apiUser(api, { handle: `f${i}x${suffix}`, displayName: `Friend ${i}`, password: 'friend password' });
    await ok(await api.post('/api/contacts/requests', { data: { to: dave.handle } }), 'request');
    friends.push(api);
  }
  const incoming = await ok(await context.request.get('/api/contacts/requests?direction=incoming'), 'incoming');
  for (const r of incoming.requests) await ok(await context.request.post(`/api/contacts/requests/${r.id}/accept`), 'accept');

  const page = await context.newPage();
  page.setDefaultTimeout(CEILING_MS);
  const refused = [];
  page.on('console', (m) => {
    if (/refused|subscription/i.test(m.text())) refused.push(m.text());
  });
  page.on('pageerror', (e) => refused.push(String(e)));
  // every subscription the page asks for on its socket, and its answer there: succeeded or refused
  const subscriptions = new Map(); // channel -> 'asked' | 'succeeded' | 'refused'
  let allAnswered;
  const answered = new Promise((resolve) => { allAnswered = resolve; });
  const ownChannels = ['presence-online', `private-user-${daveUser.id}`, 'rooms-directory']; // the page's, with no chat open
  page.on('websocket', (socket) => {
    const frame = (payload) => { try { return JSON.parse(payload); } catch { return {}; } };
    socket.on('framesent', ({ payload }) => {
      const f = frame(payload);
      if (f.event === 'pusher:subscribe') subscriptions.set(f.data.channel, 'asked');
    });
    socket.on('framereceived', ({ payload }) => {
      const f = frame(payload);
      if (f.event === 'pusher_internal:subscription_succeeded') subscriptions.set(f.channel, 'succeeded');
      if (f.event === 'pusher:subscription_error') {
        subscriptions.set(f.channel, 'refused');
        refused.push(`${f.channel}: ${JSON.stringify(f.data)}`);
      }
      if (ownChannels.every((c) => subscriptions.has(c)) && [...subscriptions.values()].every((s) => s !== 'asked')) allAnswered();
    });
  });
  await page.goto(base);
  await connected(page);
  await page.waitForFunction(([rooms, contacts]) => document.querySelectorAll('#my-rooms li[data-room-id]').length === rooms
    && document.querySelectorAll('#contact-list li[data-user-id]').length === contacts, [roomCount, contactCount]);
  const dm = await ok(await friends[0].get(`/api/conversations/${daveUser.id}`), 'conversation');
  const friendHandle = `f0x${suffix}`;
  const unreadMs = await live(page, `#contact-list li[data-handle="${friendHandle}"] .unread`, async () => {
    await ok(await friends[0].post(`/api/conversations/${daveUser.id}/messages`, { data: { text: 'hi dave', clientMessageId: `m-${suffix}` } }), 'send');
  });
  // not "no refusal within a moment": every subscription the page asked for has its answer
  await arrives(answered, () => `answers to the subscriptions ${JSON.stringify([...subscriptions])}`);
  await shot(page, '10-many-rooms');
  const result = {
    rooms: await page.locator('#my-rooms li[data-room-id]').count(),
    contacts: await page.locator('#contact-list li[data-user-id]').count(),
    unreadMs, refused, channel: dm.channel, subscribed: [...subscriptions.keys()],
  };
  for (const api of friends) await api.dispose();
  await context.close();
  if (refused.length) throw new Error(`with ${roomCount} rooms and ${contactCount} contacts: ${refused.join('; ')}`);
  return result;
}

/** Waits until the Java test wrote `text` into the network file: it acted on the line printed before. */
async function networkIs(text) {
  const started = Date.now();
  while (!existsSync(networkFile) || readFileSync(networkFile, 'utf8') !== text) {
    if (Date.now() - started > 60000) throw new Error(`the network was not ${text}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Ana's page loses the network for 30 s (DevTools offline, and the proxy in front of her cut, so her socket really
 * drops); meanwhile Bob, on his own connection, writes three messages in the room Ana has open and changes his status.
 * When Ana is back, pusher-js reconnects and resumes: every message shows once, Bob's status is the new one, and the
 * page read no history to get there (no GET of the room's messages after the reconnect).
 */
async function offlineWhileBobWrites(pageA, roomName) {
  const pageB = await openPage('bob-again');
  await pageB.fill('#login-handle', bob.handle);
  await pageB.fill('#login-password', bob.password);
  await pageB.click('#login-form button[type=submit]');
  await pageB.waitForSelector('#app-view:not([hidden])');
  await connected(pageB);
  await pageA.waitForSelector(onlineRow(bob.handle));
  await pageB.click(`#my-rooms li:has-text("${roomName}") button`);
  await pageB.waitForSelector('#send-text');
  await recordShown(pageA, 'offline', '#connection', 'data-state');
  const historyReads = [];
  pageA.on('request', (r) => {
    if (r.method() === 'GET' && /\/api\/rooms\/[^/]+\/messages/.test(r.url())) historyReads.push(r.url());
  });

  const cutAt = Date.now();
  console.log('cut-network');
  await networkIs('cut');
  await pageA.context().setOffline(true);
  await pageA.waitForSelector('#connection:not([data-state="connected"])');
  const readsBefore = historyReads.length;
  for (const n of [1, 2, 3]) {
    await pageB.fill('#send-text', `while ana was away ${n}`);
    await pageB.press('#send-text', 'Enter');
    await pageB.waitForSelector(`#timeline li.mine:has-text("while ana was away ${n}"):not(.msg-pending)`);
  }
  await pageB.selectOption('#status-select', 'away');
  const away = Math.max(0, 30000 - (Date.now() - cutAt));
  await new Promise((r) => setTimeout(r, away)); // the outage lasts 30 s: a scenario, not a check
  console.log('restore-network');
  await networkIs('restored');
  await pageA.context().setOffline(false);
  await connected(pageA);

  for (const n of [1, 2, 3]) {
    await pageA.waitForSelector(`#timeline li.message:has-text("while ana was away ${n}")`);
  }
  await pageA.waitForSelector(`${onlineRow(bob.handle)} .badge[data-status="away"]`);
  // a marker after all of it, on the same channel: once it shows, everything before it has been applied
  await pageB.fill('#send-text', 'marker after the outage');
  await pageB.press('#send-text', 'Enter');
  await pageA.waitForSelector('#timeline li.message:has-text("marker after the outage")');
  seen.offline = {
    states: await shown(pageA, 'offline'),
    copies: await pageA.evaluate(() => [1, 2, 3].map((n) => [...document.querySelectorAll('#timeline li.message')]
      .filter((li) => li.textContent.includes(`while ana was away ${n}`)).length)),
    historyReadsAfterReconnect: historyReads.length - readsBefore,
  };
  if (seen.offline.copies.some((c) => c !== 1)) throw new Error(`messages shown ${JSON.stringify(seen.offline.copies)} times`);
  await pageB.context().close();
}

async function page$(page, selector) {
  await page.waitForSelector(selector);
}
