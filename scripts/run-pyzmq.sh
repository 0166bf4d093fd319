#!/usr/bin/env bash
# scripts/run-pyzmq.sh [--system] [--modules a,b] [-j N] [--module-timeout S]
#                      [--release] [--no-build] [--strict] [--out DIR]
#
# Runs Debian's pyzmq test suite (package python3-zmq, 24.0.1, its tests in
# /usr/lib/python3/dist-packages/zmq/tests) with /usr/bin/python3 against OUR
# libzmq: LD_LIBRARY_PATH names a directory that holds only libzmq.so.5, a
# symlink to target/<profile>/libzmq.so (built with cargo unless --no-build).
# First it proves the library: zmq.zmq_version() must print 4.3.5 and the
# libzmq mapped into python (/proc/self/maps) must be ours.
#
# One pytest process per module (as shared/COMPAT.md says: in one process a
# PUB/SUB race in test_log hangs after the asyncio tests), -j N at a time
# (default 2), each bounded by `timeout` (default 180 s; pytest-timeout gives
# each test 120 s):
#   /usr/bin/python3 -m pytest -p no:cacheprovider -p no:flaky --timeout 120
#       -rfE --pyargs zmq.tests.<module>
# (-p no:flaky is dropped if this pytest refuses it). Counts per module come
# from pytest's summary line (errors count as failed, xfailed as skipped,
# xpassed as passed); a module whose process crashes or times out counts all
# its collected tests as failed.
#
# --system       run against Debian's libzmq 4.3.4 instead (the baseline:
#                326 passed, 0 failed, 32 skipped).
# --modules a,b  only these modules (test_ prefix optional).
# --strict       every failure counts, tests/pyzmq/ALLOWED_FAILURES is ignored.
# --out DIR      logs and the library directory there (default $PYZMQ_OUT or
#                build/pyzmq), so that two runs do not share one.
#
# Modules listed in tests/pyzmq/ALLOWED_FAILURES (one a line, with a reason
# after '#') may fail without failing this script: their failed tests are
# reported on an "allowed failures" line and counted as skipped on the final
# line, so CI stays green while we work through them. A listed module that
# passes is reported so that its line can go. (--system ignores the list.)
# A module that fails is run a second time, alone, and counted by that run;
# its status line says so and its first log stays as <module>.first.log
# (some pyzmq tests race a subscription against a publish and fail under
# load on Debian's libzmq as well).
# Prints a table, then "pyzmq: N passed, N failed, N skipped"; exit status 1
# if a module outside the list failed (or the library check failed).
# Logs: build/pyzmq/<module>.log.
set -uo pipefail
OUT=""

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$HOME/.cargo/bin:$PATH"
PY=/usr/bin/python3
TESTS_DIR=/usr/lib/python3/dist-packages/zmq/tests
SYSTEM=0
PROFILE=debug
BUILD=1
STRICT=0
JOBS=2
MOD_TIMEOUT=180
MODULES_ARG=""
while [ $# -gt 0 ]; do
    case "$1" in
        --system) SYSTEM=1 ;;
        --release) PROFILE=release ;;
        --no-build) BUILD=0 ;;
        --strict) STRICT=1 ;;
        --modules) shift; MODULES_ARG="$1" ;;
        --modules=*) MODULES_ARG="${1#--modules=}" ;;
        -j) shift; JOBS="$1" ;;
        -j*) JOBS="${1#-j}" ;;
        --module-timeout) shift; MOD_TIMEOUT="$1" ;;
        --out) shift; OUT="$1" ;;
        -h|--help) sed -n '2,/^set -uo pipefail/{/^set/!p}' "$0"; exit 0 ;;
        *) echo "run-pyzmq.sh: unknown argument $1" >&2; exit 2 ;;
    esac
    shift
done

OUT="${OUT:-${PYZMQ_OUT:-$REPO/build/pyzmq}}"
mkdir -p "$OUT"
rm -rf "${OUT:?}/lib" "${OUT:?}/cwd" "${OUT:?}"/test_*.log "${OUT:?}"/test_*.rc
mkdir -p "$OUT/lib" "$OUT/cwd"

bail() {
    echo "$1"
    echo "pyzmq: 0 passed, 1 failed"
    exit 1
}

[ -d "$TESTS_DIR" ] || bail "run-pyzmq.sh: $TESTS_DIR not found (apt-get install python3-zmq python3-pytest python3-pytest-timeout)"
"$PY" -c 'import pytest, pytest_timeout' 2>/dev/null ||
    bail "run-pyzmq.sh: $PY lacks pytest or pytest-timeout (apt-get install python3-pytest python3-pytest-timeout)"

# ---- which library --------------------------------------------------------------
if [ "$SYSTEM" = 1 ]; then
    ENVCMD=(env -u LD_LIBRARY_PATH -u LD_PRELOAD)
    EXPECT_VERSION=4.3.4
    EXPECT_LIB=""
