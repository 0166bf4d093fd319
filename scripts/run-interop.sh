#!/usr/bin/env bash
# scripts/run-interop.sh [--reference|--self] [--release] [--no-build] [-j N]
#                        [--count N] [--timeout-ms MS] [--rows GLOB] [--out DIR]
#
# Interop tests: libzmq-rs against Debian's real libzmq 4.3.4, in two
# processes, over the wire. tests/interop/peer.c (only <zmq.h>, compiled once
# against /usr/include/zmq.h, linked -lzmq) plays one side of a scenario;
# this script runs it twice per row: "ours" with LD_LIBRARY_PATH set to a
# directory holding our libzmq.so.5 (a symlink to target/<profile>/libzmq.so),
# "theirs" with the default loader (and no LD_LIBRARY_PATH/LD_PRELOAD).
# Each process proves which library it runs on (--expect-version 4.3.5 or
# 4.3.4 and --expect-lib: the path of the libzmq mapped in /proc/self/maps).
#
# Rows: {req-rep, req-router, dealer-rep, dealer-router, push-pull, pair-pair,
#        pub-sub, xpub-sub, pub-xsub} x {tcp, ipc} x {null, plain, curve}
#       x {ours-binds, ours-connects}, named PAIR/TRANSPORT/MECH/DIRECTION,
#       e.g. req-rep/tcp/curve/ours-binds; plus req-rep/tcp/{plain,curve}-deny/*
#       where the client's credentials are wrong and the ZAP handler must
#       refuse them (nothing may cross). The binding side is the REP,
#       ROUTER, PULL, PUB or XPUB (and the security server, with a ZAP
#       handler); tcp binds tcp://127.0.0.1:* and hands ZMQ_LAST_ENDPOINT to
#       the connecting side; ipc uses a fresh path per row. Rows run N at a
#       time (default 6), each process under `timeout`; when one side fails
#       the other is stopped at once.
#
# Modes: default: one side ours, the other Debian's.
#        --reference: both sides Debian's libzmq (checks the harness itself).
#        --self: both sides ours.
# Rows matching a glob in tests/interop/XFAIL (one a line, # comments) are
# expected to fail (not in --reference mode): reported XFAIL and counted as
# skipped; one that passes is reported XPASS (counted as passed).
# Ends with "interop: N passed, N failed, N skipped"; exit status 1 if a row
# failed unexpectedly (or the build failed). Logs: build/interop/rows/<row>/
# (--out DIR or $INTEROP_OUT: elsewhere, so that two runs do not share one).
# --rows GLOB runs the matching rows only, e.g. --rows 'req-*/tcp/*'.
set -uo pipefail
OUT=""

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$HOME/.cargo/bin:$PATH"
MODE=interop
PROFILE=debug
BUILD=1
JOBS=6
COUNT=20
TIMEOUT_MS=5000
ROWS_GLOB='*'
while [ $# -gt 0 ]; do
    case "$1" in
        --reference) MODE=reference ;;
        --self) MODE=self ;;
        --release) PROFILE=release ;;
        --no-build) BUILD=0 ;;
        -j) shift; JOBS="$1" ;;
        -j*) JOBS="${1#-j}" ;;
        --count) shift; COUNT="$1" ;;
        --timeout-ms) shift; TIMEOUT_MS="$1" ;;
        --rows) shift; ROWS_GLOB="$1" ;;
        --out) shift; OUT="$1" ;;
        -h|--help) sed -n '2,/^set -uo pipefail/{/^set/!p}' "$0"; exit 0 ;;
        *) echo "run-interop.sh: unknown argument $1" >&2; exit 2 ;;
    esac
    shift
done
# Each process: its own receive/send timeouts, plus a hard bound.
PROC_TIMEOUT=$(( TIMEOUT_MS / 1000 * 3 + 10 ))

OUT="${OUT:-${INTEROP_OUT:-$REPO/build/interop}}"
mkdir -p "$OUT"
rm -rf "${OUT:?}/lib" "${OUT:?}/rows"
mkdir -p "$OUT/lib" "$OUT/rows"
# ipc paths must fit in sun_path (108 bytes): keep them short, under /tmp.
IPCDIR="$(mktemp -d /tmp/interop.XXXXXX)"
trap 'rm -rf "$IPCDIR"' EXIT

die_build() {
    echo "$1"
    echo "interop: 0 passed, 1 failed"
    exit 1
}

# ---- build the peer (against Debian's header and library) --------------------
PEER="$OUT/peer"
if ! gcc -std=c99 -Wall -Wextra -Werror -O1 -g -pthread -I/usr/include \
        -o "$PEER" "$REPO/tests/interop/peer.c" -lzmq >"$OUT/peer-build.log" 2>&1; then
    cat "$OUT/peer-build.log"
    die_build "run-interop.sh: tests/interop/peer.c does not compile"
