/*  test_monitor.c: zmq_socket_monitor(3): the events of a connecting
    DEALER (CONNECT_DELAYED, CONNECTED, HANDSHAKE_SUCCEEDED, DISCONNECTED,
    CONNECT_RETRIED) and of a binding ROUTER (LISTENING, ACCEPTED,
    HANDSHAKE_SUCCEEDED, CLOSED), MONITOR_STOPPED, the two-frame format
    (uint16 event + uint32 value; endpoint), the event filter, the errors
    (EPROTONOSUPPORT for a non-inproc address), and, with the draft API,
    zmq_socket_monitor_versioned's v2 format (over tcp, and over ipc with
    the connecting end unnamed, "ipc://").  Checked against Debian's
    libzmq 4.3.4.  */
#include "testutil.h"

#include <stdint.h>
#include <unistd.h>

/*  Receive one v1 event: returns the event number, stores value and
    endpoint; returns -1 on timeout (the monitor PAIR has a RCVTIMEO).  */
static int get_event (void *mon, uint32_t *value, char *ep, size_t n)
{
    zmq_msg_t m;
    zmq_msg_init (&m);
    if (zmq_msg_recv (&m, mon, 0) == -1) {
        TEST_ASSERT_EQ_INT (zmq_errno (), EAGAIN);
        zmq_msg_close (&m);
        return -1;
    }
    TEST_ASSERT_EQ_INT (zmq_msg_size (&m), 6);
    TEST_ASSERT (zmq_msg_more (&m));
    const uint8_t *d = (const uint8_t *) zmq_msg_data (&m);
    uint16_t ev;
    uint32_t v;
    memcpy (&ev, d, 2);
    memcpy (&v, d + 2, 4);
    zmq_msg_close (&m);
    zmq_msg_init (&m);
    TEST_ASSERT_SUCCESS (zmq_msg_recv (&m, mon, 0));
    TEST_ASSERT (!zmq_msg_more (&m));
    size_t len = zmq_msg_size (&m);
    TEST_ASSERT (len < n);
    memcpy (ep, zmq_msg_data (&m), len);
    ep[len] = '\0';
    zmq_msg_close (&m);
    if (value)
        *value = v;
    return ev;
}

/*  The next event must be `want` with endpoint `want_ep`.  */
static uint32_t expect_event (void *mon, int want, const char *want_ep)
{
    uint32_t v = 0;
    char ep[256];
    int ev = get_event (mon, &v, ep, sizeof ep);
    TEST_ASSERT_MSG (ev == want, "event 0x%x, expected 0x%x", ev, want);
    TEST_ASSERT_EQ_STR (ep, want_ep);
    return v;
}

static void *open_monitor (void *ctx, void *s, const char *addr, int events)
{
    TEST_ASSERT_SUCCESS (zmq_socket_monitor (s, addr, events));
    void *mon = zmq_socket (ctx, ZMQ_PAIR);
    TEST_ASSERT (mon);
    tu_set_int (mon, ZMQ_LINGER, 0);
    tu_set_int (mon, ZMQ_RCVTIMEO, 5000);
    TEST_ASSERT_SUCCESS (zmq_connect (mon, addr));
    return mon;
}

