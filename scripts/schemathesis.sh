#!/usr/bin/env bash
# Runs schemathesis against the live gateway over its own /openapi.yaml: every documented operation, with examples
# drawn from the spec's own patterns, bounds and enums, and every check (`--checks all`), once as an admin and once
# as a clerk.
# The seed and the number of examples are fixed, so a run is repeatable and bounded. Needs the debug build.
# The coverage phase is the one that sends each path the methods it does not take (405 with Allow) and every boundary
# of every parameter. One worker: Python 3.11's ast module counts recursion in one place for all threads
# (CPython gh-106905), so two workers describing Hypothesis lambdas at once stop with "AST constructor recursion depth
# mismatch" inside schemathesis, nothing of ours.
#   scripts/schemathesis.sh [extra schemathesis options]     BIN=… PORT=… EXAMPLES=… override the defaults
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-.build/debug/postgateway}
DATA=$(mktemp -d /tmp/postgateway-schemathesis.XXXXXX)
# A port nothing listens on, unless one is given.
PORT=${PORT:-$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
SERVER=""
cleanup() {
  [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null && wait "$SERVER" 2>/dev/null || true
  rm -rf "$DATA"
}
trap cleanup EXIT

"$BIN" migrate --data-dir "$DATA" >/dev/null
ADMIN=$("$BIN" token create --role admin --label schemathesis --data-dir "$DATA")
CLERK=$("$BIN" token create --role clerk --office 250000 --label schemathesis --data-dir "$DATA")
# Rate limits high enough for a fuzzer; no one-stop (forwarding off), so nothing leaves the machine.
POSTGATEWAY_TRACKING_PER_CLIENT=1000000 POSTGATEWAY_TRACKING_PER_CODE=1000000 \
  "$BIN" serve --data-dir "$DATA" --port "$PORT" --sandbox-port off >"$DATA/server.log" 2>&1 &
SERVER=$!
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$PORT/health" >/dev/null 2>&1 && break; sleep 0.1; done
curl -fs "http://127.0.0.1:$PORT/health" >/dev/null || { echo "the gateway did not start:" >&2; cat "$DATA/server.log" >&2; exit 1; }

fuzz() {
  echo "== schemathesis as $1"
  .venv/bin/schemathesis --config-file schemathesis.toml run "http://127.0.0.1:$PORT/openapi.yaml" \
    --checks all --seed 20261205 --max-examples "${EXAMPLES:-20}" --workers 1 \
    --header "Authorization: Bearer $2" --phases examples,coverage,fuzzing \
    --suppress-health-check all --request-timeout 10 "${@:3}"
}
# Both runs, so that one's failures do not hide the other's.
status=0
fuzz admin "$ADMIN" "$@" || status=1
# A clerk is refused what is a supervisor's (403), and sees only their own office: the other half of the statuses.
fuzz clerk "$CLERK" "$@" || status=1
exit $status