fi
THEIR_LIB="$(env -u LD_LIBRARY_PATH -u LD_PRELOAD ldd "$PEER" | awk '/libzmq\.so/ {print $3}')"
THEIR_LIB="$(realpath "$THEIR_LIB" 2>/dev/null || echo "$THEIR_LIB")"
[ -n "$THEIR_LIB" ] || die_build "run-interop.sh: the peer does not link Debian's libzmq.so.5"

# ---- our library --------------------------------------------------------------
OUR_LIB=""
if [ "$MODE" != reference ]; then
    TARGET_DIR="${CARGO_TARGET_DIR:-$REPO/target}"
    if [ "$BUILD" = 1 ]; then
        FLAG=""
        [ "$PROFILE" = release ] && FLAG="--release"
        echo "==> cargo build --lib $FLAG"
        if ! (cd "$REPO" && cargo build --lib $FLAG >"$OUT/cargo.log" 2>&1); then
            tail -n 30 "$OUT/cargo.log"
            die_build "run-interop.sh: cargo build failed"
        fi
    fi
    [ -f "$TARGET_DIR/$PROFILE/libzmq.so" ] ||
        die_build "run-interop.sh: no $TARGET_DIR/$PROFILE/libzmq.so (build it, or drop --no-build)"
    OUR_LIB="$(realpath "$TARGET_DIR/$PROFILE/libzmq.so")"
    # The loader looks for the SONAME libzmq.so.5; nothing else in this dir.
    ln -sfn "$OUR_LIB" "$OUT/lib/libzmq.so.5"
fi
OURDIR="$OUT/lib"

# ---- CURVE keys (made by Debian's libzmq) ---------------------------------------
read -r SP SS < <(env -u LD_LIBRARY_PATH -u LD_PRELOAD "$PEER" --keygen)
read -r CP CS < <(env -u LD_LIBRARY_PATH -u LD_PRELOAD "$PEER" --keygen)
[ ${#SP} = 40 ] && [ ${#CS} = 40 ] || die_build "run-interop.sh: peer --keygen failed"
export INTEROP_SERVER_PUBLIC="$SP" INTEROP_SERVER_SECRET="$SS"
export INTEROP_CLIENT_PUBLIC="$CP" INTEROP_CLIENT_SECRET="$CS"

echo "peer:   $PEER"
echo "theirs: $THEIR_LIB (4.3.4)"
case "$MODE" in
    interop) echo "ours:   $OUR_LIB (4.3.5), via LD_LIBRARY_PATH=$OURDIR" ;;
    self) echo "ours:   $OUR_LIB (4.3.5) on both sides" ;;
    reference) echo "mode:   --reference, Debian's libzmq on both sides" ;;
esac

# side_cmd WHO: the environment and expectations of one process.
side_cmd() {
    local who="$1"
    [ "$MODE" = reference ] && who=theirs
    [ "$MODE" = self ] && who=ours
    if [ "$who" = ours ]; then
        echo "env -u LD_PRELOAD LD_LIBRARY_PATH=$OURDIR timeout $PROC_TIMEOUT $PEER --expect-version 4.3.5 --expect-lib $OUR_LIB"
    else
        echo "env -u LD_LIBRARY_PATH -u LD_PRELOAD timeout $PROC_TIMEOUT $PEER --expect-version 4.3.4 --expect-lib $THEIR_LIB"
    fi
}

# run_row ROW BINDTYPE CONNTYPE TRANSPORT MECH DIRECTION: writes ROWDIR/rc.
run_row() {
    local row="$1" bt="$2" ct="$3" tr="$4" mech="$5" dir="$6"
    local d="$OUT/rows/${row//\//_}"
    mkdir -p "$d"
    local bwho=theirs cwho=ours
    [ "$dir" = ours-binds ] && bwho=ours && cwho=theirs
    local ep
    if [ "$tr" = tcp ]; then
        ep='tcp://127.0.0.1:*'
    else
        ep="ipc://$IPCDIR/${row//\//_}.sock"
    fi
    local common=(--mech "${mech%-deny}" --count "$COUNT" --timeout-ms "$TIMEOUT_MS" --sync-file "$d/sync")
    [ "${mech%-deny}" != "$mech" ] && common+=(--deny)
    # shellcheck disable=SC2046
    $(side_cmd "$bwho") --role bind --type "$bt" --peer "$ct" --endpoint "$ep" "${common[@]}" \
        >"$d/bind.out" 2>"$d/bind.err" &
    local bpid=$!
    local real="" i
    for ((i = 0; i < 200; i++)); do
        real="$(sed -n 's/^ENDPOINT //p' "$d/bind.out" 2>/dev/null)"
        [ -n "$real" ] && break
        kill -0 "$bpid" 2>/dev/null || break
        sleep 0.05
    done
    if [ -z "$real" ]; then
        kill "$bpid" 2>/dev/null
        wait "$bpid"
        echo "$? -" >"$d/rc"
        echo "binder printed no endpoint" >"$d/why"
        return
    fi
    # shellcheck disable=SC2046
    $(side_cmd "$cwho") --role connect --type "$ct" --peer "$bt" --endpoint "$real" "${common[@]}" \
        >"$d/connect.out" 2>"$d/connect.err" &
    local cpid=$!
    local brc="" crc="" first rc
    # The first to finish: if it failed, stop the other one at once.
    wait -n -p first "$bpid" "$cpid"
    rc=$?
    if [ "$first" = "$bpid" ]; then brc=$rc; else crc=$rc; fi
    if [ "$rc" != 0 ]; then
        kill "$bpid" "$cpid" 2>/dev/null
    fi
    if [ -z "$brc" ]; then wait "$bpid"; brc=$?; fi
    if [ -z "$crc" ]; then wait "$cpid"; crc=$?; fi
    echo "$brc $crc" >"$d/rc"
}

