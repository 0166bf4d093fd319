#!/usr/bin/env bash
# scripts/perf-smoke.sh [--release] [--reference] [--no-build] [CASE...]
#
# Smoke test of the benchmark programs in perf/: compiles them (gcc against
# Debian's /usr/include/zmq.h, -lzmq, no rpath), builds OUR library
# (`cargo build --lib`, or --release; $OURS_LIB names a ready libzmq.so
# instead; --no-build takes the existing target/<profile>/libzmq.so), and
# runs each program once with tiny counts on it over tcp, ipc and inproc:
#   thr-tcp thr-ipc thr-inproc lat-tcp lat-ipc lat-inproc
#   fanout-tcp fanout-ipc fanout-inproc mem-tcp mem-ipc
# (or only the CASE names given). A case passes when its programs exit 0,
# print their RESULT line, and every one of them really ran on the intended
# library (its "LIB version=... path=..." line: 4.3.5 and our .so). No
# timing is asserted. --reference runs the same cases on Debian's libzmq
# 4.3.4 instead, which checks the programs themselves.
# Ends with "N passed, N failed"; exit status 1 if any case failed.
# Logs: build/perf-smoke/logs/.
set -uo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$HOME/.cargo/bin:$PATH"
cd "$REPO"

PROFILE=debug
REFERENCE=0
BUILD_LIB=1
CASES=()
while [ $# -gt 0 ]; do
    case "$1" in
        --release) PROFILE=release ;;
        --reference) REFERENCE=1 ;;
        --no-build) BUILD_LIB=0 ;;
        -h | --help) sed -n '2,20p' "$0"; exit 0 ;;
        *) CASES+=("$1") ;;
    esac
    shift
