#!/usr/bin/env bash
# The nightly reconciliation over a million dossiers on each side, beside the bare limit measured in the same run:
# a plain scan that reads both ledgers (every page of the one-stop's list over HTTP, every row of the gateway's
# query) and compares nothing. Each step is its own process, so each peak memory is that step's own.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.build/release/postgateway
BENCH=.build/release/PostGatewayBench
DOSSIERS=${BENCH_RECONCILIATION_DOSSIERS:-1000000}
DATA=$(mktemp -d /tmp/postgateway-reconcile-bench.XXXXXX)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
mkdir -p reports
REPORT=reports/bench-reconciliation.md
export POSTGATEWAY_LOG_LEVEL=warning
SANDBOX=""
trap '[ -n "$SANDBOX" ] && kill $SANDBOX 2>/dev/null; wait 2>/dev/null; rm -rf "$DATA"' EXIT

SEED=$("$BENCH" reconciliation seed --dossiers "$DOSSIERS" --days 30 --data-dir "$DATA")
echo "$SEED"
read -r _ FROM TO <<<"$(grep '^range ' <<<"$SEED")"

"$BIN" sandbox --port "$PORT" --data-dir "$DATA" >"$DATA/sandbox.log" 2>&1 &
SANDBOX=$!
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$PORT/_sandbox/health" >/dev/null 2>&1 && break; sleep 0.1; done
URL="http://127.0.0.1:$PORT"

# This machine's cores are shared with other guests and their speed drifts within minutes, so every run has a plain
# scan just before it: three dry runs, then one that repairs, then a dry run to show what the repairs left.
ROUNDS=${BENCH_ROUNDS:-3}
seconds() { sed -n 's/.* \([0-9.]*\) s, peak memory.*/\1/p' <<<"$1" | tail -1; }
{
  echo "## Reconciliation, $DOSSIERS dossiers on each side ($FROM … $TO), $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores"
  echo
  echo "| run | bare limit: plain scan of both ledgers just before | the run | run / scan |"
  echo "|---|---|---|---|"
} >"$REPORT"
# measure NAME [--dry-run]: a plain scan, then the run, as one row of the table.
measure() {
  local name=$1; shift
  local scan run ratio
  scan=$("$BENCH" reconciliation scan --data-dir "$DATA" --onestop-url "$URL" --from "$FROM" --to "$TO")
  run=$("$BIN" reconcile --data-dir "$DATA" --onestop-url "$URL" --from "$FROM" --to "$TO" "$@" | head -1) || true
  # A run that printed no time (it failed) leaves its row without a ratio rather than stopping the benchmark.
  ratio=$(python3 -c "print(f'{$(seconds "$run")/$(seconds "$scan"):.2f}')" 2>/dev/null || echo "n/a")
  echo "| $name | $scan | $run | $ratio |" >>"$REPORT"
}
for i in $(seq 1 "$ROUNDS"); do measure "dry run $i" --dry-run; done
measure "with repairs"
measure "dry run after the repairs" --dry-run
echo >>"$REPORT"
echo "(goal: at most 10 s and 400 MB)" >>"$REPORT"
cat "$REPORT"
