/*  test_reqrep.c: ZMQ_REQ / ZMQ_REP (zmq_socket(3)): the send/receive
    state machine (EFSM), ZMQ_REQ_RELAXED and ZMQ_REQ_CORRELATE
    (zmq_setsockopt(3)), round-robin of requests over several REPs and
    multipart bodies.  Checked against Debian's libzmq 4.3.4.  */
#include "testutil.h"

static void exchange (void *req, void *rep, const char *q, const char *a)
{
    tu_send_str (req, q, 0);
    tu_recv_str (rep, q);
    tu_send_str (rep, a, 0);
    tu_recv_str (req, a);
}

static void test_basic (const char *transport)
{
    void *ctx = zmq_ctx_new ();
    void *rep = zmq_socket (ctx, ZMQ_REP);
    void *req = zmq_socket (ctx, ZMQ_REQ);
    char ep[256];
    if (strcmp (transport, "tcp") == 0)
        tu_bind_loopback (rep, ep, sizeof ep);
    else {
        snprintf (ep, sizeof ep, "inproc://test_reqrep-basic");
        TEST_ASSERT_SUCCESS (zmq_bind (rep, ep));
    }
    TEST_ASSERT_SUCCESS (zmq_connect (req, ep));
    tu_set_int (req, ZMQ_RCVTIMEO, 5000);
    tu_set_int (rep, ZMQ_RCVTIMEO, 5000);
    for (int i = 0; i < 20; i++)
        exchange (req, rep, "hello", "world");
    tu_set_int (req, ZMQ_LINGER, 0);
    TEST_ASSERT_SUCCESS (zmq_close (req));
    TEST_ASSERT_SUCCESS (zmq_close (rep));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

static void test_efsm (void)
{
    void *ctx = zmq_ctx_new ();
    void *rep = zmq_socket (ctx, ZMQ_REP);
    void *req = zmq_socket (ctx, ZMQ_REQ);
    TEST_ASSERT_SUCCESS (zmq_bind (rep, "inproc://test_reqrep-efsm"));
    TEST_ASSERT_SUCCESS (zmq_connect (req, "inproc://test_reqrep-efsm"));
    tu_set_int (req, ZMQ_RCVTIMEO, 5000);
    tu_set_int (rep, ZMQ_RCVTIMEO, 5000);
    char buf[16];

    /*  REQ must send first; REP must receive first.  */
    TEST_ASSERT_FAILURE (zmq_recv (req, buf, sizeof buf, 0), EFSM);
    TEST_ASSERT_FAILURE (zmq_send (rep, "x", 1, 0), EFSM);

    tu_send_str (req, "q", 0);
    /*  A second request before the reply is refused.  */
    TEST_ASSERT_FAILURE (zmq_send (req, "q2", 2, 0), EFSM);
    TEST_ASSERT_FAILURE (zmq_send (req, "q2", 2, ZMQ_DONTWAIT), EFSM);
    tu_recv_str (rep, "q");
    /*  REP must reply before it receives again.  */
    TEST_ASSERT_FAILURE (zmq_recv (rep, buf, sizeof buf, 0), EFSM);
    tu_send_str (rep, "a", 0);
    TEST_ASSERT_FAILURE (zmq_send (rep, "a2", 2, 0), EFSM);
    tu_recv_str (req, "a");
    TEST_ASSERT_FAILURE (zmq_recv (req, buf, sizeof buf, 0), EFSM);

    /*  A multipart request: more flag keeps the REQ in sending state.  */
    tu_send_str (req, "p1", ZMQ_SNDMORE);
    tu_send_str (req, "p2", 0);
    TEST_ASSERT_FAILURE (zmq_send (req, "p3", 2, 0), EFSM);
    tu_recv_str (rep, "p1");
    TEST_ASSERT_EQ_INT (tu_get_int (rep, ZMQ_RCVMORE), 1);
    /*  REP in the middle of a request cannot send yet.  */
    TEST_ASSERT_FAILURE (zmq_send (rep, "x", 1, 0), EFSM);
    tu_recv_str (rep, "p2");
    TEST_ASSERT_EQ_INT (tu_get_int (rep, ZMQ_RCVMORE), 0);
    tu_send_str (rep, "r1", ZMQ_SNDMORE);
    tu_send_str (rep, "r2", 0);
    tu_recv_str (req, "r1");
    TEST_ASSERT_EQ_INT (tu_get_int (req, ZMQ_RCVMORE), 1);
    tu_recv_str (req, "r2");
    TEST_ASSERT_EQ_INT (tu_get_int (req, ZMQ_RCVMORE), 0);

    TEST_ASSERT_SUCCESS (zmq_close (req));
    TEST_ASSERT_SUCCESS (zmq_close (rep));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

/*  Receive a frame into buf (NUL-terminated), return its size.  */
static int recv_frame (void *s, char *buf, size_t n)
{
    int rc = zmq_recv (s, buf, n - 1, 0);
    TEST_ASSERT_MSG (rc >= 0, "zmq_recv failed: errno %d (%s)", zmq_errno (),
                     zmq_strerror (zmq_errno ()));
    TEST_ASSERT ((size_t) rc < n);
    buf[rc] = '\0';
    return rc;
}

/*  REQ_RELAXED lets a REQ resend; REQ_CORRELATE tags each request with a
    4-byte id and drops replies to earlier ones.  */
static void test_relaxed_correlate (void)
{
    void *ctx = zmq_ctx_new ();
    void *router = zmq_socket (ctx, ZMQ_ROUTER);
    void *req = zmq_socket (ctx, ZMQ_REQ);
    tu_set_int (req, ZMQ_REQ_RELAXED, 1);
    tu_set_int (req, ZMQ_REQ_CORRELATE, 1);
    /*  Both options are write-only in libzmq 4.3.  */
    int v = 0;
    size_t vlen = sizeof v;
    TEST_ASSERT_FAILURE (zmq_getsockopt (req, ZMQ_REQ_RELAXED, &v, &vlen),
                         EINVAL);
    vlen = sizeof v;
    TEST_ASSERT_FAILURE (zmq_getsockopt (req, ZMQ_REQ_CORRELATE, &v, &vlen),
                         EINVAL);
    /*  Only on a REQ.  */
    TEST_ASSERT_FAILURE (zmq_setsockopt (router, ZMQ_REQ_RELAXED, &v, sizeof v),
                         EINVAL);
    TEST_ASSERT_SUCCESS (zmq_bind (router, "inproc://test_reqrep-corr"));
    TEST_ASSERT_SUCCESS (zmq_connect (req, "inproc://test_reqrep-corr"));
    tu_set_int (req, ZMQ_RCVTIMEO, 5000);
    tu_set_int (router, ZMQ_RCVTIMEO, 5000);

    char id[256], rid1[16], rid2[16], buf[64];
    tu_send_str (req, "q1", 0);
    int idlen = recv_frame (router, id, sizeof id);
    TEST_ASSERT (idlen > 0);
    TEST_ASSERT_EQ_INT (recv_frame (router, rid1, sizeof rid1), 4);
    TEST_ASSERT_EQ_INT (tu_get_int (router, ZMQ_RCVMORE), 1);
    TEST_ASSERT_EQ_INT (recv_frame (router, buf, sizeof buf), 0);
    tu_recv_str (router, "q1");
    TEST_ASSERT_EQ_INT (tu_get_int (router, ZMQ_RCVMORE), 0);

    /*  Relaxed: a new request without waiting for the reply.  */
    tu_send_str (req, "q2", 0);
    TEST_ASSERT_EQ_INT (recv_frame (router, buf, sizeof buf), idlen);
    TEST_ASSERT (memcmp (buf, id, (size_t) idlen) == 0);
    TEST_ASSERT_EQ_INT (recv_frame (router, rid2, sizeof rid2), 4);
    TEST_ASSERT (memcmp (rid1, rid2, 4) != 0);
    TEST_ASSERT_EQ_INT (recv_frame (router, buf, sizeof buf), 0);
    tu_recv_str (router, "q2");

    /*  The stale reply to q1 is dropped; the reply to q2 arrives.  */
    TEST_ASSERT_EQ_INT (zmq_send (router, id, (size_t) idlen, ZMQ_SNDMORE),
                        idlen);
    TEST_ASSERT_EQ_INT (zmq_send (router, rid1, 4, ZMQ_SNDMORE), 4);
    TEST_ASSERT_EQ_INT (zmq_send (router, "", 0, ZMQ_SNDMORE), 0);
    tu_send_str (router, "a1", 0);
    TEST_ASSERT_EQ_INT (zmq_send (router, id, (size_t) idlen, ZMQ_SNDMORE),
                        idlen);
    TEST_ASSERT_EQ_INT (zmq_send (router, rid2, 4, ZMQ_SNDMORE), 4);
    TEST_ASSERT_EQ_INT (zmq_send (router, "", 0, ZMQ_SNDMORE), 0);
    tu_send_str (router, "a2", 0);
    tu_recv_str (req, "a2");
    TEST_ASSERT_EQ_INT (tu_get_int (req, ZMQ_RCVMORE), 0);
    /*  After the reply, REQ is back to sending.  */
    TEST_ASSERT_FAILURE (zmq_recv (req, buf, sizeof buf, ZMQ_DONTWAIT), EFSM);

    TEST_ASSERT_SUCCESS (zmq_close (req));
    TEST_ASSERT_SUCCESS (zmq_close (router));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

/*  Without REQ_CORRELATE a REQ's envelope is just the empty delimiter.  */
static void test_plain_envelope (void)
{
    void *ctx = zmq_ctx_new ();
    void *router = zmq_socket (ctx, ZMQ_ROUTER);
    void *req = zmq_socket (ctx, ZMQ_REQ);
    TEST_ASSERT_SUCCESS (zmq_bind (router, "inproc://test_reqrep-env"));
    TEST_ASSERT_SUCCESS (zmq_connect (req, "inproc://test_reqrep-env"));
    tu_set_int (req, ZMQ_RCVTIMEO, 5000);
    tu_set_int (router, ZMQ_RCVTIMEO, 5000);
    char id[256], buf[64];
    tu_send_str (req, "q", 0);
    int idlen = recv_frame (router, id, sizeof id);
    TEST_ASSERT_EQ_INT (tu_get_int (router, ZMQ_RCVMORE), 1);
    TEST_ASSERT_EQ_INT (recv_frame (router, buf, sizeof buf), 0);
    TEST_ASSERT_EQ_INT (tu_get_int (router, ZMQ_RCVMORE), 1);
    tu_recv_str (router, "q");
    /*  A reply without the delimiter is dropped by the REQ; the next one
        with it arrives.  */
    TEST_ASSERT_EQ_INT (zmq_send (router, id, (size_t) idlen, ZMQ_SNDMORE),
                        idlen);
    tu_send_str (router, "bad", 0);
    TEST_ASSERT_EQ_INT (zmq_send (router, id, (size_t) idlen, ZMQ_SNDMORE),
                        idlen);
    TEST_ASSERT_EQ_INT (zmq_send (router, "", 0, ZMQ_SNDMORE), 0);
    tu_send_str (router, "good", 0);
    tu_recv_str (req, "good");
    TEST_ASSERT_SUCCESS (zmq_close (req));
    TEST_ASSERT_SUCCESS (zmq_close (router));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

/*  One REQ connected to two REPs: requests alternate between them.  */
static void test_round_robin (int tcp)
{
    void *ctx = zmq_ctx_new ();
    void *req = zmq_socket (ctx, ZMQ_REQ);
    void *reps[2];
    char ep[2][256];
    for (int i = 0; i < 2; i++) {
        reps[i] = zmq_socket (ctx, ZMQ_REP);
        tu_set_int (reps[i], ZMQ_RCVTIMEO, 5000);
        if (tcp)
            tu_bind_loopback (reps[i], ep[i], sizeof ep[i]);
        else {
            snprintf (ep[i], sizeof ep[i], "inproc://test_reqrep-rr-%d", i);
            TEST_ASSERT_SUCCESS (zmq_bind (reps[i], ep[i]));
        }
    }
    TEST_ASSERT_SUCCESS (zmq_connect (req, ep[0]));
    TEST_ASSERT_SUCCESS (zmq_connect (req, ep[1]));
    tu_set_int (req, ZMQ_RCVTIMEO, 5000);
    for (int i = 0; i < 6; i++) {
        char q[32];
        snprintf (q, sizeof q, "q%d", i);
        tu_send_str (req, q, 0);
        /*  Connect order: the first REP gets the first request.  */
        void *rep = reps[i % 2];
        tu_recv_str (rep, q);
        tu_send_str (rep, q, 0);
        tu_recv_str (req, q);
    }
    tu_set_int (req, ZMQ_LINGER, 0);
    TEST_ASSERT_SUCCESS (zmq_close (req));
    TEST_ASSERT_SUCCESS (zmq_close (reps[0]));
    TEST_ASSERT_SUCCESS (zmq_close (reps[1]));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

/*  Multipart bodies in both directions over tcp.  */
static void test_multipart_tcp (void)
{
    void *ctx = zmq_ctx_new ();
    void *rep = zmq_socket (ctx, ZMQ_REP);
    void *req = zmq_socket (ctx, ZMQ_REQ);
    char ep[256];
    tu_bind_loopback (rep, ep, sizeof ep);
    TEST_ASSERT_SUCCESS (zmq_connect (req, ep));
    tu_set_int (req, ZMQ_RCVTIMEO, 5000);
    tu_set_int (rep, ZMQ_RCVTIMEO, 5000);
    tu_send_str (req, "a", ZMQ_SNDMORE);
    tu_send_str (req, "", ZMQ_SNDMORE);
    tu_send_str (req, "c", 0);
    tu_recv_str (rep, "a");
    TEST_ASSERT_EQ_INT (tu_get_int (rep, ZMQ_RCVMORE), 1);
    tu_recv_str (rep, "");
    TEST_ASSERT_EQ_INT (tu_get_int (rep, ZMQ_RCVMORE), 1);
    tu_recv_str (rep, "c");
    TEST_ASSERT_EQ_INT (tu_get_int (rep, ZMQ_RCVMORE), 0);
    tu_send_str (rep, "x", ZMQ_SNDMORE);
    tu_send_str (rep, "y", 0);
    tu_recv_str (req, "x");
    TEST_ASSERT_EQ_INT (tu_get_int (req, ZMQ_RCVMORE), 1);
    tu_recv_str (req, "y");
    TEST_ASSERT_EQ_INT (tu_get_int (req, ZMQ_RCVMORE), 0);
    tu_set_int (req, ZMQ_LINGER, 0);
    TEST_ASSERT_SUCCESS (zmq_close (req));
    TEST_ASSERT_SUCCESS (zmq_close (rep));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

int main (void)
{
    tu_begin ("test_reqrep");
    test_basic ("inproc");
    test_basic ("tcp");
    test_efsm ();
    test_relaxed_correlate ();
    test_plain_envelope ();
    test_round_robin (0);
    test_round_robin (1);
    test_multipart_tcp ();
    return tu_end ();
}
