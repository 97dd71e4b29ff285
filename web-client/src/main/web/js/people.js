// Who is online (the app-wide presence channel), my own status, and last seen of offline contacts.
import { api } from './api.js';
import { h, replaceChildren, badge, displayName, personName, byId } from './dom.js';
import { toDate } from './time.js';
import { ago, endOfToday } from './time.js';

/** The app-wide presence channel every logged-in user joins: the "Online now" list. */
export const ONLINE_CHANNEL = 'presence-online';

/** Idle time before auto-away; ?idleMs=... in the address shortens it (used by the browser tests). */
export function idleLimitMs() {
  const fromUrl = Number(new URLSearchParams(location.search).get('idleMs'));
  return fromUrl > 0 ? fromUrl : 10 * 60 * 1000;
}

export class People {
  constructor({ me, onChange }) {
    this.me = me;
    this.onChange = onChange; // someone's presence or status changed: re-render what shows it
    this.online = new Map(); // userId -> user_info {id, handle, displayName, status, text}
    this.known = new Map(); // userId -> {handle, displayName} from any source
    this.lastSeen = new Map(); // userId -> {online, lastSeen}
    this.myStatus = { status: 'online', text: me.status || '' };
    this.remember(me);
  }

  remember(user) {
    if (user && user.id) this.known.set(String(user.id), { ...this.known.get(String(user.id)), ...user });
  }

  name(id, fallbackHandle) {
    const user = this.online.get(id) || this.known.get(id);
    return user ? displayName(user) : fallbackHandle || `user ${id}`;
  }

  /** Status word of a user as others see it: offline when not in the presence channel. */
  status(id) {
    if (id === this.me.id) return this.myStatus.status;
    const info = this.online.get(id);
    return info ? info.status || 'online' : 'offline';
  }

  /** An event of the presence-online channel. */
  handle(event, data) {
    if (event === 'pusher:subscription_succeeded') {
      this.online.clear();
      data.each((member) => this.setOnline(member.id, member.info));
      if (data.me && data.me.info) this.applyMine(data.me.info);
    } else if (event === 'pusher:member_added') {
      this.setOnline(data.id, data.info);
    } else if (event === 'pusher:member_removed') {
      this.online.delete(data.id);
      // they left this moment: say so at once; the server's record (made as the last connection closed) follows
      this.lastSeen.set(String(data.id), { userId: String(data.id), online: false, lastSeen: Date.now() });
      setTimeout(() => this.refreshLastSeen([data.id]), 500);
    } else if (event === 'pusher:member_updated') {
      const id = String(data.user_id);
      if (id === this.me.id) this.applyMine(data.user_info || {});
      else this.setOnline(id, data.user_info);
    } else {
      return;
    }
    this.onChange();
  }

  setOnline(id, info) {
    const user = { ...(info || {}), id: String(id) };
    this.online.set(user.id, user);
    this.remember(user);
  }

  applyMine(info) {
    this.myStatus = { status: info.status || 'online', text: info.text || '' };
    if (this.online.has(this.me.id)) this.online.set(this.me.id, { ...this.online.get(this.me.id), ...info });
  }

  /** Asks presence-service about users not online (for "last seen ... ago"). */
  async refreshLastSeen(ids) {
    const wanted = [...new Set(ids.map(String))];
    if (wanted.length === 0) return;
    try {
      const answer = await api.post('/api/presence/users/query', { ids: wanted });
      for (const u of answer.users) {
        const id = String(u.userId);
        const known = this.lastSeen.get(id);
        // an answer asked for before someone left may carry an older "last seen": never go back in time
        if (known && !this.online.has(id) && toMs(known.lastSeen) > toMs(u.lastSeen)) continue;
        this.lastSeen.set(id, u);
      }
      this.onChange();
    } catch {
      // last seen is a nicety: the list still shows who is online
    }
  }

  lastSeenText(id) {
    const entry = this.lastSeen.get(id);
    return entry && entry.lastSeen ? `last seen ${ago(entry.lastSeen)}` : 'not seen yet';
  }

  /** True while I am invisible: the others do not see me in any list. */
  invisible() {
    return this.myStatus.status === 'invisible';
  }

