#!/usr/bin/env bash
# scripts/bench.sh: libzmq-rs vs Debian's libzmq vs omq-libzmq, side by side.
#
# Builds the perf/ programs ONCE (gcc, Debian's /usr/include/zmq.h, -lzmq,
# no rpath) and runs the very same binaries on each library by pointing
# LD_LIBRARY_PATH at a directory that holds it as libzmq.so.5:
#   debian  Debian's libzmq5 (system default, no LD_LIBRARY_PATH)
#   ours    libzmq-rs: `cargo build --release --lib` -> target/release/libzmq.so
#           (or $OURS_LIB: a libzmq.so to use as is)
#   omq     omq-libzmq from crates.io, built as a cdylib in $OMQ_DIR
#           (default /tmp/omq-build, outside the repo; or $OMQ_LIB: a .so);
#           the column is skipped with a note if it cannot be built
# Every program prints "LIB version=... path=..." (the file mapped at
# zmq_version in /proc/self/maps); a run whose library is not the intended
# one aborts the benchmark.
#
# Cases: throughput (thr), latency (lat) and PUB/SUB fan-out (fanout, $SUBS
# subscribers) over tcp, ipc and inproc, throughput and latency with CURVE
# security (curve-thr, curve-lat: the same programs with PERF_CURVE=1;
# tcp and ipc only, inproc has no security mechanism), message sizes 1 B, 64 B, 1 KiB,
# 64 KiB, 1 MiB with counts scaled per size; and memory (mem): peak RSS of a
# process with one ROUTER and $MEM_PEERS (10000) connected DEALERs (the
# dealers live in other processes, $MEM_CHUNK per process, over tcp).
# Each repetition runs every case once on each library, libraries adjacent
# in time and their order rotated per repetition.
#
# Environment:
#   REPS=5            repetitions          QUICK=1   1 rep, 2 sizes, small counts
#   LIBS="debian ours omq"                 SIZES="1 64 1024 65536 1048576"
#   TRANSPORTS="tcp ipc inproc"   BENCHES="thr lat fanout curve-thr curve-lat mem"
#   SCALE=1           multiplies every message count (e.g. 0.2 for a quick look)
#   SUBS=4  MEM_PEERS=10000  MEM_CHUNK=4000  MEM_TRANSPORTS="tcp"
#   RESULTS=perf/results                   PERF_TIMEOUT_MS=30000 (per socket op)
#   MEM_TIMEOUT_MS=120000 (per socket op in the memory test)
# Output: a table of medians with ratios lib/debian (throughput: higher is
# better; latency and memory: lower is better), $RESULTS/bench-raw.csv (every
# run), $RESULTS/bench-medians.csv and, if python3 has matplotlib,
# $RESULTS/bench-ratios.png. Logs of every run: build/bench/logs/.
set -uo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$HOME/.cargo/bin:$PATH"
cd "$REPO"

QUICK="${QUICK:-0}"
if [ "$QUICK" = 1 ]; then
    REPS="${REPS:-1}"
    SIZES="${SIZES:-64 65536}"
    SCALE="${SCALE:-0.1}"
    MEM_PEERS="${MEM_PEERS:-1000}"
else
    REPS="${REPS:-5}"
    SIZES="${SIZES:-1 64 1024 65536 1048576}"
    SCALE="${SCALE:-1}"
    MEM_PEERS="${MEM_PEERS:-10000}"
fi
LIBS="${LIBS:-debian ours omq}"
TRANSPORTS="${TRANSPORTS:-tcp ipc inproc}"
BENCHES="${BENCHES:-thr lat fanout curve-thr curve-lat mem}"
SUBS="${SUBS:-4}"
MEM_CHUNK="${MEM_CHUNK:-4000}"
MEM_TRANSPORTS="${MEM_TRANSPORTS:-tcp}"
RESULTS="${RESULTS:-$REPO/perf/results}"
OMQ_DIR="${OMQ_DIR:-/tmp/omq-build}"
export PERF_TIMEOUT_MS="${PERF_TIMEOUT_MS:-30000}"
MEM_TIMEOUT_MS="${MEM_TIMEOUT_MS:-120000}"
RUN_TIMEOUT=$((PERF_TIMEOUT_MS / 1000 * 3 + 30))

