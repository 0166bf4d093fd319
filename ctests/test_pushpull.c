/*  test_pushpull.c: ZMQ_PUSH / ZMQ_PULL (zmq_socket(3)): round-robin load
    balancing over PULL peers, fair-queuing from PUSH peers, messages
    queued by a connect-before-bind, multipart messages kept whole, the
    direction rules (ENOTSUP), and each frame's connection properties
    (zmq_msg_gets(3)).  Checked against Debian's libzmq 4.3.4.  */
#include "testutil.h"

#include <unistd.h>

/*  Receive a frame of the form "<tag>-<n>"; returns n and sets *tag.  */
static int recv_tagged (void *s, char *tag)
{
    char buf[64];
    int rc = zmq_recv (s, buf, sizeof buf - 1, 0);
    TEST_ASSERT_MSG (rc > 0, "zmq_recv failed: errno %d (%s)", zmq_errno (),
                     zmq_strerror (zmq_errno ()));
    buf[rc] = '\0';
    TEST_ASSERT (buf[1] == '-');
    *tag = buf[0];
    return atoi (buf + 2);
}

static void send_tagged (void *s, char tag, int n)
{
    char buf[64];
    snprintf (buf, sizeof buf, "%c-%d", tag, n);
    tu_send_str (s, buf, 0);
}

/*  One PUSH, two PULLs already attached: messages alternate.  */
static void check_round_robin (void *push, void *p1, void *p2)
{
    tu_set_int (p1, ZMQ_RCVTIMEO, 5000);
    tu_set_int (p2, ZMQ_RCVTIMEO, 5000);
    for (int i = 0; i < 10; i++)
        send_tagged (push, 'x', i);
    char tag;
    int first1 = recv_tagged (p1, &tag);
    int first2 = recv_tagged (p2, &tag);
    TEST_ASSERT ((first1 == 0 && first2 == 1) || (first1 == 1 && first2 == 0));
    for (int k = 1; k < 5; k++) {
        TEST_ASSERT_EQ_INT (recv_tagged (p1, &tag), first1 + 2 * k);
        TEST_ASSERT_EQ_INT (recv_tagged (p2, &tag), first2 + 2 * k);
    }
    tu_recv_eagain (p1, ZMQ_DONTWAIT);
    tu_recv_eagain (p2, ZMQ_DONTWAIT);
}