  /**
   * The "Online now" list; each person opens their card ({@code onPick(user)}). The count is the one everybody
   * else sees: an invisible me is listed (marked) but not counted.
   */
  renderOnline(list, countElement, onPick) {
    const members = [...this.online.values()].sort((a, b) => {
      if (a.id === this.me.id) return -1;
      if (b.id === this.me.id) return 1;
      return displayName(a).localeCompare(displayName(b));
    });
    const counted = members.filter((m) => !(m.id === this.me.id && this.invisible())).length;
    countElement.textContent = String(counted);
    countElement.setAttribute('aria-label', `${counted} online`);
    const others = members.filter((m) => m.id !== this.me.id).length;
    replaceChildren(list, members.map((m) => {
      const own = m.id === this.me.id;
      const note = own ? (this.invisible() ? '(you, invisible: others see you as offline)' : '(you)') : '';
      return h('li', { dataset: { userId: m.id, handle: m.handle || '' }, class: own && this.invisible() ? 'invisible-me' : null },
        badge(own ? this.myStatus.status : m.status || 'online'),
        h('button', { type: 'button', class: 'person-open', 'aria-haspopup': 'dialog', onclick: () => onPick(m) },
          ...personName(m, note)),
        m.text ? h('span', { class: 'person-text' }, m.text) : null);
    }), others === 0 ? h('li', { class: 'hint empty-state' }, 'Nobody else is online right now.') : null);
  }
}

function toMs(value) {
  const date = toDate(value);
  return date ? date.getTime() : 0;
}

/** Expiry choice -> fields of the status update. */
function expiryFields(choice) {
  if (choice === '30m') return { expiresIn: 1800 };
  if (choice === '1h') return { expiresIn: 3600 };
  if (choice === 'today') return { expiresAt: endOfToday() };
  return {};
}

/** The status editor in the header: text saved on Enter or blur, availability and expiry, auto-away. */
export class StatusEditor {
  constructor(people) {
    this.people = people;
    this.text = byId('status-text');
    this.select = byId('status-select');
    this.expiry = byId('status-expiry');
    this.meBadge = byId('me-badge');
    this.autoAway = false;
    this.idleTimer = null;

    this.text.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') {
        e.preventDefault();
        this.saveText();
      } else if (e.key === 'Escape') {
        this.text.value = this.people.myStatus.text;
        this.text.blur();
      }
    });
    this.text.addEventListener('blur', () => this.saveText());
    this.select.addEventListener('change', () => {
      this.autoAway = false;
      this.save({ status: this.select.value, text: this.text.value.trim() });
    });
    this.expiry.addEventListener('change', () => this.save({ status: this.select.value, text: this.text.value.trim() }));

    this.onActivity = () => this.activity();
    for (const event of ['pointerdown', 'pointermove', 'keydown', 'wheel', 'touchstart', 'focus']) {
      window.addEventListener(event, this.onActivity, { passive: true });
    }
    this.activity();
  }

  saveText() {
    const text = this.text.value.trim();
    if (text === this.people.myStatus.text) return;
    this.save({ text });
  }

  async save(fields) {
    const body = { ...fields, ...expiryFields(this.expiry.value) };
    try {
      const answer = await api.put(`/api/presence/users/${this.people.me.id}/status`, body);
      this.people.applyMine({ status: answer.status, text: answer.text || '' });
      this.render();
      this.people.onChange();
    } catch (e) {
      this.text.setCustomValidity(e.message);
      this.text.reportValidity();
      setTimeout(() => this.text.setCustomValidity(''), 3000);
    }
  }

  /** Shows my current status unless I am editing it. */
  render() {
    const { status, text } = this.people.myStatus;
    if (document.activeElement !== this.text) this.text.value = text;
    if (document.activeElement !== this.select) this.select.value = status;
    this.meBadge.dataset.status = status;
    this.meBadge.textContent = status;
  }

  /** Any input: restart the idle clock, and come back from auto-away. */
  activity() {
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => this.idle(), idleLimitMs());
    if (this.autoAway) {
      this.autoAway = false;
      if (this.people.myStatus.status === 'away') this.save({ status: 'online' });
    }
  }

  idle() {
    if (this.people.myStatus.status === 'online') {
      this.autoAway = true;
      this.save({ status: 'away' });
    }
  }

  stop() {
    clearTimeout(this.idleTimer);
    for (const event of ['pointerdown', 'pointermove', 'keydown', 'wheel', 'touchstart', 'focus']) {
      window.removeEventListener(event, this.onActivity);
    }
  }
}
