/*  test_pubsub.c: ZMQ_PUB / ZMQ_SUB / ZMQ_XPUB / ZMQ_XSUB (zmq_socket(3))
    over tcp and inproc: prefix filtering, the empty subscription, counted
    subscriptions, whole multipart delivery, PUB never blocking at the HWM,
    SUB refusing to send (ENOTSUP), XPUB subscription messages (\x01 / \x00
    topic), ZMQ_XPUB_VERBOSE, ZMQ_XPUB_MANUAL, ZMQ_XPUB_WELCOME_MSG, XSUB
    sending subscriptions upstream, subscriptions resent after a reconnect,
    ZMQ_INVERT_MATCHING (zmq_setsockopt(3)).  Checked against Debian's
    libzmq 4.3.4.  */
#include "testutil.h"

static int recv_frame (void *s, char *buf, size_t n)
{
    int rc = zmq_recv (s, buf, n - 1, 0);
    TEST_ASSERT_MSG (rc >= 0, "zmq_recv failed: errno %d (%s)", zmq_errno (),
                     zmq_strerror (zmq_errno ()));
    TEST_ASSERT ((size_t) rc < n);
    buf[rc] = '\0';
    return rc;
}

static void set_str (void *s, int opt, const char *v)
{
    TEST_ASSERT_SUCCESS (zmq_setsockopt (s, opt, v, strlen (v)));
}

/*  Subscriptions travel asynchronously: publish `probe` until the SUB gets
    it (bounded), then drain nothing else.  The SUB must have a RCVTIMEO.  */
static void await_subscription (void *pub, void *sub, const char *probe)
{
    char buf[256];
    for (int i = 0; i < 100; i++) {
        tu_send_str (pub, probe, 0);
        int rc = zmq_recv (sub, buf, sizeof buf - 1, 0);
        if (rc >= 0) {
            buf[rc] = '\0';
            TEST_ASSERT_EQ_STR (buf, probe);
            /*  Drain the probes still in flight.  */
            while (zmq_recv (sub, buf, sizeof buf, ZMQ_DONTWAIT) >= 0)
                ;
            return;
        }
        TEST_ASSERT_EQ_INT (zmq_errno (), EAGAIN);
    }
    TEST_FAIL_AT (__FILE__, __LINE__, "subscription never propagated");
}

static void make_pair (void *ctx, int pub_type, int sub_type, int tcp,
                       const char *name, void **pub, void **sub)
{
    *pub = zmq_socket (ctx, pub_type);
    *sub = zmq_socket (ctx, sub_type);
    TEST_ASSERT (*pub && *sub);
    char ep[256];
    if (tcp)
        tu_bind_loopback (*pub, ep, sizeof ep);
    else {
        snprintf (ep, sizeof ep, "inproc://test_pubsub-%s", name);
        TEST_ASSERT_SUCCESS (zmq_bind (*pub, ep));
    }
    TEST_ASSERT_SUCCESS (zmq_connect (*sub, ep));
    tu_set_int (*pub, ZMQ_LINGER, 0);
    tu_set_int (*sub, ZMQ_LINGER, 0);
}

