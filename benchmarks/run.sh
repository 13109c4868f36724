#!/usr/bin/env bash
# Runs the benchmarks, each beside its baseline in the same run, and prints one table (also
# written as JSON under benchmarks/results/). Needs only a JDK; starts its own PostgreSQL, Kafka
# and services on ports of its own (so a ./run-local.sh may keep running).
#   benchmarks/run.sh [requests] [concurrency]
#   BENCH_ONLY=publisher benchmarks/run.sh        # only some: gateway,scheduler,signature,publisher
#   PUBLISHER_EVENTS=30000 PUBLISHER_ROUNDS=3 PUBLISHER_LATENCY_SAMPLES=3000 PUBLISHER_LATENCY_RATE=200
#   PUBLISHER_JAVA_OPTS=...   extra JVM options of the publisher (e.g. a JFR recording)
set -euo pipefail
cd "$(dirname "$0")/.."
REQUESTS=${1:-20000}
CONCURRENCY=${2:-32}
BENCH_ONLY=${BENCH_ONLY:-gateway,scheduler,signature,publisher}
for m in ${BENCH_ONLY//,/ }; do
  [[ $m =~ ^(gateway|scheduler|signature|publisher)$ ]] || { echo "unknown measurement in BENCH_ONLY: $m"; exit 2; }
done
want() { [[ ",$BENCH_ONLY," == *",$1,"* ]]; }
VERSION=0.1.0-SNAPSHOT
WORK=$(mktemp -d /tmp/triggerlayer-bench.XXXXXX)
OUT=benchmarks/results
mkdir -p "$OUT" "$WORK/logs"
PG=25432 KAFKA=29092 REGISTRY=18083 SCHEDULER=18081 GATEWAY=18080 PUBLISHER=18082 BARE=18090

if [[ ! -f benchmarks/target/benchmarks-$VERSION.jar || ! -f trigger-gateway/target/quarkus-app/quarkus-run.jar
      || ! -f event-publisher/target/quarkus-app/quarkus-run.jar ]]; then
  ./mvnw -B -q install -DskipTests
fi

pids=()
cleanup() {
  for ((i=${#pids[@]}-1; i>=0; i--)); do kill -TERM "${pids[$i]}" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM
# Stops one service before a measurement that does not need it, so it takes no CPU from it.
stop() { local pid=$1; kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.2; done
  kill -KILL "$pid" 2>/dev/null || true; }
wait_for() { local what=$1 pid=$2; shift 2; local deadline=$((SECONDS + 180))
  until "$@" >/dev/null 2>&1; do
    kill -0 "$pid" 2>/dev/null || { echo "$what exited; logs in $WORK/logs"; cat "$WORK/logs/"*.log | tail -20; exit 1; }
    ((SECONDS < deadline)) || { echo "timed out waiting for $what"; exit 1; }
    sleep 0.5
  done; }

java -Djava.util.logging.manager=org.jboss.logmanager.LogManager -cp "test-support/target/test-support-$VERSION.jar:test-support/target/lib/*" \
  dev.triggerlayer.testsupport.LocalServers "$WORK/data" $PG $KAFKA > "$WORK/logs/servers.log" 2>&1 &
pids+=($!); wait_for "PostgreSQL and Kafka" "${pids[-1]}" grep -q '^READY' "$WORK/logs/servers.log"

TOKEN=bench-token
FEED_KEY=$(head -c 32 /dev/urandom | base64)
export KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:$KAFKA DB_JDBC_URL=jdbc:postgresql://127.0.0.1:$PG/triggerlayer \
  DB_REACTIVE_URL=postgresql://127.0.0.1:$PG/triggerlayer SCHEDULER_ADMIN_TOKEN=$TOKEN REGISTRY_ADMIN_TOKEN=$TOKEN \
  PUBLISHER_ADMIN_TOKEN=$TOKEN
start() { local name=$1 port=$2; shift 2
  HTTP_PORT=$port java "$@" -jar "$name/target/quarkus-app/quarkus-run.jar" > "$WORK/logs/$name.log" 2>&1 &
  pids+=($!); wait_for "$name" "${pids[-1]}" curl -sf "http://127.0.0.1:$port/q/health/ready"; }
CP="benchmarks/target/benchmarks-$VERSION.jar:benchmarks/target/lib/*"
services=()
if want gateway || want publisher; then
  start tenant-registry $REGISTRY -Dregistry.demo.enabled=true -Dregistry.demo.credentials-file="$WORK/credentials.env" \
    -Dregistry.at-rest.active=k1 -Dregistry.at-rest.keys.k1="$(head -c 32 /dev/urandom | base64)" \
    -Dregistry.feed.active=f1 -Dregistry.feed.keys.f1="$FEED_KEY"
fi
if want gateway || want scheduler; then
  start scheduler-service $SCHEDULER -Dscheduler.demo.enabled=true; services+=("${pids[-1]}")
fi

if want gateway; then
  start trigger-gateway $GATEWAY -Dgateway.registry-feed.keys.f1="$FEED_KEY" -Dgateway.scheduler.url=http://127.0.0.1:$SCHEDULER \
    -Dgateway.rate-limit.permits-per-second=1000000 -Dgateway.rate-limit.burst=1000000; services+=("${pids[-1]}")
  HTTP_PORT=$BARE java -jar benchmarks/target/quarkus-app/quarkus-run.jar > "$WORK/logs/bare.log" 2>&1 &
  pids+=($!); services+=($!); wait_for "bare endpoint" "${pids[-1]}" curl -sf "http://127.0.0.1:$BARE/bare"

  . "$WORK/credentials.env"
  # Tomorrow's 12:00 instance of the demo HTTP trigger node: the first trigger is retained, the
  # rest find it retained; every answer is a success that went through Kafka and the scheduler.
  TRIGGER_TIME=$(( $(TZ=Asia/Shanghai date -d 'tomorrow 12:00' +%s) * 1000 ))

  echo "== Signed trigger requests vs a bare Quarkus endpoint ($REQUESTS requests, concurrency $CONCURRENCY)"
  java -cp "$CP" dev.triggerlayer.benchmarks.GatewayLoad "http://127.0.0.1:$GATEWAY" "http://127.0.0.1:$BARE/bare" \
    "$TENANT_B_ACCESS_KEY_ID" "$TENANT_B_ACCESS_KEY_SECRET" 4001 "$TRIGGER_TIME" "$REQUESTS" "$CONCURRENCY" "$OUT/gateway-load.json"
  echo
fi

if want scheduler; then
  echo "== Scheduler: instance transitions/s vs pgbench single-row updates on the same PostgreSQL"
  if ! command -v pgbench >/dev/null; then
    echo "(installing pgbench from Debian's postgresql-client package)"
    apt-get install -y -qq postgresql-client >/dev/null 2>&1 || apt-get update -qq && apt-get install -y -qq postgresql-client >/dev/null
  fi
  export PGPASSWORD=postgres
  psql -q -h 127.0.0.1 -p $PG -U postgres -d triggerlayer -c "create database pgbench" >/dev/null 2>&1 || true
  pgbench -q -i -s 1 -h 127.0.0.1 -p $PG -U postgres pgbench >/dev/null 2>&1
  printf '\\set aid random(1, 100000)\nupdate pgbench_accounts set abalance = abalance + 1 where aid = :aid;\n' > "$WORK/update.sql"
  PGBENCH_TPS=$(pgbench -n -c 4 -j 2 -T 15 -f "$WORK/update.sql" -h 127.0.0.1 -p $PG -U postgres pgbench 2>/dev/null \
    | sed -n 's/^tps = \([0-9.]*\).*/\1/p')
  echo "pgbench single-row updates: $PGBENCH_TPS tps (4 clients)"
  java -cp "$CP" dev.triggerlayer.benchmarks.SchedulerBench "http://127.0.0.1:$SCHEDULER" "$TOKEN" "127.0.0.1:$KAFKA" \
    "jdbc:postgresql://127.0.0.1:$PG/triggerlayer" postgres postgres "$OUT/scheduler.json" | tee "$WORK/scheduler.txt"
  TPS=$(sed -n 's/.*-> \([0-9]*\) instance transitions.*/\1/p' "$WORK/scheduler.txt")
  awk -v a="$TPS" -v b="$PGBENCH_TPS" 'BEGIN { printf "ratio transitions/s : pgbench tps = %.2f\n", a / b }'
  echo
fi

if want signature; then
  echo "== One signature verification vs one bare HMAC-SHA1 (JMH)"
  java -cp "$CP" org.openjdk.jmh.Main 'SignatureVerificationBench' -f 1 -wi 3 -w 1s -i 5 -r 1s -rf json -rff "$OUT/signature-jmh.json" \
    | sed -n '/^Benchmark/,$p'
  echo
fi

if want publisher; then
  # The publisher runs last and alone with its inputs: the scheduler, gateway and bare endpoint
  # are stopped (the registry stays: the publisher reads its feed). Whatever the earlier
  # measurements left on scheduler.instance-changes is read (and dropped) during the warm-up.
  for pid in "${services[@]}"; do stop "$pid"; done
  start event-publisher $PUBLISHER ${PUBLISHER_JAVA_OPTS:-} -Dpublisher.at-rest.active=k1 -Dpublisher.at-rest.keys.k1="$(head -c 32 /dev/urandom | base64)"
  EVENTS=${PUBLISHER_EVENTS:-30000}
  echo "== Event publisher: scheduler instance-changes -> CloudEvents on the tenant bus vs a raw producer ($EVENTS events)"
  java -cp "$CP" dev.triggerlayer.benchmarks.PublisherBench "http://127.0.0.1:$REGISTRY" "$TOKEN" "127.0.0.1:$KAFKA" \
    "$EVENTS" "${PUBLISHER_ROUNDS:-3}" "${PUBLISHER_LATENCY_SAMPLES:-3000}" "${PUBLISHER_LATENCY_RATE:-200}" "$OUT/publisher.json"
fi
