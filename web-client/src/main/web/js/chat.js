// The open room or direct conversation: history (last 100, older on scroll), live messages, sending with
// retries, edit and delete of my own messages, typing indicator and read receipts.
import { api, withRetry, newClientMessageId, ApiError } from './api.js';
import { byId, h, replaceChildren, badge, personName } from './dom.js';
import { clock } from './time.js';

const TYPING_SEND_INTERVAL_MS = 1000;
const TYPING_SHOW_MS = 1500;

const compareIds = (a, b) => {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
};

export class Chat {
  /**
   * @param target {kind: 'room'|'dm', id, title, topic, channel, basePath}; basePath is /api/rooms/{id} or
   *        /api/conversations/{userId}
   * @param context {me, realtime, people: {name(id, fallback), status(id)}, onPick(user) (opens a person's card),
 *        onMyCursor(target, messageId)}
   */
  constructor(target, context) {
    this.target = target;
    this.context = context;
    this.messages = new Map(); // id -> message
    this.pending = new Map(); // clientMessageId -> pending message
    this.elements = new Map(); // id or clientMessageId -> <li>
    this.members = new Map(); // userId -> {userId, handle, lastReadMessageId}
    this.nextBefore = null;
    this.loadingOlder = false;
    this.myCursor = '0';
    this.typingTimers = new Map(); // userId -> timeout
    this.lastTypingSent = 0;
    this.closed = false;
    this.subscribedBefore = false;

    this.timeline = byId('timeline');
    this.wrap = this.timeline.parentElement;
    this.olderButton = byId('load-older');
    this.typing = byId('typing');
    this.memberList = byId('member-list');
    this.sendError = byId('send-error');
    this.olderLoaded = false; // older pages shown: a reload keeps their nextBefore
    this.onScroll = () => {
      if (this.wrap.scrollTop < 40) this.loadOlder();
    };
    this.wrap.addEventListener('scroll', this.onScroll);
    this.onOlderClick = () => this.loadOlder();
    this.olderButton.addEventListener('click', this.onOlderClick);
  }

  /** Shows the view and loads members and history; safe to call again after a reconnect. */
  async open() {
    replaceChildren(byId('chat-title'), this.target.title);
    replaceChildren(byId('chat-topic'), this.target.topic || '');
    byId('chat-leave').hidden = this.target.kind !== 'room';
    byId('invite-form').hidden = this.target.kind !== 'room';
    byId('invite-status').textContent = '';
    byId('members-heading').textContent = this.target.kind === 'room' ? 'Members' : 'In this conversation';
    this.clearTimeline();
    this.typing.textContent = '';
    this.sendError.textContent = '';
    await this.reload();
  }

  async reload() {
    await Promise.all([this.loadMembers(), this.loadLatest()]);
    this.renderReceipts();
    this.markRead();
  }

  close() {
    this.closed = true;
    this.wrap.removeEventListener('scroll', this.onScroll);
    this.olderButton.removeEventListener('click', this.onOlderClick);
    for (const t of this.typingTimers.values()) clearTimeout(t);
    this.typingTimers.clear();
    this.typing.textContent = '';
  }

  async loadMembers() {
    const members = new Map();
    let myCursor;
    if (this.target.kind === 'room') {
      const [list, cursor] = await Promise.all([
        api.get(`${this.target.basePath}/members`),
        api.get(`${this.target.basePath}/cursor`),
      ]);
      for (const m of list.members) members.set(m.userId, m);
      myCursor = cursor.messageId || '0';
    } else {
      const conversation = await api.get(this.target.basePath);
      const other = this.target.other;
      members.set(other.id, { userId: other.id, handle: other.handle, lastReadMessageId: conversation.otherLastReadMessageId || '0' });
      members.set(this.context.me.id, { userId: this.context.me.id, handle: this.context.me.handle, lastReadMessageId: conversation.lastReadMessageId || '0' });
      myCursor = conversation.lastReadMessageId || '0';
    }
    if (this.closed) return; // the member list on screen is another chat's by now
    // Like the history, the answer may predate a read_cursor event already applied: cursors never move back (nor do
    // the server's), and the old list stays until the answer is in, so no event meanwhile finds the member missing.
    for (const [id, m] of members) {
      const known = this.members.get(id);
      if (known && compareIds(known.lastReadMessageId || '0', m.lastReadMessageId || '0') > 0) {
        members.set(id, { ...m, lastReadMessageId: known.lastReadMessageId });
      }
    }
    this.members = members;
    if (compareIds(myCursor, this.myCursor) > 0) this.myCursor = myCursor;
    this.renderMembers();
  }

