#!/usr/bin/env bash
# The whole system in containers on this machine: the `local` Kubernetes overlay played by podman.
#   deploy/run-containers.sh up [--build|--rebuild]
#                         build the images if missing (--build: the services' again; --rebuild: all),
#                         start, wait until ready
#   deploy/run-containers.sh down [--purge]   stop and remove the pods (--purge: the data volumes too)
#   deploy/run-containers.sh status           the pods and their containers
# Needs root (podman as root, images from Debian packages: deploy/images/build.sh). Secrets are
# generated once into $DATA/secrets (0700, files 0600); the demo tenants' AccessKeys appear in
# $DATA/demo/demo-credentials.env once the registry has started.
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=/var/lib/triggerlayer-containers
PLAY="$DATA/local.yaml"
SERVICES=(tenant-registry:9083 scheduler-service:9081 trigger-gateway:9080 event-publisher:9082)
TAG=$(sed -n 's:.*<quarkus.container-image.tag>\(.*\)</quarkus.container-image.tag>.*:\1:p' pom.xml)
KAFKA_VERSION=$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' pom.xml)
command=${1:-up}
option=${2:-}

if [[ $(id -u) != 0 ]]; then echo "run as root (podman as root, see deploy/README.md)" >&2; exit 1; fi
deploy/containers-setup.sh

down() {
  if [[ -f $PLAY ]]; then podman kube down "$PLAY" >/dev/null 2>&1 || true; fi
  if [[ $option == --purge ]]; then
    podman volume rm -f triggerlayer-postgres triggerlayer-kafka >/dev/null 2>&1 || true
    echo "Stopped; data volumes removed."
  else
    echo "Stopped (data kept in the podman volumes triggerlayer-postgres and triggerlayer-kafka)."
  fi
}

secrets() {
  local dir="$DATA/secrets"
  [[ -f "$dir/tokens.env" ]] && return
  rand() { head -c "$1" /dev/urandom | base64 | tr -d '/+=\n'; }
  key() { head -c 32 /dev/urandom | base64; }
  (umask 077
  mkdir -p "$dir" "$DATA/demo"
  local feed db query
  feed=$(key); db=$(rand 24); query=$(rand 24); holds=$(rand 24)
  printf 'REGISTRY_ADMIN_TOKEN=%s\nSCHEDULER_ADMIN_TOKEN=%s\nPUBLISHER_ADMIN_TOKEN=%s\n' "$(rand 24)" "$(rand 24)" "$(rand 24)" > "$dir/tokens.env"
  . "$dir/tokens.env"
  for s in tenant-registry scheduler-service trigger-gateway event-publisher postgres; do mkdir -p "$dir/$s"; done
  printf '%s' "$db" > "$dir/postgres/password"
  common="DB_USER=postgres\nDB_PASSWORD=$db\n"
  printf "${common}triggerlayer.operator.tokens.admin.secret=%s\nregistry.at-rest.active=k1\nregistry.at-rest.keys.k1=%s\nregistry.feed.active=f1\nregistry.feed.keys.f1=%s\nregistry.demo.enabled=true\nregistry.demo.credentials-file=/var/lib/triggerlayer/demo/demo-credentials.env\nregistry.scheduler.token=%s\n" \
    "$REGISTRY_ADMIN_TOKEN" "$(key)" "$feed" "$holds" > "$dir/tenant-registry/secrets.properties"
  printf "${common}triggerlayer.operator.tokens.admin.secret=%s\ntriggerlayer.operator.tokens.gateway.secret=%s\ntriggerlayer.operator.tokens.registry.secret=%s\nscheduler.demo.enabled=true\n" \
    "$SCHEDULER_ADMIN_TOKEN" "$query" "$holds" > "$dir/scheduler-service/secrets.properties"
  printf "${common}gateway.registry-feed.keys.f1=%s\ngateway.scheduler.token=%s\ngateway.endpoints=127.0.0.1:8080,localhost:8080\n" \
    "$feed" "$query" > "$dir/trigger-gateway/secrets.properties"
  printf "${common}triggerlayer.operator.tokens.admin.secret=%s\npublisher.at-rest.active=k1\npublisher.at-rest.keys.k1=%s\npublisher.delivery.allowed-private-targets=127.0.0.0/8\n" \
    "$PUBLISHER_ADMIN_TOKEN" "$(key)" > "$dir/event-publisher/secrets.properties"
  )
  # Each container reads only its own directory: the services run as uid 185, PostgreSQL as 100.
  for s in tenant-registry scheduler-service trigger-gateway event-publisher; do chown -R 185:185 "$dir/$s"; done
  chown -R 100:100 "$dir/postgres"
  chown 185:185 "$DATA/demo"
  chmod 0755 "$dir"
}

