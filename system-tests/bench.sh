#!/usr/bin/env bash
# Runs a load tool (see docs/benchmarks.md); loopback only; stops by itself.
#   ./system-tests/bench.sh [joinUsers] [fanoutSubscribers] [idleConnections]
#       presence: presence-service and one gateway on the discovered Redis (local or embedded)
#   ./system-tests/bench.sh messages [senders] [subscribers] [seconds]
#       messaging: user-service, message-service and one gateway on the discovered PostgreSQL and Redis, then pgbench
#   ./system-tests/bench.sh faults [rounds]
#       recovery times: a gateway killed or paused, Redis restarted, PostgreSQL cut away (FaultBenchmark)
#   ./system-tests/bench.sh apps [rounds=2] [connections=10000]
#       apps as tenants: gateway CPU per connection and per delivered event, 1 app against 100 apps (AppsBenchmark)
#   ./system-tests/bench.sh resume [rounds=2] [clients=1000] [eventsPerChannel=20]
#       resume across reconnects: recording positions on close and resuming 1,000 clients at once (ResumeBenchmark)
set -euo pipefail
cd "$(dirname "$0")/.."
TOOL=io.presence.systemtest.bench.PresenceBenchmark
if [ "${1:-}" = messages ]; then
  TOOL=io.presence.systemtest.bench.MessageBenchmark
  shift
elif [ "${1:-}" = faults ]; then
  TOOL=io.presence.systemtest.FaultBenchmark
  shift
elif [ "${1:-}" = apps ]; then
  TOOL=io.presence.systemtest.bench.AppsBenchmark
  shift
elif [ "${1:-}" = resume ]; then
  TOOL=io.presence.systemtest.bench.ResumeBenchmark
  shift
fi
for service in gateway-service presence-service user-service message-service; do
  if [ ! -f "$service/target/quarkus-app/quarkus-run.jar" ]; then
    ./mvnw -q -B package -DskipTests -pl gateway-service,presence-service,user-service,message-service -am
    break
  fi
done
# in the reactor (-am), so nothing has to be installed in the local Maven repository first
./mvnw -q -B -pl system-tests -am test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
CP=$(cat system-tests/target/bench.classpath)
exec java -Xmx3g -Dsuite.root="$PWD" -cp "system-tests/target/test-classes:$CP" "$TOOL" "$@"
