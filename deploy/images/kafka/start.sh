#!/bin/sh
# Formats the data directory once (Kafka's own storage tool, as kafka-storage.sh does) and runs the
# broker. KAFKA_PORT and KAFKA_CONTROLLER_PORT choose its ports, KAFKA_DATA its directory.
set -eu
PORT=${KAFKA_PORT:-9092}
CONTROLLER=${KAFKA_CONTROLLER_PORT:-9094}
DATA=${KAFKA_DATA:-/var/lib/kafka}
HOST=${KAFKA_ADVERTISED_HOST:-127.0.0.1}
mkdir -p "$DATA"
CONFIG="$DATA/server.properties"
cat > "$CONFIG" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$CONTROLLER
listeners=PLAINTEXT://0.0.0.0:$PORT,CONTROLLER://127.0.0.1:$CONTROLLER
advertised.listeners=PLAINTEXT://$HOST:$PORT
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$DATA/logs
num.partitions=3
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
auto.create.topics.enable=false
group.initial.rebalance.delay.ms=0
PROPS
CP="/opt/kafka/libs/*"
if [ ! -f "$DATA/logs/meta.properties" ]; then
  java -cp "$CP" kafka.tools.StorageTool format --config "$CONFIG" --cluster-id "${KAFKA_CLUSTER_ID:-_8ds9x-NS-6bEv5IQd3mhQ}" --ignore-formatted
fi
exec java -Xmx512m -cp "$CP" kafka.Kafka "$CONFIG"
