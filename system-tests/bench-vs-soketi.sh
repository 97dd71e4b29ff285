#!/usr/bin/env bash
# The gateway next to soketi 1.6.1 (the reference server), alternating in one run, measured by the server's own
# CPU-seconds and RSS (/proc) with a light raw-WebSocket load client (src/bench/load/load.cjs).
#
#   system-tests/bench-vs-soketi.sh [rounds=2] [joinUsers=1000] [fanoutSubs=1000] [triggerSubs=100] [idleConns=10000]
#
# Needs: the packaged gateway (./mvnw -q package -pl gateway-service -am -DskipTests), Node.js and npm (soketi
# and ws are installed under system-tests/target/bench), and the Redis of the suite (127.0.0.1:6379; the gateway
# keeps presence there, so its CPU is reported too: soketi keeps presence in its own memory). Where the machine has
# two cores the servers run on core 0 and the load client on core 1 (taskset); Redis is not moved.
# Each scenario runs on a fresh server, once to warm it up and once measured (idle: measured only, on a fresh
# server, then once more on the same, now warm, server as "idle-warm"). BENCH_SCENARIOS picks some of "join fanout triggers idle". Prints one JSON line per measured
# run, then a Markdown table of medians and ratios (gateway / soketi).
# BENCH_BASELINE_JAR=<quarkus-run.jar of an earlier build> adds that gateway as a third server ("baseline") in the
# same alternation, and the table gains a column gateway / baseline: a before-and-after of a change in one run.
# (Build the earlier one in a worktree: git worktree add /tmp/before <rev> && cd /tmp/before && ./mvnw -q -o package -pl gateway-service -am -DskipTests)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
ROUNDS=${1:-2}
JOIN=${2:-1000}
FANOUT=${3:-1000}
TRIGGER_SUBS=${4:-100}
IDLE=${5:-10000}
WORK=system-tests/target/bench
GATEWAY_PORT=${BENCH_GATEWAY_PORT:-6101}
SOKETI_PORT=${BENCH_SOKETI_PORT:-6001}
# the gateway image's JVM options (gateway-service/src/main/jvm/jvm.options, which its image runs) with the heap a
# 768 MiB pod gets; BENCH_JAVA_OPTS is added after them (a later option wins)
JAVA_OPTS="@$ROOT/gateway-service/src/main/jvm/jvm.options ${BENCH_JAVA_OPTS:--XX:MaxRAM=768m}"
RESULTS=$WORK/results.jsonl
# a secret of the run's own: the gateway refuses to start outside dev/test with the development one (InsecureDefaults).
# Every load socket comes from 127.0.0.1, so the gateway's per-address socket and handshake limits (100 each, for the
# open internet) are lifted, as is its per-node cap (the idle scenario holds 10,000 and more); soketi has no such limits.
export BENCH_SECRET=${BENCH_SECRET:-$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')}

mkdir -p "$WORK/load" "$WORK/soketi"
cp system-tests/src/bench/load/package.json system-tests/src/bench/load/package-lock.json system-tests/src/bench/load/load.cjs "$WORK/load/"
cp system-tests/src/bench/soketi/package.json "$WORK/soketi/"
(cd "$WORK/load" && npm ci --no-audit --no-fund --silent)
[ -x "$WORK/soketi/node_modules/.bin/soketi" ] || (cd "$WORK/soketi" && npm install --no-audit --no-fund --silent)
JAR=${BENCH_GATEWAY_JAR:-gateway-service/target/quarkus-app/quarkus-run.jar}
[ -f "$JAR" ] || { echo "package the gateway first: ./mvnw -q package -pl gateway-service -am -DskipTests" >&2; exit 1; }
BASELINE_JAR=${BENCH_BASELINE_JAR:-}
[ -z "$BASELINE_JAR" ] || [ -f "$BASELINE_JAR" ] || { echo "no baseline jar at $BASELINE_JAR" >&2; exit 1; }

if [ "$(nproc)" -ge 2 ] && command -v taskset >/dev/null; then
  SERVER_CPU=(taskset -c 0)
  CLIENT_CPU=(taskset -c 1)
else
  SERVER_CPU=()
  CLIENT_CPU=()
fi
REDIS_PID=$(redis-cli -h 127.0.0.1 -p 6379 info server | sed -n 's/^process_id:\([0-9]*\).*/\1/p' | tr -d '\r')
: > "$RESULTS"

server_pid=""
start_server() { # $1: gateway | baseline | soketi
  case "$1" in
    gateway | baseline)
      local jar=$JAR
      [ "$1" = baseline ] && jar=$BASELINE_JAR
      env QUARKUS_HTTP_HOST=127.0.0.1 QUARKUS_HTTP_PORT=$GATEWAY_PORT QUARKUS_MANAGEMENT_HOST=127.0.0.1 QUARKUS_MANAGEMENT_PORT=$((GATEWAY_PORT + 1)) \
        PRESENCE_STORE_KEY_PREFIX="bench-$RANDOM$RANDOM" QUARKUS_LOG_LEVEL=WARN MALLOC_ARENA_MAX=2 \
        PUSHER_SECRET="$BENCH_SECRET" PRESENCE_CONSOLE_ENABLED=false \
        GATEWAY_WEBSOCKET_MAX_CONNECTIONS=100000 GATEWAY_WEBSOCKET_MAX_CONNECTIONS_PER_ADDRESS=100000 \
        GATEWAY_WEBSOCKET_HANDSHAKE_LIMIT=1000000 \
        "${SERVER_CPU[@]}" java $JAVA_OPTS -jar "$jar" > "$WORK/$1.log" 2>&1 &
      server_pid=$!
      port=$GATEWAY_PORT
      until curl -fs "http://127.0.0.1:$GATEWAY_PORT/q/health/ready" > /dev/null 2>&1; do
        kill -0 "$server_pid" 2>/dev/null || { echo "the $1 gateway did not start: see $WORK/$1.log" >&2; exit 1; }
        sleep 0.5
      done
      ;;
    soketi)
      env SOKETI_HOST=127.0.0.1 SOKETI_PORT=$SOKETI_PORT SOKETI_CLUSTER_UNICAST_ADDRESSES=127.0.0.1 \
        SOKETI_DEFAULT_APP_ID=app-id SOKETI_DEFAULT_APP_KEY=app-key SOKETI_DEFAULT_APP_SECRET="$BENCH_SECRET" \
        SOKETI_PRESENCE_MAX_MEMBERS=100000 SOKETI_DEFAULT_APP_ENABLE_CLIENT_MESSAGES=false \
        "${SERVER_CPU[@]}" node "$WORK/soketi/node_modules/@soketi/soketi/bin/server.js" start > "$WORK/soketi.log" 2>&1 &
      server_pid=$!
      port=$SOKETI_PORT
      until curl -fs "http://127.0.0.1:$SOKETI_PORT/" > /dev/null 2>&1; do sleep 0.5; done
      ;;
  esac
  sleep 3 # settle after start-up
}

