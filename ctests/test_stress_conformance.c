/*  test_stress_conformance.c: termination and concurrency under stress, the
    way libzmq's own tests and real applications exercise them.

      - many threads connect and close SUB sockets while the context (7 I/O
        threads) is being torn down (zmq_ctx_term(3) must return 0);
      - a thread blocked in zmq_recv, zmq_msg_recv, zmq_send (PUSH at its
        HWM), zmq_poll (and, with the draft API, zmq_poller_wait and
        zmq_poller_wait_all) is woken with ETERM by zmq_ctx_term or
        zmq_ctx_shutdown from another thread; term finishes once the
        socket is closed;
      - zmq_socket(3) racing a shutdown fails with ETERM, never crashes;
      - request/reply workers over inproc and tcp see ETERM mid-flight;
      - sending after zmq_unbind / zmq_disconnect is EAGAIN, a wildcard
        endpoint cannot be unbound (ENOENT), ZMQ_LAST_ENDPOINT can;
      - zmq_proxy between ROUTER/DEALER carries REQ/REP and ends with ETERM;
        zmq_proxy_steerable ends on TERMINATE, also while its backend PUSH
        has no peer (libzmq issue 1382), and while it is blocked sending;
      - ZMQ_MAX_SOCKETS: the limit is exact, then EMFILE;
      - ZMQ_LINGER to a dead peer: 0 does not wait, 100 waits about 100 ms,
        -1 waits until the peer appears and takes the message; a full
        pipe to a live peer that does not read waits for the linger only;
        ZMQ_BLOCKY 0 makes new sockets linger 0;
      - messages to an inproc endpoint nobody binds do not hold up term,
        whatever the linger;
      - zero-copy messages dropped at close/term are freed exactly once;
      - a monitor reader blocked on its PAIR gets ETERM;
      - term while a tcp peer never sends its greeting;
      - several threads calling zmq_ctx_shutdown at once;
      - zmq_poll over sockets of two contexts wakes with ETERM when one
        context shuts down;
      - a forked child closes the parent's live sockets, its zmq_ctx_term
        says EINTR, and the parent's connection still works;
      - a signal (handler without SA_RESTART) makes a blocked zmq_recv,
        zmq_msg_recv, zmq_send or zmq_poll fail with EINTR; the socket
        still works afterwards;
      - (draft) one CLIENT shared by two threads blocked in zmq_recv;
      - multipart PUSH/PULL traffic with small HWMs (17 / 15) over tcp and
        ipc arrives whole (an I/O-thread stall showed up there).

    The only sleeps are observation windows for "has not happened yet"
    (term still waiting on linger -1) and short random jitter that moves
    the moment of termination around.  Checked against Debian's libzmq
    4.3.4.  */
#include "testutil.h"

#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_ms (void)
{
    struct timespec t;
    clock_gettime (CLOCK_MONOTONIC, &t);
    return (double) t.tv_sec * 1e3 + (double) t.tv_nsec / 1e6;
}

static void jitter_us (int max)
{
    usleep ((useconds_t) (rand () % max));
}

/*  ZMQ_LINGER 0 on a socket that may already have seen ETERM (then the
    option call fails with ETERM, and the linger no longer matters).  */
static void linger_zero_or_eterm (void *s)
{
    int zero = 0;
    int rc = zmq_setsockopt (s, ZMQ_LINGER, &zero, sizeof zero);
    TEST_ASSERT (rc == 0 || zmq_errno () == ETERM);
}

/*  A context terminated in another thread; done is set when term returns.  */
typedef struct {
    void *ctx;
    volatile int done;
    int rc;
} term_arg_t;

static void *term_thread (void *p)
{
    term_arg_t *t = (term_arg_t *) p;
    t->rc = zmq_ctx_term (t->ctx);
    t->done = 1;
    return NULL;
}

/* ------------------------------------------------------------------ */

static char shutdown_ep[256];

static void *connect_and_close (void *s)
{
    TEST_ASSERT_SUCCESS (zmq_connect (s, shutdown_ep));
    TEST_ASSERT_SUCCESS (zmq_close (s));
    return NULL;
}

static void test_shutdown_stress (void)
{
    for (int round = 0; round < 10; round++) {
        void *ctx = zmq_ctx_new ();
        TEST_ASSERT_SUCCESS (zmq_ctx_set (ctx, ZMQ_IO_THREADS, 7));
        void *pub = zmq_socket (ctx, ZMQ_PUB);
        tu_bind_loopback (pub, shutdown_ep, sizeof shutdown_ep);
        pthread_t t[10];
        for (int i = 0; i < 10; i++) {
            void *sub = zmq_socket (ctx, ZMQ_SUB);
            TEST_ASSERT (sub != NULL);
            TEST_ASSERT (pthread_create (&t[i], NULL, connect_and_close, sub) ==
                         0);
        }
        for (int i = 0; i < 10; i++)
            pthread_join (t[i], NULL);
        TEST_ASSERT_SUCCESS (zmq_close (pub));
        TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
    }
}

/* ------------------------------------------------------------------ */

enum { B_RECV, B_MSG_RECV, B_SEND, B_POLL, B_POLLER, B_POLLER_ALL, B_COUNT };

typedef struct {
    void *ctx;
    int call;
    int type;
    volatile int ready;
    int rc;
    int err;
} blocked_t;

static void *blocked_thread (void *p)
{
    blocked_t *b = (blocked_t *) p;
    void *s = zmq_socket (b->ctx, b->type);
    TEST_ASSERT (s != NULL);
    char buf[16];
    if (b->call == B_SEND) {
        /*  A PUSH whose only pipe is full: the next send blocks.  */
        tu_set_int (s, ZMQ_SNDHWM, 1);
        tu_set_int (s, ZMQ_LINGER, 0);
        TEST_ASSERT_SUCCESS (zmq_connect (s, "tcp://127.0.0.1:1"));
        while (zmq_send (s, "f", 1, ZMQ_DONTWAIT) == 1)
            ;
        TEST_ASSERT_EQ_INT (zmq_errno (), EAGAIN);
    }
    b->ready = 1;
    switch (b->call) {
    case B_RECV:
        b->rc = zmq_recv (s, buf, sizeof buf, 0);
        break;
    case B_MSG_RECV: {
        zmq_msg_t m;
        zmq_msg_init (&m);
        b->rc = zmq_msg_recv (&m, s, 0);
        b->err = zmq_errno ();
        zmq_msg_close (&m);
        errno = b->err;
        break;
    }
    case B_SEND:
        b->rc = zmq_send (s, "x", 1, 0);
        break;
    case B_POLL: {
        zmq_pollitem_t item = {s, 0, ZMQ_POLLIN, 0};
        b->rc = zmq_poll (&item, 1, -1);
        break;
    }
#ifdef ZMQ_BUILD_DRAFT_API
    case B_POLLER:
    case B_POLLER_ALL: {
        void *poller = zmq_poller_new ();
        TEST_ASSERT_SUCCESS (zmq_poller_add (poller, s, NULL, ZMQ_POLLIN));
        zmq_poller_event_t ev[2];
        b->rc = b->call == B_POLLER ? zmq_poller_wait (poller, ev, -1)
                                    : zmq_poller_wait_all (poller, ev, 2, -1);
        b->err = zmq_errno ();
        TEST_ASSERT_SUCCESS (zmq_poller_destroy (&poller));
        errno = b->err;
        break;
    }
#endif
    default:
        TEST_ASSERT (0);
    }
    b->err = zmq_errno ();
    TEST_ASSERT_SUCCESS (zmq_close (s));
    return NULL;
}

