#!/usr/bin/env bash
# The client's own cost and accuracy: CPU time per streamed token and TTFT error against the
# fixed-latency simulator (TTFT 100 ms, ITL 50 ms) at several concurrencies.
#
#   bench/client-overhead.sh [build-dir] [levels...]      e.g. bench/client-overhead.sh build 100 1000 2000
#
# The server runs as its own process, so the client's CPU time is its own. Each level sends as
# many requests as its concurrency, all at once, each generating OUTPUT_LEN tokens.
set -euo pipefail
build=${1:-build}
shift || true

[ $# -gt 0 ] && levels=("$@") || levels=(100 1000 2000)
cli="$build/bin/tokenstorm-cli"
port=${PORT:-18123}
output_len=${OUTPUT_LEN:-60}
out=$(mktemp -d)
ulimit -n "$(ulimit -Hn)"

"$cli" serve --preset fixed --ttft-ms 100 --itl-ms 50 --port "$port" > "$out/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
sleep 1

printf '%-6s %-9s %-10s %-10s %-10s %-10s %-9s %-12s\n' conc peak mean_ttft p50_ttft p99_ttft p99_itl cpu_s us/token
for c in "${levels[@]}"; do
  "$cli" run --base-url "http://127.0.0.1:$port" --model tokenstorm-sim --num-prompts "$c" \
    --max-concurrency "$c" --random-input-len 32 --random-output-len "$output_len" \
    --percentile-metrics ttft,tpot,itl,e2el --metric-percentiles 50,99 --disable-tqdm \
    --save-result --result-dir "$out" --result-filename "c$c.json" > "$out/c$c.log" 2>&1
  python3 - "$out/c$c.json" "$c" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
tok = r["total_output_tokens"]
print(f'{sys.argv[2]:<6} {r["max_concurrent_requests"]:<9} {r["mean_ttft_ms"]:<10.2f} {r["p50_ttft_ms"]:<10.2f} '
      f'{r["p99_ttft_ms"]:<10.2f} {r["p99_itl_ms"]:<10.2f} {r["client_cpu_seconds"]:<9.2f} '
      f'{r["client_cpu_seconds"] * 1e6 / tok:<12.1f}')
PY
done
kill -INT $server; wait $server || true
echo "--- server"; tail -2 "$out/server.log"
echo "(files in $out)"
