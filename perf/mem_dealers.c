/* perf/mem_dealers.c: many DEALERs for mem_router.
 *
 * Usage: mem_dealers <endpoint> <count>
 * Creates <count> DEALER sockets in one context (ZMQ_MAX_SOCKETS raised to
 * fit), connects each to <endpoint>, sends one message on each, and then
 * waits for mem_router's answer on each before closing them all. Prints
 *   RESULT dealers count=N vmhwm_kb=H
 */
#include "perf_common.h"

int main (int argc, char **argv)
{
    if (argc != 3) {
        fprintf (stderr, "usage: mem_dealers <endpoint> <count>\n");
        return 2;
    }
    const char *ep = argv[1];
    long count = perf_arg (argv[2], "count");
    perf_print_lib ();

    void *ctx = zmq_ctx_new ();
    PERF_CHECK (ctx);
    PERF_CHECK (zmq_ctx_set (ctx, ZMQ_MAX_SOCKETS, (int) count + 16) == 0);
    void **socks = (void **) calloc ((size_t) count + 1, sizeof *socks);
    if (!socks)
        return 1;
    for (long i = 0; i < count; i++) {
        socks[i] = zmq_socket (ctx, ZMQ_DEALER);
        PERF_CHECK (socks[i]);
        perf_timeouts (socks[i]);
        PERF_CHECK (zmq_connect (socks[i], ep) == 0);
        PERF_CHECK (zmq_send (socks[i], "hi", 2, 0) == 2);
    }
    for (long i = 0; i < count; i++) {
        char buf[8];
        PERF_CHECK (zmq_recv (socks[i], buf, sizeof buf, 0) == 3);
    }
    printf ("RESULT dealers count=%ld vmhwm_kb=%ld\n", count,
            perf_status_kb ("VmHWM"));
    fflush (stdout);
    for (long i = 0; i < count; i++)
        PERF_CHECK (zmq_close (socks[i]) == 0);
    free (socks);
    PERF_CHECK (zmq_ctx_term (ctx) == 0);
    return 0;
}
