/*  test_dealer.c: ZMQ_DEALER (zmq_socket(3)) talking to a REP (the
    application supplies the empty delimiter and gets it back), to another
    DEALER (plain asynchronous frames both ways), round-robin over two
    peers, and EAGAIN with no peer.  Checked against Debian's libzmq 4.3.4.  */
#include "testutil.h"

static void test_dealer_rep (int tcp)
{
    void *ctx = zmq_ctx_new ();
    void *rep = zmq_socket (ctx, ZMQ_REP);
    void *dealer = zmq_socket (ctx, ZMQ_DEALER);
    char ep[256];
    if (tcp)
        tu_bind_loopback (rep, ep, sizeof ep);
    else {
        snprintf (ep, sizeof ep, "inproc://test_dealer-rep");
        TEST_ASSERT_SUCCESS (zmq_bind (rep, ep));
    }
    TEST_ASSERT_SUCCESS (zmq_connect (dealer, ep));
    tu_set_int (rep, ZMQ_RCVTIMEO, 5000);
    tu_set_int (dealer, ZMQ_RCVTIMEO, 5000);

    /*  Without the delimiter the REP discards the request.  */
    tu_send_str (dealer, "no-delimiter", 0);
    /*  With it, REP sees only the body.  */
    tu_send_str (dealer, "", ZMQ_SNDMORE);
    tu_send_str (dealer, "req", ZMQ_SNDMORE);
    tu_send_str (dealer, "part2", 0);
    tu_recv_str (rep, "req");
    TEST_ASSERT_EQ_INT (tu_get_int (rep, ZMQ_RCVMORE), 1);
    tu_recv_str (rep, "part2");
    TEST_ASSERT_EQ_INT (tu_get_int (rep, ZMQ_RCVMORE), 0);
    tu_send_str (rep, "rep", 0);
    /*  The reply comes back with the delimiter.  */
    tu_recv_str (dealer, "");
    TEST_ASSERT_EQ_INT (tu_get_int (dealer, ZMQ_RCVMORE), 1);
    tu_recv_str (dealer, "rep");
    TEST_ASSERT_EQ_INT (tu_get_int (dealer, ZMQ_RCVMORE), 0);

    /*  A DEALER may pipeline several requests; REP answers in order.  */
    for (int i = 0; i < 3; i++) {
        char buf[16];
        snprintf (buf, sizeof buf, "r%d", i);
        tu_send_str (dealer, "", ZMQ_SNDMORE);
        tu_send_str (dealer, buf, 0);
    }
    for (int i = 0; i < 3; i++) {
        char buf[16];
        snprintf (buf, sizeof buf, "r%d", i);
        tu_recv_str (rep, buf);
        tu_send_str (rep, buf, 0);
    }
    for (int i = 0; i < 3; i++) {
        char buf[16];
        snprintf (buf, sizeof buf, "r%d", i);
        tu_recv_str (dealer, "");
        tu_recv_str (dealer, buf);
    }
    /*  Extra envelope frames (as a broker would add) are echoed back.  */
    tu_send_str (dealer, "hop", ZMQ_SNDMORE);
    tu_send_str (dealer, "", ZMQ_SNDMORE);
    tu_send_str (dealer, "body", 0);
    tu_recv_str (rep, "body");
    tu_send_str (rep, "answer", 0);
    tu_recv_str (dealer, "hop");
    tu_recv_str (dealer, "");
    tu_recv_str (dealer, "answer");
    tu_recv_eagain (dealer, ZMQ_DONTWAIT);

    tu_set_int (dealer, ZMQ_LINGER, 0);
    TEST_ASSERT_SUCCESS (zmq_close (dealer));
    TEST_ASSERT_SUCCESS (zmq_close (rep));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

static void test_dealer_dealer (int tcp)
{
    void *ctx = zmq_ctx_new ();
    void *a = zmq_socket (ctx, ZMQ_DEALER);
    void *b = zmq_socket (ctx, ZMQ_DEALER);
    char ep[256];
    if (tcp)
        tu_bind_loopback (a, ep, sizeof ep);
    else {
        snprintf (ep, sizeof ep, "inproc://test_dealer-dealer");
        TEST_ASSERT_SUCCESS (zmq_bind (a, ep));
    }
    TEST_ASSERT_SUCCESS (zmq_connect (b, ep));
    tu_set_int (a, ZMQ_RCVTIMEO, 5000);
    tu_set_int (b, ZMQ_RCVTIMEO, 5000);
    /*  Both send before either receives.  */
    tu_send_str (b, "b1", 0);
    tu_send_str (b, "b2", ZMQ_SNDMORE);
    tu_send_str (b, "b3", 0);
    tu_send_str (a, "a1", 0);
    tu_recv_str (a, "b1");
    TEST_ASSERT_EQ_INT (tu_get_int (a, ZMQ_RCVMORE), 0);
    tu_recv_str (a, "b2");
    TEST_ASSERT_EQ_INT (tu_get_int (a, ZMQ_RCVMORE), 1);
    tu_recv_str (a, "b3");
    tu_recv_str (b, "a1");
    /*  An empty frame is an ordinary frame here.  */
    tu_send_str (a, "", 0);
    tu_recv_str (b, "");
    TEST_ASSERT_EQ_INT (tu_get_int (b, ZMQ_RCVMORE), 0);
    tu_recv_eagain (a, ZMQ_DONTWAIT);
    tu_recv_eagain (b, ZMQ_DONTWAIT);
    tu_set_int (a, ZMQ_LINGER, 0);
    tu_set_int (b, ZMQ_LINGER, 0);
    TEST_ASSERT_SUCCESS (zmq_close (a));
    TEST_ASSERT_SUCCESS (zmq_close (b));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

/*  A DEALER bound with two DEALER peers: round-robin out, fair-queue in.  */
static void test_round_robin (void)
{
    void *ctx = zmq_ctx_new ();
    void *d = zmq_socket (ctx, ZMQ_DEALER);
    void *p1 = zmq_socket (ctx, ZMQ_DEALER);
    void *p2 = zmq_socket (ctx, ZMQ_DEALER);
    TEST_ASSERT_SUCCESS (zmq_bind (d, "inproc://test_dealer-rr"));
    TEST_ASSERT_SUCCESS (zmq_connect (p1, "inproc://test_dealer-rr"));
    TEST_ASSERT_SUCCESS (zmq_connect (p2, "inproc://test_dealer-rr"));
    tu_set_int (d, ZMQ_RCVTIMEO, 5000);
    tu_set_int (p1, ZMQ_RCVTIMEO, 5000);
    tu_set_int (p2, ZMQ_RCVTIMEO, 5000);
    for (int i = 0; i < 4; i++) {
        char buf[8];
        snprintf (buf, sizeof buf, "m%d", i);
        tu_send_str (d, buf, 0);
    }
    tu_recv_str (p1, "m0");
    tu_recv_str (p1, "m2");
    tu_recv_str (p2, "m1");
    tu_recv_str (p2, "m3");
    tu_recv_eagain (p1, ZMQ_DONTWAIT);
    tu_recv_eagain (p2, ZMQ_DONTWAIT);
    tu_send_str (p1, "x", 0);
    tu_send_str (p1, "x", 0);
    tu_send_str (p2, "y", 0);
    tu_send_str (p2, "y", 0);
    char prev = 0;
    for (int i = 0; i < 4; i++) {
        char buf[8];
        int rc = zmq_recv (d, buf, sizeof buf, 0);
        TEST_ASSERT_EQ_INT (rc, 1);
        TEST_ASSERT (buf[0] != prev);
        prev = buf[0];
    }
    TEST_ASSERT_SUCCESS (zmq_close (d));
    TEST_ASSERT_SUCCESS (zmq_close (p1));
    TEST_ASSERT_SUCCESS (zmq_close (p2));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

static void test_no_peer (void)
{
    void *ctx = zmq_ctx_new ();
    void *d = zmq_socket (ctx, ZMQ_DEALER);
    TEST_ASSERT_FAILURE (zmq_send (d, "x", 1, ZMQ_DONTWAIT), EAGAIN);
    tu_recv_eagain (d, ZMQ_DONTWAIT);
    tu_set_int (d, ZMQ_RCVTIMEO, 30);
    tu_recv_eagain (d, 0);
    TEST_ASSERT_SUCCESS (zmq_close (d));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

int main (void)
{
    tu_begin ("test_dealer");
    test_dealer_rep (0);
    test_dealer_rep (1);
    test_dealer_dealer (0);
    test_dealer_dealer (1);
    test_round_robin ();
    test_no_peer ();
    return tu_end ();
}