  renderMembers() {
    const { people, me } = this.context;
    const rows = [...this.members.values()]
      .map((m) => ({ ...m, user: { ...(people.known.get(m.userId) || {}), ...(people.online.get(m.userId) || {}), id: m.userId, handle: m.handle } }))
      .sort((a, b) => people.name(a.userId, a.handle).localeCompare(people.name(b.userId, b.handle)))
      .map((m) => h('li', { dataset: { userId: m.userId, handle: m.handle } },
        badge(people.status(m.userId)),
        h('button', { type: 'button', class: 'person-open', 'aria-haspopup': 'dialog', onclick: () => this.context.onPick(m.user) },
          ...personName(m.user, m.userId === me.id ? '(you)' : ''))));
    replaceChildren(this.memberList, rows);
    byId('members-toggle').textContent = byId('chat-view').classList.contains('members-open') ? 'Messages' : `Members (${rows.length})`;
  }

  async loadLatest() {
    const page = await api.get(`${this.target.basePath}/messages?limit=100`);
    if (this.closed) return;
    const shown = [...this.messages.keys()].sort(compareIds);
    const oldest = page.messages[0];
    if (page.nextBefore && oldest && shown.length && compareIds(oldest.id, shown[shown.length - 1]) > 0) {
      // more than a page came meanwhile (say, after a long time offline): what is shown, all older than the page,
      // would leave a hole before it, so the timeline starts over from the page (pending sends stay, last)
      this.clearTimeline();
      for (const p of this.pending.values()) this.insert(p);
    }
    // Merged into what is shown, never replacing it: the answer may have left the server before a send committed
    // whose answer or event is already on screen (opening the chat and (re)subscribing both fetch, and one can send
    // at once). Replacing the timeline took such a message away again. put() orders by id and keeps the newer copy.
    for (const m of page.messages) this.put(m, false);
    if (!this.olderLoaded) {
      this.nextBefore = page.nextBefore;
      this.olderButton.hidden = !this.nextBefore;
    }
    this.renderEmpty();
    this.scrollToBottom();
  }

  clearTimeline() {
    this.timeline.replaceChildren();
    this.elements.clear();
    this.messages.clear();
    this.olderLoaded = false;
  }

  /** A conversation without messages says how to start it. */
  renderEmpty() {
    const empty = this.timeline.querySelector('li.empty-state');
    const hasMessages = this.messages.size > 0 || this.pending.size > 0;
    if (hasMessages && empty) empty.remove();
    if (!hasMessages && !empty) {
      const text = this.target.kind === 'dm'
        ? `No messages yet. Say hello to ${this.target.title}: only the two of you see this conversation.`
        : 'No messages yet. Write the first one below.';
      this.timeline.append(h('li', { class: 'empty-state' }, text));
    }
  }

  async loadOlder() {
    if (!this.nextBefore || this.loadingOlder) return;
    this.loadingOlder = true;
    try {
      const page = await api.get(`${this.target.basePath}/messages?limit=100&before=${encodeURIComponent(this.nextBefore)}`);
      if (this.closed) return;
      const heightBefore = this.wrap.scrollHeight;
      const topBefore = this.wrap.scrollTop;
      for (const m of page.messages) this.put(m, false);
      this.olderLoaded = true;
      this.nextBefore = page.nextBefore;
      this.olderButton.hidden = !this.nextBefore;
      // keep the message that was on screen where it was
      this.wrap.scrollTop = topBefore + (this.wrap.scrollHeight - heightBefore);
      this.renderReceipts();
    } catch (e) {
      this.sendError.textContent = `Could not load older messages: ${e.message}`;
    } finally {
      this.loadingOlder = false;
    }
  }

  nearBottom() {
    return this.wrap.scrollHeight - this.wrap.scrollTop - this.wrap.clientHeight < 80;
  }

  scrollToBottom() {
    this.wrap.scrollTop = this.wrap.scrollHeight;
  }

  /** Adds or replaces a stored message; events and answers may arrive in any order, so order by id. */
  put(message, live) {
    const stick = live && this.nearBottom();
    const known = this.messages.get(message.id);
    if (known && known.editedAt && !message.editedAt && !message.deletedAt && !known.deletedAt) {
      return; // an older copy (e.g. the send answer after an edit event) never overwrites a newer one
    }
    if (known && known.deletedAt && !message.deletedAt) return;
    this.messages.set(message.id, message);
    if (message.clientMessageId && this.pending.has(message.clientMessageId)) {
      this.pending.delete(message.clientMessageId);
      const el = this.elements.get(`pending:${message.clientMessageId}`);
      if (el) el.remove();
      this.elements.delete(`pending:${message.clientMessageId}`);
    }
    this.insert(message);
    if (stick) this.scrollToBottom();
  }

