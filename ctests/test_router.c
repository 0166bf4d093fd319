/*  test_router.c: ZMQ_ROUTER (zmq_socket(3)) routing ids: ZMQ_ROUTING_ID
    set by the peer, ZMQ_CONNECT_ROUTING_ID, generated ids (5 bytes, the
    first 0), ZMQ_ROUTER_MANDATORY (EHOSTUNREACH), ZMQ_ROUTER_HANDOVER,
    ZMQ_PROBE_ROUTER (zmq_setsockopt(3)).  Checked against Debian's libzmq
    4.3.4.  */
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

static void test_routing_id (int tcp)
{
    void *ctx = zmq_ctx_new ();
    void *router = zmq_socket (ctx, ZMQ_ROUTER);
    void *dealer = zmq_socket (ctx, ZMQ_DEALER);
    char ep[256];
    if (tcp)
        tu_bind_loopback (router, ep, sizeof ep);
    else {
        snprintf (ep, sizeof ep, "inproc://test_router-id");
        TEST_ASSERT_SUCCESS (zmq_bind (router, ep));
    }
    set_str (dealer, ZMQ_ROUTING_ID, "alice");
    char got[256];
    size_t len = sizeof got;
    TEST_ASSERT_SUCCESS (zmq_getsockopt (dealer, ZMQ_ROUTING_ID, got, &len));
    TEST_ASSERT_EQ_INT (len, 5);
    TEST_ASSERT (memcmp (got, "alice", 5) == 0);
    TEST_ASSERT_SUCCESS (zmq_connect (dealer, ep));
    tu_set_int (router, ZMQ_RCVTIMEO, 5000);
    tu_set_int (dealer, ZMQ_RCVTIMEO, 5000);

    tu_send_str (dealer, "hi", 0);
    tu_recv_str (router, "alice");
    TEST_ASSERT_EQ_INT (tu_get_int (router, ZMQ_RCVMORE), 1);
    tu_recv_str (router, "hi");
    TEST_ASSERT_EQ_INT (tu_get_int (router, ZMQ_RCVMORE), 0);

    tu_send_str (router, "alice", ZMQ_SNDMORE);
    tu_send_str (router, "back", ZMQ_SNDMORE);
    tu_send_str (router, "2", 0);
    tu_recv_str (dealer, "back");
    TEST_ASSERT_EQ_INT (tu_get_int (dealer, ZMQ_RCVMORE), 1);
    tu_recv_str (dealer, "2");

    /*  An unknown id is dropped silently (not mandatory), the whole
        message with it.  */
    tu_send_str (router, "nobody", ZMQ_SNDMORE);
    tu_send_str (router, "lost", 0);
    tu_send_str (router, "alice", ZMQ_SNDMORE);
    tu_send_str (router, "found", 0);
    tu_recv_str (dealer, "found");

    tu_set_int (dealer, ZMQ_LINGER, 0);
    tu_set_int (router, ZMQ_LINGER, 0);
    TEST_ASSERT_SUCCESS (zmq_close (dealer));
    TEST_ASSERT_SUCCESS (zmq_close (router));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

static void test_generated_ids (void)
{
    void *ctx = zmq_ctx_new ();
    void *router = zmq_socket (ctx, ZMQ_ROUTER);
    void *d1 = zmq_socket (ctx, ZMQ_DEALER);
    void *d2 = zmq_socket (ctx, ZMQ_DEALER);
    char ep[256];
    tu_bind_loopback (router, ep, sizeof ep);
    TEST_ASSERT_SUCCESS (zmq_connect (d1, ep));
    TEST_ASSERT_SUCCESS (zmq_connect (d2, ep));
    tu_set_int (router, ZMQ_RCVTIMEO, 5000);
    tu_set_int (d1, ZMQ_RCVTIMEO, 5000);
    tu_set_int (d2, ZMQ_RCVTIMEO, 5000);
    tu_send_str (d1, "one", 0);
    char id1[64], id2[64], buf[64];
    TEST_ASSERT_EQ_INT (recv_frame (router, id1, sizeof id1), 5);
    TEST_ASSERT_EQ_INT (id1[0], 0);
    tu_recv_str (router, "one");
    tu_send_str (d2, "two", 0);
    TEST_ASSERT_EQ_INT (recv_frame (router, id2, sizeof id2), 5);
    TEST_ASSERT_EQ_INT (id2[0], 0);
    TEST_ASSERT (memcmp (id1, id2, 5) != 0);
    tu_recv_str (router, "two");
    /*  Same id for the same peer next time.  */
    tu_send_str (d1, "again", 0);
    TEST_ASSERT_EQ_INT (recv_frame (router, buf, sizeof buf), 5);
    TEST_ASSERT (memcmp (buf, id1, 5) == 0);
    tu_recv_str (router, "again");
    /*  Route back by the generated id.  */
    TEST_ASSERT_EQ_INT (zmq_send (router, id2, 5, ZMQ_SNDMORE), 5);
    tu_send_str (router, "to-two", 0);
    tu_recv_str (d2, "to-two");
    tu_recv_eagain (d1, ZMQ_DONTWAIT);
    tu_set_int (d1, ZMQ_LINGER, 0);
    tu_set_int (d2, ZMQ_LINGER, 0);
    tu_set_int (router, ZMQ_LINGER, 0);
    TEST_ASSERT_SUCCESS (zmq_close (d1));
    TEST_ASSERT_SUCCESS (zmq_close (d2));
    TEST_ASSERT_SUCCESS (zmq_close (router));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

static void test_mandatory (void)
{
    void *ctx = zmq_ctx_new ();
    void *router = zmq_socket (ctx, ZMQ_ROUTER);
    void *dealer = zmq_socket (ctx, ZMQ_DEALER);
    tu_set_int (router, ZMQ_ROUTER_MANDATORY, 1);
    TEST_ASSERT_SUCCESS (zmq_bind (router, "inproc://test_router-mand"));
    /*  Unknown peer: EHOSTUNREACH on the id frame.  */
    TEST_ASSERT_FAILURE (zmq_send (router, "nobody", 6, ZMQ_SNDMORE),
                         EHOSTUNREACH);
    /*  A lone frame (no SNDMORE) is not looked up: dropped silently.  */
    TEST_ASSERT_EQ_INT (zmq_send (router, "nobody", 6, ZMQ_DONTWAIT), 6);
    set_str (dealer, ZMQ_ROUTING_ID, "bob");
    TEST_ASSERT_SUCCESS (zmq_connect (dealer, "inproc://test_router-mand"));
    tu_set_int (router, ZMQ_RCVTIMEO, 5000);
    tu_set_int (dealer, ZMQ_RCVTIMEO, 5000);
    tu_send_str (dealer, "hello", 0);
    tu_recv_str (router, "bob");
    tu_recv_str (router, "hello");
    tu_send_str (router, "bob", ZMQ_SNDMORE);
    tu_send_str (router, "ok", 0);
    tu_recv_str (dealer, "ok");
    TEST_ASSERT_FAILURE (zmq_send (router, "bobby", 5, ZMQ_SNDMORE),
                         EHOSTUNREACH);
    /*  After the peer closes, its id is unknown again.  */
    TEST_ASSERT_SUCCESS (zmq_close (dealer));
    int gone = 0;
    for (int i = 0; i < 500 && !gone; i++) {
        int rc = zmq_send (router, "bob", 3, ZMQ_SNDMORE | ZMQ_DONTWAIT);
        if (rc == -1) {
            TEST_ASSERT_EQ_INT (zmq_errno (), EHOSTUNREACH);
            gone = 1;
        } else {
            tu_send_str (router, "x", 0);
            zmq_pollitem_t it = {router, 0, ZMQ_POLLIN, 0};
            zmq_poll (&it, 1, 10);
        }
    }
    TEST_ASSERT (gone);
    TEST_ASSERT_SUCCESS (zmq_close (router));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

/*  ROUTER with CONNECT_ROUTING_ID connecting to a ROUTER: it can address
    the peer by the name it chose, at once.  */
static void test_connect_routing_id (void)
{
    void *ctx = zmq_ctx_new ();
    void *server = zmq_socket (ctx, ZMQ_ROUTER);
    void *client = zmq_socket (ctx, ZMQ_ROUTER);
    char ep[256];
    tu_bind_loopback (server, ep, sizeof ep);
    set_str (client, ZMQ_ROUTING_ID, "cli");
    set_str (client, ZMQ_CONNECT_ROUTING_ID, "srv");
    tu_set_int (client, ZMQ_ROUTER_MANDATORY, 1);
    TEST_ASSERT_SUCCESS (zmq_connect (client, ep));
    tu_set_int (server, ZMQ_RCVTIMEO, 5000);
    tu_set_int (client, ZMQ_RCVTIMEO, 5000);
    tu_send_str (client, "srv", ZMQ_SNDMORE);
    tu_send_str (client, "hello", 0);
    tu_recv_str (server, "cli");
    tu_recv_str (server, "hello");
    tu_send_str (server, "cli", ZMQ_SNDMORE);
    tu_send_str (server, "welcome", 0);
    tu_recv_str (client, "srv");
    tu_recv_str (client, "welcome");
    tu_set_int (client, ZMQ_LINGER, 0);
    tu_set_int (server, ZMQ_LINGER, 0);
    TEST_ASSERT_SUCCESS (zmq_close (client));
    TEST_ASSERT_SUCCESS (zmq_close (server));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

/*  Two peers with the same routing id.  */
static void test_handover (int handover)
{
    void *ctx = zmq_ctx_new ();
    void *router = zmq_socket (ctx, ZMQ_ROUTER);
    void *d1 = zmq_socket (ctx, ZMQ_DEALER);
    void *d2 = zmq_socket (ctx, ZMQ_DEALER);
    if (handover)
        tu_set_int (router, ZMQ_ROUTER_HANDOVER, 1);
    char ep[256];
    tu_bind_loopback (router, ep, sizeof ep);
    set_str (d1, ZMQ_ROUTING_ID, "same");
    set_str (d2, ZMQ_ROUTING_ID, "same");
    tu_set_int (router, ZMQ_RCVTIMEO, 5000);
    tu_set_int (d1, ZMQ_RCVTIMEO, 5000);
    tu_set_int (d2, ZMQ_RCVTIMEO, 5000);
    TEST_ASSERT_SUCCESS (zmq_connect (d1, ep));
    tu_send_str (d1, "from-1", 0);
    tu_recv_str (router, "same");
    tu_recv_str (router, "from-1");
    TEST_ASSERT_SUCCESS (zmq_connect (d2, ep));
    tu_send_str (d2, "from-2", 0);
    if (handover) {
        tu_recv_str (router, "same");
        tu_recv_str (router, "from-2");
        tu_send_str (router, "same", ZMQ_SNDMORE);
        tu_send_str (router, "to-same", 0);
        tu_recv_str (d2, "to-same");
        tu_set_int (d1, ZMQ_RCVTIMEO, 200);
        tu_recv_eagain (d1, 0);
    } else {
        /*  The newcomer is refused: its message never arrives and replies
            still go to the first peer.  */
        tu_set_int (router, ZMQ_RCVTIMEO, 300);
        tu_recv_eagain (router, 0);
        tu_send_str (router, "same", ZMQ_SNDMORE);
        tu_send_str (router, "to-same", 0);
        tu_recv_str (d1, "to-same");
        tu_set_int (d2, ZMQ_RCVTIMEO, 200);
        tu_recv_eagain (d2, 0);
    }
    tu_set_int (d1, ZMQ_LINGER, 0);
    tu_set_int (d2, ZMQ_LINGER, 0);
    tu_set_int (router, ZMQ_LINGER, 0);
    TEST_ASSERT_SUCCESS (zmq_close (d1));
    TEST_ASSERT_SUCCESS (zmq_close (d2));
    TEST_ASSERT_SUCCESS (zmq_close (router));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

/*  PROBE_ROUTER: the connecting side announces itself with an empty
    message, so the ROUTER learns its id before any data.  */
static void test_probe (int tcp)
{
    void *ctx = zmq_ctx_new ();
    void *server = zmq_socket (ctx, ZMQ_ROUTER);
    void *client = zmq_socket (ctx, ZMQ_DEALER);
    char ep[256];
    if (tcp)
        tu_bind_loopback (server, ep, sizeof ep);
    else {
        snprintf (ep, sizeof ep, "inproc://test_router-probe");
        TEST_ASSERT_SUCCESS (zmq_bind (server, ep));
    }
    set_str (client, ZMQ_ROUTING_ID, "probe");
    tu_set_int (client, ZMQ_PROBE_ROUTER, 1);
    TEST_ASSERT_SUCCESS (zmq_connect (client, ep));
    tu_set_int (server, ZMQ_RCVTIMEO, 5000);
    tu_set_int (client, ZMQ_RCVTIMEO, 5000);
    tu_recv_str (server, "probe");
    TEST_ASSERT_EQ_INT (tu_get_int (server, ZMQ_RCVMORE), 1);
    tu_recv_str (server, "");
    TEST_ASSERT_EQ_INT (tu_get_int (server, ZMQ_RCVMORE), 0);
    tu_send_str (server, "probe", ZMQ_SNDMORE);
    tu_send_str (server, "seen", 0);
    tu_recv_str (client, "seen");
    tu_set_int (client, ZMQ_LINGER, 0);
    tu_set_int (server, ZMQ_LINGER, 0);
    TEST_ASSERT_SUCCESS (zmq_close (client));
    TEST_ASSERT_SUCCESS (zmq_close (server));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

int main (void)
{
    tu_begin ("test_router");
    test_routing_id (0);
    test_routing_id (1);
    test_generated_ids ();
    test_mandatory ();
    test_connect_routing_id ();
    test_handover (0);
    test_handover (1);
    test_probe (0);
    test_probe (1);
    return tu_end ();
}
