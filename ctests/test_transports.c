/*  test_transports.c: zmq_bind(3), zmq_connect(3), zmq_unbind(3),
    zmq_disconnect(3) over tcp, ipc and inproc: the errno of each misuse
    (EPROTONOSUPPORT, EINVAL, EADDRINUSE, ENOENT, ENODEV), the tcp
    ephemeral port and ipc wildcard, abstract ipc names, inproc
    connect-before-bind, unbinding by the ZMQ_LAST_ENDPOINT string and the
    removal of the ipc file.  Checked against Debian's libzmq 4.3.4.  */
#include "testutil.h"

#include <unistd.h>

/*  The ipc file is removed by the I/O thread when the listener closes:
    wait for that (bounded).  */
static int file_gone (const char *path)
{
    for (int i = 0; i < 200; i++) {
        if (access (path, F_OK) == -1 && errno == ENOENT)
            return 1;
        zmq_poll (NULL, 0, 10);
    }
    return 0;
}

static void roundtrip (void *ctx, const char *bind_ep, const char *connect_ep)
{
    void *pull = zmq_socket (ctx, ZMQ_PULL);
    void *push = zmq_socket (ctx, ZMQ_PUSH);
    TEST_ASSERT_SUCCESS (zmq_bind (pull, bind_ep));
    TEST_ASSERT_SUCCESS (zmq_connect (push, connect_ep));
    tu_set_int (pull, ZMQ_RCVTIMEO, 5000);
    tu_send_str (push, "over", 0);
    tu_recv_str (pull, "over");
    tu_set_int (push, ZMQ_LINGER, 0);
    TEST_ASSERT_SUCCESS (zmq_close (push));
    TEST_ASSERT_SUCCESS (zmq_close (pull));
}

