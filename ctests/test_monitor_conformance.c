/*  test_monitor_conformance.c: zmq_socket_monitor(3) details beyond
    test_monitor.c, each found by comparing our events with Debian's
    libzmq 4.3.4 event by event:
      - zmq_close of a bound socket reports each listener CLOSED (the fd
        LISTENING gave, the bound endpoint) before MONITOR_STOPPED, over
        tcp and ipc (as zmq_socket_monitor(3)'s example expects);
      - an accepted connection's events name the address the peer
        reached ("tcp://127.0.0.1:port"), not the wildcard bound
        ("tcp://0.0.0.0:port", which LISTENING and CLOSED name);
      - an ipc connect that fails at once (no such file) reports the OS
        socket CLOSED before each CONNECT_RETRIED;
      - CONNECT_RETRIED's value is the wait chosen: the current interval
        plus a random part below ZMQ_RECONNECT_IVL, the interval doubling
        up to ZMQ_RECONNECT_IVL_MAX, which is ignored when not above
        ZMQ_RECONNECT_IVL;
      - a version 1 event mask with bits above ZMQ_EVENT_ALL is EINVAL,
        checked before anything else, even for a NULL endpoint;
      - with the draft API: a v2 ACCEPTED carries the connection's own and
        peer addresses.
    Stable parts pass on Debian's libzmq 4.3.4.  */
#include "testutil.h"

#include <stdint.h>
#include <unistd.h>

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
    uint16_t ev;
    uint32_t v;
    memcpy (&ev, zmq_msg_data (&m), 2);
    memcpy (&v, (const char *) zmq_msg_data (&m) + 2, 4);
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

static uint32_t expect_event (void *mon, int want, const char *want_ep)
{
    uint32_t v = 0;
    char ep[256];
    int ev = get_event (mon, &v, ep, sizeof ep);
    TEST_ASSERT_MSG (ev == want, "event 0x%x, expected 0x%x", ev, want);
    if (want_ep)
        TEST_ASSERT_EQ_STR (ep, want_ep);
    return v;
}

static void *open_monitor (void *ctx, void *s, int events)
{
    static int n = 0;
    char addr[64];
    snprintf (addr, sizeof addr, "inproc://monitor-conf-%d", n++);
    TEST_ASSERT_SUCCESS (zmq_socket_monitor (s, addr, events));
    void *mon = zmq_socket (ctx, ZMQ_PAIR);
    TEST_ASSERT (mon);
    tu_set_int (mon, ZMQ_LINGER, 0);
    tu_set_int (mon, ZMQ_RCVTIMEO, 5000);
    TEST_ASSERT_SUCCESS (zmq_connect (mon, addr));
    return mon;
}

static void *new_socket (void *ctx, int type)
{
    void *s = zmq_socket (ctx, type);
    TEST_ASSERT (s);
    tu_set_int (s, ZMQ_LINGER, 0);
    return s;
}

static void bounce (void *a, void *b)
{
    tu_set_int (b, ZMQ_RCVTIMEO, 5000);
    tu_send_str (a, "ping", 0);
    tu_recv_str (b, "ping");
}

/*  The binder's events, then zmq_close: CLOSED (listener) before
    MONITOR_STOPPED; the accepted connection is not DISCONNECTED.  */
static void close_bound (void *ctx, const char *bind_ep)
{
    printf ("# close of a socket bound to %s\n", bind_ep);
    void *server = new_socket (ctx, ZMQ_DEALER);
    void *client = new_socket (ctx, ZMQ_DEALER);
    void *mon = open_monitor (ctx, server, ZMQ_EVENT_ALL);
    TEST_ASSERT_SUCCESS (zmq_bind (server, bind_ep));
    char ep[256];
    tu_last_endpoint (server, ep, sizeof ep);
    TEST_ASSERT_SUCCESS (zmq_connect (client, ep));
    bounce (client, server);
    uint32_t listen_fd = expect_event (mon, ZMQ_EVENT_LISTENING, ep);
    expect_event (mon, ZMQ_EVENT_ACCEPTED, ep);
    expect_event (mon, ZMQ_EVENT_HANDSHAKE_SUCCEEDED, ep);
    TEST_ASSERT_SUCCESS (zmq_close (server));
    TEST_ASSERT_EQ_INT (expect_event (mon, ZMQ_EVENT_CLOSED, ep), listen_fd);
    TEST_ASSERT_EQ_INT (expect_event (mon, ZMQ_EVENT_MONITOR_STOPPED, ""), 0);
    tu_set_int (mon, ZMQ_RCVTIMEO, 100);
    char buf[256];
    TEST_ASSERT_EQ_INT (get_event (mon, NULL, buf, sizeof buf), -1);
    TEST_ASSERT_SUCCESS (zmq_close (client));
    TEST_ASSERT_SUCCESS (zmq_close (mon));
}

static void test_close_bound (void *ctx)
{
    close_bound (ctx, "tcp://127.0.0.1:*");
    char path[128];
    snprintf (path, sizeof path, "ipc:///tmp/test_monitor_conformance-%d",
              (int) getpid ());
    close_bound (ctx, path);
}