  insert(message) {
    this.timeline.querySelector('li.empty-state')?.remove();
    const key = message.pending ? `pending:${message.clientMessageId}` : message.id;
    const element = this.renderMessage(message);
    const old = this.elements.get(key);
    this.elements.set(key, element);
    if (old) {
      old.replaceWith(element);
      return;
    }
    if (message.pending) {
      this.timeline.append(element);
      return;
    }
    // find the first stored message with a larger id and insert before it; pending ones stay last
    let before = null;
    for (const child of this.timeline.children) {
      const id = child.dataset.id;
      if (!id || compareIds(id, message.id) > 0) {
        before = child;
        break;
      }
    }
    this.timeline.insertBefore(element, before);
  }

  renderMessage(message) {
    const { me, people } = this.context;
    if (message.kind === 'system') {
      return h('li', { class: 'system', dataset: { id: message.id } }, this.systemText(message),
        ' ', h('time', { datetime: message.createdAt }, clock(message.createdAt)));
    }
    const mine = message.author && message.author.id === me.id;
    const deleted = Boolean(message.deletedAt);
    const classes = ['message', mine ? 'mine' : '', deleted ? 'msg-deleted' : '', message.pending ? 'msg-pending' : '']
      .filter(Boolean).join(' ');
    const author = message.author ? people.name(message.author.id, message.author.handle) : 'unknown';
    const meta = h('div', { class: 'msg-meta' },
      h('span', { class: 'msg-author' }, author),
      h('time', { datetime: message.createdAt || '' }, message.pending ? 'sending…' : clock(message.createdAt)),
      message.editedAt && !deleted ? h('span', {}, '(edited)') : null,
      mine && !deleted && !message.pending ? h('span', { class: 'msg-actions' },
        h('button', { type: 'button', class: 'link small', onclick: () => this.startEdit(message) }, 'Edit'),
        h('button', { type: 'button', class: 'link small', onclick: (e) => this.confirmDelete(message, e.currentTarget) }, 'Delete'))
        : null);
    const text = h('p', { class: 'msg-text' }, deleted ? 'message deleted' : message.text);
    const li = h('li', { class: classes, dataset: message.pending ? { pending: message.clientMessageId } : { id: message.id } },
      meta, text, h('p', { class: 'seen', hidden: true }));
    if (message.failed) {
      li.append(h('p', { class: 'form-error' }, `Not sent: ${message.failed} `,
        h('button', { type: 'button', class: 'link small', onclick: () => this.retry(message) }, 'Retry')));
    }
    return li;
  }

  /** System lines name their subject by handle ("ana joined"); shown by the page's naming rule instead. */
  systemText(message) {
    const text = message.text || '';
    const handle = message.author && message.author.handle;
    if (!handle || !text.startsWith(`${handle} `)) return text;
    return this.context.people.name(message.author.id, handle) + text.slice(handle.length);
  }

