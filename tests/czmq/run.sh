#!/usr/bin/env bash
# tests/czmq/run.sh [--system]: real client libraries built for libzmq,
# run unchanged on libzmq-rs.
#
#   czmq-*      tests/czmq/t_*.c, C programs on Debian's CZMQ 4.2.1, and
#               CZMQ's own self-tests of its libzmq classes (t_selftest.c)
#               (libczmq.so.4 pulls libzmq.so.5 in indirectly). Ours is
#               forced in with LD_PRELOAD=<dir>/libzmq.so.5 (a symlink to
#               the debug build of `cargo build --lib`); each program checks
#               zmq_version() with --expect-version 4.3.5 and prints the
#               libzmq path it really mapped (/proc/self/maps).
#   cppzmq-*    tests/cppzmq, built with CMake find_package(cppzmq) on top
#               of OUR installed CMake package (ZeroMQConfig.cmake, target
#               libzmq), then run; it must report 4.3.5. The prefix is
#               $LIBZMQ_RS_PREFIX when set (e.g. the one scripts/test.sh
#               installs), else scripts/install.sh --no-demo into a temp dir.
#
# --system runs the same programs on Debian's libzmq 4.3.4 (which checks
# the programs themselves); cppzmq then goes through cppzmq's pkg-config
# fallback to Debian's libzmq.
# Names listed in tests/czmq/XFAIL are expected failures (counted skipped).
# Last line: "N passed, N failed[, N skipped]"; exit 1 on an unexpected
# failure. Logs: build/czmq-logs/<name>.log.
set -uo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export PATH="$HOME/.cargo/bin:$PATH"
HERE="$REPO/tests/czmq"
SYSTEM=0
for a in "$@"; do
    case "$a" in
        --system) SYSTEM=1 ;;
        -h|--help) sed -n '2,24p' "$0"; exit 0 ;;
        *) echo "unknown argument $a" >&2; exit 2 ;;
    esac
done

LOGS="$REPO/build/czmq-logs"
rm -rf "$LOGS"
mkdir -p "$LOGS"
WORK="$(mktemp -d /tmp/libzmq-rs-czmq.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT
XFAIL_LIST=" $(sed -e 's/#.*//' "$HERE/XFAIL" 2>/dev/null | tr -s ' \n\t' ' ') "
PASSED=0
FAILED=0
SKIPPED=0

# result NAME RC: count and print one program's outcome.
result() {
    local name="$1" rc="$2" log="$LOGS/$1.log"
    if [ "$rc" = 0 ]; then
        case "$XFAIL_LIST" in
            *" $name "*) echo "XPASS $name (listed in tests/czmq/XFAIL: remove it)" ;;
            *) echo "PASS  $name" ;;
        esac
        PASSED=$((PASSED + 1))
        return
    fi
    case "$XFAIL_LIST" in
        *" $name "*)
            if [ "$SYSTEM" = 0 ]; then
                echo "XFAIL $name (expected failure, see tests/czmq/XFAIL)"
                SKIPPED=$((SKIPPED + 1))
                return
            fi
            ;;
    esac
    echo "FAIL  $name (rc $rc, log: ${log#$REPO/})"
    tail -n 15 "$log" | sed -e 's/^/      | /'
    FAILED=$((FAILED + 1))
}

if [ "$SYSTEM" = 1 ]; then
    VERSION=4.3.4
    RUNENV=()
else
    VERSION=4.3.5
    TARGET_DIR="${CARGO_TARGET_DIR:-$REPO/target}"
    echo "==> cargo build --lib (target dir $TARGET_DIR)"
    if ! (cd "$REPO" && cargo build --lib) >"$LOGS/cargo-build.log" 2>&1; then
        tail -n 30 "$LOGS/cargo-build.log"
        echo "0 passed, 1 failed"
        exit 1
    fi
    mkdir -p "$WORK/lib"
    ln -s "$TARGET_DIR/debug/libzmq.so" "$WORK/lib/libzmq.so.5"
    RUNENV=(env "LD_PRELOAD=$WORK/lib/libzmq.so.5" "LD_LIBRARY_PATH=$WORK/lib")
fi

# ---- CZMQ programs ----------------------------------------------------------
for src in "$HERE"/t_*.c; do
    base="$(basename "$src" .c)"
    name="czmq-${base#t_}"
    log="$LOGS/$name.log"
    if ! gcc -std=c99 -Wall -Wextra -Werror -o "$WORK/$base" "$src" -lczmq -lzmq >"$log" 2>&1; then
        result "$name" 1
        continue
    fi
    # each program has its own watchdog (alarm); timeout is a backstop
    (cd "$WORK" && timeout -k 5 90 "${RUNENV[@]}" "./$base" --expect-version "$VERSION") >>"$log" 2>&1
    rc=$?
    # proof of which library was mapped
    if [ "$rc" = 0 ] && [ "$SYSTEM" = 0 ] && ! grep -q "loaded from $TARGET_DIR/debug/libzmq.so" "$log"; then
        echo "libzmq-rs was not the library mapped" >>"$log"
        rc=5
    fi
    result "$name" "$rc"
done

# ---- cppzmq (CMake find_package(cppzmq) over our ZeroMQ package) -----------------
log="$LOGS/cppzmq-build.log"
CMAKE_ARGS=(-DCMAKE_BUILD_TYPE=Release)
PREFIX=""
if [ "$SYSTEM" = 0 ]; then
    PREFIX="${LIBZMQ_RS_PREFIX:-}"
    if [ -z "$PREFIX" ]; then
        PREFIX="$WORK/prefix"
        echo "==> scripts/install.sh --no-demo $PREFIX"
        "$REPO/scripts/install.sh" --no-demo "$PREFIX" >"$LOGS/install.log" 2>&1 \
            || { PREFIX=""; cat "$LOGS/install.log" >"$log"; }
    fi
    [ -n "$PREFIX" ] && CMAKE_ARGS+=(-DCMAKE_PREFIX_PATH="$PREFIX" -DEXPECT_PREFIX="$PREFIX")
fi
if [ "$SYSTEM" = 0 ] && [ -z "$PREFIX" ]; then
    result cppzmq-build 1
    echo "SKIP  cppzmq (not built)"
    SKIPPED=$((SKIPPED + 1))
elif ! { cmake -S "$REPO/tests/cppzmq" -B "$WORK/cppzmq" "${CMAKE_ARGS[@]}" \
            && cmake --build "$WORK/cppzmq" -j 2; } >"$log" 2>&1; then
    result cppzmq-build 1
    echo "SKIP  cppzmq (not built)"
    SKIPPED=$((SKIPPED + 1))
else
    result cppzmq-build 0
    log="$LOGS/cppzmq.log"
    ldd "$WORK/cppzmq/cppzmq_test" | grep libzmq >"$log"
    rc=0
    if [ "$SYSTEM" = 0 ] && ! grep -q "libzmq.so.5 => $PREFIX/lib/" "$log"; then
        echo "cppzmq_test does not load libzmq from $PREFIX/lib" >>"$log"
        rc=5
    fi
    if [ "$rc" = 0 ]; then
        (cd "$WORK" && timeout -k 5 60 "$WORK/cppzmq/cppzmq_test" --expect-version "$VERSION") >>"$log" 2>&1
        rc=$?
    fi
    result cppzmq "$rc"
fi

echo
if [ "$SKIPPED" -gt 0 ]; then
    echo "$PASSED passed, $FAILED failed, $SKIPPED skipped"
else
    echo "$PASSED passed, $FAILED failed"
fi
[ "$FAILED" = 0 ]
