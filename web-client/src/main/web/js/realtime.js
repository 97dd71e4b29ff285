// The one pusher-js connection of the page: connection state for the header, and channels that dispatch their
// events to whoever listens, so views can come and go without rebinding pusher-js channels.
import Pusher from 'pusher-js';

/** Pusher app key: ?key=... in the address, else the page's <meta name="pusher-key">, else the development key. */
export function appKey() {
  const fromUrl = new URLSearchParams(location.search).get('key');
  const meta = document.querySelector('meta[name="pusher-key"]');
  return fromUrl || (meta && meta.content) || 'app-key';
}

/**
 * This page's client id: 128 random bits, URL-safe. With it in wsPath the connection is resumable: when pusher-js
 * reconnects (network lost, gateway drained) and subscribes again, each channel gets every event it missed, once, or
 * pusher:events_missed when they are gone (README, "Resume across reconnects").
 */
function newClientId() {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Direct conversation channel of two users: private-dm-{a}-{b} with a < b as numbers. */
export function directChannel(a, b) {
  const [low, high] = BigInt(a) < BigInt(b) ? [a, b] : [b, a];
  return `private-dm-${low}-${high}`;
}

/** Every channel event the page listens to. */
const EVENTS = ['pusher:subscription_succeeded', 'pusher:subscription_error', 'pusher:member_added',
  'pusher:member_removed', 'pusher:member_updated', 'pusher:events_missed', 'message', 'message_updated', 'message_deleted',
  'read_cursor', 'client-typing',
  // my own channel (private-user-{id}) and the rooms directory: see "Events for clients" in docs/api.md
  'contact_request', 'contact_accepted', 'contact_declined', 'contact_request_cancelled', 'contact_removed', 'block_changed',
  'room_invitation', 'invitation_removed', 'membership_changed', 'unread', 'room_created', 'room_renamed', 'room_deleted'];

/** My own channel, where the servers tell me what changed for me. */
export function userChannel(id) {
  return `private-user-${id}`;
}

/** The public channel of the public rooms directory. */
export const ROOMS_DIRECTORY = 'rooms-directory';

export class Realtime {
  /**
   * @param onState called with 'connecting' | 'connected' | 'reconnecting' | 'offline'
   * @param onReconnected called when the connection is back after a loss (channels are resubscribed by pusher-js and
   *        resumed: what they missed follows, or pusher:events_missed when it is gone)
   */
  constructor({ onState, onReconnected }) {
    this.pusher = new Pusher(appKey(), {
      wsHost: location.hostname,
      wsPath: `/c/${newClientId()}`,
      wsPort: Number(location.port) || 80,
      wssPort: Number(location.port) || 443,
      forceTLS: location.protocol === 'https:',
      enabledTransports: ['ws', 'wss'],
      disableStats: true,
      cluster: 'local',
      channelAuthorization: { endpoint: '/pusher/auth', transport: 'ajax' },
    });
    this.listeners = new Map(); // channel name -> Set of (event, data, metadata) => void
    let everConnected = false;
    let lost = false;
    this.pusher.connection.bind('state_change', ({ current }) => {
      if (current === 'connected') {
        onState('connected');
        if (lost) onReconnected();
        everConnected = true;
        lost = false;
      } else if (current === 'connecting' || current === 'unavailable' || current === 'initialized') {
        if (everConnected) lost = true;
        onState(everConnected ? 'reconnecting' : 'connecting');
      } else if (current === 'failed') {
        onState('offline');
      } else if (current === 'disconnected') {
        if (everConnected) lost = true;
        onState('offline');
      }
    });
  }

  /** Subscribes (once) and routes every event of the channel to the listener; returns the pusher-js channel. */
  subscribe(name, listener) {
    const fresh = !this.pusher.channel(name);
    // also when pusher-js still holds the channel (an unsubscribe while pending): subscribe() takes it up again
    const channel = this.pusher.subscribe(name);
    if (fresh) {
      // bind_global would lose the metadata (user_id of client events), so bind each event the page uses
      for (const event of EVENTS) {
        channel.bind(event, (data, metadata) => {
          const set = this.listeners.get(name);
          if (set) for (const l of set) l(event, data, metadata || {});
        });
      }
      this.retryOnError(name, channel);
    }
    if (!this.listeners.has(name)) this.listeners.set(name, new Set());
    if (listener) this.listeners.get(name).add(listener);
    return channel;
  }

  /**
   * pusher-js never retries a refused subscription; the refusal may be passing (a backend restarting, a membership
   * just committed), so try again with a growing delay while someone still wants the channel.
   */
  retryOnError(name, channel) {
    let delay = 1000;
    channel.bind('pusher:subscription_error', (error) => {
      console.warn(`subscription to ${name} refused`, error && error.status);
      setTimeout(() => {
        if (!this.listeners.has(name) || this.pusher.connection.state !== 'connected') return;
        const current = this.pusher.channel(name);
        if (current && !current.subscribed && !current.subscriptionPending) {
          current.subscribe();
        }
      }, delay);
      delay = Math.min(delay * 2, 30000);
    });
    channel.bind('pusher:subscription_succeeded', () => {
      delay = 1000;
    });
  }

  channel(name) {
    return this.pusher.channel(name);
  }

  unsubscribe(name) {
    this.listeners.delete(name);
    if (this.pusher.channel(name)) this.pusher.unsubscribe(name);
  }

  subscribedNames() {
    return [...this.listeners.keys()];
  }

  disconnect() {
    this.listeners.clear();
    this.pusher.disconnect();
  }
}
