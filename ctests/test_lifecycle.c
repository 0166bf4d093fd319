/*  test_lifecycle.c: ZMQ_LINGER (messages queued before zmq_close(3) are
    still delivered over tcp), zmq_ctx_term(3) waking a thread blocked in
    zmq_recv with ETERM, zmq_ctx_shutdown(3), calls after termination,
    zmq_close of a closed socket (ENOTSOCK), and reconnection after the
    binder closes and re-binds the same endpoint.  Checked against Debian's
    libzmq 4.3.4.  */
#include "testutil.h"

#include <pthread.h>

/*  Messages queued on a PUSH whose peer is not up yet reach the peer
    after zmq_close, while zmq_ctx_term waits (linger).  */
static void test_linger_delivers (void)
{
    void *ctx_recv = zmq_ctx_new ();
    void *pull = zmq_socket (ctx_recv, ZMQ_PULL);
    char ep[256];
    tu_bind_loopback (pull, ep, sizeof ep);

    void *ctx = zmq_ctx_new ();
    void *push = zmq_socket (ctx, ZMQ_PUSH);
    tu_set_int (push, ZMQ_LINGER, 5000);
    TEST_ASSERT_SUCCESS (zmq_connect (push, ep));
    for (int i = 0; i < 100; i++) {
        char buf[16];
        snprintf (buf, sizeof buf, "l%d", i);
        tu_send_str (push, buf, 0);
    }
    TEST_ASSERT_SUCCESS (zmq_close (push));
    /*  Term blocks until the queue is flushed (or linger expires).  */
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));

    tu_set_int (pull, ZMQ_RCVTIMEO, 5000);
    for (int i = 0; i < 100; i++) {
        char buf[16];
        snprintf (buf, sizeof buf, "l%d", i);
        tu_recv_str (pull, buf);
    }
    TEST_ASSERT_SUCCESS (zmq_close (pull));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx_recv));
}