BUILD="$REPO/build/bench"
BIN="$BUILD/bin"
LOGS="$BUILD/logs"
TMP="$(mktemp -d /tmp/zmq-bench.XXXXXX)"
trap 'rm -rf "$TMP"' EXIT
mkdir -p "$BIN" "$LOGS" "$RESULTS"
rm -rf "$LOGS"
mkdir -p "$LOGS"

say() { printf '%s\n' "$*" >&2; }

# Raise the descriptor limit for the memory test (10000 connections).
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

# ---- build the perf programs once -------------------------------------------
say "== building perf programs (gcc, /usr/include/zmq.h) into ${BIN#$REPO/}"
if ! make -s -C "$REPO/perf" OUT="$BIN" >"$LOGS/build-perf.log" 2>&1; then
    cat "$LOGS/build-perf.log" >&2
    say "cannot build perf programs"
    exit 1
fi

# ---- the libraries ------------------------------------------------------------
declare -A LIBDIR LIBPATH
ACTIVE=()

# probe NAME DIR: run a tiny inproc case on the library in DIR ("" = system)
# and remember the real path of the .so it loaded.
probe() {
    local name="$1" dir="$2" out try
    for try in 1 2 3; do
        out="$(LD_LIBRARY_PATH="$dir" PERF_TIMEOUT_MS=5000 timeout 60 \
            "$BIN/inproc_lat" 16 10 2>&1)" && break
        say "   $name: probe run $try failed: $(tail -n 3 <<<"$out" | tr '\n' ' ')"
        [ "$try" = 3 ] && return 1
    done
    local line
    line="$(grep -m1 '^LIB ' <<<"$out")"
    LIBPATH[$name]="$(sed -n 's/.* path=//p' <<<"$line")"
    LIBDIR[$name]="$dir"
    say "   $name: ${line#LIB }"
    return 0
}

# libdir_for NAME SO: a directory holding SO under the name libzmq.so.5.
libdir_for() {
    local d="$BUILD/lib-$1"
    mkdir -p "$d"
    ln -sfn "$(readlink -f "$2")" "$d/libzmq.so.5"
    echo "$d"
}