static void blocked_case (int call, int type, int use_shutdown)
{
    blocked_t b = {zmq_ctx_new (), call, type, 0, 0, 0};
    pthread_t t;
    TEST_ASSERT (pthread_create (&t, NULL, blocked_thread, &b) == 0);
    while (!b.ready)
        usleep (100);
    jitter_us (3000);
    if (use_shutdown) {
        TEST_ASSERT_SUCCESS (zmq_ctx_shutdown (b.ctx));
        pthread_join (t, NULL);
        TEST_ASSERT_SUCCESS (zmq_ctx_term (b.ctx));
    } else {
        /*  term waits here until the thread has closed its socket  */
        TEST_ASSERT_SUCCESS (zmq_ctx_term (b.ctx));
        pthread_join (t, NULL);
    }
    TEST_ASSERT_MSG (b.rc == -1 && b.err == ETERM,
                     "call %d on type %d (%s): rc %d errno %d, expected ETERM",
                     call, type, use_shutdown ? "shutdown" : "term", b.rc,
                     b.err);
}

static void test_blocked_calls_end_with_eterm (void)
{
    for (int round = 0; round < 3; round++)
        for (int call = 0; call < B_COUNT; call++)
            for (int sd = 0; sd < 2; sd++) {
#ifndef ZMQ_BUILD_DRAFT_API
                if (call == B_POLLER || call == B_POLLER_ALL)
                    continue;
#endif
                if (call == B_SEND) {
                    blocked_case (call, ZMQ_PUSH, sd);
                    continue;
                }
                blocked_case (call, ZMQ_PULL, sd);
                blocked_case (call, ZMQ_DEALER, sd);
#ifdef ZMQ_BUILD_DRAFT_API
                if (call != B_MSG_RECV)
                    blocked_case (call, ZMQ_CLIENT, sd);
#endif
            }
}

/* ------------------------------------------------------------------ */

/*  Threads open, bind/connect, send on and close sockets in a loop, always
    holding one socket so that term cannot finish before they notice; the
    context is shut down (or terminated) under them.  */
typedef struct {
    void *ctx;
    int id;
} churn_t;

static void *churn_thread (void *p)
{
    churn_t *c = (churn_t *) p;
    char ep[64];
    void *held = zmq_socket (c->ctx, ZMQ_PAIR);
    if (held == NULL) {
        TEST_ASSERT_EQ_INT (zmq_errno (), ETERM);
        return NULL;
    }
    for (int i = 0;; i++) {
        void *s = zmq_socket (c->ctx, i % 2 ? ZMQ_PUSH : ZMQ_PULL);
        if (s == NULL) {
            TEST_ASSERT_EQ_INT (zmq_errno (), ETERM);
            TEST_ASSERT_SUCCESS (zmq_close (held));
            return NULL;
        }
        TEST_ASSERT_SUCCESS (zmq_close (held));
        held = s;
        linger_zero_or_eterm (s);
        int rc;
        switch (i % 4) {
        case 0:
            rc = zmq_bind (s, "tcp://127.0.0.1:*");
            break;
        case 1:
            /*  not an inproc connect to an unbound name: libzmq 4.3.4
                asserts in zmq_ctx_term when such a connect is still
                pending after zmq_ctx_shutdown  */
            rc = zmq_bind (s, "ipc://*");
            break;
        case 2:
            snprintf (ep, sizeof ep, "inproc://churn-%d-%d", c->id, i);
            rc = zmq_bind (s, ep);
            break;
        default:
            rc = zmq_connect (s, "tcp://127.0.0.1:9");
            break;
        }
        TEST_ASSERT (rc == 0 || zmq_errno () == ETERM);
        if (rc == 0 && i % 2) {
            rc = zmq_send (s, "x", 1, ZMQ_DONTWAIT);
            TEST_ASSERT (rc == 1 || zmq_errno () == EAGAIN ||
                         zmq_errno () == ETERM);
        }
    }
}

static void test_socket_churn_during_shutdown (void)
{
    for (int round = 0; round < 5; round++) {
        void *ctx = zmq_ctx_new ();
        pthread_t t[6];
        churn_t c[6];
        for (int i = 0; i < 6; i++) {
            c[i].ctx = ctx;
            c[i].id = i;
            TEST_ASSERT (pthread_create (&t[i], NULL, churn_thread, &c[i]) ==
                         0);
        }
        jitter_us (20000);
        TEST_ASSERT_SUCCESS (zmq_ctx_shutdown (ctx));
        for (int i = 0; i < 6; i++)
            pthread_join (t[i], NULL);
        TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
    }
}

/* ------------------------------------------------------------------ */

static char hub_tcp[256];

typedef struct {
    void *ctx;
    int id;
    volatile int ready;
    int err;
} worker_t;

static void *worker_thread (void *p)
{
    worker_t *w = (worker_t *) p;
    void *s = zmq_socket (w->ctx, ZMQ_DEALER);
    TEST_ASSERT (s != NULL);
    tu_set_int (s, ZMQ_LINGER, 0);
    TEST_ASSERT_SUCCESS (
        zmq_connect (s, w->id % 2 ? "inproc://stress-hub" : hub_tcp));
    w->ready = 1;
    char buf[16];
    for (;;) {
        if (zmq_send (s, "req", 3, 0) == -1 ||
            zmq_recv (s, buf, sizeof buf, 0) == -1) {
            w->err = zmq_errno ();
            break;
        }
    }
    TEST_ASSERT_SUCCESS (zmq_close (s));
    return NULL;
}

static void test_workers_see_eterm (void)
{
    for (int round = 0; round < 6; round++) {
        void *ctx = zmq_ctx_new ();
        void *hub = zmq_socket (ctx, ZMQ_ROUTER);
        TEST_ASSERT_SUCCESS (zmq_bind (hub, "inproc://stress-hub"));
        tu_bind_loopback (hub, hub_tcp, sizeof hub_tcp);
        tu_set_int (hub, ZMQ_LINGER, 0);
        pthread_t t[8];
        worker_t w[8];
        for (int i = 0; i < 8; i++) {
            w[i].ctx = ctx;
            w[i].id = i;
            w[i].ready = 0;
            w[i].err = 0;
            TEST_ASSERT (pthread_create (&t[i], NULL, worker_thread, &w[i]) ==
                         0);
        }
        for (int i = 0; i < 8; i++)
            while (!w[i].ready)
                usleep (100);
        /*  echo for a while: every worker has at least one round trip  */
        tu_set_int (hub, ZMQ_RCVTIMEO, 2000);
        for (int i = 0; i < 100; i++) {
            zmq_msg_t id, m;
            zmq_msg_init (&id);
            zmq_msg_init (&m);
            TEST_ASSERT_SUCCESS (zmq_msg_recv (&id, hub, 0));
            TEST_ASSERT_SUCCESS (zmq_msg_recv (&m, hub, 0));
            TEST_ASSERT_SUCCESS (zmq_msg_send (&id, hub, ZMQ_SNDMORE));
            TEST_ASSERT_SUCCESS (zmq_msg_send (&m, hub, 0));
        }
        if (round % 2) {
            TEST_ASSERT_SUCCESS (zmq_close (hub));
            TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
            for (int i = 0; i < 8; i++)
                pthread_join (t[i], NULL);
        } else {
            TEST_ASSERT_SUCCESS (zmq_ctx_shutdown (ctx));
            for (int i = 0; i < 8; i++)
                pthread_join (t[i], NULL);
            TEST_ASSERT_SUCCESS (zmq_close (hub));
            TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
        }
        for (int i = 0; i < 8; i++)
            TEST_ASSERT_EQ_INT (w[i].err, ETERM);
    }
}

