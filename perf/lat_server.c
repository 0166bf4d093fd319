/* perf/lat_server.c: latency echo server (REP, binds).
 *
 * Usage: lat_server <endpoint> <msg-size> <count>
 * Binds a REP socket, prints "ENDPOINT <ep>", and echoes <count> requests of
 * <msg-size> bytes back unchanged. Pair with lat_client, which measures.
 */
#include "perf_common.h"

int main (int argc, char **argv)
{
    if (argc != 4) {
        fprintf (stderr, "usage: lat_server <endpoint> <msg-size> <count>\n");
        return 2;
    }
    const char *ep = argv[1];
    size_t size = (size_t) perf_arg (argv[2], "msg-size");
    long count = perf_arg (argv[3], "count");
    perf_print_lib ();

    void *ctx = zmq_ctx_new ();
    PERF_CHECK (ctx);
    void *rep = zmq_socket (ctx, ZMQ_REP);
    PERF_CHECK (rep);
    perf_timeouts (rep);
    perf_security (rep, 1);
    PERF_CHECK (zmq_bind (rep, ep) == 0);
    perf_print_endpoint (rep);

    zmq_msg_t msg;
    PERF_CHECK (zmq_msg_init (&msg) == 0);
    for (long i = 0; i < count; i++) {
        PERF_CHECK (zmq_msg_recv (&msg, rep, 0) >= 0);
        if (zmq_msg_size (&msg) != size) {
            fprintf (stderr, "request %ld has size %zu, expected %zu\n", i,
                     zmq_msg_size (&msg), size);
            return 1;
        }
        PERF_CHECK (zmq_msg_send (&msg, rep, 0) >= 0);
    }
    PERF_CHECK (zmq_msg_close (&msg) == 0);

    PERF_CHECK (zmq_close (rep) == 0);
    PERF_CHECK (zmq_ctx_term (ctx) == 0);
    return 0;
}