setup_debian() {
    probe debian "" || return 1
    case "${LIBPATH[debian]}" in
        /usr/lib/*libzmq.so*) return 0 ;;
    esac
    say "   debian: loaded ${LIBPATH[debian]}, not Debian's libzmq (LD_LIBRARY_PATH set?)"
    return 1
}

setup_ours() {
    local so="${OURS_LIB:-}"
    if [ -z "$so" ]; then
        local target="${CARGO_TARGET_DIR:-$REPO/target}"
        say "   ours: cargo build --release --lib (target $target)"
        if ! cargo build --release --lib >"$LOGS/build-ours.log" 2>&1; then
            say "   ours: release build failed (see ${LOGS#$REPO/}/build-ours.log)"
            return 1
        fi
        so="$target/release/libzmq.so"
    fi
    [ -f "$so" ] || { say "   ours: $so missing"; return 1; }
    probe ours "$(libdir_for ours "$so")" || return 1
    [ "${LIBPATH[ours]}" = "$(readlink -f "$so")" ] && return 0
    say "   ours: loaded ${LIBPATH[ours]}, expected $(readlink -f "$so")"
    return 1
}

# omq-libzmq: take the crate source from cargo's registry (after fetching it
# through a throw-away project if needed) and build its cdylib in OMQ_DIR.
setup_omq() {
    local so="${OMQ_LIB:-}"
    if [ -z "$so" ]; then
        so="$(ls "$OMQ_DIR"/src/target/release/libomq_zmq.so 2>/dev/null | head -n1)"
    fi
    if [ -z "$so" ]; then
        local src
        src="$(ls -d "$HOME"/.cargo/registry/src/*/omq-libzmq-* 2>/dev/null | sort -V | tail -n1)"
        if [ -z "$src" ]; then
            say "   omq: fetching the omq-libzmq crate"
            mkdir -p "$OMQ_DIR/fetch/src"
            printf '[package]\nname = "omq-fetch"\nversion = "0.0.0"\nedition = "2021"\n\n[dependencies]\nomq-libzmq = "*"\n' \
                >"$OMQ_DIR/fetch/Cargo.toml"
            : >"$OMQ_DIR/fetch/src/lib.rs"
            (cd "$OMQ_DIR/fetch" && cargo fetch) >"$LOGS/fetch-omq.log" 2>&1
            src="$(ls -d "$HOME"/.cargo/registry/src/*/omq-libzmq-* 2>/dev/null | sort -V | tail -n1)"
        fi
        if [ -z "$src" ]; then
            say "   omq: SKIPPED (crate omq-libzmq could not be fetched)"
            return 1
        fi
        rm -rf "$OMQ_DIR/src"
        mkdir -p "$OMQ_DIR"
        cp -r "$src" "$OMQ_DIR/src"
        say "   omq: building $(basename "$src") in $OMQ_DIR/src (several minutes)"
        if ! (cd "$OMQ_DIR/src" && CARGO_TARGET_DIR="$OMQ_DIR/src/target" \
                cargo build --release --lib) >"$LOGS/build-omq.log" 2>&1; then
            say "   omq: SKIPPED (build failed, see ${LOGS#$REPO/}/build-omq.log)"
            return 1
        fi
        so="$OMQ_DIR/src/target/release/libomq_zmq.so"
    fi
    [ -f "$so" ] || { say "   omq: SKIPPED ($so missing)"; return 1; }
    probe omq "$(libdir_for omq "$so")" || { say "   omq: SKIPPED (probe failed)"; return 1; }
    [ "${LIBPATH[omq]}" = "$(readlink -f "$so")" ] && return 0
    say "   omq: SKIPPED (loaded ${LIBPATH[omq]}, expected $(readlink -f "$so"))"
    return 1
}

say "== libraries"
for lib in $LIBS; do
    case "$lib" in
        debian | ours | omq) ;;
        *) say "unknown library $lib (debian, ours, omq)"; exit 2 ;;
    esac
    if "setup_$lib"; then
        ACTIVE+=("$lib")
    else
        say "   $lib: column skipped"
    fi
done
[ ${#ACTIVE[@]} -gt 0 ] || { say "no library to measure"; exit 1; }

# ---- counts -------------------------------------------------------------------
# Chosen so that a case takes roughly 0.5-2 s on Debian's libzmq here at
# SCALE=1 (measured from the medians of a REPS=5 SCALE=0.3 table): runs of
# a few milliseconds measured start-up (connection set-up, first-touch page
# faults, the congestion window) more than the steady state. Large-message
# counts are bounded by memory: with fan-out's unlimited high-water marks
# every message may be in flight at once (over inproc the subscribers share
# one body per message and keep up with a publisher that fills each).
thr_count() { # TRANSPORT SIZE
    case "$1:$2" in
        inproc:1 | inproc:64) echo 10000000 ;; inproc:1024) echo 3000000 ;;
        inproc:65536) echo 300000 ;; inproc:1048576) echo 20000 ;;
        *:1 | *:64) echo 6000000 ;; *:1024) echo 1000000 ;; *:65536) echo 30000 ;;
        *:1048576) echo 3000 ;; *) echo $((1000000000 / ($2 + 200))) ;;
    esac
}
lat_count() { # TRANSPORT SIZE
    case "$1:$2" in
        inproc:65536) echo 25000 ;; inproc:1048576) echo 20000 ;;
        *:1 | *:64 | *:1024) echo 20000 ;; *:65536) echo 10000 ;;
        *:1048576) echo 3000 ;; *) echo 10000 ;;
    esac
}
fanout_count() { # TRANSPORT SIZE
    case "$1:$2" in
        *:1 | *:64) echo 2000000 ;; inproc:1024) echo 700000 ;; *:1024) echo 200000 ;;
        inproc:65536) echo 30000 ;; *:65536) echo 10000 ;;
        inproc:1048576) echo 10000 ;; *:1048576) echo 1000 ;;
        *) echo $((200000000 / ($2 + 200))) ;;
    esac
}
curve_thr_count() { # SIZE
    case "$1" in
        1 | 64) echo 1000000 ;; 1024) echo 300000 ;; 65536) echo 10000 ;;
        1048576) echo 300 ;; *) echo $((300000000 / ($1 + 200))) ;;
    esac
}
curve_lat_count() { # SIZE
    case "$1" in
        65536) echo 2000 ;; 1048576) echo 200 ;; *) echo 10000 ;;
    esac
}
scaled() { awk -v n="$1" -v s="$SCALE" 'BEGIN { v = int(n * s); if (v < 10) v = 10; print v }'; }

