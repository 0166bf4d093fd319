/* perf/perf_common.h: helpers shared by the libzmq-rs benchmark programs.
 *
 * Role: the perf programs (thr_*, lat_*, inproc_*, pubsub_fanout, mem_*) use
 * only the public zmq.h API, so the very same binaries run on Debian's
 * libzmq, on libzmq-rs and on any other drop-in libzmq.so.5 chosen with
 * LD_LIBRARY_PATH. This header gives them:
 *   - perf_print_lib(): one "LIB version=X.Y.Z path=/real/file.so" line on
 *     stderr, naming the shared object that really holds zmq_version (found
 *     in /proc/self/maps), so a run proves which library it measured;
 *   - perf_now_us(): a monotonic clock in microseconds;
 *   - perf_timeout_ms(): the receive/send/linger timeout every socket gets
 *     (env PERF_TIMEOUT_MS, default 30000), so a broken library makes a
 *     program fail instead of hanging;
 *   - PERF_CHECK(): print the failing call and zmq_strerror, exit 1.
 *
 * Output convention: machine-readable lines go to stdout and start with a
 * keyword: "ENDPOINT <ep>" (the bound address, for the peer process) and
 * "RESULT <kind> key=value ...". Everything else goes to stderr.
 */
#ifndef PERF_COMMON_H
#define PERF_COMMON_H

#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zmq.h>

#define PERF_CHECK(expr)                                                      \
    do {                                                                      \
        if (!(expr)) {                                                        \
            int perf_errno_ = zmq_errno ();                                   \
            fprintf (stderr, "%s:%d: FAILED %s: %s (errno %d)\n", __FILE__,   \
                     __LINE__, #expr, zmq_strerror (perf_errno_),             \
                     perf_errno_);                                            \
            exit (1);                                                         \
        }                                                                     \
    } while (0)

static inline uint64_t perf_now_us (void)
{
    struct timespec ts;
    clock_gettime (CLOCK_MONOTONIC, &ts);
    return (uint64_t) ts.tv_sec * 1000000u + (uint64_t) ts.tv_nsec / 1000u;
}

static inline int perf_timeout_ms (void)
{
    const char *s = getenv ("PERF_TIMEOUT_MS");
    if (s && *s) {
        int v = atoi (s);
        if (v > 0)
            return v;
    }
    return 30000;
}

/* Parse a positive count or size; exit with a usage error otherwise. */
static inline long perf_arg (const char *s, const char *what)
{
    char *end = NULL;
    long v = strtol (s, &end, 10);
    if (!end || *end != '\0' || v < 0) {
        fprintf (stderr, "bad %s: %s\n", what, s);
        exit (2);
    }
    return v;
}

/* Give a socket the standard timeouts (receive, send, linger). */
static inline void perf_timeouts (void *sock)
{
    int t = perf_timeout_ms ();
    PERF_CHECK (zmq_setsockopt (sock, ZMQ_RCVTIMEO, &t, sizeof t) == 0);
    PERF_CHECK (zmq_setsockopt (sock, ZMQ_SNDTIMEO, &t, sizeof t) == 0);
    PERF_CHECK (zmq_setsockopt (sock, ZMQ_LINGER, &t, sizeof t) == 0);
}

/* Print "ENDPOINT <last endpoint>" on stdout (flushed) after a bind, so a
 * script can bind tcp://127.0.0.1:* and hand the real port to the peer. */
/* With PERF_CURVE=1 in the environment, the socket uses CURVE security:
 * the binding side (as_server 1) as the server, the connecting side as a
 * client, with fixed test keys (public keys derived with
 * zmq_curve_public). */
static inline void perf_security (void *sock, int as_server)
{
    const char *on = getenv ("PERF_CURVE");
    if (!on || strcmp (on, "1") != 0)
        return;
    static const char server_secret[] = "S:NTVn{?3nFx7](p{@3F*vLD@2g2a<GtK2?]GH]m";
    static const char client_secret[] = "+5vuYN2KtnTGH&ow(qI{bog#]M$EyxSK1uHTRgEA";
    char server_public[41], client_public[41];
    PERF_CHECK (zmq_curve_public (server_public, server_secret) == 0);
    PERF_CHECK (zmq_curve_public (client_public, client_secret) == 0);
    if (as_server) {
        int one = 1;
        PERF_CHECK (zmq_setsockopt (sock, ZMQ_CURVE_SERVER, &one, sizeof one) == 0);
        PERF_CHECK (zmq_setsockopt (sock, ZMQ_CURVE_SECRETKEY, server_secret, 40) == 0);
    } else {
        PERF_CHECK (zmq_setsockopt (sock, ZMQ_CURVE_SERVERKEY, server_public, 40) == 0);
        PERF_CHECK (zmq_setsockopt (sock, ZMQ_CURVE_PUBLICKEY, client_public, 40) == 0);
        PERF_CHECK (zmq_setsockopt (sock, ZMQ_CURVE_SECRETKEY, client_secret, 40) == 0);
    }
}

static inline void perf_print_endpoint (void *sock)
{
    char ep[1024];
    size_t len = sizeof ep;
    PERF_CHECK (zmq_getsockopt (sock, ZMQ_LAST_ENDPOINT, ep, &len) == 0);
    printf ("ENDPOINT %s\n", ep);
    fflush (stdout);
}

/* Print which libzmq this process really runs on: the version it reports
 * and the file /proc/self/maps shows mapped at the address of zmq_version. */
static inline void perf_print_lib (void)
{
    int major = 0, minor = 0, patch = 0;
    zmq_version (&major, &minor, &patch);
    uintptr_t addr = (uintptr_t) (void *) &zmq_version;
    char path[4096] = "unknown";
    FILE *maps = fopen ("/proc/self/maps", "r");
    if (maps) {
        char line[4608];
        while (fgets (line, sizeof line, maps)) {
            unsigned long lo = 0, hi = 0;
            if (sscanf (line, "%lx-%lx", &lo, &hi) != 2)
                continue;
            if (addr < lo || addr >= hi)
                continue;
            char *slash = strchr (line, '/');
            if (slash) {
                slash[strcspn (slash, "\n")] = '\0';
                snprintf (path, sizeof path, "%s", slash);
            }
            break;
        }
        fclose (maps);
    }
    fprintf (stderr, "LIB version=%d.%d.%d path=%s\n", major, minor, patch,
             path);
}

/* Fill a message body with a recognisable pattern. */
static inline void perf_fill (void *data, size_t size)
{
    memset (data, 'x', size);
}

/* Read a "VmXXX:   123 kB" field of /proc/self/status; -1 if absent. */
static inline long perf_status_kb (const char *field)
{
    FILE *f = fopen ("/proc/self/status", "r");
    if (!f)
        return -1;
    char line[256];
    long v = -1;
    size_t n = strlen (field);
    while (fgets (line, sizeof line, f)) {
        if (strncmp (line, field, n) == 0 && line[n] == ':') {
            v = strtol (line + n + 1, NULL, 10);
            break;
        }
    }
    fclose (f);
    return v;
}

#endif