  startEdit(message) {
    const li = this.elements.get(message.id);
    if (!li) return;
    const textElement = li.querySelector('.msg-text');
    const input = h('input', { value: message.text, maxlength: 4000, 'aria-label': 'Edit message' });
    const form = h('form', { class: 'edit-form' }, input,
      h('button', { type: 'submit', class: 'small' }, 'Save'),
      h('button', { type: 'button', class: 'secondary small', onclick: () => this.insert(this.messages.get(message.id)) }, 'Cancel'));
    input.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') this.insert(this.messages.get(message.id));
    });
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const text = input.value.trim();
      if (!text || text === message.text) {
        this.insert(this.messages.get(message.id));
        return;
      }
      try {
        const updated = await api.patch(`${this.target.basePath}/messages/${message.id}`, { text });
        this.put(updated, false);
      } catch (err) {
        this.sendError.textContent = `Could not edit: ${err.message}`;
      }
    });
    textElement.replaceWith(form);
    input.focus();
  }

  confirmDelete(message, button) {
    // a second click confirms: no modal dialog, and keyboard users get the same two steps
    if (button.dataset.armed !== 'true') {
      button.dataset.armed = 'true';
      button.textContent = 'Really delete?';
      setTimeout(() => {
        if (button.isConnected) {
          button.dataset.armed = 'false';
          button.textContent = 'Delete';
        }
      }, 4000);
      return;
    }
    api.del(`${this.target.basePath}/messages/${message.id}`)
      .then(() => this.put({ ...message, text: null, deletedAt: new Date().toISOString() }, false))
      .catch((err) => { this.sendError.textContent = `Could not delete: ${err.message}`; });
  }

  /** Sends with a client message id; retried on 503 and lost answers, so the server stores it once. */
  async send(text) {
    const { me } = this.context;
    const pending = {
      pending: true, clientMessageId: newClientMessageId(), text, kind: 'user',
      author: { id: me.id, handle: me.handle }, createdAt: new Date().toISOString(),
    };
    this.pending.set(pending.clientMessageId, pending);
    this.insert(pending);
    this.scrollToBottom();
    await this.deliver(pending);
  }

  async deliver(pending) {
    try {
      const stored = await withRetry(() => api.post(`${this.target.basePath}/messages`,
        { text: pending.text, clientMessageId: pending.clientMessageId }));
      if (this.closed) return;
      this.put(stored, true);
      this.markRead();
    } catch (e) {
      if (this.closed) return;
      pending.failed = e instanceof ApiError ? e.message : String(e);
      this.insert(pending);
    }
  }

  retry(pending) {
    delete pending.failed;
    this.insert(pending);
    this.deliver(pending);
  }

  /** Called while the user types: one client-typing event a second at most. */
  typed() {
    const now = Date.now();
    if (now - this.lastTypingSent < TYPING_SEND_INTERVAL_MS) return;
    const channel = this.context.realtime.channel(this.target.channel);
    if (!channel || !channel.subscribed) return;
    this.lastTypingSent = now;
    try {
      channel.trigger('client-typing', {});
    } catch {
      // not connected: nobody to tell
    }
  }

  /** An event on this chat's channel. */
  handle(event, data, metadata) {
    if (event === 'message') {
      this.put(data, true);
      if (data.author) this.stopTyping(data.author.id);
      if (data.kind === 'system' && this.target.kind === 'room') this.loadMembers().then(() => this.renderReceipts());
      this.markRead();
    } else if (event === 'message_updated' || event === 'message_deleted') {
      this.put(data, false);
    } else if (event === 'read_cursor') {
      const member = this.members.get(data.user_id);
      if (member && compareIds(data.messageId, member.lastReadMessageId || '0') > 0) {
        member.lastReadMessageId = data.messageId;
        this.renderReceipts();
      }
    } else if (event === 'client-typing') {
      const userId = this.target.kind === 'dm' ? this.target.other.id : metadata.user_id;
      if (userId && userId !== this.context.me.id) this.startTyping(userId);
    } else if ((event === 'pusher:subscription_succeeded' && !this.subscribedBefore) || event === 'pusher:events_missed') {
      // subscribed for the first time (maybe after a late authorization), or told that events were lost and cannot be
      // replayed (the resume window passed, Redis lost its data): fetch what was published meanwhile. A subscription
      // after a reconnect resumes: the events it missed follow by themselves.
      this.subscribedBefore = true;
      this.reload().catch(() => {});
    } else if (event === 'pusher:member_added' || event === 'pusher:member_removed' || event === 'pusher:member_updated') {
      this.renderMembers();
    }
  }

  startTyping(userId) {
    clearTimeout(this.typingTimers.get(userId));
    this.typingTimers.set(userId, setTimeout(() => this.stopTyping(userId), TYPING_SHOW_MS));
    this.renderTyping();
  }

  stopTyping(userId) {
    clearTimeout(this.typingTimers.get(userId));
    if (this.typingTimers.delete(userId)) this.renderTyping();
  }

  renderTyping() {
    const names = [...this.typingTimers.keys()].map((id) => this.context.people.name(id, this.members.get(id)?.handle));
    this.typing.textContent = names.length === 0 ? ''
      : names.length === 1 ? `${names[0]} is typing…`
        : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]} are typing…`;
  }

  /** "Seen by" under the newest message of someone else each other member has read. */
  renderReceipts() {
    const messages = [...this.messages.values()].filter((m) => m.kind !== 'system').sort((a, b) => compareIds(a.id, b.id));
    const seenBy = new Map();
    for (const member of this.members.values()) {
      if (member.userId === this.context.me.id || !member.lastReadMessageId || member.lastReadMessageId === '0') continue;
      let last = null;
      for (const m of messages) {
        if (compareIds(m.id, member.lastReadMessageId) > 0) break;
        // a reader's own messages say nothing about what they read
        if (!m.deletedAt && (!m.author || m.author.id !== member.userId)) last = m.id;
      }
      if (!last) continue;
      if (!seenBy.has(last)) seenBy.set(last, []);
      seenBy.get(last).push(this.context.people.name(member.userId, member.handle));
    }
    for (const [key, li] of this.elements) {
      const seen = li.querySelector('.seen');
      if (!seen) continue;
      const names = seenBy.get(key);
      seen.hidden = !names;
      seen.textContent = names ? `Seen by ${names.join(', ')}` : '';
    }
  }

  /** Moves my read cursor to the newest message while the page is visible. */
  markRead() {
    if (document.visibilityState !== 'visible' || this.closed) return;
    const ids = [...this.messages.keys()].sort(compareIds);
    const newest = ids[ids.length - 1];
    if (!newest || compareIds(newest, this.myCursor) <= 0) return;
    this.myCursor = newest;
    api.put(`${this.target.basePath}/cursor`, { messageId: newest })
      .then(() => this.context.onMyCursor(this.target))
      .catch(() => { this.myCursor = '0'; });
  }
}