RAW="$RESULTS/bench-raw.csv"
echo "rep,lib,bench,transport,size,count,metric,value,mbps,status" >"$RAW"

RUN_ID=0
# endpoint TRANSPORT NAME: where a binding program listens.
endpoint() {
    case "$1" in
        tcp) echo 'tcp://127.0.0.1:*' ;;
        ipc) echo "ipc://$TMP/$2-$RUN_ID" ;;
        inproc) echo "inproc://perf-$2" ;;
    esac
}

# check_lib LIB LOG...: every LIB line of the logs names the intended .so.
check_lib() {
    local lib="$1" f line
    shift
    for f in "$@"; do
        line="$(grep -m1 '^LIB ' "$f")" || { say "no LIB line in $f"; return 1; }
        if [ "${line##* path=}" != "${LIBPATH[$lib]}" ]; then
            say "FATAL: $f ran on ${line##* path=}, not ${LIBPATH[$lib]} ($lib)"
            echo "$f" >>"$TMP/fatal"
            return 1
        fi
    done
}

# wait_endpoint FILE PID: print the ENDPOINT the binder wrote (10 s at most).
wait_endpoint() {
    local i
    for i in $(seq 200); do
        if grep -q '^ENDPOINT ' "$1" 2>/dev/null; then
            sed -n 's/^ENDPOINT //p' "$1" | head -n1
            return 0
        fi
        kill -0 "$2" 2>/dev/null || return 1
        sleep 0.05
    done
    return 1
}

# pair LIB BINDER CONNECTER EP SIZE COUNT: run a two-process case; prints the
# RESULT line of whichever program printed one.
pair() {
    local lib="$1" binder="$2" connecter="$3" ep="$4" size="$5" count="$6"
    local base="$LOGS/r$RUN_ID-$lib-$binder"
    local dir="${LIBDIR[$lib]}" bpid ep_real rc=0
    LD_LIBRARY_PATH="$dir" timeout "$RUN_TIMEOUT" "$BIN/$binder" "$ep" "$size" "$count" \
        >"$base.out" 2>"$base.err" &
    bpid=$!
    if ! ep_real="$(wait_endpoint "$base.out" "$bpid")"; then
        kill "$bpid" 2>/dev/null
        wait "$bpid" 2>/dev/null
        return 1
    fi
    LD_LIBRARY_PATH="$dir" timeout "$RUN_TIMEOUT" "$BIN/$connecter" "$ep_real" "$size" "$count" \
        >"$base.cout" 2>"$base.cerr" || rc=1
    if [ "$rc" != 0 ]; then
        kill "$bpid" 2>/dev/null
    fi
    wait "$bpid" || rc=1
    check_lib "$lib" "$base.err" "$base.cerr" || return 1
    [ "$rc" = 0 ] || return 1
    grep -h '^RESULT ' "$base.out" "$base.cout" | head -n1
}

