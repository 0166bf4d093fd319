/*  test_conflate_immediate.c: ZMQ_CONFLATE (only the last message is
    kept) and ZMQ_IMMEDIATE (no queueing towards peers that are not
    connected: a send with no live peer is EAGAIN) from zmq_setsockopt(3).
    Checked against Debian's libzmq 4.3.4.  */
#include "testutil.h"

#include <unistd.h>

static void conflate_case (int tcp)
{
    void *ctx = zmq_ctx_new ();
    void *pull = zmq_socket (ctx, ZMQ_PULL);
    void *push = zmq_socket (ctx, ZMQ_PUSH);
    tu_set_int (pull, ZMQ_CONFLATE, 1);
    TEST_ASSERT_EQ_INT (tu_get_int (pull, ZMQ_CONFLATE), 1);
    char ep[256];
    if (tcp)
        tu_bind_loopback (pull, ep, sizeof ep);
    else {
        snprintf (ep, sizeof ep, "inproc://test_conflate");
        TEST_ASSERT_SUCCESS (zmq_bind (pull, ep));
    }
    TEST_ASSERT_SUCCESS (zmq_connect (push, ep));
    tu_set_int (pull, ZMQ_RCVTIMEO, 5000);
    /*  Make sure the link is up, then send a burst.  */
    tu_send_str (push, "first", 0);
    tu_recv_str (pull, "first");
    char buf[32];
    for (int i = 0; i < 20; i++) {
        snprintf (buf, sizeof buf, "msg-%d", i);
        tu_send_str (push, buf, 0);
    }
    /*  Wait until the last one is there: everything before is gone.  */
    int rc = -1;
    for (int i = 0; i < 100; i++) {
        zmq_pollitem_t it = {pull, 0, ZMQ_POLLIN, 0};
        TEST_ASSERT (zmq_poll (&it, 1, 100) >= 0);
        rc = zmq_recv (pull, buf, sizeof buf - 1, ZMQ_DONTWAIT);
        if (rc > 0) {
            buf[rc] = '\0';
            if (strcmp (buf, "msg-19") == 0)
                break;
        }
    }
    TEST_ASSERT (rc > 0);
    TEST_ASSERT_EQ_STR (buf, "msg-19");
    tu_recv_eagain (pull, ZMQ_DONTWAIT);
    tu_set_int (push, ZMQ_LINGER, 0);
    TEST_ASSERT_SUCCESS (zmq_close (push));
    TEST_ASSERT_SUCCESS (zmq_close (pull));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

/*  Over inproc the queue is conflated synchronously: after the burst only
    the last message is there.  */
static void test_conflate_inproc_exact (void)
{
    void *ctx = zmq_ctx_new ();
    void *pull = zmq_socket (ctx, ZMQ_PULL);
    void *push = zmq_socket (ctx, ZMQ_PUSH);
    tu_set_int (pull, ZMQ_CONFLATE, 1);
    /*  Over inproc, the connecting side's CONFLATE shapes the pipe.  */
    TEST_ASSERT_SUCCESS (zmq_bind (push, "inproc://test_conflate-exact"));
    TEST_ASSERT_SUCCESS (zmq_connect (pull, "inproc://test_conflate-exact"));
    for (int i = 0; i < 10; i++) {
        char buf[16];
        snprintf (buf, sizeof buf, "v%d", i);
        tu_send_str (push, buf, 0);
    }
    tu_set_int (pull, ZMQ_RCVTIMEO, 5000);
    tu_recv_str (pull, "v9");
    tu_recv_eagain (pull, ZMQ_DONTWAIT);
    /*  Conflate means no HWM: far more than the default 1000 fit.  */
    for (int i = 0; i < 5000; i++)
        TEST_ASSERT_EQ_INT (zmq_send (push, "z", 1, ZMQ_DONTWAIT), 1);
    tu_recv_str (pull, "z");
    tu_recv_eagain (pull, ZMQ_DONTWAIT);
    TEST_ASSERT_SUCCESS (zmq_close (push));
    TEST_ASSERT_SUCCESS (zmq_close (pull));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

static void test_immediate (void)
{
    void *ctx = zmq_ctx_new ();
    void *push = zmq_socket (ctx, ZMQ_PUSH);
    TEST_ASSERT_EQ_INT (tu_get_int (push, ZMQ_IMMEDIATE), 0);
    tu_set_int (push, ZMQ_IMMEDIATE, 1);
    TEST_ASSERT_EQ_INT (tu_get_int (push, ZMQ_IMMEDIATE), 1);
    /*  An endpoint nobody listens on.  */
    char dir[] = "/tmp/test_conflate_immediate-XXXXXX";
    TEST_ASSERT (mkdtemp (dir) != NULL);
    char ep[300];
    snprintf (ep, sizeof ep, "ipc://%s/nobody", dir);
    TEST_ASSERT_SUCCESS (zmq_connect (push, ep));
    /*  No connection completed: nothing to queue to.  */
    TEST_ASSERT_FAILURE (zmq_send (push, "x", 1, ZMQ_DONTWAIT), EAGAIN);
    tu_set_int (push, ZMQ_SNDTIMEO, 100);
    TEST_ASSERT_FAILURE (zmq_send (push, "x", 1, 0), EAGAIN);
    zmq_pollitem_t it = {push, 0, ZMQ_POLLOUT, 0};
    TEST_ASSERT_EQ_INT (zmq_poll (&it, 1, 0), 0);
    tu_set_int (push, ZMQ_LINGER, 0);
    TEST_ASSERT_SUCCESS (zmq_close (push));

    /*  Without IMMEDIATE the same send is queued.  */
    push = zmq_socket (ctx, ZMQ_PUSH);
    TEST_ASSERT_SUCCESS (zmq_connect (push, ep));
    TEST_ASSERT_EQ_INT (zmq_send (push, "x", 1, ZMQ_DONTWAIT), 1);
    tu_set_int (push, ZMQ_LINGER, 0);
    TEST_ASSERT_SUCCESS (zmq_close (push));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
    rmdir (dir);
}

/*  With IMMEDIATE, messages go only to the peer that is really there.  */
static void test_immediate_routes_to_live_peer (void)
{
    void *ctx = zmq_ctx_new ();
    void *push = zmq_socket (ctx, ZMQ_PUSH);
    void *pull = zmq_socket (ctx, ZMQ_PULL);
    tu_set_int (push, ZMQ_IMMEDIATE, 1);
    char dir[] = "/tmp/test_conflate_immediate-XXXXXX";
    TEST_ASSERT (mkdtemp (dir) != NULL);
    char dead[300], live[256];
    snprintf (dead, sizeof dead, "ipc://%s/nobody", dir);
    tu_bind_loopback (pull, live, sizeof live);
    TEST_ASSERT_SUCCESS (zmq_connect (push, dead));
    TEST_ASSERT_SUCCESS (zmq_connect (push, live));
    /*  Wait until the live connection is usable.  */
    zmq_pollitem_t it = {push, 0, ZMQ_POLLOUT, 0};
    TEST_ASSERT_EQ_INT (zmq_poll (&it, 1, 5000), 1);
    tu_set_int (pull, ZMQ_RCVTIMEO, 5000);
    for (int i = 0; i < 10; i++) {
        char buf[16];
        snprintf (buf, sizeof buf, "i%d", i);
        tu_send_str (push, buf, 0);
    }
    for (int i = 0; i < 10; i++) {
        char buf[16];
        snprintf (buf, sizeof buf, "i%d", i);
        tu_recv_str (pull, buf);
    }
    tu_set_int (push, ZMQ_LINGER, 0);
    TEST_ASSERT_SUCCESS (zmq_close (push));
    TEST_ASSERT_SUCCESS (zmq_close (pull));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
    rmdir (dir);
}

int main (void)
{
    tu_begin ("test_conflate_immediate");
    conflate_case (0);
    conflate_case (1);
    test_conflate_inproc_exact ();
    test_immediate ();
    test_immediate_routes_to_live_peer ();
    return tu_end ();
}
