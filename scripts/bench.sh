#!/usr/bin/env bash
# Intake throughput over HTTP beside the bare limit of the same server, measured in the same run.
# The bare route is GET /health (no ledger, no JSON parsing): what this HTTP server does with nothing to do.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.build/release/postgateway
DURATION=${BENCH_DURATION:-5s}
ROUNDS=${BENCH_ROUNDS:-5}
CONNECTIONS=${BENCH_CONNECTIONS:-64}
THREADS=${BENCH_THREADS:-1}
DATA=$(mktemp -d /tmp/postgateway-bench.XXXXXX)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
mkdir -p reports
REPORT=reports/bench-intake.md

# Intake alone: no forwarding and no sandbox in this process (forwarding has its own benchmark).
# Public tracking limits are raised: the benchmark is one client asking for many codes, which is what they stop.
# start_server: the gateway on $PORT.
start_server() {
  env POSTGATEWAY_TRACKING_PER_CLIENT=10000000 POSTGATEWAY_TRACKING_PER_CODE=10000000 \
    POSTGATEWAY_LOG_LEVEL=warning POSTGATEWAY_FORWARDING_ENABLED=false "$BIN" serve --port "$PORT" --data-dir "$DATA" --sandbox-port off \
    >>"$DATA/server.log" 2>&1 &
  SERVER=$!
  for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$PORT/health" >/dev/null 2>&1 && break; sleep 0.1; done
  curl -fs "http://127.0.0.1:$PORT/health" >/dev/null || { echo "the gateway did not start:" >&2; tail -20 "$DATA/server.log" >&2; exit 1; }
}
stop_server() { kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; }
start_server
trap 'stop_server; rm -rf "$DATA"' EXIT
# Intake is a staff route: a counter clerk's API token, made as an operator would.
PG_TOKEN=$("$BIN" token create --role clerk --office 250000 --label bench --data-dir "$DATA")
export PG_TOKEN

cat >"$DATA/intake.lua" <<'LUA'
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("thread_id", threads)
end
local counter = 0
local body = [[{"service":"sendAndReturn","procedureCode":"2.000635","agencyCode":"000.42.20.H55","officeCode":"250000",
"applicant":{"fullName":"Nguyễn Thị Hồng Nhung","idNumber":"019190001234","phone":"0912345678","address":"Số 12, tổ 5, phường Phan Đình Phùng"},
"resultAddress":"Số 12, tổ 5","resultAddressUnitCode":"05443","documents":[{"name":"Tờ khai","copies":1,"kind":"original"}],
"fees":{"postage":30000,"administrativeFee":8000}}]]
function request()
  counter = counter + 1
  local key = string.format("bench-%d-%d-%d", thread_id, counter, os.time())
  return wrk.format("POST", "/api/v1/dossiers", {["Content-Type"] = "application/json", ["Idempotency-Key"] = key,
                                                 ["Authorization"] = "Bearer " .. os.getenv("PG_TOKEN")}, body)
