// The watchlist with the real pusher-js (Node build) across two gateways (GATEWAY_A_PORT, GATEWAY_B_PORT): watcher
// tabs sign in with a watchlist and record every event of pusher.user.watchlist; the watched users come and go
// with several connections on both gateways. Prints one JSON line with what each watcher tab saw; exit 0, or an
// error line and exit 1. Channel auth and sign-in are signed here with the development app secret, as a backend would.
// "Nothing may arrive" is exact, not a wait: the watchers' events come in order on their own channel, so a watched
// user (carol) who comes or goes only after the moment in question is a marker: hers must be the next event.
const crypto = require('crypto');
const Pusher = require('pusher-js');

const ports = { a: Number(process.env.GATEWAY_A_PORT), b: Number(process.env.GATEWAY_B_PORT) };
const run = process.env.RUN;
const sign = (text) => 'app-key:' + crypto.createHmac('sha256', 'app-secret').update(text).digest('hex');
const id = (name) => `${name}-${run}`;
const lobby = `presence-lobby-${run}`;

function client(gateway, user, watchlist) {
  return new Pusher('app-key', {
    wsHost: '127.0.0.1', wsPort: ports[gateway], forceTLS: false, enabledTransports: ['ws'], cluster: 'local',
    channelAuthorization: {
      customHandler: ({ socketId, channelName }, callback) => {
        const channelData = JSON.stringify({ user_id: user, user_info: { name: user } });
        callback(null, { auth: sign(`${socketId}:${channelName}:${channelData}`), channel_data: channelData });
      },
    },
    userAuthentication: {
      customHandler: ({ socketId }, callback) => {
        const userData = JSON.stringify({ id: user, watchlist });
        callback(null, { auth: sign(`${socketId}::user::${userData}`), user_data: userData });
      },
    },
  });
}

const fail = (why) => { console.log(JSON.stringify({ ok: false, why, seen })); process.exit(1); };
setTimeout(() => fail('timed out'), 65000);
const seen = {};
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
/** Waits for the test to pass (checked every 50 ms), up to a ceiling meant for a loaded machine. */
const until = async (what, test) => {
  for (const deadline = Date.now() + 30000; Date.now() < deadline;) {
    if (test()) return;
    await sleep(50);
  }
  fail(`waited in vain for ${what}`);
};
/** Both watcher tabs have seen this many events. */
const both = (count) => () => seen.w1.length === count && seen.w2.length === count;

/** A watcher tab: signs in and records every watchlist event as "online:ids" / "offline:ids". */
function watcher(tab, gateway, user, watchlist) {
  const events = (seen[tab] = []);
  const pusher = client(gateway, user, watchlist);
  for (const name of ['online', 'offline']) {
    pusher.user.watchlist.bind(name, (event) => events.push(`${event.name}:${[...event.user_ids].sort().join(',')}`));
  }
  pusher.signin();
  return pusher;
}

/** A connection of a watched user, present in a presence channel (online while connected). */
async function presentIn(gateway, user) {
  const pusher = client(gateway, user, []);
  let joined = false;
  const channel = pusher.subscribe(lobby);
  channel.bind('pusher:subscription_succeeded', () => { joined = true; });
  channel.bind('pusher:subscription_error', (e) => fail(`presence subscription_error ${JSON.stringify(e)}`));
  await until(`${user} joining`, () => joined);
  return pusher;
}

/** A signed-in connection of a watched user (online while connected, no channel needed). */
async function signedIn(gateway, user) {
  const pusher = client(gateway, user, []);
  let done = false;
  pusher.bind('pusher:signin_success', () => { done = true; });
  pusher.signin();
  await until(`${user} signing in`, () => done);
  return pusher;
}

async function main() {
  const [ana, bob, carol] = [id('ana'), id('bob'), id('carol')];
  const bobTab = await presentIn('b', bob); // online before anyone watches

  watcher('w1', 'a', id('watcher'), [ana, bob, carol]);
  await until('the first tab\'s initial state', () => seen.w1.length === 2);
  watcher('w2', 'b', id('watcher'), [ana, bob, carol]);
  await until('the second tab\'s initial state', () => seen.w2.length === 2);

  // ana comes with three connections on two gateways: one online each
  const anaTabs = [await signedIn('a', ana), await presentIn('b', ana), await presentIn('a', ana)];
  await until('ana online', both(3));
  // ana leaves the lobby on both gateways (her only connection on b) and stays signed in on a: still online. Bob, in
  // the lobby, is told she left once both gateways have handled her leaving; only then does carol come online
  let anaLeftLobby = false;
  bobTab.channel(lobby).bind('pusher:member_removed', (member) => { anaLeftLobby ||= member.id === ana; });
  anaTabs[1].disconnect();
  anaTabs[2].disconnect();
  await until('ana leaving the lobby', () => anaLeftLobby);
  const carolTab = await signedIn('b', carol);
  await until('carol online, the next event', both(4));
  anaTabs[0].disconnect();
  await until('ana offline', both(5));

  bobTab.disconnect();
  await until('bob offline', both(6));
  const back = await signedIn('b', bob);
  await until('bob back', both(7));
  back.disconnect();
  await until('bob gone again', both(8));
  // nothing more may come about bob: carol's going offline, caused only now, must be the next event
  carolTab.disconnect();
  await until('carol offline, the next event', both(9));
  console.log(JSON.stringify({ ok: true, ana, bob, carol, seen }));
  process.exit(0);
}

main().catch((e) => fail(String(e && e.stack || e)));