/*  Bound to the wildcard, reached through 127.0.0.1.  */
static void test_wildcard_names (void *ctx)
{
    void *server = new_socket (ctx, ZMQ_DEALER);
    void *client = new_socket (ctx, ZMQ_DEALER);
    void *mon = open_monitor (ctx, server, ZMQ_EVENT_ALL);
    TEST_ASSERT_SUCCESS (zmq_bind (server, "tcp://*:*"));
    char ep[256];
    tu_last_endpoint (server, ep, sizeof ep);
    TEST_ASSERT (strncmp (ep, "tcp://0.0.0.0:", 14) == 0);
    char reached[256];
    snprintf (reached, sizeof reached, "tcp://127.0.0.1:%.16s",
              ep + strlen ("tcp://0.0.0.0:"));
    TEST_ASSERT_SUCCESS (zmq_connect (client, reached));
    bounce (client, server);
    expect_event (mon, ZMQ_EVENT_LISTENING, ep);
    expect_event (mon, ZMQ_EVENT_ACCEPTED, reached);
    expect_event (mon, ZMQ_EVENT_HANDSHAKE_SUCCEEDED, reached);
    /*  The peer goes: DISCONNECTED names the connection too.  */
    TEST_ASSERT_SUCCESS (zmq_close (client));
    expect_event (mon, ZMQ_EVENT_DISCONNECTED, reached);
    TEST_ASSERT_SUCCESS (zmq_close (server));
    expect_event (mon, ZMQ_EVENT_CLOSED, ep);
    expect_event (mon, ZMQ_EVENT_MONITOR_STOPPED, "");
    TEST_ASSERT_SUCCESS (zmq_close (mon));
}

/*  No file at the ipc path: the connect fails at once, each attempt
    reports its OS socket closed, then the retry.  */
static void test_ipc_connect_fails (void *ctx)
{
    char ep[128];
    snprintf (ep, sizeof ep, "ipc:///tmp/test_monitor_conformance-none-%d",
              (int) getpid ());
    void *client = new_socket (ctx, ZMQ_DEALER);
    tu_set_int (client, ZMQ_RECONNECT_IVL, 20);
    void *mon = open_monitor (ctx, client, ZMQ_EVENT_ALL);
    TEST_ASSERT_SUCCESS (zmq_connect (client, ep));
    for (int i = 0; i < 3; i++) {
        uint32_t fd = expect_event (mon, ZMQ_EVENT_CLOSED, ep);
        TEST_ASSERT (fd > 2 && fd < 65536);
        uint32_t v = expect_event (mon, ZMQ_EVENT_CONNECT_RETRIED, ep);
        TEST_ASSERT_MSG (v >= 20 && v < 40, "CONNECT_RETRIED value %u",
                         (unsigned) v);
    }
    TEST_ASSERT_SUCCESS (zmq_close (client));
    TEST_ASSERT_SUCCESS (zmq_close (mon));
}

/*  The CONNECT_RETRIED values of a connect to a port nobody listens on.  */
static void retries (void *ctx, int ivl, int ivl_max, const int *low, int n)
{
    printf ("# reconnect ivl %d max %d\n", ivl, ivl_max);
    void *tmp = new_socket (ctx, ZMQ_DEALER);
    char ep[256];
    tu_bind_loopback (tmp, ep, sizeof ep);
    TEST_ASSERT_SUCCESS (zmq_close (tmp));
    void *client = new_socket (ctx, ZMQ_DEALER);
    tu_set_int (client, ZMQ_RECONNECT_IVL, ivl);
    tu_set_int (client, ZMQ_RECONNECT_IVL_MAX, ivl_max);
    void *mon = open_monitor (ctx, client, ZMQ_EVENT_CONNECT_RETRIED);
    TEST_ASSERT_SUCCESS (zmq_connect (client, ep));
    for (int i = 0; i < n; i++) {
        uint32_t v = expect_event (mon, ZMQ_EVENT_CONNECT_RETRIED, ep);
        TEST_ASSERT_MSG ((int) v >= low[i] && (int) v < low[i] + ivl,
                         "retry %d: value %u, expected [%d, %d)", i,
                         (unsigned) v, low[i], low[i] + ivl);
    }
    TEST_ASSERT_SUCCESS (zmq_close (client));
    TEST_ASSERT_SUCCESS (zmq_close (mon));
}

static void test_retry_values (void *ctx)
{
    const int doubling[] = {40, 80, 160, 320, 320};
    retries (ctx, 40, 320, doubling, 5);
    /*  A maximum below the interval is ignored: no backoff.  */
    const int ignored[] = {60, 60, 60};
    retries (ctx, 60, 30, ignored, 3);
    const int none[] = {30, 30, 30};
    retries (ctx, 30, 0, none, 3);
}

