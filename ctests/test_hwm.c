/*  test_hwm.c: ZMQ_SNDHWM / ZMQ_RCVHWM (zmq_setsockopt(3)): a PUSH stops
    (EAGAIN with DONTWAIT, or after ZMQ_SNDTIMEO) when the pipe is full.
    Over inproc the pipe holds exactly sndhwm + rcvhwm messages; 0 means
    no limit; draining the reader lets the writer go on.  Over tcp the
    limit is reached too (with kernel buffers in between, the count is not
    exact).  Checked against Debian's libzmq 4.3.4.  */
#include "testutil.h"

static int fill (void *push)
{
    int n = 0;
    while (zmq_send (push, "m", 1, ZMQ_DONTWAIT) == 1) {
        n++;
        if (n > 10000000)
            break;
    }
    TEST_ASSERT_EQ_INT (zmq_errno (), EAGAIN);
    return n;
}

static int inproc_capacity (int sndhwm, int rcvhwm, int bind_first,
                            const char *name)
{
    void *ctx = zmq_ctx_new ();
    void *push = zmq_socket (ctx, ZMQ_PUSH);
    void *pull = zmq_socket (ctx, ZMQ_PULL);
    tu_set_int (push, ZMQ_SNDHWM, sndhwm);
    tu_set_int (pull, ZMQ_RCVHWM, rcvhwm);
    TEST_ASSERT_EQ_INT (tu_get_int (push, ZMQ_SNDHWM), sndhwm);
    TEST_ASSERT_EQ_INT (tu_get_int (pull, ZMQ_RCVHWM), rcvhwm);
    char ep[128];
    snprintf (ep, sizeof ep, "inproc://test_hwm-%s", name);
    if (bind_first) {
        TEST_ASSERT_SUCCESS (zmq_bind (pull, ep));
        TEST_ASSERT_SUCCESS (zmq_connect (push, ep));
    } else {
        TEST_ASSERT_SUCCESS (zmq_connect (push, ep));
        TEST_ASSERT_SUCCESS (zmq_bind (pull, ep));
    }
    int n = fill (push);
    /*  Drain everything, then the writer may send again.  */
    tu_set_int (pull, ZMQ_RCVTIMEO, 5000);
    char buf[4];
    for (int i = 0; i < n; i++)
        TEST_ASSERT_EQ_INT (zmq_recv (pull, buf, sizeof buf, 0), 1);
    tu_recv_eagain (pull, ZMQ_DONTWAIT);
    /*  The writer learns of the room by a command: a blocking send waits
        for it.  */
    tu_set_int (push, ZMQ_SNDTIMEO, 5000);
    TEST_ASSERT_EQ_INT (zmq_send (push, "m", 1, 0), 1);
    TEST_ASSERT_EQ_INT (zmq_recv (pull, buf, sizeof buf, 0), 1);
    TEST_ASSERT_SUCCESS (zmq_close (push));
    TEST_ASSERT_SUCCESS (zmq_close (pull));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
    return n;
}

static void test_inproc_counts (void)
{
    TEST_ASSERT_EQ_INT (inproc_capacity (1000, 1000, 1, "dflt"), 2000);
    TEST_ASSERT_EQ_INT (inproc_capacity (10, 5, 1, "10-5"), 15);
    TEST_ASSERT_EQ_INT (inproc_capacity (1, 1, 1, "1-1"), 2);
    TEST_ASSERT_EQ_INT (inproc_capacity (7, 3, 0, "late"), 10);
}

