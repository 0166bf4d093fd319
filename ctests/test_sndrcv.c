/*  test_sndrcv.c: zmq_send(3), zmq_recv(3) (truncation), zmq_send_const(3),
    zmq_msg_send(3), zmq_msg_recv(3), zmq_sendiov / zmq_recviov,
    ZMQ_DONTWAIT, ZMQ_SNDTIMEO / ZMQ_RCVTIMEO (EAGAIN after the timeout),
    ZMQ_RCVMORE, large messages and the ENOTSOCK/EFAULT misuse cases.
    Checked against Debian's libzmq 4.3.4.  */
#include "testutil.h"

#include <sys/uio.h>
#include <time.h>

static long long now_ms (void)
{
    struct timespec ts;
    clock_gettime (CLOCK_MONOTONIC, &ts);
    return (long long) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void pair_up (void *ctx, void **a, void **b, int tcp, const char *name)
{
    *a = zmq_socket (ctx, ZMQ_PAIR);
    *b = zmq_socket (ctx, ZMQ_PAIR);
    TEST_ASSERT (*a && *b);
    char ep[256];
    if (tcp)
        tu_bind_loopback (*a, ep, sizeof ep);
    else {
        snprintf (ep, sizeof ep, "inproc://test_sndrcv-%s", name);
        TEST_ASSERT_SUCCESS (zmq_bind (*a, ep));
    }
    TEST_ASSERT_SUCCESS (zmq_connect (*b, ep));
    tu_set_int (*a, ZMQ_RCVTIMEO, 5000);
    tu_set_int (*b, ZMQ_RCVTIMEO, 5000);
    tu_set_int (*a, ZMQ_LINGER, 0);
    tu_set_int (*b, ZMQ_LINGER, 0);
}

static void test_truncation (void)
{
    void *ctx = zmq_ctx_new ();
    void *a, *b;
    pair_up (ctx, &a, &b, 0, "trunc");
    TEST_ASSERT_EQ_INT (zmq_send (a, "0123456789", 10, 0), 10);
    char buf[8];
    memset (buf, 'x', sizeof buf);
    /*  Returns the full size; only 4 bytes are written.  */
    TEST_ASSERT_EQ_INT (zmq_recv (b, buf, 4, 0), 10);
    TEST_ASSERT (memcmp (buf, "0123xxxx", 8) == 0);
    /*  Zero-length buffer, zero-length frame.  */
    TEST_ASSERT_EQ_INT (zmq_send (a, "abc", 3, 0), 3);
    TEST_ASSERT_EQ_INT (zmq_recv (b, NULL, 0, 0), 3);
    TEST_ASSERT_EQ_INT (zmq_send (a, NULL, 0, 0), 0);
    TEST_ASSERT_EQ_INT (zmq_recv (b, buf, sizeof buf, 0), 0);
    TEST_ASSERT_SUCCESS (zmq_close (a));
    TEST_ASSERT_SUCCESS (zmq_close (b));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

static const char const_data[] = "constant-data";

static void test_send_const (int tcp)
{
    void *ctx = zmq_ctx_new ();
    void *a, *b;
    pair_up (ctx, &a, &b, tcp, "const");
    TEST_ASSERT_EQ_INT (zmq_send_const (a, const_data, 8, ZMQ_SNDMORE), 8);
    TEST_ASSERT_EQ_INT (zmq_send_const (a, const_data + 9, 4, 0), 4);
    tu_recv_str (b, "constant");
    TEST_ASSERT_EQ_INT (tu_get_int (b, ZMQ_RCVMORE), 1);
    tu_recv_str (b, "data");
    TEST_ASSERT_EQ_INT (tu_get_int (b, ZMQ_RCVMORE), 0);
    TEST_ASSERT_SUCCESS (zmq_close (a));
    TEST_ASSERT_SUCCESS (zmq_close (b));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

static void test_msg_send_recv (int tcp)
{
    void *ctx = zmq_ctx_new ();
    void *a, *b;
    pair_up (ctx, &a, &b, tcp, "msg");
    zmq_msg_t m;
    TEST_ASSERT_SUCCESS (zmq_msg_init_size (&m, 5));
    memcpy (zmq_msg_data (&m), "hello", 5);
    TEST_ASSERT_EQ_INT (zmq_msg_send (&m, a, ZMQ_SNDMORE), 5);
    /*  After a send the message is empty again.  */
    TEST_ASSERT_EQ_INT (zmq_msg_size (&m), 0);
    TEST_ASSERT_SUCCESS (zmq_msg_close (&m));
    TEST_ASSERT_SUCCESS (zmq_msg_init_size (&m, 3));
    memcpy (zmq_msg_data (&m), "end", 3);
    TEST_ASSERT_EQ_INT (zmq_msg_send (&m, a, 0), 3);
    TEST_ASSERT_SUCCESS (zmq_msg_close (&m));

    zmq_msg_t r;
    TEST_ASSERT_SUCCESS (zmq_msg_init (&r));
    TEST_ASSERT_EQ_INT (zmq_msg_recv (&r, b, 0), 5);
    TEST_ASSERT_EQ_INT (zmq_msg_size (&r), 5);
    TEST_ASSERT (memcmp (zmq_msg_data (&r), "hello", 5) == 0);
    TEST_ASSERT_EQ_INT (zmq_msg_more (&r), 1);
    TEST_ASSERT_EQ_INT (zmq_msg_get (&r, ZMQ_MORE), 1);
    /*  Receiving into a message that holds data replaces it.  */
    TEST_ASSERT_EQ_INT (zmq_msg_recv (&r, b, 0), 3);
    TEST_ASSERT (memcmp (zmq_msg_data (&r), "end", 3) == 0);
    TEST_ASSERT_EQ_INT (zmq_msg_more (&r), 0);
    TEST_ASSERT_FAILURE (zmq_msg_recv (&r, b, ZMQ_DONTWAIT), EAGAIN);
    TEST_ASSERT_SUCCESS (zmq_msg_close (&r));

    /*  Large messages go through intact.  */
    size_t big = 1024 * 1024 + 7;
    TEST_ASSERT_SUCCESS (zmq_msg_init_size (&m, big));
    unsigned char *p = (unsigned char *) zmq_msg_data (&m);
    for (size_t i = 0; i < big; i++)
        p[i] = (unsigned char) (i * 31 + 7);
    TEST_ASSERT_EQ_INT (zmq_msg_send (&m, b, 0), big);
    TEST_ASSERT_SUCCESS (zmq_msg_close (&m));
    TEST_ASSERT_SUCCESS (zmq_msg_init (&r));
    TEST_ASSERT_EQ_INT (zmq_msg_recv (&r, a, 0), big);
    p = (unsigned char *) zmq_msg_data (&r);
    for (size_t i = 0; i < big; i++)
        TEST_ASSERT (p[i] == (unsigned char) (i * 31 + 7));
    TEST_ASSERT_SUCCESS (zmq_msg_close (&r));

    TEST_ASSERT_SUCCESS (zmq_close (a));
    TEST_ASSERT_SUCCESS (zmq_close (b));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

static void test_iov (void)
{
    void *ctx = zmq_ctx_new ();
    void *a, *b;
    pair_up (ctx, &a, &b, 0, "iov");
    struct iovec out[3];
    out[0].iov_base = (void *) "one";
    out[0].iov_len = 3;
    out[1].iov_base = (void *) "";
    out[1].iov_len = 0;
    out[2].iov_base = (void *) "three";
    out[2].iov_len = 5;
    /*  zmq_sendiov sends each iovec as one frame with the caller's flags
        (the last without SNDMORE): with flags 0 they are three separate
        messages, with ZMQ_SNDMORE one multipart message.  */
    TEST_ASSERT_SUCCESS (zmq_sendiov (a, out, 3, 0));
    tu_recv_str (b, "one");
    TEST_ASSERT_EQ_INT (tu_get_int (b, ZMQ_RCVMORE), 0);
    tu_recv_str (b, "");
    TEST_ASSERT_EQ_INT (tu_get_int (b, ZMQ_RCVMORE), 0);
    tu_recv_str (b, "three");
    TEST_ASSERT_EQ_INT (tu_get_int (b, ZMQ_RCVMORE), 0);

    TEST_ASSERT_SUCCESS (zmq_sendiov (a, out, 3, ZMQ_SNDMORE));
    tu_recv_str (b, "one");
    TEST_ASSERT_EQ_INT (tu_get_int (b, ZMQ_RCVMORE), 1);
    tu_recv_str (b, "");
    TEST_ASSERT_EQ_INT (tu_get_int (b, ZMQ_RCVMORE), 1);
    tu_recv_str (b, "three");
    TEST_ASSERT_EQ_INT (tu_get_int (b, ZMQ_RCVMORE), 0);

    TEST_ASSERT_SUCCESS (zmq_sendiov (a, out, 3, ZMQ_SNDMORE));
    struct iovec in[4];
    size_t count = 4;
    memset (in, 0, sizeof in);
    /*  zmq_recviov fills malloc'd buffers, sets count, and (libzmq 4.3)
        returns the number of frames read.  */
    int rc = zmq_recviov (b, in, &count, 0);
    TEST_ASSERT_EQ_INT (count, 3);
    TEST_ASSERT_EQ_INT (rc, 3);
    TEST_ASSERT_EQ_INT (in[0].iov_len, 3);
    TEST_ASSERT (memcmp (in[0].iov_base, "one", 3) == 0);
    TEST_ASSERT_EQ_INT (in[1].iov_len, 0);
    TEST_ASSERT_EQ_INT (in[2].iov_len, 5);
    TEST_ASSERT (memcmp (in[2].iov_base, "three", 5) == 0);
    for (size_t i = 0; i < count; i++)
        free (in[i].iov_base);
    /*  Fewer slots than frames: the rest stays queued.  */
    TEST_ASSERT_SUCCESS (zmq_sendiov (a, out, 3, ZMQ_SNDMORE));
    count = 1;
    TEST_ASSERT_EQ_INT (zmq_recviov (b, in, &count, 0), 1);
    TEST_ASSERT_EQ_INT (count, 1);
    TEST_ASSERT_EQ_INT (in[0].iov_len, 3);
    free (in[0].iov_base);
    TEST_ASSERT_EQ_INT (tu_get_int (b, ZMQ_RCVMORE), 1);
    tu_recv_str (b, "");
    tu_recv_str (b, "three");
    TEST_ASSERT_FAILURE (zmq_sendiov (a, NULL, 0, 0), EINVAL);
    TEST_ASSERT_SUCCESS (zmq_close (a));
    TEST_ASSERT_SUCCESS (zmq_close (b));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

static void test_timeouts (void)
{
    void *ctx = zmq_ctx_new ();
    void *a = zmq_socket (ctx, ZMQ_PUSH);
    void *b = zmq_socket (ctx, ZMQ_PULL);
    char buf[16];
    TEST_ASSERT_EQ_INT (tu_get_int (b, ZMQ_RCVTIMEO), -1);
    TEST_ASSERT_EQ_INT (tu_get_int (a, ZMQ_SNDTIMEO), -1);
    /*  DONTWAIT: immediately.  */
    TEST_ASSERT_FAILURE (zmq_recv (b, buf, sizeof buf, ZMQ_DONTWAIT), EAGAIN);
    TEST_ASSERT_FAILURE (zmq_send (a, "x", 1, ZMQ_DONTWAIT), EAGAIN);
    /*  Timeout 0 is the same as DONTWAIT.  */
    tu_set_int (b, ZMQ_RCVTIMEO, 0);
    TEST_ASSERT_FAILURE (zmq_recv (b, buf, sizeof buf, 0), EAGAIN);
    /*  A positive timeout waits about that long, then EAGAIN.  */
    tu_set_int (b, ZMQ_RCVTIMEO, 200);
    TEST_ASSERT_EQ_INT (tu_get_int (b, ZMQ_RCVTIMEO), 200);
    long long t0 = now_ms ();
    TEST_ASSERT_FAILURE (zmq_recv (b, buf, sizeof buf, 0), EAGAIN);
    long long dt = now_ms () - t0;
    TEST_ASSERT_MSG (dt >= 180 && dt < 3000, "recv timed out after %lld ms",
                     dt);
    tu_set_int (a, ZMQ_SNDTIMEO, 200);
    t0 = now_ms ();
    TEST_ASSERT_FAILURE (zmq_send (a, "x", 1, 0), EAGAIN);
    dt = now_ms () - t0;
    TEST_ASSERT_MSG (dt >= 180 && dt < 3000, "send timed out after %lld ms",
                     dt);
    /*  zmq_msg_recv honours the timeout too.  */
    zmq_msg_t m;
    TEST_ASSERT_SUCCESS (zmq_msg_init (&m));
    TEST_ASSERT_FAILURE (zmq_msg_recv (&m, b, 0), EAGAIN);
    TEST_ASSERT_SUCCESS (zmq_msg_close (&m));
    /*  With a peer, a waiting recv is woken by the message.  */
    TEST_ASSERT_SUCCESS (zmq_bind (b, "inproc://test_sndrcv-timeo"));
    TEST_ASSERT_SUCCESS (zmq_connect (a, "inproc://test_sndrcv-timeo"));
    tu_send_str (a, "now", 0);
    tu_recv_str (b, "now");
    TEST_ASSERT_SUCCESS (zmq_close (a));
    TEST_ASSERT_SUCCESS (zmq_close (b));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

static void test_rcvmore (void)
{
    void *ctx = zmq_ctx_new ();
    void *a, *b;
    pair_up (ctx, &a, &b, 1, "more");
    TEST_ASSERT_EQ_INT (tu_get_int (b, ZMQ_RCVMORE), 0);
    for (int i = 0; i < 5; i++)
        tu_send_str (a, "f", i < 4 ? ZMQ_SNDMORE : 0);
    for (int i = 0; i < 5; i++) {
        tu_recv_str (b, "f");
        TEST_ASSERT_EQ_INT (tu_get_int (b, ZMQ_RCVMORE), i < 4 ? 1 : 0);
    }
    /*  A partial message is not delivered until its last frame is sent.  */
    tu_send_str (a, "p1", ZMQ_SNDMORE);
    tu_set_int (b, ZMQ_RCVTIMEO, 200);
    tu_recv_eagain (b, 0);
    tu_send_str (a, "p2", 0);
    tu_set_int (b, ZMQ_RCVTIMEO, 5000);
    tu_recv_str (b, "p1");
    tu_recv_str (b, "p2");
    TEST_ASSERT_SUCCESS (zmq_close (a));
    TEST_ASSERT_SUCCESS (zmq_close (b));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

static void test_misuse (void)
{
    void *ctx = zmq_ctx_new ();
    void *s = zmq_socket (ctx, ZMQ_PAIR);
    char buf[4];
    TEST_ASSERT_FAILURE (zmq_send (NULL, "x", 1, 0), ENOTSOCK);
    TEST_ASSERT_FAILURE (zmq_recv (NULL, buf, sizeof buf, 0), ENOTSOCK);
    TEST_ASSERT_FAILURE (zmq_send_const (NULL, "x", 1, 0), ENOTSOCK);
    zmq_msg_t m;
    TEST_ASSERT_SUCCESS (zmq_msg_init (&m));
    TEST_ASSERT_FAILURE (zmq_msg_send (&m, NULL, 0), ENOTSOCK);
    TEST_ASSERT_FAILURE (zmq_msg_recv (&m, NULL, 0), ENOTSOCK);
    TEST_ASSERT_SUCCESS (zmq_msg_close (&m));
    /*  A context pointer is not a socket.  */
    TEST_ASSERT_FAILURE (zmq_send (ctx, "x", 1, 0), ENOTSOCK);
    TEST_ASSERT_SUCCESS (zmq_close (s));
    TEST_ASSERT_FAILURE (zmq_send (s, "x", 1, 0), ENOTSOCK);
    TEST_ASSERT_FAILURE (zmq_recv (s, buf, sizeof buf, 0), ENOTSOCK);
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

/*  What a failed zmq_msg_recv leaves in the message, as libzmq: nothing to
    receive (EAGAIN) leaves it empty; a refused call (EFSM on a REQ that
    has not sent, ENOTSUP on a PUB) leaves it as it was.  */
static void test_failed_recv_message (void)
{
    void *ctx = zmq_ctx_new ();
    int types[4] = {ZMQ_PULL, ZMQ_SUB, ZMQ_REQ, ZMQ_PUB};
    int errs[4] = {EAGAIN, EAGAIN, EFSM, ENOTSUP};
    for (int i = 0; i < 4; i++) {
        void *s = zmq_socket (ctx, types[i]);
        TEST_ASSERT (s);
        zmq_msg_t m;
        TEST_ASSERT_SUCCESS (zmq_msg_init_size (&m, 100));
        memset (zmq_msg_data (&m), 'x', 100);
        TEST_ASSERT_FAILURE (zmq_msg_recv (&m, s, ZMQ_DONTWAIT), errs[i]);
        if (errs[i] == EAGAIN)
            TEST_ASSERT_EQ_INT ((int) zmq_msg_size (&m), 0);
        else {
            TEST_ASSERT_EQ_INT ((int) zmq_msg_size (&m), 100);
            TEST_ASSERT (((char *) zmq_msg_data (&m))[99] == 'x');
        }
        TEST_ASSERT_SUCCESS (zmq_msg_close (&m));
        TEST_ASSERT_SUCCESS (zmq_close (s));
    }
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

/*  What zmq_msg_send leaves in the message, as libzmq: a sent message is
    left empty; a send that fails (EAGAIN with no peer, ENOTSOCK on a
    closed socket) leaves it as it was, to be sent again.  */
static void test_msg_send_leaves (void)
{
    void *ctx = zmq_ctx_new ();
    void *push = zmq_socket (ctx, ZMQ_PUSH);
    void *pull = zmq_socket (ctx, ZMQ_PULL);
    TEST_ASSERT (push && pull);
    zmq_msg_t m;
    TEST_ASSERT_SUCCESS (zmq_msg_init_size (&m, 100));
    memset (zmq_msg_data (&m), 'y', 100);
    TEST_ASSERT_FAILURE (zmq_msg_send (&m, push, ZMQ_DONTWAIT), EAGAIN);
    TEST_ASSERT_EQ_INT ((int) zmq_msg_size (&m), 100);
    TEST_ASSERT (((char *) zmq_msg_data (&m))[99] == 'y');
    TEST_ASSERT_SUCCESS (zmq_bind (pull, "inproc://test_sndrcv-leaves"));
    TEST_ASSERT_SUCCESS (zmq_connect (push, "inproc://test_sndrcv-leaves"));
    TEST_ASSERT_EQ_INT (zmq_msg_send (&m, push, 0), 100);
    TEST_ASSERT_EQ_INT ((int) zmq_msg_size (&m), 0);
    zmq_msg_t r;
    TEST_ASSERT_SUCCESS (zmq_msg_init (&r));
    TEST_ASSERT_EQ_INT (zmq_msg_recv (&r, pull, 0), 100);
    TEST_ASSERT (((char *) zmq_msg_data (&r))[0] == 'y');
    TEST_ASSERT_SUCCESS (zmq_msg_close (&r));
    TEST_ASSERT_SUCCESS (zmq_msg_close (&m));
    TEST_ASSERT_SUCCESS (zmq_close (pull));
    TEST_ASSERT_SUCCESS (zmq_close (push));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

int main (void)
{
    tu_begin ("test_sndrcv");
    test_truncation ();
    test_send_const (0);
    test_send_const (1);
    test_msg_send_recv (0);
    test_msg_send_recv (1);
    test_iov ();
    test_timeouts ();
    test_rcvmore ();
    test_misuse ();
    test_failed_recv_message ();
    test_msg_send_leaves ();
    return tu_end ();
}