/* ------------------------------------------------------------------ */

/*  Poll with ZMQ_DONTWAIT until a send would block (the pipe is gone).  */
static void wait_until_send_blocks (void *s)
{
    for (int i = 0; i < 1000; i++) {
        if (zmq_send (s, "ABC", 3, ZMQ_DONTWAIT) == -1) {
            TEST_ASSERT_EQ_INT (zmq_errno (), EAGAIN);
            return;
        }
        usleep (2000);
    }
    TEST_ASSERT_MSG (0, "send still accepted 2 s after unbind/disconnect");
}

static void test_term_endpoint (void)
{
    void *ctx = zmq_ctx_new ();
    char ep[1024];

    /*  send after unbind  */
    void *push = zmq_socket (ctx, ZMQ_PUSH);
    tu_bind_loopback (push, ep, sizeof ep);
    void *pull = zmq_socket (ctx, ZMQ_PULL);
    TEST_ASSERT_SUCCESS (zmq_connect (pull, ep));
    tu_send_str (push, "ABC", 0);
    tu_recv_str (pull, "ABC");
    TEST_ASSERT_SUCCESS (zmq_unbind (push, ep));
    TEST_ASSERT_FAILURE (zmq_unbind (push, ep), ENOENT);
    wait_until_send_blocks (push);
    tu_set_int (push, ZMQ_LINGER, 0);
    TEST_ASSERT_SUCCESS (zmq_close (pull));
    TEST_ASSERT_SUCCESS (zmq_close (push));

    /*  send after disconnect  */
    pull = zmq_socket (ctx, ZMQ_PULL);
    tu_bind_loopback (pull, ep, sizeof ep);
    push = zmq_socket (ctx, ZMQ_PUSH);
    TEST_ASSERT_SUCCESS (zmq_connect (push, ep));
    tu_send_str (push, "ABC", 0);
    tu_recv_str (pull, "ABC");
    TEST_ASSERT_SUCCESS (zmq_disconnect (push, ep));
    TEST_ASSERT_FAILURE (zmq_disconnect (push, ep), ENOENT);
    wait_until_send_blocks (push);
    tu_set_int (push, ZMQ_LINGER, 0);
    TEST_ASSERT_SUCCESS (zmq_close (pull));
    TEST_ASSERT_SUCCESS (zmq_close (push));

    /*  a wildcard endpoint is not unbindable; the resolved one is  */
    push = zmq_socket (ctx, ZMQ_PUSH);
    TEST_ASSERT_SUCCESS (zmq_bind (push, "tcp://127.0.0.1:*"));
    pull = zmq_socket (ctx, ZMQ_PULL);
    TEST_ASSERT_SUCCESS (zmq_bind (pull, "ipc://*"));
    TEST_ASSERT_FAILURE (zmq_unbind (push, "tcp://127.0.0.1:*"), ENOENT);
    TEST_ASSERT_FAILURE (zmq_unbind (pull, "ipc://*"), ENOENT);
    tu_last_endpoint (pull, ep, sizeof ep);
    TEST_ASSERT_SUCCESS (zmq_unbind (pull, ep));
    tu_last_endpoint (push, ep, sizeof ep);
    TEST_ASSERT_SUCCESS (zmq_unbind (push, ep));
    TEST_ASSERT_SUCCESS (zmq_close (pull));
    TEST_ASSERT_SUCCESS (zmq_close (push));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

/* ------------------------------------------------------------------ */

typedef struct {
    void *ctx;
    int steerable;
    volatile int ready;
    int rc;
    int err;
} device_t;

static void *device_thread (void *p)
{
    device_t *d = (device_t *) p;
    void *fe = zmq_socket (d->ctx, ZMQ_ROUTER);
    void *be = zmq_socket (d->ctx, ZMQ_DEALER);
    TEST_ASSERT_SUCCESS (zmq_bind (fe, "inproc://stress-fe"));
    TEST_ASSERT_SUCCESS (zmq_bind (be, "inproc://stress-be"));
    void *ctl = NULL;
    if (d->steerable) {
        ctl = zmq_socket (d->ctx, ZMQ_PAIR);
        TEST_ASSERT_SUCCESS (zmq_bind (ctl, "inproc://stress-ctl"));
    }
    d->ready = 1;
    d->rc = d->steerable ? zmq_proxy_steerable (fe, be, NULL, ctl)
                         : zmq_proxy (fe, be, NULL);
    d->err = zmq_errno ();
    linger_zero_or_eterm (fe);
    linger_zero_or_eterm (be);
    TEST_ASSERT_SUCCESS (zmq_close (fe));
    TEST_ASSERT_SUCCESS (zmq_close (be));
    if (ctl)
        TEST_ASSERT_SUCCESS (zmq_close (ctl));
    return NULL;
}

static void test_reqrep_device (void)
{
    for (int steerable = 0; steerable < 2; steerable++)
        for (int round = 0; round < 3; round++) {
            device_t d = {zmq_ctx_new (), steerable, 0, 0, 0};
            pthread_t t;
            TEST_ASSERT (pthread_create (&t, NULL, device_thread, &d) == 0);
            while (!d.ready)
                usleep (100);
            void *req = zmq_socket (d.ctx, ZMQ_REQ);
            void *rep = zmq_socket (d.ctx, ZMQ_REP);
            TEST_ASSERT_SUCCESS (zmq_connect (req, "inproc://stress-fe"));
            TEST_ASSERT_SUCCESS (zmq_connect (rep, "inproc://stress-be"));
            for (int i = 0; i < 20; i++) {
                tu_send_str (req, "ABC", ZMQ_SNDMORE);
                tu_send_str (req, "DEFG", 0);
                tu_recv_str (rep, "ABC");
                TEST_ASSERT_EQ_INT (tu_get_int (rep, ZMQ_RCVMORE), 1);
                tu_recv_str (rep, "DEFG");
                tu_send_str (rep, "GHIJ", ZMQ_SNDMORE);
                tu_send_str (rep, "KL", 0);
                tu_recv_str (req, "GHIJ");
                tu_recv_str (req, "KL");
            }
            TEST_ASSERT_SUCCESS (zmq_close (req));
            TEST_ASSERT_SUCCESS (zmq_close (rep));
            if (steerable) {
                void *ctl = zmq_socket (d.ctx, ZMQ_PAIR);
                TEST_ASSERT_SUCCESS (zmq_connect (ctl, "inproc://stress-ctl"));
                tu_send_str (ctl, "TERMINATE", 0);
                pthread_join (t, NULL);
                TEST_ASSERT_EQ_INT (d.rc, 0);
                TEST_ASSERT_SUCCESS (zmq_close (ctl));
                TEST_ASSERT_SUCCESS (zmq_ctx_term (d.ctx));
            } else {
                TEST_ASSERT_SUCCESS (zmq_ctx_term (d.ctx));
                pthread_join (t, NULL);
                TEST_ASSERT_EQ_INT (d.rc, -1);
                TEST_ASSERT_EQ_INT (d.err, ETERM);
            }
        }
}

/*  SUB -> PUSH steerable proxy whose PUSH has no peer, steered by a REQ
    that first sends the frontend's endpoint to the main thread's REP.  */
static void *proxy_terminate_server (void *ctx)
{
    void *fe = zmq_socket (ctx, ZMQ_SUB);
    TEST_ASSERT_SUCCESS (zmq_setsockopt (fe, ZMQ_SUBSCRIBE, "", 0));
    char ep[256];
    tu_bind_loopback (fe, ep, sizeof ep);
    void *be = zmq_socket (ctx, ZMQ_PUSH);
    TEST_ASSERT_SUCCESS (zmq_bind (be, "tcp://127.0.0.1:*"));
    void *ctl = zmq_socket (ctx, ZMQ_REQ);
    TEST_ASSERT_SUCCESS (zmq_connect (ctl, "inproc://stress-control"));
    tu_send_str (ctl, ep, 0);
    TEST_ASSERT_SUCCESS (zmq_proxy_steerable (fe, be, NULL, ctl));
    TEST_ASSERT_SUCCESS (zmq_close (fe));
    TEST_ASSERT_SUCCESS (zmq_close (be));
    TEST_ASSERT_SUCCESS (zmq_close (ctl));
    return NULL;
}

static void test_proxy_terminate (void)
{
    void *ctx = zmq_ctx_new ();
    void *ctl = zmq_socket (ctx, ZMQ_REP);
    TEST_ASSERT_SUCCESS (zmq_bind (ctl, "inproc://stress-control"));
    pthread_t t;
    TEST_ASSERT (pthread_create (&t, NULL, proxy_terminate_server, ctx) == 0);
    char ep[256];
    int n = zmq_recv (ctl, ep, sizeof ep - 1, 0);
    TEST_ASSERT (n > 0);
    ep[n] = '\0';
    void *pub = zmq_socket (ctx, ZMQ_PUB);
    TEST_ASSERT_SUCCESS (zmq_connect (pub, ep));
    for (int i = 0; i < 3; i++) {
        tu_send_str (pub, "This is a test", 0);
        usleep (20000);
    }
    tu_send_str (ctl, "TERMINATE", 0);
    TEST_ASSERT_SUCCESS (zmq_close (pub));
    TEST_ASSERT_SUCCESS (zmq_close (ctl));
    pthread_join (t, NULL);
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

/*  A proxy blocked writing to a backend nobody drains ends on shutdown.  */
typedef struct {
    void *ctx;
    char ep[256];
    volatile int ready;
    int rc;
    int err;
} stuck_proxy_t;

static void *stuck_proxy_thread (void *p)
{
    stuck_proxy_t *a = (stuck_proxy_t *) p;
    void *fe = zmq_socket (a->ctx, ZMQ_PULL);
    void *be = zmq_socket (a->ctx, ZMQ_PUSH);
    void *slow = zmq_socket (a->ctx, ZMQ_PULL);
    tu_set_int (be, ZMQ_SNDHWM, 2);
    tu_set_int (slow, ZMQ_RCVHWM, 1);
    tu_bind_loopback (fe, a->ep, sizeof a->ep);
    TEST_ASSERT_SUCCESS (zmq_bind (be, "inproc://stress-slow"));
    TEST_ASSERT_SUCCESS (zmq_connect (slow, "inproc://stress-slow"));
    a->ready = 1;
    a->rc = zmq_proxy (fe, be, NULL);
    a->err = zmq_errno ();
    linger_zero_or_eterm (be);
    TEST_ASSERT_SUCCESS (zmq_close (fe));
    TEST_ASSERT_SUCCESS (zmq_close (be));
    TEST_ASSERT_SUCCESS (zmq_close (slow));
    return NULL;
}

static void test_proxy_blocked_in_send (void)
{
    stuck_proxy_t a;
    memset (&a, 0, sizeof a);
    a.ctx = zmq_ctx_new ();
    pthread_t t;
    TEST_ASSERT (pthread_create (&t, NULL, stuck_proxy_thread, &a) == 0);
    while (!a.ready)
        usleep (100);
    void *c2 = zmq_ctx_new ();
    void *push = zmq_socket (c2, ZMQ_PUSH);
    TEST_ASSERT_SUCCESS (zmq_connect (push, a.ep));
    for (int i = 0; i < 100; i++)
        tu_send_str (push, "abcdef", 0);
    usleep (50000);
    TEST_ASSERT_SUCCESS (zmq_ctx_shutdown (a.ctx));
    pthread_join (t, NULL);
    TEST_ASSERT_SUCCESS (zmq_ctx_term (a.ctx));
    TEST_ASSERT_EQ_INT (a.rc, -1);
    TEST_ASSERT_EQ_INT (a.err, ETERM);
    tu_set_int (push, ZMQ_LINGER, 0);
    TEST_ASSERT_SUCCESS (zmq_close (push));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (c2));
}

/* ------------------------------------------------------------------ */

static void test_many_sockets (void)
{
    void *ctx = zmq_ctx_new ();
    TEST_ASSERT_SUCCESS (zmq_ctx_set (ctx, ZMQ_MAX_SOCKETS, 100));
    int max = zmq_ctx_get (ctx, ZMQ_MAX_SOCKETS);
    TEST_ASSERT_EQ_INT (max, 100);
    void *s[100];
    for (int i = 0; i < max; i++) {
        s[i] = zmq_socket (ctx, ZMQ_PAIR);
        TEST_ASSERT_MSG (s[i] != NULL, "socket %d of %d: errno %d", i, max,
                         zmq_errno ());
    }
    for (int i = 0; i < 10; i++)
        TEST_ASSERT_NULL_ERRNO (zmq_socket (ctx, ZMQ_PAIR), EMFILE);
    for (int i = 0; i < max; i++)
        TEST_ASSERT_SUCCESS (zmq_close (s[i]));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

/* ------------------------------------------------------------------ */

/*  An endpoint where nothing listens any more.  */
static void dead_endpoint (char *ep, size_t n)
{
    void *ctx = zmq_ctx_new ();
    void *pull = zmq_socket (ctx, ZMQ_PULL);
    tu_bind_loopback (pull, ep, n);
    TEST_ASSERT_SUCCESS (zmq_close (pull));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

static void linger_to_dead_peer (int linger)
{
    char ep[256];
    dead_endpoint (ep, sizeof ep);
    void *ctx = zmq_ctx_new ();
    void *push = zmq_socket (ctx, ZMQ_PUSH);
    tu_set_int (push, ZMQ_LINGER, linger);
    TEST_ASSERT_SUCCESS (zmq_connect (push, ep));
    tu_send_str (push, "hello", 0);
    TEST_ASSERT_SUCCESS (zmq_close (push));
    double t0 = now_ms ();
    if (linger >= 0) {
        TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
        double dt = now_ms () - t0;
        TEST_ASSERT_MSG (dt >= linger - 5 && dt < linger + 1000,
                         "linger %d: term took %.1f ms", linger, dt);
        return;
    }
    term_arg_t ta = {ctx, 0, 0};
    pthread_t t;
    TEST_ASSERT (pthread_create (&t, NULL, term_thread, &ta) == 0);
    usleep (300000);
    TEST_ASSERT_MSG (!ta.done,
                     "term returned with a message lingering forever");
    void *c2 = zmq_ctx_new ();
    void *pull = zmq_socket (c2, ZMQ_PULL);
    TEST_ASSERT_SUCCESS (zmq_bind (pull, ep));
    tu_set_int (pull, ZMQ_RCVTIMEO, 5000);
    tu_recv_str (pull, "hello");
    pthread_join (t, NULL);
    TEST_ASSERT_EQ_INT (ta.rc, 0);
    TEST_ASSERT_SUCCESS (zmq_close (pull));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (c2));
}

static void test_linger_dead_peer (void)
{
    linger_to_dead_peer (0);
    linger_to_dead_peer (100);
    linger_to_dead_peer (-1);
}

/*  The pipe to a live peer is full (it never reads): term waits for the
    linger period only.  */
static void test_linger_full_pipe (void)
{
    void *c2 = zmq_ctx_new ();
    void *pull = zmq_socket (c2, ZMQ_PULL);
    tu_set_int (pull, ZMQ_RCVHWM, 1);
    tu_set_int (pull, ZMQ_RCVBUF, 4096);
    char ep[256];
    tu_bind_loopback (pull, ep, sizeof ep);
    void *ctx = zmq_ctx_new ();
    void *push = zmq_socket (ctx, ZMQ_PUSH);
    tu_set_int (push, ZMQ_SNDHWM, 1);
    tu_set_int (push, ZMQ_SNDBUF, 4096);
    tu_set_int (push, ZMQ_LINGER, 100);
    tu_set_int (push, ZMQ_SNDTIMEO, 200);
    TEST_ASSERT_SUCCESS (zmq_connect (push, ep));
    static char big[10000];
    memset (big, 'x', sizeof big);
    while (zmq_send (push, big, sizeof big, 0) == (int) sizeof big)
        ;
    TEST_ASSERT_EQ_INT (zmq_errno (), EAGAIN);
    TEST_ASSERT_SUCCESS (zmq_close (push));
    double t0 = now_ms ();
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
    double dt = now_ms () - t0;
    TEST_ASSERT_MSG (dt >= 80 && dt < 1500, "term took %.1f ms", dt);
    tu_set_int (pull, ZMQ_LINGER, 0);
    TEST_ASSERT_SUCCESS (zmq_close (pull));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (c2));
}

static void test_blocky_zero (void)
{
    char ep[256];
    dead_endpoint (ep, sizeof ep);
    void *ctx = zmq_ctx_new ();
    TEST_ASSERT_SUCCESS (zmq_ctx_set (ctx, ZMQ_BLOCKY, 0));
    void *push = zmq_socket (ctx, ZMQ_PUSH);
    TEST_ASSERT_EQ_INT (tu_get_int (push, ZMQ_LINGER), 0);
    TEST_ASSERT_SUCCESS (zmq_connect (push, ep));
    tu_send_str (push, "x", 0);
    TEST_ASSERT_SUCCESS (zmq_close (push));
    double t0 = now_ms ();
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
    TEST_ASSERT (now_ms () - t0 < 500);
}

/*  Messages queued to an inproc endpoint nobody ever binds.  */
static void test_pending_inproc_connect (void)
{
    const int lingers[] = {-1, 0, 100};
    for (int i = 0; i < 3; i++)
        for (int nmsg = 0; nmsg < 4; nmsg += 3) {
            void *ctx = zmq_ctx_new ();
            void *push = zmq_socket (ctx, ZMQ_PUSH);
            tu_set_int (push, ZMQ_LINGER, lingers[i]);
            TEST_ASSERT_SUCCESS (zmq_connect (push, "inproc://stress-nobody"));
            for (int k = 0; k < nmsg; k++)
                tu_send_str (push, "x", ZMQ_DONTWAIT);
            TEST_ASSERT_SUCCESS (zmq_close (push));
            double t0 = now_ms ();
            TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
            double dt = now_ms () - t0;
            TEST_ASSERT_MSG (dt < 500,
                             "linger %d, %d queued: term took %.1f ms",
                             lingers[i], nmsg, dt);
        }
}

/*  The receiver of an inproc pipe never reads; once the sender is closed
    and term has started, the receiver's calls fail with ETERM and its
    close lets term finish.  */
static void test_inproc_unread_receiver (void)
{
    void *ctx = zmq_ctx_new ();
    void *pull = zmq_socket (ctx, ZMQ_PULL);
    void *push = zmq_socket (ctx, ZMQ_PUSH);
    TEST_ASSERT_SUCCESS (zmq_bind (pull, "inproc://stress-unread"));
    TEST_ASSERT_SUCCESS (zmq_connect (push, "inproc://stress-unread"));
    for (int i = 0; i < 100; i++)
        tu_send_str (push, "abc", 0);
    TEST_ASSERT_SUCCESS (zmq_close (push));
    term_arg_t ta = {ctx, 0, 0};
    pthread_t t;
    TEST_ASSERT (pthread_create (&t, NULL, term_thread, &ta) == 0);
    /*  queued messages may still come out until term has begun; from
        then on the socket says ETERM  */
    char buf[4];
    int got = 0;
    for (;;) {
        int rc = zmq_recv (pull, buf, sizeof buf, ZMQ_DONTWAIT);
        if (rc == -1 && zmq_errno () == ETERM)
            break;
        if (rc == -1) {
            TEST_ASSERT_EQ_INT (zmq_errno (), EAGAIN);
            usleep (1000);
            continue;
        }
        TEST_ASSERT_EQ_INT (rc, 3);
        got++;
    }
    TEST_ASSERT (got <= 100);
    TEST_ASSERT_SUCCESS (zmq_close (pull));
    pthread_join (t, NULL);
    TEST_ASSERT_EQ_INT (ta.rc, 0);
}

/* ------------------------------------------------------------------ */

static int freed_count;
static pthread_mutex_t freed_lock = PTHREAD_MUTEX_INITIALIZER;

static void count_free (void *data, void *hint)
{
    (void) hint;
    free (data);
    pthread_mutex_lock (&freed_lock);
    freed_count++;
    pthread_mutex_unlock (&freed_lock);
}

/*  mode 0: tcp, dead peer, linger 0; 1: tcp, dead peer, linger 50;
    2: inproc peer that never reads; 3: tcp live peer that never reads;
    4: inproc endpoint nobody binds.  */
static void zero_copy_case (int mode, size_t size)
{
    freed_count = 0;
    void *ctx = zmq_ctx_new ();
    void *c2 = zmq_ctx_new ();
    void *pull = NULL;
    char ep[256];
    if (mode == 2) {
        pull = zmq_socket (ctx, ZMQ_PULL);
        TEST_ASSERT_SUCCESS (zmq_bind (pull, "inproc://stress-zc"));
        strcpy (ep, "inproc://stress-zc");
    } else if (mode == 4) {
        strcpy (ep, "inproc://stress-zc-nobody");
    } else if (mode == 3) {
        pull = zmq_socket (c2, ZMQ_PULL);
        tu_bind_loopback (pull, ep, sizeof ep);
    } else {
        dead_endpoint (ep, sizeof ep);
    }
    void *push = zmq_socket (ctx, ZMQ_PUSH);
    tu_set_int (push, ZMQ_LINGER, mode == 1 ? 50 : 0);
    TEST_ASSERT_SUCCESS (zmq_connect (push, ep));
    int handed = 0;
    for (int i = 0; i < 2000; i++) {
        void *data = malloc (size);
        TEST_ASSERT (data != NULL);
        memset (data, 'z', size);
        zmq_msg_t m;
        TEST_ASSERT_SUCCESS (
            zmq_msg_init_data (&m, data, size, count_free, NULL));
        handed++;
        if (zmq_msg_send (&m, push, ZMQ_DONTWAIT) == -1) {
            TEST_ASSERT_EQ_INT (zmq_errno (), EAGAIN);
            TEST_ASSERT_SUCCESS (zmq_msg_close (&m));
            break;
        }
    }
    TEST_ASSERT_SUCCESS (zmq_close (push));
    if (mode == 2) {
        tu_set_int (pull, ZMQ_LINGER, 0);
        TEST_ASSERT_SUCCESS (zmq_close (pull));
        pull = NULL;
    }
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
    if (pull) {
        tu_set_int (pull, ZMQ_LINGER, 0);
        TEST_ASSERT_SUCCESS (zmq_close (pull));
    }
    TEST_ASSERT_SUCCESS (zmq_ctx_term (c2));
    pthread_mutex_lock (&freed_lock);
    int freed = freed_count;
    pthread_mutex_unlock (&freed_lock);
    TEST_ASSERT_MSG (freed == handed, "mode %d size %zu: %d messages, %d freed",
                     mode, size, handed, freed);
}

static void test_zero_copy_freed_once (void)
{
    for (int mode = 0; mode < 5; mode++) {
        zero_copy_case (mode, 100);
        zero_copy_case (mode, 5000);
    }
}

/* ------------------------------------------------------------------ */

typedef struct {
    void *ctx;
    volatile int ready;
    int events; /* not asserted: events sent before the reader's pipe is
                   attached may be dropped */
    int err;
} monitor_reader_t;

static void *monitor_reader (void *p)
{
    monitor_reader_t *m = (monitor_reader_t *) p;
    void *s = zmq_socket (m->ctx, ZMQ_PAIR);
    TEST_ASSERT_SUCCESS (zmq_connect (s, "inproc://stress-monitor"));
    m->ready = 1;
    for (;;) {
        zmq_msg_t x;
        zmq_msg_init (&x);
        int rc = zmq_msg_recv (&x, s, 0);
        int e = zmq_errno ();
        zmq_msg_close (&x);
        if (rc == -1) {
            m->err = e;
            break;
        }
        m->events++;
    }
    TEST_ASSERT_SUCCESS (zmq_close (s));
    return NULL;
}

static void test_monitor_reader_eterm (void)
{
    monitor_reader_t m = {zmq_ctx_new (), 0, 0, 0};
    void *srv = zmq_socket (m.ctx, ZMQ_REP);
    TEST_ASSERT_SUCCESS (
        zmq_socket_monitor (srv, "inproc://stress-monitor", ZMQ_EVENT_ALL));
    pthread_t t;
    TEST_ASSERT (pthread_create (&t, NULL, monitor_reader, &m) == 0);
    while (!m.ready)
        usleep (100);
    char ep[256];
    tu_bind_loopback (srv, ep, sizeof ep);
    void *cli = zmq_socket (m.ctx, ZMQ_REQ);
    TEST_ASSERT_SUCCESS (zmq_connect (cli, ep));
    tu_send_str (cli, "a", 0);
    tu_recv_str (srv, "a");
    TEST_ASSERT_SUCCESS (zmq_close (cli));
    TEST_ASSERT_SUCCESS (zmq_close (srv));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (m.ctx));
    pthread_join (t, NULL);
    TEST_ASSERT_EQ_INT (m.err, ETERM);
}

