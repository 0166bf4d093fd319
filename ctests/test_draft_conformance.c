/*  test_draft_conformance.c: behaviours that libzmq 4.3.5's own tests of
    the proxy, the draft thread-safe sockets and polling check, and that
    no other ctest guards (audit of test_proxy*.cpp, test_radio_dish.cpp,
    test_peer.cpp, test_timers.cpp, test_zmq_poll_fd.cpp,
    test_zmq_ppoll_signals.cpp, test_busy_poll.cpp).

    Stable part (passes on Debian's libzmq 4.3.4 too):
      - timer ids are never 0 (libzmq counts from 1) and differ;
      - zmq_proxy_steerable with a SUB control socket ends with 0 on
        TERMINATE (test_proxy_terminate);
      - frontend == backend (one ROUTER): a message comes back to its
        sender, TERMINATE ends the proxy with 0 (test_proxy_single_socket);
      - a REP control socket gets an empty reply to PAUSE, RESUME and
        TERMINATE (zmq_proxy_steerable(3) of 4.3.5; 4.3.4 sent none, so
        checked only when zmq_version says 4.3.5 or later);
      - zmq_poll on a raw fd: POLLIN on a pipe's read end with data,
        POLLOUT|POLLERR on a write end whose reader is closed.
    Draft part (ZMQ_BUILD_DRAFT_API):
      - ZMQ_BUSY_POLL is accepted on a tcp socket (test_busy_poll);
      - zmq_msg_group of a new message is "", a group of
        ZMQ_GROUP_MAX_LENGTH is accepted, one longer is EINVAL;
      - zmq_connect_peer: ENOTSUP on a non-PEER socket, EINVAL for a bad
        endpoint, 0 returned on failure;
      - zmq_ppoll: a signal pending but blocked, unblocked by the mask,
        runs its handler inside the wait and ends it at once with EINTR;
        the caller's mask is in force again afterwards; a NULL mask is
        zmq_poll (test_zmq_ppoll_signals).  Before, zmq_ppoll set the mask
        and then polled, so the handler ran outside the wait and the
        call slept its whole timeout and returned 0.  */
#include "testutil.h"

#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <time.h>
#include <unistd.h>

static void *new_socket (void *ctx, int type)
{
    void *s = zmq_socket (ctx, type);
    TEST_ASSERT (s != NULL);
    return s;
}

static void close_socket (void *s)
{
    tu_set_int (s, ZMQ_LINGER, 0);
    TEST_ASSERT_SUCCESS (zmq_close (s));
}

static void on_timer (int id, void *arg)
{
    (void) id;
    (void) arg;
}

static void test_timer_ids (void)
{
    void *timers = zmq_timers_new ();
    TEST_ASSERT (timers != NULL);
    int a = zmq_timers_add (timers, 100, on_timer, NULL);
    int b = zmq_timers_add (timers, 100, on_timer, NULL);
    TEST_ASSERT (a > 0);
    TEST_ASSERT (b > 0);
    TEST_ASSERT (a != b);
    TEST_ASSERT_SUCCESS (zmq_timers_destroy (&timers));
}

typedef struct
{
    void *frontend, *backend, *control;
    volatile int done;
    int rc;
} proxy_args_t;

static void *run_proxy (void *arg)
{
    proxy_args_t *a = (proxy_args_t *) arg;
    a->rc = zmq_proxy_steerable (a->frontend, a->backend, NULL, a->control);
    a->done = 1;
    return NULL;
}

