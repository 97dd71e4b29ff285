// The gateway's Pusher HTTP API as a backend calls it (development app: app-id, app-key, app-secret), for the checks
// that send marker events: a marker triggered after an event goes down the same channel, sequenced after it.
const crypto = require('crypto');
const http = require('http');

/** Triggers one event on the channels through the gateway at `port`, signed as pusher-http-* signs it. */
function trigger(port, channels, name, data) {
  const body = JSON.stringify({ name, channels, data });
  const params = { auth_key: 'app-key', auth_timestamp: Math.floor(Date.now() / 1000).toString(), auth_version: '1.0',
    body_md5: crypto.createHash('md5').update(body).digest('hex') };
  const query = Object.keys(params).sort().map((k) => `${k}=${params[k]}`).join('&');
  const signature = crypto.createHmac('sha256', 'app-secret').update(`POST\n/apps/app-id/events\n${query}`).digest('hex');
  return new Promise((resolve, reject) => {
    const req = http.request(`http://127.0.0.1:${port}/apps/app-id/events?${query}&auth_signature=${signature}`,
      { method: 'POST', headers: { 'Content-Type': 'application/json' } }, (res) => {
        res.resume();
        res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`trigger ${name} answered ${res.statusCode}`))));
      });
    req.on('error', reject);
    req.end(body);
  });
}

module.exports = { trigger };
