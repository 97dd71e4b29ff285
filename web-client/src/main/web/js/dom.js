// Small DOM helpers. User text only ever goes in through textContent (never innerHTML), so nothing a user
// types can become markup.

/** Element by id; throws early when the page and the code disagree. */
export function byId(id) {
  const element = document.getElementById(id);
  if (!element) throw new Error(`#${id} is missing from the page`);
  return element;
}

/**
 * Creates an element: `h('li', {class: 'x', dataset: {id: '1'}, onclick: fn}, 'text', child)`.
 * Strings become text nodes; null and false children are skipped.
 */
export function h(tag, props = {}, ...children) {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') element.className = value;
    else if (key === 'dataset') Object.assign(element.dataset, value);
    else if (key.startsWith('on') && typeof value === 'function') element.addEventListener(key.slice(2), value);
    else if (key === 'text') element.textContent = value;
    else if (value === true) element.setAttribute(key, '');
    else element.setAttribute(key, String(value));
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(element, child);
    else element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces all children of an element. */
export function replaceChildren(element, ...children) {
  element.replaceChildren();
  append(element, children);
}

/** A status badge: the word, coloured by status. */
export function badge(status) {
  const word = status || 'offline';
  return h('span', { class: 'badge', dataset: { status: word } }, word);
}

/** The name to show for a user: display name when there is one, else the handle. */
export function displayName(user) {
  return (user && (user.displayName || user.handle)) || 'someone';
}

/**
 * The one naming rule of the page: the display name first, the handle after it in grey, the handle only once when
 * there is no display name. Returns the two spans (the second may be null) for a list row or a card.
 */
export function personName(user, note = '') {
  const handle = user && user.handle;
  const name = displayName(user);
  const secondary = handle && name !== handle ? `@${handle}` : '';
  const text = [secondary, note].filter(Boolean).join(' ');
  return [h('span', { class: 'person-name' }, name), text ? h('span', { class: 'person-handle' }, text) : null];
}
