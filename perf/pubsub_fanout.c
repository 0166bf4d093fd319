/* perf/pubsub_fanout.c: PUB/SUB fan-out throughput in one process.
 *
 * Usage: pubsub_fanout <endpoint> <msg-size> <count> <subscribers>
 * The main thread binds a PUB socket (e.g. tcp://127.0.0.1:*, ipc://...,
 * inproc://perf-fanout); <subscribers> pthreads each connect a SUB socket
 * (subscribed to everything) from the same context. High-water marks are 0
 * (unlimited) on both sides so that no message is dropped and every
 * subscriber must receive all <count> messages.
 *
 * Joining: until every subscriber has seen a 1-byte warm-up message 'W' and
 * said so on an inproc PUSH/PULL channel, the publisher keeps sending
 * warm-ups (the "slow joiner" problem of PUB/SUB). Then it sends <count>
 * data messages of <msg-size> bytes (first byte 'D'). The clock runs from
 * the first data message sent to the moment the last subscriber received
 * its last one. Prints
 *   RESULT fanout size=S subs=K count=N delivered=D elapsed_us=T
 *          msgs_per_s=R mbps=M
 * with R = delivered messages (over all subscribers) per second.
 */
#include "perf_common.h"
#include <pthread.h>

#define READY_EP "inproc://perf-fanout-ready"

struct sub_args
{
    void *ctx;
    const char *endpoint;
    size_t size;
    long count;
    long received;
    uint64_t end;
};

static void *subscriber (void *arg)
{
    struct sub_args *a = (struct sub_args *) arg;
    void *sub = zmq_socket (a->ctx, ZMQ_SUB);
    PERF_CHECK (sub);
    perf_timeouts (sub);
    int hwm = (int) a->count + 100000;
    PERF_CHECK (zmq_setsockopt (sub, ZMQ_RCVHWM, &hwm, sizeof hwm) == 0);
    PERF_CHECK (zmq_setsockopt (sub, ZMQ_SUBSCRIBE, "", 0) == 0);
    PERF_CHECK (zmq_connect (sub, a->endpoint) == 0);
    void *ready = zmq_socket (a->ctx, ZMQ_PUSH);
    PERF_CHECK (ready);
    perf_timeouts (ready);
    PERF_CHECK (zmq_connect (ready, READY_EP) == 0);

    int said_ready = 0;
    zmq_msg_t msg;
    PERF_CHECK (zmq_msg_init (&msg) == 0);
    while (a->received < a->count) {
        PERF_CHECK (zmq_msg_recv (&msg, sub, 0) >= 0);
        const char *data = (const char *) zmq_msg_data (&msg);
        if (zmq_msg_size (&msg) >= 1 && data[0] == 'W') {
            if (!said_ready) {
                PERF_CHECK (zmq_send (ready, "R", 1, 0) == 1);
                said_ready = 1;
            }
            continue;
        }
        if (zmq_msg_size (&msg) != a->size) {
            fprintf (stderr, "message has size %zu, expected %zu\n",
                     zmq_msg_size (&msg), a->size);
            exit (1);
        }
        a->received++;
    }
    a->end = perf_now_us ();
    PERF_CHECK (zmq_msg_close (&msg) == 0);
    PERF_CHECK (zmq_close (ready) == 0);
    PERF_CHECK (zmq_close (sub) == 0);
    return NULL;
}