static void test_defaults (void)
{
    void *ctx = zmq_ctx_new ();
    void *s = zmq_socket (ctx, ZMQ_PUSH);
    TEST_ASSERT_EQ_INT (tu_get_int (s, ZMQ_SNDHWM), 1000);
    TEST_ASSERT_EQ_INT (tu_get_int (s, ZMQ_RCVHWM), 1000);
    int bad = -1;
    TEST_ASSERT_FAILURE (zmq_setsockopt (s, ZMQ_SNDHWM, &bad, sizeof bad),
                         EINVAL);
    TEST_ASSERT_SUCCESS (zmq_close (s));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

/*  hwm 0 on both ends: no limit.  */
static void test_unlimited (void)
{
    void *ctx = zmq_ctx_new ();
    void *push = zmq_socket (ctx, ZMQ_PUSH);
    void *pull = zmq_socket (ctx, ZMQ_PULL);
    tu_set_int (push, ZMQ_SNDHWM, 0);
    tu_set_int (pull, ZMQ_RCVHWM, 0);
    TEST_ASSERT_SUCCESS (zmq_bind (pull, "inproc://test_hwm-unlimited"));
    TEST_ASSERT_SUCCESS (zmq_connect (push, "inproc://test_hwm-unlimited"));
    for (int i = 0; i < 20000; i++)
        TEST_ASSERT_EQ_INT (zmq_send (push, "m", 1, ZMQ_DONTWAIT), 1);
    char buf[4];
    for (int i = 0; i < 20000; i++)
        TEST_ASSERT_EQ_INT (zmq_recv (pull, buf, sizeof buf, ZMQ_DONTWAIT), 1);
    TEST_ASSERT_SUCCESS (zmq_close (push));
    TEST_ASSERT_SUCCESS (zmq_close (pull));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

/*  A blocking send at the limit waits SNDTIMEO then EAGAIN; a multipart
    message is only refused on its first frame.  */
static void test_blocking_at_hwm (void)
{
    void *ctx = zmq_ctx_new ();
    void *push = zmq_socket (ctx, ZMQ_PUSH);
    void *pull = zmq_socket (ctx, ZMQ_PULL);
    tu_set_int (push, ZMQ_SNDHWM, 2);
    tu_set_int (pull, ZMQ_RCVHWM, 2);
    TEST_ASSERT_SUCCESS (zmq_bind (pull, "inproc://test_hwm-block"));
    TEST_ASSERT_SUCCESS (zmq_connect (push, "inproc://test_hwm-block"));
    tu_send_str (push, "1", 0);
    tu_send_str (push, "2", 0);
    tu_send_str (push, "3", 0);
    /*  A multipart message goes whole even past the limit.  */
    tu_send_str (push, "4a", ZMQ_SNDMORE);
    tu_send_str (push, "4b", ZMQ_SNDMORE);
    tu_send_str (push, "4c", 0);
    tu_set_int (push, ZMQ_SNDTIMEO, 100);
    TEST_ASSERT_FAILURE (zmq_send (push, "5", 1, 0), EAGAIN);
    tu_set_int (pull, ZMQ_RCVTIMEO, 5000);
    tu_recv_str (pull, "1");
    tu_recv_str (pull, "2");
    tu_recv_str (pull, "3");
    tu_recv_str (pull, "4a");
    tu_recv_str (pull, "4b");
    tu_recv_str (pull, "4c");
    tu_recv_eagain (pull, ZMQ_DONTWAIT);
    tu_set_int (push, ZMQ_SNDTIMEO, 5000);
    tu_send_str (push, "6", 0);
    tu_recv_str (pull, "6");
    TEST_ASSERT_SUCCESS (zmq_close (push));
    TEST_ASSERT_SUCCESS (zmq_close (pull));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

static void test_tcp (void)
{
    void *ctx = zmq_ctx_new ();
    void *push = zmq_socket (ctx, ZMQ_PUSH);
    void *pull = zmq_socket (ctx, ZMQ_PULL);
    tu_set_int (push, ZMQ_SNDHWM, 10);
    tu_set_int (pull, ZMQ_RCVHWM, 10);
    char ep[256];
    tu_bind_loopback (pull, ep, sizeof ep);
    TEST_ASSERT_SUCCESS (zmq_connect (push, ep));
    /*  Wait for the connection: one message through.  */
    tu_set_int (pull, ZMQ_RCVTIMEO, 5000);
    tu_send_str (push, "hello", 0);
    tu_recv_str (pull, "hello");
    /*  Fill: at least sndhwm messages get queued, then EAGAIN.  With
        blocking sends and a timeout, the writer stops for good once the
        kernel buffers and the reader's pipe are full.  */
    tu_set_int (push, ZMQ_SNDTIMEO, 200);
    int n = 0;
    char big[1024];
    memset (big, 'b', sizeof big);
    while (n < 1000000) {
        if (zmq_send (push, big, sizeof big, 0) == -1) {
            TEST_ASSERT_EQ_INT (zmq_errno (), EAGAIN);
            break;
        }
        n++;
    }
    TEST_ASSERT (n >= 20 && n < 1000000);
    /*  Everything sent arrives, in order, then the writer goes on.  */
    char buf[2048];
    for (int i = 0; i < n; i++)
        TEST_ASSERT_EQ_INT (zmq_recv (pull, buf, sizeof buf, 0), sizeof big);
    tu_set_int (pull, ZMQ_RCVTIMEO, 100);
    tu_recv_eagain (pull, 0);
    tu_set_int (pull, ZMQ_RCVTIMEO, 5000);
    tu_send_str (push, "after", 0);
    tu_recv_str (pull, "after");
    tu_set_int (push, ZMQ_LINGER, 0);
    TEST_ASSERT_SUCCESS (zmq_close (push));
    TEST_ASSERT_SUCCESS (zmq_close (pull));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

int main (void)
{
    tu_begin ("test_hwm");
    test_defaults ();
    test_inproc_counts ();
    test_unlimited ();
    test_blocking_at_hwm ();
    test_tcp ();
    return tu_end ();
}