end
function done(summary, latency, requests)
  io.write(string.format("errors: %d\n", summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
LUA

# The bare route is driven through the same kind of Lua request function as intake (a fresh key per request), so
# that both runs pay the same load-generator cost on this two-core machine and the ratio measures the server.
cat >"$DATA/bare.lua" <<'LUA'
local counter = 0
function request()
  counter = counter + 1
  return wrk.format("GET", "/health", {["Idempotency-Key"] = string.format("bench-%d-%d", counter, os.time())})
end
LUA

run_wrk() { wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$@"; }
rps() { awk '/Requests\/sec/ {print $2}' "$1"; }
p99() { awk '$1 == "99%" {print $2}' "$1"; }
non2xx() { awk '/Non-2xx/ {s += $5} END {print s + 0}' "$@"; }

# This machine's two cores are shared with other guests, and their speed drifts by a factor of two within a minute.
# So the bare route and the route measured take turns, round after round, each ratio is taken between neighbours,
# and the report gives every round and the median ratio.
# rounds NAME LUA: ROUNDS pairs of (bare, NAME) runs, into $DATA/bare-NAME-i.txt and $DATA/NAME-i.txt.
rounds() {
  for i in $(seq 1 "$ROUNDS"); do
    run_wrk -s "$DATA/bare.lua" "http://127.0.0.1:$PORT/" >"$DATA/bare-$1-$i.txt"
    run_wrk -s "$2" "http://127.0.0.1:$PORT/" >"$DATA/$1-$i.txt"
  done
}
# table NAME ROUTE: the rounds as a table; sets MEDIAN to the median of their ratios.
table() {
  echo "| round | bare GET /health requests/s | p99 | $2 requests/s | p99 | ratio |"
  echo "|---|---|---|---|---|---|"
  local ratios=()
  for i in $(seq 1 "$ROUNDS"); do
    local bare subject ratio
    bare=$(rps "$DATA/bare-$1-$i.txt"); subject=$(rps "$DATA/$1-$i.txt")
    ratio=$(python3 -c "print(f'{100*$subject/$bare:.1f}')")
    ratios+=("$ratio")
    echo "| $i | $bare | $(p99 "$DATA/bare-$1-$i.txt") | $subject | $(p99 "$DATA/$1-$i.txt") | $ratio % |"
  done
  MEDIAN=$(printf '%s\n' "${ratios[@]}" | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}')
}

echo "Warming up…"
wrk -t1 -c8 -d2s "http://127.0.0.1:$PORT/health" >/dev/null
rounds intake "$DATA/intake.lua"
DOSSIERS=$(sqlite3 "$DATA/ledger.sqlite" "SELECT COUNT(*) FROM dossier")
BATCHES=$(curl -fs "http://127.0.0.1:$PORT/metrics" | awk '/^postgateway_intake_batch_size_count/ {print $2}')
{
  echo "# Intake benchmark ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $ROUNDS rounds of wrk -t$THREADS -c$CONNECTIONS -d$DURATION per route)"
  echo
  table intake "POST /api/v1/dossiers (synchronous=FULL)"
  echo
  echo "Intake is **$MEDIAN %** of the bare route (median of the rounds)."
  echo "$DOSSIERS dossiers written in $BATCHES commits. Non-2xx answers to intake: $(non2xx "$DATA"/intake-*.txt);"
  echo "wrk's socket errors: $(grep -h '^errors:' "$DATA"/intake-*.txt | awk '{s += $2} END {print s + 0}')."
} | tee "$REPORT"
# A refused intake is a fast 422: a figure made of them would measure the validator, not the ledger.
if [ "$(non2xx "$DATA"/intake-*.txt)" != 0 ] || [ "$DOSSIERS" = 0 ]; then
  echo "intake answered other than 201: the benchmark's request no longer passes; fix it in scripts/bench.sh" >&2
  exit 1
fi

# Against the physical limit of a durable intake on this disk: the same five rows, one transaction each at
# synchronous=FULL, by a plain GRDB loop (Sources/PostGatewayBench) on a ledger of its own, taking turns with intake.
LIMIT_DATA="$DATA/limit"
"$BIN" migrate --data-dir "$LIMIT_DATA" >/dev/null
ratios=()
{
  echo
  echo "| round | intake requests/s | p99 | durable loop commits/s | p99 | ratio |"
  echo "|---|---|---|---|---|---|"
  for i in $(seq 1 "$ROUNDS"); do
    run_wrk -s "$DATA/intake.lua" "http://127.0.0.1:$PORT/" >"$DATA/limit-intake-$i.txt"
    loop=$(.build/release/PostGatewayBench durable-intake --ledger "$LIMIT_DATA/ledger.sqlite" --seconds "${DURATION%s}" --first-serial $((10000000 + i * 1000000)))
    commits=$(echo "$loop" | awk '{print $1}'); loop_p99=$(echo "$loop" | awk '{print $4 " " $5}' | tr -d ,)
    ratio=$(python3 -c "print(f'{$(rps "$DATA/limit-intake-$i.txt")/$commits:.2f}')")
    ratios+=("$ratio")
    echo "| $i | $(rps "$DATA/limit-intake-$i.txt") | $(p99 "$DATA/limit-intake-$i.txt") | $commits | $loop_p99 | ${ratio}× |"
  done
  LIMIT_MEDIAN=$(printf '%s\n' "${ratios[@]}" | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}')
  echo
  echo "Intake is **${LIMIT_MEDIAN}×** the durable loop (median of the rounds; floor 0.5×, p99 at most 50 ms; group commit should beat 1×)."
} | tee -a "$REPORT"

# Public tracking: lookups of the dossiers the intake run wrote, by tracking number, taking turns with the bare route.
cat >"$DATA/track.lua" <<LUA
local count = $DOSSIERS
local weights = {8, 6, 4, 2, 3, 5, 9, 7}
local counter = 0
function number(serial)
  local digits = string.format("%08d", serial)
  local sum = 0
  for i = 1, 8 do sum = sum + tonumber(digits:sub(i, i)) * weights[i] end
  local check = 11 - sum % 11
  if check == 10 then check = 0 elseif check == 11 then check = 5 end
  return "PH" .. digits .. check .. "VN"
end
function request()
  counter = counter + 1
  return wrk.format("GET", "/api/v1/track/" .. number((counter - 1) % count + 1), {["Idempotency-Key"] = string.format("bench-%d", counter)})
end
LUA
# Every lookup is read from the ledger (there is no answer cache), round after round against the bare route.
rounds track "$DATA/track.lua"
{
  echo "# Public tracking benchmark ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $ROUNDS rounds of wrk -t$THREADS -c$CONNECTIONS -d$DURATION per route)"
  echo
  table track "GET /api/v1/track/{trackingNumber} over $DOSSIERS dossiers, each lookup read from the ledger"
  echo
  echo "Lookups are **$MEDIAN %** of the bare route (median of the rounds; floor: 30 %, p99 at most 10 ms)."
  echo "Non-2xx: $(non2xx "$DATA"/track-*.txt)."
} | tee reports/bench-tracking.md
