// Entry point: log in or register, then the app: connection state, "Online now", my status, contacts and
// direct conversations, rooms, and the open chat.
import { api, setUnauthorizedHandler } from './api.js';
import { byId, h, replaceChildren, badge, displayName, personName } from './dom.js';
import { Realtime, directChannel, userChannel, ROOMS_DIRECTORY } from './realtime.js';
import { People, StatusEditor, ONLINE_CHANNEL } from './people.js';
import { Chat } from './chat.js';
import { PersonCard } from './card.js';

const CONNECTION_TEXT = { connecting: 'Connecting…', connected: 'Connected', reconnecting: 'Reconnecting…', offline: 'Offline' };

let session = null; // everything that lives while logged in

// ---------- logged out ----------

function showAuth() {
  byId('app-view').hidden = true;
  byId('auth-view').hidden = false;
  byId('login-handle').focus();
}

async function login(handle, password) {
  await api.post('/api/sessions', { handle, password }, { allow401: true });
  const me = await api.get('/api/sessions/me', { allow401: true });
  startApp(me.user);
}

function formValues(form) {
  return Object.fromEntries(new FormData(form).entries());
}

byId('login-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const error = byId('login-error');
  error.textContent = '';
  const { handle, password } = formValues(e.target);
  if (!handle || !password) {
    error.textContent = 'Enter your username and password.';
    return;
  }
  try {
    await login(handle.trim(), password);
    e.target.reset();
  } catch (err) {
    error.textContent = err.status === 401 ? 'Wrong username or password.' : err.message;
  }
});

/** Registration fields: the input, the rule a browser check shows, and the field name the server's errors use. */
const REGISTER_FIELDS = {
  handle: { input: 'register-handle', hint: 'register-handle-hint', rule: 'Use 3-32 characters: a-z, 0-9, _ . -' },
  displayName: { input: 'register-display', rule: 'Use at most 64 characters.' },
  password: { input: 'register-password', hint: 'register-password-hint', rule: 'Use 8-72 characters.' },
  status: { input: 'register-status', rule: 'Use at most 100 characters.' },
};

/** Marks one field wrong (message) or right (null): aria-invalid, and its message named by aria-describedby. */
function fieldError(field, message) {
  const { input: inputId, hint } = REGISTER_FIELDS[field];
  const input = byId(inputId);
  const error = byId(`${inputId}-error`);
  error.textContent = message || '';
  error.hidden = !message;
  if (message) input.setAttribute('aria-invalid', 'true');
  else input.removeAttribute('aria-invalid');
  input.setAttribute('aria-describedby', [message ? error.id : null, hint].filter(Boolean).join(' '));
  if (!input.getAttribute('aria-describedby')) input.removeAttribute('aria-describedby');
}

byId('register-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const error = byId('register-error');
  error.textContent = '';
  const form = e.target;
  let firstWrong = null;
  for (const [field, { input, rule }] of Object.entries(REGISTER_FIELDS)) {
    const element = byId(input);
    const wrong = !element.checkValidity();
    fieldError(field, wrong ? (element.validity.valueMissing ? 'Required. ' : '') + rule : null);
    if (wrong && !firstWrong) firstWrong = element;
  }
  if (firstWrong) {
    firstWrong.focus();
    return;
  }
  const { handle, password, displayName: name, status } = formValues(form);
  try {
    await api.post('/api/users', {
      handle: handle.trim(), password, displayName: name.trim() || undefined, status: status.trim() || undefined,
    });
    await login(handle.trim(), password);
    form.reset();
  } catch (err) {
    const named = err.problem && Array.isArray(err.problem.errors)
      ? err.problem.errors.filter((x) => REGISTER_FIELDS[x.field]) : [];
    if (err.status === 409) {
      fieldError('handle', 'That username is taken.');
      byId('register-handle').focus();
    } else if (named.length > 0) {
      for (const x of named) fieldError(x.field, x.message);
      byId(REGISTER_FIELDS[named[0].field].input).focus();
    } else {
      error.textContent = err.message;
    }
  }
});

for (const field of Object.keys(REGISTER_FIELDS)) {
  // a corrected field stops being marked as soon as it is valid
  byId(REGISTER_FIELDS[field].input).addEventListener('input', (e) => {
    if (e.target.getAttribute('aria-invalid') === 'true' && e.target.checkValidity()) fieldError(field, null);
  });
}

