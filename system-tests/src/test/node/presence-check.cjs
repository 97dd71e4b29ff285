// Two pusher-js clients join one presence channel on the gateway given by GATEWAY_PORT; prints one JSON line
// with what they saw and exits 0, or prints an error and exits 1. Channel auth is signed here with the
// development app secret, as a backend would sign it.
const crypto = require('crypto');
const Pusher = require('pusher-js');

const port = Number(process.env.GATEWAY_PORT);
const channelName = `presence-js-${Date.now()}`;
const sign = (text) => 'app-key:' + crypto.createHmac('sha256', 'app-secret').update(text).digest('hex');

function client(userId) {
  return new Pusher('app-key', {
    wsHost: '127.0.0.1', wsPort: port, forceTLS: false, enabledTransports: ['ws'], cluster: 'local',
    channelAuthorization: {
      customHandler: ({ socketId, channelName: name }, callback) => {
        const channelData = JSON.stringify({ user_id: userId, user_info: { id: userId, name: `user ${userId}` } });
        callback(null, { auth: sign(`${socketId}:${name}:${channelData}`), channel_data: channelData });
      },
    },
  });
}

const fail = (why) => { console.log(JSON.stringify({ ok: false, why })); process.exit(1); };
setTimeout(() => fail('timed out'), 50000); // a ceiling for a loaded machine, under PusherJsIT's 60 s

const ana = client('ana');
const seen = { anaCountOnJoin: 0, added: null, removed: null, clientEvent: null, socketId: null };
const anaChannel = ana.subscribe(channelName);
anaChannel.bind('pusher:subscription_error', (e) => fail(`ana subscription_error ${JSON.stringify(e)}`));
anaChannel.bind('pusher:subscription_succeeded', (members) => {
  seen.anaCountOnJoin = members.count;
  seen.socketId = ana.connection.socket_id;
  const bob = client('bob');
  const bobChannel = bob.subscribe(channelName);
  bobChannel.bind('pusher:subscription_succeeded', (bobMembers) => {
    seen.bobCountOnJoin = bobMembers.count;
    bobChannel.trigger('client-hello', { from: 'bob' });
  });
  anaChannel.bind('client-hello', (data, meta) => {
    seen.clientEvent = { data, userId: meta && meta.user_id };
    bob.disconnect();
  });
  anaChannel.bind('pusher:member_added', (m) => { seen.added = m.id; });
  anaChannel.bind('pusher:member_removed', (m) => {
    seen.removed = m.id;
    seen.anaCountAtEnd = anaChannel.members.count;
    console.log(JSON.stringify({ ok: true, ...seen }));
    ana.disconnect();
    process.exit(0);
  });
});
