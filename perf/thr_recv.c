/* perf/thr_recv.c: throughput receiver (PULL, binds).
 *
 * Usage: thr_recv <endpoint> <msg-size> <count>
 * Binds a PULL socket, prints "ENDPOINT <ep>" (so tcp://127.0.0.1:* works),
 * receives <count> messages of <msg-size> bytes and measures the time from
 * the first message to the last. Prints
 *   RESULT thr size=S count=N elapsed_us=T msgs_per_s=R mbps=M
 * where mbps is megabits per second of payload. Pair with thr_send.
 */
#include "perf_common.h"

int main (int argc, char **argv)
{
    if (argc != 4) {
        fprintf (stderr, "usage: thr_recv <endpoint> <msg-size> <count>\n");
        return 2;
    }
    const char *ep = argv[1];
    size_t size = (size_t) perf_arg (argv[2], "msg-size");
    long count = perf_arg (argv[3], "count");
    if (count < 1) {
        fprintf (stderr, "count must be at least 1\n");
        return 2;
    }
    perf_print_lib ();

    void *ctx = zmq_ctx_new ();
    PERF_CHECK (ctx);
    void *pull = zmq_socket (ctx, ZMQ_PULL);
    PERF_CHECK (pull);
    perf_timeouts (pull);
    perf_security (pull, 1);
    PERF_CHECK (zmq_bind (pull, ep) == 0);
    perf_print_endpoint (pull);

    zmq_msg_t msg;
    PERF_CHECK (zmq_msg_init (&msg) == 0);
    uint64_t start = 0;
    for (long i = 0; i < count; i++) {
        PERF_CHECK (zmq_msg_recv (&msg, pull, 0) >= 0);
        if (i == 0)
            start = perf_now_us ();
        if (zmq_msg_size (&msg) != size) {
            fprintf (stderr, "message %ld has size %zu, expected %zu\n", i,
                     zmq_msg_size (&msg), size);
            return 1;
        }
    }
    uint64_t elapsed = perf_now_us () - start;
    PERF_CHECK (zmq_msg_close (&msg) == 0);

    /* count-1 intervals lie between the first and the last message. */
    double secs = (double) (elapsed ? elapsed : 1) / 1e6;
    double rate = (double) (count - 1) / secs;
    double mbps = rate * (double) size * 8.0 / 1e6;
    printf ("RESULT thr size=%zu count=%ld elapsed_us=%" PRIu64
            " msgs_per_s=%.0f mbps=%.3f\n",
            size, count, elapsed, rate, mbps);
    fflush (stdout);

    PERF_CHECK (zmq_close (pull) == 0);
    PERF_CHECK (zmq_ctx_term (ctx) == 0);
    return 0;
}
