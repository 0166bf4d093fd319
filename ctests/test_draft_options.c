/*  test_draft_options.c: the libzmq 4.3.5 DRAFT socket options that make
    a socket hear of its connections (zmq_setsockopt(3)):
      ZMQ_ROUTER_NOTIFY   a ROUTER receives [routing id][empty] when a
                          tcp/ipc peer connects (ZMQ_NOTIFY_CONNECT) or goes
                          away (ZMQ_NOTIFY_DISCONNECT); not for inproc;
      ZMQ_HELLO_MSG       the first message every new connection sends
                          (DEALER, ROUTER, CLIENT, SERVER, PEER), inproc too;
      ZMQ_DISCONNECT_MSG  what a ROUTER receives from an accepted peer (or
                          an inproc connecter) that went away;
      ZMQ_HICCUP_MSG      what a DEALER receives when a connection it made
                          drops;
    and zmq_socket_get_peer_state(3) on a ROUTER (draft header only).
    Debian's libzmq 4.3.4 is built without the draft options: there (the
    --reference run) the test checks that they are refused with EINVAL.  */
#include "testutil.h"

#ifndef ZMQ_ROUTER_NOTIFY
#define ZMQ_ROUTER_NOTIFY 97
#define ZMQ_NOTIFY_CONNECT 1
#define ZMQ_NOTIFY_DISCONNECT 2
#endif
#ifndef ZMQ_HELLO_MSG
#define ZMQ_HELLO_MSG 110
#define ZMQ_DISCONNECT_MSG 111
#endif
#ifndef ZMQ_HICCUP_MSG
#define ZMQ_HICCUP_MSG 114
#endif

static void set_str (void *s, int opt, const char *v)
{
    TEST_ASSERT_SUCCESS (zmq_setsockopt (s, opt, v, strlen (v)));
}

/*  Receives [id][body] on a ROUTER and checks both frames.  */
static void recv_from (void *router, const char *id, const char *body)
{
    tu_recv_str (router, id);
    TEST_ASSERT_EQ_INT (tu_get_int (router, ZMQ_RCVMORE), 1);
    tu_recv_str (router, body);
    TEST_ASSERT_EQ_INT (tu_get_int (router, ZMQ_RCVMORE), 0);
}

static void bind_any (void *s, const char *transport, char *ep, size_t n)
{
    if (strcmp (transport, "tcp") == 0)
        tu_bind_loopback (s, ep, n);
    else if (strcmp (transport, "ipc") == 0) {
        TEST_ASSERT_SUCCESS (zmq_bind (s, "ipc://*"));
        tu_last_endpoint (s, ep, n);
    } else {
        static int seq;
        snprintf (ep, n, "inproc://draft-options-%d", seq++);
        TEST_ASSERT_SUCCESS (zmq_bind (s, ep));
    }
}