else
    TARGET_DIR="${CARGO_TARGET_DIR:-$REPO/target}"
    if [ "$BUILD" = 1 ]; then
        FLAG=""
        [ "$PROFILE" = release ] && FLAG="--release"
        echo "==> cargo build --lib $FLAG"
        if ! (cd "$REPO" && cargo build --lib $FLAG >"$OUT/cargo.log" 2>&1); then
            tail -n 30 "$OUT/cargo.log"
            bail "run-pyzmq.sh: cargo build failed"
        fi
    fi
    [ -f "$TARGET_DIR/$PROFILE/libzmq.so" ] ||
        bail "run-pyzmq.sh: no $TARGET_DIR/$PROFILE/libzmq.so (build it, or drop --no-build)"
    EXPECT_LIB="$(realpath "$TARGET_DIR/$PROFILE/libzmq.so")"
    ln -sfn "$EXPECT_LIB" "$OUT/lib/libzmq.so.5"
    ENVCMD=(env -u LD_PRELOAD "LD_LIBRARY_PATH=$OUT/lib")
    EXPECT_VERSION=4.3.5
fi

probe="$(cd "$OUT/cwd" && "${ENVCMD[@]}" timeout 60 "$PY" -c '
import zmq
print(zmq.zmq_version())
print(zmq.pyzmq_version())
print([l.split()[-1] for l in open("/proc/self/maps") if "libzmq" in l][0])
' 2>&1)"
got_version="$(sed -n 1p <<<"$probe")"
pyzmq_version="$(sed -n 2p <<<"$probe")"
got_lib="$(sed -n 3p <<<"$probe")"
echo "pyzmq $pyzmq_version on libzmq $got_version at $got_lib"
[ "$got_version" = "$EXPECT_VERSION" ] ||
    bail "run-pyzmq.sh: zmq.zmq_version() is '$got_version', expected $EXPECT_VERSION: $probe"
if [ -n "$EXPECT_LIB" ] && [ "$got_lib" != "$EXPECT_LIB" ]; then
    bail "run-pyzmq.sh: python mapped $got_lib, expected $EXPECT_LIB"
fi

# ---- pytest options ----------------------------------------------------------------
PYTEST=("$PY" -m pytest -p no:cacheprovider)
if (cd "$OUT/cwd" && "$PY" -m pytest -p no:flaky --version >/dev/null 2>&1); then
    PYTEST+=(-p no:flaky)
else
    echo "(pytest refuses -p no:flaky: running without it)"
fi
PYTEST+=(--timeout 120 -rfE)

# ---- modules -------------------------------------------------------------------------
MODULES=()
if [ -n "$MODULES_ARG" ]; then
    IFS=, read -r -a req <<<"$MODULES_ARG"
    for m in "${req[@]}"; do
        m="${m%.py}"
        [ "${m#test_}" = "$m" ] && m="test_$m"
        [ -f "$TESTS_DIR/$m.py" ] || bail "run-pyzmq.sh: no module $m in $TESTS_DIR"
        MODULES+=("$m")
    done
else
    for f in "$TESTS_DIR"/test_*.py; do MODULES+=("$(basename "${f%.py}")"); done
fi

# test_cython compiles a Cython extension: it needs pyximport (Debian package
# cython3). Without it the module is not run, and reported as skipped.
NO_CYTHON=0
"$PY" -c 'import pyximport' 2>/dev/null || NO_CYTHON=1

declare -A ALLOWED
if [ "$SYSTEM" = 0 ] && [ "$STRICT" = 0 ] && [ -f "$REPO/tests/pyzmq/ALLOWED_FAILURES" ]; then
    while IFS= read -r line; do
        m="$(sed -e 's/#.*//' -e 's/[[:space:]]//g' <<<"$line")"
        [ -n "$m" ] || continue
        why="$(sed -n 's/^[^#]*#[[:space:]]*//p' <<<"$line")"
        ALLOWED[$m]="${why:-no reason given}"
    done <"$REPO/tests/pyzmq/ALLOWED_FAILURES"
fi

run_mod() {
    local m="$1"
    local t0=$SECONDS
    if [ "$m" = test_cython ] && [ "$NO_CYTHON" = 1 ]; then
        echo "collected 2 items" >"$OUT/$m.log"
        echo "=== 2 skipped (cython3 is not installed: no pyximport) in 0.00s ===" >>"$OUT/$m.log"
        echo "0 0" >"$OUT/$m.rc"
        return
    fi
    (cd "$OUT/cwd" && "${ENVCMD[@]}" timeout -k 10 "$MOD_TIMEOUT" \
        "${PYTEST[@]}" --pyargs "zmq.tests.$m") >"$OUT/$m.log" 2>&1
    echo "$? $((SECONDS - t0))" >"$OUT/$m.rc"
}

