/* perf/inproc_lat.c: latency between two threads of one process.
 *
 * Usage: inproc_lat <msg-size> <roundtrips> [endpoint]
 * The main thread binds a REP socket (default inproc://perf-lat; any
 * endpoint works), a pthread connects a REQ socket from the same context and
 * performs <roundtrips> round trips, timing them. Prints the same
 * RESULT lat line as lat_client (average one-way latency in microseconds).
 */
#include "perf_common.h"
#include <pthread.h>

struct client_args
{
    void *ctx;
    char endpoint[1024];
    size_t size;
    long rts;
    uint64_t elapsed;
};

static void *client (void *arg)
{
    struct client_args *a = (struct client_args *) arg;
    void *req = zmq_socket (a->ctx, ZMQ_REQ);
    PERF_CHECK (req);
    perf_timeouts (req);
    PERF_CHECK (zmq_connect (req, a->endpoint) == 0);
    zmq_msg_t msg;
    PERF_CHECK (zmq_msg_init_size (&msg, a->size) == 0);
    if (a->size)
        perf_fill (zmq_msg_data (&msg), a->size);
    uint64_t start = perf_now_us ();
    for (long i = 0; i < a->rts; i++) {
        PERF_CHECK (zmq_msg_send (&msg, req, 0) >= 0);
        PERF_CHECK (zmq_msg_recv (&msg, req, 0) >= 0);
        if (zmq_msg_size (&msg) != a->size) {
            fprintf (stderr, "reply %ld has size %zu, expected %zu\n", i,
                     zmq_msg_size (&msg), a->size);
            exit (1);
        }
    }
    a->elapsed = perf_now_us () - start;
    PERF_CHECK (zmq_msg_close (&msg) == 0);
    PERF_CHECK (zmq_close (req) == 0);
    return NULL;
}

int main (int argc, char **argv)
{
    if (argc != 3 && argc != 4) {
        fprintf (stderr,
                 "usage: inproc_lat <msg-size> <roundtrips> [endpoint]\n");
        return 2;
    }
    size_t size = (size_t) perf_arg (argv[1], "msg-size");
    long rts = perf_arg (argv[2], "roundtrips");
    const char *ep = argc == 4 ? argv[3] : "inproc://perf-lat";
    if (rts < 1) {
        fprintf (stderr, "roundtrips must be at least 1\n");
        return 2;
    }
    perf_print_lib ();

    void *ctx = zmq_ctx_new ();
    PERF_CHECK (ctx);
    void *rep = zmq_socket (ctx, ZMQ_REP);
    PERF_CHECK (rep);
    perf_timeouts (rep);
    PERF_CHECK (zmq_bind (rep, ep) == 0);

    struct client_args args;
    memset (&args, 0, sizeof args);
    args.ctx = ctx;
    args.size = size;
    args.rts = rts;
    size_t len = sizeof args.endpoint;
    PERF_CHECK (zmq_getsockopt (rep, ZMQ_LAST_ENDPOINT, args.endpoint, &len)
                == 0);
    pthread_t thread;
    if (pthread_create (&thread, NULL, client, &args) != 0) {
        fprintf (stderr, "pthread_create failed\n");
        return 1;
    }

    zmq_msg_t msg;
    PERF_CHECK (zmq_msg_init (&msg) == 0);
    for (long i = 0; i < rts; i++) {
        PERF_CHECK (zmq_msg_recv (&msg, rep, 0) >= 0);
        PERF_CHECK (zmq_msg_send (&msg, rep, 0) >= 0);
    }
    PERF_CHECK (zmq_msg_close (&msg) == 0);
    pthread_join (thread, NULL);

    double latency = (double) args.elapsed / (2.0 * (double) rts);
    printf ("RESULT lat size=%zu roundtrips=%ld elapsed_us=%" PRIu64
            " latency_us=%.3f\n",
            size, rts, args.elapsed, latency);
    fflush (stdout);

    PERF_CHECK (zmq_close (rep) == 0);
    PERF_CHECK (zmq_ctx_term (ctx) == 0);
    return 0;
}
