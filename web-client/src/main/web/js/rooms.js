// Rooms: mine (with unread counts), the ones I can join (public ones and invitations), creating, joining and leaving
// one, and inviting someone to the open room.
import { api } from './api.js';
import { byId, h, replaceChildren, displayName } from './dom.js';
import { session } from './session.js';
import { openRoom, closeChat } from './chat-view.js';

// Only the latest fetch's answer is applied (why: the note on contactsFetch in contacts.js).
let roomsFetch = 0;

/** Fetches the public rooms, mine and my invitations, then renders them. */
export async function loadRooms() {
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

/** Renders my rooms and the ones I can join (invitations first). */
export function renderRooms() {
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

/** Joins a room and opens it. */
async function joinRoom(room) {
  try {
    const joined = await api.put(`/api/rooms/${room.id}/members/me`);
    await loadRooms();
    await openRoom(joined);
  } catch (err) {
    byId('room-error').textContent = err.message;
  }
}

/** Binds the "New room" form, the open room's "Leave room" button and its invite form. */
export function bindRooms() {
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
}
