/*  test_pair.c: ZMQ_PAIR (zmq_socket(3)) over inproc, tcp and ipc: one
    exclusive peer, messages both ways, multipart kept whole, and a second
    peer's messages never delivered.  Checked against Debian's libzmq 4.3.4.  */
#include "testutil.h"

#include <unistd.h>

static void ping_pong (void *a, void *b)
{
    tu_set_int (a, ZMQ_RCVTIMEO, 5000);
    tu_set_int (b, ZMQ_RCVTIMEO, 5000);
    tu_send_str (a, "ping", 0);
    tu_recv_str (b, "ping");
    tu_send_str (b, "pong", 0);
    tu_recv_str (a, "pong");
    /*  Multipart in both directions.  */
    tu_send_str (a, "m1", ZMQ_SNDMORE);
    tu_send_str (a, "", ZMQ_SNDMORE);
    tu_send_str (a, "m3", 0);
    tu_recv_str (b, "m1");
    TEST_ASSERT_EQ_INT (tu_get_int (b, ZMQ_RCVMORE), 1);
    tu_recv_str (b, "");
    TEST_ASSERT_EQ_INT (tu_get_int (b, ZMQ_RCVMORE), 1);
    tu_recv_str (b, "m3");
    TEST_ASSERT_EQ_INT (tu_get_int (b, ZMQ_RCVMORE), 0);
    /*  Order is kept over many messages.  */
    char buf[32];
    for (int i = 0; i < 100; i++) {
        snprintf (buf, sizeof buf, "msg-%d", i);
        tu_send_str (b, buf, 0);
    }
    for (int i = 0; i < 100; i++) {
        snprintf (buf, sizeof buf, "msg-%d", i);
        tu_recv_str (a, buf);
    }
    /*  Nothing more.  */
    tu_recv_eagain (a, ZMQ_DONTWAIT);
    tu_recv_eagain (b, ZMQ_DONTWAIT);
}

