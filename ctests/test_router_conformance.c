/*  test_router_conformance.c: the ROUTER / DEALER / REQ / REP / STREAM
    behaviours, and a few fd / endpoint features, that libzmq 4.3.5's own
    test suite checks and our other C tests do not: default and mandatory
    routing to unknown peers, mandatory routing at the high-water mark
    (EAGAIN, and ZMQ_POLLOUT only while the peer has room),
    CONNECT_ROUTING_ID between STREAM sockets, towards an unnamed ROUTER
    and from a ROUTER that already has peers, fair-queueing into ROUTER and
    REP, round-robin out of a bound REQ and DEALER, the REQ envelope seen
    by a ROUTER, a REQ that only listens to the peer it asked, REQ_RELAXED
    with REQ_CORRELATE (late, waiting and queued replies), REP envelopes
    from a DEALER, blocking sends with no peer, ZMTP spoken by hand from a
    STREAM to a DEALER, STREAM connect/disconnect notifications and empty
    frames, STREAM receiving more than one read buffer, the handshake
    timeout against a silent STREAM, ZMQ_SRCFD, ZMQ_USE_FD (tcp and ipc),
    unbinding by ZMQ_LAST_ENDPOINT (ENOENT for a wildcard), port and
    address wildcards (IPv4, IPv4-mapped, IPv6), rebinding an ipc path,
    and (draft) ZMQ_RECONNECT_STOP.  Written from the behaviour those tests
    describe; the stable parts are checked against Debian's libzmq
    4.3.4.  */
#include "testutil.h"

#include <netdb.h>
#include <poll.h>
#include <stdint.h>
#include <sys/un.h>
#include <unistd.h>

/*  Receive one frame into buf (NUL-terminated); returns its size.  */
static int recv_frame_at (int line, void *s, char *buf, size_t n)
{
    int rc = zmq_recv (s, buf, n - 1, 0);
    TEST_ASSERT_MSG (rc >= 0, "zmq_recv (line %d) failed: errno %d (%s)",
                     line, zmq_errno (), zmq_strerror (zmq_errno ()));
    TEST_ASSERT ((size_t) rc < n);
    buf[rc] = '\0';
    return rc;
}

#define recv_frame(s, buf, n) recv_frame_at (__LINE__, (s), (buf), (n))

static int more (void *s)
{
    return tu_get_int (s, ZMQ_RCVMORE);
}

static void close0 (void *s)
{
    tu_set_int (s, ZMQ_LINGER, 0);
    TEST_ASSERT_SUCCESS (zmq_close (s));
}

/*  Connect `n` sockets of `type` to `ep` after `bound` exists; waits for
    their handshakes (tcp) so that round-robin sees all of them.  */
static void connect_all (void *ctx, void *bound, const char *ep, void **out,
                         int n, int type, const char *mon_ep)
{
    for (int i = 0; i < n; i++) {
        out[i] = zmq_socket (ctx, type);
        TEST_ASSERT (out[i]);
        tu_set_int (out[i], ZMQ_RCVTIMEO, 5000);
    }
    if (strncmp (ep, "tcp://", 6) == 0) {
        /*  A fresh monitor address each time: the previous one is released
            asynchronously.  */
        static int serial = 0;
        char mon_addr[128];
        snprintf (mon_addr, sizeof mon_addr, "%s-%d", mon_ep, serial++);
        mon_ep = mon_addr;
        TEST_ASSERT_SUCCESS (
          zmq_socket_monitor (bound, mon_ep, ZMQ_EVENT_HANDSHAKE_SUCCEEDED));
        void *mon = zmq_socket (ctx, ZMQ_PAIR);
        tu_set_int (mon, ZMQ_RCVTIMEO, 5000);
        TEST_ASSERT_SUCCESS (zmq_connect (mon, mon_ep));
        for (int i = 0; i < n; i++)
            TEST_ASSERT_SUCCESS (zmq_connect (out[i], ep));
        for (int i = 0; i < n; i++) {
            char buf[256];
            recv_frame (mon, buf, sizeof buf);
            recv_frame (mon, buf, sizeof buf);
        }
        TEST_ASSERT_SUCCESS (zmq_socket_monitor (bound, NULL, 0));
        close0 (mon);
    } else {
        for (int i = 0; i < n; i++)
            TEST_ASSERT_SUCCESS (zmq_connect (out[i], ep));
    }
}

/*  Bind to tcp loopback or to an inproc name; the endpoint to connect
    to goes into ep.  */
static void bind_ep (void *s, int tcp, const char *name, char *ep, size_t n)
{
    if (tcp)
        tu_bind_loopback (s, ep, n);
    else {
        snprintf (ep, n, "inproc://%s", name);
        TEST_ASSERT_SUCCESS (zmq_bind (s, ep));
    }
}

/* ---------------------------------------------------------------- ROUTER */

/*  Without ROUTER_MANDATORY a message to an unknown id is dropped without
    error; with it the id frame fails with EHOSTUNREACH; once the named
    DEALER is known, sending to it works.  */
