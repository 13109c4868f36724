#!/usr/bin/env bash
# Builds every image the local container run needs, from Debian packages and this build alone (no
# registry is needed):
#   localhost/triggerlayer/debian:bookworm   debootstrap --variant=minbase, docs and apt lists stripped
#   localhost/triggerlayer/jre:17            that + a jlinked runtime of Debian's OpenJDK 17, user 185
#   localhost/triggerlayer/postgres:15       that Debian + postgresql-15
#   localhost/triggerlayer/kafka:<version>   the jre image + the embedded broker's jars (kafka.version)
#   triggerlayer/<service>:<tag>             the four services, built by Quarkus' container-image
#                                            extension from deploy/images/Dockerfile.jvm on the jre image
# Base images are cached in podman (and the root file system in $WORK); --rebuild makes them again.
# Runs as root (debootstrap, chroot). On a machine that reaches the public registries, the services'
# images build the usual way instead: ./mvnw package -Dquarkus.container-image.build=true (UBI base).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
WORK=${TRIGGERLAYER_IMAGE_WORK:-/var/tmp/triggerlayer-images}
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
SERVICES=(tenant-registry scheduler-service trigger-gateway event-publisher)
KAFKA_VERSION=$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' pom.xml)
TAG=$(sed -n 's:.*<quarkus.container-image.tag>\(.*\)</quarkus.container-image.tag>.*:\1:p' pom.xml)
PATH_ENV='PATH=/opt/java/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
rebuild=false
[[ "${1:-}" == "--rebuild" ]] && rebuild=true