/*  The peer accepts the tcp connection but never sends a greeting.  */
static void test_term_during_handshake (void)
{
    const int lingers[] = {-1, 0, 50};
    for (int i = 0; i < 3; i++) {
        int port;
        int fd = tu_loopback_fd (SOCK_STREAM, &port);
        TEST_ASSERT (listen (fd, 4) == 0);
        void *ctx = zmq_ctx_new ();
        void *s = zmq_socket (ctx, ZMQ_DEALER);
        tu_set_int (s, ZMQ_LINGER, lingers[i]);
        char ep[64];
        snprintf (ep, sizeof ep, "tcp://127.0.0.1:%d", port);
        TEST_ASSERT_SUCCESS (zmq_connect (s, ep));
        int c = accept (fd, NULL, NULL);
        TEST_ASSERT (c >= 0);
        if (lingers[i] >= 0)
            tu_send_str (s, "queued", 0);
        TEST_ASSERT_SUCCESS (zmq_close (s));
        TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
        close (c);
        close (fd);
    }
}

static void *shutdown_thread (void *ctx)
{
    TEST_ASSERT_SUCCESS (zmq_ctx_shutdown (ctx));
    return NULL;
}

static void test_concurrent_shutdown (void)
{
    void *ctx = zmq_ctx_new ();
    void *s = zmq_socket (ctx, ZMQ_REP);
    TEST_ASSERT_SUCCESS (zmq_bind (s, "tcp://127.0.0.1:*"));
    pthread_t t[4];
    for (int i = 0; i < 4; i++)
        TEST_ASSERT (pthread_create (&t[i], NULL, shutdown_thread, ctx) == 0);
    for (int i = 0; i < 4; i++)
        pthread_join (t[i], NULL);
    char buf[4];
    TEST_ASSERT_FAILURE (zmq_recv (s, buf, sizeof buf, 0), ETERM);
    TEST_ASSERT_SUCCESS (zmq_close (s));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

typedef struct {
    void *a;
    void *b;
    int rc;
    int err;
} poll_two_t;

static void *poll_two_thread (void *p)
{
    poll_two_t *pt = (poll_two_t *) p;
    zmq_pollitem_t items[2] = {{pt->a, 0, ZMQ_POLLIN, 0},
                               {pt->b, 0, ZMQ_POLLIN, 0}};
    pt->rc = zmq_poll (items, 2, 5000);
    pt->err = zmq_errno ();
    return NULL;
}

static void test_poll_two_contexts (void)
{
    void *c1 = zmq_ctx_new ();
    void *c2 = zmq_ctx_new ();
    poll_two_t pt = {zmq_socket (c1, ZMQ_PULL), zmq_socket (c2, ZMQ_PULL), 0,
                     0};
    pthread_t t;
    TEST_ASSERT (pthread_create (&t, NULL, poll_two_thread, &pt) == 0);
    jitter_us (20000);
    double t0 = now_ms ();
    TEST_ASSERT_SUCCESS (zmq_ctx_shutdown (c2));
    pthread_join (t, NULL);
    TEST_ASSERT (now_ms () - t0 < 2500);
    TEST_ASSERT_EQ_INT (pt.rc, -1);
    TEST_ASSERT_EQ_INT (pt.err, ETERM);
    TEST_ASSERT_SUCCESS (zmq_close (pt.a));
    TEST_ASSERT_SUCCESS (zmq_close (pt.b));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (c1));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (c2));
}