stop_server() {
  kill "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
}
trap stop_server EXIT

run() { # $1 server, $2 scenario, $3 n
  local pids=$server_pid
  [ "$1" != soketi ] && [ -n "$REDIS_PID" ] && pids="$server_pid,$REDIS_PID"
  local rest_kib
  rest_kib=$(sed -n 's/^VmRSS:\s*\([0-9]*\) kB/\1/p' "/proc/$server_pid/status")
  local line
  # the same scenario once before the measured run: the JVM's JIT (and Node's) warm, as a server in service is;
  # not for idle, whose RSS growth a warm-up would hide (the memory it took stays with the process)
  if [ "$2" != idle ]; then
    (cd "$WORK/load" && PORT=$port SERVER_PIDS=$pids "${CLIENT_CPU[@]}" node load.cjs "$2" "$3" > /dev/null)
  fi
  line=$(cd "$WORK/load" && PORT=$port SERVER_PIDS=$pids "${CLIENT_CPU[@]}" node load.cjs "$2" "$3" | tail -1)
  echo "{\"server\":\"$1\",\"serverPid\":\"$server_pid\",\"restKiB\":$rest_kib,\"result\":$line}" | tee -a "$RESULTS"
  if [ "$2" = idle ]; then
    # the same again on the now warm server (the first connections closed): a server in service is warm
    sleep 2
    line=$(cd "$WORK/load" && PORT=$port SERVER_PIDS=$pids "${CLIENT_CPU[@]}" node load.cjs idle-warm "$3" | tail -1)
    echo "{\"server\":\"$1\",\"serverPid\":\"$server_pid\",\"restKiB\":$rest_kib,\"result\":$line}" | tee -a "$RESULTS"
  fi
}

for round in $(seq 1 "$ROUNDS"); do
  if [ -n "$BASELINE_JAR" ]; then
    if [ $((round % 2)) = 1 ]; then order="gateway baseline soketi"; else order="soketi baseline gateway"; fi
  elif [ $((round % 2)) = 1 ]; then order="gateway soketi"; else order="soketi gateway"; fi
  for server in $order; do
    # a fresh server per scenario, so one scenario's leftovers do not weigh on the next
    for scenario in "join $JOIN" "fanout $FANOUT" "triggers $TRIGGER_SUBS" "idle $IDLE"; do
      [[ " ${BENCH_SCENARIOS:-join fanout triggers idle} " == *" ${scenario%% *} "* ]] || continue
      start_server "$server"
      run "$server" $scenario
      stop_server
    done
  done
done

node system-tests/src/bench/load/summary.cjs "$RESULTS"