deploy/containers-setup.sh
mkdir -p "$WORK"
exists() { ! $rebuild && podman image exists "$1"; }
slim() { # a root file system without what a container never reads
  rm -rf "$1"/usr/share/doc/* "$1"/usr/share/man/* "$1"/usr/share/info/* "$1"/var/cache/apt/* "$1"/var/lib/apt/lists/* \
    "$1"/var/log/*.log "$1"/var/cache/debconf/*-old
  find "$1"/usr/share/locale -mindepth 1 -maxdepth 1 ! -name 'en*' ! -name locale.alias -exec rm -rf {} +
}
import() { # dir image [--change ...]
  local dir=$1 image=$2; shift 2
  tar --numeric-owner -C "$dir" -c . | podman import -q "$@" - "$image" >/dev/null
  echo "  $image: $(podman image inspect "$image" --format '{{.Size}}' | awk '{printf "%.0f MB", $1/1e6}')"
}

if $rebuild || [[ ! -f "$WORK/debian/.complete" ]]; then
  echo "debootstrap bookworm (minbase) ..."
  rm -rf "$WORK/debian"
  debootstrap --variant=minbase bookworm "$WORK/debian" "$MIRROR" > "$WORK/debootstrap.log" 2>&1 \
    || { tail -20 "$WORK/debootstrap.log"; exit 1; }
  touch "$WORK/debian/.complete"
fi

if ! exists localhost/triggerlayer/debian:bookworm; then
  rm -rf "$WORK/base" && cp -a "$WORK/debian" "$WORK/base" && rm -f "$WORK/base/.complete"
  # The services' user: uid 185 as in the UBI OpenJDK images, so the manifests fit both.
  echo 'triggerlayer:x:185:185:triggerlayer:/deployments:/usr/sbin/nologin' >> "$WORK/base/etc/passwd"
  echo 'triggerlayer:x:185:' >> "$WORK/base/etc/group"
  mkdir -p "$WORK/base/deployments" && chown 185:185 "$WORK/base/deployments"
  slim "$WORK/base"
  import "$WORK/base" localhost/triggerlayer/debian:bookworm --change "ENV $PATH_ENV"
fi

if ! exists localhost/triggerlayer/jre:17; then
  # A runtime of the modules the services, Kafka and PostgreSQL's driver use, from the JDK this
  # machine builds with (Debian's openjdk-17-jdk-headless): 54 MB instead of the JRE package's 400.
  rm -rf "$WORK/jre-root" && cp -a "$WORK/base" "$WORK/jre-root"
  jlink --add-modules java.base,java.compiler,java.datatransfer,java.desktop,java.instrument,java.logging,java.management,java.management.rmi,java.naming,java.net.http,java.prefs,java.rmi,java.scripting,java.security.jgss,java.security.sasl,java.sql,java.sql.rowset,java.transaction.xa,java.xml,java.xml.crypto,jdk.crypto.cryptoki,jdk.crypto.ec,jdk.jfr,jdk.management,jdk.management.agent,jdk.naming.dns,jdk.net,jdk.security.auth,jdk.security.jgss,jdk.unsupported,jdk.zipfs,jdk.localedata,jdk.charsets,jdk.jcmd \
    --include-locales=en --strip-debug --no-man-pages --no-header-files --compress=2 --output "$WORK/jre-root/opt/java"
  import "$WORK/jre-root" localhost/triggerlayer/jre:17 --change "ENV $PATH_ENV" --change "ENV JAVA_HOME=/opt/java" --change "USER 185"
fi

if ! exists localhost/triggerlayer/postgres:15; then
  rm -rf "$WORK/pg-root" && cp -a "$WORK/debian" "$WORK/pg-root" && rm -f "$WORK/pg-root/.complete"
  cp /etc/resolv.conf "$WORK/pg-root/etc/resolv.conf"
  mkdir -p "$WORK/pg-root/etc/postgresql-common"
  # The container makes its own cluster at its first start (postgres/start.sh), in its volume.
  echo 'create_main_cluster = false' > "$WORK/pg-root/etc/postgresql-common/createcluster.conf"
  chroot "$WORK/pg-root" /bin/sh -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql-15' \
    > "$WORK/postgres-apt.log" 2>&1 || { tail -20 "$WORK/postgres-apt.log"; exit 1; }
  mkdir -p "$WORK/pg-root/var/lib/postgresql/data" && chroot "$WORK/pg-root" chown postgres:postgres /var/lib/postgresql/data
  install -m 0755 deploy/images/postgres/start.sh "$WORK/pg-root/usr/local/bin/postgres-start"
  # No JIT (jit=off in start.sh): LLVM is half the package's weight.
  rm -f "$WORK"/pg-root/usr/lib/x86_64-linux-gnu/libLLVM-*.so* "$WORK"/pg-root/usr/lib/postgresql/15/lib/llvmjit*
  rm -rf "$WORK"/pg-root/usr/lib/postgresql/15/lib/bitcode
  : > "$WORK/pg-root/etc/resolv.conf"
  slim "$WORK/pg-root"
  import "$WORK/pg-root" localhost/triggerlayer/postgres:15 --change "ENV $PATH_ENV:/usr/lib/postgresql/15/bin" \
    --change "USER postgres" --change 'ENTRYPOINT ["/usr/local/bin/postgres-start"]'
fi

if ! exists "localhost/triggerlayer/kafka:$KAFKA_VERSION"; then
  rm -rf "$WORK/kafka" && mkdir -p "$WORK/kafka"
  ./mvnw -B -q -f deploy/images/kafka/pom.xml dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$WORK/kafka/libs"
  cp deploy/images/kafka/start.sh "$WORK/kafka/start.sh"
  podman build -q -t "localhost/triggerlayer/kafka:$KAFKA_VERSION" -f deploy/images/kafka/Containerfile "$WORK/kafka" >/dev/null
  echo "  localhost/triggerlayer/kafka:$KAFKA_VERSION: $(podman image inspect "localhost/triggerlayer/kafka:$KAFKA_VERSION" --format '{{.Size}}' | awk '{printf "%.0f MB", $1/1e6}')"
fi

echo "Service images (Quarkus container-image, base localhost/triggerlayer/jre:17) ..."
modules=$(IFS=,; echo "${SERVICES[*]}")
./mvnw -B -q package -DskipTests -pl "$modules" -am \
  -Dquarkus.container-image.build=true -Dquarkus.podman.build-args.BASE_IMAGE=localhost/triggerlayer/jre:17 -Dnative-sources.skip=true
for s in "${SERVICES[@]}"; do
  echo "  triggerlayer/$s:$TAG: $(podman image inspect "triggerlayer/$s:$TAG" --format '{{.Size}}' | awk '{printf "%.0f MB", $1/1e6}')"
done