setUnauthorizedHandler(() => {
  if (session) {
    stopApp();
    showAuth();
    byId('login-error').textContent = 'Your session ended: log in again.';
  }
});

// ---------- logged in ----------

function startApp(me) {
  if (session) stopApp();
  byId('auth-view').hidden = true;
  byId('app-view').hidden = false;
  replaceChildren(byId('me-name'), displayName(me));
  byId('me-name').title = `@${me.handle}`;
  byId('app-view').classList.remove('me-open');
  byId('me-toggle').setAttribute('aria-expanded', 'false');

  const people = new People({ me, onChange: () => renderPeople() });
  const realtime = new Realtime({
    onState: (state) => {
      const element = byId('connection');
      element.dataset.state = state;
      element.textContent = CONNECTION_TEXT[state];
    },
    onReconnected: () => refreshAll(true),
  });
  session = {
    me, people, realtime,
    status: new StatusEditor(people),
    contacts: [], incoming: [], outgoing: [], blocked: [],
    rooms: [], myRooms: [], invitations: [], conversations: new Map(),
    chat: null,
    timers: [],
  };
  session.card = new PersonCard({
    people,
    relation: (user) => relationTo(user),
    onAdd: (user) => api.post('/api/contacts/requests', { to: user.handle }).then(() => loadContacts()),
    onAccept: (request) => api.post(`/api/contacts/requests/${request.id}/accept`).then(() => loadContacts()),
    onMessage: (user) => openDirect(session.contacts.find((c) => c.id === user.id) || user),
  });
  realtime.subscribe(ONLINE_CHANNEL, (event, data) => {
    people.handle(event, data);
    if (event === 'pusher:subscription_succeeded') session.status.render();
  });
  // everything that changes for me arrives here, so nothing is polled; (re)subscribing reloads what may be missed
  realtime.subscribe(userChannel(me.id), (event, data) => onMyEvent(event, data));
  realtime.subscribe(ROOMS_DIRECTORY, (event, data) => onDirectoryEvent(event, data));
  session.timers.push(setInterval(() => renderPeople(), 30000)); // keep "last seen ... ago" current
  refreshAll(false);
}

byId('me-toggle').addEventListener('click', () => {
  const open = byId('app-view').classList.toggle('me-open');
  byId('me-toggle').setAttribute('aria-expanded', String(open));
  if (open) byId('status-text').focus();
});

const CONTACT_EVENTS = new Set(['contact_request', 'contact_accepted', 'contact_declined', 'contact_request_cancelled',
  'contact_removed', 'block_changed']);
const ROOM_EVENTS = new Set(['room_invitation', 'invitation_removed', 'membership_changed', 'room_renamed', 'room_deleted']);

/** An event of my own channel (the README's "Events for clients"). */
function onMyEvent(event, data) {
  if (!session) return;
  if (event === 'pusher:subscription_succeeded' || event === 'pusher:events_missed') {
    refreshAll(false);
  } else if (CONTACT_EVENTS.has(event)) {
    if (data.user) session.people.remember(data.user);
    applyContactEvent(event, data);
    renderContacts();
    session.card.render();
    loadContacts().catch(() => {}); // the full lists (and conversations) follow; the change shows at once
  } else if (ROOM_EVENTS.has(event)) {
    if (event === 'room_deleted' && session.chat && session.chat.target.kind === 'room' && session.chat.target.id === data.roomId) {
      closeChat();
    }
    if (event === 'room_invitation') { // shown at once from the payload (the shape GET /api/rooms/invitations lists)
      session.invitations = [...session.invitations.filter((i) => i.room.id !== data.room.id), data];
      renderRooms();
    }
    loadRooms().catch(() => {});
  } else if (event === 'unread') {
    onUnread(data);
  }
}

/** Applies a contact event to the lists on screen, without waiting for them to be fetched again. */
function applyContactEvent(event, { requestId, user, incoming, blocked }) {
  const dropRequest = () => {
    session.incoming = session.incoming.filter((r) => r.id !== requestId);
    session.outgoing = session.outgoing.filter((r) => r.id !== requestId);
  };
  const me = session.me;
  if (event === 'contact_request') {
    dropRequest();
    if (incoming) session.incoming.push({ id: requestId, from: user, to: me, state: 'pending' });
    else session.outgoing.push({ id: requestId, from: me, to: user, state: 'pending' });
  } else if (event === 'contact_accepted') {
    dropRequest();
    if (!session.contacts.some((c) => c.id === user.id)) session.contacts.push(user);
  } else if (event === 'contact_declined' || event === 'contact_request_cancelled') {
    dropRequest();
  } else if (event === 'contact_removed') {
    session.contacts = session.contacts.filter((c) => c.id !== user.id);
  } else if (event === 'block_changed') {
    session.blocked = session.blocked.filter((b) => b.id !== user.id);
    if (blocked) session.blocked.push(user);
  }
}

