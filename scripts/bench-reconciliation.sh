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

# This machine's cores are shared with other guests and their speed drifts within minutes, so the plain scan and the
# dry run take turns, round after round; then one run repairs, and one more shows what is left after the repairs.
ROUNDS=${BENCH_ROUNDS:-3}
seconds() { sed -n 's/.* \([0-9.]*\) s, peak memory.*/\1/p' <<<"$1" | tail -1; }
{
  echo "## Reconciliation, $DOSSIERS dossiers on each side ($FROM … $TO), $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores"
  echo
  echo "| round | bare limit: plain scan of both ledgers | dry run | dry run / scan |"
  echo "|---|---|---|---|"
} >"$REPORT"
for i in $(seq 1 "$ROUNDS"); do
  SCAN=$("$BIN" benchmark-reconciliation scan --data-dir "$DATA" --onestop-url "$URL" --from "$FROM" --to "$TO")
  DRY=$("$BIN" reconcile --data-dir "$DATA" --onestop-url "$URL" --from "$FROM" --to "$TO" --dry-run | head -1) || true
  # A run that printed no time (it failed) leaves its row without a ratio rather than stopping the benchmark.
  RATIO=$(python3 -c "print(f'{$(seconds "$DRY")/$(seconds "$SCAN"):.2f}')" 2>/dev/null || echo "n/a")
  echo "| $i | $SCAN | $DRY | $RATIO |" >>"$REPORT"
done
REAL=$("$BIN" reconcile --data-dir "$DATA" --onestop-url "$URL" --from "$FROM" --to "$TO" | head -1) || true
AGAIN=$("$BIN" reconcile --data-dir "$DATA" --onestop-url "$URL" --from "$FROM" --to "$TO" --dry-run | head -1) || true
{
  echo
  echo "- run with repairs — $REAL"
  echo "- dry run after it — $AGAIN"
  echo
  echo "(goal: at most 10 s and 400 MB)"
} >>"$REPORT"
cat "$REPORT"
