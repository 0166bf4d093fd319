/* perf/mem_router.c: memory of one ROUTER with many connected peers.
 *
 * Usage: mem_router <endpoint> <peers>
 * Binds one ROUTER socket, prints "ENDPOINT <ep>", then waits until it has
 * received one message from each of <peers> distinct DEALERs (started by
 * mem_dealers, possibly in several processes: a process has at most
 * `ulimit -n` descriptors). With all of them connected at once it reads its
 * own peak and current resident set size from /proc/self/status and prints
 *   RESULT mem peers=N base_rss_kb=B vmhwm_kb=H vmrss_kb=R connect_ms=T
 * (B is VmRSS after creating the context and socket, before any peer). Then
 * it answers every peer once, so the dealers know they may exit.
 */
#include "perf_common.h"

#define ID_MAX 256

int main (int argc, char **argv)
{
    if (argc != 3) {
        fprintf (stderr, "usage: mem_router <endpoint> <peers>\n");
        return 2;
    }
    const char *ep = argv[1];
    long peers = perf_arg (argv[2], "peers");
    if (peers < 1) {
        fprintf (stderr, "peers must be at least 1\n");
        return 2;
    }
    perf_print_lib ();

    void *ctx = zmq_ctx_new ();
    PERF_CHECK (ctx);
    void *router = zmq_socket (ctx, ZMQ_ROUTER);
    PERF_CHECK (router);
    perf_timeouts (router);
    /* Thousands of peers connect at once: a deeper listen queue than the
     * default 100 avoids SYN drops and retransmission back-off. */
    int backlog = peers < 4096 ? (int) peers : 4096;
    if (zmq_setsockopt (router, ZMQ_BACKLOG, &backlog, sizeof backlog) != 0)
        fprintf (stderr, "note: ZMQ_BACKLOG not set: %s\n",
                 zmq_strerror (zmq_errno ()));
    PERF_CHECK (zmq_bind (router, ep) == 0);
    long base_rss = perf_status_kb ("VmRSS");
    perf_print_endpoint (router);

    unsigned char(*ids)[ID_MAX] =
      (unsigned char(*)[ID_MAX]) calloc ((size_t) peers, ID_MAX);
    size_t *id_len = (size_t *) calloc ((size_t) peers, sizeof *id_len);
    if (!ids || !id_len)
        return 1;

    uint64_t start = 0;
    for (long i = 0; i < peers; i++) {
        int n = zmq_recv (router, ids[i], ID_MAX, 0);
        PERF_CHECK (n >= 0);
        if (i == 0)
            start = perf_now_us ();
        id_len[i] = (size_t) (n < ID_MAX ? n : ID_MAX);
        int more = 0;
        size_t more_len = sizeof more;
        PERF_CHECK (zmq_getsockopt (router, ZMQ_RCVMORE, &more, &more_len)
                    == 0);
        while (more) {
            char body[64];
            PERF_CHECK (zmq_recv (router, body, sizeof body, 0) >= 0);
            PERF_CHECK (
              zmq_getsockopt (router, ZMQ_RCVMORE, &more, &more_len) == 0);
        }
    }
    uint64_t connect_us = perf_now_us () - start;
    long hwm = perf_status_kb ("VmHWM");
    long rss = perf_status_kb ("VmRSS");
    printf ("RESULT mem peers=%ld base_rss_kb=%ld vmhwm_kb=%ld vmrss_kb=%ld "
            "connect_ms=%.1f\n",
            peers, base_rss, hwm, rss, (double) connect_us / 1000.0);
    fflush (stdout);

    for (long i = 0; i < peers; i++) {
        PERF_CHECK (zmq_send (router, ids[i], id_len[i], ZMQ_SNDMORE)
                    == (int) id_len[i]);
        PERF_CHECK (zmq_send (router, "bye", 3, 0) == 3);
    }
    free (ids);
    free (id_len);
    PERF_CHECK (zmq_close (router) == 0);
    PERF_CHECK (zmq_ctx_term (ctx) == 0);
    return 0;
}