# single LIB PROG ARGS...: run a one-process case; prints its RESULT line.
single() {
    local lib="$1" prog="$2"
    shift 2
    local base="$LOGS/r$RUN_ID-$lib-$prog"
    LD_LIBRARY_PATH="${LIBDIR[$lib]}" timeout "$RUN_TIMEOUT" "$BIN/$prog" "$@" \
        >"$base.out" 2>"$base.err" || return 1
    check_lib "$lib" "$base.err" || return 1
    grep -m1 '^RESULT ' "$base.out"
}

# mem LIB TRANSPORT: one ROUTER, MEM_PEERS dealers in MEM_CHUNK-sized processes.
mem() {
    local lib="$1" transport="$2"
    local base="$LOGS/r$RUN_ID-$lib-mem"
    local dir="${LIBDIR[$lib]}" rpid ep_real left n k=0 rc=0 pids=()
    # connecting 10000 peers takes a while: longer socket and run timeouts
    local PERF_TIMEOUT_MS="$MEM_TIMEOUT_MS" RUN_TIMEOUT=$((MEM_TIMEOUT_MS / 1000 * 2 + 30))
    export PERF_TIMEOUT_MS
    LD_LIBRARY_PATH="$dir" timeout "$RUN_TIMEOUT" "$BIN/mem_router" \
        "$(endpoint "$transport" mem)" "$MEM_PEERS" >"$base.out" 2>"$base.err" &
    rpid=$!
    if ! ep_real="$(wait_endpoint "$base.out" "$rpid")"; then
        kill "$rpid" 2>/dev/null
        wait "$rpid" 2>/dev/null
        return 1
    fi
    left="$MEM_PEERS"
    while [ "$left" -gt 0 ]; do
        n=$((left < MEM_CHUNK ? left : MEM_CHUNK))
        LD_LIBRARY_PATH="$dir" timeout "$RUN_TIMEOUT" "$BIN/mem_dealers" "$ep_real" "$n" \
            >"$base.d$k.out" 2>"$base.d$k.err" &
        pids+=($!)
        left=$((left - n))
        k=$((k + 1))
    done
    for p in "${pids[@]}"; do wait "$p" || rc=1; done
    [ "$rc" = 0 ] || kill "$rpid" 2>/dev/null
    wait "$rpid" || rc=1
    check_lib "$lib" "$base.err" "$base".d*.err || return 1
    [ "$rc" = 0 ] || return 1
    grep -m1 '^RESULT ' "$base.out"
}

field() { sed -n "s/.* $1=\\([^ ]*\\).*/\\1/p" <<<"$2"; }

# record REP LIB BENCH TRANSPORT SIZE COUNT METRIC RESULT-LINE|""
record() {
    local value="" mbps="" status=ok
    if [ -n "$8" ]; then
        value="$(field "$7" "$8")"
        mbps="$(field mbps "$8")"
    fi
    [ -n "$value" ] || status=fail
    echo "$1,$2,$3,$4,$5,$6,$7,$value,$mbps,$status" >>"$RAW"
    printf '   %-6s %-6s %-6s %8s B  %-11s %s\n' "$2" "$3" "$4" "$5" "$7" \
        "${value:-FAILED (logs ${LOGS#$REPO/}/r$RUN_ID-$2-*)}" >&2
}