static void test_events (void)
{
    void *ctx = zmq_ctx_new ();
    void *router = zmq_socket (ctx, ZMQ_ROUTER);
    void *dealer = zmq_socket (ctx, ZMQ_DEALER);
    tu_set_int (router, ZMQ_LINGER, 0);
    tu_set_int (dealer, ZMQ_LINGER, 0);
    tu_set_int (dealer, ZMQ_RECONNECT_IVL, 77);
    void *rmon =
      open_monitor (ctx, router, "inproc://test_monitor-r", ZMQ_EVENT_ALL);
    void *dmon =
      open_monitor (ctx, dealer, "inproc://test_monitor-d", ZMQ_EVENT_ALL);

    char ep[256];
    tu_bind_loopback (router, ep, sizeof ep);
    TEST_ASSERT_SUCCESS (zmq_connect (dealer, ep));
    tu_set_int (router, ZMQ_RCVTIMEO, 5000);
    tu_send_str (dealer, "x", 0);
    char id[64];
    TEST_ASSERT (zmq_recv (router, id, sizeof id, 0) > 0);
    tu_recv_str (router, "x");

    /*  Binder: LISTENING and ACCEPTED carry the fd (> 2 here).  */
    uint32_t v = expect_event (rmon, ZMQ_EVENT_LISTENING, ep);
    TEST_ASSERT (v > 2 && v < 65536);
    uint32_t accepted_fd = expect_event (rmon, ZMQ_EVENT_ACCEPTED, ep);
    TEST_ASSERT (accepted_fd > 2 && accepted_fd != v);
    TEST_ASSERT_EQ_INT (expect_event (rmon, ZMQ_EVENT_HANDSHAKE_SUCCEEDED, ep),
                        0);

    /*  Connecter: CONNECT_DELAYED (value EINPROGRESS), CONNECTED (fd).  */
    TEST_ASSERT_EQ_INT (expect_event (dmon, ZMQ_EVENT_CONNECT_DELAYED, ep),
                        EINPROGRESS);
    v = expect_event (dmon, ZMQ_EVENT_CONNECTED, ep);
    TEST_ASSERT (v > 2 && v < 65536);
    TEST_ASSERT_EQ_INT (expect_event (dmon, ZMQ_EVENT_HANDSHAKE_SUCCEEDED, ep),
                        0);

    /*  Nothing more while idle.  */
    tu_set_int (rmon, ZMQ_RCVTIMEO, 100);
    tu_set_int (dmon, ZMQ_RCVTIMEO, 100);
    char buf[256];
    TEST_ASSERT_EQ_INT (get_event (rmon, NULL, buf, sizeof buf), -1);
    TEST_ASSERT_EQ_INT (get_event (dmon, NULL, buf, sizeof buf), -1);
    tu_set_int (rmon, ZMQ_RCVTIMEO, 5000);
    tu_set_int (dmon, ZMQ_RCVTIMEO, 5000);

    /*  Unbind: CLOSED with the listener's endpoint (the listener's fd).  */
    TEST_ASSERT_SUCCESS (zmq_unbind (router, ep));
    expect_event (rmon, ZMQ_EVENT_CLOSED, ep);

    /*  Stop monitoring the router: MONITOR_STOPPED, empty endpoint.  */
    TEST_ASSERT_SUCCESS (zmq_socket_monitor (router, NULL, 0));
    TEST_ASSERT_EQ_INT (expect_event (rmon, ZMQ_EVENT_MONITOR_STOPPED, ""),
                        0);

    /*  The router goes: the dealer sees DISCONNECTED (its fd), then
        CONNECT_RETRIED with the reconnect interval.  */
    TEST_ASSERT_SUCCESS (zmq_close (router));
    TEST_ASSERT_EQ_INT (expect_event (dmon, ZMQ_EVENT_DISCONNECTED, ep), v);
    /*  The retry value is the interval chosen, at least
        ZMQ_RECONNECT_IVL (libzmq adds a random part below it).  */
    v = expect_event (dmon, ZMQ_EVENT_CONNECT_RETRIED, ep);
    TEST_ASSERT_MSG (v >= 77 && v < 2 * 77, "CONNECT_RETRIED value %u",
                     (unsigned) v);

    /*  Closing the monitored socket ends with MONITOR_STOPPED.  */
    TEST_ASSERT_SUCCESS (zmq_close (dealer));
    int ev;
    do {
        ev = get_event (dmon, &v, buf, sizeof buf);
        TEST_ASSERT (ev != -1);
        /*  Reconnect attempts may still show up before it stops.  */
    } while (ev != ZMQ_EVENT_MONITOR_STOPPED);

    TEST_ASSERT_SUCCESS (zmq_close (rmon));
    TEST_ASSERT_SUCCESS (zmq_close (dmon));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

/*  Only the requested events arrive.  */
static void test_filter (void)
{
    void *ctx = zmq_ctx_new ();
    void *rep = zmq_socket (ctx, ZMQ_REP);
    void *req = zmq_socket (ctx, ZMQ_REQ);
    tu_set_int (rep, ZMQ_LINGER, 0);
    tu_set_int (req, ZMQ_LINGER, 0);
    void *mon = open_monitor (ctx, rep, "inproc://test_monitor-filter",
                              ZMQ_EVENT_ACCEPTED | ZMQ_EVENT_CLOSED);
    char ep[256];
    tu_bind_loopback (rep, ep, sizeof ep);
    TEST_ASSERT_SUCCESS (zmq_connect (req, ep));
    tu_set_int (rep, ZMQ_RCVTIMEO, 5000);
    tu_set_int (req, ZMQ_RCVTIMEO, 5000);
    tu_send_str (req, "q", 0);
    tu_recv_str (rep, "q");
    tu_send_str (rep, "a", 0);
    tu_recv_str (req, "a");
    expect_event (mon, ZMQ_EVENT_ACCEPTED, ep);
    TEST_ASSERT_SUCCESS (zmq_unbind (rep, ep));
    expect_event (mon, ZMQ_EVENT_CLOSED, ep);
    tu_set_int (mon, ZMQ_RCVTIMEO, 100);
    char buf[256];
    TEST_ASSERT_EQ_INT (get_event (mon, NULL, buf, sizeof buf), -1);

    TEST_ASSERT_SUCCESS (zmq_close (req));
    TEST_ASSERT_SUCCESS (zmq_close (rep));
    TEST_ASSERT_SUCCESS (zmq_close (mon));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

static void test_errors (void)
{
    void *ctx = zmq_ctx_new ();
    void *s = zmq_socket (ctx, ZMQ_DEALER);
    TEST_ASSERT_FAILURE (zmq_socket_monitor (s, "tcp://127.0.0.1:5555",
                                             ZMQ_EVENT_ALL),
                         EPROTONOSUPPORT);
    TEST_ASSERT_FAILURE (
      zmq_socket_monitor (s, "ipc:///tmp/test_monitor-x", ZMQ_EVENT_ALL),
      EPROTONOSUPPORT);
    /*  Stopping a monitor that never started is fine.  */
    TEST_ASSERT_SUCCESS (zmq_socket_monitor (s, NULL, 0));
    TEST_ASSERT_FAILURE (zmq_socket_monitor (NULL, "inproc://x", 0),
                         ENOTSOCK);
    /*  Inproc monitor on an inproc connection: ACCEPTED is tcp/ipc only;
        nothing shows up at all for inproc.  */
    void *mon = open_monitor (ctx, s, "inproc://test_monitor-err",
                              ZMQ_EVENT_ALL);
    void *peer = zmq_socket (ctx, ZMQ_DEALER);
    TEST_ASSERT_SUCCESS (zmq_bind (peer, "inproc://test_monitor-peer"));
    TEST_ASSERT_SUCCESS (zmq_connect (s, "inproc://test_monitor-peer"));
    tu_set_int (mon, ZMQ_RCVTIMEO, 100);
    char buf[256];
    TEST_ASSERT_EQ_INT (get_event (mon, NULL, buf, sizeof buf), -1);
    TEST_ASSERT_SUCCESS (zmq_close (peer));
    TEST_ASSERT_SUCCESS (zmq_close (s));
    TEST_ASSERT_SUCCESS (zmq_close (mon));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

#ifdef ZMQ_BUILD_DRAFT_API
/*  v2: frame 1 the 8-byte event, frame 2 the value count, then the values
    (8 bytes each), then the local and the remote endpoint.  */
static uint64_t get_event_v2 (void *mon, uint64_t *value, char *local,
                              char *remote)
{
    zmq_msg_t m;
    zmq_msg_init (&m);
    TEST_ASSERT_SUCCESS (zmq_msg_recv (&m, mon, 0));
    TEST_ASSERT_EQ_INT (zmq_msg_size (&m), 8);
    uint64_t ev;
    memcpy (&ev, zmq_msg_data (&m), 8);
    TEST_ASSERT (zmq_msg_more (&m));
    TEST_ASSERT_SUCCESS (zmq_msg_recv (&m, mon, 0));
    TEST_ASSERT_EQ_INT (zmq_msg_size (&m), 8);
    uint64_t count;
    memcpy (&count, zmq_msg_data (&m), 8);
    TEST_ASSERT_EQ_INT (count, 1);
    TEST_ASSERT_SUCCESS (zmq_msg_recv (&m, mon, 0));
    TEST_ASSERT_EQ_INT (zmq_msg_size (&m), 8);
    memcpy (value, zmq_msg_data (&m), 8);
    TEST_ASSERT_SUCCESS (zmq_msg_recv (&m, mon, 0));
    size_t n = zmq_msg_size (&m);
    TEST_ASSERT (n < 256);
    memcpy (local, zmq_msg_data (&m), n);
    local[n] = '\0';
    TEST_ASSERT (zmq_msg_more (&m));
    TEST_ASSERT_SUCCESS (zmq_msg_recv (&m, mon, 0));
    n = zmq_msg_size (&m);
    TEST_ASSERT (n < 256);
    memcpy (remote, zmq_msg_data (&m), n);
    remote[n] = '\0';
    TEST_ASSERT (!zmq_msg_more (&m));
    zmq_msg_close (&m);
    return ev;
}

static void test_versioned (void)
{
    void *ctx = zmq_ctx_new ();
    void *server = zmq_socket (ctx, ZMQ_DEALER);
    void *client = zmq_socket (ctx, ZMQ_DEALER);
    tu_set_int (server, ZMQ_LINGER, 0);
    tu_set_int (client, ZMQ_LINGER, 0);
    TEST_ASSERT_FAILURE (zmq_socket_monitor_versioned (
                           client, "inproc://test_monitor-v3", 0, 3, ZMQ_PAIR),
                         EINVAL);
    TEST_ASSERT_SUCCESS (zmq_socket_monitor_versioned (
      client, "inproc://test_monitor-v2", ZMQ_EVENT_ALL_V2, 2, ZMQ_PAIR));
    void *mon = zmq_socket (ctx, ZMQ_PAIR);
    tu_set_int (mon, ZMQ_RCVTIMEO, 5000);
    tu_set_int (mon, ZMQ_LINGER, 0);
    TEST_ASSERT_SUCCESS (zmq_connect (mon, "inproc://test_monitor-v2"));
    char ep[256];
    tu_bind_loopback (server, ep, sizeof ep);
    TEST_ASSERT_SUCCESS (zmq_connect (client, ep));

    uint64_t v;
    char local[256], remote[256];
    uint64_t ev = get_event_v2 (mon, &v, local, remote);
    TEST_ASSERT_EQ_INT (ev, ZMQ_EVENT_CONNECT_DELAYED);
    TEST_ASSERT_EQ_STR (remote, ep);
    ev = get_event_v2 (mon, &v, local, remote);
    TEST_ASSERT_EQ_INT (ev, ZMQ_EVENT_CONNECTED);
    TEST_ASSERT_EQ_STR (remote, ep);
    TEST_ASSERT (strncmp (local, "tcp://127.0.0.1:", 16) == 0);
    TEST_ASSERT (strcmp (local, ep) != 0);
    ev = get_event_v2 (mon, &v, local, remote);
    TEST_ASSERT_EQ_INT (ev, ZMQ_EVENT_HANDSHAKE_SUCCEEDED);
    TEST_ASSERT_EQ_STR (remote, ep);

    TEST_ASSERT_SUCCESS (zmq_close (client));
    TEST_ASSERT_SUCCESS (zmq_close (server));
    TEST_ASSERT_SUCCESS (zmq_close (mon));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}
/*  v2 over ipc: the connecting end is unnamed ("ipc://"), the accepted
    end has the bound path, as libzmq names them from the connection.  */
static void test_versioned_ipc (void)
{
    void *ctx = zmq_ctx_new ();
    void *server = zmq_socket (ctx, ZMQ_DEALER);
    void *client = zmq_socket (ctx, ZMQ_DEALER);
    tu_set_int (server, ZMQ_LINGER, 0);
    tu_set_int (client, ZMQ_LINGER, 0);
    TEST_ASSERT_SUCCESS (zmq_socket_monitor_versioned (
      client, "inproc://test_monitor-ipc-c", ZMQ_EVENT_CONNECTED, 2, ZMQ_PAIR));
    TEST_ASSERT_SUCCESS (zmq_socket_monitor_versioned (
      server, "inproc://test_monitor-ipc-s", ZMQ_EVENT_ACCEPTED, 2, ZMQ_PAIR));
    void *cmon = zmq_socket (ctx, ZMQ_PAIR);
    void *smon = zmq_socket (ctx, ZMQ_PAIR);
    void *mons[2] = {cmon, smon};
    for (int i = 0; i < 2; i++) {
        tu_set_int (mons[i], ZMQ_RCVTIMEO, 5000);
        tu_set_int (mons[i], ZMQ_LINGER, 0);
    }
    TEST_ASSERT_SUCCESS (zmq_connect (cmon, "inproc://test_monitor-ipc-c"));
    TEST_ASSERT_SUCCESS (zmq_connect (smon, "inproc://test_monitor-ipc-s"));
    char ep[256];
    snprintf (ep, sizeof ep, "ipc:///tmp/test_monitor-%d", (int) getpid ());
    TEST_ASSERT_SUCCESS (zmq_bind (server, ep));
    TEST_ASSERT_SUCCESS (zmq_connect (client, ep));

    uint64_t v;
    char local[256], remote[256];
    TEST_ASSERT_EQ_INT (get_event_v2 (cmon, &v, local, remote),
                        ZMQ_EVENT_CONNECTED);
    TEST_ASSERT_EQ_STR (local, "ipc://");
    TEST_ASSERT_EQ_STR (remote, ep);
    TEST_ASSERT_EQ_INT (get_event_v2 (smon, &v, local, remote),
                        ZMQ_EVENT_ACCEPTED);
    TEST_ASSERT_EQ_STR (local, ep);
    TEST_ASSERT_EQ_STR (remote, "ipc://");

    TEST_ASSERT_SUCCESS (zmq_close (client));
    TEST_ASSERT_SUCCESS (zmq_close (server));
    TEST_ASSERT_SUCCESS (zmq_close (cmon));
    TEST_ASSERT_SUCCESS (zmq_close (smon));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}
#endif

int main (void)
{
    tu_begin ("test_monitor");
    test_events ();
    test_filter ();
    test_errors ();
#ifdef ZMQ_BUILD_DRAFT_API
    test_versioned ();
    test_versioned_ipc ();
#endif
    return tu_end ();
}