/** Public rooms appearing, renamed or deleted: the "Join a room" list follows without a fetch. */
function onDirectoryEvent(event, data) {
  if (!session) return;
  if (event === 'room_created' || event === 'room_renamed') {
    session.rooms = [...session.rooms.filter((r) => r.id !== data.id), data]
      .sort((a, b) => a.name.toLowerCase().localeCompare(b.name.toLowerCase()) || Number(a.id) - Number(b.id));
  } else if (event === 'room_deleted') {
    session.rooms = session.rooms.filter((r) => r.id !== data.roomId);
  } else {
    return;
  }
  renderRooms();
}

/** My unread count of a room or conversation changed; the open chat, being read, stays at zero. */
function onUnread(data) {
  const chat = session.chat;
  const beingRead = (kind, id) => chat && chat.target.kind === kind && chat.target.id === id
    && document.visibilityState === 'visible';
  if (data.roomId) {
    const mine = session.myRooms.find((r) => r.room.id === data.roomId);
    if (!mine || (data.unread > 0 && beingRead('room', data.roomId))) return;
    mine.unread = data.unread;
    renderRooms();
  } else if (data.userId) {
    if (data.unread > 0 && beingRead('dm', data.userId)) return;
    const conversation = session.conversations.get(data.userId);
    if (conversation) conversation.unread = data.unread;
    else session.conversations.set(data.userId, { unread: data.unread, with: { id: data.userId } });
    renderContacts();
  }
}

/** What I am to someone, for their card: contact, request either way, blocked, or nobody yet. */
function relationTo(user) {
  if (!session) return {};
  return {
    contact: session.contacts.some((c) => c.id === user.id),
    incoming: session.incoming.find((r) => r.from.id === user.id) || null,
    outgoing: session.outgoing.some((r) => r.to.id === user.id),
    blocked: session.blocked.some((b) => b.id === user.id),
  };
}

function stopApp() {
  if (!session) return;
  if (session.chat) session.chat.close();
  session.status.stop();
  session.timers.forEach(clearInterval);
  session.card.close();
  session.realtime.disconnect();
  session = null;
  closeChatView();
}

byId('logout').addEventListener('click', async () => {
  try {
    await api.del('/api/sessions/current', { allow401: true });
  } catch {
    // logged out already or server away: the page forgets the session either way
  }
  stopApp();
  showAuth();
});

/** Reloads lists (at the start, after a reconnect, when events may be missed; and the open chat after a reconnect). */
async function refreshAll(afterReconnect) {
  if (!session) return;
  await Promise.allSettled([loadContacts(), loadRooms()]);
  if (afterReconnect && session && session.chat) {
    session.chat.reload().catch(() => {});
  }
}

// ---------- people: online now and contacts ----------

function renderPeople() {
  if (!session) return;
  const { people } = session;
  people.renderOnline(byId('online-list'), byId('online-count'), (user) => session.card.open(user));
  byId('invisible-note').hidden = !people.invisible();
  renderContacts();
  session.card.render();
  session.status.render();
  if (session.chat) {
    session.chat.renderMembers();
  }
}

async function loadContacts() {
  const mineFetch = ++contactsFetch;
  const [contacts, incoming, outgoing, blocks, conversations] = await Promise.all([
    api.get('/api/contacts'),
    api.get('/api/contacts/requests?direction=incoming'),
    api.get('/api/contacts/requests?direction=outgoing'),
    api.get('/api/contacts/blocks'),
    api.get('/api/conversations'),
  ]);
  if (!session || mineFetch !== contactsFetch) return;
  session.contacts = contacts.contacts.map((c) => c.user);
  session.incoming = incoming.requests;
  session.outgoing = outgoing.requests;
  session.blocked = blocks.blocked;
  session.conversations = new Map(conversations.conversations.map((c) => [c.with.id, c]));
  for (const u of [...session.contacts, ...session.blocked]) session.people.remember(u);
  for (const r of [...session.incoming, ...session.outgoing]) {
    session.people.remember(r.from);
    session.people.remember(r.to);
  }
  const offline = session.contacts.filter((c) => !session.people.online.has(c.id)).map((c) => c.id);
  await session.people.refreshLastSeen(offline);
  renderPeople();
}