int main (int argc, char **argv)
{
    if (argc != 5) {
        fprintf (stderr, "usage: pubsub_fanout <endpoint> <msg-size> <count> "
                         "<subscribers>\n");
        return 2;
    }
    const char *ep = argv[1];
    size_t size = (size_t) perf_arg (argv[2], "msg-size");
    long count = perf_arg (argv[3], "count");
    long nsubs = perf_arg (argv[4], "subscribers");
    if (size < 1 || count < 1 || count > 100000000 || nsubs < 1
        || nsubs > 1000) {
        fprintf (stderr, "need msg-size >= 1, count 1..1e8, 1..1000 subs\n");
        return 2;
    }
    perf_print_lib ();

    void *ctx = zmq_ctx_new ();
    PERF_CHECK (ctx);
    void *ready = zmq_socket (ctx, ZMQ_PULL);
    PERF_CHECK (ready);
    perf_timeouts (ready);
    PERF_CHECK (zmq_bind (ready, READY_EP) == 0);
    void *pub = zmq_socket (ctx, ZMQ_PUB);
    PERF_CHECK (pub);
    perf_timeouts (pub);
    int hwm = (int) count + 100000;
    PERF_CHECK (zmq_setsockopt (pub, ZMQ_SNDHWM, &hwm, sizeof hwm) == 0);
    PERF_CHECK (zmq_bind (pub, ep) == 0);
    char real_ep[1024];
    size_t len = sizeof real_ep;
    PERF_CHECK (zmq_getsockopt (pub, ZMQ_LAST_ENDPOINT, real_ep, &len) == 0);

    struct sub_args *args =
      (struct sub_args *) calloc ((size_t) nsubs, sizeof *args);
    pthread_t *threads = (pthread_t *) calloc ((size_t) nsubs, sizeof *threads);
    if (!args || !threads)
        return 1;
    for (long i = 0; i < nsubs; i++) {
        args[i].ctx = ctx;
        args[i].endpoint = real_ep;
        args[i].size = size;
        args[i].count = count;
        if (pthread_create (&threads[i], NULL, subscriber, &args[i]) != 0) {
            fprintf (stderr, "pthread_create failed\n");
            return 1;
        }
    }

    /* Warm up until every subscriber has joined. */
    uint64_t deadline = perf_now_us () + (uint64_t) perf_timeout_ms () * 1000;
    long joined = 0;
    while (joined < nsubs) {
        PERF_CHECK (zmq_send (pub, "W", 1, 0) == 1);
        zmq_pollitem_t item = {ready, 0, ZMQ_POLLIN, 0};
        int rc = zmq_poll (&item, 1, 1);
        PERF_CHECK (rc >= 0);
        while (rc > 0 && (item.revents & ZMQ_POLLIN)) {
            char buf[4];
            PERF_CHECK (zmq_recv (ready, buf, sizeof buf, 0) >= 0);
            joined++;
            rc = zmq_poll (&item, 1, 0);
            PERF_CHECK (rc >= 0);
        }
        if (perf_now_us () > deadline) {
            fprintf (stderr, "only %ld of %ld subscribers joined\n", joined,
                     nsubs);
            return 1;
        }
    }

    uint64_t start = perf_now_us ();
    for (long i = 0; i < count; i++) {
        zmq_msg_t msg;
        PERF_CHECK (zmq_msg_init_size (&msg, size) == 0);
        perf_fill (zmq_msg_data (&msg), size);
        ((char *) zmq_msg_data (&msg))[0] = 'D';
        PERF_CHECK (zmq_msg_send (&msg, pub, 0) >= 0);
    }
    long delivered = 0;
    uint64_t end = start;
    for (long i = 0; i < nsubs; i++) {
        pthread_join (threads[i], NULL);
        delivered += args[i].received;
        if (args[i].end > end)
            end = args[i].end;
    }
    uint64_t elapsed = end - start;
    double secs = (double) (elapsed ? elapsed : 1) / 1e6;
    double rate = (double) delivered / secs;
    double mbps = rate * (double) size * 8.0 / 1e6;
    printf ("RESULT fanout size=%zu subs=%ld count=%ld delivered=%ld "
            "elapsed_us=%" PRIu64 " msgs_per_s=%.0f mbps=%.3f\n",
            size, nsubs, count, delivered, elapsed, rate, mbps);
    fflush (stdout);

    free (args);
    free (threads);
    PERF_CHECK (zmq_close (pub) == 0);
    PERF_CHECK (zmq_close (ready) == 0);
    PERF_CHECK (zmq_ctx_term (ctx) == 0);
    return 0;
}
