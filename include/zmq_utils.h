/*
 * zmq_utils.h -- kept for programs that still include it.
 *
 * SPDX-License-Identifier: MPL-2.0
 *
 * Everything this header once declared now lives in zmq.h; as in libzmq
 * 4.3.5 it declares nothing and, with GCC-compatible compilers and MSVC,
 * prints a deprecation note (a note, never an error, even under -Werror;
 * libzmq's own pragma dance trips -Werror=pragmas on GCC 12).
 */

#ifndef __ZMQ_UTILS_H_INCLUDED__
#define __ZMQ_UTILS_H_INCLUDED__

/* "#pragma message" prints a note, which -Werror leaves alone. */
#if defined __clang__ || defined __GNUC__ || defined _MSC_VER
#pragma message("zmq_utils.h is deprecated: zmq.h provides everything it did.")
#endif

#endif /* __ZMQ_UTILS_H_INCLUDED__ */
