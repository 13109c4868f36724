#!/usr/bin/env bash
# Runs every measurement of the performance goals, each beside its baseline measured in the same
# run, and ends with ONE table (also benchmarks/results/summary.json; each measurement's own JSON
# is beside it, the logs of this run in benchmarks/results/logs/). Needs only a JDK (pgbench is
# installed with apt when absent); starts its own PostgreSQL, Kafka and services on ports of its
# own (so a ./run-local.sh may keep running).
#   benchmarks/run.sh [requests] [concurrency]          # gateway load: 20000 requests, concurrency 32
#   BENCH_ONLY=startup,latency benchmarks/run.sh        # only some of: startup,gateway,scheduler,latency,federation,signature,publisher
#   FEDERATION_SAMPLES=300                              # trigger round trips to each region's gateway, and records timed through MirrorMaker 2
#   STARTUP_ROUNDS=3 STARTUP_IDLE_SECONDS=5             # JVM start and idle memory
#   LATENCY_SAMPLES=500 LATENCY_WARMUP=600              # trigger -> downstream running, per stored size
#   PUBLISHER_EVENTS=150000 PUBLISHER_ROUNDS=5 PUBLISHER_LATENCY_SAMPLES=3000 PUBLISHER_LATENCY_RATE=200
#   PUBLISHER_JAVA_OPTS=...   extra JVM options of the publisher (e.g. a JFR recording)
#   SCHEDULER_JAVA_OPTS=...   the same for the scheduler of the gateway and throughput measurements
#   GATEWAY_JAVA_OPTS=...     the same for the gateway
# Exit status: 0 when every measurement ran (goals met or not), 1 when one failed.
set -euo pipefail
cd "$(dirname "$0")/.."
REQUESTS=${1:-20000}
CONCURRENCY=${2:-32}
ALL=startup,gateway,scheduler,latency,federation,signature,publisher
BENCH_ONLY=${BENCH_ONLY:-$ALL}
for m in ${BENCH_ONLY//,/ }; do
  [[ ",$ALL," == *",$m,"* ]] || { echo "unknown measurement in BENCH_ONLY: $m (known: $ALL)"; exit 2; }
done
want() { [[ ",$BENCH_ONLY," == *",$1,"* ]]; }
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || true)
VERSION=0.1.0-SNAPSHOT
WORK=$(mktemp -d /tmp/triggerlayer-bench.XXXXXX)
OUT=benchmarks/results
mkdir -p "$OUT" "$WORK/logs"
PG=25432 KAFKA=29092 REGISTRY=18083 SCHEDULER=18081 GATEWAY=18080 PUBLISHER=18082 BARE=18090
# The second region of the federation measurement: its broker and its gateway.
KAFKA_2=29192 GATEWAY_2=18084

# Build what is missing; rebuild the benchmarks module when its sources changed since its jar.
# (This script takes no lock of its own: on a machine shared with other builds, wrap the whole
# command in one, e.g. `flock /tmp/triggerlayer-mvn.lock benchmarks/run.sh`.)
JARS=(test-support/target/test-support-$VERSION.jar benchmarks/target/benchmarks-$VERSION.jar benchmarks/target/quarkus-app/quarkus-run.jar)
for m in tenant-registry scheduler-service trigger-gateway event-publisher; do JARS+=("$m/target/quarkus-app/quarkus-run.jar"); done
JARS+=(federation/target/federation.jar)
missing=0; for j in "${JARS[@]}"; do [[ -f $j ]] || missing=1; done
if ((missing)); then
  ./mvnw -B -q install -DskipTests
elif [[ -n $(find benchmarks/src benchmarks/pom.xml -newer "benchmarks/target/benchmarks-$VERSION.jar" -type f | head -1) ]]; then
  echo "(benchmarks changed since their last build: rebuilding that module)"
  ./mvnw -B -q -pl benchmarks install -DskipTests
fi

