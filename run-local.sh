#!/usr/bin/env bash
# Runs the whole system on embedded defaults: a real PostgreSQL and a real Kafka broker,
# the four services as separate processes, demo tenants, and a first trigger to paste.
# Ctrl-C stops everything. Usage: ./run-local.sh [--rebuild] [--two-regions]
#   --two-regions: also a second region, cn-shanghai (docs/federation.md): its own Kafka broker
#   (:19192), MirrorMaker 2 between the two brokers, and a gateway of its own (:8090) that sends the
#   triggers of the demo tenants (homed in cn-hangzhou) there and answers with their outcome.
set -euo pipefail
cd "$(dirname "$0")"

DATA_DIR="${TRIGGERLAYER_DATA:-.local}"
PG_PORT=15432
KAFKA_PORT=19092
SERVICES=(tenant-registry:8083 scheduler-service:8081 trigger-gateway:8080 event-publisher:8082)
VERSION=0.1.0-SNAPSHOT
mkdir -p "$DATA_DIR/logs"
DATA_DIR=$(cd "$DATA_DIR" && pwd)

need_build=false
two_regions=false
for arg in "$@"; do
  case $arg in
    --rebuild) need_build=true ;;
    --two-regions) two_regions=true ;;
    *) echo "usage: ./run-local.sh [--rebuild] [--two-regions]"; exit 2 ;;
  esac
done
[[ -f federation/target/federation.jar ]] || need_build=true
[[ -f test-support/target/test-support-$VERSION.jar ]] || need_build=true
for s in "${SERVICES[@]}"; do
  [[ -f "${s%%:*}/target/quarkus-app/quarkus-run.jar" ]] || need_build=true
done
if $need_build; then
  echo "Building (first run or --rebuild) ..."
  ./mvnw -B -q install -DskipTests
fi

# Local secrets, made once, each in a file only its owner can read (mode 0600) that the service
# reads as configuration: never on a command line, where any local user could see it with ps.
# Each service has its own operator token; the gateway holds only a read-only token for the
# scheduler's instance queries.
SECRETS="$DATA_DIR/secrets"
mkdir -p "$SECRETS"; chmod 700 "$SECRETS"
rand() { head -c "$1" /dev/urandom | base64 | tr -d '/+=' ; }
key() { head -c 32 /dev/urandom | base64; }
if [[ ! -f "$SECRETS/tokens.env" ]]; then
  (umask 077
  FEED_KEY=$(key); QUERY_TOKEN=$(rand 24)
  cat > "$SECRETS/tokens.env" <<PROPS
REGISTRY_ADMIN_TOKEN=$(rand 24)
SCHEDULER_ADMIN_TOKEN=$(rand 24)
PUBLISHER_ADMIN_TOKEN=$(rand 24)
PROPS
  . "$SECRETS/tokens.env"
  cat > "$SECRETS/tenant-registry.properties" <<PROPS
triggerlayer.operator.tokens.admin.secret=$REGISTRY_ADMIN_TOKEN
registry.at-rest.active=k1
registry.at-rest.keys.k1=$(key)
registry.feed.active=f1
registry.feed.keys.f1=$FEED_KEY
PROPS
  cat > "$SECRETS/scheduler-service.properties" <<PROPS
triggerlayer.operator.tokens.admin.secret=$SCHEDULER_ADMIN_TOKEN
triggerlayer.operator.tokens.gateway.secret=$QUERY_TOKEN
PROPS
  cat > "$SECRETS/trigger-gateway.properties" <<PROPS
gateway.registry-feed.keys.f1=$FEED_KEY
gateway.scheduler.token=$QUERY_TOKEN
PROPS
  cat > "$SECRETS/event-publisher.properties" <<PROPS
triggerlayer.operator.tokens.admin.secret=$PUBLISHER_ADMIN_TOKEN
publisher.at-rest.active=k1
publisher.at-rest.keys.k1=$(key)
# A local run delivers to receivers on this machine; production refuses every private address (docs/security.md).
publisher.delivery.allowed-private-targets=127.0.0.0/8
PROPS
  )
