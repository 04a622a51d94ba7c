#!/usr/bin/env bash
# with-postgres.sh COMMAND…: runs COMMAND beside a throwaway PostgreSQL cluster, with TEST_POSTGRES_URL pointing at
# it (not POSTGATEWAY_…, as the gateway the tests start refuses a variable of its prefix it does not know); the cluster
# is stopped and its folder removed when COMMAND ends, however it ends.
# CI has no PostgreSQL running: the cluster is made here from Debian's server binaries (initdb into a temporary folder,
# a free port on the loopback only, no password over a socket no one else can reach).
set -euo pipefail
BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$BIN/initdb" ] || { echo "with-postgres.sh: no PostgreSQL server binaries under /usr/lib/postgresql (apt-get install postgresql)" >&2; exit 1; }
CLUSTER=$(mktemp -d /tmp/postgateway-pg.XXXXXX)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# PostgreSQL refuses to run as root: as root, the cluster belongs to Debian's `postgres` user.
as_owner() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" = 0 ] && chown postgres: "$CLUSTER"
stop() {
  as_owner "$BIN/pg_ctl" stop -D "$CLUSTER/data" -m immediate >/dev/null 2>&1 || true
  rm -rf "$CLUSTER"
}
trap stop EXIT
USER_NAME=$(as_owner id -un)
# UTF-8 and the C collation: text compares byte for byte, as in SQLite (the ledger's times are ISO 8601 text).
as_owner "$BIN/initdb" -D "$CLUSTER/data" -U "$USER_NAME" --auth=trust --encoding=UTF8 --locale=C >"$CLUSTER/initdb.log" 2>&1 \
  || { cat "$CLUSTER/initdb.log" >&2; exit 1; }
# No fsync: the tests stop gateways, never this server or the machine, so its commits need not reach the disk to stay;
# and every test's CREATE DATABASE would otherwise sync megabytes while the SQLite suites wait on the same disk.
as_owner "$BIN/pg_ctl" start -D "$CLUSTER/data" -l "$CLUSTER/server.log" -w -t 60 \
  -o "-c listen_addresses=127.0.0.1 -c port=$PORT -c unix_socket_directories=$CLUSTER -c max_connections=200 -c fsync=off -c full_page_writes=off" >/dev/null \
  || { cat "$CLUSTER/server.log" >&2; exit 1; }
export TEST_POSTGRES_URL="postgres://$USER_NAME@127.0.0.1:$PORT/postgres?sslmode=disable"
echo "PostgreSQL $("$BIN/postgres" --version | awk '{print $3}') for the tests on 127.0.0.1:$PORT (a throwaway cluster in $CLUSTER)"
"$@"