echo "running ${#MODULES[@]} modules, $JOBS at a time (logs in ${OUT#$REPO/}/)"
START=$SECONDS
running=0
for m in "${MODULES[@]}"; do
    run_mod "$m" &
    running=$((running + 1))
    if [ "$running" -ge "$JOBS" ]; then
        wait -n 2>/dev/null || true
        running=$((running - 1))
    fi
done
wait

# pyzmq's suite has timing-dependent tests (test_log publishes right after
# a SUB subscribes over tcp; under load it fails on Debian's libzmq too,
# 3 runs in 8 here): a module that failed runs once more, alone, and the
# report says so. Its first log is kept as <module>.first.log.
declare -A RETRIED
for m in "${MODULES[@]}"; do
    read -r rc _ <"$OUT/$m.rc" 2>/dev/null || rc=missing
    case "$rc" in 0|5) continue ;; esac
    mv -f "$OUT/$m.log" "$OUT/$m.first.log" 2>/dev/null
    RETRIED[$m]=1
    run_mod "$m"
done

# count WORD LINE: the number before WORD in pytest's summary line.
count() {
    local n
    n="$(grep -oE "[0-9]+ $1" <<<"$2" | head -n1 | cut -d' ' -f1)"
    echo "${n:-0}"
}

TP=0; TF=0; TS=0; AF=0
BAD=(); ALLOWED_FAILED=(); ALLOWED_PASSED=()
printf '\n%-26s %7s %7s %7s %6s  %s\n' module passed failed skipped secs status
for m in "${MODULES[@]}"; do
    read -r rc secs <"$OUT/$m.rc" 2>/dev/null || { rc=missing; secs=0; }
    summary="$(grep -E '^=+ .* in [0-9.]+s.* =+$' "$OUT/$m.log" | tail -n1)"
    collected="$(grep -oE 'collected [0-9]+ item' "$OUT/$m.log" | head -n1 | grep -oE '[0-9]+')"
    collected=${collected:-0}
    p=$(( $(count passed "$summary") + $(count xpassed "$summary") ))
    f=$(( $(count failed "$summary") + $(count error "$summary") ))
    s=$(( $(count skipped "$summary") + $(count xfailed "$summary") ))
    status=ok
    case "$rc" in
        0|1|5) [ -n "$summary" ] || status="no summary (rc $rc)" ;;
        124|137) status="timed out after ${MOD_TIMEOUT}s" ;;
        *) status="crashed (rc $rc)" ;;
    esac
    if [ "$status" != ok ]; then
        # A crashed or hung process: all its tests count as failed.
        p=0; s=0; f=$collected
        [ "$f" -gt 0 ] || f=1
    elif [ "$f" -gt 0 ]; then
        status=FAILED
    fi
    if [ -n "${RETRIED[$m]+x}" ]; then
        status="$status (second run; first: ${OUT#$REPO/}/$m.first.log)"
    fi
    if [ -n "${ALLOWED[$m]+x}" ]; then
        if [ "$f" -gt 0 ]; then
            status="allowed: $status"
            ALLOWED_FAILED+=("$m ($f failed: ${ALLOWED[$m]})")
            AF=$((AF + f))
            s=$((s + f))
            f=0
        else
            ALLOWED_PASSED+=("$m")
        fi
    elif [ "$f" -gt 0 ]; then
        BAD+=("$m")
    fi
    TP=$((TP + p)); TF=$((TF + f)); TS=$((TS + s))
    printf '%-26s %7d %7d %7d %6s  %s\n' "$m" "$p" "$f" "$s" "$secs" "$status"
done

echo
echo "pyzmq $pyzmq_version on libzmq $got_version ($got_lib), ${#MODULES[@]} modules in $((SECONDS - START)) s"
for m in "${BAD[@]}"; do
    echo "FAILED $m:"
    grep -E '^(FAILED|ERROR) ' "$OUT/$m.log" | head -n 20 | sed -e 's/^/      | /'
    if ! grep -qE '^(FAILED|ERROR) ' "$OUT/$m.log"; then
        { tail -n 15 "$OUT/$m.log"; echo; } | sed -e 's/^/      | /'
    fi
done
if [ ${#ALLOWED_FAILED[@]} -gt 0 ]; then
    echo "allowed failures (tests/pyzmq/ALLOWED_FAILURES), $AF tests counted as skipped below:"
    printf '    %s\n' "${ALLOWED_FAILED[@]}"
fi
if [ ${#ALLOWED_PASSED[@]} -gt 0 ]; then
    echo "listed in tests/pyzmq/ALLOWED_FAILURES but passing (remove them): ${ALLOWED_PASSED[*]}"
fi
[ "$NO_CYTHON" = 1 ] && echo "note: test_cython not run (apt-get install cython3 to run it): 2 tests counted as skipped"
echo "pyzmq: $TP passed, $TF failed, $TS skipped"
[ ${#BAD[@]} -eq 0 ]