function contactAction(label, handler, className = 'secondary small') {
  return h('button', {
    type: 'button', class: className, onclick: async (e) => {
      const button = e.currentTarget;
      button.disabled = true;
      byId('contact-error').textContent = '';
      try {
        await handler();
      } catch (err) {
        byId('contact-error').textContent = err.message;
      } finally {
        button.disabled = false;
        await loadContacts().catch(() => {});
      }
    },
  }, label);
}

function renderContacts() {
  const { people, me } = session;
  replaceChildren(byId('request-list'),
    session.incoming.map((r) => h('li', { dataset: { requestId: r.id, handle: r.from.handle } },
      ...personName(r.from, 'wants to be a contact'),
      h('span', { class: 'actions' },
        contactAction('Accept', () => api.post(`/api/contacts/requests/${r.id}/accept`), 'small'),
        contactAction('Decline', () => api.post(`/api/contacts/requests/${r.id}/decline`)),
        contactAction('Block', () => api.post('/api/contacts/blocks', { handle: r.from.handle }), 'danger small')))),
    session.outgoing.map((r) => h('li', { dataset: { requestId: r.id, handle: r.to.handle } },
      ...personName(r.to, '(request sent)'),
      h('span', { class: 'actions' },
        contactAction('Cancel', () => api.del(`/api/contacts/requests/${r.id}`))))));

  const sorted = [...session.contacts].sort((a, b) => {
    const onlineA = people.online.has(a.id) ? 0 : 1;
    const onlineB = people.online.has(b.id) ? 0 : 1;
    return onlineA - onlineB || a.handle.localeCompare(b.handle);
  });
  replaceChildren(byId('contact-list'), sorted.length === 0
    ? h('li', { class: 'hint' }, 'No contacts yet: add someone by username.')
    : sorted.map((c) => {
      const online = people.online.get(c.id);
      const conversation = session.conversations.get(c.id);
      const unread = conversation ? conversation.unread : 0;
      const current = session.chat && session.chat.target.kind === 'dm' && session.chat.target.id === c.id;
      return h('li', { dataset: { userId: c.id, handle: c.handle }, class: current ? 'current' : null, 'aria-current': current ? 'true' : null },
        badge(people.status(c.id)),
        h('button', { type: 'button', class: 'person-open', 'aria-haspopup': 'dialog', onclick: () => session.card.open(online || c) },
          ...personName(online || c)),
        unread > 0 ? h('span', { class: 'count unread', 'aria-label': `${unread} unread` }, unread > 999 ? '999+' : String(unread)) : null,
        online && online.text ? h('span', { class: 'person-text' }, online.text) : null,
        online ? null : h('span', { class: 'person-text last-seen' }, people.lastSeenText(c.id)),
        h('span', { class: 'actions' },
          h('button', { type: 'button', class: 'small', onclick: () => openDirect(c) }, 'Message'),
          contactAction('Remove', () => api.del(`/api/contacts/${encodeURIComponent(c.handle)}`)),
          contactAction('Block', () => api.post('/api/contacts/blocks', { handle: c.handle }), 'danger small')));
    }));

  byId('blocked-count').textContent = String(session.blocked.length);
  replaceChildren(byId('blocked-list'), session.blocked.map((u) => h('li', {},
    ...personName(u),
    h('span', { class: 'actions' }, contactAction('Unblock', () => api.del(`/api/contacts/blocks/${encodeURIComponent(u.handle)}`))))));
  if (me && session.chat && session.chat.target.kind === 'dm'
    && !session.contacts.some((c) => c.id === session.chat.target.id)) {
    closeChat(); // the contact ended (removed or blocked): the conversation closes with it
  }
}

byId('contact-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const input = byId('contact-handle');
  const error = byId('contact-error');
  error.textContent = '';
  const handle = input.value.trim();
  if (!handle) return;
  try {
    await api.post('/api/contacts/requests', { to: handle });
    input.value = '';
  } catch (err) {
    error.textContent = err.status === 404 ? `Nobody is called ${handle}.` : err.message;
  }
  await loadContacts().catch(() => {});
});

// ---------- rooms ----------

