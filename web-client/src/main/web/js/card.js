// A person's card, opened from "Online now", contacts and room members: name, handle, status, last seen, and what
// I can do with them (add as a contact, accept their request, message them). A modal <dialog>: focus moves into it,
// Escape closes it and focus returns to the row it came from.
import { byId, displayName } from './dom.js';

export class PersonCard {
  /**
   * @param people the People of the page (status, last seen)
   * @param relation (user) => {contact, incoming (their pending request or null), outgoing, blocked}
   * @param onAdd, onAccept, onMessage what the buttons do; onAdd/onAccept return promises
   */
  constructor({ people, relation, onAdd, onAccept, onMessage }) {
    this.people = people;
    this.relation = relation;
    this.dialog = byId('person-card');
    this.user = null;
    this.opener = null;
    this.bindings = [
      [byId('card-add'), () => this.act(() => onAdd(this.user))],
      [byId('card-accept'), () => this.act(() => onAccept(this.relation(this.user).incoming))],
      [byId('card-message'), () => {
        const user = this.user;
        this.close();
        onMessage(user);
      }],
      [byId('card-close'), () => this.close()],
    ];
    for (const [button, handler] of this.bindings) button.onclick = handler;
    this.dialog.onclose = () => {
      this.user = null;
      if (this.opener && this.opener.isConnected) this.opener.focus();
    };
  }

  open(user) {
    this.user = { ...user, id: String(user.id) };
    this.opener = document.activeElement;
    this.render();
    if (!this.dialog.open) this.dialog.showModal();
    const first = [byId('card-message'), byId('card-accept'), byId('card-add'), byId('card-close')].find((b) => !b.hidden && !b.disabled);
    first.focus();
  }

  /** Shows the current state of the open card's person (called again whenever presence or contacts change). */
  render() {
    if (!this.user) return;
    const { people } = this;
    const id = this.user.id;
    const own = id === people.me.id;
    const user = { ...(people.known.get(id) || {}), ...this.user, ...(people.online.get(id) || {}) };
    byId('card-name').textContent = displayName(user);
    byId('card-handle').textContent = user.handle ? `@${user.handle}` : '';
    const status = people.status(id);
    const badge = byId('card-status');
    badge.dataset.status = status;
    badge.textContent = status;
    byId('card-text').textContent = (people.online.get(id) || (own ? people.myStatus : {})).text || '';
    byId('card-seen').textContent = own ? 'This is you.'
      : people.online.has(id) ? 'Online now' : people.lastSeenText(id);
    const r = own ? {} : this.relation(user);
    byId('card-add').hidden = own || r.contact || r.outgoing || Boolean(r.incoming) || r.blocked;
    byId('card-accept').hidden = own || !r.incoming;
    byId('card-message').hidden = own;
    byId('card-message').disabled = !r.contact;
    byId('card-message').title = r.contact ? '' : 'You can message contacts once they accept';
    byId('card-note').textContent = own || r.contact ? ''
      : r.outgoing ? 'Request sent: you can message once it is accepted.'
        : r.incoming ? 'They asked to be your contact.' : r.blocked ? 'You blocked this person.'
          : 'Add them as a contact to message them.';
  }

  async act(call) {
    try {
      await call();
      this.render();
    } catch (err) {
      this.render();
      byId('card-note').textContent = err.message;
    }
  }

  close() {
    if (this.dialog.open) this.dialog.close();
  }
}
