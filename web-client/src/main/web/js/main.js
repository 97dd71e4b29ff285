// Entry point: log in or register, then the app: connection state, "Online now", my status, contacts and
// direct conversations, rooms, and the open chat.
import { api, setUnauthorizedHandler } from './api.js';
import { byId, h, replaceChildren, badge, displayName } from './dom.js';
import { Realtime, directChannel } from './realtime.js';
import { People, StatusEditor, ONLINE_CHANNEL } from './people.js';
import { Chat } from './chat.js';

const POLL_MS = 15000;
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

byId('register-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const error = byId('register-error');
  error.textContent = '';
  const form = e.target;
  if (!form.checkValidity()) {
    error.textContent = 'Username: 3-32 of a-z, 0-9, _ . - ; password: 8-72 characters.';
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
    error.textContent = err.status === 409 ? 'That username is taken.' : err.message;
  }
});

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
  realtime.subscribe(ONLINE_CHANNEL, (event, data) => {
    people.handle(event, data);
    if (event === 'pusher:subscription_succeeded') session.status.render();
  });
  session.timers.push(setInterval(() => refreshAll(false), POLL_MS));
  session.timers.push(setInterval(() => renderPeople(), 30000)); // keep "last seen ... ago" current
  refreshAll(false);
}

function stopApp() {
  if (!session) return;
  if (session.chat) session.chat.close();
  session.status.stop();
  session.timers.forEach(clearInterval);
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

/** Reloads lists (and after a reconnect the open chat, which may have missed events). */
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
  people.renderOnline(byId('online-list'), byId('online-count'));
  renderContacts();
  session.status.render();
  if (session.chat) {
    session.chat.renderMembers();
  }
}

async function loadContacts() {
  const [contacts, incoming, outgoing, blocks, conversations] = await Promise.all([
    api.get('/api/contacts'),
    api.get('/api/contacts/requests?direction=incoming'),
    api.get('/api/contacts/requests?direction=outgoing'),
    api.get('/api/contacts/blocks'),
    api.get('/api/conversations'),
  ]);
  if (!session) return;
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
  // one direct channel per contact, for live messages and unread counts
  const wanted = new Set(session.contacts.map((c) => directChannel(session.me.id, c.id)));
  for (const name of session.realtime.subscribedNames()) {
    if (name.startsWith('private-dm-') && !wanted.has(name)) session.realtime.unsubscribe(name);
  }
  for (const contact of session.contacts) {
    session.realtime.subscribe(directChannel(session.me.id, contact.id), (event, data, metadata) =>
      onChatEvent({ kind: 'dm', id: contact.id }, event, data, metadata));
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
    session.incoming.map((r) => h('li', { dataset: { requestId: r.id } },
      h('span', { class: 'person-name' }, displayName(r.from)),
      h('span', { class: 'person-handle' }, `@${r.from.handle} wants to be a contact`),
      h('span', { class: 'actions' },
        contactAction('Accept', () => api.post(`/api/contacts/requests/${r.id}/accept`), 'small'),
        contactAction('Decline', () => api.post(`/api/contacts/requests/${r.id}/decline`)),
        contactAction('Block', () => api.post('/api/contacts/blocks', { handle: r.from.handle }), 'danger small')))),
    session.outgoing.map((r) => h('li', { dataset: { requestId: r.id } },
      h('span', { class: 'person-name' }, displayName(r.to)),
      h('span', { class: 'person-handle' }, `@${r.to.handle}: request sent`),
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
      return h('li', { dataset: { userId: c.id, handle: c.handle }, class: current ? 'current' : null },
        badge(people.status(c.id)),
        h('span', { class: 'person-name' }, displayName(online || c)),
        h('span', { class: 'person-handle' }, `@${c.handle}`),
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
    h('span', { class: 'person-name' }, displayName(u)),
    h('span', { class: 'person-handle' }, `@${u.handle}`),
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

async function loadRooms() {
  const [rooms, mine, invitations] = await Promise.all([
    api.get('/api/rooms'), api.get('/api/rooms/mine'), api.get('/api/rooms/invitations'),
  ]);
  if (!session) return;
  session.rooms = rooms.rooms;
  session.myRooms = mine.rooms;
  session.invitations = invitations.invitations;
  const wanted = new Set(session.myRooms.map((r) => r.room.channel));
  for (const name of session.realtime.subscribedNames()) {
    if (name.startsWith('presence-room-') && !wanted.has(name)) session.realtime.unsubscribe(name);
  }
  for (const mineRoom of session.myRooms) {
    const room = mineRoom.room;
    session.realtime.subscribe(room.channel, (event, data, metadata) =>
      onChatEvent({ kind: 'room', id: room.id }, event, data, metadata));
  }
  renderRooms();
}

function renderRooms() {
  const mineIds = new Set(session.myRooms.map((r) => r.room.id));
  const current = session.chat && session.chat.target.kind === 'room' ? session.chat.target.id : null;
  replaceChildren(byId('my-rooms'), session.myRooms.length === 0
    ? h('li', { class: 'hint' }, 'You are in no room yet.')
    : session.myRooms.map((r) => h('li', { dataset: { roomId: r.room.id }, class: r.room.id === current ? 'current' : null },
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
    status.textContent = `Invited @${user.handle}.`;
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
  if (session.chat) session.chat.close();
  const chat = new Chat(target, chatContext());
  session.chat = chat;
  byId('chat-empty').hidden = true;
  byId('chat-view').hidden = false;
  byId('app-view').classList.add('chat-open');
  renderRooms();
  renderContacts();
  try {
    await chat.open();
  } catch (err) {
    byId('send-error').textContent = `Could not open: ${err.message}`;
  }
  byId('send-text').focus();
}

function closeChat() {
  if (session && session.chat) {
    session.chat.close();
    session.chat = null;
    renderRooms();
  }
  closeChatView();
}

function closeChatView() {
  byId('chat-view').hidden = true;
  byId('chat-empty').hidden = false;
  byId('app-view').classList.remove('chat-open');
}

byId('chat-back').addEventListener('click', closeChat);

/** An event on a room or direct channel: to the open chat, or counted as unread. */
function onChatEvent(source, event, data, metadata) {
  if (!session) return;
  const chat = session.chat;
  const isOpen = chat && chat.target.kind === source.kind && chat.target.id === source.id;
  if (isOpen) {
    chat.handle(event, data, metadata);
    if (event === 'message' && document.visibilityState === 'visible') return;
  }
  if (event !== 'message' || data.kind === 'system' || (data.author && data.author.id === session.me.id)) return;
  if (source.kind === 'room') {
    const mine = session.myRooms.find((r) => r.room.id === source.id);
    if (mine) mine.unread += 1;
    renderRooms();
  } else {
    const conversation = session.conversations.get(source.id);
    if (conversation) conversation.unread += 1;
    else session.conversations.set(source.id, { unread: 1, with: { id: source.id } });
    renderContacts();
  }
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
  refreshAll(false); // requests and rooms have no live events: fetch them when the user comes back
});

// ---------- start ----------

api.get('/api/sessions/me', { allow401: true })
  .then((answer) => startApp(answer.user))
  .catch(() => showAuth());
