/* perf/inproc_thr.c: throughput between two threads of one process.
 *
 * Usage: inproc_thr <msg-size> <count> [endpoint]
 * The main thread binds a PULL socket (default endpoint inproc://perf-thr;
 * any endpoint works, e.g. tcp://127.0.0.1:* for a one-process tcp run), a
 * pthread connects a PUSH socket from the same context and sends <count>
 * messages. The receiver measures from the first message to the last and
 * prints the same RESULT thr line as thr_recv.
 */
#include "perf_common.h"
#include <pthread.h>

struct sender_args
{
    void *ctx;
    char endpoint[1024];
    size_t size;
    long count;
};

static void *sender (void *arg)
{
    struct sender_args *a = (struct sender_args *) arg;
    void *push = zmq_socket (a->ctx, ZMQ_PUSH);
    PERF_CHECK (push);
    perf_timeouts (push);
    PERF_CHECK (zmq_connect (push, a->endpoint) == 0);
    for (long i = 0; i < a->count; i++) {
        zmq_msg_t msg;
        PERF_CHECK (zmq_msg_init_size (&msg, a->size) == 0);
        if (a->size)
            perf_fill (zmq_msg_data (&msg), a->size);
        PERF_CHECK (zmq_msg_send (&msg, push, 0) >= 0);
    }
    PERF_CHECK (zmq_close (push) == 0);
    return NULL;
}

int main (int argc, char **argv)
{
    if (argc != 3 && argc != 4) {
        fprintf (stderr, "usage: inproc_thr <msg-size> <count> [endpoint]\n");
        return 2;
    }
    size_t size = (size_t) perf_arg (argv[1], "msg-size");
    long count = perf_arg (argv[2], "count");
    const char *ep = argc == 4 ? argv[3] : "inproc://perf-thr";
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
    PERF_CHECK (zmq_bind (pull, ep) == 0);

    struct sender_args args;
    args.ctx = ctx;
    args.size = size;
    args.count = count;
    size_t len = sizeof args.endpoint;
    PERF_CHECK (zmq_getsockopt (pull, ZMQ_LAST_ENDPOINT, args.endpoint, &len)
                == 0);
    pthread_t thread;
    if (pthread_create (&thread, NULL, sender, &args) != 0) {
        fprintf (stderr, "pthread_create failed\n");
        return 1;
    }

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
    pthread_join (thread, NULL);

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