up() {
  local missing=false
  for image in "triggerlayer/tenant-registry:$TAG" "triggerlayer/scheduler-service:$TAG" "triggerlayer/trigger-gateway:$TAG" \
               "triggerlayer/event-publisher:$TAG" localhost/triggerlayer/postgres:15 "localhost/triggerlayer/kafka:$KAFKA_VERSION"; do
    podman image exists "$image" || missing=true
  done
  if $missing || [[ $option == --rebuild || $option == --build ]]; then
    echo "Building the images (deploy/images/build.sh) ..."
    deploy/images/build.sh $( [[ $option == --rebuild ]] && echo --rebuild )
  fi
  mkdir -p "$DATA" && chmod 0755 "$DATA"
  secrets
  # The claims become podman volumes; podman refuses to play a claim whose volume exists (a restart).
  kubectl kustomize deploy/kubernetes/overlays/local 2>/dev/null \
    | awk 'BEGIN { RS = "---\n"; ORS = "" } !/\nkind: PersistentVolumeClaim\n/ { if (n++) print "---\n"; print }' > "$PLAY"
  for volume in triggerlayer-postgres triggerlayer-kafka; do
    podman volume exists "$volume" || podman volume create "$volume" >/dev/null
  done
  echo "Starting the local overlay with podman kube play ..."
  podman kube play --replace "$PLAY" > "$DATA/play.log" 2>&1 || { cat "$DATA/play.log"; exit 1; }
  local deadline=$((SECONDS + ${TRIGGERLAYER_READY_TIMEOUT:-240}))
  for s in "${SERVICES[@]}"; do
    until curl -sf "http://127.0.0.1:${s##*:}/q/health/ready" >/dev/null 2>&1; do
      if ((SECONDS > deadline)); then
        echo "${s%%:*} is not ready; its log:"; podman logs --tail 40 "${s%%:*}-pod-0-${s%%:*}" 2>&1 || true; exit 1
      fi
      sleep 1
    done
    echo "  ${s%%:*} ready"
  done
  local next=$(( ( $(date +%s) / 300 + 1 ) * 300 * 1000 ))
  cat <<INFO

The system runs in podman pods (deploy/run-containers.sh status; logs: podman logs <pod>-<container>):
  trigger-gateway :8080, scheduler-service :8081, event-publisher :8082, tenant-registry :8083,
  their management ports 9080-9083; PostgreSQL :25432, Kafka :29092.
  Operator tokens: $DATA/secrets/tokens.env; demo AccessKeys: $DATA/demo/demo-credentials.env

First trigger (tenant A triggers tenant B's HTTP trigger node 4001 for its next 5-minute instance):
  set -a; . $DATA/demo/demo-credentials.env; set +a
  demo/trigger --endpoint http://127.0.0.1:8080 --task-id 4001 --time $next \\
    --access-key-id-env TENANT_A_ACCESS_KEY_ID --access-key-secret-env TENANT_A_ACCESS_KEY_SECRET
Stop with: deploy/run-containers.sh down
INFO
}

case $command in
  up) up ;;
  down) down ;;
  status) podman pod ps; podman ps -a --format '{{.Names}}  {{.Status}}' ;;
  *) echo "usage: $0 up [--build|--rebuild] | down [--purge] | status" >&2; exit 2 ;;
esac