done
[ ${#CASES[@]} -gt 0 ] || CASES=(thr-tcp thr-ipc thr-inproc lat-tcp lat-ipc lat-inproc
    fanout-tcp fanout-ipc fanout-inproc mem-tcp mem-ipc curve-tcp)

OUT="$REPO/build/perf-smoke"
BIN="$OUT/bin"
LOGS="$OUT/logs"
TMP="$(mktemp -d /tmp/zmq-perf-smoke.XXXXXX)"
PIDS=()
cleanup() {
    local p
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
    rm -rf "$TMP"
}
trap cleanup EXIT
mkdir -p "$BIN" "$LOGS"
rm -f "$LOGS"/*
export PERF_TIMEOUT_MS="${PERF_TIMEOUT_MS:-10000}"
T=60 # wall-clock limit of one program

if ! make -s -C "$REPO/perf" OUT="$BIN" >"$LOGS/build-perf.log" 2>&1; then
    cat "$LOGS/build-perf.log"
    echo "cannot build the perf programs"
    echo "0 passed, ${#CASES[@]} failed"
    exit 1
fi

if [ "$REFERENCE" = 1 ]; then
    LIBDIR=""
    WANT_VERSION=4.3.4
    WANT_PATH="$(readlink -f /usr/lib/x86_64-linux-gnu/libzmq.so.5 2>/dev/null ||
        echo /usr/lib/x86_64-linux-gnu/libzmq.so.5)"
    echo "perf smoke on Debian's libzmq ($WANT_PATH)"
else
    SO="${OURS_LIB:-}"
    if [ -z "$SO" ]; then
        TARGET="${CARGO_TARGET_DIR:-$REPO/target}"
        if [ "$BUILD_LIB" = 1 ]; then
            flag=""
            [ "$PROFILE" = release ] && flag=--release
            # shellcheck disable=SC2086
            if ! cargo build --lib $flag >"$LOGS/cargo-build.log" 2>&1; then
                tail -n 30 "$LOGS/cargo-build.log"
                echo "cargo build failed"
                echo "0 passed, ${#CASES[@]} failed"
                exit 1
            fi
        fi
        SO="$TARGET/$PROFILE/libzmq.so"
    fi
    if [ ! -f "$SO" ]; then
        echo "no library at $SO"
        echo "0 passed, ${#CASES[@]} failed"
        exit 1
    fi
    LIBDIR="$OUT/lib"
    mkdir -p "$LIBDIR"
    ln -sfn "$(readlink -f "$SO")" "$LIBDIR/libzmq.so.5"
    WANT_VERSION=4.3.5
    WANT_PATH="$(readlink -f "$SO")"
    echo "perf smoke on libzmq-rs ($WANT_PATH)"
fi

# run NAME PROG ARGS...: one program in the foreground, logs NAME.out/.err.
run() {
    local name="$1" prog="$2"
    shift 2
    LD_LIBRARY_PATH="$LIBDIR" timeout "$T" "$BIN/$prog" "$@" \
        >"$LOGS/$name.out" 2>"$LOGS/$name.err"
}

# start NAME PROG ARGS...: one binding program in the background; sets BG
# to its pid and EP to the ENDPOINT it printed (10 s at most).
start() {
    local name="$1" prog="$2" i
    shift 2
    LD_LIBRARY_PATH="$LIBDIR" timeout "$T" "$BIN/$prog" "$@" \
        >"$LOGS/$name.out" 2>"$LOGS/$name.err" &
    BG=$!
    PIDS+=("$BG")
    EP=""
    for i in $(seq 200); do
        EP="$(sed -n 's/^ENDPOINT //p' "$LOGS/$name.out" 2>/dev/null | head -n1)"
        [ -n "$EP" ] && return 0
        kill -0 "$BG" 2>/dev/null || break
        sleep 0.05
    done
    echo "$prog printed no ENDPOINT"
    return 1
}

# stop PID: wait for a background program; kill it first if $2 says so.
stop() {
    [ "${2:-}" = kill ] && kill "$1" 2>/dev/null
    wait "$1"
}

# verify NAME...: each log has a LIB line for the intended library.
verify() {
    local name line ok=0
    for name in "$@"; do
        line="$(grep -m1 '^LIB ' "$LOGS/$name.err")"
        if [ "$line" != "LIB version=$WANT_VERSION path=$WANT_PATH" ]; then
            echo "$name: wanted 'LIB version=$WANT_VERSION path=$WANT_PATH', got '${line:-nothing}'"
            ok=1
        fi
    done
    return $ok
}

has_result() {
    grep -q '^RESULT ' "$LOGS/$1.out" || { echo "$1 printed no RESULT line"; return 1; }
}

endpoint() {
    case "$1" in
        tcp) echo 'tcp://127.0.0.1:*' ;;
        ipc) echo "ipc://$TMP/$2" ;;
        inproc) echo "inproc://smoke-$2" ;;
    esac
}

# two-process case: BINDER CONNECTER TRANSPORT SIZE COUNT
pair_case() {
    local binder="$1" connecter="$2" tr="$3" size="$4" count="$5" name="$CASE"
    start "$name-$binder" "$binder" "$(endpoint "$tr" "$name")" "$size" "$count" || {
        stop "$BG" kill
        return 1
    }
    if ! run "$name-$connecter" "$connecter" "$EP" "$size" "$count"; then
        echo "$connecter failed"
        stop "$BG" kill
        verify "$name-$connecter" "$name-$binder"
        return 1
    fi
    stop "$BG" || { echo "$binder failed"; return 1; }
    verify "$name-$binder" "$name-$connecter" || return 1
    has_result "$name-$binder" || has_result "$name-$connecter"
}

case_thr() {
    if [ "$1" = inproc ]; then
        run "$CASE" inproc_thr 64 100 && verify "$CASE" && has_result "$CASE" &&
            run "$CASE-big" inproc_thr 100000 10 && verify "$CASE-big" && has_result "$CASE-big"
    else
        pair_case thr_recv thr_send "$1" 64 100 && pair_case thr_recv thr_send "$1" 100000 10
    fi
}

case_lat() {
    if [ "$1" = inproc ]; then
        run "$CASE" inproc_lat 64 100 && verify "$CASE" && has_result "$CASE"
    else
        pair_case lat_server lat_client "$1" 64 100
    fi
}

# CURVE (PERF_CURVE=1): the throughput and latency pairs with security on.
case_curve() {
    PERF_CURVE=1 pair_case thr_recv thr_send "$1" 64 100 &&
        PERF_CURVE=1 pair_case lat_server lat_client "$1" 1000 50
}

case_fanout() {
    run "$CASE" pubsub_fanout "$(endpoint "$1" fanout)" 64 100 3 && verify "$CASE" &&
        has_result "$CASE" &&
        grep -q ' delivered=300 ' "$LOGS/$CASE.out"
}

case_mem() {
    local peers=50 rc=0
    start "$CASE-router" mem_router "$(endpoint "$1" mem)" "$peers" || {
        stop "$BG" kill
        return 1
    }
    local router="$BG"
    run "$CASE-dealers1" mem_dealers "$EP" 25 &
    local d1=$!
    PIDS+=("$d1")
    run "$CASE-dealers2" mem_dealers "$EP" 25 || { echo "mem_dealers failed"; rc=1; }
    wait "$d1" || { echo "mem_dealers failed"; rc=1; }
    if [ "$rc" = 0 ]; then
        stop "$router" || { echo "mem_router failed"; rc=1; }
    else
        stop "$router" kill
    fi
    verify "$CASE-router" "$CASE-dealers1" "$CASE-dealers2" || rc=1
    [ "$rc" = 0 ] && has_result "$CASE-router"
}

PASSED=0
FAILED=0
for CASE in "${CASES[@]}"; do
    bench="${CASE%-*}"
    tr="${CASE##*-}"
    case "$bench:$tr" in
        thr:tcp | thr:ipc | thr:inproc | lat:tcp | lat:ipc | lat:inproc | \
            fanout:tcp | fanout:ipc | fanout:inproc | mem:tcp | mem:ipc | curve:tcp) ;;
        *) echo "unknown case $CASE"; FAILED=$((FAILED + 1)); continue ;;
    esac
    if "case_$bench" "$tr" >"$LOGS/$CASE.why" 2>&1; then
        echo "PASS  perf-$CASE"
        PASSED=$((PASSED + 1))
    else
        echo "FAIL  perf-$CASE"
        sed -e 's/^/      | /' "$LOGS/$CASE.why"
        for f in "$LOGS/$CASE"*.err; do
            [ -s "$f" ] && grep -v '^LIB ' "$f" | tail -n 5 | sed -e "s@^@      | $(basename "$f"): @"
        done
        FAILED=$((FAILED + 1))
    fi
done

echo "$PASSED passed, $FAILED failed"
[ "$FAILED" = 0 ]
