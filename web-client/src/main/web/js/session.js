// Logged in: what lives while logged in (the session), how it starts (connection, "Online now", my own channel,
// the rooms directory) and how it stops.
import { api } from './api.js';
import { byId, replaceChildren, displayName } from './dom.js';
import { Realtime, userChannel, ROOMS_DIRECTORY } from './realtime.js';
import { People, StatusEditor, ONLINE_CHANNEL } from './people.js';
import { PersonCard } from './card.js';
import { onMyEvent, onDirectoryEvent, refreshAll } from './user-channel.js';
import { loadContacts, relationTo, renderPeople } from './contacts.js';
import { openDirect, closeChatView } from './chat-view.js';

const CONNECTION_TEXT = { connecting: 'Connecting…', connected: 'Connected', reconnecting: 'Reconnecting…', offline: 'Offline' };

/**
 * Everything that lives while logged in, or null when logged out. Importers read it as a live binding (always the
 * current value); only startApp and stopApp here replace it.
 */
export let session = null;

/** Shows the app for me: connects, subscribes "Online now", my channel and the directory, loads the lists. */
export function startApp(me) {
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
    // the channels resume (every missed event follows, or pusher:events_missed, which reloads); the lists that do not
    // come from channel events (who is in a room I just got invited to, say) are read again
    onReconnected: () => refreshAll(),
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
  refreshAll();
}

/** Ends the session on the page: closes the chat and the card, stops timers, disconnects. */
export function stopApp() {
  if (!session) return;
  if (session.chat) session.chat.close();
  session.status.stop();
  session.timers.forEach(clearInterval);
  session.card.close();
  session.realtime.disconnect();
  session = null;
  closeChatView();
}

/** Binds the button that shows my status controls on a narrow screen. */
export function bindSession() {
  byId('me-toggle').addEventListener('click', () => {
    const open = byId('app-view').classList.toggle('me-open');
    byId('me-toggle').setAttribute('aria-expanded', String(open));
    if (open) byId('status-text').focus();
  });
}