static void test_round_robin_inproc (void)
{
    void *ctx = zmq_ctx_new ();
    void *push = zmq_socket (ctx, ZMQ_PUSH);
    void *p1 = zmq_socket (ctx, ZMQ_PULL);
    void *p2 = zmq_socket (ctx, ZMQ_PULL);
    TEST_ASSERT_SUCCESS (zmq_bind (push, "inproc://test_pushpull-rr"));
    TEST_ASSERT_SUCCESS (zmq_connect (p1, "inproc://test_pushpull-rr"));
    TEST_ASSERT_SUCCESS (zmq_connect (p2, "inproc://test_pushpull-rr"));
    check_round_robin (push, p1, p2);
    TEST_ASSERT_SUCCESS (zmq_close (push));
    TEST_ASSERT_SUCCESS (zmq_close (p1));
    TEST_ASSERT_SUCCESS (zmq_close (p2));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

/*  PUSH connects to two bound PULLs over tcp: connect creates the pipes at
    once, so the distribution is exact even before the TCP handshakes.  */
static void test_round_robin_tcp (void)
{
    void *ctx = zmq_ctx_new ();
    void *push = zmq_socket (ctx, ZMQ_PUSH);
    void *p1 = zmq_socket (ctx, ZMQ_PULL);
    void *p2 = zmq_socket (ctx, ZMQ_PULL);
    char ep1[256], ep2[256];
    tu_bind_loopback (p1, ep1, sizeof ep1);
    tu_bind_loopback (p2, ep2, sizeof ep2);
    TEST_ASSERT_SUCCESS (zmq_connect (push, ep1));
    TEST_ASSERT_SUCCESS (zmq_connect (push, ep2));
    tu_set_int (p1, ZMQ_RCVTIMEO, 5000);
    tu_set_int (p2, ZMQ_RCVTIMEO, 5000);
    for (int i = 0; i < 10; i++)
        send_tagged (push, 'x', i);
    char tag;
    /*  Pipes are used in connect order.  */
    for (int k = 0; k < 5; k++) {
        TEST_ASSERT_EQ_INT (recv_tagged (p1, &tag), 2 * k);
        TEST_ASSERT_EQ_INT (recv_tagged (p2, &tag), 2 * k + 1);
    }
    tu_set_int (push, ZMQ_LINGER, 0);
    TEST_ASSERT_SUCCESS (zmq_close (push));
    TEST_ASSERT_SUCCESS (zmq_close (p1));
    TEST_ASSERT_SUCCESS (zmq_close (p2));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

/*  Two PUSHes with queued messages: the PULL takes them in turn.  */
static void test_fair_queue_inproc (void)
{
    void *ctx = zmq_ctx_new ();
    void *pull = zmq_socket (ctx, ZMQ_PULL);
    void *a = zmq_socket (ctx, ZMQ_PUSH);
    void *b = zmq_socket (ctx, ZMQ_PUSH);
    TEST_ASSERT_SUCCESS (zmq_bind (pull, "inproc://test_pushpull-fq"));
    TEST_ASSERT_SUCCESS (zmq_connect (a, "inproc://test_pushpull-fq"));
    TEST_ASSERT_SUCCESS (zmq_connect (b, "inproc://test_pushpull-fq"));
    for (int i = 0; i < 5; i++) {
        send_tagged (a, 'a', i);
    }
    for (int i = 0; i < 5; i++) {
        send_tagged (b, 'b', i);
    }
    tu_set_int (pull, ZMQ_RCVTIMEO, 5000);
    int next_a = 0, next_b = 0;
    char prev = 0;
    for (int i = 0; i < 10; i++) {
        char tag;
        int n = recv_tagged (pull, &tag);
        if (tag == 'a')
            TEST_ASSERT_EQ_INT (n, next_a++);
        else {
            TEST_ASSERT (tag == 'b');
            TEST_ASSERT_EQ_INT (n, next_b++);
        }
        TEST_ASSERT_MSG (tag != prev, "fair queuing: two '%c' in a row", tag);
        prev = tag;
    }
    TEST_ASSERT_EQ_INT (next_a, 5);
    TEST_ASSERT_EQ_INT (next_b, 5);
    tu_recv_eagain (pull, ZMQ_DONTWAIT);
    TEST_ASSERT_SUCCESS (zmq_close (pull));
    TEST_ASSERT_SUCCESS (zmq_close (a));
    TEST_ASSERT_SUCCESS (zmq_close (b));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

/*  Connect before bind: the messages wait in the pipe until the peer
    appears.  */
static void test_connect_before_bind_inproc (void)
{
    void *ctx = zmq_ctx_new ();
    void *push = zmq_socket (ctx, ZMQ_PUSH);
    void *pull = zmq_socket (ctx, ZMQ_PULL);
    TEST_ASSERT_SUCCESS (zmq_connect (push, "inproc://test_pushpull-cbb"));
    tu_send_str (push, "early-1", 0);
    tu_send_str (push, "early-2", ZMQ_DONTWAIT);
    TEST_ASSERT_SUCCESS (zmq_bind (pull, "inproc://test_pushpull-cbb"));
    tu_set_int (pull, ZMQ_RCVTIMEO, 5000);
    tu_recv_str (pull, "early-1");
    tu_recv_str (pull, "early-2");
    tu_send_str (push, "late", 0);
    tu_recv_str (pull, "late");
    TEST_ASSERT_SUCCESS (zmq_close (push));
    TEST_ASSERT_SUCCESS (zmq_close (pull));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

static void test_connect_before_bind_ipc (void)
{
    char dir[] = "/tmp/test_pushpull-XXXXXX";
    TEST_ASSERT (mkdtemp (dir) != NULL);
    char ep[300], path[256];
    snprintf (path, sizeof path, "%s/sock", dir);
    snprintf (ep, sizeof ep, "ipc://%s", path);
    void *ctx = zmq_ctx_new ();
    void *push = zmq_socket (ctx, ZMQ_PUSH);
    void *pull = zmq_socket (ctx, ZMQ_PULL);
    TEST_ASSERT_SUCCESS (zmq_connect (push, ep));
    tu_send_str (push, "early-1", 0);
    tu_send_str (push, "early-2", 0);
    TEST_ASSERT_SUCCESS (zmq_bind (pull, ep));
    tu_set_int (pull, ZMQ_RCVTIMEO, 10000);
    tu_recv_str (pull, "early-1");
    tu_recv_str (pull, "early-2");
    tu_send_str (push, "late", 0);
    tu_recv_str (pull, "late");
    tu_set_int (push, ZMQ_LINGER, 0);
    TEST_ASSERT_SUCCESS (zmq_close (push));
    TEST_ASSERT_SUCCESS (zmq_close (pull));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
    unlink (path);
    rmdir (dir);
}

/*  Multipart messages go whole to one PULL, never split across peers.  */
static void check_multipart (void *push, void *p1, void *p2)
{
    tu_set_int (p1, ZMQ_RCVTIMEO, 5000);
    tu_set_int (p2, ZMQ_RCVTIMEO, 5000);
    for (int i = 0; i < 6; i++) {
        char buf[32];
        snprintf (buf, sizeof buf, "head-%d", i);
        tu_send_str (push, buf, ZMQ_SNDMORE);
        tu_send_str (push, "body", ZMQ_SNDMORE);
        tu_send_str (push, "tail", 0);
    }
    void *pulls[2] = {p1, p2};
    int seen[6] = {0};
    for (int k = 0; k < 6; k++) {
        void *p = pulls[k % 2];
        char buf[32];
        int rc = zmq_recv (p, buf, sizeof buf - 1, 0);
        TEST_ASSERT (rc > 5);
        buf[rc] = '\0';
        TEST_ASSERT (strncmp (buf, "head-", 5) == 0);
        int n = atoi (buf + 5);
        TEST_ASSERT (n >= 0 && n < 6 && !seen[n]);
        seen[n] = 1;
        TEST_ASSERT_EQ_INT (tu_get_int (p, ZMQ_RCVMORE), 1);
        tu_recv_str (p, "body");
        TEST_ASSERT_EQ_INT (tu_get_int (p, ZMQ_RCVMORE), 1);
        tu_recv_str (p, "tail");
        TEST_ASSERT_EQ_INT (tu_get_int (p, ZMQ_RCVMORE), 0);
    }
    tu_recv_eagain (p1, ZMQ_DONTWAIT);
    tu_recv_eagain (p2, ZMQ_DONTWAIT);
}

static void test_multipart_inproc (void)
{
    void *ctx = zmq_ctx_new ();
    void *push = zmq_socket (ctx, ZMQ_PUSH);
    void *p1 = zmq_socket (ctx, ZMQ_PULL);
    void *p2 = zmq_socket (ctx, ZMQ_PULL);
    TEST_ASSERT_SUCCESS (zmq_bind (push, "inproc://test_pushpull-mp"));
    TEST_ASSERT_SUCCESS (zmq_connect (p1, "inproc://test_pushpull-mp"));
    TEST_ASSERT_SUCCESS (zmq_connect (p2, "inproc://test_pushpull-mp"));
    check_multipart (push, p1, p2);
    TEST_ASSERT_SUCCESS (zmq_close (push));
    TEST_ASSERT_SUCCESS (zmq_close (p1));
    TEST_ASSERT_SUCCESS (zmq_close (p2));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

static void test_multipart_tcp (void)
{
    void *ctx = zmq_ctx_new ();
    void *push = zmq_socket (ctx, ZMQ_PUSH);
    void *p1 = zmq_socket (ctx, ZMQ_PULL);
    void *p2 = zmq_socket (ctx, ZMQ_PULL);
    char ep1[256], ep2[256];
    tu_bind_loopback (p1, ep1, sizeof ep1);
    tu_bind_loopback (p2, ep2, sizeof ep2);
    TEST_ASSERT_SUCCESS (zmq_connect (push, ep1));
    TEST_ASSERT_SUCCESS (zmq_connect (push, ep2));
    check_multipart (push, p1, p2);
    tu_set_int (push, ZMQ_LINGER, 0);
    TEST_ASSERT_SUCCESS (zmq_close (push));
    TEST_ASSERT_SUCCESS (zmq_close (p1));
    TEST_ASSERT_SUCCESS (zmq_close (p2));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

/*  PUSH cannot receive, PULL cannot send.  */
static void test_direction (void)
{
    void *ctx = zmq_ctx_new ();
    void *push = zmq_socket (ctx, ZMQ_PUSH);
    void *pull = zmq_socket (ctx, ZMQ_PULL);
    char buf[8];
    TEST_ASSERT_FAILURE (zmq_recv (push, buf, sizeof buf, ZMQ_DONTWAIT),
                         ENOTSUP);
    TEST_ASSERT_FAILURE (zmq_send (pull, "x", 1, ZMQ_DONTWAIT), ENOTSUP);
    /*  PUSH with no peer: EAGAIN.  */
    TEST_ASSERT_FAILURE (zmq_send (push, "x", 1, ZMQ_DONTWAIT), EAGAIN);
    TEST_ASSERT_SUCCESS (zmq_close (push));
    TEST_ASSERT_SUCCESS (zmq_close (pull));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

/*  zmq_msg_gets(3) on frames a PULL fair-queues from a tcp and an inproc
    peer into one reused zmq_msg_t: each frame carries the properties of
    the connection it came on (Peer-Address and Socket-Type over tcp, none
    over inproc: NULL and EINVAL), also the frames a peer sent just before
    it went away.  */
static void check_props (zmq_msg_t *msg, char tag)
{
    const char *addr = zmq_msg_gets (msg, "Peer-Address");
    if (tag == 't') {
        TEST_ASSERT_MSG (addr != NULL, "no Peer-Address: errno %d",
                         zmq_errno ());
        TEST_ASSERT_EQ_STR (addr, "127.0.0.1");
        const char *type = zmq_msg_gets (msg, "Socket-Type");
        TEST_ASSERT (type != NULL);
        TEST_ASSERT_EQ_STR (type, "PUSH");
    } else {
        TEST_ASSERT_MSG (addr == NULL, "inproc frame has Peer-Address %s",
                         addr);
        TEST_ASSERT_EQ_INT (zmq_errno (), EINVAL);
    }
}

static char recv_msg_tagged (void *s, zmq_msg_t *msg)
{
    int rc = zmq_msg_recv (msg, s, 0);
    TEST_ASSERT_MSG (rc >= 2, "zmq_msg_recv: %d, errno %d", rc, zmq_errno ());
    const char *d = (const char *) zmq_msg_data (msg);
    TEST_ASSERT (d[1] == '-');
    return d[0];
}

static void test_properties_per_connection (void)
{
    void *ctx = zmq_ctx_new ();
    void *pull = zmq_socket (ctx, ZMQ_PULL);
    void *tcp = zmq_socket (ctx, ZMQ_PUSH);
    void *inp = zmq_socket (ctx, ZMQ_PUSH);
    char ep[256];
    tu_bind_loopback (pull, ep, sizeof ep);
    TEST_ASSERT_SUCCESS (zmq_bind (pull, "inproc://pushpull-props"));
    tu_set_int (pull, ZMQ_RCVTIMEO, 5000);
    TEST_ASSERT_SUCCESS (zmq_connect (tcp, ep));
    TEST_ASSERT_SUCCESS (zmq_connect (inp, "inproc://pushpull-props"));
    zmq_msg_t msg;
    TEST_ASSERT_SUCCESS (zmq_msg_init (&msg));
    /*  The tcp connection is up once its first frame arrives.  */
    send_tagged (tcp, 't', -1);
    TEST_ASSERT (recv_msg_tagged (pull, &msg) == 't');
    check_props (&msg, 't');
    for (int i = 0; i < 50; i++) {
        send_tagged (tcp, 't', i);
        send_tagged (inp, 'i', i);
    }
    int seen_t = 0, seen_i = 0;
    for (int i = 0; i < 100; i++) {
        char tag = recv_msg_tagged (pull, &msg);
        check_props (&msg, tag);
        if (tag == 't')
            seen_t++;
        else
            seen_i++;
    }
    TEST_ASSERT_EQ_INT (seen_t, 50);
    TEST_ASSERT_EQ_INT (seen_i, 50);
    /*  The tcp peer sends three more and goes away.  */
    for (int i = 0; i < 3; i++)
        send_tagged (tcp, 't', 100 + i);
    TEST_ASSERT_SUCCESS (zmq_close (tcp));
    for (int i = 0; i < 3; i++) {
        TEST_ASSERT (recv_msg_tagged (pull, &msg) == 't');
        check_props (&msg, 't');
    }
    send_tagged (inp, 'i', 0);
    TEST_ASSERT (recv_msg_tagged (pull, &msg) == 'i');
    check_props (&msg, 'i');
    TEST_ASSERT_SUCCESS (zmq_msg_close (&msg));
    TEST_ASSERT_SUCCESS (zmq_close (inp));
    TEST_ASSERT_SUCCESS (zmq_close (pull));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

int main (void)
{
    tu_begin ("test_pushpull");
    test_round_robin_inproc ();
    test_round_robin_tcp ();
    test_fair_queue_inproc ();
    test_connect_before_bind_inproc ();
    test_connect_before_bind_ipc ();
    test_multipart_inproc ();
    test_multipart_tcp ();
    test_direction ();
    test_properties_per_connection ();
    return tu_end ();
}