/*  Linger 0 with an unreachable peer: term returns at once.  */
static void test_linger_zero (void)
{
    void *ctx = zmq_ctx_new ();
    void *push = zmq_socket (ctx, ZMQ_PUSH);
    TEST_ASSERT_EQ_INT (tu_get_int (push, ZMQ_LINGER), -1);
    tu_set_int (push, ZMQ_LINGER, 0);
    TEST_ASSERT_EQ_INT (tu_get_int (push, ZMQ_LINGER), 0);
    /*  Nobody listens here (a port we bound and released).  */
    void *tmp = zmq_socket (ctx, ZMQ_PULL);
    char ep[256];
    tu_bind_loopback (tmp, ep, sizeof ep);
    TEST_ASSERT_SUCCESS (zmq_close (tmp));
    TEST_ASSERT_SUCCESS (zmq_connect (push, ep));
    tu_send_str (push, "lost", 0);
    TEST_ASSERT_SUCCESS (zmq_close (push));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

struct blocked_arg
{
    void *socket;
    int rc;
    int err;
};

static void *blocked_recv (void *p)
{
    struct blocked_arg *arg = (struct blocked_arg *) p;
    char buf[16];
    arg->rc = zmq_recv (arg->socket, buf, sizeof buf, 0);
    arg->err = zmq_errno ();
    /*  The socket is still ours to close.  */
    zmq_close (arg->socket);
    return NULL;
}

static void test_term_wakes_recv (void)
{
    void *ctx = zmq_ctx_new ();
    void *s = zmq_socket (ctx, ZMQ_PULL);
    TEST_ASSERT_SUCCESS (zmq_bind (s, "inproc://test_lifecycle-term"));
    struct blocked_arg arg = {s, 0, 0};
    pthread_t t;
    TEST_ASSERT (pthread_create (&t, NULL, blocked_recv, &arg) == 0);
    /*  zmq_ctx_term returns only after the thread has closed its socket;
        if ETERM never comes, the runner's timeout fails the test.  */
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
    TEST_ASSERT (pthread_join (t, NULL) == 0);
    TEST_ASSERT_EQ_INT (arg.rc, -1);
    TEST_ASSERT_EQ_INT (arg.err, ETERM);
}

static void *blocked_poll (void *p)
{
    struct blocked_arg *arg = (struct blocked_arg *) p;
    zmq_pollitem_t it = {arg->socket, 0, ZMQ_POLLIN, 0};
    arg->rc = zmq_poll (&it, 1, -1);
    arg->err = zmq_errno ();
    zmq_close (arg->socket);
    return NULL;
}

static void test_shutdown (void)
{
    void *ctx = zmq_ctx_new ();
    void *s = zmq_socket (ctx, ZMQ_PULL);
    TEST_ASSERT_SUCCESS (zmq_bind (s, "inproc://test_lifecycle-shut"));
    struct blocked_arg arg = {s, 0, 0};
    pthread_t t;
    TEST_ASSERT (pthread_create (&t, NULL, blocked_poll, &arg) == 0);
    /*  Shutdown does not wait; it makes blocking calls fail with ETERM.  */
    TEST_ASSERT_SUCCESS (zmq_ctx_shutdown (ctx));
    TEST_ASSERT (pthread_join (t, NULL) == 0);
    TEST_ASSERT_EQ_INT (arg.rc, -1);
    TEST_ASSERT_EQ_INT (arg.err, ETERM);
    /*  New sockets are refused after shutdown.  */
    TEST_ASSERT_NULL_ERRNO (zmq_socket (ctx, ZMQ_PAIR), ETERM);
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

static void test_shutdown_then_calls (void)
{
    void *ctx = zmq_ctx_new ();
    void *s = zmq_socket (ctx, ZMQ_PAIR);
    TEST_ASSERT_SUCCESS (zmq_bind (s, "inproc://test_lifecycle-calls"));
    TEST_ASSERT_SUCCESS (zmq_ctx_shutdown (ctx));
    char buf[8];
    TEST_ASSERT_FAILURE (zmq_send (s, "x", 1, 0), ETERM);
    TEST_ASSERT_FAILURE (zmq_recv (s, buf, sizeof buf, 0), ETERM);
    TEST_ASSERT_FAILURE (zmq_connect (s, "inproc://test_lifecycle-x"), ETERM);
    TEST_ASSERT_FAILURE (zmq_bind (s, "inproc://test_lifecycle-y"), ETERM);
    /*  Shutdown twice is fine.  */
    TEST_ASSERT_SUCCESS (zmq_ctx_shutdown (ctx));
    TEST_ASSERT_SUCCESS (zmq_close (s));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

static void test_close_twice (void)
{
    void *ctx = zmq_ctx_new ();
    void *s = zmq_socket (ctx, ZMQ_PAIR);
    TEST_ASSERT_SUCCESS (zmq_close (s));
    TEST_ASSERT_FAILURE (zmq_close (s), ENOTSOCK);
    TEST_ASSERT_FAILURE (zmq_close (NULL), ENOTSOCK);
    TEST_ASSERT_FAILURE (zmq_close (ctx), ENOTSOCK);
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
    TEST_ASSERT_FAILURE (zmq_ctx_term (NULL), EFAULT);
}

/*  The binder goes away and comes back on the same endpoint: the
    connecter reconnects on its own and messages flow again.  */
static void test_reconnect (void)
{
    void *ctx = zmq_ctx_new ();
    void *push = zmq_socket (ctx, ZMQ_PUSH);
    void *pull = zmq_socket (ctx, ZMQ_PULL);
    char ep[256];
    tu_bind_loopback (pull, ep, sizeof ep);
    tu_set_int (push, ZMQ_RECONNECT_IVL, 50);
    TEST_ASSERT_SUCCESS (zmq_connect (push, ep));
    tu_set_int (pull, ZMQ_RCVTIMEO, 5000);
    tu_send_str (push, "before", 0);
    tu_recv_str (pull, "before");

    tu_set_int (pull, ZMQ_LINGER, 0);
    TEST_ASSERT_SUCCESS (zmq_close (pull));
    /*  Re-bind the same port (retry while the old listener is closing).  */
    pull = zmq_socket (ctx, ZMQ_PULL);
    int rc = -1;
    for (int i = 0; i < 200 && rc == -1; i++) {
        rc = zmq_bind (pull, ep);
        if (rc == -1) {
            TEST_ASSERT_EQ_INT (zmq_errno (), EADDRINUSE);
            zmq_poll (NULL, 0, 10);
        }
    }
    TEST_ASSERT_SUCCESS (rc);
    /*  Messages sent while the link was down may be lost with the old
        connection; keep sending until one arrives on the new one.  */
    tu_set_int (push, ZMQ_SNDTIMEO, 100);
    int got = 0;
    for (int i = 0; i < 100 && !got; i++) {
        zmq_send (push, "after", 5, 0);
        zmq_pollitem_t it = {pull, 0, ZMQ_POLLIN, 0};
        if (zmq_poll (&it, 1, 100) == 1)
            got = 1;
    }
    TEST_ASSERT (got);
    tu_recv_str (pull, "after");
    tu_set_int (push, ZMQ_LINGER, 0);
    TEST_ASSERT_SUCCESS (zmq_close (push));
    TEST_ASSERT_SUCCESS (zmq_close (pull));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

int main (void)
{
    tu_begin ("test_lifecycle");
    test_linger_delivers ();
    test_linger_zero ();
    test_term_wakes_recv ();
    test_shutdown ();
    test_shutdown_then_calls ();
    test_close_twice ();
    test_reconnect ();
    return tu_end ();
}
