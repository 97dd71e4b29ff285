// Pusher features beyond presence, driven with the real pusher-js (Node build) against two gateways (GATEWAY_PORT
// and GATEWAY_B_PORT; the HTTP API calls go to the first): cache channels (the last event, or pusher:cache_miss, right after subscribing), subscription
// counts (pusher:subscription_count), and encrypted channels (a server event encrypted by a server SDK, decrypted
// here). Prints "step:<name>" lines when the Java test must act, then one JSON line with what it saw; exit 0, or
// an error line and exit 1. Channel auth is signed here with the development app secret, as a backend would.
// "Exactly once" and "the last count" are exact: once everything awaited is in, a marker event is triggered on the
// cache and count channels, and what they got is read when the marker is there, sequenced after all of it.
const crypto = require('crypto');
const Pusher = require('pusher-js');
const api = require('./http-api.cjs');

const ports = [Number(process.env.GATEWAY_PORT), Number(process.env.GATEWAY_B_PORT)];
const masterKey = Buffer.from(process.env.MASTER_KEY_BASE64, 'base64');
const sign = (text) => 'app-key:' + crypto.createHmac('sha256', 'app-secret').update(text).digest('hex');

function client(port) {
  return new Pusher('app-key', {
    wsHost: '127.0.0.1', wsPort: port, forceTLS: false, enabledTransports: ['ws'], cluster: 'local',
    channelAuthorization: {
      customHandler: ({ socketId, channelName }, callback) => {
        const answer = { auth: sign(`${socketId}:${channelName}`) };
        if (channelName.startsWith('private-encrypted-')) {
          // what /pusher/auth answers: base64(SHA-256(channel name + master key))
          answer.shared_secret = crypto.createHash('sha256').update(Buffer.concat([Buffer.from(channelName), masterKey])).digest('base64');
        }
        callback(null, answer);
      },
    },
  });
}

const fail = (why) => { console.log(JSON.stringify({ ok: false, why })); process.exit(1); };
setTimeout(() => fail('timed out: ' + JSON.stringify(seen)), 55000);
const seen = { cached: [], cacheMisses: 0, emptyCacheEvents: [], counts: [], decrypted: null };
const marked = new Set(); // channels whose marker arrived
let markerSent = false;
const done = () => {
  if (!markerSent && seen.cached.length && seen.cacheMisses && seen.counts.includes(2) && seen.decrypted) {
    markerSent = true;
    const channels = [process.env.CACHE_CHANNEL, process.env.CACHE_EMPTY, process.env.COUNT_CHANNEL];
    api.trigger(ports[0], channels, 'marker', '{}').catch((e) => fail(String(e)));
  }
};
const marker = (channel) => () => {
  marked.add(channel);
  if (marked.size === 3) {
    console.log(JSON.stringify({ ok: true, ...seen }));
    process.exit(0);
  }
};

const a = client(ports[0]);
const b = client(ports[1]);

// cache channels: CACHE_CHANNEL had an event triggered (through the other gateway) before we came; CACHE_EMPTY never had one
const cached = b.subscribe(process.env.CACHE_CHANNEL);
cached.bind('pusher:subscription_error', (e) => fail(`cache subscription_error ${JSON.stringify(e)}`));
cached.bind('news', (data) => { seen.cached.push(data); done(); });
cached.bind('pusher:cache_miss', () => fail('a cache_miss on a channel with an event'));
cached.bind('marker', marker('cached'));
const empty = b.subscribe(process.env.CACHE_EMPTY);
empty.bind('pusher:cache_miss', () => { seen.cacheMisses++; done(); });
empty.bind('news', (data) => seen.emptyCacheEvents.push(data));
empty.bind('marker', marker('empty'));

// subscription counts: two subscribers of one public channel, one on each gateway
const counted = a.subscribe(process.env.COUNT_CHANNEL);
counted.bind('pusher:subscription_count', (data) => { seen.counts.push(data.subscription_count); done(); });
counted.bind('pusher:subscription_succeeded', () => b.subscribe(process.env.COUNT_CHANNEL));
counted.bind('marker', marker('counted'));

// encrypted channels: once subscribed, the Java test triggers an encrypted event with a server SDK
const secret = a.subscribe(process.env.ENCRYPTED_CHANNEL);
secret.bind('pusher:subscription_error', (e) => fail(`encrypted subscription_error ${JSON.stringify(e)}`));
secret.bind('pusher:subscription_succeeded', () => console.log('step:encrypted-subscribed'));
secret.bind('secret-news', (data) => { seen.decrypted = data; done(); });