/*  The child closes the parent's connected sockets and terms the parent's
    context (EINTR: its I/O thread did not survive the fork); the parent's
    connection is unharmed.  */
static void test_fork_with_live_connection (void)
{
    void *ctx = zmq_ctx_new ();
    char ep[256];
    void *pull = zmq_socket (ctx, ZMQ_PULL);
    tu_bind_loopback (pull, ep, sizeof ep);
    void *push = zmq_socket (ctx, ZMQ_PUSH);
    TEST_ASSERT_SUCCESS (zmq_connect (push, ep));
    tu_send_str (push, "a", 0);
    tu_recv_str (pull, "a");
    pid_t pid = fork ();
    TEST_ASSERT (pid >= 0);
    if (pid == 0) {
        alarm (10);
        int bad = zmq_close (push) != 0;
        bad |= zmq_close (pull) != 0;
        bad |= zmq_ctx_term (ctx) != -1 || zmq_errno () != EINTR;
        _exit (bad ? 2 : 0);
    }
    int status = -1;
    TEST_ASSERT_EQ_INT (waitpid (pid, &status, 0), pid);
    TEST_ASSERT (WIFEXITED (status));
    TEST_ASSERT_EQ_INT (WEXITSTATUS (status), 0);
    tu_set_int (pull, ZMQ_RCVTIMEO, 5000);
    tu_send_str (push, "b", 0);
    tu_recv_str (pull, "b");
    TEST_ASSERT_SUCCESS (zmq_close (push));
    TEST_ASSERT_SUCCESS (zmq_close (pull));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

/* ------------------------------------------------------------------ */

/*  A signal whose handler is installed without SA_RESTART interrupts a
    blocking call: -1 with EINTR (zmq_recv(3), zmq_send(3), zmq_poll(3));
    the socket is unharmed and receives afterwards.  */
enum { I_RECV, I_RECV_TIMEO, I_MSG_RECV, I_POLL, I_SEND, I_COUNT };

typedef struct {
    void *s;
    int call;
    volatile int ready;
    volatile int done;
    int rc;
    int err;
} interrupted_t;

static void on_usr1 (int sig)
{
    (void) sig;
}

static void *interrupted_thread (void *p)
{
    interrupted_t *a = (interrupted_t *) p;
    char buf[16];
    a->ready = 1;
    switch (a->call) {
    case I_RECV:
        a->rc = zmq_recv (a->s, buf, sizeof buf, 0);
        break;
    case I_RECV_TIMEO:
        tu_set_int (a->s, ZMQ_RCVTIMEO, 5000);
        a->rc = zmq_recv (a->s, buf, sizeof buf, 0);
        break;
    case I_MSG_RECV: {
        zmq_msg_t m;
        zmq_msg_init (&m);
        a->rc = zmq_msg_recv (&m, a->s, 0);
        a->err = zmq_errno ();
        zmq_msg_close (&m);
        errno = a->err;
        break;
    }
    case I_POLL: {
        zmq_pollitem_t item = {a->s, 0, ZMQ_POLLIN, 0};
        a->rc = zmq_poll (&item, 1, 5000);
        break;
    }
    default:
        a->rc = zmq_send (a->s, "x", 1, 0);
        break;
    }
    a->err = zmq_errno ();
    a->done = 1;
    return NULL;
}

static void test_signal_interrupts_blocking_calls (void)
{
    struct sigaction sa, old;
    memset (&sa, 0, sizeof sa);
    sa.sa_handler = on_usr1;
    sigemptyset (&sa.sa_mask);
    TEST_ASSERT (sigaction (SIGUSR1, &sa, &old) == 0);
    void *ctx = zmq_ctx_new ();
    for (int call = 0; call < I_COUNT; call++) {
        void *s = zmq_socket (ctx, call == I_SEND ? ZMQ_PUSH : ZMQ_PULL);
        char ep[256];
        tu_bind_loopback (s, ep, sizeof ep);
        tu_set_int (s, ZMQ_LINGER, 0);
        interrupted_t a = {s, call, 0, 0, 0, 0};
        pthread_t t;
        TEST_ASSERT (pthread_create (&t, NULL, interrupted_thread, &a) == 0);
        while (!a.ready)
            usleep (100);
        /*  the thread is about to block, or blocked: a signal arriving
            just before the wait is noticed only by the next one, so keep
            signalling until the call has returned  */
        for (int i = 0; i < 500 && !a.done; i++) {
            usleep (10000);
            pthread_kill (t, SIGUSR1);
        }
        pthread_join (t, NULL);
        TEST_ASSERT_MSG (a.rc == -1 && a.err == EINTR,
                         "call %d: rc %d errno %d, expected EINTR", call, a.rc,
                         a.err);
        if (call != I_SEND) {
            /*  still usable: a peer's message arrives  */
            void *push = zmq_socket (ctx, ZMQ_PUSH);
            TEST_ASSERT_SUCCESS (zmq_connect (push, ep));
            tu_send_str (push, "after", 0);
            tu_set_int (s, ZMQ_RCVTIMEO, 5000);
            tu_recv_str (s, "after");
            TEST_ASSERT_SUCCESS (zmq_close (push));
        }
        TEST_ASSERT_SUCCESS (zmq_close (s));
    }
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
    TEST_ASSERT (sigaction (SIGUSR1, &old, NULL) == 0);
}

/* ------------------------------------------------------------------ */

#ifdef ZMQ_BUILD_DRAFT_API
typedef struct {
    void *client;
    char id;
} shared_client_t;

/*  Waits for 0 (answer with my id after a pause, so the next message goes
    to the other thread) or 1 (stop).  */
static void *shared_client_worker (void *p)
{
    shared_client_t *w = (shared_client_t *) p;
    for (;;) {
        char c;
        TEST_ASSERT_EQ_INT (zmq_recv (w->client, &c, 1, 0), 1);
        if (c)
            return NULL;
        usleep (10000);
        TEST_ASSERT_EQ_INT (zmq_send (w->client, &w->id, 1, 0), 1);
    }
}

static void server_send (void *server, uint32_t rid, char v)
{
    zmq_msg_t m;
    TEST_ASSERT_SUCCESS (zmq_msg_init_size (&m, 1));
    *(char *) zmq_msg_data (&m) = v;
    TEST_ASSERT_SUCCESS (zmq_msg_set_routing_id (&m, rid));
    TEST_ASSERT_EQ_INT (zmq_msg_send (&m, server, 0), 1);
}

static void test_client_shared_by_threads (void)
{
    void *ctx = zmq_ctx_new ();
    void *server = zmq_socket (ctx, ZMQ_SERVER);
    void *client = zmq_socket (ctx, ZMQ_CLIENT);
    char ep[256];
    tu_bind_loopback (server, ep, sizeof ep);
    TEST_ASSERT_SUCCESS (zmq_connect (client, ep));
    tu_send_str (client, "hello", 0);
    zmq_msg_t hello;
    zmq_msg_init (&hello);
    TEST_ASSERT_EQ_INT (zmq_msg_recv (&hello, server, 0), 5);
    uint32_t rid = zmq_msg_routing_id (&hello);
    zmq_msg_close (&hello);

    shared_client_t w1 = {client, 1}, w2 = {client, 2};
    pthread_t t1, t2;
    TEST_ASSERT (pthread_create (&t1, NULL, shared_client_worker, &w1) == 0);
    TEST_ASSERT (pthread_create (&t2, NULL, shared_client_worker, &w2) == 0);
    for (int i = 0; i < 10; i++) {
        server_send (server, rid, 0);
        server_send (server, rid, 0);
        char a, b;
        TEST_ASSERT_EQ_INT (zmq_recv (server, &a, 1, 0), 1);
        TEST_ASSERT_EQ_INT (zmq_recv (server, &b, 1, 0), 1);
        /*  both threads answered: each took one of the two requests  */
        TEST_ASSERT_MSG ((a == 1 && b == 2) || (a == 2 && b == 1),
                         "answers %d and %d", a, b);
    }
    server_send (server, rid, 1);
    server_send (server, rid, 1);
    pthread_join (t1, NULL);
    pthread_join (t2, NULL);
    TEST_ASSERT_SUCCESS (zmq_close (client));
    TEST_ASSERT_SUCCESS (zmq_close (server));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}
#endif

/*  A blocking PUSH (SNDHWM 17) feeding a PULL (RCVHWM 15) over tcp or ipc
    with multipart messages of 1-3 parts, 1-4000 bytes each: every message
    arrives (an I/O thread that stops reading while the kernel still holds
    bytes shows up as a receive timeout).  Sizes and contents follow from
    the round, message and part numbers, so the receiver checks them.  */
enum { flow_msgs = 3000, flow_rounds = 50 };

static uint32_t flow_hash (uint32_t round, uint32_t i, uint32_t part)
{
    uint32_t h = round * 2654435761u ^ i * 2246822519u ^ part * 3266489917u;
    h ^= h >> 15;
    h *= 2246822519u;
    h ^= h >> 13;
    return h;
}

static int flow_parts (uint32_t round, uint32_t i)
{
    return 1 + (int) (flow_hash (round, i, 99) % 3);
}

static size_t flow_size (uint32_t round, uint32_t i, uint32_t part)
{
    return 1 + flow_hash (round, i, part) % 4000;
}

typedef struct
{
    void *push;
    uint32_t round;
} flow_t;

static void *flow_producer (void *p)
{
    flow_t *f = (flow_t *) p;
    static char buf[4000];
    for (uint32_t i = 0; i < flow_msgs; i++) {
        int parts = flow_parts (f->round, i);
        for (int k = 0; k < parts; k++) {
            size_t n = flow_size (f->round, i, (uint32_t) k);
            memset (buf, (int) ((i + (uint32_t) k) & 0xff), n);
            int flags = k + 1 < parts ? ZMQ_SNDMORE : 0;
            TEST_ASSERT_EQ_INT (zmq_send (f->push, buf, n, flags), n);
        }
    }
    return NULL;
}

static void test_multipart_flow_small_hwm (int tcp)
{
    void *ctx = zmq_ctx_new ();
    TEST_ASSERT (ctx);
    for (uint32_t round = 0; round < flow_rounds; round++) {
        void *push = zmq_socket (ctx, ZMQ_PUSH);
        void *pull = zmq_socket (ctx, ZMQ_PULL);
        TEST_ASSERT (push && pull);
        tu_set_int (push, ZMQ_SNDHWM, 17);
        tu_set_int (pull, ZMQ_RCVHWM, 15);
        tu_set_int (pull, ZMQ_RCVTIMEO, 5000);
        tu_set_int (push, ZMQ_LINGER, 0);
        tu_set_int (pull, ZMQ_LINGER, 0);
        char ep[256];
        if (tcp)
            tu_bind_loopback (pull, ep, sizeof ep);
        else {
            snprintf (ep, sizeof ep, "ipc:///tmp/test_stress_flow-%d-%u",
                      (int) getpid (), (unsigned) round);
            TEST_ASSERT_SUCCESS (zmq_bind (pull, ep));
        }
        TEST_ASSERT_SUCCESS (zmq_connect (push, ep));
        flow_t f = {push, round};
        pthread_t t;
        TEST_ASSERT_EQ_INT (pthread_create (&t, NULL, flow_producer, &f), 0);
        zmq_msg_t m;
        zmq_msg_init (&m);
        for (uint32_t i = 0; i < flow_msgs; i++) {
            int parts = flow_parts (round, i);
            for (int k = 0; k < parts; k++) {
                size_t n = flow_size (round, i, (uint32_t) k);
                int rc = zmq_msg_recv (&m, pull, 0);
                TEST_ASSERT_MSG (rc == (int) n,
                                 "%s round %u message %u part %d: rc %d "
                                 "(errno %d), expected %d bytes",
                                 tcp ? "tcp" : "ipc", (unsigned) round,
                                 (unsigned) i, k, rc, zmq_errno (), (int) n);
                const unsigned char *d =
                  (const unsigned char *) zmq_msg_data (&m);
                TEST_ASSERT_EQ_INT (d[0], (i + (uint32_t) k) & 0xff);
                TEST_ASSERT_EQ_INT (d[n - 1], (i + (uint32_t) k) & 0xff);
                TEST_ASSERT_EQ_INT (zmq_msg_more (&m), k + 1 < parts);
            }
        }
        zmq_msg_close (&m);
        TEST_ASSERT_EQ_INT (pthread_join (t, NULL), 0);
        TEST_ASSERT_SUCCESS (zmq_close (push));
        TEST_ASSERT_SUCCESS (zmq_close (pull));
    }
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

int main (void)
{
    tu_begin ("test_stress_conformance");
    srand ((unsigned) getpid ());
    test_shutdown_stress ();
    test_blocked_calls_end_with_eterm ();
    test_socket_churn_during_shutdown ();
    test_workers_see_eterm ();
    test_term_endpoint ();
    test_reqrep_device ();
    test_proxy_terminate ();
    test_proxy_blocked_in_send ();
    test_many_sockets ();
    test_linger_dead_peer ();
    test_linger_full_pipe ();
    test_blocky_zero ();
    test_pending_inproc_connect ();
    test_inproc_unread_receiver ();
    test_zero_copy_freed_once ();
    test_monitor_reader_eterm ();
    test_term_during_handshake ();
    test_concurrent_shutdown ();
    test_poll_two_contexts ();
    test_fork_with_live_connection ();
    test_signal_interrupts_blocking_calls ();
    test_multipart_flow_small_hwm (1);
    test_multipart_flow_small_hwm (0);
#ifdef ZMQ_BUILD_DRAFT_API
    test_client_shared_by_threads ();
#endif
    return tu_end ();
}
