#!/usr/bin/env bash
# scripts/install.sh [--no-demo] [PREFIX]
#
# Builds libzmq-rs in release mode and installs what a libzmq 4.3.5
# install lays out, under PREFIX (argument, else $PREFIX, else <repo>/install):
#   lib/libzmq.so.5.2.5, lib/libzmq.so.5 -> libzmq.so.5.2.5, lib/libzmq.so -> libzmq.so.5
#   lib/libzmq.a
#   include/zmq.h, include/zmq_utils.h
#   lib/pkgconfig/libzmq.pc
#   lib/cmake/ZeroMQ/ZeroMQConfig.cmake, ZeroMQConfigVersion.cmake
# Then (unless --no-demo) it compiles examples/hello.c with
# `pkg-config --cflags --libs libzmq` against that prefix and runs it.
# Exit status: non-zero if the build, the install or the demo fails.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$HOME/.cargo/bin:$PATH"

DEMO=1
ARG_PREFIX=""
for a in "$@"; do
    case "$a" in
        --no-demo) DEMO=0 ;;
        -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
        *) ARG_PREFIX="$a" ;;
    esac
done
PREFIX="${ARG_PREFIX:-${PREFIX:-$REPO/install}}"
mkdir -p "$PREFIX"
PREFIX="$(cd "$PREFIX" && pwd)"

VERSION="$(sed -n 's/^version *= *"\(.*\)"/\1/p' "$REPO/Cargo.toml" | head -n1)"
# libzmq's shared object version: 4.3.x ships libzmq.so.5.2.x (Debian's
# 4.3.4 is libzmq.so.5.2.4), so 4.3.5 is 5.2.5.
PATCH="${VERSION##*.}"
SOVERSION="5.2.${PATCH}"

TARGET_DIR="${CARGO_TARGET_DIR:-$REPO/target}"

echo "==> cargo build --release --lib (target dir $TARGET_DIR)"
# `cargo rustc` builds every crate type of [lib] (cdylib, staticlib, rlib)
# exactly like `cargo build --release --lib`, and also prints the native
# libraries the static archive needs (replayed by cargo when up to date).
BUILD_LOG="$(mktemp)"
trap 'rm -f "$BUILD_LOG"' EXIT
if ! (cd "$REPO" && cargo rustc --release --lib -- --print native-static-libs) >"$BUILD_LOG" 2>&1; then
    cat "$BUILD_LOG" >&2
    echo "install.sh: cargo build failed" >&2
    exit 1
fi
NATIVE="$(sed -n 's/.*native-static-libs: *//p' "$BUILD_LOG" | tail -n1)"
if [ -z "$NATIVE" ]; then
    # Rust's std on Linux always needs these; used if cargo printed nothing.
    NATIVE="-lgcc_s -lutil -lrt -lpthread -lm -ldl -lc"
fi
# -lc is implied by every C link; keep the rest, in order, without repeats.
LIBS_PRIVATE=""
CMAKE_LINK_LIBS=""
for l in $NATIVE; do
    [ "$l" = "-lc" ] && continue
    case " $LIBS_PRIVATE " in *" $l "*) continue ;; esac
    LIBS_PRIVATE="${LIBS_PRIVATE:+$LIBS_PRIVATE }$l"
    CMAKE_LINK_LIBS="${CMAKE_LINK_LIBS:+$CMAKE_LINK_LIBS;}${l#-l}"
done

REL="$TARGET_DIR/release"
for f in libzmq.so libzmq.a; do
    [ -f "$REL/$f" ] || { echo "install.sh: $REL/$f was not built" >&2; exit 1; }
done
for h in zmq.h zmq_utils.h; do
    [ -f "$REPO/include/$h" ] || { echo "install.sh: include/$h is missing" >&2; exit 1; }
done

echo "==> installing libzmq-rs $VERSION into $PREFIX"
install -d "$PREFIX/lib" "$PREFIX/include" "$PREFIX/lib/pkgconfig" "$PREFIX/lib/cmake/ZeroMQ"
install -m 0755 "$REL/libzmq.so" "$PREFIX/lib/libzmq.so.$SOVERSION"
ln -sfn "libzmq.so.$SOVERSION" "$PREFIX/lib/libzmq.so.5"
ln -sfn "libzmq.so.5" "$PREFIX/lib/libzmq.so"
install -m 0644 "$REL/libzmq.a" "$PREFIX/lib/libzmq.a"
install -m 0644 "$REPO/include/zmq.h" "$REPO/include/zmq_utils.h" "$PREFIX/include/"

subst() {
    sed -e "s|@PREFIX@|$PREFIX|g" \
        -e "s|@VERSION@|$VERSION|g" \
        -e "s|@SOVERSION@|$SOVERSION|g" \
        -e "s|@LIBS_PRIVATE@|$LIBS_PRIVATE|g" \
        -e "s|@CMAKE_LINK_LIBS@|$CMAKE_LINK_LIBS|g" "$1" >"$2"
    chmod 0644 "$2"
}
subst "$REPO/pkgconfig/libzmq.pc.in" "$PREFIX/lib/pkgconfig/libzmq.pc"
subst "$REPO/cmake/ZeroMQConfig.cmake.in" "$PREFIX/lib/cmake/ZeroMQ/ZeroMQConfig.cmake"
subst "$REPO/cmake/ZeroMQConfigVersion.cmake.in" "$PREFIX/lib/cmake/ZeroMQ/ZeroMQConfigVersion.cmake"

SONAME="$(readelf -d "$PREFIX/lib/libzmq.so.$SOVERSION" 2>/dev/null | sed -n 's/.*SONAME.*\[\(.*\)\]/\1/p')"
if [ "$SONAME" != "libzmq.so.5" ]; then
    echo "install.sh: SONAME is '$SONAME', expected libzmq.so.5" >&2
    exit 1
fi
(cd "$PREFIX" && ls -l lib/libzmq* include/zmq*.h lib/pkgconfig/libzmq.pc lib/cmake/ZeroMQ/*)

[ "$DEMO" = 1 ] || exit 0

echo "==> building examples/hello.c with pkg-config against $PREFIX"
mkdir -p "$REPO/build"
export PKG_CONFIG_PATH="$PREFIX/lib/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
# shellcheck disable=SC2046
gcc -std=c99 -Wall -Werror -o "$REPO/build/hello" "$REPO/examples/hello.c" \
    $(pkg-config --cflags --libs libzmq) -Wl,-rpath,"$PREFIX/lib"
echo "==> running build/hello (libzmq from $PREFIX/lib)"
ldd "$REPO/build/hello" | grep libzmq
timeout 60 "$REPO/build/hello"