static void test_inproc (void)
{
    void *ctx = zmq_ctx_new ();
    void *a = zmq_socket (ctx, ZMQ_PAIR);
    void *b = zmq_socket (ctx, ZMQ_PAIR);
    TEST_ASSERT (a && b);
    TEST_ASSERT_SUCCESS (zmq_bind (a, "inproc://test_pair-inproc"));
    TEST_ASSERT_SUCCESS (zmq_connect (b, "inproc://test_pair-inproc"));
    ping_pong (a, b);
    TEST_ASSERT_SUCCESS (zmq_close (a));
    TEST_ASSERT_SUCCESS (zmq_close (b));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

static void test_tcp (void)
{
    void *ctx = zmq_ctx_new ();
    void *a = zmq_socket (ctx, ZMQ_PAIR);
    void *b = zmq_socket (ctx, ZMQ_PAIR);
    TEST_ASSERT (a && b);
    char ep[256];
    tu_bind_loopback (a, ep, sizeof ep);
    TEST_ASSERT_SUCCESS (zmq_connect (b, ep));
    ping_pong (a, b);
    tu_set_int (a, ZMQ_LINGER, 0);
    tu_set_int (b, ZMQ_LINGER, 0);
    TEST_ASSERT_SUCCESS (zmq_close (a));
    TEST_ASSERT_SUCCESS (zmq_close (b));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

static void test_ipc (void)
{
    char dir[] = "/tmp/test_pair-XXXXXX";
    TEST_ASSERT (mkdtemp (dir) != NULL);
    char ep[300], path[256];
    snprintf (path, sizeof path, "%s/sock", dir);
    snprintf (ep, sizeof ep, "ipc://%s", path);
    void *ctx = zmq_ctx_new ();
    void *a = zmq_socket (ctx, ZMQ_PAIR);
    void *b = zmq_socket (ctx, ZMQ_PAIR);
    TEST_ASSERT (a && b);
    TEST_ASSERT_SUCCESS (zmq_bind (a, ep));
    TEST_ASSERT (access (path, F_OK) == 0);
    TEST_ASSERT_SUCCESS (zmq_connect (b, ep));
    ping_pong (a, b);
    tu_set_int (a, ZMQ_LINGER, 0);
    tu_set_int (b, ZMQ_LINGER, 0);
    TEST_ASSERT_SUCCESS (zmq_close (a));
    TEST_ASSERT_SUCCESS (zmq_close (b));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
    unlink (path);
    rmdir (dir);
}

/*  A PAIR accepts one peer: a second connecter's messages never arrive,
    and the first peer keeps working.  */
static void second_peer (void *ctx, void *a, const char *ep)
{
    void *b = zmq_socket (ctx, ZMQ_PAIR);
    void *c = zmq_socket (ctx, ZMQ_PAIR);
    TEST_ASSERT (b && c);
    tu_set_int (a, ZMQ_RCVTIMEO, 5000);
    tu_set_int (b, ZMQ_RCVTIMEO, 5000);
    TEST_ASSERT_SUCCESS (zmq_connect (b, ep));
    tu_send_str (b, "first", 0);
    tu_recv_str (a, "first");
    TEST_ASSERT_SUCCESS (zmq_connect (c, ep));
    /*  c may or may not queue the message locally; a never gets it.  */
    zmq_send (c, "intruder", 8, ZMQ_DONTWAIT);
    tu_set_int (a, ZMQ_RCVTIMEO, 300);
    tu_recv_eagain (a, 0);
    tu_set_int (a, ZMQ_RCVTIMEO, 5000);
    tu_send_str (b, "still-first", 0);
    tu_recv_str (a, "still-first");
    tu_send_str (a, "reply", 0);
    tu_recv_str (b, "reply");
    tu_set_int (b, ZMQ_LINGER, 0);
    tu_set_int (c, ZMQ_LINGER, 0);
    TEST_ASSERT_SUCCESS (zmq_close (b));
    TEST_ASSERT_SUCCESS (zmq_close (c));
}

static void test_second_peer_inproc (void)
{
    void *ctx = zmq_ctx_new ();
    void *a = zmq_socket (ctx, ZMQ_PAIR);
    TEST_ASSERT_SUCCESS (zmq_bind (a, "inproc://test_pair-second"));
    second_peer (ctx, a, "inproc://test_pair-second");
    TEST_ASSERT_SUCCESS (zmq_close (a));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

static void test_second_peer_tcp (void)
{
    void *ctx = zmq_ctx_new ();
    void *a = zmq_socket (ctx, ZMQ_PAIR);
    char ep[256];
    tu_bind_loopback (a, ep, sizeof ep);
    second_peer (ctx, a, ep);
    tu_set_int (a, ZMQ_LINGER, 0);
    TEST_ASSERT_SUCCESS (zmq_close (a));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

/*  Sending on a PAIR with no peer at all would block: EAGAIN with
    DONTWAIT (no pipe yet on a bound socket).  */
static void test_no_peer (void)
{
    void *ctx = zmq_ctx_new ();
    void *a = zmq_socket (ctx, ZMQ_PAIR);
    TEST_ASSERT_SUCCESS (zmq_bind (a, "inproc://test_pair-alone"));
    TEST_ASSERT_FAILURE (zmq_send (a, "x", 1, ZMQ_DONTWAIT), EAGAIN);
    tu_recv_eagain (a, ZMQ_DONTWAIT);
    tu_set_int (a, ZMQ_SNDTIMEO, 50);
    TEST_ASSERT_FAILURE (zmq_send (a, "x", 1, 0), EAGAIN);
    TEST_ASSERT_SUCCESS (zmq_close (a));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

int main (void)
{
    tu_begin ("test_pair");
    test_inproc ();
    test_tcp ();
    test_ipc ();
    test_second_peer_inproc ();
    test_second_peer_tcp ();
    test_no_peer ();
    return tu_end ();
}
