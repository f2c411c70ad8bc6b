#!/usr/bin/env bash
# The client's own part of the TTFT, measured on the wire. The simulated server with a fixed
# TTFT and ITL runs as its own process in its own session (so the scheduler shares the cores
# between the two programs, not between their threads), tcpdump records the loopback traffic,
# and bench/wire-ttft.py compares, for every request, the TTFT the client reported with the
# time between its POST and its first generated text on the wire.
#
#   bench/wire-ttft.sh [build-dir] [concurrency]        e.g. bench/wire-ttft.sh build 1000
#
# Needs tcpdump (apt-get install tcpdump) and the right to capture (root or CAP_NET_RAW).
# Environment: PORT, TTFT_MS (default 100), ITL_MS (50), OUTPUT_LEN (60), NUM_PROMPTS (default
# the concurrency: one request per stream; more make a steady load), WARM=1 (send as many
# warm-up requests first, so the measured ones find their connections open), CLIENT_ARGS
# (extra flags for the client).
set -euo pipefail
build=${1:-build}
concurrency=${2:-1000}
cli="$build/bin/tokenstorm-cli"
port=${PORT:-18124}
ttft=${TTFT_MS:-100}
out=$(mktemp -d)
ulimit -n "$(ulimit -Hn)"
command -v tcpdump > /dev/null || { echo "tcpdump is missing: apt-get install tcpdump" >&2; exit 1; }

setsid "$cli" serve --preset fixed --ttft-ms "$ttft" --itl-ms "${ITL_MS:-50}" --port "$port" > "$out/server.log" 2>&1 &
server=$!
tcpdump -i lo -w "$out/run.pcap" -s 0 -B 65536 --time-stamp-precision=nano "tcp port $port" 2> "$out/tcpdump.log" &
capture=$!
trap 'kill $server $capture 2>/dev/null || true' EXIT
sleep 1

warm=()
[ "${WARM:-0}" = 1 ] && warm=(--num-warmups "$concurrency")
# shellcheck disable=SC2086
"$cli" run --base-url "http://127.0.0.1:$port" --model tokenstorm-sim --num-prompts "${NUM_PROMPTS:-$concurrency}" \
  --max-concurrency "$concurrency" --random-input-len 32 --random-output-len "${OUTPUT_LEN:-60}" \
  --metric-percentiles 50,99 --disable-tqdm ${CLIENT_ARGS:-} "${warm[@]}" \
  --save-result --save-detailed --result-dir "$out" --result-filename run.json > "$out/client.log"
sleep 2   # tcpdump hands over its last, partly filled buffer block after a second
kill -INT $capture; wait $capture || true
kill -INT $server; wait $server || true

grep -E '^(Mean|P99) (TTFT|ITL)|Client CPU' "$out/client.log"
tail -1 "$out/server.log"
grep -E 'dropped by kernel' "$out/tcpdump.log" || true
python3 "$(dirname "$0")/wire-ttft.py" "$out/run.pcap" "$port" "$out/run.json" "$ttft"
echo "(files in $out)"