static void test_terminate_by_sub (void)
{
    void *ctx = zmq_ctx_new ();
    TEST_ASSERT (ctx != NULL);
    proxy_args_t a;
    memset (&a, 0, sizeof a);
    a.frontend = new_socket (ctx, ZMQ_PULL);
    a.backend = new_socket (ctx, ZMQ_PUSH);
    a.control = new_socket (ctx, ZMQ_SUB);
    TEST_ASSERT_SUCCESS (zmq_setsockopt (a.control, ZMQ_SUBSCRIBE, "", 0));
    TEST_ASSERT_SUCCESS (zmq_bind (a.frontend, "inproc://term-front"));
    TEST_ASSERT_SUCCESS (zmq_bind (a.backend, "inproc://term-back"));
    void *pub = new_socket (ctx, ZMQ_PUB);
    TEST_ASSERT_SUCCESS (zmq_bind (pub, "inproc://term-control"));
    TEST_ASSERT_SUCCESS (zmq_connect (a.control, "inproc://term-control"));
    void *src = new_socket (ctx, ZMQ_PUSH);
    void *dst = new_socket (ctx, ZMQ_PULL);
    TEST_ASSERT_SUCCESS (zmq_connect (src, "inproc://term-front"));
    TEST_ASSERT_SUCCESS (zmq_connect (dst, "inproc://term-back"));
    pthread_t t;
    TEST_ASSERT_EQ_INT (pthread_create (&t, NULL, run_proxy, &a), 0);

    tu_send_str (src, "through", 0);
    tu_recv_str (dst, "through");
    /*  A PUB drops what no subscription covers yet: repeat TERMINATE
        (20 ms apart, by a receive timeout) until the proxy has ended.  */
    tu_set_int (dst, ZMQ_RCVTIMEO, 20);
    for (int i = 0; i < 250 && !a.done; i++) {
        tu_send_str (pub, "TERMINATE", 0);
        char buf[8];
        zmq_recv (dst, buf, sizeof buf, 0);
    }
    TEST_ASSERT_EQ_INT (pthread_join (t, NULL), 0);
    TEST_ASSERT_EQ_INT (a.rc, 0);

    void *all[] = {a.frontend, a.backend, a.control, pub, src, dst};
    for (int i = 0; i < 6; i++)
        close_socket (all[i]);
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

static void test_single_socket (void)
{
    void *ctx = zmq_ctx_new ();
    TEST_ASSERT (ctx != NULL);
    proxy_args_t a;
    memset (&a, 0, sizeof a);
    a.frontend = new_socket (ctx, ZMQ_ROUTER);
    a.backend = a.frontend;
    a.control = new_socket (ctx, ZMQ_PAIR);
    TEST_ASSERT_SUCCESS (zmq_bind (a.frontend, "inproc://single"));
    TEST_ASSERT_SUCCESS (zmq_bind (a.control, "inproc://single-control"));
    void *ctl = new_socket (ctx, ZMQ_PAIR);
    TEST_ASSERT_SUCCESS (zmq_connect (ctl, "inproc://single-control"));
    void *dealer = new_socket (ctx, ZMQ_DEALER);
    TEST_ASSERT_SUCCESS (zmq_connect (dealer, "inproc://single"));
    tu_set_int (dealer, ZMQ_RCVTIMEO, 5000);
    pthread_t t;
    TEST_ASSERT_EQ_INT (pthread_create (&t, NULL, run_proxy, &a), 0);

    for (int i = 0; i < 3; i++) {
        tu_send_str (dealer, "part", ZMQ_SNDMORE);
        tu_send_str (dealer, "end", 0);
        tu_recv_str (dealer, "part");
        TEST_ASSERT_EQ_INT (tu_get_int (dealer, ZMQ_RCVMORE), 1);
        tu_recv_str (dealer, "end");
        TEST_ASSERT_EQ_INT (tu_get_int (dealer, ZMQ_RCVMORE), 0);
    }
    tu_send_str (ctl, "TERMINATE", 0);
    TEST_ASSERT_EQ_INT (pthread_join (t, NULL), 0);
    TEST_ASSERT_EQ_INT (a.rc, 0);

    close_socket (a.frontend);
    close_socket (a.control);
    close_socket (ctl);
    close_socket (dealer);
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

static void test_rep_control_replies (void)
{
    int major, minor, patch;
    zmq_version (&major, &minor, &patch);
    if (major * 10000 + minor * 100 + patch < 40305) {
        printf ("# REP control replies: libzmq %d.%d.%d predates them\n",
                major, minor, patch);
        return;
    }
    void *ctx = zmq_ctx_new ();
    TEST_ASSERT (ctx != NULL);
    proxy_args_t a;
    memset (&a, 0, sizeof a);
    a.frontend = new_socket (ctx, ZMQ_PULL);
    a.backend = new_socket (ctx, ZMQ_PUSH);
    a.control = new_socket (ctx, ZMQ_REP);
    TEST_ASSERT_SUCCESS (zmq_bind (a.frontend, "inproc://rep-front"));
    TEST_ASSERT_SUCCESS (zmq_bind (a.backend, "inproc://rep-back"));
    TEST_ASSERT_SUCCESS (zmq_bind (a.control, "inproc://rep-control"));
    void *req = new_socket (ctx, ZMQ_REQ);
    TEST_ASSERT_SUCCESS (zmq_connect (req, "inproc://rep-control"));
    tu_set_int (req, ZMQ_RCVTIMEO, 5000);
    pthread_t t;
    TEST_ASSERT_EQ_INT (pthread_create (&t, NULL, run_proxy, &a), 0);

    const char *commands[] = {"PAUSE", "RESUME", "TERMINATE"};
    for (int i = 0; i < 3; i++) {
        tu_send_str (req, commands[i], 0);
        tu_recv_str (req, "");
        TEST_ASSERT_EQ_INT (tu_get_int (req, ZMQ_RCVMORE), 0);
    }
    TEST_ASSERT_EQ_INT (pthread_join (t, NULL), 0);
    TEST_ASSERT_EQ_INT (a.rc, 0);

    void *all[] = {a.frontend, a.backend, a.control, req};
    for (int i = 0; i < 4; i++)
        close_socket (all[i]);
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

static void test_poll_raw_fd (void)
{
    int fds[2];
    TEST_ASSERT_EQ_INT (pipe (fds), 0);
    TEST_ASSERT_EQ_INT (write (fds[1], "x", 1), 1);
    zmq_pollitem_t in = {NULL, fds[0], ZMQ_POLLIN | ZMQ_POLLOUT, 0};
    TEST_ASSERT_EQ_INT (zmq_poll (&in, 1, 0), 1);
    TEST_ASSERT_EQ_INT (in.revents, ZMQ_POLLIN);
    TEST_ASSERT_EQ_INT (close (fds[0]), 0);
    zmq_pollitem_t out = {NULL, fds[1], ZMQ_POLLIN | ZMQ_POLLOUT, 0};
    TEST_ASSERT_EQ_INT (zmq_poll (&out, 1, 0), 1);
    TEST_ASSERT_EQ_INT (out.revents, ZMQ_POLLOUT | ZMQ_POLLERR);
    TEST_ASSERT_EQ_INT (close (fds[1]), 0);
}

#ifdef ZMQ_BUILD_DRAFT_API
static void test_busy_poll (void *ctx)
{
    void *s = new_socket (ctx, ZMQ_DEALER);
    tu_set_int (s, ZMQ_BUSY_POLL, 1);
    char ep[64];
    tu_bind_loopback (s, ep, sizeof ep);
    close_socket (s);
}

static void test_group_limits (void)
{
    zmq_msg_t m;
    TEST_ASSERT_SUCCESS (zmq_msg_init (&m));
    TEST_ASSERT_EQ_STR (zmq_msg_group (&m), "");
    char group[ZMQ_GROUP_MAX_LENGTH + 2];
    memset (group, 'g', ZMQ_GROUP_MAX_LENGTH);
    group[ZMQ_GROUP_MAX_LENGTH] = '\0';
    TEST_ASSERT_SUCCESS (zmq_msg_set_group (&m, group));
    TEST_ASSERT_EQ_STR (zmq_msg_group (&m), group);
    group[ZMQ_GROUP_MAX_LENGTH] = 'g';
    group[ZMQ_GROUP_MAX_LENGTH + 1] = '\0';
    TEST_ASSERT_FAILURE (zmq_msg_set_group (&m, group), EINVAL);
    TEST_ASSERT_SUCCESS (zmq_msg_close (&m));
}

static void test_connect_peer_errors (void *ctx)
{
    void *server = new_socket (ctx, ZMQ_SERVER);
    errno = 0;
    TEST_ASSERT_EQ_INT (zmq_connect_peer (server, "inproc://nobody"), 0);
    TEST_ASSERT_EQ_INT (errno, ENOTSUP);
    void *peer = new_socket (ctx, ZMQ_PEER);
    errno = 0;
    TEST_ASSERT_EQ_INT (zmq_connect_peer (peer, "no-transport"), 0);
    TEST_ASSERT_EQ_INT (errno, EINVAL);
    close_socket (server);
    close_socket (peer);
}

static volatile sig_atomic_t handled;
static void on_signal (int sig)
{
    (void) sig;
    handled++;
}

static long ms_since (const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime (CLOCK_MONOTONIC, &t1);
    return (long) (t1.tv_sec - t0->tv_sec) * 1000
           + (t1.tv_nsec - t0->tv_nsec) / 1000000;
}

static void test_ppoll_signal (void *ctx)
{
    void *pull = new_socket (ctx, ZMQ_PULL);
    TEST_ASSERT_SUCCESS (zmq_bind (pull, "inproc://ppoll"));
    struct sigaction sa, old_sa;
    memset (&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    TEST_ASSERT_EQ_INT (sigaction (SIGUSR1, &sa, &old_sa), 0);
    sigset_t usr1, empty, old_mask;
    sigemptyset (&usr1);
    sigaddset (&usr1, SIGUSR1);
    sigemptyset (&empty);
    TEST_ASSERT_EQ_INT (pthread_sigmask (SIG_BLOCK, &usr1, &old_mask), 0);

    /*  Pending while blocked; the wait's mask lets it in: EINTR at once.  */
    handled = 0;
    TEST_ASSERT_EQ_INT (raise (SIGUSR1), 0);
    TEST_ASSERT_EQ_INT (handled, 0);
    zmq_pollitem_t item = {pull, 0, ZMQ_POLLIN, 0};
    struct timespec t0;
    clock_gettime (CLOCK_MONOTONIC, &t0);
    TEST_ASSERT_FAILURE (zmq_ppoll (&item, 1, 5000, &empty), EINTR);
    TEST_ASSERT_EQ_INT (handled, 1);
    TEST_ASSERT_MSG (ms_since (&t0) < 2500, "zmq_ppoll waited %ld ms",
                     ms_since (&t0));

    /*  The caller's mask is back: a new one stays pending, also through a
        zmq_ppoll whose mask blocks it and one without a mask.  */
    TEST_ASSERT_EQ_INT (raise (SIGUSR1), 0);
    TEST_ASSERT_EQ_INT (zmq_ppoll (&item, 1, 10, &usr1), 0);
    TEST_ASSERT_EQ_INT (zmq_ppoll (&item, 1, 10, NULL), 0);
    TEST_ASSERT_EQ_INT (handled, 1);
    TEST_ASSERT_FAILURE (zmq_ppoll (&item, 1, 5000, &empty), EINTR);
    TEST_ASSERT_EQ_INT (handled, 2);

    /*  Ready items are still reported through a mask.  */
    void *push = new_socket (ctx, ZMQ_PUSH);
    TEST_ASSERT_SUCCESS (zmq_connect (push, "inproc://ppoll"));
    tu_send_str (push, "ready", 0);
    TEST_ASSERT_EQ_INT (zmq_ppoll (&item, 1, 5000, &empty), 1);
    TEST_ASSERT_EQ_INT (item.revents, ZMQ_POLLIN);
    tu_recv_str (pull, "ready");

    TEST_ASSERT_EQ_INT (pthread_sigmask (SIG_SETMASK, &old_mask, NULL), 0);
    TEST_ASSERT_EQ_INT (sigaction (SIGUSR1, &old_sa, NULL), 0);
    close_socket (push);
    close_socket (pull);
}
#endif

int main (void)
{
    tu_begin ("test_draft_conformance");
    test_timer_ids ();
    test_terminate_by_sub ();
    test_single_socket ();
    test_rep_control_replies ();
    test_poll_raw_fd ();
#ifdef ZMQ_BUILD_DRAFT_API
    void *ctx = zmq_ctx_new ();
    TEST_ASSERT (ctx != NULL);
    test_busy_poll (ctx);
    test_group_limits ();
    test_connect_peer_errors (ctx);
    test_ppoll_signal (ctx);
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
#endif
    return tu_end ();
}
