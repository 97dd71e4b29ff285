// Routing of what the servers push to me: my own channel (private-user-{id}: contacts, rooms, unread counts) and
// the public rooms directory. Everything that changes for me arrives here, so nothing is polled; (re)subscribing,
// a reconnect or missed events reload the lists.
import { session } from './session.js';
import { applyContactEvent, loadContacts, renderContacts } from './contacts.js';
import { loadRooms, renderRooms } from './rooms.js';
import { closeChat } from './chat-view.js';

const CONTACT_EVENTS = new Set(['contact_request', 'contact_accepted', 'contact_declined', 'contact_request_cancelled',
  'contact_removed', 'block_changed']);
const ROOM_EVENTS = new Set(['room_invitation', 'invitation_removed', 'membership_changed', 'room_renamed', 'room_deleted']);

/** An event of my own channel (docs/api.md, "Events for clients"). */
export function onMyEvent(event, data) {
  if (!session) return;
  if (event === 'pusher:subscription_succeeded' || event === 'pusher:events_missed') {
    refreshAll();
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

/** Public rooms appearing, renamed or deleted: the "Join a room" list follows without a fetch. */
export function onDirectoryEvent(event, data) {
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

/** Reloads the contact and room lists (at the start, after a reconnect, when my channel's events were missed). */
export async function refreshAll() {
  if (!session) return;
  await Promise.allSettled([loadContacts(), loadRooms()]);
}