static void test_mandatory_basic (void)
{
    void *ctx = zmq_ctx_new ();
    void *router = zmq_socket (ctx, ZMQ_ROUTER);
    char ep[256];
    tu_bind_loopback (router, ep, sizeof ep);
    tu_send_str (router, "UNKNOWN", ZMQ_SNDMORE);
    tu_send_str (router, "DATA", 0);
    tu_set_int (router, ZMQ_ROUTER_MANDATORY, 1);
    /*  A write-only option.  */
    int v = 0;
    size_t vlen = sizeof v;
    TEST_ASSERT_FAILURE (
      zmq_getsockopt (router, ZMQ_ROUTER_MANDATORY, &v, &vlen), EINVAL);
    TEST_ASSERT_FAILURE (zmq_send (router, "UNKNOWN", 7, ZMQ_SNDMORE),
                         EHOSTUNREACH);
    void *dealer = zmq_socket (ctx, ZMQ_DEALER);
    TEST_ASSERT_SUCCESS (zmq_setsockopt (dealer, ZMQ_ROUTING_ID, "X", 1));
    TEST_ASSERT_SUCCESS (zmq_connect (dealer, ep));
    tu_set_int (router, ZMQ_RCVTIMEO, 5000);
    tu_set_int (dealer, ZMQ_RCVTIMEO, 5000);
    tu_send_str (dealer, "Hello", 0);
    tu_recv_str (router, "X");
    tu_recv_str (router, "Hello");
    tu_send_str (router, "X", ZMQ_SNDMORE);
    tu_send_str (router, "Hello", 0);
    tu_recv_str (dealer, "Hello");
    close0 (router);
    close0 (dealer);
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

/*  ROUTER_MANDATORY at the high-water mark: the id frame fails with
    EAGAIN (not EHOSTUNREACH, not a silent drop) after a few messages to a
    DEALER that does not read; once it reads, sending works again.  */
static void test_mandatory_hwm (void)
{
    void *ctx = zmq_ctx_new ();
    void *router = zmq_socket (ctx, ZMQ_ROUTER);
    tu_set_int (router, ZMQ_ROUTER_MANDATORY, 1);
    tu_set_int (router, ZMQ_SNDHWM, 1);
    char ep[256];
    tu_bind_loopback (router, ep, sizeof ep);
    void *dealer = zmq_socket (ctx, ZMQ_DEALER);
    TEST_ASSERT_SUCCESS (zmq_setsockopt (dealer, ZMQ_ROUTING_ID, "X", 1));
    tu_set_int (dealer, ZMQ_RCVHWM, 1);
    TEST_ASSERT_SUCCESS (zmq_connect (dealer, ep));
    tu_set_int (router, ZMQ_RCVTIMEO, 5000);
    tu_set_int (dealer, ZMQ_RCVTIMEO, 5000);
    tu_send_str (dealer, "Hello", 0);
    tu_recv_str (router, "X");
    tu_recv_str (router, "Hello");

    enum { BIG = 65536 };
    static char buf[BIG];
    memset (buf, 'b', sizeof buf);
    int sent = 0;
    for (; sent < 100000; sent++) {
        int rc = zmq_send (router, "X", 1, ZMQ_SNDMORE | ZMQ_DONTWAIT);
        if (rc == -1) {
            TEST_ASSERT_EQ_INT (zmq_errno (), EAGAIN);
            break;
        }
        TEST_ASSERT_EQ_INT (rc, 1);
        TEST_ASSERT_EQ_INT (zmq_send (router, buf, BIG, ZMQ_DONTWAIT), BIG);
    }
    /*  One message fits, the kernel buffers may hold a few more.  */
    TEST_ASSERT_MSG (sent >= 1 && sent < 20, "sent %d before EAGAIN", sent);
    /*  Under ROUTER_MANDATORY, ZMQ_POLLOUT means some peer has room: while
        the dealer does not read, whenever poll says writable a send to it
        is accepted (and it ends up not writable).  */
    int writable = 1;
    for (int i = 0; i < 2000 && writable; i++) {
        zmq_pollitem_t it = {router, 0, ZMQ_POLLOUT, 0};
        writable = zmq_poll (&it, 1, 100);
        TEST_ASSERT (writable >= 0);
        if (writable) {
            TEST_ASSERT_EQ_INT (
              zmq_send (router, "X", 1, ZMQ_SNDMORE | ZMQ_DONTWAIT), 1);
            TEST_ASSERT_EQ_INT (zmq_send (router, buf, BIG, ZMQ_DONTWAIT), BIG);
            sent++;
        }
    }
    TEST_ASSERT_MSG (!writable, "still writable after %d messages", sent);
    TEST_ASSERT_FAILURE (zmq_send (router, "X", 1, ZMQ_SNDMORE | ZMQ_DONTWAIT),
                         EAGAIN);
    /*  The dealer reads everything; the router becomes writable again
        and the next message follows the others.  */
    static char got[BIG];
    for (int i = 0; i < sent; i++)
        TEST_ASSERT_EQ_INT (zmq_recv (dealer, got, BIG, 0), BIG);
    zmq_pollitem_t it = {router, 0, ZMQ_POLLOUT, 0};
    TEST_ASSERT_EQ_INT (zmq_poll (&it, 1, 5000), 1);
    tu_send_str (router, "X", ZMQ_SNDMORE | ZMQ_DONTWAIT);
    tu_send_str (router, "tail", ZMQ_DONTWAIT);
    tu_recv_str (dealer, "tail");
    close0 (router);
    close0 (dealer);
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

/*  CONNECT_ROUTING_ID on a STREAM socket connecting to a STREAM: it
    addresses the new connection by that name at once; the bound STREAM
    sees the connection (a generated id starting with a zero byte, then an
    empty frame) and then the data.  */
static void test_connect_rid_stream (void)
{
    void *ctx = zmq_ctx_new ();
    void *bound = zmq_socket (ctx, ZMQ_STREAM);
    void *conn = zmq_socket (ctx, ZMQ_STREAM);
    char ep[256];
    tu_bind_loopback (bound, ep, sizeof ep);
    tu_set_int (bound, ZMQ_RCVTIMEO, 5000);
    TEST_ASSERT_SUCCESS (
      zmq_setsockopt (conn, ZMQ_CONNECT_ROUTING_ID, "conn1", 5));
    TEST_ASSERT_SUCCESS (zmq_connect (conn, ep));
    TEST_ASSERT_EQ_INT (zmq_send (conn, "conn1", 5, ZMQ_SNDMORE), 5);
    tu_send_str (conn, "hi 1", 0);
    char id[256], id2[256], buf[256];
    int idlen = recv_frame (bound, id, sizeof id);
    TEST_ASSERT (idlen > 0 && id[0] == 0);
    TEST_ASSERT (more (bound));
    TEST_ASSERT_EQ_INT (recv_frame (bound, buf, sizeof buf), 0);
    TEST_ASSERT (!more (bound));
    TEST_ASSERT_EQ_INT (recv_frame (bound, id2, sizeof id2), idlen);
    TEST_ASSERT (memcmp (id, id2, (size_t) idlen) == 0);
    /*  STREAM delivers bytes as they come: read until all 4 arrived.  */
    char all[16] = "";
    size_t have = 0;
    for (;;) {
        int n = recv_frame (bound, buf, sizeof buf);
        TEST_ASSERT (have + (size_t) n < sizeof all);
        memcpy (all + have, buf, (size_t) n);
        have += (size_t) n;
        if (have >= 4)
            break;
        recv_frame (bound, id2, sizeof id2);
    }
    all[have] = '\0';
    TEST_ASSERT_EQ_STR (all, "hi 1");
    TEST_ASSERT_SUCCESS (zmq_unbind (bound, ep));
    close0 (bound);
    close0 (conn);
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

/*  CONNECT_ROUTING_ID towards a ROUTER that has no ZMQ_ROUTING_ID of its
    own: the bound ROUTER sees a generated id (zero byte first), replies to
    it, and the connecting ROUTER receives the reply under "conn1".  */
static void test_connect_rid_router_unnamed (void)
{
    void *ctx = zmq_ctx_new ();
    void *bound = zmq_socket (ctx, ZMQ_ROUTER);
    void *conn = zmq_socket (ctx, ZMQ_ROUTER);
    char ep[256];
    tu_bind_loopback (bound, ep, sizeof ep);
    tu_set_int (bound, ZMQ_RCVTIMEO, 5000);
    tu_set_int (conn, ZMQ_RCVTIMEO, 5000);
    TEST_ASSERT_SUCCESS (
      zmq_setsockopt (conn, ZMQ_CONNECT_ROUTING_ID, "conn1", 5));
    TEST_ASSERT_SUCCESS (zmq_connect (conn, ep));
    TEST_ASSERT_EQ_INT (zmq_send (conn, "conn1", 5, ZMQ_SNDMORE), 5);
    tu_send_str (conn, "hi 1", 0);
    char id[256];
    int idlen = recv_frame (bound, id, sizeof id);
    TEST_ASSERT_EQ_INT (idlen, 5);
    TEST_ASSERT_EQ_INT (id[0], 0);
    tu_recv_str (bound, "hi 1");
    TEST_ASSERT_EQ_INT (zmq_send (bound, id, (size_t) idlen, ZMQ_SNDMORE),
                        idlen);
    TEST_ASSERT_EQ_INT (zmq_send_const (bound, "ok", 2, 0), 2);
    tu_recv_str (conn, "conn1");
    tu_recv_str (conn, "ok");
    close0 (bound);
    close0 (conn);
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

/*  A bound ROUTER X that already has a peer Y (which reached it with
    CONNECT_ROUTING_ID "X") connects to a third ROUTER Z naming it "Z": a
    message to "Z" goes to Z, which sees it from "X", and never to Y.  */
static void test_connect_rid_while_receiving (void)
{
    void *ctx = zmq_ctx_new ();
    void *x = zmq_socket (ctx, ZMQ_ROUTER);
    void *z = zmq_socket (ctx, ZMQ_ROUTER);
    void *y = zmq_socket (ctx, ZMQ_ROUTER);
    TEST_ASSERT_SUCCESS (zmq_setsockopt (x, ZMQ_ROUTING_ID, "X", 1));
    TEST_ASSERT_SUCCESS (zmq_setsockopt (y, ZMQ_ROUTING_ID, "Y", 1));
    TEST_ASSERT_SUCCESS (zmq_setsockopt (z, ZMQ_ROUTING_ID, "Z", 1));
    char xep[256], zep[256];
    tu_bind_loopback (x, xep, sizeof xep);
    tu_bind_loopback (z, zep, sizeof zep);
    tu_set_int (x, ZMQ_RCVTIMEO, 5000);
    tu_set_int (z, ZMQ_RCVTIMEO, 5000);
    TEST_ASSERT_SUCCESS (zmq_setsockopt (y, ZMQ_CONNECT_ROUTING_ID, "X", 1));
    TEST_ASSERT_SUCCESS (zmq_connect (y, xep));
    tu_send_str (y, "X", ZMQ_SNDMORE);
    tu_send_str (y, "hi 1", 0);
    tu_recv_str (x, "Y");
    tu_recv_str (x, "hi 1");
    TEST_ASSERT_SUCCESS (zmq_setsockopt (x, ZMQ_CONNECT_ROUTING_ID, "Z", 1));
    TEST_ASSERT_SUCCESS (zmq_connect (x, zep));
    tu_send_str (x, "Z", ZMQ_SNDMORE);
    tu_send_str (x, "hi 2", 0);
    tu_recv_str (z, "X");
    tu_recv_str (z, "hi 2");
    tu_recv_eagain (y, ZMQ_DONTWAIT);
    tu_set_int (y, ZMQ_RCVTIMEO, 200);
    tu_recv_eagain (y, 0);
    close0 (y);
    close0 (x);
    close0 (z);
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

/*  A ROUTER fair-queues its input: five named DEALERs each send one
    message, all five arrive (each under its sender's id).  */
static void test_router_fair_queue (int tcp)
{
    void *ctx = zmq_ctx_new ();
    void *router = zmq_socket (ctx, ZMQ_ROUTER);
    tu_set_int (router, ZMQ_RCVTIMEO, 5000);
    char ep[256];
    bind_ep (router, tcp, "conf-fq-router", ep, sizeof ep);
    enum { N = 5 };
    void *senders[N];
    for (int i = 0; i < N; i++) {
        senders[i] = zmq_socket (ctx, ZMQ_DEALER);
        char name[2] = {(char) ('A' + i), 0};
        TEST_ASSERT_SUCCESS (zmq_setsockopt (senders[i], ZMQ_ROUTING_ID, name, 1));
        TEST_ASSERT_SUCCESS (zmq_connect (senders[i], ep));
    }
    tu_send_str (senders[0], "M", 0);
    tu_recv_str (router, "A");
    tu_recv_str (router, "M");
    tu_send_str (senders[0], "M", 0);
    tu_recv_str (router, "A");
    tu_recv_str (router, "M");
    int seen = 0;
    for (int i = 0; i < N; i++)
        tu_send_str (senders[i], "M", 0);
    for (int i = 0; i < N; i++) {
        char id[16];
        TEST_ASSERT_EQ_INT (recv_frame (router, id, sizeof id), 1);
        int k = id[0] - 'A';
        TEST_ASSERT (k >= 0 && k < N && !(seen & (1 << k)));
        seen |= 1 << k;
        tu_recv_str (router, "M");
    }
    TEST_ASSERT_EQ_INT (seen, (1 << N) - 1);
    close0 (router);
    for (int i = 0; i < N; i++)
        close0 (senders[i]);
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

/* ------------------------------------------------------------- REQ / REP */

/*  A bound REQ round-robins its requests over the REPs connected to it,
    in connection order.  */
static void test_req_round_robin_out (int tcp)
{
    void *ctx = zmq_ctx_new ();
    void *req = zmq_socket (ctx, ZMQ_REQ);
    tu_set_int (req, ZMQ_RCVTIMEO, 5000);
    char ep[256];
    bind_ep (req, tcp, "conf-rr-req", ep, sizeof ep);
    enum { N = 5 };
    void *rep[N];
    if (tcp) {
        /*  Connect one at a time so the order is known.  */
        for (int i = 0; i < N; i++) {
            connect_all (ctx, req, ep, &rep[i], 1, ZMQ_REP,
                         "inproc://conf-rr-mon");
        }
    } else
        connect_all (ctx, req, ep, rep, N, ZMQ_REP, NULL);
    for (int i = 0; i < N; i++) {
        tu_send_str (req, "ABC", 0);
        tu_recv_str (rep[i], "ABC");
        tu_send_str (rep[i], "DEF", 0);
        tu_recv_str (req, "DEF");
    }
    close0 (req);
    for (int i = 0; i < N; i++)
        close0 (rep[i]);
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

/*  What a ROUTER sees of a multipart request: [id, "", ABC, DEF]; a
    single-part reply [id, "", GHI] reaches the REQ as GHI.  */
static void test_req_message_format (int tcp)
{
    void *ctx = zmq_ctx_new ();
    void *req = zmq_socket (ctx, ZMQ_REQ);
    void *router = zmq_socket (ctx, ZMQ_ROUTER);
    tu_set_int (req, ZMQ_RCVTIMEO, 5000);
    tu_set_int (router, ZMQ_RCVTIMEO, 5000);
    char ep[256];
    bind_ep (req, tcp, "conf-fmt-req", ep, sizeof ep);
    TEST_ASSERT_SUCCESS (zmq_connect (router, ep));
    tu_send_str (req, "ABC", ZMQ_SNDMORE);
    tu_send_str (req, "DEF", 0);
    zmq_msg_t id;
    zmq_msg_init (&id);
    TEST_ASSERT (zmq_msg_recv (&id, router, 0) > 0);
    TEST_ASSERT (zmq_msg_more (&id));
    tu_recv_str (router, "");
    TEST_ASSERT (more (router));
    tu_recv_str (router, "ABC");
    TEST_ASSERT (more (router));
    tu_recv_str (router, "DEF");
    TEST_ASSERT (!more (router));
    TEST_ASSERT (zmq_msg_send (&id, router, ZMQ_SNDMORE) > 0);
    tu_send_str (router, "", ZMQ_SNDMORE);
    tu_send_str (router, "GHI", 0);
    tu_recv_str (req, "GHI");
    TEST_ASSERT (!more (req));
    zmq_msg_close (&id);
    close0 (req);
    close0 (router);
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

/*  A REQ (or DEALER) with no peer blocks on send: EAGAIN at once with
    DONTWAIT, EAGAIN after SNDTIMEO otherwise.  */
static void test_block_on_send_no_peers (int type)
{
    void *ctx = zmq_ctx_new ();
    void *s = zmq_socket (ctx, type);
    tu_set_int (s, ZMQ_SNDTIMEO, 250);
    TEST_ASSERT_FAILURE (zmq_send (s, 0, 0, ZMQ_DONTWAIT), EAGAIN);
    TEST_ASSERT_FAILURE (zmq_send (s, 0, 0, 0), EAGAIN);
    close0 (s);
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

/*  Send [to, "", body] on a ROUTER, retrying while the peer `to` is not
    known yet (ROUTER_MANDATORY: EHOSTUNREACH).  */
static void router_send_when_known (void *router, const char *to,
                                    const char *body)
{
    for (int i = 0; i < 500; i++) {
        int rc = zmq_send (router, to, strlen (to), ZMQ_SNDMORE);
        if (rc != -1) {
            tu_send_str (router, "", ZMQ_SNDMORE);
            tu_send_str (router, body, 0);
            return;
        }
        TEST_ASSERT_EQ_INT (zmq_errno (), EHOSTUNREACH);
        zmq_poll (NULL, 0, 10);
    }
    TEST_ASSERT_MSG (0, "peer %s never became known", to);
}

/*  A REQ accepts a reply only from the peer it sent the request to; the
    others' replies are dropped.  */
static void test_req_only_listens_to_current_peer (int tcp)
{
    void *ctx = zmq_ctx_new ();
    void *req = zmq_socket (ctx, ZMQ_REQ);
    TEST_ASSERT_SUCCESS (zmq_setsockopt (req, ZMQ_ROUTING_ID, "A", 1));
    tu_set_int (req, ZMQ_RCVTIMEO, 5000);
    char ep[256];
    bind_ep (req, tcp, "conf-listen-req", ep, sizeof ep);
    enum { N = 3 };
    void *router[N];
    if (tcp) {
        for (int i = 0; i < N; i++)
            connect_all (ctx, req, ep, &router[i], 1, ZMQ_ROUTER,
                         "inproc://conf-listen-mon");
    } else
        connect_all (ctx, req, ep, router, N, ZMQ_ROUTER, NULL);
    for (int i = 0; i < N; i++)
        tu_set_int (router[i], ZMQ_ROUTER_MANDATORY, 1);
    for (int i = 0; i < N; i++) {
        tu_send_str (req, "ABC", 0);
        tu_recv_str (router[i], "A");
        tu_recv_str (router[i], "");
        tu_recv_str (router[i], "ABC");
        for (int j = 0; j < N; j++)
            if (j != i)
                router_send_when_known (router[j], "A", "WRONG");
        router_send_when_known (router[i], "A", "GOOD");
        tu_recv_str (req, "GOOD");
    }
    close0 (req);
    for (int i = 0; i < N; i++)
        close0 (router[i]);
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

/*  REQ_RELAXED + REQ_CORRELATE on a bound REQ with five REPs: a second
    request before the first reply moves on to the next REP and the late
    reply to the first is dropped; so is a reply already waiting when the
    next request goes out; the round-robin keeps every peer (the REP that
    never answered is still next in turn).  */
static void test_req_relaxed (void)
{
    void *ctx = zmq_ctx_new ();
    void *req = zmq_socket (ctx, ZMQ_REQ);
    tu_set_int (req, ZMQ_REQ_RELAXED, 1);
    tu_set_int (req, ZMQ_REQ_CORRELATE, 1);
    tu_set_int (req, ZMQ_RCVTIMEO, 5000);
    char ep[256];
    tu_bind_loopback (req, ep, sizeof ep);
    enum { N = 5 };
    void *rep[N];
    for (int i = 0; i < N; i++)
        connect_all (ctx, req, ep, &rep[i], 1, ZMQ_REP,
                     "inproc://conf-relaxed-mon");
    /*  Case 1.  */
    tu_send_str (req, "A", ZMQ_SNDMORE);
    tu_send_str (req, "B", 0);
    tu_recv_str (rep[0], "A");
    tu_recv_str (rep[0], "B");
    tu_send_str (req, "C", ZMQ_SNDMORE);
    tu_send_str (req, "D", 0);
    tu_recv_str (rep[1], "C");
    tu_recv_str (rep[1], "D");
    tu_send_str (rep[0], "WRONG", 0);
    tu_send_str (rep[1], "OK", 0);
    tu_recv_str (req, "OK");
    TEST_ASSERT (!more (req));
    tu_send_str (req, "E", 0);
    tu_recv_str (rep[2], "E");
    tu_send_str (rep[2], "F", ZMQ_SNDMORE);
    tu_send_str (rep[2], "G", 0);
    tu_recv_str (req, "F");
    TEST_ASSERT (more (req));
    tu_recv_str (req, "G");
    /*  Case 2: the reply is already there when the next request goes.  */
    tu_send_str (req, "H", 0);
    tu_recv_str (rep[3], "H");
    tu_send_str (rep[3], "BAD", 0);
    zmq_pollitem_t it = {req, 0, ZMQ_POLLIN, 0};
    TEST_ASSERT_EQ_INT (zmq_poll (&it, 1, 5000), 1);
    tu_send_str (req, "I", 0);
    tu_recv_str (rep[4], "I");
    tu_send_str (rep[4], "GOOD", 0);
    tu_recv_str (req, "GOOD");
    /*  Case 3: rep[0] is next again.  */
    tu_send_str (req, "J", 0);
    tu_recv_str (rep[0], "J");
    close0 (req);
    for (int i = 0; i < N; i++)
        close0 (rep[i]);
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

/*  REQ_RELAXED + REQ_CORRELATE, two requests queued before any peer
    exists: a ROUTER that binds later echoes both back; only the reply to
    the last request is delivered.  */
static void test_req_relaxed_queued (void)
{
    char dir[] = "/tmp/conf_relaxed_XXXXXX";
    TEST_ASSERT (mkdtemp (dir) != NULL);
    char ep[128];
    snprintf (ep, sizeof ep, "ipc://%s/s", dir);
    void *ctx = zmq_ctx_new ();
    void *req = zmq_socket (ctx, ZMQ_REQ);
    tu_set_int (req, ZMQ_REQ_RELAXED, 1);
    tu_set_int (req, ZMQ_REQ_CORRELATE, 1);
    tu_set_int (req, ZMQ_RECONNECT_IVL, 20);
    tu_set_int (req, ZMQ_RCVTIMEO, 5000);
    TEST_ASSERT_SUCCESS (zmq_connect (req, ep));
    void *router = zmq_socket (ctx, ZMQ_ROUTER);
    tu_set_int (router, ZMQ_RCVTIMEO, 5000);
    tu_send_str (req, "TO_BE_DISCARDED", 0);
    tu_send_str (req, "TO_BE_ANSWERED", 0);
    TEST_ASSERT_SUCCESS (zmq_bind (router, ep));
    /*  Echo both requests, frame by frame.  */
    for (int n = 0; n < 2; n++) {
        int m;
        do {
            zmq_msg_t part;
            zmq_msg_init (&part);
            TEST_ASSERT (zmq_msg_recv (&part, router, 0) >= 0);
            m = more (router);
            TEST_ASSERT (zmq_msg_send (&part, router, m ? ZMQ_SNDMORE : 0)
                         >= 0);
        } while (m);
    }
    tu_recv_str (req, "TO_BE_ANSWERED");
    close0 (req);
    close0 (router);
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
    char path[128];
    snprintf (path, sizeof path, "%s/s", dir);
    unlink (path);
    rmdir (dir);
}

/*  A bound REP fair-queues the requests of several REQs and answers each
    one.  */
static void test_rep_fair_queue (int tcp)
{
    void *ctx = zmq_ctx_new ();
    void *rep = zmq_socket (ctx, ZMQ_REP);
    tu_set_int (rep, ZMQ_RCVTIMEO, 5000);
    char ep[256];
    bind_ep (rep, tcp, "conf-fq-rep", ep, sizeof ep);
    enum { N = 5 };
    void *reqs[N];
    connect_all (ctx, rep, ep, reqs, N, ZMQ_REQ, "inproc://conf-fq-rep-mon");
    for (int i = 0; i < N; i++) {
        char q[8];
        snprintf (q, sizeof q, "Q%d", i);
        tu_send_str (reqs[i], q, 0);
    }
    int seen = 0;
    for (int i = 0; i < N; i++) {
        char q[16];
        TEST_ASSERT_EQ_INT (recv_frame (rep, q, sizeof q), 2);
        int k = q[1] - '0';
        TEST_ASSERT (k >= 0 && k < N && !(seen & (1 << k)));
        seen |= 1 << k;
        q[0] = 'R';
        tu_send_str (rep, q, 0);
    }
    for (int i = 0; i < N; i++) {
        char r[8];
        snprintf (r, sizeof r, "R%d", i);
        tu_recv_str (reqs[i], r);
    }
    close0 (rep);
    for (int i = 0; i < N; i++)
        close0 (reqs[i]);
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

/*  A REP keeps the whole envelope (every frame up to the empty delimiter)
    of a request that came through a DEALER and puts it back on the reply;
    a request without a delimiter is dropped.  */
static void test_rep_envelope (int tcp)
{
    void *ctx = zmq_ctx_new ();
    void *rep = zmq_socket (ctx, ZMQ_REP);
    void *dealer = zmq_socket (ctx, ZMQ_DEALER);
    tu_set_int (rep, ZMQ_RCVTIMEO, 5000);
    tu_set_int (dealer, ZMQ_RCVTIMEO, 5000);
    char ep[256];
    bind_ep (rep, tcp, "conf-env-rep", ep, sizeof ep);
    TEST_ASSERT_SUCCESS (zmq_connect (dealer, ep));
    /*  No delimiter: dropped.  */
    tu_send_str (dealer, "junk", 0);
    tu_send_str (dealer, "X", ZMQ_SNDMORE);
    tu_send_str (dealer, "Y", ZMQ_SNDMORE);
    tu_send_str (dealer, "", ZMQ_SNDMORE);
    tu_send_str (dealer, "ABC", ZMQ_SNDMORE);
    tu_send_str (dealer, "DEF", 0);
    tu_recv_str (rep, "ABC");
    TEST_ASSERT (more (rep));
    tu_recv_str (rep, "DEF");
    TEST_ASSERT (!more (rep));
    tu_send_str (rep, "GHI", 0);
    tu_recv_str (dealer, "X");
    tu_recv_str (dealer, "Y");
    tu_recv_str (dealer, "");
    tu_recv_str (dealer, "GHI");
    TEST_ASSERT (!more (dealer));
    close0 (rep);
    close0 (dealer);
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

/*  A bound DEALER round-robins out and fair-queues in over REPs.  */
static void test_dealer_round_robin_out (int tcp)
{
    void *ctx = zmq_ctx_new ();
    void *dealer = zmq_socket (ctx, ZMQ_DEALER);
    tu_set_int (dealer, ZMQ_RCVTIMEO, 5000);
    char ep[256];
    bind_ep (dealer, tcp, "conf-rr-dealer", ep, sizeof ep);
    enum { N = 5 };
    void *rep[N];
    if (tcp) {
        for (int i = 0; i < N; i++)
            connect_all (ctx, dealer, ep, &rep[i], 1, ZMQ_REP,
                         "inproc://conf-rr-dealer-mon");
    } else
        connect_all (ctx, dealer, ep, rep, N, ZMQ_REP, NULL);
    for (int i = 0; i < N; i++) {
        tu_send_str (dealer, "", ZMQ_SNDMORE);
        tu_send_str (dealer, "ABC", 0);
    }
    for (int i = 0; i < N; i++)
        tu_recv_str (rep[i], "ABC");
    close0 (dealer);
    for (int i = 0; i < N; i++)
        close0 (rep[i]);
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

/* ---------------------------------------------------------------- STREAM */

/*  Read [id, chunk] messages from a STREAM until `want` bytes came;
    returns how many messages that took.  */
static int stream_read_bytes (void *stream, unsigned char *out, size_t want)
{
    size_t have = 0;
    int msgs = 0;
    while (have < want) {
        char id[256];
        TEST_ASSERT (recv_frame (stream, id, sizeof id) > 0);
        TEST_ASSERT (more (stream));
        int n = zmq_recv (stream, out + have, want - have, 0);
        TEST_ASSERT (n > 0 && have + (size_t) n <= want);
        have += (size_t) n;
        msgs++;
    }
    return msgs;
}

/*  A STREAM speaking ZMTP 3.0 by hand to a DEALER: the DEALER sends the
    10-byte signature alone and waits for the peer's; after our (3.0)
    greeting it sends the rest of its own (3.1, NULL mechanism) and a
    READY naming Socket-Type DEALER and an empty Identity; after our READY
    its "Hello" arrives as the frame 00 05 Hello, and our "World" frame
    reaches it.  */
static void test_stream_to_dealer (void)
{
    void *ctx = zmq_ctx_new ();
    void *stream = zmq_socket (ctx, ZMQ_STREAM);
    void *dealer = zmq_socket (ctx, ZMQ_DEALER);
    tu_set_int (stream, ZMQ_RCVTIMEO, 5000);
    tu_set_int (dealer, ZMQ_RCVTIMEO, 5000);
    char ep[256];
    tu_bind_loopback (stream, ep, sizeof ep);
    TEST_ASSERT_SUCCESS (zmq_connect (dealer, ep));
    tu_send_str (dealer, "Hello", 0);
    /*  Connection notification.  */
    zmq_msg_t id;
    zmq_msg_init (&id);
    TEST_ASSERT (zmq_msg_recv (&id, stream, 0) > 0);
    TEST_ASSERT (zmq_msg_more (&id));
    char buf[256];
    TEST_ASSERT_EQ_INT (recv_frame (stream, buf, sizeof buf), 0);
    /*  The signature, alone.  */
    unsigned char in[256];
    stream_read_bytes (stream, in, 10);
    static const unsigned char sig[10] = {0xff, 0, 0, 0, 0, 0, 0, 0, 1, 0x7f};
    TEST_ASSERT (memcmp (in, sig, 10) == 0);
    tu_set_int (stream, ZMQ_RCVTIMEO, 200);
    tu_recv_eagain (stream, 0);
    tu_set_int (stream, ZMQ_RCVTIMEO, 5000);
    /*  Our greeting: signature, 3.0, NULL, as-server 0, filler.  */
    unsigned char greeting[64];
    memset (greeting, 0, sizeof greeting);
    memcpy (greeting, sig, 10);
    greeting[10] = 3;
    memcpy (greeting + 12, "NULL", 4);
    zmq_msg_t copy;
    zmq_msg_init (&copy);
    zmq_msg_copy (&copy, &id);
    TEST_ASSERT (zmq_msg_send (&copy, stream, ZMQ_SNDMORE) > 0);
    TEST_ASSERT_EQ_INT (zmq_send (stream, greeting, 64, 0), 64);
    /*  The rest of its greeting and its READY: 54 + 43 bytes.  */
    stream_read_bytes (stream, in, 97);
    TEST_ASSERT_EQ_INT (in[0], 3);
    TEST_ASSERT_EQ_INT (in[1], 1); /*  ZMTP 3.1  */
    TEST_ASSERT (memcmp (in + 2, "NULL\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 20) == 0);
    TEST_ASSERT (memcmp (in + 54, "\4\51\5READY", 8) == 0);
    TEST_ASSERT (memcmp (in + 62, "\13Socket-Type\0\0\0\6DEALER", 22) == 0);
    TEST_ASSERT (memcmp (in + 84, "\10Identity\0\0\0\0", 13) == 0);
    /*  Our READY: Socket-Type ROUTER (a peer a DEALER accepts).  */
    unsigned char ready[64];
    size_t n = 0;
    memcpy (ready, "\4\51\5READY", 8);
    n = 8;
    memcpy (ready + n, "\13Socket-Type\0\0\0\6ROUTER", 22);
    n += 22;
    memcpy (ready + n, "\10Identity\0\0\0\0", 13);
    n += 13;
    TEST_ASSERT_EQ_INT (n, 43);
    zmq_msg_init (&copy);
    zmq_msg_copy (&copy, &id);
    TEST_ASSERT (zmq_msg_send (&copy, stream, ZMQ_SNDMORE) > 0);
    TEST_ASSERT_EQ_INT (zmq_send (stream, ready, n, 0), (int) n);
    /*  "Hello" as a ZMTP frame.  */
    stream_read_bytes (stream, in, 7);
    TEST_ASSERT (memcmp (in, "\0\5Hello", 7) == 0);
    zmq_msg_init (&copy);
    zmq_msg_copy (&copy, &id);
    TEST_ASSERT (zmq_msg_send (&copy, stream, ZMQ_SNDMORE) > 0);
    TEST_ASSERT_EQ_INT (zmq_send (stream, "\0\5World", 7, 0), 7);
    tu_recv_str (dealer, "World");
    zmq_msg_close (&id);
    close0 (dealer);
    close0 (stream);
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

/*  A DEALER sends an empty message to a STREAM; the STREAM answers with
    [id, empty] built from a zmq_msg_init_data over a static "" with no
    free function, and that message closes cleanly.  */
static void test_stream_empty (void)
{
    void *ctx = zmq_ctx_new ();
    void *stream = zmq_socket (ctx, ZMQ_STREAM);
    void *dealer = zmq_socket (ctx, ZMQ_DEALER);
    tu_set_int (stream, ZMQ_RCVTIMEO, 5000);
    char ep[256];
    tu_bind_loopback (stream, ep, sizeof ep);
    TEST_ASSERT_SUCCESS (zmq_connect (dealer, ep));
    tu_send_str (dealer, "", 0);
    zmq_msg_t ident, empty;
    zmq_msg_init (&ident);
    TEST_ASSERT (zmq_msg_recv (&ident, stream, 0) > 0);
    TEST_ASSERT_SUCCESS (zmq_msg_init_data (&empty, (void *) "", 0, NULL, NULL));
    TEST_ASSERT_SUCCESS (zmq_msg_send (&ident, stream, ZMQ_SNDMORE));
    TEST_ASSERT_SUCCESS (zmq_msg_close (&ident));
    TEST_ASSERT_SUCCESS (zmq_msg_send (&empty, stream, 0));
    TEST_ASSERT_SUCCESS (zmq_msg_close (&empty));
    close0 (dealer);
    close0 (stream);
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

/*  STREAM client and STREAM server: both see the connection as
    [id, ""], exchange data, then the client closes the connection with
    [id, ""] and the server is told with [id, ""].  */
static void test_stream_disconnect (void)
{
    void *ctx = zmq_ctx_new ();
    void *server = zmq_socket (ctx, ZMQ_STREAM);
    void *client = zmq_socket (ctx, ZMQ_STREAM);
    tu_set_int (server, ZMQ_RCVTIMEO, 5000);
    tu_set_int (client, ZMQ_RCVTIMEO, 5000);
    char ep[256];
    tu_bind_loopback (server, ep, sizeof ep);
    TEST_ASSERT_SUCCESS (zmq_connect (client, ep));

    char cid[256], sid[256], buf[256];
    int cidlen = recv_frame (client, cid, sizeof cid);
    TEST_ASSERT (cidlen > 0 && more (client));
    TEST_ASSERT_EQ_INT (recv_frame (client, buf, sizeof buf), 0);
    int sidlen = recv_frame (server, sid, sizeof sid);
    TEST_ASSERT (sidlen > 0 && more (server));
    TEST_ASSERT_EQ_INT (recv_frame (server, buf, sizeof buf), 0);

    TEST_ASSERT_EQ_INT (zmq_send (client, cid, (size_t) cidlen, ZMQ_SNDMORE),
                        cidlen);
    tu_send_str (client, "ping", 0);
    TEST_ASSERT_EQ_INT (recv_frame (server, buf, sizeof buf), sidlen);
    TEST_ASSERT (memcmp (buf, sid, (size_t) sidlen) == 0);
    tu_recv_str (server, "ping");

    TEST_ASSERT_EQ_INT (zmq_send (server, sid, (size_t) sidlen, ZMQ_SNDMORE),
                        sidlen);
    tu_send_str (server, "pong", 0);
    TEST_ASSERT_EQ_INT (recv_frame (client, buf, sizeof buf), cidlen);
    tu_recv_str (client, "pong");

    /*  The client hangs up ([id, ""]); the server is told with
        [id, ""].  */
    TEST_ASSERT_EQ_INT (zmq_send (client, cid, (size_t) cidlen, ZMQ_SNDMORE),
                        cidlen);
    TEST_ASSERT_EQ_INT (zmq_send (client, NULL, 0, 0), 0);
    /*  The client socket finishes the hang-up when it next processes its
        commands (libzmq): poll both, as the libzmq test does.  */
    int rc = -1;
    for (int i = 0; i < 100 && rc == -1; i++) {
        zmq_pollitem_t items[2] = {{server, 0, ZMQ_POLLIN, 0},
                                   {client, 0, ZMQ_POLLIN, 0}};
        TEST_ASSERT (zmq_poll (items, 2, 100) >= 0);
        rc = zmq_recv (server, buf, sizeof buf - 1, ZMQ_DONTWAIT);
        if (rc == -1)
            TEST_ASSERT_EQ_INT (zmq_errno (), EAGAIN);
    }
    TEST_ASSERT_EQ_INT (rc, sidlen);
    TEST_ASSERT (memcmp (buf, sid, (size_t) sidlen) == 0);
    TEST_ASSERT (more (server));
    TEST_ASSERT_EQ_INT (recv_frame (server, buf, sizeof buf), 0);
    TEST_ASSERT (!more (server));
    close0 (client);
    close0 (server);
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

/*  A raw TCP server sends more bytes than one read buffer holds to a
    connected STREAM: they arrive in order, in several [id, chunk]
    messages whose sizes add up.  */
static void test_stream_exceeds_buffer (void)
{
    int port;
    int lfd = tu_loopback_fd (SOCK_STREAM, &port);
    TEST_ASSERT (listen (lfd, 1) == 0);
    void *ctx = zmq_ctx_new ();
    void *stream = zmq_socket (ctx, ZMQ_STREAM);
    tu_set_int (stream, ZMQ_RCVTIMEO, 5000);
    char ep[64];
    snprintf (ep, sizeof ep, "tcp://127.0.0.1:%d", port);
    TEST_ASSERT_SUCCESS (zmq_connect (stream, ep));
    int fd = accept (lfd, NULL, NULL);
    TEST_ASSERT (fd >= 0);
    enum { TOTAL = 300000 };
    static unsigned char out[TOTAL];
    for (int i = 0; i < TOTAL; i++)
        out[i] = (unsigned char) (i * 7);
    /*  Connect notification first.  */
    char id[256], buf[256];
    int idlen = recv_frame (stream, id, sizeof id);
    TEST_ASSERT (idlen > 0);
    TEST_ASSERT_EQ_INT (recv_frame (stream, buf, sizeof buf), 0);
    size_t off = 0;
    while (off < TOTAL) {
        ssize_t w = write (fd, out + off, TOTAL - off);
        TEST_ASSERT (w > 0);
        off += (size_t) w;
    }
    size_t got = 0;
    int chunks = 0;
    static unsigned char in[TOTAL];
    while (got < TOTAL) {
        zmq_msg_t m;
        zmq_msg_init (&m);
        TEST_ASSERT_EQ_INT (zmq_msg_recv (&m, stream, 0), idlen);
        TEST_ASSERT (memcmp (zmq_msg_data (&m), id, (size_t) idlen) == 0);
        TEST_ASSERT_SUCCESS (zmq_msg_recv (&m, stream, 0));
        size_t n = zmq_msg_size (&m);
        TEST_ASSERT (n > 0 && got + n <= TOTAL);
        memcpy (in + got, zmq_msg_data (&m), n);
        got += n;
        chunks++;
        zmq_msg_close (&m);
    }
    TEST_ASSERT (chunks > 1);
    TEST_ASSERT (memcmp (in, out, TOTAL) == 0);
    close (fd);
    close (lfd);
    close0 (stream);
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

/*  The next event number on a monitor PAIR (RCVTIMEO set).  */
static int next_event (void *mon)
{
    zmq_msg_t m;
    zmq_msg_init (&m);
    TEST_ASSERT_SUCCESS (zmq_msg_recv (&m, mon, 0));
    TEST_ASSERT (zmq_msg_more (&m) && zmq_msg_size (&m) == 6);
    uint16_t ev;
    memcpy (&ev, zmq_msg_data (&m), 2);
    TEST_ASSERT_SUCCESS (zmq_msg_recv (&m, mon, 0));
    TEST_ASSERT (!zmq_msg_more (&m));
    zmq_msg_close (&m);
    return ev;
}

/*  A DEALER with a short HANDSHAKE_IVL facing a STREAM that never sends
    a greeting drops the connection: ACCEPTED (or CONNECTED) then
    DISCONNECTED.  */
static void test_stream_handshake_timeout (int dealer_binds)
{
    void *ctx = zmq_ctx_new ();
    void *stream = zmq_socket (ctx, ZMQ_STREAM);
    void *dealer = zmq_socket (ctx, ZMQ_DEALER);
    TEST_ASSERT_EQ_INT (tu_get_int (dealer, ZMQ_HANDSHAKE_IVL), 30000);
    tu_set_int (dealer, ZMQ_HANDSHAKE_IVL, 100);
    TEST_ASSERT_EQ_INT (tu_get_int (dealer, ZMQ_HANDSHAKE_IVL), 100);
    TEST_ASSERT_SUCCESS (zmq_socket_monitor (
      dealer, "inproc://conf-hs-mon",
      ZMQ_EVENT_CONNECTED | ZMQ_EVENT_DISCONNECTED | ZMQ_EVENT_ACCEPTED));
    void *mon = zmq_socket (ctx, ZMQ_PAIR);
    tu_set_int (mon, ZMQ_RCVTIMEO, 5000);
    TEST_ASSERT_SUCCESS (zmq_connect (mon, "inproc://conf-hs-mon"));
    char ep[256];
    if (dealer_binds) {
        tu_bind_loopback (dealer, ep, sizeof ep);
        TEST_ASSERT_SUCCESS (zmq_connect (stream, ep));
        TEST_ASSERT_EQ_INT (next_event (mon), ZMQ_EVENT_ACCEPTED);
    } else {
        tu_bind_loopback (stream, ep, sizeof ep);
        TEST_ASSERT_SUCCESS (zmq_connect (dealer, ep));
        TEST_ASSERT_EQ_INT (next_event (mon), ZMQ_EVENT_CONNECTED);
    }
    TEST_ASSERT_EQ_INT (next_event (mon), ZMQ_EVENT_DISCONNECTED);
    close0 (dealer);
    close0 (mon);
    close0 (stream);
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

/* ------------------------------------------------------ fds and endpoints */

/*  ZMQ_SRCFD: a message received over tcp names the connection's fd,
    whose peer is 127.0.0.1.  */
static void test_srcfd (void)
{
    void *ctx = zmq_ctx_new ();
    void *rep = zmq_socket (ctx, ZMQ_REP);
    void *req = zmq_socket (ctx, ZMQ_REQ);
    tu_set_int (rep, ZMQ_RCVTIMEO, 5000);
    char ep[256];
    tu_bind_loopback (rep, ep, sizeof ep);
    TEST_ASSERT_SUCCESS (zmq_connect (req, ep));
    char tmp[20];
    memset (tmp, 0, sizeof tmp);
    TEST_ASSERT_EQ_INT (zmq_send (req, tmp, sizeof tmp, 0), 20);
    zmq_msg_t msg;
    zmq_msg_init (&msg);
    TEST_ASSERT_EQ_INT (zmq_msg_recv (&msg, rep, 0), 20);
    int fd = zmq_msg_get (&msg, ZMQ_SRCFD);
    TEST_ASSERT (fd >= 0);
    zmq_msg_close (&msg);
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    TEST_ASSERT (getpeername (fd, (struct sockaddr *) &ss, &len) == 0);
    char host[NI_MAXHOST];
    TEST_ASSERT (getnameinfo ((struct sockaddr *) &ss, len, host, sizeof host,
                              NULL, 0, NI_NUMERICHOST)
                 == 0);
    TEST_ASSERT_EQ_STR (host, "127.0.0.1");
    close0 (rep);
    close0 (req);
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

/*  Request and reply both ways between two sockets.  */
static void bounce (void *server, void *client)
{
    tu_set_int (server, ZMQ_RCVTIMEO, 5000);
    tu_set_int (client, ZMQ_RCVTIMEO, 5000);
    tu_send_str (client, "12345678ABCDEFGH", ZMQ_SNDMORE);
    tu_send_str (client, "tail", 0);
    tu_recv_str (server, "12345678ABCDEFGH");
    TEST_ASSERT (more (server));
    tu_recv_str (server, "tail");
    TEST_ASSERT (!more (server));
    tu_send_str (server, "back", ZMQ_SNDMORE);
    tu_send_str (server, "again", 0);
    tu_recv_str (client, "back");
    TEST_ASSERT (more (client));
    tu_recv_str (client, "again");
}

/*  A listening socket made by the application: tcp on 127.0.0.1, port
    chosen by the OS; its endpoint in ep.  */
static int prealloc_tcp (char *ep, size_t n)
{
    int port;
    int fd = tu_loopback_fd (SOCK_STREAM, &port);
    TEST_ASSERT (listen (fd, 16) == 0);
    snprintf (ep, n, "tcp://127.0.0.1:%d", port);
    return fd;
}

/*  Same over a UNIX socket at a fresh path; the path in path.  */
static int prealloc_ipc (char *ep, size_t n, char *path, size_t pn)
{
    char dir[] = "/tmp/conf_usefd_XXXXXX";
    TEST_ASSERT (mkdtemp (dir) != NULL);
    snprintf (path, pn, "%s/s", dir);
    int fd = socket (AF_UNIX, SOCK_STREAM, 0);
    TEST_ASSERT (fd >= 0);
    struct sockaddr_un a;
    memset (&a, 0, sizeof a);
    a.sun_family = AF_UNIX;
    TEST_ASSERT (strlen (path) < sizeof a.sun_path);
    memcpy (a.sun_path, path, strlen (path) + 1);
    TEST_ASSERT (bind (fd, (struct sockaddr *) &a, sizeof a) == 0);
    TEST_ASSERT (listen (fd, 16) == 0);
    snprintf (ep, n, "ipc://%s", path);
    return fd;
}

/*  The application's socket file is still there after the zmq socket
    closed: remove it and its directory.  */
static void remove_app_socket (char *path)
{
    TEST_ASSERT (unlink (path) == 0);
    char *slash = strrchr (path, '/');
    *slash = '\0';
    rmdir (path);
}

/*  ZMQ_USE_FD: zmq_bind takes the application's listening socket instead
    of making one; peers connecting to its address reach the socket.  For
    ipc the socket file is the application's: still there after close.  */
static void test_use_fd (int ipc, int btype, int ctype)
{
    void *ctx = zmq_ctx_new ();
    void *sb = zmq_socket (ctx, btype);
    char ep[256], path[200];
    int fd = ipc ? prealloc_ipc (ep, sizeof ep, path, sizeof path)
                 : prealloc_tcp (ep, sizeof ep);
    TEST_ASSERT_EQ_INT (tu_get_int (sb, ZMQ_USE_FD), -1);
    tu_set_int (sb, ZMQ_USE_FD, fd);
    TEST_ASSERT_EQ_INT (tu_get_int (sb, ZMQ_USE_FD), fd);
    TEST_ASSERT_SUCCESS (zmq_bind (sb, ep));
    char last[256];
    tu_last_endpoint (sb, last, sizeof last);
    TEST_ASSERT_EQ_STR (last, ep);
    void *sc = zmq_socket (ctx, ctype);
    TEST_ASSERT_SUCCESS (zmq_connect (sc, ep));
    if (btype == ZMQ_REP) {
        tu_set_int (sb, ZMQ_RCVTIMEO, 5000);
        tu_set_int (sc, ZMQ_RCVTIMEO, 5000);
        tu_send_str (sc, "ABC", 0);
        tu_recv_str (sb, "ABC");
        tu_send_str (sb, "DEF", 0);
        tu_recv_str (sc, "DEF");
    } else
        bounce (sb, sc);
    close0 (sc);
    close0 (sb);
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
    if (ipc)
        remove_app_socket (path);
}

#ifdef ZMQ_BUILD_DRAFT_API
/*  ZMQ_USE_FD with CLIENT/SERVER: multipart is refused both ways, the
    reply finds its way back by routing id.  */
static void test_use_fd_client_server (int ipc)
{
    void *ctx = zmq_ctx_new ();
    void *sb = zmq_socket (ctx, ZMQ_SERVER);
    char ep[256], path[200];
    int fd = ipc ? prealloc_ipc (ep, sizeof ep, path, sizeof path)
                 : prealloc_tcp (ep, sizeof ep);
    tu_set_int (sb, ZMQ_USE_FD, fd);
    TEST_ASSERT_SUCCESS (zmq_bind (sb, ep));
    void *sc = zmq_socket (ctx, ZMQ_CLIENT);
    tu_set_int (sb, ZMQ_RCVTIMEO, 5000);
    tu_set_int (sc, ZMQ_RCVTIMEO, 5000);
    TEST_ASSERT_SUCCESS (zmq_connect (sc, ep));
    zmq_msg_t msg;
    zmq_msg_init_size (&msg, 1);
    ((char *) zmq_msg_data (&msg))[0] = 1;
    TEST_ASSERT_EQ_INT (zmq_msg_send (&msg, sc, ZMQ_SNDMORE), -1);
    TEST_ASSERT_EQ_INT (zmq_msg_send (&msg, sc, 0), 1);
    zmq_msg_init (&msg);
    TEST_ASSERT_EQ_INT (zmq_msg_recv (&msg, sb, 0), 1);
    uint32_t rid = zmq_msg_routing_id (&msg);
    TEST_ASSERT (rid != 0);
    zmq_msg_close (&msg);
    zmq_msg_init_size (&msg, 1);
    ((char *) zmq_msg_data (&msg))[0] = 2;
    TEST_ASSERT_SUCCESS (zmq_msg_set_routing_id (&msg, rid));
    TEST_ASSERT_EQ_INT (zmq_msg_send (&msg, sb, ZMQ_SNDMORE), -1);
    TEST_ASSERT_EQ_INT (zmq_msg_send (&msg, sb, 0), 1);
    TEST_ASSERT_EQ_INT (zmq_msg_recv (&msg, sc, 0), 1);
    TEST_ASSERT_EQ_INT (zmq_msg_routing_id (&msg), 0);
    zmq_msg_close (&msg);
    close0 (sc);
    close0 (sb);
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
    if (ipc)
        remove_app_socket (path);
}
#endif

/*  Unbinding and disconnecting by ZMQ_LAST_ENDPOINT works, for tcp and
    ipc wildcards; the wildcard form itself is not an endpoint (ENOENT).  */
static void test_term_endpoint (void)
{
    void *ctx = zmq_ctx_new ();
    /*  tcp unbind by last endpoint: the peer stops getting messages.  */
    void *push = zmq_socket (ctx, ZMQ_PUSH);
    void *pull = zmq_socket (ctx, ZMQ_PULL);
    char ep[256];
    tu_bind_loopback (pull, ep, sizeof ep);
    tu_set_int (pull, ZMQ_RCVTIMEO, 5000);
    TEST_ASSERT_SUCCESS (zmq_connect (push, ep));
    tu_send_str (push, "A", 0);
    tu_recv_str (pull, "A");
    TEST_ASSERT_FAILURE (zmq_unbind (pull, "tcp://127.0.0.1:*"), ENOENT);
    TEST_ASSERT_FAILURE (zmq_unbind (pull, "tcp://*:*"), ENOENT);
    TEST_ASSERT_SUCCESS (zmq_unbind (pull, ep));
    TEST_ASSERT_FAILURE (zmq_unbind (pull, ep), ENOENT);
    close0 (push);
    close0 (pull);

    /*  tcp disconnect by the endpoint given.  */
    push = zmq_socket (ctx, ZMQ_PUSH);
    pull = zmq_socket (ctx, ZMQ_PULL);
    tu_bind_loopback (pull, ep, sizeof ep);
    tu_set_int (pull, ZMQ_RCVTIMEO, 5000);
    TEST_ASSERT_SUCCESS (zmq_connect (push, ep));
    tu_send_str (push, "B", 0);
    tu_recv_str (pull, "B");
    TEST_ASSERT_SUCCESS (zmq_disconnect (push, ep));
    TEST_ASSERT_FAILURE (zmq_disconnect (push, ep), ENOENT);
    /*  With its only peer gone the PUSH blocks.  */
    TEST_ASSERT_FAILURE (zmq_send (push, "C", 1, ZMQ_DONTWAIT), EAGAIN);
    close0 (push);
    close0 (pull);

    /*  ipc wildcard: unbind by the generated name.  */
    pull = zmq_socket (ctx, ZMQ_PULL);
    TEST_ASSERT_SUCCESS (zmq_bind (pull, "ipc://*"));
    tu_last_endpoint (pull, ep, sizeof ep);
    TEST_ASSERT (strncmp (ep, "ipc://", 6) == 0 && strcmp (ep, "ipc://*") != 0);
    TEST_ASSERT_FAILURE (zmq_unbind (pull, "ipc://*"), ENOENT);
    TEST_ASSERT_SUCCESS (zmq_unbind (pull, ep));
    close0 (pull);

    /*  inproc.  */
    pull = zmq_socket (ctx, ZMQ_PULL);
    TEST_ASSERT_SUCCESS (zmq_bind (pull, "inproc://conf-term"));
    tu_last_endpoint (pull, ep, sizeof ep);
    TEST_ASSERT_EQ_STR (ep, "inproc://conf-term");
    TEST_ASSERT_SUCCESS (zmq_unbind (pull, ep));
    close0 (pull);
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

/*  Binding with a port wildcard: LAST_ENDPOINT starts with want_prefix
    and ends with the port; a REQ connects (to LAST_ENDPOINT, or to
    127.0.0.1 and that port when the address was a wildcard too) and
    talks; disconnect and unbind by those endpoints work. Covers the
    address wildcard (0.0.0.0, or [::] with ZMQ_IPV6), 127.0.0.1 (with
    ZMQ_IPV6 bound as the IPv4-mapped [::ffff:127.0.0.1]) and [::1]
    (skipped when this host has no IPv6).  */
static void test_port_wildcard (const char *bind_ep, int ipv6,
                                const char *want_prefix, int any_address)
{
    void *ctx = zmq_ctx_new ();
    void *sb = zmq_socket (ctx, ZMQ_REP);
    void *sc = zmq_socket (ctx, ZMQ_REQ);
    tu_set_int (sb, ZMQ_IPV6, ipv6);
    tu_set_int (sc, ZMQ_IPV6, ipv6);
    if (zmq_bind (sb, bind_ep) != 0) {
        /*  Only IPv6 may be missing.  */
        TEST_ASSERT (ipv6);
        close0 (sb);
        close0 (sc);
        TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
        return;
    }
    char ep[256], cep[256];
    tu_last_endpoint (sb, ep, sizeof ep);
    size_t prefix = strlen (want_prefix);
    int port = atoi (ep + prefix);
    TEST_ASSERT_MSG (strncmp (ep, want_prefix, prefix) == 0 && port > 0, "%s",
                     ep);
    if (any_address)
        snprintf (cep, sizeof cep, "tcp://127.0.0.1:%d", port);
    else
        snprintf (cep, sizeof cep, "%s", ep);
    TEST_ASSERT_SUCCESS (zmq_connect (sc, cep));
    tu_set_int (sb, ZMQ_RCVTIMEO, 5000);
    tu_set_int (sc, ZMQ_RCVTIMEO, 5000);
    tu_send_str (sc, "q", 0);
    tu_recv_str (sb, "q");
    tu_send_str (sb, "a", 0);
    tu_recv_str (sc, "a");
    TEST_ASSERT_SUCCESS (zmq_disconnect (sc, cep));
    TEST_ASSERT_SUCCESS (zmq_unbind (sb, ep));
    close0 (sc);
    close0 (sb);
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

/*  An ipc path can be bound again by another socket once the first
    binder closed; a connected peer reconnects to the new one.  */
static void test_rebind_ipc (void)
{
    char dir[] = "/tmp/conf_rebind_XXXXXX";
    TEST_ASSERT (mkdtemp (dir) != NULL);
    char ep[128];
    snprintf (ep, sizeof ep, "ipc://%s/s", dir);
    void *ctx = zmq_ctx_new ();
    void *sb0 = zmq_socket (ctx, ZMQ_PUSH);
    void *sb1 = zmq_socket (ctx, ZMQ_PUSH);
    TEST_ASSERT_SUCCESS (zmq_bind (sb0, ep));
    void *sc = zmq_socket (ctx, ZMQ_PULL);
    tu_set_int (sc, ZMQ_RCVTIMEO, 5000);
    TEST_ASSERT_SUCCESS (zmq_connect (sc, ep));
    tu_send_str (sb0, "42", 0);
    tu_recv_str (sc, "42");
    TEST_ASSERT_SUCCESS (zmq_close (sb0));
    TEST_ASSERT_SUCCESS (zmq_bind (sb1, ep));
    tu_send_str (sb1, "43", 0);
    tu_recv_str (sc, "43");
    close0 (sc);
    close0 (sb1);
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
    char path[128];
    snprintf (path, sizeof path, "%s/s", dir);
    unlink (path);
    rmdir (dir);
}

#ifdef ZMQ_BUILD_DRAFT_API
/*  ZMQ_RECONNECT_STOP_CONN_REFUSED: after the peer went away, the first
    refused reconnect ends the connecter: DISCONNECTED, CONNECT_RETRIED,
    CONNECT_DELAYED, CLOSED, then nothing more.  */
static void test_reconnect_stop_refused (void)
{
    void *ctx = zmq_ctx_new ();
    void *bound = zmq_socket (ctx, ZMQ_ROUTER);
    char ep[256];
    tu_bind_loopback (bound, ep, sizeof ep);
    void *s = zmq_socket (ctx, ZMQ_DEALER);
    tu_set_int (s, ZMQ_RECONNECT_STOP, ZMQ_RECONNECT_STOP_CONN_REFUSED);
    tu_set_int (s, ZMQ_RECONNECT_IVL, 50);
    TEST_ASSERT_SUCCESS (
      zmq_socket_monitor (s, "inproc://conf-rs-mon", ZMQ_EVENT_ALL));
    void *mon = zmq_socket (ctx, ZMQ_PAIR);
    tu_set_int (mon, ZMQ_RCVTIMEO, 5000);
    TEST_ASSERT_SUCCESS (zmq_connect (mon, "inproc://conf-rs-mon"));
    TEST_ASSERT_SUCCESS (zmq_connect (s, ep));
    TEST_ASSERT_EQ_INT (next_event (mon), ZMQ_EVENT_CONNECT_DELAYED);
    TEST_ASSERT_EQ_INT (next_event (mon), ZMQ_EVENT_CONNECTED);
    TEST_ASSERT_EQ_INT (next_event (mon), ZMQ_EVENT_HANDSHAKE_SUCCEEDED);
    close0 (bound);
    TEST_ASSERT_EQ_INT (next_event (mon), ZMQ_EVENT_DISCONNECTED);
    TEST_ASSERT_EQ_INT (next_event (mon), ZMQ_EVENT_CONNECT_RETRIED);
    TEST_ASSERT_EQ_INT (next_event (mon), ZMQ_EVENT_CONNECT_DELAYED);
    TEST_ASSERT_EQ_INT (next_event (mon), ZMQ_EVENT_CLOSED);
    tu_set_int (mon, ZMQ_RCVTIMEO, 500);
    tu_recv_eagain (mon, 0);
    close0 (s);
    close0 (mon);
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

/*  ZMQ_RECONNECT_STOP_HANDSHAKE_FAILED: a peer that answers with
    something other than ZMTP fails the handshake (HANDSHAKE_IVL); the
    connecter then stops: CONNECT_DELAYED, CONNECTED, (a handshake
    failure event,) DISCONNECTED, and it never connects again.  */
static void test_reconnect_stop_handshake_failed (void)
{
    int port;
    int lfd = tu_loopback_fd (SOCK_STREAM, &port);
    TEST_ASSERT (listen (lfd, 4) == 0);
    void *ctx = zmq_ctx_new ();
    void *s = zmq_socket (ctx, ZMQ_DEALER);
    tu_set_int (s, ZMQ_HANDSHAKE_IVL, 200);
    tu_set_int (s, ZMQ_RECONNECT_IVL, 50);
    tu_set_int (s, ZMQ_RECONNECT_STOP, ZMQ_RECONNECT_STOP_HANDSHAKE_FAILED);
    TEST_ASSERT_SUCCESS (
      zmq_socket_monitor (s, "inproc://conf-hsf-mon", ZMQ_EVENT_ALL));
    void *mon = zmq_socket (ctx, ZMQ_PAIR);
    tu_set_int (mon, ZMQ_RCVTIMEO, 5000);
    TEST_ASSERT_SUCCESS (zmq_connect (mon, "inproc://conf-hsf-mon"));
    char ep[64];
    snprintf (ep, sizeof ep, "tcp://127.0.0.1:%d", port);
    TEST_ASSERT_SUCCESS (zmq_connect (s, ep));
    int fd = accept (lfd, NULL, NULL);
    TEST_ASSERT (fd >= 0);
    /*  Not a ZMTP greeting (and then silence).  */
    TEST_ASSERT (write (fd, "SSH-2.0-x\r\n", 11) == 11);
    TEST_ASSERT_EQ_INT (next_event (mon), ZMQ_EVENT_CONNECT_DELAYED);
    TEST_ASSERT_EQ_INT (next_event (mon), ZMQ_EVENT_CONNECTED);
    int ev = next_event (mon);
    /*  The failed handshake is reported before the disconnect.  */
    if (ev == ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL
        || ev == ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL)
        ev = next_event (mon);
    TEST_ASSERT_EQ_INT (ev, ZMQ_EVENT_DISCONNECTED);
    /*  No reconnect: no CONNECTED again, and no new connection reaches
        the listener (RECONNECT_IVL is 50 ms).  */
    tu_set_int (mon, ZMQ_RCVTIMEO, 500);
    zmq_msg_t m;
    zmq_msg_init (&m);
    while (zmq_msg_recv (&m, mon, 0) >= 0) {
        if (zmq_msg_more (&m)) {
            uint16_t e;
            memcpy (&e, zmq_msg_data (&m), 2);
            TEST_ASSERT (e != ZMQ_EVENT_CONNECTED);
        }
    }
    zmq_msg_close (&m);
    struct pollfd p = {lfd, POLLIN, 0};
    TEST_ASSERT_EQ_INT (poll (&p, 1, 0), 0);
    close (fd);
    close (lfd);
    close0 (s);
    close0 (mon);
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}
#endif

/*  ZMQ_ROUTER_RAW (deprecated): a ROUTER whose connections are raw TCP,
    as ZMQ_STREAM's: a connection is announced as [id][""], bytes arrive
    as [id][data], [id][data] writes the bytes, [id][""] closes the
    connection, the peer's close is announced as [id][""]. What cannot be
    routed is dropped, or EHOSTUNREACH under ZMQ_ROUTER_MANDATORY.  */
static void test_router_raw (void)
{
    void *ctx = zmq_ctx_new ();
    void *router = zmq_socket (ctx, ZMQ_ROUTER);
    tu_set_int (router, ZMQ_ROUTER_RAW, 1);
    tu_set_int (router, ZMQ_LINGER, 0);
    tu_set_int (router, ZMQ_RCVTIMEO, 5000);
    char ep[256];
    tu_bind_loopback (router, ep, sizeof ep);
    const char *colon = strrchr (ep, ':');
    TEST_ASSERT (colon != NULL);

    int fd = socket (AF_INET, SOCK_STREAM, 0);
    TEST_ASSERT (fd >= 0);
    struct sockaddr_in a;
    memset (&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
    a.sin_port = htons ((uint16_t) atoi (colon + 1));
    TEST_ASSERT (connect (fd, (struct sockaddr *) &a, sizeof a) == 0);

    /*  The connection notice: [id][""].  */
    unsigned char id[256];
    int id_len = zmq_recv (router, id, sizeof id, 0);
    TEST_ASSERT (id_len > 0);
    int more = tu_get_int (router, ZMQ_RCVMORE);
    TEST_ASSERT_EQ_INT (more, 1);
    char buf[256];
    TEST_ASSERT_EQ_INT (zmq_recv (router, buf, sizeof buf, 0), 0);

    /*  Raw bytes in, no ZMTP greeting out.  */
    TEST_ASSERT_EQ_INT ((int) send (fd, "hello", 5, 0), 5);
    unsigned char id2[256];
    TEST_ASSERT_EQ_INT (zmq_recv (router, id2, sizeof id2, 0), id_len);
    TEST_ASSERT (memcmp (id, id2, (size_t) id_len) == 0);
    TEST_ASSERT_EQ_INT (zmq_recv (router, buf, sizeof buf, 0), 5);
    TEST_ASSERT (memcmp (buf, "hello", 5) == 0);

    /*  Raw bytes out.  */
    TEST_ASSERT_EQ_INT (zmq_send (router, id, (size_t) id_len, ZMQ_SNDMORE),
                        id_len);
    TEST_ASSERT_EQ_INT (zmq_send (router, "world", 5, 0), 5);
    struct pollfd pfd = {fd, POLLIN, 0};
    TEST_ASSERT_EQ_INT (poll (&pfd, 1, 5000), 1);
    TEST_ASSERT_EQ_INT ((int) recv (fd, buf, sizeof buf, 0), 5);
    TEST_ASSERT (memcmp (buf, "world", 5) == 0);

    /*  An unknown id: dropped, or EHOSTUNREACH when mandatory.  */
    TEST_ASSERT_EQ_INT (zmq_send (router, "nobody", 6, ZMQ_SNDMORE), 6);
    TEST_ASSERT_EQ_INT (zmq_send (router, "x", 1, 0), 1);
    tu_set_int (router, ZMQ_ROUTER_MANDATORY, 1);
    TEST_ASSERT_FAILURE (zmq_send (router, "nobody", 6, ZMQ_SNDMORE),
                         EHOSTUNREACH);

    /*  The peer closes: [id][""].  */
    close (fd);
    TEST_ASSERT_EQ_INT (zmq_recv (router, id2, sizeof id2, 0), id_len);
    TEST_ASSERT (memcmp (id, id2, (size_t) id_len) == 0);
    TEST_ASSERT_EQ_INT (zmq_recv (router, buf, sizeof buf, 0), 0);

    /*  [id][""] closes a connection from our side, as an empty frame
        closes a ZMQ_STREAM connection (zmq_socket(3)); libzmq 4.3.4
        leaves it open, so the close is checked from 4.3.5 on.  */
    fd = socket (AF_INET, SOCK_STREAM, 0);
    TEST_ASSERT (fd >= 0);
    TEST_ASSERT (connect (fd, (struct sockaddr *) &a, sizeof a) == 0);
    id_len = zmq_recv (router, id, sizeof id, 0);
    TEST_ASSERT (id_len > 0);
    TEST_ASSERT_EQ_INT (zmq_recv (router, buf, sizeof buf, 0), 0);
    TEST_ASSERT_EQ_INT (zmq_send (router, id, (size_t) id_len, ZMQ_SNDMORE),
                        id_len);
    TEST_ASSERT_EQ_INT (zmq_send (router, "", 0, 0), 0);
    int major, minor, patch;
    zmq_version (&major, &minor, &patch);
    if (major * 10000 + minor * 100 + patch >= 40305) {
        pfd.fd = fd;
        TEST_ASSERT_EQ_INT (poll (&pfd, 1, 5000), 1);
        TEST_ASSERT_EQ_INT ((int) recv (fd, buf, sizeof buf, 0), 0);
    }
    close (fd);

    TEST_ASSERT_SUCCESS (zmq_close (router));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

int main (void)
{
    tu_begin ("test_router_conformance");
    test_mandatory_basic ();
    test_mandatory_hwm ();
    test_connect_rid_stream ();
    test_connect_rid_router_unnamed ();
    test_connect_rid_while_receiving ();
    for (int tcp = 0; tcp < 2; tcp++) {
        test_router_fair_queue (tcp);
        test_req_round_robin_out (tcp);
        test_req_message_format (tcp);
        test_req_only_listens_to_current_peer (tcp);
        test_rep_fair_queue (tcp);
        test_rep_envelope (tcp);
        test_dealer_round_robin_out (tcp);
    }
    test_req_relaxed ();
    test_req_relaxed_queued ();
    test_block_on_send_no_peers (ZMQ_REQ);
    test_block_on_send_no_peers (ZMQ_DEALER);
    test_stream_to_dealer ();
    test_stream_empty ();
    test_stream_disconnect ();
    test_stream_exceeds_buffer ();
    test_stream_handshake_timeout (1);
    test_stream_handshake_timeout (0);
    test_router_raw ();
    test_srcfd ();
    test_use_fd (0, ZMQ_REP, ZMQ_REQ);
    test_use_fd (0, ZMQ_PAIR, ZMQ_PAIR);
    test_use_fd (1, ZMQ_REP, ZMQ_REQ);
    test_use_fd (1, ZMQ_PAIR, ZMQ_PAIR);
#ifdef ZMQ_BUILD_DRAFT_API
    test_use_fd_client_server (0);
    test_use_fd_client_server (1);
    test_reconnect_stop_refused ();
    test_reconnect_stop_handshake_failed ();
#endif
    test_term_endpoint ();
    test_port_wildcard ("tcp://*:*", 0, "tcp://0.0.0.0:", 1);
    test_port_wildcard ("tcp://*:*", 1, "tcp://[::]:", 1);
    test_port_wildcard ("tcp://127.0.0.1:*", 0, "tcp://127.0.0.1:", 0);
    test_port_wildcard ("tcp://127.0.0.1:*", 1, "tcp://[::ffff:127.0.0.1]:",
                        0);
    test_port_wildcard ("tcp://[::1]:*", 1, "tcp://[::1]:", 0);
    test_rebind_ipc ();
    return tu_end ();
}
