#!/usr/bin/env bash
# The nightly reconciliation over a million dossiers on each side, beside the bare limit measured in the same run:
# a plain scan that reads both ledgers (every page of the one-stop's list over HTTP, every row of the gateway's
# query) and compares nothing. Each step is its own process, so each peak memory is that step's own.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.build/release/postgateway
DOSSIERS=${BENCH_RECONCILIATION_DOSSIERS:-1000000}
DATA=$(mktemp -d /tmp/postgateway-reconcile-bench.XXXXXX)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
mkdir -p reports
REPORT=reports/bench-reconciliation.md
export POSTGATEWAY_LOG_LEVEL=warning
SANDBOX=""
trap '[ -n "$SANDBOX" ] && kill $SANDBOX 2>/dev/null; wait 2>/dev/null; rm -rf "$DATA"' EXIT

SEED=$("$BIN" benchmark-reconciliation seed --dossiers "$DOSSIERS" --days 30 --data-dir "$DATA")
echo "$SEED"
read -r _ FROM TO <<<"$(grep '^range ' <<<"$SEED")"

"$BIN" sandbox --port "$PORT" --data-dir "$DATA" >"$DATA/sandbox.log" 2>&1 &
SANDBOX=$!
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$PORT/_sandbox/health" >/dev/null 2>&1 && break; sleep 0.1; done
URL="http://127.0.0.1:$PORT"

SCAN=$("$BIN" benchmark-reconciliation scan --data-dir "$DATA" --onestop-url "$URL" --from "$FROM" --to "$TO")
DRY=$("$BIN" reconcile --data-dir "$DATA" --onestop-url "$URL" --from "$FROM" --to "$TO" --dry-run | head -1) || true
REAL=$("$BIN" reconcile --data-dir "$DATA" --onestop-url "$URL" --from "$FROM" --to "$TO" | head -1) || true
{
  echo "## Reconciliation, $DOSSIERS dossiers on each side ($FROM … $TO)"
  echo
  echo "- bare limit — $SCAN"
  echo "- dry run — $DRY"
  echo "- run with repairs — $REAL"
  echo
  echo "(goal: at most 10 s and 400 MB)"
} | tee "$REPORT"