static void test_refused_without_drafts (void)
{
    void *ctx = zmq_ctx_new ();
    void *router = zmq_socket (ctx, ZMQ_ROUTER);
    int v = ZMQ_NOTIFY_CONNECT;
    TEST_ASSERT_FAILURE (zmq_setsockopt (router, ZMQ_ROUTER_NOTIFY, &v, sizeof v),
                         EINVAL);
    TEST_ASSERT_FAILURE (zmq_setsockopt (router, ZMQ_HELLO_MSG, "h", 1), EINVAL);
    TEST_ASSERT_SUCCESS (zmq_close (router));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

static void test_notify_values (void)
{
    void *ctx = zmq_ctx_new ();
    void *router = zmq_socket (ctx, ZMQ_ROUTER);
    void *dealer = zmq_socket (ctx, ZMQ_DEALER);
    TEST_ASSERT_EQ_INT (tu_get_int (router, ZMQ_ROUTER_NOTIFY), 0);
    int bad[] = {-1, 4, 100};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        TEST_ASSERT_FAILURE (
          zmq_setsockopt (router, ZMQ_ROUTER_NOTIFY, &bad[i], sizeof (int)), EINVAL);
    tu_set_int (router, ZMQ_ROUTER_NOTIFY, ZMQ_NOTIFY_DISCONNECT);
    TEST_ASSERT_EQ_INT (tu_get_int (router, ZMQ_ROUTER_NOTIFY), ZMQ_NOTIFY_DISCONNECT);
    /*  Only a ROUTER takes it; every socket reads it back.  */
    int v = ZMQ_NOTIFY_CONNECT;
    TEST_ASSERT_FAILURE (zmq_setsockopt (dealer, ZMQ_ROUTER_NOTIFY, &v, sizeof v),
                         EINVAL);
    TEST_ASSERT_EQ_INT (tu_get_int (dealer, ZMQ_ROUTER_NOTIFY), 0);
    TEST_ASSERT_SUCCESS (zmq_close (dealer));
    TEST_ASSERT_SUCCESS (zmq_close (router));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

static void test_router_notify (const char *transport)
{
    void *ctx = zmq_ctx_new ();
    void *router = zmq_socket (ctx, ZMQ_ROUTER);
    tu_set_int (router, ZMQ_ROUTER_NOTIFY,
                ZMQ_NOTIFY_CONNECT | ZMQ_NOTIFY_DISCONNECT);
    tu_set_int (router, ZMQ_RCVTIMEO, 5000);
    char ep[256];
    bind_any (router, transport, ep, sizeof ep);

    void *dealer = zmq_socket (ctx, ZMQ_DEALER);
    set_str (dealer, ZMQ_ROUTING_ID, "d1");
    tu_set_int (dealer, ZMQ_LINGER, 0);
    TEST_ASSERT_SUCCESS (zmq_connect (dealer, ep));
    int engine = strcmp (transport, "inproc") != 0;
    if (engine)
        recv_from (router, "d1", "");
    tu_send_str (dealer, "hi", 0);
    recv_from (router, "d1", "hi");
    TEST_ASSERT_SUCCESS (zmq_close (dealer));
    if (engine)
        recv_from (router, "d1", "");
    /*  Nothing more: no notice for inproc, one each for the others.  */
    tu_set_int (router, ZMQ_RCVTIMEO, 100);
    tu_recv_eagain (router, 0);
    TEST_ASSERT_SUCCESS (zmq_close (router));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

/*  A peer dropped in the middle of a multipart message (its second frame
    breaks ZMQ_MAXMSGSIZE): the ROUTER never sees the partial message, only
    the disconnect notice, as a message of its own.  */
static void test_notify_after_partial_message (void)
{
    void *ctx = zmq_ctx_new ();
    void *router = zmq_socket (ctx, ZMQ_ROUTER);
    tu_set_int (router, ZMQ_ROUTER_NOTIFY, ZMQ_NOTIFY_DISCONNECT);
    int64_t maxmsg = 64;
    TEST_ASSERT_SUCCESS (
      zmq_setsockopt (router, ZMQ_MAXMSGSIZE, &maxmsg, sizeof maxmsg));
    tu_set_int (router, ZMQ_RCVTIMEO, 5000);
    char ep[256];
    tu_bind_loopback (router, ep, sizeof ep);
    void *dealer = zmq_socket (ctx, ZMQ_DEALER);
    set_str (dealer, ZMQ_ROUTING_ID, "X");
    tu_set_int (dealer, ZMQ_LINGER, 0);
    TEST_ASSERT_SUCCESS (zmq_connect (dealer, ep));
    char big[128];
    memset (big, '*', sizeof big);
    tu_send_str (dealer, "part one", ZMQ_SNDMORE);
    TEST_ASSERT_EQ_INT (zmq_send (dealer, big, sizeof big, 0), (int) sizeof big);
    recv_from (router, "X", "");
    TEST_ASSERT_SUCCESS (zmq_close (dealer));
    TEST_ASSERT_SUCCESS (zmq_close (router));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

static void test_hello (const char *transport)
{
    void *ctx = zmq_ctx_new ();
    void *router = zmq_socket (ctx, ZMQ_ROUTER);
    set_str (router, ZMQ_HELLO_MSG, "ROUTER-HELLO");
    tu_set_int (router, ZMQ_RCVTIMEO, 5000);
    char ep[256];
    bind_any (router, transport, ep, sizeof ep);

    void *dealer = zmq_socket (ctx, ZMQ_DEALER);
    set_str (dealer, ZMQ_ROUTING_ID, "d2");
    set_str (dealer, ZMQ_HELLO_MSG, "DEALER-HELLO");
    tu_set_int (dealer, ZMQ_RCVTIMEO, 5000);
    TEST_ASSERT_SUCCESS (zmq_connect (dealer, ep));
    /*  The hello comes before what the application sends.  */
    tu_send_str (dealer, "first", 0);
    recv_from (router, "d2", "DEALER-HELLO");
    recv_from (router, "d2", "first");
    tu_recv_str (dealer, "ROUTER-HELLO");
    /*  A PUSH has no hello, even when the option is set.  */
    void *push = zmq_socket (ctx, ZMQ_PUSH);
    set_str (push, ZMQ_HELLO_MSG, "NOPE");
    void *pull = zmq_socket (ctx, ZMQ_PULL);
    tu_set_int (pull, ZMQ_RCVTIMEO, 5000);
    char ep2[256];
    bind_any (pull, transport, ep2, sizeof ep2);
    TEST_ASSERT_SUCCESS (zmq_connect (push, ep2));
    tu_send_str (push, "only", 0);
    tu_recv_str (pull, "only");
    tu_set_int (dealer, ZMQ_LINGER, 0);
    tu_set_int (push, ZMQ_LINGER, 0);
    TEST_ASSERT_SUCCESS (zmq_close (push));
    TEST_ASSERT_SUCCESS (zmq_close (pull));
    TEST_ASSERT_SUCCESS (zmq_close (dealer));
    TEST_ASSERT_SUCCESS (zmq_close (router));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

static void test_disconnect_msg (const char *transport, int use_disconnect)
{
    void *ctx = zmq_ctx_new ();
    void *router = zmq_socket (ctx, ZMQ_ROUTER);
    set_str (router, ZMQ_DISCONNECT_MSG, "BYE");
    tu_set_int (router, ZMQ_RCVTIMEO, 5000);
    char ep[256];
    bind_any (router, transport, ep, sizeof ep);

    /*  A peer that goes away (closes, or disconnects): the ROUTER gets BYE
        from it, after what it sent.  */
    void *d1 = zmq_socket (ctx, ZMQ_DEALER);
    set_str (d1, ZMQ_ROUTING_ID, "d1");
    TEST_ASSERT_SUCCESS (zmq_connect (d1, ep));
    tu_send_str (d1, "one", 0);
    recv_from (router, "d1", "one");
    if (use_disconnect)
        TEST_ASSERT_SUCCESS (zmq_disconnect (d1, ep));
    else
        TEST_ASSERT_SUCCESS (zmq_close (d1));
    recv_from (router, "d1", "BYE");
    if (use_disconnect)
        TEST_ASSERT_SUCCESS (zmq_close (d1));
    TEST_ASSERT_SUCCESS (zmq_close (router));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

/*  Over inproc, a connect made before the bind learns the binder's
    ZMQ_DISCONNECT_MSG when the bind comes.  */
static void test_disconnect_msg_connect_first (void)
{
    void *ctx = zmq_ctx_new ();
    void *d1 = zmq_socket (ctx, ZMQ_DEALER);
    set_str (d1, ZMQ_ROUTING_ID, "early");
    TEST_ASSERT_SUCCESS (zmq_connect (d1, "inproc://draft-options-early"));
    void *router = zmq_socket (ctx, ZMQ_ROUTER);
    set_str (router, ZMQ_DISCONNECT_MSG, "BYE");
    tu_set_int (router, ZMQ_RCVTIMEO, 5000);
    TEST_ASSERT_SUCCESS (zmq_bind (router, "inproc://draft-options-early"));
    tu_send_str (d1, "one", 0);
    recv_from (router, "early", "one");
    TEST_ASSERT_SUCCESS (zmq_close (d1));
    recv_from (router, "early", "BYE");
    TEST_ASSERT_SUCCESS (zmq_close (router));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

/*  A connection the DEALER made that drops: it gets HICCUP.  */
static void test_hiccup (const char *transport)
{
    void *ctx = zmq_ctx_new ();
    void *router = zmq_socket (ctx, ZMQ_ROUTER);
    tu_set_int (router, ZMQ_RCVTIMEO, 5000);
    char ep[256];
    bind_any (router, transport, ep, sizeof ep);
    void *d2 = zmq_socket (ctx, ZMQ_DEALER);
    set_str (d2, ZMQ_ROUTING_ID, "d2");
    set_str (d2, ZMQ_HICCUP_MSG, "HICCUP");
    tu_set_int (d2, ZMQ_RCVTIMEO, 5000);
    tu_set_int (d2, ZMQ_LINGER, 0);
    TEST_ASSERT_SUCCESS (zmq_connect (d2, ep));
    tu_send_str (d2, "two", 0);
    recv_from (router, "d2", "two");
    tu_send_str (router, "d2", ZMQ_SNDMORE);
    tu_send_str (router, "back", 0);
    tu_recv_str (d2, "back");
    TEST_ASSERT_SUCCESS (zmq_close (router));
    tu_recv_str (d2, "HICCUP");
    TEST_ASSERT_SUCCESS (zmq_close (d2));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

#ifdef ZMQ_BUILD_DRAFT_API
/*  The same options on the thread-safe draft types: a CLIENT's hello and
    hiccup, a SERVER's disconnect message (libzmq's own usage).  */
static void test_client_server (const char *transport)
{
    void *ctx = zmq_ctx_new ();
    void *server = zmq_socket (ctx, ZMQ_SERVER);
    set_str (server, ZMQ_DISCONNECT_MSG, "D");
    tu_set_int (server, ZMQ_RCVTIMEO, 5000);
    char ep[256];
    bind_any (server, transport, ep, sizeof ep);
    void *client = zmq_socket (ctx, ZMQ_CLIENT);
    set_str (client, ZMQ_HELLO_MSG, "H");
    TEST_ASSERT_SUCCESS (zmq_connect (client, ep));
    tu_recv_str (server, "H");
    TEST_ASSERT_SUCCESS (zmq_close (client));
    tu_recv_str (server, "D");

    if (strcmp (transport, "inproc") != 0) {
        void *c2 = zmq_socket (ctx, ZMQ_CLIENT);
        set_str (c2, ZMQ_HELLO_MSG, "H2");
        set_str (c2, ZMQ_HICCUP_MSG, "HICCUP");
        tu_set_int (c2, ZMQ_RCVTIMEO, 5000);
        tu_set_int (c2, ZMQ_LINGER, 0);
        TEST_ASSERT_SUCCESS (zmq_connect (c2, ep));
        tu_recv_str (server, "H2");
        TEST_ASSERT_SUCCESS (zmq_close (server));
        tu_recv_str (c2, "HICCUP");
        TEST_ASSERT_SUCCESS (zmq_close (c2));
    } else
        TEST_ASSERT_SUCCESS (zmq_close (server));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}
#endif

#ifdef ZMQ_BUILD_DRAFT_API
/*  zmq_socket_get_peer_state(3): a ROUTER tells whether the peer of a
    routing id can take a message (ZMQ_POLLOUT) or is at its HWM (0).  */
static void test_peer_state (const char *transport)
{
    void *ctx = zmq_ctx_new ();
    void *router = zmq_socket (ctx, ZMQ_ROUTER);
    tu_set_int (router, ZMQ_ROUTER_MANDATORY, 1);
    tu_set_int (router, ZMQ_SNDHWM, 10);
    tu_set_int (router, ZMQ_RCVTIMEO, 5000);
    /*  Small kernel buffers, so that over tcp and ipc the idle peer's
        backlog fills after a bounded number of messages.  */
    tu_set_int (router, ZMQ_SNDBUF, 4096);
    char ep[256];
    bind_any (router, transport, ep, sizeof ep);
    void *reader = zmq_socket (ctx, ZMQ_DEALER);
    void *idle = zmq_socket (ctx, ZMQ_DEALER);
    set_str (reader, ZMQ_ROUTING_ID, "R");
    set_str (idle, ZMQ_ROUTING_ID, "I");
    tu_set_int (idle, ZMQ_RCVHWM, 10);
    tu_set_int (idle, ZMQ_RCVBUF, 4096);
    tu_set_int (reader, ZMQ_LINGER, 0);
    tu_set_int (idle, ZMQ_LINGER, 0);
    TEST_ASSERT_SUCCESS (zmq_connect (reader, ep));
    TEST_ASSERT_SUCCESS (zmq_connect (idle, ep));
    tu_send_str (reader, "hi", 0);
    recv_from (router, "R", "hi");
    tu_send_str (idle, "hi", 0);
    recv_from (router, "I", "hi");

    TEST_ASSERT_FAILURE (zmq_socket_get_peer_state (router, "nobody", 6),
                         EHOSTUNREACH);
    TEST_ASSERT_FAILURE (zmq_socket_get_peer_state (router, NULL, 1), EFAULT);
    TEST_ASSERT_FAILURE (zmq_socket_get_peer_state (reader, "I", 1), ENOTSUP);
    TEST_ASSERT_EQ_INT (zmq_socket_get_peer_state (router, "R", 1), ZMQ_POLLOUT);

    /*  Fill the idle peer: once it reports 0, a send to it is EAGAIN
        (ZMQ_ROUTER_MANDATORY), and the other peer is still writable.  */
    /*  The I/O thread may still move queued messages into the kernel's
        buffers after the state first reads 0, making room again: only a
        send refused with EAGAIN right after a 0 ends the filling.  */
    int sent = 0, full = 0;
    while (!full) {
        TEST_ASSERT (sent < 1000000);
        int st = zmq_socket_get_peer_state (router, "I", 1);
        TEST_ASSERT (st == 0 || st == ZMQ_POLLOUT);
        if (st == 0
            && zmq_send (router, "I", 1, ZMQ_SNDMORE | ZMQ_DONTWAIT) == -1) {
            TEST_ASSERT_EQ_INT (zmq_errno (), EAGAIN);
            full = 1;
            continue;
        }
        if (st != 0)
            tu_send_str (router, "I", ZMQ_SNDMORE | ZMQ_DONTWAIT);
        tu_send_str (router, "data", ZMQ_DONTWAIT);
        sent++;
    }
    TEST_ASSERT (sent >= 10);
    TEST_ASSERT_EQ_INT (zmq_socket_get_peer_state (router, "R", 1), ZMQ_POLLOUT);
    tu_send_str (router, "R", ZMQ_SNDMORE | ZMQ_DONTWAIT);
    tu_send_str (router, "fine", ZMQ_DONTWAIT);
    tu_set_int (reader, ZMQ_RCVTIMEO, 5000);
    tu_recv_str (reader, "fine");

    TEST_ASSERT_SUCCESS (zmq_close (reader));
    TEST_ASSERT_SUCCESS (zmq_close (idle));
    TEST_ASSERT_SUCCESS (zmq_close (router));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}
#endif

int main (void)
{
    tu_begin ("test_draft_options");
    int major, minor, patch;
    zmq_version (&major, &minor, &patch);
    if (major == 4 && minor == 3 && patch < 5) {
        test_refused_without_drafts ();
        return tu_end ();
    }
    test_notify_values ();
    const char *transports[] = {"tcp", "ipc", "inproc"};
    for (int i = 0; i < 3; i++) {
        test_router_notify (transports[i]);
        test_hello (transports[i]);
    }
    test_notify_after_partial_message ();
    for (int i = 0; i < 3; i++) {
        test_disconnect_msg (transports[i], 0);
        test_disconnect_msg (transports[i], 1);
    }
    test_disconnect_msg_connect_first ();
    test_hiccup ("tcp");
    test_hiccup ("ipc");
#ifdef ZMQ_BUILD_DRAFT_API
    for (int i = 0; i < 3; i++) {
        test_client_server (transports[i]);
        test_peer_state (transports[i]);
    }
    TEST_ASSERT_FAILURE (zmq_socket_get_peer_state (NULL, "x", 1), ENOTSOCK);
#endif
    return tu_end ();
}
