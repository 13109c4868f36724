#!/bin/sh
# Makes a cluster at the first start (database triggerlayer, superuser password from
# POSTGRES_PASSWORD_FILE), then runs PostgreSQL in the foreground. PGDATA is its directory.
set -eu
PGDATA=${PGDATA:-/var/lib/postgresql/data}
PORT=${PGPORT:-5432}
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  mkdir -p "$PGDATA" && chmod 0700 "$PGDATA"
  initdb -D "$PGDATA" -U postgres --auth-local=trust --auth-host=scram-sha-256 --pwfile="${POSTGRES_PASSWORD_FILE:?}" -E UTF8 --locale=C.UTF-8 >/dev/null
  echo "host all all 0.0.0.0/0 scram-sha-256" >> "$PGDATA/pg_hba.conf"
  pg_ctl -D "$PGDATA" -o "-c listen_addresses='' -c unix_socket_directories=/tmp" -w start >/dev/null
  psql -h /tmp -U postgres -q -c "create database triggerlayer"
  pg_ctl -D "$PGDATA" -m fast -w stop >/dev/null
fi
exec postgres -D "$PGDATA" -c listen_addresses='*' -c port="$PORT" -c unix_socket_directories=/tmp -c max_connections=200 -c jit=off