static void test_filtering (int tcp)
{
    void *ctx = zmq_ctx_new ();
    void *pub, *sub;
    make_pair (ctx, ZMQ_PUB, ZMQ_SUB, tcp, "filter", &pub, &sub);
    tu_set_int (sub, ZMQ_RCVTIMEO, 100);
    set_str (sub, ZMQ_SUBSCRIBE, "A");
    await_subscription (pub, sub, "Aprobe");

    tu_send_str (pub, "B", 0);
    tu_send_str (pub, "AB", 0);
    tu_send_str (pub, "", 0);
    tu_send_str (pub, "xA", 0);
    tu_send_str (pub, "A", 0);
    tu_recv_str (sub, "AB");
    tu_recv_str (sub, "A");
    tu_recv_eagain (sub, 0);

    /*  Multipart: the whole message or nothing, matched on frame 1.  */
    tu_send_str (pub, "Bhead", ZMQ_SNDMORE);
    tu_send_str (pub, "Atail", 0);
    tu_send_str (pub, "Ahead", ZMQ_SNDMORE);
    tu_send_str (pub, "Bmid", ZMQ_SNDMORE);
    tu_send_str (pub, "", 0);
    tu_recv_str (sub, "Ahead");
    TEST_ASSERT_EQ_INT (tu_get_int (sub, ZMQ_RCVMORE), 1);
    tu_recv_str (sub, "Bmid");
    TEST_ASSERT_EQ_INT (tu_get_int (sub, ZMQ_RCVMORE), 1);
    tu_recv_str (sub, "");
    TEST_ASSERT_EQ_INT (tu_get_int (sub, ZMQ_RCVMORE), 0);
    tu_recv_eagain (sub, 0);

    /*  Counted: two SUBSCRIBE "A" need two UNSUBSCRIBE "A".  */
    set_str (sub, ZMQ_SUBSCRIBE, "A");
    set_str (sub, ZMQ_UNSUBSCRIBE, "A");
    set_str (sub, ZMQ_SUBSCRIBE, "C");
    await_subscription (pub, sub, "Cprobe");
    tu_send_str (pub, "A2", 0);
    tu_recv_str (sub, "A2");
    set_str (sub, ZMQ_UNSUBSCRIBE, "A");
    /*  Once the unsubscribe is through, "C" still flows and "A" not.  */
    for (int i = 0; i < 100; i++) {
        tu_send_str (pub, "A3", 0);
        tu_send_str (pub, "C3", 0);
        char buf[64];
        recv_frame (sub, buf, sizeof buf);
        if (strcmp (buf, "C3") == 0)
            break;
        TEST_ASSERT_EQ_STR (buf, "A3");
        tu_recv_str (sub, "C3");
    }
    tu_send_str (pub, "A4", 0);
    tu_send_str (pub, "C4", 0);
    tu_recv_str (sub, "C4");
    tu_recv_eagain (sub, 0);

    /*  Unsubscribing what was never subscribed is not an error.  */
    set_str (sub, ZMQ_UNSUBSCRIBE, "never");

    /*  SUB cannot send; PUB cannot receive.  */
    TEST_ASSERT_FAILURE (zmq_send (sub, "x", 1, 0), ENOTSUP);
    char b[8];
    TEST_ASSERT_FAILURE (zmq_recv (pub, b, sizeof b, ZMQ_DONTWAIT), ENOTSUP);

    TEST_ASSERT_SUCCESS (zmq_close (sub));
    TEST_ASSERT_SUCCESS (zmq_close (pub));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

static void test_empty_subscription (int tcp)
{
    void *ctx = zmq_ctx_new ();
    void *pub, *sub;
    make_pair (ctx, ZMQ_PUB, ZMQ_SUB, tcp, "empty", &pub, &sub);
    tu_set_int (sub, ZMQ_RCVTIMEO, 100);
    TEST_ASSERT_SUCCESS (zmq_setsockopt (sub, ZMQ_SUBSCRIBE, "", 0));
    await_subscription (pub, sub, "probe");
    tu_send_str (pub, "anything", 0);
    tu_send_str (pub, "", 0);
    tu_recv_str (sub, "anything");
    tu_recv_str (sub, "");
    TEST_ASSERT_SUCCESS (zmq_close (sub));
    TEST_ASSERT_SUCCESS (zmq_close (pub));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

/*  No subscription at all: nothing arrives.  */
static void test_no_subscription (void)
{
    void *ctx = zmq_ctx_new ();
    void *pub, *sub;
    make_pair (ctx, ZMQ_PUB, ZMQ_SUB, 0, "none", &pub, &sub);
    tu_set_int (sub, ZMQ_RCVTIMEO, 100);
    for (int i = 0; i < 5; i++)
        tu_send_str (pub, "x", 0);
    tu_recv_eagain (sub, 0);
    TEST_ASSERT_SUCCESS (zmq_close (sub));
    TEST_ASSERT_SUCCESS (zmq_close (pub));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

/*  PUB drops at the HWM and never blocks.  */
static void test_pub_hwm (void)
{
    void *ctx = zmq_ctx_new ();
    void *pub = zmq_socket (ctx, ZMQ_PUB);
    void *sub = zmq_socket (ctx, ZMQ_SUB);
    tu_set_int (pub, ZMQ_SNDHWM, 10);
    tu_set_int (sub, ZMQ_RCVHWM, 10);
    tu_set_int (pub, ZMQ_LINGER, 0);
    tu_set_int (sub, ZMQ_LINGER, 0);
    TEST_ASSERT_SUCCESS (zmq_bind (pub, "inproc://test_pubsub-hwm"));
    TEST_ASSERT_SUCCESS (zmq_connect (sub, "inproc://test_pubsub-hwm"));
    tu_set_int (sub, ZMQ_RCVTIMEO, 100);
    TEST_ASSERT_SUCCESS (zmq_setsockopt (sub, ZMQ_SUBSCRIBE, "", 0));
    await_subscription (pub, sub, "probe");

    for (int i = 0; i < 1000; i++) {
        char m[16];
        snprintf (m, sizeof m, "%d", i);
        TEST_ASSERT_EQ_INT (zmq_send (pub, m, strlen (m), ZMQ_DONTWAIT),
                            (int) strlen (m));
    }
    /*  Also blocking sends return at once.  */
    for (int i = 0; i < 100; i++)
        tu_send_str (pub, "more", 0);
    int got = 0;
    char buf[16];
    while (zmq_recv (sub, buf, sizeof buf, ZMQ_DONTWAIT) >= 0)
        got++;
    TEST_ASSERT_EQ_INT (zmq_errno (), EAGAIN);
    TEST_ASSERT_MSG (got >= 1 && got <= 40, "received %d of 1100", got);

    TEST_ASSERT_SUCCESS (zmq_close (sub));
    TEST_ASSERT_SUCCESS (zmq_close (pub));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

static void recv_bytes (void *s, const char *want, size_t n)
{
    char buf[256];
    int rc = zmq_recv (s, buf, sizeof buf, 0);
    TEST_ASSERT_MSG (rc >= 0, "zmq_recv failed: errno %d (%s)", zmq_errno (),
                     zmq_strerror (zmq_errno ()));
    TEST_ASSERT_EQ_INT (rc, n);
    TEST_ASSERT (memcmp (buf, want, n) == 0);
}

static void test_xpub (int tcp)
{
    void *ctx = zmq_ctx_new ();
    void *xpub, *sub1;
    make_pair (ctx, ZMQ_XPUB, ZMQ_SUB, tcp, "xpub", &xpub, &sub1);
    tu_set_int (xpub, ZMQ_RCVTIMEO, 5000);
    tu_set_int (sub1, ZMQ_RCVTIMEO, 5000);

    set_str (sub1, ZMQ_SUBSCRIBE, "topic");
    recv_bytes (xpub, "\x01topic", 6);
    TEST_ASSERT_EQ_INT (tu_get_int (xpub, ZMQ_RCVMORE), 0);
    tu_send_str (xpub, "topic!", 0);
    tu_recv_str (sub1, "topic!");

    /*  A duplicate subscription is not forwarded (not verbose)...  */
    set_str (sub1, ZMQ_SUBSCRIBE, "topic");
    set_str (sub1, ZMQ_SUBSCRIBE, "other");
    recv_bytes (xpub, "\x01other", 6);
    /*  ...and an unsubscribe only when the last one goes.  */
    set_str (sub1, ZMQ_UNSUBSCRIBE, "topic");
    set_str (sub1, ZMQ_UNSUBSCRIBE, "other");
    recv_bytes (xpub, "\x00other", 6);
    set_str (sub1, ZMQ_UNSUBSCRIBE, "topic");
    recv_bytes (xpub, "\x00topic", 6);

    /*  XPUB_VERBOSE: every subscribe is passed up, also duplicates.  */
    tu_set_int (xpub, ZMQ_XPUB_VERBOSE, 1);
    set_str (sub1, ZMQ_SUBSCRIBE, "v");
    recv_bytes (xpub, "\x01v", 2);
    set_str (sub1, ZMQ_SUBSCRIBE, "v");
    recv_bytes (xpub, "\x01v", 2);
    tu_set_int (xpub, ZMQ_RCVTIMEO, 100);
    /*  SUB itself counts subscriptions, so its first unsubscribe is not
        sent upstream at all.  */
    set_str (sub1, ZMQ_UNSUBSCRIBE, "v");
    tu_recv_eagain (xpub, 0);

    TEST_ASSERT_SUCCESS (zmq_close (sub1));
    TEST_ASSERT_SUCCESS (zmq_close (xpub));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

static void test_xpub_manual (void)
{
    void *ctx = zmq_ctx_new ();
    void *xpub = zmq_socket (ctx, ZMQ_XPUB);
    void *sub = zmq_socket (ctx, ZMQ_SUB);
    tu_set_int (xpub, ZMQ_XPUB_MANUAL, 1);
    tu_set_int (xpub, ZMQ_LINGER, 0);
    tu_set_int (sub, ZMQ_LINGER, 0);
    tu_set_int (xpub, ZMQ_RCVTIMEO, 5000);
    tu_set_int (sub, ZMQ_RCVTIMEO, 200);
    TEST_ASSERT_SUCCESS (zmq_bind (xpub, "inproc://test_pubsub-manual"));
    TEST_ASSERT_SUCCESS (zmq_connect (sub, "inproc://test_pubsub-manual"));

    set_str (sub, ZMQ_SUBSCRIBE, "A");
    recv_bytes (xpub, "\x01" "A", 2);
    /*  Manual: the subscription "A" is not applied; the application
        subscribes this peer to "B" instead.  */
    set_str (xpub, ZMQ_SUBSCRIBE, "B");
    tu_send_str (xpub, "A1", 0);
    tu_send_str (xpub, "B1", 0);
    /*  The SUB filters too: it only takes "A".  Nothing arrives.  */
    tu_recv_eagain (sub, 0);
    set_str (sub, ZMQ_SUBSCRIBE, "B");
    recv_bytes (xpub, "\x01" "B", 2);
    set_str (xpub, ZMQ_SUBSCRIBE, "A");
    tu_send_str (xpub, "A2", 0);
    tu_send_str (xpub, "B2", 0);
    tu_send_str (xpub, "C2", 0);
    tu_recv_str (sub, "A2");
    tu_recv_str (sub, "B2");
    tu_recv_eagain (sub, 0);

    TEST_ASSERT_SUCCESS (zmq_close (sub));
    TEST_ASSERT_SUCCESS (zmq_close (xpub));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

static void test_welcome (int tcp)
{
    void *ctx = zmq_ctx_new ();
    void *xpub = zmq_socket (ctx, ZMQ_XPUB);
    void *sub = zmq_socket (ctx, ZMQ_SUB);
    tu_set_int (xpub, ZMQ_LINGER, 0);
    tu_set_int (sub, ZMQ_LINGER, 0);
    set_str (xpub, ZMQ_XPUB_WELCOME_MSG, "W");
    char ep[256];
    if (tcp)
        tu_bind_loopback (xpub, ep, sizeof ep);
    else {
        snprintf (ep, sizeof ep, "inproc://test_pubsub-welcome");
        TEST_ASSERT_SUCCESS (zmq_bind (xpub, ep));
    }
    set_str (sub, ZMQ_SUBSCRIBE, "W");
    TEST_ASSERT_SUCCESS (zmq_connect (sub, ep));
    tu_set_int (sub, ZMQ_RCVTIMEO, 5000);
    tu_set_int (xpub, ZMQ_RCVTIMEO, 5000);
    recv_bytes (xpub, "\x01W", 2);
    tu_recv_str (sub, "W");
    TEST_ASSERT_SUCCESS (zmq_close (sub));
    TEST_ASSERT_SUCCESS (zmq_close (xpub));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

static void test_xsub (int tcp)
{
    void *ctx = zmq_ctx_new ();
    void *pub, *xsub;
    make_pair (ctx, ZMQ_PUB, ZMQ_XSUB, tcp, "xsub", &pub, &xsub);
    tu_set_int (xsub, ZMQ_RCVTIMEO, 100);
    /*  XSUB has no filter until it sends a subscription upstream.  */
    TEST_ASSERT_EQ_INT (zmq_send (xsub, "\x01" "A", 2, 0), 2);
    char buf[64];
    int ok = 0;
    for (int i = 0; i < 100 && !ok; i++) {
        tu_send_str (pub, "Bx", 0);
        tu_send_str (pub, "Ax", 0);
        int rc = zmq_recv (xsub, buf, sizeof buf - 1, 0);
        if (rc >= 0) {
            buf[rc] = '\0';
            TEST_ASSERT_EQ_STR (buf, "Ax");
            ok = 1;
        }
    }
    TEST_ASSERT (ok);
    while (zmq_recv (xsub, buf, sizeof buf, ZMQ_DONTWAIT) >= 0)
        TEST_ASSERT_EQ_STR ("Ax", "Ax");
    tu_send_str (pub, "B1", 0);
    tu_send_str (pub, "A1", 0);
    tu_recv_str (xsub, "A1");
    tu_recv_eagain (xsub, 0);
    /*  Unsubscribe upstream: nothing more arrives.  */
    TEST_ASSERT_EQ_INT (zmq_send (xsub, "\x00" "A", 2, 0), 2);
    for (int i = 0; i < 100; i++) {
        tu_send_str (pub, "A2", 0);
        int rc = zmq_recv (xsub, buf, sizeof buf, 0);
        if (rc < 0)
            break;
        TEST_ASSERT (i < 99);
    }
    TEST_ASSERT_SUCCESS (zmq_close (xsub));
    TEST_ASSERT_SUCCESS (zmq_close (pub));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

/*  PUB goes away and binds again on the same endpoint: the SUB reconnects
    and its subscriptions are resent without a new zmq_setsockopt.  */
static void test_resubscribe (void)
{
    void *ctx = zmq_ctx_new ();
    void *pub = zmq_socket (ctx, ZMQ_PUB);
    void *sub = zmq_socket (ctx, ZMQ_SUB);
    tu_set_int (pub, ZMQ_LINGER, 0);
    tu_set_int (sub, ZMQ_LINGER, 0);
    tu_set_int (sub, ZMQ_RECONNECT_IVL, 50);
    char ep[256];
    tu_bind_loopback (pub, ep, sizeof ep);
    set_str (sub, ZMQ_SUBSCRIBE, "A");
    TEST_ASSERT_SUCCESS (zmq_connect (sub, ep));
    tu_set_int (sub, ZMQ_RCVTIMEO, 100);
    await_subscription (pub, sub, "A1");
    TEST_ASSERT_SUCCESS (zmq_close (pub));

    pub = zmq_socket (ctx, ZMQ_PUB);
    tu_set_int (pub, ZMQ_LINGER, 0);
    int rc = -1;
    for (int i = 0; i < 100 && rc != 0; i++) {
        rc = zmq_bind (pub, ep);
        if (rc != 0) {
            TEST_ASSERT_EQ_INT (zmq_errno (), EADDRINUSE);
            zmq_poll (NULL, 0, 20);
        }
    }
    TEST_ASSERT_SUCCESS (rc);
    await_subscription (pub, sub, "A2");
    tu_send_str (pub, "B3", 0);
    tu_send_str (pub, "A3", 0);
    tu_recv_str (sub, "A3");
    TEST_ASSERT_SUCCESS (zmq_close (sub));
    TEST_ASSERT_SUCCESS (zmq_close (pub));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

static void test_invert (int tcp)
{
    void *ctx = zmq_ctx_new ();
    void *pub, *sub;
    pub = zmq_socket (ctx, ZMQ_PUB);
    sub = zmq_socket (ctx, ZMQ_SUB);
    /*  Both ends need it: the PUB filters, the SUB filters again.  */
    tu_set_int (pub, ZMQ_INVERT_MATCHING, 1);
    tu_set_int (sub, ZMQ_INVERT_MATCHING, 1);
    TEST_ASSERT_EQ_INT (tu_get_int (sub, ZMQ_INVERT_MATCHING), 1);
    tu_set_int (pub, ZMQ_LINGER, 0);
    tu_set_int (sub, ZMQ_LINGER, 0);
    char ep[256];
    if (tcp)
        tu_bind_loopback (pub, ep, sizeof ep);
    else {
        snprintf (ep, sizeof ep, "inproc://test_pubsub-invert");
        TEST_ASSERT_SUCCESS (zmq_bind (pub, ep));
    }
    set_str (sub, ZMQ_SUBSCRIBE, "A");
    TEST_ASSERT_SUCCESS (zmq_connect (sub, ep));
    tu_set_int (sub, ZMQ_RCVTIMEO, 100);
    /*  Until the subscription arrives, the PUB sends "A" messages too;
        wait until one "A" is filtered out while "B" passes.  */
    char buf[64];
    int ok = 0;
    for (int i = 0; i < 100 && !ok; i++) {
        tu_send_str (pub, "Aprobe", 0);
        tu_send_str (pub, "Bprobe", 0);
        int rc = zmq_recv (sub, buf, sizeof buf - 1, 0);
        if (rc >= 0) {
            buf[rc] = '\0';
            /*  The SUB inverts too: "A" never reaches the application.  */
            TEST_ASSERT_EQ_STR (buf, "Bprobe");
            ok = 1;
        }
    }
    TEST_ASSERT (ok);
    while (zmq_recv (sub, buf, sizeof buf, ZMQ_DONTWAIT) >= 0)
        ;
    tu_send_str (pub, "AB", 0);
    tu_send_str (pub, "BA", 0);
    tu_send_str (pub, "", 0);
    tu_recv_str (sub, "BA");
    tu_recv_str (sub, "");
    tu_recv_eagain (sub, 0);
    TEST_ASSERT_SUCCESS (zmq_close (sub));
    TEST_ASSERT_SUCCESS (zmq_close (pub));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

int main (void)
{
    tu_begin ("test_pubsub");
    test_filtering (1);
    test_filtering (0);
    test_empty_subscription (1);
    test_empty_subscription (0);
    test_no_subscription ();
    test_pub_hwm ();
    test_xpub (1);
    test_xpub (0);
    test_xpub_manual ();
    test_welcome (1);
    test_welcome (0);
    test_xsub (1);
    test_xsub (0);
    test_resubscribe ();
    test_invert (1);
    test_invert (0);
    return tu_end ();
}
