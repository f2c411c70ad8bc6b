#!/usr/bin/env bash
# The client's own cost and accuracy: CPU time per streamed token and TTFT error against the
# fixed-latency simulator (TTFT 100 ms, ITL 50 ms) at several concurrencies.
#
#   bench/client-overhead.sh [build-dir] [levels...]      e.g. bench/client-overhead.sh build 100 1000 2000
#
# The server runs as its own process, so the client's CPU time is its own, and in its own
# session (setsid): with the kernel's autogroups the two programs then share the cores equally
# when both are busy, however many threads each runs. The server's CPU
# time per token (from /proc) is printed next to it, both processes' CPU use in % of one core
# over the measured part, and the machine's load average before each level, since both
# processes share the machine's cores. Each level sends as many
# requests as its concurrency, all at once, each generating OUTPUT_LEN tokens.
# Environment: PORT, OUTPUT_LEN, REPEAT (runs per level, default 1), CLIENT_ARGS (extra flags),
# WARM=1 (first --num-warmups C requests, so the measured ones find their connections open),
# SERVER_CLI (the tokenstorm-cli that serves, default the build's own: to compare two clients
# against one server).
set -euo pipefail
build=${1:-build}
shift || true

[ $# -gt 0 ] && levels=("$@") || levels=(100 1000 2000)
cli="$build/bin/tokenstorm-cli"
port=${PORT:-18123}
output_len=${OUTPUT_LEN:-60}
repeat=${REPEAT:-1}
out=$(mktemp -d)
ulimit -n "$(ulimit -Hn)"
ticks=$(getconf CLK_TCK)

setsid "${SERVER_CLI:-$cli}" serve --preset fixed --ttft-ms 100 --itl-ms 50 --port "$port" > "$out/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
sleep 1

# utime + stime of a process, in clock ticks.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

printf '%-6s %-5s %-6s %-10s %-10s %-10s %-9s %-7s %-9s %-8s %-10s %-8s\n' \
  conc peak load1 mean_ttft p50_ttft p99_ttft p99_itl cpu_s us/token cli_cpu% srv_us/tok srv_cpu%
for c in "${levels[@]}"; do
  for r in $(seq 1 "$repeat"); do
    load=$(cut -d' ' -f1 /proc/loadavg)
    warm=()
    served=1   # requests the server answered per measured request
    if [ "${WARM:-0}" = 1 ]; then warm=(--num-warmups "$c"); served=2; fi
    before=$(cpu_ticks $server)
    # shellcheck disable=SC2086
    "$cli" run --base-url "http://127.0.0.1:$port" --model tokenstorm-sim --num-prompts "$c" \
      --max-concurrency "$c" --random-input-len 32 --random-output-len "$output_len" \
      --percentile-metrics ttft,tpot,itl,e2el --metric-percentiles 50,99 --disable-tqdm \
      ${CLIENT_ARGS:-} "${warm[@]}" --save-result --result-dir "$out" --result-filename "c$c-$r.json" > "$out/c$c-$r.log" 2>&1
    after=$(cpu_ticks $server)
    python3 - "$out/c$c-$r.json" "$c" "$load" "$((after - before))" "$ticks" "$served" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
tok = r["total_output_tokens"]
srv_s = int(sys.argv[4]) / int(sys.argv[5])
srv_tok = tok * int(sys.argv[6])
dur = r["duration"]
cpu = r["client_cpu_seconds"]
print(f'{sys.argv[2]:<6} {r["max_concurrent_requests"]:<5} {sys.argv[3]:<6} {r["mean_ttft_ms"]:<10.1f} '
      f'{r["p50_ttft_ms"]:<10.1f} {r["p99_ttft_ms"]:<10.1f} {r["p99_itl_ms"]:<9.1f} '
      f'{cpu:<7.2f} {cpu * 1e6 / tok:<9.1f} {100 * cpu / dur:<8.0f} '
      f'{srv_s * 1e6 / srv_tok:<10.1f} {100 * srv_s / dur:<8.0f}')
PY
  done
done
kill -INT $server; wait $server || true
echo "--- server"; tail -2 "$out/server.log"
echo "(files in $out)"