pids=()
cleanup() {
  for ((i=${#pids[@]}-1; i>=0; i--)); do kill -TERM "${pids[$i]}" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  rm -rf "$OUT/logs"; cp -r "$WORK/logs" "$OUT/logs" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM
# Stops one service before a measurement that does not need it, so it takes no CPU from it.
stop() { local pid=$1; kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.2; done
  kill -KILL "$pid" 2>/dev/null || true; }
wait_for() { local what=$1 pid=$2; shift 2; local deadline=$((SECONDS + 180))
  until "$@" >/dev/null 2>&1; do
    kill -0 "$pid" 2>/dev/null || { echo "$what exited; logs in $OUT/logs"; tail -20 "$WORK/logs/"*.log; exit 1; }
    ((SECONDS < deadline)) || { echo "timed out waiting for $what"; exit 1; }
    sleep 0.5
  done; }
# Runs one measurement in a subshell that stops at its first failing command; a failure is
# recorded (its row of the summary says FAILED) and the other measurements still run.
failed=()
measure() { local name=$1; shift
  set +e; ( set -e; "$@" ); local rc=$?; set -e
  if ((rc != 0)); then echo "!! measurement '$name' failed (exit $rc); logs in $OUT/logs"; failed+=("$name"); fi
  echo; }

java -Djava.util.logging.manager=org.jboss.logmanager.LogManager -cp "test-support/target/test-support-$VERSION.jar:test-support/target/lib/*" \
  dev.triggerlayer.testsupport.LocalServers "$WORK/data" $PG $KAFKA > "$WORK/logs/servers.log" 2>&1 &
pids+=($!); wait_for "PostgreSQL and Kafka" "${pids[-1]}" grep -q '^READY' "$WORK/logs/servers.log"

TOKEN=bench-token
FEED_KEY=$(head -c 32 /dev/urandom | base64)
export KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:$KAFKA DB_JDBC_URL=jdbc:postgresql://127.0.0.1:$PG/triggerlayer \
  DB_REACTIVE_URL=postgresql://127.0.0.1:$PG/triggerlayer
# Keys and tokens go into files only this user can read, never onto a command line.
secrets() { local name=$1; shift; (umask 077; printf '%s\n' "$@" > "$WORK/$name.properties"); echo "-Dquarkus.config.locations=file:$WORK/$name.properties"; }
# Every start of a service in this run (the start-time measurement's included) gets the same options.
REGISTRY_OPTS=("$(secrets tenant-registry "triggerlayer.operator.tokens.admin.secret=$TOKEN" registry.at-rest.active=k1 \
  "registry.at-rest.keys.k1=$(head -c 32 /dev/urandom | base64)" registry.feed.active=f1 "registry.feed.keys.f1=$FEED_KEY")")
SCHEDULER_OPTS=("$(secrets scheduler-service "triggerlayer.operator.tokens.admin.secret=$TOKEN" \
  "triggerlayer.operator.tokens.gateway.secret=$TOKEN-query")" -Dscheduler.runner.work-dir="$WORK/runs" -Dscheduler.federation.region=cn-hangzhou)
GATEWAY_OPTS=("$(secrets trigger-gateway "gateway.registry-feed.keys.f1=$FEED_KEY" "gateway.scheduler.token=$TOKEN-query")"
  -Dgateway.scheduler.url=http://127.0.0.1:$SCHEDULER -Dgateway.rate-limit.permits-per-second=1000000 -Dgateway.rate-limit.burst=1000000)
PUBLISHER_OPTS=("$(secrets event-publisher "triggerlayer.operator.tokens.admin.secret=$TOKEN" publisher.at-rest.active=k1 \
  "publisher.at-rest.keys.k1=$(head -c 32 /dev/urandom | base64)")")
start() { local name=$1 port=$2; shift 2
  HTTP_PORT=$port MANAGEMENT_PORT=$((port + 100)) java "$@" -jar "$name/target/quarkus-app/quarkus-run.jar" >> "$WORK/logs/$name.log" 2>&1 &
  pids+=($!); wait_for "$name" "${pids[-1]}" curl -sf "http://127.0.0.1:$((port + 100))/q/health/ready"; }
CP="benchmarks/target/benchmarks-$VERSION.jar:benchmarks/target/lib/*"

# ---- 5. JVM start time and idle memory: first, while nothing of ours runs (PostgreSQL and Kafka do).
startup() {
  rm -f "$OUT/startup.json"
  local spec=$WORK/startup.spec
  : > "$spec"
  line() { local IFS=$'\t'; echo "$*" >> "$spec"; }
  line tenant-registry $REGISTRY "${REGISTRY_OPTS[@]}" -jar tenant-registry/target/quarkus-app/quarkus-run.jar
  line scheduler-service $SCHEDULER "${SCHEDULER_OPTS[@]}" -jar scheduler-service/target/quarkus-app/quarkus-run.jar
  line trigger-gateway $GATEWAY "${GATEWAY_OPTS[@]}" -jar trigger-gateway/target/quarkus-app/quarkus-run.jar
  line event-publisher $PUBLISHER "${PUBLISHER_OPTS[@]}" -jar event-publisher/target/quarkus-app/quarkus-run.jar
  line bare-endpoint $BARE -jar benchmarks/target/quarkus-app/quarkus-run.jar
  echo "== JVM start (process start -> /q/health/ready 200) and idle VmRSS, each service alone vs the bare Quarkus endpoint"
  java -cp "$CP" dev.triggerlayer.benchmarks.StartupBench "$spec" "${STARTUP_ROUNDS:-3}" "${STARTUP_IDLE_SECONDS:-5}" "$WORK/logs" "$OUT/startup.json"
}
if want startup; then measure startup startup; fi

if want gateway || want publisher || want federation || want scheduler; then
  # The scheduler waits for the registry's feed (tenant editions) before it is ready.
  start tenant-registry $REGISTRY "${REGISTRY_OPTS[@]}" -Dregistry.demo.enabled=true -Dregistry.demo.credentials-file="$WORK/credentials.env"
fi
SCHEDULER_PID=
if want gateway || want scheduler || want federation; then
  # No script runs in this scheduler: the gateway and throughput measurements are about triggers.
  # shellcheck disable=SC2086 # SCHEDULER_JAVA_OPTS is a list of options
  start scheduler-service $SCHEDULER ${SCHEDULER_JAVA_OPTS:-} "${SCHEDULER_OPTS[@]}" -Dscheduler.demo.enabled=true -Dscheduler.runner.shell-enabled=false
  SCHEDULER_PID=${pids[-1]}
fi

# ---- 1. signed triggers through the gateway vs a bare Quarkus endpoint.
gateway() {
  rm -f "$OUT/gateway-load.json"
  . "$WORK/credentials.env"
  # Tomorrow's 12:00 instance of the demo HTTP trigger node: the first trigger is retained, the
  # rest find it retained; every answer is a success that went through Kafka and the scheduler.
  local trigger_time=$(( $(TZ=Asia/Shanghai date -d 'tomorrow 12:00' +%s) * 1000 ))
  echo "== Signed trigger requests vs a bare Quarkus endpoint ($REQUESTS requests, concurrency $CONCURRENCY)"
  java -cp "$CP" dev.triggerlayer.benchmarks.GatewayLoad "http://127.0.0.1:$GATEWAY" "http://127.0.0.1:$BARE/bare" \
    "$TENANT_B_ACCESS_KEY_ID" "$TENANT_B_ACCESS_KEY_SECRET" 4001 "$trigger_time" "$REQUESTS" "$CONCURRENCY" "$OUT/gateway-load.json"
}
if want gateway; then
  # shellcheck disable=SC2086 # GATEWAY_JAVA_OPTS is a list of options
  start trigger-gateway $GATEWAY ${GATEWAY_JAVA_OPTS:-} "${GATEWAY_OPTS[@]}"; GATEWAY_PID=${pids[-1]}
  HTTP_PORT=$BARE MANAGEMENT_PORT=$((BARE + 100)) java -jar benchmarks/target/quarkus-app/quarkus-run.jar > "$WORK/logs/bare.log" 2>&1 &
  pids+=($!); BARE_PID=$!; wait_for "bare endpoint" "$BARE_PID" curl -sf "http://127.0.0.1:$BARE/bare"
  measure gateway gateway
  stop "$GATEWAY_PID"; stop "$BARE_PID"
fi

# ---- 7. federation: a trigger sent to the other region's gateway vs to the home region's, and the
# lag MirrorMaker 2 adds (docs/federation.md). The second region: a broker, MirrorMaker 2, a gateway.
federation() {
  rm -f "$OUT/federation.json"
  . "$WORK/credentials.env"
  local trigger_time=$(( $(TZ=Asia/Shanghai date -d 'tomorrow 12:00' +%s) * 1000 ))
  echo "== Federation: signed trigger round trip via the other region vs via the home region, and MirrorMaker 2's lag"
  java -cp "$CP" dev.triggerlayer.benchmarks.FederationBench "http://127.0.0.1:$GATEWAY" "http://127.0.0.1:$GATEWAY_2" \
    "$TENANT_B_ACCESS_KEY_ID" "$TENANT_B_ACCESS_KEY_SECRET" 4001 "$trigger_time" "${FEDERATION_SAMPLES:-300}" \
    127.0.0.1:$KAFKA 127.0.0.1:$KAFKA_2 cn-shanghai "$OUT/federation.json"
}
if want federation; then
  # shellcheck disable=SC2086 # GATEWAY_JAVA_OPTS is a list of options
  start trigger-gateway $GATEWAY ${GATEWAY_JAVA_OPTS:-} "${GATEWAY_OPTS[@]}" -Dgateway.federation.region=cn-hangzhou; FED_PIDS=(${pids[-1]})
  java -cp "test-support/target/test-support-$VERSION.jar:test-support/target/lib/*" dev.triggerlayer.testsupport.LocalBroker \
    "$WORK/data/kafka-2" $KAFKA_2 > "$WORK/logs/kafka-2.log" 2>&1 &
  pids+=($!); FED_PIDS+=($!); wait_for "second broker" "${pids[-1]}" grep -q '^READY' "$WORK/logs/kafka-2.log"
  (umask 077; printf '%s\n' clusters=cn-hangzhou,cn-shanghai cn-hangzhou.bootstrap.servers=127.0.0.1:$KAFKA \
    cn-shanghai.bootstrap.servers=127.0.0.1:$KAFKA_2 replication.factor=1 > "$WORK/mirror-maker.properties")
  java -jar federation/target/federation.jar "$WORK/mirror-maker.properties" > "$WORK/logs/mirror-maker.log" 2>&1 &
  pids+=($!); FED_PIDS+=($!)
  java -cp "$CP" dev.triggerlayer.benchmarks.SchedulerBench createdb "jdbc:postgresql://127.0.0.1:$PG/triggerlayer" postgres postgres triggerlayer_region_2
  KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:$KAFKA_2 DB_JDBC_URL=jdbc:postgresql://127.0.0.1:$PG/triggerlayer_region_2 \
    DB_REACTIVE_URL=postgresql://127.0.0.1:$PG/triggerlayer_region_2 \
    start trigger-gateway $GATEWAY_2 "${GATEWAY_OPTS[@]}" -Dgateway.federation.region=cn-shanghai \
    -Dgateway.topics.registry-changes=cn-hangzhou.registry.changes -Dgateway.topics.nodes=cn-hangzhou.scheduler.nodes \
    -Dgateway.federation.peers.cn-hangzhou.scheduler-url=http://127.0.0.1:$SCHEDULER
  FED_PIDS+=(${pids[-1]})
  measure federation federation
  for ((i=${#FED_PIDS[@]}-1; i>=0; i--)); do stop "${FED_PIDS[$i]}"; done
fi

# ---- 2. scheduler instance transitions/s vs pgbench single-row updates on the same PostgreSQL.
scheduler() {
  rm -f "$OUT/scheduler.json"
  echo "== Scheduler: instance transitions/s vs pgbench single-row updates on the same PostgreSQL (scripts not run)"
  if ! command -v pgbench >/dev/null; then
    echo "(installing pgbench from Debian's postgresql-client package)"
    apt-get install -y -qq postgresql-client >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq postgresql-client >/dev/null; }
  fi
  export PGPASSWORD=postgres
  psql -q -h 127.0.0.1 -p $PG -U postgres -d triggerlayer -c "create database pgbench" >/dev/null 2>&1 || true
  pgbench -q -i -s 1 -h 127.0.0.1 -p $PG -U postgres pgbench >/dev/null 2>&1
  printf '\\set aid random(1, 100000)\nupdate pgbench_accounts set abalance = abalance + 1 where aid = :aid;\n' > "$WORK/update.sql"
  local tps
  tps=$(pgbench -n -c 4 -j 2 -T 15 -f "$WORK/update.sql" -h 127.0.0.1 -p $PG -U postgres pgbench 2>/dev/null \
    | sed -n 's/^tps = \([0-9.]*\).*/\1/p')
  [[ -n $tps ]] || { echo "pgbench gave no tps"; return 1; }
  echo "pgbench single-row updates: $tps tps (4 clients)"
  java -cp "$CP" dev.triggerlayer.benchmarks.SchedulerBench throughput "http://127.0.0.1:$SCHEDULER" "$TOKEN" "127.0.0.1:$KAFKA" \
    "jdbc:postgresql://127.0.0.1:$PG/triggerlayer" postgres postgres "$tps" "$OUT/scheduler.json"
}
if want scheduler; then measure scheduler scheduler; fi

# ---- 4. trigger -> downstream running at 10 k and 1 M stored instances: a scheduler that runs
# scripts, on a database of its own (same PostgreSQL), so it holds exactly the instances counted.
LATENCY_DB=triggerlayer_latency
latency() {
  rm -f "$OUT/latency.json"
  echo "== Trigger -> downstream shell instance running (script 'true'), closed loop, at 10,000 and 1,000,000 stored instances"
  java -cp "$CP" dev.triggerlayer.benchmarks.SchedulerBench latency "http://127.0.0.1:$SCHEDULER" "$TOKEN" "127.0.0.1:$KAFKA" \
    "jdbc:postgresql://127.0.0.1:$PG/$LATENCY_DB" postgres postgres "${LATENCY_WARMUP:-600}" "${LATENCY_SAMPLES:-500}" "$OUT/latency.json"
}
if want latency; then
  [[ -z $SCHEDULER_PID ]] || stop "$SCHEDULER_PID"
  java -cp "$CP" dev.triggerlayer.benchmarks.SchedulerBench createdb "jdbc:postgresql://127.0.0.1:$PG/triggerlayer" postgres postgres $LATENCY_DB
  DB_JDBC_URL=jdbc:postgresql://127.0.0.1:$PG/$LATENCY_DB DB_REACTIVE_URL=postgresql://127.0.0.1:$PG/$LATENCY_DB \
    start scheduler-service $SCHEDULER "${SCHEDULER_OPTS[@]}" -Dscheduler.runner.shell-enabled=true
  SCHEDULER_PID=${pids[-1]}
  measure latency latency
fi
[[ -z $SCHEDULER_PID ]] || stop "$SCHEDULER_PID"

# ---- 6. one signature verification vs one bare HMAC-SHA1 (informative); only the registry is up.
signature() {
  rm -f "$OUT/signature-jmh.json"
  echo "== One signature verification vs one bare HMAC-SHA1 (JMH)"
  java -cp "$CP" org.openjdk.jmh.Main 'SignatureVerificationBench' -f 1 -wi 3 -w 1s -i 5 -r 1s -rf json -rff "$OUT/signature-jmh.json" \
    | sed -n '/^Benchmark/,$p'
}
if want signature; then measure signature signature; fi

# ---- 3. event publisher vs a raw producer. Runs last and alone with its inputs (the registry stays:
# the publisher reads its feed). Whatever the earlier measurements left on scheduler.instance-changes
# is read (and dropped) during the warm-up.
publisher() {
  rm -f "$OUT/publisher.json"
  local events=${PUBLISHER_EVENTS:-150000}
  echo "== Event publisher: scheduler instance-changes -> CloudEvents on the tenant bus vs a raw producer ($events events)"
  java -cp "$CP" dev.triggerlayer.benchmarks.PublisherBench "http://127.0.0.1:$REGISTRY" "$TOKEN" "127.0.0.1:$KAFKA" \
    "$events" "${PUBLISHER_ROUNDS:-5}" "${PUBLISHER_LATENCY_SAMPLES:-3000}" "${PUBLISHER_LATENCY_RATE:-200}" "$OUT/publisher.json"
}
if want publisher; then
  # shellcheck disable=SC2086 # PUBLISHER_JAVA_OPTS is a list of options
  start event-publisher $PUBLISHER ${PUBLISHER_JAVA_OPTS:-} "${PUBLISHER_OPTS[@]}"
  measure publisher publisher
fi

COMMIT=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
git diff --quiet HEAD 2>/dev/null || COMMIT="$COMMIT+uncommitted"
java -cp "$CP" dev.triggerlayer.benchmarks.Summary "$OUT" "$BENCH_ONLY" "$(IFS=,; echo "${failed[*]}")" "$COMMIT" "$OUT/summary.json" \
  "$LOAD_BEFORE"
echo "(table as JSON: $OUT/summary.json; logs: $OUT/logs/)"
((${#failed[@]} == 0))
