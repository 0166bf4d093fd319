#!/usr/bin/env bash
# scripts/run-valgrind.sh [test_name...]: runs C tests from ctests/ on our
# library under valgrind's memcheck, so that "never leak, never touch memory
# we do not own" is checked, not just claimed. A test fails on any memcheck
# error (invalid read/write, use of uninitialised memory, bad free) or on a
# block "definitely lost" at exit (memory kept on purpose, such as the
# buffer pool or terminated context handles waiting for reuse, is
# "still reachable" and allowed). Ends with "valgrind: N passed, N failed".
set -uo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO"

TESTS=("$@")
if [ ${#TESTS[@]} -eq 0 ]; then
    TESTS=(test_msg test_ctx test_pushpull test_pubsub test_reqrep test_router
           test_hwm test_monitor test_stream test_security test_proxy test_poller)
fi

if ! command -v valgrind >/dev/null; then
    echo "valgrind not installed"
    echo "valgrind: 0 passed, 1 failed"
    exit 1
fi

OUT="$REPO/build/valgrind"
rm -rf "$OUT"
mkdir -p "$OUT"
# Build the library and the tests (and check they pass without valgrind).
# The library is built with glibc's allocator alone (feature system-alloc,
# own target dir): memcheck tracks glibc's blocks, not those of the
# mimalloc heaps that serve small blocks otherwise (src/msg/alloc.rs).
if ! CARGO_TARGET_DIR="$REPO/target/valgrind" CTESTS_FEATURES=system-alloc \
    CTESTS_OUT="$OUT/ctests" scripts/run-ctests.sh "${TESTS[@]}" >"$OUT/build.log" 2>&1; then
    tail -n 20 "$OUT/build.log"
    echo "valgrind: 0 passed, 1 failed"
    exit 1
fi

passed=0
failed=0
for t in "${TESTS[@]}"; do
    bin="$OUT/ctests/ours/$t"
    log="$OUT/$t.log"
    # TU_VALGRIND: tests skip what cannot be clean under memcheck (a
    # forked child holds the parent's threads' memory, lost by nature).
    if TU_VALGRIND=1 LD_LIBRARY_PATH="$OUT/ctests/lib" timeout 600 valgrind --quiet \
        --leak-check=full --errors-for-leak-kinds=definite \
        --error-exitcode=99 "$bin" >"$log" 2>&1; then
        echo "PASS  valgrind/$t"
        passed=$((passed + 1))
    else
        echo "FAIL  valgrind/$t (log: ${log#$REPO/})"
        tail -n 30 "$log" | sed -e 's/^/      | /'
        failed=$((failed + 1))
    fi
done
echo "valgrind: $passed passed, $failed failed"
[ "$failed" = 0 ]