static void test_bad_endpoints (void)
{
    void *ctx = zmq_ctx_new ();
    void *s = zmq_socket (ctx, ZMQ_PAIR);
    TEST_ASSERT_FAILURE (zmq_bind (s, "foo://127.0.0.1:5555"), EPROTONOSUPPORT);
    TEST_ASSERT_FAILURE (zmq_connect (s, "foo://127.0.0.1:5555"),
                         EPROTONOSUPPORT);
    TEST_ASSERT_FAILURE (zmq_bind (s, "no-protocol"), EINVAL);
    TEST_ASSERT_FAILURE (zmq_connect (s, "no-protocol"), EINVAL);
    TEST_ASSERT_FAILURE (zmq_bind (s, "tcp://"), EINVAL);
    TEST_ASSERT_FAILURE (zmq_connect (s, "tcp://"), EINVAL);
    TEST_ASSERT_FAILURE (zmq_bind (s, "tcp://127.0.0.1"), EINVAL);
    TEST_ASSERT_FAILURE (zmq_connect (s, "tcp://127.0.0.1"), EINVAL);
    TEST_ASSERT_FAILURE (zmq_connect (s, "tcp://127.0.0.1:*"), EINVAL);
    TEST_ASSERT_FAILURE (zmq_bind (s, "inproc://"), EINVAL);
    TEST_ASSERT_FAILURE (zmq_connect (s, "inproc://"), EINVAL);
    /*  A bogus interface name.  */
    TEST_ASSERT_FAILURE (zmq_bind (s, "tcp://bogus-if-name-0:*"), ENODEV);
    TEST_ASSERT_SUCCESS (zmq_close (s));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

static void test_addr_in_use (void)
{
    void *ctx = zmq_ctx_new ();
    void *a = zmq_socket (ctx, ZMQ_PULL);
    void *b = zmq_socket (ctx, ZMQ_PULL);
    char ep[256];
    tu_bind_loopback (a, ep, sizeof ep);
    TEST_ASSERT_FAILURE (zmq_bind (b, ep), EADDRINUSE);
    TEST_ASSERT_SUCCESS (zmq_bind (a, "inproc://test_transports-inuse"));
    TEST_ASSERT_FAILURE (zmq_bind (b, "inproc://test_transports-inuse"),
                         EADDRINUSE);
    TEST_ASSERT_FAILURE (zmq_bind (a, "inproc://test_transports-inuse"),
                         EADDRINUSE);
    TEST_ASSERT_SUCCESS (zmq_close (a));
    TEST_ASSERT_SUCCESS (zmq_close (b));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

static void test_unbind_disconnect_unknown (void)
{
    void *ctx = zmq_ctx_new ();
    void *s = zmq_socket (ctx, ZMQ_PUSH);
    TEST_ASSERT_FAILURE (zmq_unbind (s, "tcp://127.0.0.1:5555"), ENOENT);
    TEST_ASSERT_FAILURE (zmq_disconnect (s, "tcp://127.0.0.1:5555"), ENOENT);
    TEST_ASSERT_FAILURE (zmq_unbind (s, "inproc://test_transports-none"),
                         ENOENT);
    TEST_ASSERT_FAILURE (zmq_disconnect (s, "inproc://test_transports-none"),
                         ENOENT);
    TEST_ASSERT_SUCCESS (zmq_bind (s, "inproc://test_transports-b"));
    TEST_ASSERT_SUCCESS (zmq_unbind (s, "inproc://test_transports-b"));
    TEST_ASSERT_FAILURE (zmq_unbind (s, "inproc://test_transports-b"), ENOENT);
    TEST_ASSERT_SUCCESS (zmq_close (s));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

static void test_tcp_ephemeral_and_unbind (void)
{
    void *ctx = zmq_ctx_new ();
    void *a = zmq_socket (ctx, ZMQ_PULL);
    char ep[256];
    tu_bind_loopback (a, ep, sizeof ep);
    int port = atoi (ep + strlen ("tcp://127.0.0.1:"));
    TEST_ASSERT (port > 0 && port < 65536);
    /*  The wildcard string is not what was bound.  */
    TEST_ASSERT_FAILURE (zmq_unbind (a, "tcp://127.0.0.1:*"), ENOENT);
    /*  The LAST_ENDPOINT string is.  */
    TEST_ASSERT_SUCCESS (zmq_unbind (a, ep));
    TEST_ASSERT_FAILURE (zmq_unbind (a, ep), ENOENT);
    /*  The port is free again (the listener is closed by the I/O thread,
        so allow it a moment).  */
    void *b = zmq_socket (ctx, ZMQ_PULL);
    int rc = -1;
    for (int i = 0; i < 200 && rc == -1; i++) {
        rc = zmq_bind (b, ep);
        if (rc == -1) {
            TEST_ASSERT_EQ_INT (zmq_errno (), EADDRINUSE);
            zmq_poll (NULL, 0, 10);
        }
    }
    TEST_ASSERT_SUCCESS (rc);
    TEST_ASSERT_SUCCESS (zmq_close (b));
    TEST_ASSERT_SUCCESS (zmq_close (a));
    /*  Connecting by name works too.  */
    void *c = zmq_socket (ctx, ZMQ_PULL);
    tu_bind_loopback (c, ep, sizeof ep);
    char byname[300];
    snprintf (byname, sizeof byname, "tcp://localhost:%s",
              ep + strlen ("tcp://127.0.0.1:"));
    void *push = zmq_socket (ctx, ZMQ_PUSH);
    TEST_ASSERT_SUCCESS (zmq_connect (push, byname));
    tu_set_int (c, ZMQ_RCVTIMEO, 5000);
    tu_send_str (push, "by-name", 0);
    tu_recv_str (c, "by-name");
    /*  Disconnect by the same string, then nothing is routed.  */
    TEST_ASSERT_SUCCESS (zmq_disconnect (push, byname));
    TEST_ASSERT_FAILURE (zmq_disconnect (push, byname), ENOENT);
    TEST_ASSERT_FAILURE (zmq_send (push, "x", 1, ZMQ_DONTWAIT), EAGAIN);
    tu_set_int (push, ZMQ_LINGER, 0);
    TEST_ASSERT_SUCCESS (zmq_close (push));
    TEST_ASSERT_SUCCESS (zmq_close (c));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

static void test_tcp_roundtrip_wildcard_address (void)
{
    void *ctx = zmq_ctx_new ();
    void *pull = zmq_socket (ctx, ZMQ_PULL);
    TEST_ASSERT_SUCCESS (zmq_bind (pull, "tcp://*:*"));
    char ep[256];
    tu_last_endpoint (pull, ep, sizeof ep);
    TEST_ASSERT (strncmp (ep, "tcp://0.0.0.0:", 14) == 0);
    char conn[300];
    snprintf (conn, sizeof conn, "tcp://127.0.0.1:%s", ep + 14);
    void *push = zmq_socket (ctx, ZMQ_PUSH);
    TEST_ASSERT_SUCCESS (zmq_connect (push, conn));
    tu_set_int (pull, ZMQ_RCVTIMEO, 5000);
    tu_send_str (push, "any", 0);
    tu_recv_str (pull, "any");
    tu_set_int (push, ZMQ_LINGER, 0);
    TEST_ASSERT_SUCCESS (zmq_close (push));
    TEST_ASSERT_SUCCESS (zmq_close (pull));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

static void test_ipc (void)
{
    char dir[] = "/tmp/test_transports-XXXXXX";
    TEST_ASSERT (mkdtemp (dir) != NULL);
    char ep[300], path[256];
    snprintf (path, sizeof path, "%s/sock", dir);
    snprintf (ep, sizeof ep, "ipc://%s", path);
    void *ctx = zmq_ctx_new ();
    roundtrip (ctx, ep, ep);
    void *a = zmq_socket (ctx, ZMQ_PULL);
    TEST_ASSERT_SUCCESS (zmq_bind (a, ep));
    char last[300];
    tu_last_endpoint (a, last, sizeof last);
    TEST_ASSERT_EQ_STR (last, ep);
    TEST_ASSERT (access (path, F_OK) == 0);
    TEST_ASSERT_SUCCESS (zmq_unbind (a, ep));
    /*  libzmq 4.3 leaves a named socket file in place after unbind (only
        the files it made for a wildcard are removed), and a later bind to
        the same path replaces a stale file.  */
    TEST_ASSERT_FAILURE (zmq_unbind (a, ep), ENOENT);
    TEST_ASSERT_SUCCESS (zmq_close (a));
    roundtrip (ctx, ep, ep);

    /*  The ipc wildcard picks a fresh path and reports it.  */
    void *w = zmq_socket (ctx, ZMQ_PULL);
    TEST_ASSERT_SUCCESS (zmq_bind (w, "ipc://*"));
    tu_last_endpoint (w, last, sizeof last);
    TEST_ASSERT (strncmp (last, "ipc://", 6) == 0);
    TEST_ASSERT (strcmp (last, "ipc://*") != 0);
    TEST_ASSERT (access (last + 6, F_OK) == 0);
    void *push = zmq_socket (ctx, ZMQ_PUSH);
    TEST_ASSERT_SUCCESS (zmq_connect (push, last));
    tu_set_int (w, ZMQ_RCVTIMEO, 5000);
    tu_send_str (push, "wild", 0);
    tu_recv_str (w, "wild");
    TEST_ASSERT_SUCCESS (zmq_unbind (w, last));
    TEST_ASSERT (file_gone (last + 6));
    tu_set_int (push, ZMQ_LINGER, 0);
    TEST_ASSERT_SUCCESS (zmq_close (push));
    TEST_ASSERT_SUCCESS (zmq_close (w));

    /*  Closing a socket bound to a wildcard also removes its file.  */
    void *c = zmq_socket (ctx, ZMQ_PULL);
    TEST_ASSERT_SUCCESS (zmq_bind (c, "ipc://*"));
    tu_last_endpoint (c, last, sizeof last);
    TEST_ASSERT (access (last + 6, F_OK) == 0);
    TEST_ASSERT_SUCCESS (zmq_close (c));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
    TEST_ASSERT (file_gone (last + 6));
    unlink (path);
    rmdir (dir);
}

static void test_abstract_ipc (void)
{
    char ep[128];
    snprintf (ep, sizeof ep, "ipc://@test_transports-%d", (int) getpid ());
    void *ctx = zmq_ctx_new ();
    roundtrip (ctx, ep, ep);
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

static void test_ipc_connect_missing (void)
{
    /*  Connecting to an ipc path nobody bound is accepted (retried in the
        background); a send then waits in the pipe.  */
    char dir[] = "/tmp/test_transports-XXXXXX";
    TEST_ASSERT (mkdtemp (dir) != NULL);
    char ep[300];
    snprintf (ep, sizeof ep, "ipc://%s/none", dir);
    void *ctx = zmq_ctx_new ();
    void *push = zmq_socket (ctx, ZMQ_PUSH);
    TEST_ASSERT_SUCCESS (zmq_connect (push, ep));
    tu_send_str (push, "queued", ZMQ_DONTWAIT);
    tu_set_int (push, ZMQ_LINGER, 0);
    TEST_ASSERT_SUCCESS (zmq_close (push));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
    rmdir (dir);
}

static void test_inproc (void)
{
    void *ctx = zmq_ctx_new ();
    roundtrip (ctx, "inproc://test_transports-inproc",
               "inproc://test_transports-inproc");
    /*  Connect before bind.  */
    void *push = zmq_socket (ctx, ZMQ_PUSH);
    void *pull = zmq_socket (ctx, ZMQ_PULL);
    TEST_ASSERT_SUCCESS (zmq_connect (push, "inproc://test_transports-late"));
    tu_send_str (push, "before", 0);
    TEST_ASSERT_SUCCESS (zmq_bind (pull, "inproc://test_transports-late"));
    tu_set_int (pull, ZMQ_RCVTIMEO, 5000);
    tu_recv_str (pull, "before");
    /*  LAST_ENDPOINT for inproc is the name.  */
    char last[256];
    tu_last_endpoint (pull, last, sizeof last);
    TEST_ASSERT_EQ_STR (last, "inproc://test_transports-late");
    /*  Inproc names belong to the context: another context does not see
        them, and the name is free again after unbind.  */
    void *ctx2 = zmq_ctx_new ();
    void *other = zmq_socket (ctx2, ZMQ_PULL);
    TEST_ASSERT_SUCCESS (zmq_bind (other, "inproc://test_transports-late"));
    TEST_ASSERT_SUCCESS (zmq_close (other));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx2));
    TEST_ASSERT_SUCCESS (zmq_unbind (pull, "inproc://test_transports-late"));
    void *again = zmq_socket (ctx, ZMQ_PULL);
    TEST_ASSERT_SUCCESS (zmq_bind (again, "inproc://test_transports-late"));
    TEST_ASSERT_SUCCESS (zmq_close (again));
    TEST_ASSERT_SUCCESS (zmq_close (push));
    TEST_ASSERT_SUCCESS (zmq_close (pull));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

int main (void)
{
    tu_begin ("test_transports");
    test_bad_endpoints ();
    test_addr_in_use ();
    test_unbind_disconnect_unknown ();
    test_tcp_ephemeral_and_unbind ();
    test_tcp_roundtrip_wildcard_address ();
    test_ipc ();
    test_abstract_ipc ();
    test_ipc_connect_missing ();
    test_inproc ();
    return tu_end ();
}
