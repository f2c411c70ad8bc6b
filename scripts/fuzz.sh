#!/usr/bin/env bash
# Fuzzing and the sanitizer run of the engine's tests, in build-fuzz/ (clang; the engine built
# with ASan + UBSan and libFuzzer's coverage feedback). docs/fuzzing.md explains the workflow.
#
#   scripts/fuzz.sh build                    configure build-fuzz/ and build the fuzz targets
#   scripts/fuzz.sh run [SECONDS] [NAME...]  run each fuzz target (all by default) for SECONDS (30)
#   scripts/fuzz.sh engine-tests             build the engine's tests there and run them
#   scripts/fuzz.sh ci                       engine-tests, build, then run every target 30 s
#
# Any sanitizer report, broken invariant, crash, leak, timeout (10 s per input) or memory use
# over 2 GB fails the command. New inputs that reach new code go to build-fuzz/corpus/NAME/,
# inputs that fail to build-fuzz/crashes/; tests/fuzz/corpus/NAME/ (the seeds) is only read.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
build=build-fuzz
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$root}
# Qt is not instrumented; lsan.supp names the few leaks of Qt's own that show, never ours.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:halt_on_error=1:abort_on_error=1:strict_string_checks=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$root/tests/fuzz/lsan.supp:print_suppressions=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

fuzzers() { sed -n 's/^set(TOKENSTORM_FUZZERS \(.*\))$/\1/p' tests/fuzz/CMakeLists.txt; }
engine_tests() { sed -n 's/^tokenstorm_add_test(\([A-Za-z0-9_]*\).*/\1/p' tests/engine/*.cmake; }

configure() {
    [ -f "$build/build.ninja" ] && return
    CC=clang CXX=clang++ cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DTOKENSTORM_FUZZ=ON -DTOKENSTORM_SANITIZE=ON -DTOKENSTORM_BUILD_GUI=OFF
}

build() {
    configure
    cmake --build "$build" --parallel "$(nproc)" --target fuzzers
}

run() {
    local seconds=${1:-30}
    shift || true
    local names=("$@")
    ((${#names[@]})) || read -ra names <<<"$(fuzzers)"
    mkdir -p "$build/crashes"
    local failed=()
    for name in "${names[@]}"; do
        echo "== fuzz_$name: ${seconds} s"
        mkdir -p "$build/corpus/$name"
        if ! "$build/bin/fuzz_$name" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 \
            -print_final_stats=1 -artifact_prefix="$build/crashes/$name-" \
            "$build/corpus/$name" "tests/fuzz/corpus/$name"; then
            failed+=("$name")
        fi
    done
    if ((${#failed[@]})); then
        echo "Fuzzing found problems in: ${failed[*]} (inputs in $build/crashes/)" >&2
        return 1
    fi
}

engine_tests_run() {
    configure
    local tests
    mapfile -t tests < <(engine_tests)
    cmake --build "$build" --parallel "$(nproc)" --target "${tests[@]}"
    # The tokenizer tests' real tokenizers: reuse those of the normal build instead of fetching them again.
    if [ -d build/tokenizers ] && [ ! -d "$build/tokenizers" ]; then
        cp -r build/tokenizers "$build/tokenizers"
    fi
    local pattern
    pattern="^($(IFS='|'; echo "${tests[*]}"))\$"
    ctest --test-dir "$build" -R "$pattern" --output-on-failure --timeout 900
}

case "${1:-}" in
build) build ;;
run) shift; run "$@" ;;
engine-tests) engine_tests_run ;;
ci) engine_tests_run; build; run 30 ;;
*) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