PAIRS=(req-rep:REP:REQ req-router:ROUTER:REQ dealer-rep:REP:DEALER
       dealer-router:ROUTER:DEALER push-pull:PULL:PUSH pair-pair:PAIR:PAIR
       pub-sub:PUB:SUB xpub-sub:XPUB:SUB pub-xsub:PUB:XSUB)
ROWS=()
declare -A SPEC
for p in "${PAIRS[@]}"; do
    IFS=: read -r name bt ct <<<"$p"
    for tr in tcp ipc; do
        for mech in null plain curve; do
            for dir in ours-binds ours-connects; do
                row="$name/$tr/$mech/$dir"
                # shellcheck disable=SC2053
                [[ $row == $ROWS_GLOB ]] || continue
                ROWS+=("$row")
                SPEC[$row]="$bt $ct $tr $mech $dir"
            done
        done
    done
done

# Denied credentials (wrong PLAIN password, unknown CURVE client key): the
# server's ZAP handler must say 400 and nothing may cross.
for mech in plain-deny curve-deny; do
    for dir in ours-binds ours-connects; do
        row="req-rep/tcp/$mech/$dir"
        # shellcheck disable=SC2053
        [[ $row == $ROWS_GLOB ]] || continue
        ROWS+=("$row")
        SPEC[$row]="REP REQ tcp $mech $dir"
    done
done

XFAIL_GLOBS=()
if [ "$MODE" != reference ] && [ -f "$REPO/tests/interop/XFAIL" ]; then
    while read -r g _; do
        [ -n "$g" ] && XFAIL_GLOBS+=("$g")
    done < <(sed -e 's/#.*//' "$REPO/tests/interop/XFAIL")
fi
is_xfail() {
    local g
    for g in "${XFAIL_GLOBS[@]}"; do
        # shellcheck disable=SC2053
        [[ $1 == $g ]] && return 0
    done
    return 1
}

START=$SECONDS
running=0
for row in "${ROWS[@]}"; do
    # shellcheck disable=SC2086
    run_row "$row" ${SPEC[$row]} &
    running=$((running + 1))
    if [ "$running" -ge "$JOBS" ]; then
        wait -n 2>/dev/null || true
        running=$((running - 1))
    fi
done
wait

rc_word() {
    case "$1" in
        0) echo ok ;;
        124) echo "timed out" ;;
        143) echo "stopped" ;;
        -) echo "not started" ;;
        *) echo "rc $1" ;;
    esac
}

pass=0; fail=0; xfail=0; xpass=0
for row in "${ROWS[@]}"; do
    d="$OUT/rows/${row//\//_}"
    read -r brc crc <"$d/rc" 2>/dev/null || { brc=missing; crc=missing; }
    if [ "$brc" = 0 ] && [ "$crc" = 0 ]; then
        if is_xfail "$row"; then
            echo "XPASS $row   (matches tests/interop/XFAIL: remove it)"
            xpass=$((xpass + 1))
        else
            echo "PASS  $row"
        fi
        pass=$((pass + 1))
        continue
    fi
    why="bind $(rc_word "$brc"), connect $(rc_word "$crc")"
    [ -f "$d/why" ] && why="$why, $(cat "$d/why")"
    if is_xfail "$row"; then
        echo "XFAIL $row ($why)"
        xfail=$((xfail + 1))
        continue
    fi
    echo "FAIL  $row ($why; logs ${d#$REPO/})"
    for f in bind.err connect.err; do
        [ -s "$d/$f" ] && grep -v ': libzmq .* at /' "$d/$f" | tail -n 4 | sed -e "s/^/      | ${f%.err}: /"
    done
    fail=$((fail + 1))
done

echo
echo "interop ($MODE): ${#ROWS[@]} rows in $((SECONDS - START)) s;" \
    "$pass passed ($xpass XPASS), $fail failed, $xfail XFAIL (expected, tests/interop/XFAIL)"
echo "interop: $pass passed, $fail failed, $xfail skipped"
[ "$fail" = 0 ]