static void test_event_mask (void *ctx)
{
    void *s = new_socket (ctx, ZMQ_DEALER);
    TEST_ASSERT_FAILURE (zmq_socket_monitor (s, "inproc://mask-1", 0x10000),
                         EINVAL);
    TEST_ASSERT_FAILURE (zmq_socket_monitor (s, "inproc://mask-2", -1), EINVAL);
    /*  Checked first: before the protocol, even for a NULL endpoint.  */
    TEST_ASSERT_FAILURE (zmq_socket_monitor (s, "tcp://127.0.0.1:5555", -1),
                         EINVAL);
    TEST_ASSERT_FAILURE (zmq_socket_monitor (s, NULL, -1), EINVAL);
    TEST_ASSERT_SUCCESS (zmq_socket_monitor (s, NULL, 0));
    /*  Nothing was bound by the failed calls.  */
    void *mon = open_monitor (ctx, s, 0xffff);
    void *p = new_socket (ctx, ZMQ_PAIR);
    TEST_ASSERT_SUCCESS (zmq_bind (p, "inproc://mask-1"));
    TEST_ASSERT_SUCCESS (zmq_close (p));
    TEST_ASSERT_SUCCESS (zmq_close (s));
    expect_event (mon, ZMQ_EVENT_MONITOR_STOPPED, "");
    TEST_ASSERT_SUCCESS (zmq_close (mon));
}

#ifdef ZMQ_BUILD_DRAFT_API
static uint64_t get_event_v2 (void *mon, char *local, char *remote)
{
    zmq_msg_t m;
    zmq_msg_init (&m);
    TEST_ASSERT_SUCCESS (zmq_msg_recv (&m, mon, 0));
    uint64_t ev, count;
    memcpy (&ev, zmq_msg_data (&m), 8);
    TEST_ASSERT_SUCCESS (zmq_msg_recv (&m, mon, 0));
    memcpy (&count, zmq_msg_data (&m), 8);
    for (uint64_t i = 0; i < count; i++)
        TEST_ASSERT_SUCCESS (zmq_msg_recv (&m, mon, 0));
    TEST_ASSERT_SUCCESS (zmq_msg_recv (&m, mon, 0));
    size_t n = zmq_msg_size (&m);
    TEST_ASSERT (n < 256);
    memcpy (local, zmq_msg_data (&m), n);
    local[n] = '\0';
    TEST_ASSERT_SUCCESS (zmq_msg_recv (&m, mon, 0));
    n = zmq_msg_size (&m);
    TEST_ASSERT (n < 256);
    memcpy (remote, zmq_msg_data (&m), n);
    remote[n] = '\0';
    TEST_ASSERT (!zmq_msg_more (&m));
    zmq_msg_close (&m);
    return ev;
}

static void test_v2_accepted (void *ctx)
{
    void *server = new_socket (ctx, ZMQ_DEALER);
    void *client = new_socket (ctx, ZMQ_DEALER);
    TEST_ASSERT_SUCCESS (zmq_socket_monitor_versioned (
        server, "inproc://monitor-conf-v2", ZMQ_EVENT_ALL_V2, 2, ZMQ_PAIR));
    /*  v2 takes any mask.  */
    void *mon = new_socket (ctx, ZMQ_PAIR);
    tu_set_int (mon, ZMQ_RCVTIMEO, 5000);
    TEST_ASSERT_SUCCESS (zmq_connect (mon, "inproc://monitor-conf-v2"));
    TEST_ASSERT_SUCCESS (zmq_bind (server, "tcp://*:*"));
    char ep[256], reached[256];
    tu_last_endpoint (server, ep, sizeof ep);
    snprintf (reached, sizeof reached, "tcp://127.0.0.1:%.16s",
              ep + strlen ("tcp://0.0.0.0:"));
    TEST_ASSERT_SUCCESS (zmq_connect (client, reached));
    bounce (client, server);
    char local[256], remote[256];
    TEST_ASSERT_EQ_INT (get_event_v2 (mon, local, remote), ZMQ_EVENT_LISTENING);
    TEST_ASSERT_EQ_STR (local, ep);
    TEST_ASSERT_EQ_STR (remote, "");
    TEST_ASSERT_EQ_INT (get_event_v2 (mon, local, remote), ZMQ_EVENT_ACCEPTED);
    TEST_ASSERT_EQ_STR (local, reached);
    TEST_ASSERT (strncmp (remote, "tcp://127.0.0.1:", 16) == 0);
    TEST_ASSERT (strcmp (remote, reached) != 0);
    TEST_ASSERT_SUCCESS (zmq_close (client));
    TEST_ASSERT_SUCCESS (zmq_close (server));
    TEST_ASSERT_SUCCESS (zmq_close (mon));
}
#endif

int main (void)
{
    tu_begin ("test_monitor_conformance");
    void *ctx = zmq_ctx_new ();
    TEST_ASSERT (ctx);
    test_close_bound (ctx);
    test_wildcard_names (ctx);
    test_ipc_connect_fails (ctx);
    test_retry_values (ctx);
    test_event_mask (ctx);
#ifdef ZMQ_BUILD_DRAFT_API
    test_v2_accepted (ctx);
#endif
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
    return tu_end ();
}
