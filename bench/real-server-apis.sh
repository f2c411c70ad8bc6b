#!/usr/bin/env bash
# Runs the same small workload through every API a real server speaks and prints, per API, what
# the server reported: requests completed, prompt tokens per request (min-max), output tokens,
# TTFT and TPOT. With no --tokenizer, prompts are fitted through the server's own tokenize
# endpoint, so every request's prompt should count exactly INPUT_LEN tokens on the server.
#
#   bench/real-server-apis.sh [build-dir] [base-url] [backend ...]
#   e.g. bench/real-server-apis.sh build http://127.0.0.1:8088 openai openai-chat openai-responses anthropic llama.cpp
#
# How to build and start llama.cpp's server offline: docs/backends.md.
# Environment: MODEL (default: asked from the server), NUM_PROMPTS (16), CONCURRENCY (4),
# INPUT_LEN (100), OUTPUT_LEN (32), CLIENT_ARGS (extra flags).
set -euo pipefail
build=${1:-build}
url=${2:-http://127.0.0.1:8088}
shift 2 || true
apis=("$@")
[ ${#apis[@]} -gt 0 ] || apis=(openai openai-chat openai-responses anthropic llama.cpp)
out=$(mktemp -d)
model=()
[ -n "${MODEL:-}" ] && model=(--model "$MODEL")

printf '%-18s %9s %13s %9s %10s %10s %s\n' backend completed prompt-tokens output ttft-ms tpot-ms tokenizer
for api in "${apis[@]}"; do
  file="$out/$api.json"
  # shellcheck disable=SC2086
  if ! "$build/bin/tokenstorm-cli" run --backend "$api" --base-url "$url" "${model[@]}" \
      --num-prompts "${NUM_PROMPTS:-16}" --max-concurrency "${CONCURRENCY:-4}" \
      --random-input-len "${INPUT_LEN:-100}" --random-output-len "${OUTPUT_LEN:-32}" \
      --save-result --save-detailed --result-filename "$file" --disable-tqdm ${CLIENT_ARGS:-} > "$out/$api.log" 2>&1; then
    echo "$api: the run failed, see $out/$api.log" >&2
  fi
  [ -f "$file" ] || continue
  python3 - "$api" "$file" <<'PY'
import json, sys
api, path = sys.argv[1], sys.argv[2]
r = json.load(open(path))
lens = r.get("input_lens") or [0]
print(f"{api:<18} {r['completed']:>4}/{r['num_prompts']:<4} {min(lens):>6}-{max(lens):<6} "
      f"{r.get('total_output_tokens', 0):>9} {r.get('mean_ttft_ms', 0):>10.1f} {r.get('mean_tpot_ms', 0):>10.1f} "
      f"{r.get('tokenizer_source', '?')}")
PY
done
echo "files and logs: $out"