fi
# The operator tokens, for the curl examples below (this shell only).
. "$SECRETS/tokens.env"
# The registry's token on the scheduler (workspace deletions wait for extension checks); added to
# secrets made before it existed.
if ! grep -q '^registry.scheduler.token=' "$SECRETS/tenant-registry.properties"; then
  (umask 077
  HOLDS_TOKEN=$(rand 24)
  echo "registry.scheduler.token=$HOLDS_TOKEN" >> "$SECRETS/tenant-registry.properties"
  echo "triggerlayer.operator.tokens.registry.secret=$HOLDS_TOKEN" >> "$SECRETS/scheduler-service.properties")
fi

pids=()
await_exit() { # pid: up to 20 s, then KILL
  for _ in $(seq 1 100); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.2; done
  kill -KILL "$1" 2>/dev/null || true
}
stop_all() {
  trap - INT TERM EXIT
  echo
  echo "Stopping ..."
  # The services first, and only once they are gone the servers they use (pids[0]): a service
  # still needs the broker to leave its consumer groups. A member that did not leave holds up
  # the next start's first trigger until the broker drops it (45 s session timeout).
  local services=("${pids[@]:1}")
  for ((i=${#services[@]}-1; i>=0; i--)); do kill -TERM "${services[$i]}" 2>/dev/null || true; done
  for pid in "${services[@]}"; do await_exit "$pid"; done
  if ((${#pids[@]})); then kill -TERM "${pids[0]}" 2>/dev/null || true; await_exit "${pids[0]}"; fi
  echo "Stopped."
}
trap stop_all INT TERM EXIT

wait_for() { # description, pid, timeout seconds, command...
  local what=$1 pid=$2 timeout=$3; shift 3
  local deadline=$((SECONDS + timeout))
  until "$@" >/dev/null 2>&1; do
    if ! kill -0 "$pid" 2>/dev/null; then echo "$what: the process exited (see $DATA_DIR/logs)"; exit 1; fi
    if ((SECONDS > deadline)); then echo "Timed out waiting for $what (see $DATA_DIR/logs)"; exit 1; fi
    sleep 0.5
  done
}

echo "Starting PostgreSQL (:$PG_PORT) and Kafka (:$KAFKA_PORT), data in $DATA_DIR ..."
java -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
  -cp "test-support/target/test-support-$VERSION.jar:test-support/target/lib/*" \
  dev.triggerlayer.testsupport.LocalServers "$DATA_DIR/data" "$PG_PORT" "$KAFKA_PORT" \
  > "$DATA_DIR/logs/servers.log" 2>&1 &
pids+=($!)
wait_for "PostgreSQL and Kafka" "${pids[0]}" 120 grep -q '^READY' "$DATA_DIR/logs/servers.log"

for s in "${SERVICES[@]}"; do
  name=${s%%:*}; port=${s##*:}
  echo "Starting $name (:$port) ..."
  extra=(-Dquarkus.config.locations="file:$SECRETS/$name.properties")
  if [[ $name == tenant-registry ]]; then
    extra+=(-Dregistry.demo.enabled=true -Dregistry.demo.credentials-file="$DATA_DIR/demo-credentials.env" -Dregistry.scheduler.url=http://127.0.0.1:8081)
  elif [[ $name == scheduler-service ]]; then
    # The demo tenants' home region: commands homed here that arrive from other regions are applied here.
    extra+=(-Dscheduler.demo.enabled=true -Dscheduler.federation.region=cn-hangzhou)
  elif [[ $name == trigger-gateway ]]; then
    extra+=(-Dgateway.host-id=127.0.0.1:8080 -Dgateway.endpoints=127.0.0.1:8080,localhost:8080 -Dgateway.federation.region=cn-hangzhou)
  fi
  HTTP_PORT=$port MANAGEMENT_PORT=$((port + 1000)) java "${extra[@]}" -jar "$name/target/quarkus-app/quarkus-run.jar" > "$DATA_DIR/logs/$name.log" 2>&1 &
  pids+=($!)
done
for i in "${!SERVICES[@]}"; do
  s=${SERVICES[$i]}; name=${s%%:*}; port=${s##*:}
  wait_for "$name readiness" "${pids[$((i + 1))]}" 120 curl -sf "http://127.0.0.1:$((port + 1000))/q/health/ready"
  echo "  $name ready"
done

if $two_regions; then
  echo "Starting the second region cn-shanghai: Kafka (:19192), MirrorMaker 2, trigger-gateway (:8090) ..."
  java -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
    -cp "test-support/target/test-support-$VERSION.jar:test-support/target/lib/*" \
    dev.triggerlayer.testsupport.LocalBroker "$DATA_DIR/data/kafka-cn-shanghai" 19192 > "$DATA_DIR/logs/kafka-cn-shanghai.log" 2>&1 &
  pids+=($!)
  wait_for "the second region's Kafka" "${pids[-1]}" 120 grep -q '^READY' "$DATA_DIR/logs/kafka-cn-shanghai.log"
  # MirrorMaker 2's file would hold the brokers' credentials in production: 0600, like the secrets.
  (umask 077; printf '%s\n' clusters=cn-hangzhou,cn-shanghai cn-hangzhou.bootstrap.servers=127.0.0.1:$KAFKA_PORT \
    cn-shanghai.bootstrap.servers=127.0.0.1:19192 replication.factor=1 > "$SECRETS/mirror-maker.properties"
  grep -v '^gateway.host-id' "$SECRETS/trigger-gateway.properties" > "$SECRETS/trigger-gateway-cn-shanghai.properties"
  echo "gateway.federation.peers.cn-hangzhou.scheduler-token=$(sed -n 's/^gateway.scheduler.token=//p' "$SECRETS/trigger-gateway.properties")" \
    >> "$SECRETS/trigger-gateway-cn-shanghai.properties")
  java -jar federation/target/federation.jar "$SECRETS/mirror-maker.properties" > "$DATA_DIR/logs/mirror-maker.log" 2>&1 &
  pids+=($!)
  # Its own nonces and ClientTokens (schema gateway_cn_shanghai); the registry feed and the node
  # directory are the home region's copies; queries go to the home region's scheduler.
  KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:19192 HTTP_PORT=8090 MANAGEMENT_PORT=9090 java \
    -Dquarkus.config.locations="file:$SECRETS/trigger-gateway-cn-shanghai.properties" \
    -Dgateway.host-id=127.0.0.1:8090 -Dgateway.endpoints=127.0.0.1:8090,localhost:8090 -Dgateway.federation.region=cn-shanghai \
    -Dgateway.topics.registry-changes=cn-hangzhou.registry.changes -Dgateway.topics.nodes=cn-hangzhou.scheduler.nodes \
    -Dgateway.federation.peers.cn-hangzhou.scheduler-url=http://127.0.0.1:8081 \
    -Dquarkus.flyway.schemas=gateway_cn_shanghai -Dquarkus.flyway.default-schema=gateway_cn_shanghai \
    -Dquarkus.datasource.reactive.additional-properties.search_path=gateway_cn_shanghai \
    -jar trigger-gateway/target/quarkus-app/quarkus-run.jar > "$DATA_DIR/logs/trigger-gateway-cn-shanghai.log" 2>&1 &
  pids+=($!)
  wait_for "the second region's gateway" "${pids[-1]}" 180 curl -sf "http://127.0.0.1:9090/q/health/ready"
  echo "  cn-shanghai ready"
fi

cat <<INFO

The system is running (logs in $DATA_DIR/logs):
  trigger-gateway    http://127.0.0.1:8080/   (signed OpenAPI endpoint; nothing else on this port)
  scheduler-service  http://127.0.0.1:8081/api/v1/...  (API docs: http://127.0.0.1:9081/q/swagger-ui)
  event-publisher    http://127.0.0.1:8082/api/v1/...  (API docs: http://127.0.0.1:9082/q/swagger-ui)
  tenant-registry    http://127.0.0.1:8083/api/v1/...  (API docs: http://127.0.0.1:9083/q/swagger-ui)
  Health and metrics of each service on its management port 9080-9083: /q/health/ready, /q/metrics
  PostgreSQL         jdbc:postgresql://127.0.0.1:$PG_PORT/triggerlayer (postgres/postgres)
  Kafka              127.0.0.1:$KAFKA_PORT
INFO
cat <<DEMO

Demo data (loaded by the services themselves on first start):
  tenant A 1001 (workspace 2001), tenant B 1002 (workspace 2002); B grants A's root account
  the right to trigger workspace 2002. AccessKeys: $DATA_DIR/demo-credentials.env
  Operator tokens for the admin APIs (one per service): $SECRETS/tokens.env
  Workflow 3002 in workspace 2002: HTTP trigger node 4001 (every 5 minutes) -> shell node 4002
  (echo "DataWorks"), instances generated right after deploy.
  Try: set -a; . $SECRETS/tokens.env; set +a
       curl -s -H "Authorization: Bearer \$REGISTRY_ADMIN_TOKEN" http://127.0.0.1:8083/api/v1/tenants
       curl -s -H "Authorization: Bearer \$SCHEDULER_ADMIN_TOKEN" 'http://127.0.0.1:8081/api/v1/instances?ProjectId=2002&TaskId=4001&PageSize=3'
DEMO
NEXT_SLOT=$(( ( $(date +%s) / 300 + 1 ) * 300 * 1000 ))
cat <<TRIGGER

First trigger: tenant A triggers tenant B's HTTP trigger node 4001 for its next 5-minute
instance, with A's own AccessKey under B's grant (paste in another terminal):

  set -a; . $DATA_DIR/demo-credentials.env; set +a
  demo/trigger --endpoint http://127.0.0.1:8080 --task-id 4001 --time $NEXT_SLOT \\
    --access-key-id-env TENANT_A_ACCESS_KEY_ID --access-key-secret-env TENANT_A_ACCESS_KEY_SECRET

It answers Success=true TriggerOutcome=Retained (the scheduled time is still ahead); at that
time the instance succeeds and shell node 4002 runs echo "DataWorks" (its log:
GET http://127.0.0.1:8081/api/v1/instances/<id>/log). Send it again afterwards and the gateway
refuses it (exit code 1): OperationDenied.AlreadyTriggered. (demo/trigger.sh does the same with
curl and openssl only.)
TRIGGER
if $two_regions; then
cat <<REGION

Second region cn-shanghai: Kafka 127.0.0.1:19192, MirrorMaker 2 (log: $DATA_DIR/logs/mirror-maker.log),
trigger-gateway http://127.0.0.1:8090/. The same trigger sent to the second region's gateway, for
the node homed in the first (cn-hangzhou): it travels there through MirrorMaker 2, is applied
once there, and its outcome comes back the same way:

  set -a; . $DATA_DIR/demo-credentials.env; set +a
  demo/trigger --endpoint http://127.0.0.1:8090 --task-id 4001 --time $((NEXT_SLOT + 300000)) \\
    --access-key-id-env TENANT_A_ACCESS_KEY_ID --access-key-secret-env TENANT_A_ACCESS_KEY_SECRET

It answers TriggerOutcome=Retained like the first region's gateway would (docs/federation.md).
REGION
fi
echo
echo "Press Ctrl-C to stop everything."
wait "${pids[0]}"