// Fetches race: one started before a change committed may answer after one started after it. Only the answer of
// the latest fetch is applied, so an older one never undoes what an event (or a newer fetch) showed.
let roomsFetch = 0;
let contactsFetch = 0;

async function loadRooms() {
  const mineFetch = ++roomsFetch;
  const [rooms, mine, invitations] = await Promise.all([
    api.get('/api/rooms'), api.get('/api/rooms/mine'), api.get('/api/rooms/invitations'),
  ]);
  if (!session || mineFetch !== roomsFetch) return;
  session.rooms = rooms.rooms;
  session.myRooms = mine.rooms;
  session.invitations = invitations.invitations;
  renderRooms();
}

function renderRooms() {
  const mineIds = new Set(session.myRooms.map((r) => r.room.id));
  const current = session.chat && session.chat.target.kind === 'room' ? session.chat.target.id : null;
  replaceChildren(byId('my-rooms'), session.myRooms.length === 0
    ? h('li', { class: 'hint' }, 'You are in no room yet.')
    : session.myRooms.map((r) => h('li', { dataset: { roomId: r.room.id }, class: r.room.id === current ? 'current' : null,
      'aria-current': r.room.id === current ? 'true' : null },
      h('button', { type: 'button', class: 'open', onclick: () => openRoom(r.room) },
        h('span', { class: 'person-name' }, `# ${r.room.name}`)),
      r.unread > 0 ? h('span', { class: 'count unread', 'aria-label': `${r.unread} unread` }, r.unread > 999 ? '999+' : String(r.unread)) : null)));
  const joinable = session.rooms.filter((r) => !mineIds.has(r.id));
  replaceChildren(byId('joinable-rooms'),
    session.invitations.map((inv) => h('li', { dataset: { roomId: inv.room.id } },
      h('span', { class: 'person-name' }, `# ${inv.room.name}`),
      h('span', { class: 'person-handle' }, `invited by ${session.people.name(inv.invitedBy, 'a member')}`),
      h('span', { class: 'actions' },
        h('button', { type: 'button', class: 'small', onclick: () => joinRoom(inv.room) }, 'Join'),
        h('button', { type: 'button', class: 'secondary small', onclick: () => api.del(`/api/rooms/${inv.room.id}/invitations/me`).then(loadRooms) }, 'Decline')))),
    joinable.length === 0 && session.invitations.length === 0 ? h('li', { class: 'hint' }, 'No other public rooms.') : null,
    joinable.map((r) => h('li', { dataset: { roomId: r.id } },
      h('span', { class: 'person-name' }, `# ${r.name}`),
      r.topic ? h('span', { class: 'person-text' }, r.topic) : null,
      h('span', { class: 'actions' },
        h('button', { type: 'button', class: 'small', 'aria-label': `Join ${r.name}`, onclick: () => joinRoom(r) }, 'Join')))));
}

async function joinRoom(room) {
  try {
    const joined = await api.put(`/api/rooms/${room.id}/members/me`);
    await loadRooms();
    await openRoom(joined);
  } catch (err) {
    byId('room-error').textContent = err.message;
  }
}

byId('room-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const error = byId('room-error');
  error.textContent = '';
  const name = byId('room-name').value.trim();
  if (!name) {
    error.textContent = 'Give the room a name.';
    return;
  }
  try {
    const room = await api.post('/api/rooms', {
      name, visibility: byId('room-visibility').value, topic: byId('room-topic').value.trim() || undefined,
    });
    e.target.reset();
    await loadRooms();
    await openRoom(room);
  } catch (err) {
    error.textContent = err.message;
  }
});

byId('chat-leave').addEventListener('click', async () => {
  if (!session || !session.chat || session.chat.target.kind !== 'room') return;
  const { id } = session.chat.target;
  try {
    await api.del(`/api/rooms/${id}/members/me`);
    closeChat();
    await loadRooms();
  } catch (err) {
    byId('send-error').textContent = err.message;
  }
});

byId('invite-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const input = byId('invite-handle');
  const status = byId('invite-status');
  const handle = input.value.trim();
  if (!handle || !session || !session.chat || session.chat.target.kind !== 'room') return;
  status.textContent = '';
  try {
    const user = await api.get(`/api/users/${encodeURIComponent(handle)}`);
    await api.post(`/api/rooms/${session.chat.target.id}/invitations`, { userId: user.id });
    status.textContent = `Invited ${displayName(user)}${user.displayName && user.displayName !== user.handle ? ` (@${user.handle})` : ''}.`;
    input.value = '';
  } catch (err) {
    status.textContent = err.status === 404 ? `Nobody is called ${handle}.` : `Could not invite: ${err.message}`;
  }
});

