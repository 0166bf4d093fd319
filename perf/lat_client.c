/* perf/lat_client.c: latency client (REQ, connects).
 *
 * Usage: lat_client <endpoint> <msg-size> <roundtrips>
 * Connects a REQ socket to lat_server and performs <roundtrips> request/reply
 * round trips of <msg-size> bytes. The clock starts before the first send
 * (so connection set-up is included, as in libzmq's remote_lat). Prints
 *   RESULT lat size=S roundtrips=N elapsed_us=T latency_us=L
 * where latency_us is the average one-way latency: elapsed / (2 * N).
 */
#include "perf_common.h"

int main (int argc, char **argv)
{
    if (argc != 4) {
        fprintf (stderr,
                 "usage: lat_client <endpoint> <msg-size> <roundtrips>\n");
        return 2;
    }
    const char *ep = argv[1];
    size_t size = (size_t) perf_arg (argv[2], "msg-size");
    long rts = perf_arg (argv[3], "roundtrips");
    if (rts < 1) {
        fprintf (stderr, "roundtrips must be at least 1\n");
        return 2;
    }
    perf_print_lib ();

    void *ctx = zmq_ctx_new ();
    PERF_CHECK (ctx);
    void *req = zmq_socket (ctx, ZMQ_REQ);
    PERF_CHECK (req);
    perf_timeouts (req);
    perf_security (req, 0);
    PERF_CHECK (zmq_connect (req, ep) == 0);

    zmq_msg_t msg;
    PERF_CHECK (zmq_msg_init_size (&msg, size) == 0);
    if (size)
        perf_fill (zmq_msg_data (&msg), size);

    uint64_t start = perf_now_us ();
    for (long i = 0; i < rts; i++) {
        PERF_CHECK (zmq_msg_send (&msg, req, 0) >= 0);
        PERF_CHECK (zmq_msg_recv (&msg, req, 0) >= 0);
        if (zmq_msg_size (&msg) != size) {
            fprintf (stderr, "reply %ld has size %zu, expected %zu\n", i,
                     zmq_msg_size (&msg), size);
            return 1;
        }
    }
    uint64_t elapsed = perf_now_us () - start;
    PERF_CHECK (zmq_msg_close (&msg) == 0);

    double latency = (double) elapsed / (2.0 * (double) rts);
    printf ("RESULT lat size=%zu roundtrips=%ld elapsed_us=%" PRIu64
            " latency_us=%.3f\n",
            size, rts, elapsed, latency);
    fflush (stdout);

    PERF_CHECK (zmq_close (req) == 0);
    PERF_CHECK (zmq_ctx_term (ctx) == 0);
    return 0;
}
