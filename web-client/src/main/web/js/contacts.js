// "Online now" and my contacts: their requests, my contacts with their unread counts, blocked people, and adding
// someone by username.
import { api } from './api.js';
import { byId, h, replaceChildren, badge, personName } from './dom.js';
import { session } from './session.js';
import { openDirect, closeChat } from './chat-view.js';

// Fetches race: one started before a change committed may answer after one started after it. Only the answer of
// the latest fetch is applied, so an older one never undoes what an event (or a newer fetch) showed.
let contactsFetch = 0;

/** Someone's presence or status changed: renders everything that shows it. */
export function renderPeople() {
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

/** Fetches contacts, requests both ways, blocks and conversations, then renders them. */
export async function loadContacts() {
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

/** A button doing one contact action; the lists are fetched again after it, failed or not. */
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

/** Renders requests, contacts and blocked people; closes a conversation whose contact ended. */
export function renderContacts() {
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

/** Applies a contact event to the lists on screen, without waiting for them to be fetched again. */
export function applyContactEvent(event, { requestId, user, incoming, blocked }) {
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

/** What I am to someone, for their card: contact, request either way, blocked, or nobody yet. */
export function relationTo(user) {
  if (!session) return {};
  return {
    contact: session.contacts.some((c) => c.id === user.id),
    incoming: session.incoming.find((r) => r.from.id === user.id) || null,
    outgoing: session.outgoing.some((r) => r.to.id === user.id),
    blocked: session.blocked.some((b) => b.id === user.id),
  };
}

/** Binds the "Add by username" form. */
export function bindContacts() {
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
}