// ---------- the open chat ----------

function chatContext() {
  return {
    me: session.me,
    realtime: session.realtime,
    people: session.people,
    onPick: (user) => session.card.open(user),
    onMyCursor: (target) => {
      if (target.kind === 'room') {
        const mine = session.myRooms.find((r) => r.room.id === target.id);
        if (mine) mine.unread = 0;
        renderRooms();
      } else {
        const conversation = session.conversations.get(target.id);
        if (conversation) conversation.unread = 0;
        renderContacts();
      }
    },
  };
}

async function openRoom(room) {
  await openChat({
    kind: 'room', id: room.id, title: `# ${room.name}`, topic: room.topic, channel: room.channel,
    basePath: `/api/rooms/${room.id}`,
  });
}

async function openDirect(contact) {
  await openChat({
    kind: 'dm', id: contact.id, title: displayName(session.people.online.get(contact.id) || contact),
    topic: `@${contact.handle}`, channel: directChannel(session.me.id, contact.id),
    basePath: `/api/conversations/${contact.id}`, other: contact,
  });
}

async function openChat(target) {
  if (session.chat) {
    session.realtime.unsubscribe(session.chat.target.channel);
    session.chat.close();
  }
  const chat = new Chat(target, chatContext());
  session.chat = chat;
  // only the open chat's channel is subscribed: unread counts of the others come on my own channel
  session.realtime.subscribe(target.channel, (event, data, metadata) => onChatEvent(target, event, data, metadata));
  setMembersOpen(false);
  byId('chat-empty').hidden = true;
  byId('chat-view').hidden = false;
  byId('app-view').classList.add('chat-open');
  renderRooms();
  renderContacts();
  // at once, not once the history is in: by then the user may be typing elsewhere (say, a name to invite), and
  // moving the focus then sent the rest of their typing to the message box
  byId('send-text').focus();
  try {
    await chat.open();
  } catch (err) {
    byId('send-error').textContent = `Could not open: ${err.message}`;
  }
}

function closeChat() {
  if (session && session.chat) {
    session.realtime.unsubscribe(session.chat.target.channel);
    session.chat.close();
    session.chat = null;
    renderRooms();
    renderContacts();
  }
  closeChatView();
}

function closeChatView() {
  byId('chat-view').hidden = true;
  byId('chat-empty').hidden = false;
  byId('app-view').classList.remove('chat-open');
}

byId('chat-back').addEventListener('click', closeChat);

/** On a phone the members (and the invite field) replace the messages, one tap away. */
function setMembersOpen(open) {
  byId('chat-view').classList.toggle('members-open', open);
  const toggle = byId('members-toggle');
  toggle.setAttribute('aria-expanded', String(open));
  toggle.textContent = open ? 'Messages' : 'Members';
}

byId('members-toggle').addEventListener('click', () => {
  const open = !byId('chat-view').classList.contains('members-open');
  setMembersOpen(open);
  if (open) byId('members-heading').scrollIntoView({ block: 'nearest' });
});

/** An event on the open chat's channel. */
function onChatEvent(source, event, data, metadata) {
  if (!session) return;
  const chat = session.chat;
  if (chat && chat.target.kind === source.kind && chat.target.id === source.id) chat.handle(event, data, metadata);
}

const sendText = byId('send-text');
byId('send-form').addEventListener('submit', (e) => {
  e.preventDefault();
  const text = sendText.value.trim();
  if (!text || !session || !session.chat) return;
  sendText.value = '';
  byId('send-error').textContent = '';
  session.chat.send(text);
});
sendText.addEventListener('keydown', (e) => {
  if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
    e.preventDefault();
    byId('send-form').requestSubmit();
  }
});
sendText.addEventListener('input', () => {
  if (session && session.chat && sendText.value) session.chat.typed();
});

document.addEventListener('visibilitychange', () => {
  if (!session || document.visibilityState !== 'visible') return;
  if (session.chat) session.chat.markRead();
});

// ---------- start ----------

api.get('/api/sessions/me', { allow401: true })
  .then((answer) => startApp(answer.user))
  .catch(() => showAuth());
