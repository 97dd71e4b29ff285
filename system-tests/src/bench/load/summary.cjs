// Medians per server and scenario from bench-vs-soketi.sh's results (one JSON line per run), as a Markdown table
// with the ratio gateway / soketi. The gateway's CPU is shown alone and with the Redis it keeps presence in. When the
// run holds an earlier build of the gateway ("baseline", BENCH_BASELINE_JAR), its column and gateway / baseline follow.
'use strict';
const fs = require('fs');

const runs = fs.readFileSync(process.argv[2], 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
const median = (values) => {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (!v.length) return NaN;
  return v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
};
const of = (server, scenario) => runs.filter((r) => r.server === server && r.result.scenario === scenario);
const serverCpu = (r) => r.result.cpuSeconds[r.serverPid];
const otherCpu = (r) => Object.entries(r.result.cpuSeconds).filter(([pid]) => pid !== r.serverPid).reduce((s, [, v]) => s + v, 0);

const rows = [];
const withBaseline = runs.some((r) => r.server === 'baseline');
function row(label, scenario, pick, digits = 2) {
  const g = median(of('gateway', scenario).map(pick));
  const s = median(of('soketi', scenario).map(pick));
  let line = `| ${label} | ${s.toFixed(digits)} | ${g.toFixed(digits)} | ${(g / s).toFixed(2)}x |`;
  if (withBaseline) {
    const b = median(of('baseline', scenario).map(pick));
    line += ` ${b.toFixed(digits)} | ${(g / b).toFixed(2)}x |`;
  }
  rows.push(line);
}

const n = (scenario) => (of('gateway', scenario)[0] || of('soketi', scenario)[0] || { result: { n: '?' } }).result.n;
row(`join storm (${n('join')} users): server CPU-seconds`, 'join', serverCpu);
row(`join storm: server + Redis CPU-seconds (soketi: no Redis)`, 'join', (r) => serverCpu(r) + (r.server !== 'soketi' ? otherCpu(r) : 0));
row('join storm: wall seconds until every socket knows everyone', 'join', (r) => r.result.wallMs / 1000);
row(`fan-out to ${n('fanout')} subscribers: p50 ms`, 'fanout', (r) => r.result.p50Ms);
row('fan-out: p99 ms', 'fanout', (r) => r.result.p99Ms);
row('fan-out (300 events): server CPU-seconds', 'fanout', serverCpu);
row(`triggers to ${n('triggers')} subscribers for 15 s: server CPU-seconds`, 'triggers', serverCpu);
row('triggers: server + Redis CPU-seconds', 'triggers', (r) => serverCpu(r) + (r.server !== 'soketi' ? otherCpu(r) : 0));
row('triggers: frames delivered / expected', 'triggers', (r) => r.result.delivered / r.result.expected, 3);
row(`${n('idle')} idle connections: KiB per connection`, 'idle', (r) => r.result.kibPerConnection[r.serverPid]);
row('idle: connects per second', 'idle', (r) => r.result.connectsPerSecond, 0);
row('idle, warm server (the same again after closing them): KiB per connection', 'idle-warm', (r) => r.result.kibPerConnection[r.serverPid]);
row('idle, warm server: connects per second', 'idle-warm', (r) => r.result.connectsPerSecond, 0);
row('RSS at rest after start-up (MiB)', 'idle', (r) => r.restKiB / 1024, 0);

console.log(`\n${runs.length} runs; medians per server and scenario\n`);
console.log('| measure | soketi 1.6.1 | gateway | gateway / soketi |' + (withBaseline ? ' baseline | gateway / baseline |' : ''));
console.log('|---|---|---|---|' + (withBaseline ? '---|---|' : ''));
rows.forEach((r) => console.log(r));
const incomplete = runs.filter((r) => (r.result.expected && r.result.delivered !== r.result.expected) || r.result.timedOut);
if (incomplete.length) {
  console.log(`\n${incomplete.length} runs did not deliver every expected frame (see results.jsonl)`);
}
