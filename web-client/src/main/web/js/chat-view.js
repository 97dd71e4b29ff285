// The open chat's wiring: opening a room or a direct conversation (one Chat, one subscribed channel at a time),
// closing it, the members panel on a phone, the message box, and marking read when the page is seen again.
import { byId, displayName } from './dom.js';
import { directChannel } from './realtime.js';
import { Chat } from './chat.js';
import { session } from './session.js';
import { renderContacts } from './contacts.js';
import { renderRooms } from './rooms.js';

/** What a Chat needs of the page: me, the connection, people, and how my read cursor clears an unread count. */
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

/** Opens a room I am a member of in the chat view. */
export async function openRoom(room) {
  await openChat({
    kind: 'room', id: room.id, title: `# ${room.name}`, topic: room.topic, channel: room.channel,
    basePath: `/api/rooms/${room.id}`,
  });
}

/** Opens the direct conversation with a contact in the chat view. */
export async function openDirect(contact) {
  await openChat({
    kind: 'dm', id: contact.id, title: displayName(session.people.online.get(contact.id) || contact),
    topic: `@${contact.handle}`, channel: directChannel(session.me.id, contact.id),
    basePath: `/api/conversations/${contact.id}`, other: contact,
  });
}

/** Replaces the open chat (its channel too) with one for the target and loads it. */
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

/** Closes the open chat, if any, and unsubscribes its channel. */
export function closeChat() {
  if (session && session.chat) {
    session.realtime.unsubscribe(session.chat.target.channel);
    session.chat.close();
    session.chat = null;
    renderRooms();
    renderContacts();
  }
  closeChatView();
}

/** Shows "Pick a room or a contact" in place of the chat view. */
export function closeChatView() {
  byId('chat-view').hidden = true;
  byId('chat-empty').hidden = false;
  byId('app-view').classList.remove('chat-open');
}

/** On a phone the members (and the invite field) replace the messages, one tap away. */
function setMembersOpen(open) {
  byId('chat-view').classList.toggle('members-open', open);
  const toggle = byId('members-toggle');
  toggle.setAttribute('aria-expanded', String(open));
  toggle.textContent = open ? 'Messages' : 'Members';
}

/** An event on the open chat's channel. */
function onChatEvent(source, event, data, metadata) {
  if (!session) return;
  const chat = session.chat;
  if (chat && chat.target.kind === source.kind && chat.target.id === source.id) chat.handle(event, data, metadata);
}

/** Binds the chat's Back and Members buttons, the message box, and marking read when the page is seen again. */
export function bindChatView() {
  byId('chat-back').addEventListener('click', closeChat);

  byId('members-toggle').addEventListener('click', () => {
    const open = !byId('chat-view').classList.contains('members-open');
    setMembersOpen(open);
    if (open) byId('members-heading').scrollIntoView({ block: 'nearest' });
  });

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
}
