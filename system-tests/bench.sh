#!/usr/bin/env bash
# Runs the presence load tool (see docs/benchmarks.md): ./system-tests/bench.sh [joinUsers] [fanoutSubscribers] [idleConnections]
# Starts presence-service and one gateway on the discovered Redis (local or embedded); loopback only; stops by itself.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f gateway-service/target/quarkus-app/quarkus-run.jar ] || [ ! -f presence-service/target/quarkus-app/quarkus-run.jar ]; then
  ./mvnw -q -B install -DskipTests
fi
./mvnw -q -B -pl system-tests test-compile
CP=$(./mvnw -q -B -pl system-tests dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=/dev/stdout)
exec java -Xmx3g -Dsuite.root="$PWD" -cp "system-tests/target/test-classes:$CP" io.presence.systemtest.bench.PresenceBenchmark "$@"