# run_case REP LIB BENCH TRANSPORT SIZE
run_case() {
    local rep="$1" lib="$2" bench="$3" tr="$4" size="$5" count res=""
    RUN_ID=$((RUN_ID + 1))
    case "$bench" in
        thr)
            count="$(scaled "$(thr_count "$tr" "$size")")"
            if [ "$tr" = inproc ]; then
                res="$(single "$lib" inproc_thr "$size" "$count")"
            else
                res="$(pair "$lib" thr_recv thr_send "$(endpoint "$tr" thr)" "$size" "$count")"
            fi
            record "$rep" "$lib" thr "$tr" "$size" "$count" msgs_per_s "$res"
            ;;
        lat)
            count="$(scaled "$(lat_count "$tr" "$size")")"
            if [ "$tr" = inproc ]; then
                res="$(single "$lib" inproc_lat "$size" "$count")"
            else
                res="$(pair "$lib" lat_server lat_client "$(endpoint "$tr" lat)" "$size" "$count")"
            fi
            record "$rep" "$lib" lat "$tr" "$size" "$count" latency_us "$res"
            ;;
        fanout)
            count="$(scaled "$(fanout_count "$tr" "$size")")"
            res="$(single "$lib" pubsub_fanout "$(endpoint "$tr" fanout)" "$size" "$count" "$SUBS")"
            record "$rep" "$lib" fanout "$tr" "$size" "$count" msgs_per_s "$res"
            ;;
        curve-thr)
            count="$(scaled "$(curve_thr_count "$size")")"
            res="$(PERF_CURVE=1 pair "$lib" thr_recv thr_send "$(endpoint "$tr" thr)" "$size" "$count")"
            record "$rep" "$lib" curve-thr "$tr" "$size" "$count" msgs_per_s "$res"
            ;;
        curve-lat)
            count="$(scaled "$(curve_lat_count "$size")")"
            res="$(PERF_CURVE=1 pair "$lib" lat_server lat_client "$(endpoint "$tr" lat)" "$size" "$count")"
            record "$rep" "$lib" curve-lat "$tr" "$size" "$count" latency_us "$res"
            ;;
        mem)
            res="$(mem "$lib" "$tr")"
            record "$rep" "$lib" mem "$tr" "$MEM_PEERS" "$MEM_PEERS" vmhwm_kb "$res"
            ;;
    esac
    if [ -s "$TMP/fatal" ]; then
        say "FATAL: a run did not load the intended library; stopping"
        exit 1
    fi
}

# ---- run ------------------------------------------------------------------------
say "== running: REPS=$REPS SIZES=\"$SIZES\" TRANSPORTS=\"$TRANSPORTS\" BENCHES=\"$BENCHES\" libs: ${ACTIVE[*]}"
NLIB=${#ACTIVE[@]}
for rep in $(seq 1 "$REPS"); do
    say "-- repetition $rep/$REPS"
    # rotate the library order each repetition
    order=()
    for i in $(seq 0 $((NLIB - 1))); do
        order+=("${ACTIVE[$(((i + rep - 1) % NLIB))]}")
    done
    for bench in $BENCHES; do
        if [ "$bench" = mem ]; then
            for tr in $MEM_TRANSPORTS; do
                for lib in "${order[@]}"; do run_case "$rep" "$lib" mem "$tr" "$MEM_PEERS"; done
            done
            continue
        fi
        for tr in $TRANSPORTS; do
            case "$bench:$tr" in curve-*:inproc) continue ;; esac
            for size in $SIZES; do
                for lib in "${order[@]}"; do run_case "$rep" "$lib" "$bench" "$tr" "$size"; done
            done
        done
    done
done

# ---- summary ---------------------------------------------------------------------
say "== summary"
for lib in "${ACTIVE[@]}"; do
    say "   $lib: ${LIBPATH[$lib]}"
done
MED="$RESULTS/bench-medians.csv"
PNG="$RESULTS/bench-ratios.png"
if command -v python3 >/dev/null 2>&1; then
    python3 "$REPO/perf/summarize.py" "$RAW" "$MED" "$PNG"
else
    say "python3 not found: raw results only"
fi
say "raw runs: ${RAW#$REPO/}; medians: ${MED#$REPO/}"
[ -f "$PNG" ] && say "plot: ${PNG#$REPO/}"
fails="$(grep -c ',fail$' "$RAW")"
say "$fails failed run(s)"
exit 0
