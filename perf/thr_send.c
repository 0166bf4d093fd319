/* perf/thr_send.c: throughput sender (PUSH, connects).
 *
 * Usage: thr_send <endpoint> <msg-size> <count>
 * Connects a PUSH socket to <endpoint> (the address thr_recv printed) and
 * sends <count> messages of <msg-size> bytes as fast as it can, then closes
 * with a linger of PERF_TIMEOUT_MS so every message is delivered first.
 */
#include "perf_common.h"

int main (int argc, char **argv)
{
    if (argc != 4) {
        fprintf (stderr, "usage: thr_send <endpoint> <msg-size> <count>\n");
        return 2;
    }
    const char *ep = argv[1];
    size_t size = (size_t) perf_arg (argv[2], "msg-size");
    long count = perf_arg (argv[3], "count");
    perf_print_lib ();

    void *ctx = zmq_ctx_new ();
    PERF_CHECK (ctx);
    void *push = zmq_socket (ctx, ZMQ_PUSH);
    PERF_CHECK (push);
    perf_timeouts (push);
    perf_security (push, 0);
    PERF_CHECK (zmq_connect (push, ep) == 0);

    for (long i = 0; i < count; i++) {
        zmq_msg_t msg;
        PERF_CHECK (zmq_msg_init_size (&msg, size) == 0);
        if (size)
            perf_fill (zmq_msg_data (&msg), size);
        PERF_CHECK (zmq_msg_send (&msg, push, 0) >= 0);
    }

    PERF_CHECK (zmq_close (push) == 0);
    PERF_CHECK (zmq_ctx_term (ctx) == 0);
    return 0;
}
