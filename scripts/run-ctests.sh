#!/usr/bin/env bash
# scripts/run-ctests.sh [--release] [--reference] [-j N] [TEST...]
#
# Builds libzmq-rs (cargo build --lib, --release if asked) and runs every
# ctests/test_*.c (or the TEST names given) against OUR shared library, in two
# builds of each test:
#   ours    compiled against our include/zmq.h with -DZMQ_BUILD_DRAFT_API
#   debian  compiled against Debian's /usr/include/zmq.h (stable API)
# Both link -lzmq from our target dir (rpath), and testutil.h asserts at
# start-up that zmq_version() is 4.3.5 and that the mapped libzmq.so lives
# in our target dir.
#
# --reference instead checks the tests themselves: each is compiled against
# Debian's header and run on Debian's libzmq 4.3.4 (a test failing there is
# a wrong test). Every test runs under `timeout 60`, N at a time (default 2).
# Tests named in ctests/XFAIL are reported XFAIL when they fail, XPASS when
# they pass. Ends with "ctests: N passed, N failed, N xfail"; exit status 1
# if any test failed. If $CTESTS_SUMMARY names a file, "passed failed xfail"
# is written there.
set -uo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$HOME/.cargo/bin:$PATH"
PROFILE=debug
REFERENCE=0
JOBS=2
NAMES=()
while [ $# -gt 0 ]; do
    case "$1" in
        --release) PROFILE=release ;;
        --reference) REFERENCE=1 ;;
        -j) shift; JOBS="$1" ;;
        -j*) JOBS="${1#-j}" ;;
        -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
        *) NAMES+=("$(basename "${1%.c}")") ;;
    esac
    shift
done
if [ ${#NAMES[@]} -eq 0 ]; then
    for f in "$REPO"/ctests/test_*.c; do NAMES+=("$(basename "${f%.c}")"); done
fi

XFAIL_LIST=" $(sed -e 's/#.*//' "$REPO/ctests/XFAIL" 2>/dev/null | tr -s ' \n\t' ' ') "
CFLAGS=(-std=c99 -Wall -Werror -O1 -g -pthread)
OUT="${CTESTS_OUT:-$REPO/build/ctests}"
[ "$REFERENCE" = 1 ] && OUT="${CTESTS_OUT:-$REPO/build/ctests-reference}"
rm -rf "$OUT"
mkdir -p "$OUT"

if [ "$REFERENCE" = 1 ]; then
    VARIANTS=(reference)
    export ZMQ_TEST_EXPECT_VERSION=4.3.4
    unset ZMQ_TEST_EXPECT_LIBDIR
else
    VARIANTS=(ours debian)
    TARGET_DIR="${CARGO_TARGET_DIR:-$REPO/target}"
    FLAG=""
    [ "$PROFILE" = release ] && FLAG="--release"
    # CTESTS_FEATURES: cargo features of the library build (run-valgrind.sh
    # asks for system-alloc, in a target dir of its own).
    FEATURES=()
    [ -n "${CTESTS_FEATURES:-}" ] && FEATURES=(--features "$CTESTS_FEATURES")
    echo "==> cargo build --lib $FLAG ${FEATURES[*]}"
    if ! (cd "$REPO" && cargo build --lib $FLAG "${FEATURES[@]}" 2>"$OUT/cargo.log"); then
        tail -n 40 "$OUT/cargo.log"
        echo "ctests: cargo build failed"
        n=$(( ${#NAMES[@]} * 2 ))
        [ -n "${CTESTS_SUMMARY:-}" ] && echo "0 $n 0" >"$CTESTS_SUMMARY"
        echo "ctests: 0 passed, $n failed, 0 xfail"
        exit 1
    fi
    LIBDIR="$(cd "$TARGET_DIR/$PROFILE" && pwd)"
    # The loader looks for the SONAME, libzmq.so.5: give it one beside a
    # libzmq.so for -lzmq, in a directory holding nothing else (so that the
    # static libzmq.a of the target dir is never picked).
    mkdir -p "$OUT/lib"
    ln -sfn "$LIBDIR/libzmq.so" "$OUT/lib/libzmq.so"
    ln -sfn "$LIBDIR/libzmq.so" "$OUT/lib/libzmq.so.5"
    export ZMQ_TEST_EXPECT_VERSION=4.3.5
    export ZMQ_TEST_EXPECT_LIBDIR="$LIBDIR"
fi

# Compile (sequential: fast), collecting the runnable binaries.
RUN=()
declare -A STATUS
for v in "${VARIANTS[@]}"; do
    mkdir -p "$OUT/$v"
    for t in "${NAMES[@]}"; do
        src="$REPO/ctests/$t.c"
        exe="$OUT/$v/$t"
        case "$v" in
            ours) flags=(-I"$REPO/include" -DZMQ_BUILD_DRAFT_API -L"$OUT/lib" -Wl,-rpath,"$OUT/lib") ;;
            debian) flags=(-L"$OUT/lib" -Wl,-rpath,"$OUT/lib") ;;
            reference) flags=() ;;
        esac
        if gcc "${CFLAGS[@]}" "${flags[@]}" -o "$exe" "$src" -lzmq >"$exe.log" 2>&1; then
            RUN+=("$v/$t")
        else
            STATUS["$v/$t"]=compile
        fi
    done
done

# Run, JOBS at a time.
run_one() {
    local id="$1"
    timeout 60 "$OUT/$id" >"$OUT/$id.log" 2>&1
    echo $? >"$OUT/$id.rc"
}
running=0
for id in "${RUN[@]}"; do
    run_one "$id" &
    running=$((running + 1))
    if [ "$running" -ge "$JOBS" ]; then
        wait -n 2>/dev/null || true
        running=$((running - 1))
    fi
done
wait

pass=0; fail=0; xfail=0
for v in "${VARIANTS[@]}"; do
    for t in "${NAMES[@]}"; do
        id="$v/$t"
        rc=""
        why=""
        if [ "${STATUS[$id]:-}" = compile ]; then
            rc=compile; why=" (compile error)"
        else
            rc="$(cat "$OUT/$id.rc" 2>/dev/null || echo missing)"
            [ "$rc" = 124 ] && why=" (timeout)"
            [ "$rc" != 0 ] && [ "$rc" != 124 ] && [ "$rc" -gt 128 ] 2>/dev/null && why=" (signal $((rc - 128)))"
        fi
        xf=0
        [ "$REFERENCE" = 0 ] && case "$XFAIL_LIST" in *" $t "*) xf=1 ;; esac
        if [ "$rc" = 0 ]; then
            if [ "$xf" = 1 ]; then
                echo "XPASS $id   (listed in ctests/XFAIL: remove it)"
            else
                echo "PASS  $id"
            fi
            pass=$((pass + 1))
        elif [ "$xf" = 1 ]; then
            echo "XFAIL $id$why"
            xfail=$((xfail + 1))
        else
            echo "FAIL  $id$why"
            if [ "$rc" = compile ]; then
                head -n 15 "$OUT/$id.log"
            else
                tail -n 15 "$OUT/$id.log"
            fi | sed -e 's/^/      | /'
            fail=$((fail + 1))
        fi
    done
done

[ -n "${CTESTS_SUMMARY:-}" ] && echo "$pass $fail $xfail" >"$CTESTS_SUMMARY"
echo "ctests: $pass passed, $fail failed, $xfail xfail"
[ "$fail" = 0 ]
