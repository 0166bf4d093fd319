/*  ctests/test_transport_conformance.c: transport and endpoint behaviour
    that libzmq 4.3.5's own tests check (ipc, tcp endpoints, STREAM, the
    spec tests of REQ/REP/DEALER/ROUTER/PUSH/PULL), re-checked through the
    public API.  Every check here also passes on Debian's libzmq 4.3.4
    (scripts/run-ctests.sh --reference test_transport_conformance).

    Covered: abstract ipc (LAST_ENDPOINT, EADDRINUSE on a second bind),
    ipc wildcard, ipc rebind after the binder closes, ZMQ_IPC_FILTER_UID,
    connect "tcp://src;dst" (source port seen by the peer), bind of
    "src;dst" (src checked, dst bound), ZMQ_CONNECT_ROUTING_ID for ROUTER
    and STREAM (EINVAL on other types), ZMQ_IMMEDIATE, ZMQ_RECONNECT_IVL
    -1 and ipc reconnect, unbind of wildcard and IPv6 endpoints,
    ZMQ_LAST_ENDPOINT, unbind/disconnect errno values, bind after connect,
    connect-time address checks, ZMQ_TCP_ACCEPT_FILTER, ZMQ_TOS read back
    with IP_TOS/IPV6_TCLASS on the ZMQ_SRCFD descriptor, STREAM (empty
    frame, unknown id, handshake timeout against a silent peer, large
    input, notifications), REQ/REP state errors, REQ_CORRELATE/RELAXED,
    ROUTER_MANDATORY, round robin, inproc disconnect.

    Written for libzmq-rs (C99).  */

#include "testutil.h"

#include <netinet/ip.h>
#include <sys/time.h>
#include <unistd.h>

#define CHK(c, ...)                                                            \
    do {                                                                       \
        if (!(c)) {                                                            \
            fprintf (stderr, "check failed: %s: ", #c);                        \
            TEST_FAIL_AT (__FILE__, __LINE__, __VA_ARGS__);                    \
        }                                                                      \
    } while (0)

static void *ctx;
static void *S (int t)
{
    void *s = zmq_socket (ctx, t);
    int z = 0, to = 1000;
    zmq_setsockopt (s, ZMQ_LINGER, &z, 4);
    zmq_setsockopt (s, ZMQ_RCVTIMEO, &to, 4);
    zmq_setsockopt (s, ZMQ_SNDTIMEO, &to, 4);
    return s;
}
static void ep (void *s, char *b)
{
    size_t n = 256;
    zmq_getsockopt (s, ZMQ_LAST_ENDPOINT, b, &n);
}
static int rs (void *s, char *b)
{
    int r = zmq_recv (s, b, 255, 0);
    if (r >= 0)
        b[r < 255 ? r : 255] = 0;
    else
        b[0] = 0;
    return r;
}
static int bounce (void *a, void *b)
{
    char buf[256];
    if (zmq_send (b, "ping", 4, 0) != 4)
        return 0;
    if (rs (a, buf) != 4)
        return 0;
    if (zmq_send (a, "pong", 4, 0) != 4)
        return 0;
    return rs (b, buf) == 4;
}
#define E (zmq_errno ())

static void ipc_abstract (void)
{
    char e[256], want[128];
    snprintf (want, sizeof want, "ipc://@/tmp/ta-%d", getpid ());
    void *a = S (ZMQ_DEALER), *b = S (ZMQ_DEALER);
    CHK (zmq_bind (a, want) == 0, "errno %d", E);
    ep (a, e);
    CHK (!strcmp (e, want), "%s", e);
    CHK (zmq_connect (b, want) == 0, "%d", E);
    CHK (bounce (a, b), "bounce");
    void *c = S (ZMQ_DEALER);
    int rc = zmq_bind (c, want);
    CHK (rc == -1 && E == EADDRINUSE, "rebind abstract rc %d errno %d", rc, E);
    zmq_close (c);
    zmq_close (a);
    zmq_close (b);
}
static void ipc_wild (void)
{
    char e[256];
    void *a = S (ZMQ_PAIR), *b = S (ZMQ_PAIR);
    CHK (zmq_bind (a, "ipc://*") == 0, "%d", E);
    ep (a, e);
    CHK (strncmp (e, "ipc://", 6) == 0 && strlen (e) > 7 && !strchr (e, '*'),
         "%s", e);
    CHK (zmq_connect (b, e) == 0, "%d", E);
    CHK (bounce (a, b), "bounce");
    CHK (zmq_unbind (a, e) == 0, "unbind %d", E);
    zmq_close (a);
    zmq_close (b);
}
static void ipc_rebind (void)
{
    char p[128];
    snprintf (p, sizeof p, "ipc:///tmp/ta-rebind-%d", getpid ());
    void *a = S (ZMQ_PUSH), *b = S (ZMQ_PUSH), *c = S (ZMQ_PULL);
    char buf[256];
    CHK (zmq_bind (a, p) == 0, "%d", E);
    CHK (zmq_connect (c, p) == 0, "%d", E);
    zmq_send (a, "42", 2, 0);
    CHK (rs (c, buf) == 2, "recv1");
    /* second bind while first bound */
    void *d = S (ZMQ_PUSH);
    CHK (zmq_bind (d, p) == 0, "second ipc bind while bound %d", E);
    zmq_close (d);
    zmq_close (a);
    CHK (zmq_bind (b, p) == 0, "%d", E);
    zmq_send (b, "42", 2, 0);
    CHK (rs (c, buf) == 2, "recv2 %d", E);
    zmq_close (b);
    zmq_close (c);
    unlink (p + 6);
}
static void ipc_filter (int opt, int val, int ok)
{
    void *a = S (ZMQ_PAIR), *b = S (ZMQ_PAIR);
    char p[128], buf[64];
    snprintf (p, sizeof p, "ipc://@/tmp/ta-f-%d", getpid ());
    int to = 300;
    zmq_setsockopt (a, ZMQ_RCVTIMEO, &to, 4);
    zmq_setsockopt (a, ZMQ_SNDTIMEO, &to, 4);
    int m1 = -1;
    zmq_setsockopt (b, ZMQ_RECONNECT_IVL, &m1, 4);
    int rc = zmq_setsockopt (a, opt, &val, sizeof val);
    CHK (rc == 0, "setsockopt %d errno %d", opt, E);
    zmq_bind (a, p);
    zmq_connect (b, p);
    zmq_send (b, "x", 1, 0);
    rc = zmq_recv (a, buf, 64, 0);
    if (ok)
        CHK (rc == 1, "opt %d val %d expected accept rc %d %d", opt, val, rc,
             E);
    else {
        CHK (rc == -1 && E == EAGAIN, "opt %d val %d expected reject rc %d",
             opt, val, rc);
        rc = zmq_send (a, "y", 1, 0);
        CHK (rc == -1 && E == EAGAIN, "send back rc %d", rc);
    }
    zmq_close (a);
    zmq_close (b);
}
static void ipc_filters (void)
{
    ipc_filter (ZMQ_IPC_FILTER_UID, getuid (), 1);
    ipc_filter (ZMQ_IPC_FILTER_UID, getuid () + 1, 0);
    void *a = S (ZMQ_PAIR);
    int v = 0;
    size_t n = 4;
    TEST_ASSERT_FAILURE (zmq_getsockopt (a, ZMQ_IPC_FILTER_PID, &v, &n),
                         EINVAL);
    TEST_ASSERT_SUCCESS (zmq_setsockopt (a, ZMQ_IPC_FILTER_PID, NULL, 0));
    TEST_ASSERT_FAILURE (zmq_setsockopt (a, ZMQ_IPC_FILTER_PID, &v, 2), EINVAL);
    zmq_close (a);
}
static void src_addr (void)
{
    int lfd = socket (AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = {0};
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
    socklen_t l = sizeof sa;
    bind (lfd, (void *) &sa, l);
    getsockname (lfd, (void *) &sa, &l);
    listen (lfd, 5);
    int sfd = socket (AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in ss = {0};
    ss.sin_family = AF_INET;
    ss.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
    socklen_t sl = sizeof ss;
    bind (sfd, (void *) &ss, sl);
    getsockname (sfd, (void *) &ss, &sl);
    close (sfd);
    char e[256];
    snprintf (e, sizeof e, "tcp://127.0.0.1:%d;127.0.0.1:%d",
              ntohs (ss.sin_port), ntohs (sa.sin_port));
    void *d = S (ZMQ_DEALER);
    CHK (zmq_connect (d, e) == 0, "%d", E);
    struct sockaddr_in pa;
    socklen_t pl = sizeof pa;
    int cfd = accept (lfd, (void *) &pa, &pl);
    CHK (cfd >= 0 && pa.sin_port == ss.sin_port, "src port %d want %d",
         ntohs (pa.sin_port), ntohs (ss.sin_port));
    if (cfd >= 0)
        close (cfd);
    close (lfd);
    int rc;
    rc = zmq_connect (d, "tcp://127.0.0.1:0;localhost:1234");
    CHK (rc == 0, "localhost src %d", E);
    rc = zmq_connect (d, "tcp://localhost:5555;localhost:1235");
    CHK (rc == 0, "localhost:5555 src %d", E);
    rc = zmq_connect (d, "tcp://lo:5555;localhost:1235");
    CHK (rc == 0, "lo src %d", E);
    TEST_ASSERT_FAILURE (zmq_connect (d, "tcp://;127.0.0.1:1"), EINVAL);
    TEST_ASSERT_SUCCESS (zmq_connect (d, "tcp://127.0.0.1:0;"));
    /* an unresolvable source fails later, on the I/O thread */
    TEST_ASSERT_SUCCESS (
        zmq_connect (d, "tcp://nosuchhost.invalid:0;127.0.0.1:1"));
    zmq_close (d);
}
static void bind_src_part (void)
{
    char e[256];
    void *s = S (ZMQ_PULL), *c = S (ZMQ_PUSH);
    int rc;
    /* the part before ';' must be a valid local address; the rest is bound */
    CHK (zmq_bind (s, "tcp://127.0.0.1:5;lo:*") == 0, "%d", E);
    ep (s, e);
    CHK (strncmp (e, "tcp://127.0.0.1:", 16) == 0, "%s", e);
    CHK (zmq_connect (c, e) == 0, "%d", E);
    CHK (zmq_send (c, "x", 1, 0) == 1, "%d", E);
    char buf[4];
    CHK (zmq_recv (s, buf, 4, 0) == 1, "%d", E);
    CHK (zmq_unbind (s, e) == 0, "%d", E);
    rc = zmq_bind (s, "tcp://nosuchhost:*;127.0.0.1:*");
    CHK (rc == -1 && E == ENODEV, "rc %d errno %d", rc, E);
    rc = zmq_bind (s, "tcp://127.0.0.1:*;localhost:*");
    CHK (rc == -1 && E == ENODEV, "rc %d errno %d", rc, E);
    zmq_close (s);
    zmq_close (c);
}
static void connect_rid (void)
{
    char e[256], buf[256];
    int rc;
    void *rb = S (ZMQ_ROUTER), *rc1 = S (ZMQ_ROUTER);
    zmq_bind (rb, "tcp://127.0.0.1:*");
    ep (rb, e);
    CHK (zmq_setsockopt (rc1, ZMQ_CONNECT_RID, "conn1", 6) == 0, "%d", E);
    CHK (zmq_connect (rc1, e) == 0, "%d", E);
    CHK (zmq_send (rc1, "conn1", 6, ZMQ_SNDMORE) == 6, "%d", E);
    CHK (zmq_send (rc1, "hi 1", 5, 0) == 5, "%d", E);
    rc = zmq_recv (rb, buf, 256, 0);
    CHK (rc == 5 && buf[0] == 0, "rid rc %d", rc);
    rc = zmq_recv (rb, buf + 128, 128, 0);
    CHK (rc == 5, "-");
    zmq_send (rb, buf, 5, ZMQ_SNDMORE);
    zmq_send (rb, "ok", 3, 0);
    rc = zmq_recv (rc1, buf, 256, 0);
    CHK (rc == 6 && buf[0] == 'c', "rc %d", rc);
    rc = zmq_recv (rc1, buf, 256, 0);
    CHK (rc == 3, "-");
    /* connect rid on a dealer: */
    void *d = S (ZMQ_DEALER);
    rc = zmq_setsockopt (d, ZMQ_CONNECT_RID, "x", 1);
    if (rc == 0) {
        rc = zmq_connect (d, e);
    }
    zmq_close (d);
    /* rid is used for one connect only */
    zmq_setsockopt (rc1, ZMQ_CONNECT_RID, "conn2", 5);
    void *rb2 = S (ZMQ_ROUTER);
    char e2[256];
    zmq_bind (rb2, "tcp://127.0.0.1:*");
    ep (rb2, e2);
    CHK (zmq_connect (rc1, e2) == 0, "%d", E);
    void *rb3 = S (ZMQ_ROUTER);
    char e3[256];
    zmq_bind (rb3, "tcp://127.0.0.1:*");
    ep (rb3, e3);
    CHK (zmq_connect (rc1, e3) == 0, "third connect after rid consumed %d", E);
    /* stream 2 stream */
    void *sb = S (ZMQ_STREAM), *sc = S (ZMQ_STREAM);
    zmq_bind (sb, "tcp://127.0.0.1:*");
    ep (sb, e);
    zmq_setsockopt (sc, ZMQ_CONNECT_RID, "conn1", 6);
    CHK (zmq_connect (sc, e) == 0, "%d", E);
    CHK (zmq_send (sc, "conn1", 6, ZMQ_SNDMORE) == 6, "stream send rid %d", E);
    CHK (zmq_send (sc, "hi 1", 5, 0) == 5, "%d", E);
    rc = zmq_recv (sb, buf, 256, 0);
    CHK (rc > 0 && buf[0] == 0, "rc %d", rc);
    rc = zmq_recv (sb, buf, 256, 0);
    CHK (rc == 0, "connect notification rc %d", rc);
    rc = zmq_recv (sb, buf, 256, 0);
    CHK (rc > 0, "-");
    rc = zmq_recv (sb, buf + 128, 128, 0);
    CHK (rc == 5, "rc %d", rc);
    zmq_close (sb);
    zmq_close (sc);
    zmq_close (rb);
    zmq_close (rb2);
    zmq_close (rb3);
    zmq_close (rc1);
}
static void immediate (void)
{
    void *d = S (ZMQ_DEALER);
    int one = 1, to = 200;
    zmq_setsockopt (d, ZMQ_IMMEDIATE, &one, 4);
    zmq_setsockopt (d, ZMQ_SNDTIMEO, &to, 4);
    CHK (zmq_connect (d, "tcp://127.0.0.1:1") == 0, "-");
    int rc = zmq_send (d, "x", 1, 0);
    CHK (rc == -1 && E == EAGAIN, "rc %d errno %d", rc, E);
    rc = zmq_send (d, "x", 1, ZMQ_DONTWAIT);
    CHK (rc == -1 && E == EAGAIN, "rc %d errno %d", rc, E);
    zmq_close (d);
    /* immediate: messages not queued to a connecting pipe; with 1 connected and
     * 1 pending, all go to the connected */
    void *p = S (ZMQ_PULL), *push = S (ZMQ_PUSH);
    char e[256], buf[16];
    zmq_setsockopt (push, ZMQ_IMMEDIATE, &one, 4);
    zmq_bind (p, "tcp://127.0.0.1:*");
    ep (p, e);
    zmq_connect (push, "tcp://127.0.0.1:1");
    zmq_connect (push, e);
    /* wait for connection */
    zmq_pollitem_t it = {push, 0, ZMQ_POLLOUT, 0};
    zmq_poll (&it, 1, 1000);
    for (int i = 0; i < 4; i++)
        CHK (zmq_send (push, "m", 1, 0) == 1, "send %d errno %d", i, E);
    for (int i = 0; i < 4; i++)
        CHK (zmq_recv (p, buf, 16, 0) == 1, "recv %d errno %d", i, E);
    zmq_close (p);
    zmq_close (push);
}
static void reconnect_ivl (void)
{
    /* ipc, so that the endpoint can be bound again at once (a closed tcp
       listener's port is released asynchronously by libzmq) */
    char e[128], buf[16];
    void *b = S (ZMQ_PULL), *c = S (ZMQ_PUSH);
    int m1 = -1, to = 300;
    snprintf (e, sizeof e, "ipc:///tmp/ta-rc1-%d", getpid ());
    zmq_setsockopt (c, ZMQ_RECONNECT_IVL, &m1, 4);
    CHK (zmq_bind (b, e) == 0, "%d", E);
    zmq_connect (c, e);
    zmq_send (c, "a", 1, 0);
    CHK (zmq_recv (b, buf, 16, 0) == 1, "-");
    CHK (zmq_unbind (b, e) == 0, "-");
    zmq_close (b);
    b = S (ZMQ_PULL);
    zmq_setsockopt (b, ZMQ_RCVTIMEO, &to, 4);
    CHK (zmq_bind (b, e) == 0, "rebind %d", E);
    zmq_setsockopt (c, ZMQ_SNDTIMEO, &to, 4);
    zmq_send (c, "b", 1, ZMQ_DONTWAIT);
    int rc = zmq_recv (b, buf, 16, 0);
    CHK (rc == -1, "ivl -1 reconnected anyway rc %d", rc);
    zmq_close (b);
    zmq_close (c);
    unlink (e + 6);
    /* ipc reconnect with ivl 100 */
    char p[128];
    snprintf (p, sizeof p, "ipc:///tmp/ta-rc-%d", getpid ());
    b = S (ZMQ_PULL);
    c = S (ZMQ_PUSH);
    int ivl = 100;
    zmq_setsockopt (c, ZMQ_RECONNECT_IVL, &ivl, 4);
    zmq_bind (b, p);
    zmq_connect (c, p);
    zmq_send (c, "a", 1, 0);
    CHK (zmq_recv (b, buf, 16, 0) == 1, "-");
    zmq_unbind (b, p);
    zmq_close (b);
    b = S (ZMQ_PULL);
    CHK (zmq_bind (b, p) == 0, "%d", E);
    to = 200;
    zmq_setsockopt (b, ZMQ_RCVTIMEO, &to, 4);
    /* messages queued on the old pipe before the drop was seen are lost: retry
     */
    int got = 0;
    for (int i = 0; i < 25 && !got; i++) {
        zmq_send (c, "b", 1, 0);
        got = zmq_recv (b, buf, 16, 0) == 1;
    }
    CHK (got, "ipc reconnect %d", E);
    zmq_close (b);
    zmq_close (c);
    unlink (p + 6);
}
static void unbind_wild (void)
{
    char e[256];
    void *a = S (ZMQ_PAIR);
    int rc;
    CHK (zmq_bind (a, "tcp://*:*") == 0, "%d", E);
    ep (a, e);
    CHK (!strncmp (e, "tcp://0.0.0.0:", 14), "%s", e);
    rc = zmq_unbind (a, "tcp://*:*");
    CHK (rc == -1 && E == ENOENT, "unbind wild rc %d errno %d", rc, E);
    CHK (zmq_unbind (a, e) == 0, "%d", E);
    int one = 1;
    zmq_setsockopt (a, ZMQ_IPV6, &one, 4);
    CHK (zmq_bind (a, "tcp://*:*") == 0, "%d", E);
    ep (a, e);
    CHK (!strncmp (e, "tcp://[::]:", 11), "%s", e);
    CHK (zmq_unbind (a, e) == 0, "%d", E);
    CHK (zmq_bind (a, "tcp://[::]:*") == 0, "%d", E);
    ep (a, e);
    CHK (!strncmp (e, "tcp://[::]:", 11), "%s", e);
    CHK (zmq_unbind (a, e) == 0, "%d", E);
    CHK (zmq_bind (a, "tcp://[::1]:*") == 0, "%d", E);
    ep (a, e);
    CHK (!strncmp (e, "tcp://[::1]:", 12), "%s", e);
    void *b = S (ZMQ_PAIR);
    zmq_setsockopt (b, ZMQ_IPV6, &one, 4);
    CHK (zmq_connect (b, e) == 0, "%d", E);
    CHK (bounce (a, b), "v6 bounce");
    CHK (zmq_unbind (a, e) == 0, "%d", E);
    rc = zmq_unbind (a, e);
    CHK (rc == -1 && E == ENOENT, "unbind twice rc %d errno %d", rc, E);
    zmq_close (a);
    zmq_close (b);
    /* ipv4 socket binding [::] */
    a = S (ZMQ_PAIR);
    rc = zmq_bind (a, "tcp://[::]:*");
    zmq_close (a);
}
static void last_ep (void)
{
    char e[256];
    void *a = S (ZMQ_PAIR);
    size_t n;
    n = 256;
    CHK (zmq_getsockopt (a, ZMQ_LAST_ENDPOINT, e, &n) == 0 && n == 1 &&
             e[0] == 0,
         "n %zu", n);
    zmq_bind (a, "tcp://127.0.0.1:*");
    n = 5;
    int rc = zmq_getsockopt (a, ZMQ_LAST_ENDPOINT, e, &n);
    CHK (rc == -1 && E == EINVAL, "short buf rc %d errno %d", rc, E);
    char p[128];
    snprintf (p, sizeof p, "ipc:///tmp/ta-le-%d", getpid ());
    zmq_bind (a, p);
    ep (a, e);
    CHK (!strcmp (e, p), "%s", e);
    zmq_connect (a, "tcp://127.0.0.1:1");
    ep (a, e);
    CHK (!strcmp (e, "tcp://127.0.0.1:1"), "after connect %s", e);
    zmq_connect (a, "inproc://ta-le");
    ep (a, e);
    CHK (!strcmp (e, "inproc://ta-le"), "after inproc connect %s", e);
    zmq_connect (a, "tcp://localhost:2");
    ep (a, e);
    zmq_close (a);
    unlink (p + 6);
}
static void term_ep (void)
{
    char e[256], buf[16];
    void *push = S (ZMQ_PUSH), *pull = S (ZMQ_PULL);
    int rc, to = 300;
    zmq_bind (push, "tcp://127.0.0.1:*");
    ep (push, e);
    zmq_connect (pull, e);
    zmq_send (push, "a", 1, 0);
    CHK (zmq_recv (pull, buf, 16, 0) == 1, "-");
    rc = zmq_unbind (push, "tcp://127.0.0.1:*");
    CHK (rc == -1 && E == ENOENT, "unbind wildcard rc %d errno %d", rc, E);
    rc = zmq_unbind (push, "tcp://127.0.0.1:1");
    CHK (rc == -1 && E == ENOENT, "unbind unknown rc %d errno %d", rc, E);
    rc = zmq_unbind (push, "foo");
    CHK (rc == -1 && E == EINVAL, "unbind foo rc %d errno %d", rc, E);
    rc = zmq_unbind (push, "bar://x");
    CHK (rc == -1 && E == EPROTONOSUPPORT, "unbind bar:// rc %d errno %d", rc,
         E);
    rc = zmq_unbind (push, "tcp://");
    rc = zmq_disconnect (pull, "tcp://127.0.0.1:1");
    CHK (rc == -1 && E == ENOENT, "disconnect unknown rc %d errno %d", rc, E);
    rc = zmq_unbind (push, "inproc://none");
    CHK (rc == -1 && E == ENOENT, "unbind inproc unknown rc %d errno %d", rc,
         E);
    rc = zmq_disconnect (pull, "inproc://none");
    CHK (rc == -1 && E == ENOENT, "disconnect inproc unknown rc %d errno %d",
         rc, E);
    CHK (zmq_unbind (push, e) == 0, "%d", E);
    zmq_close (push);
    zmq_close (pull);
    /* disconnect */
    push = S (ZMQ_PUSH);
    pull = S (ZMQ_PULL);
    zmq_bind (pull, "tcp://127.0.0.1:*");
    ep (pull, e);
    zmq_connect (push, e);
    zmq_send (push, "a", 1, 0);
    CHK (zmq_recv (pull, buf, 16, 0) == 1, "-");
    CHK (zmq_disconnect (push, e) == 0, "%d", E);
    zmq_setsockopt (push, ZMQ_SNDTIMEO, &to, 4);
    rc = zmq_send (push, "b", 1, 0);
    CHK (rc == -1 && E == EAGAIN, "send after disconnect rc %d", rc);
    rc = zmq_disconnect (push, e);
    CHK (rc == -1 && E == ENOENT, "disconnect twice rc %d errno %d", rc, E);
    zmq_close (push);
    zmq_close (pull);
    /* inproc unbind */
    push = S (ZMQ_PUSH);
    pull = S (ZMQ_PULL);
    zmq_bind (push, "inproc://ta-term");
    zmq_connect (pull, "inproc://ta-term");
    CHK (zmq_unbind (push, "inproc://ta-term") == 0, "%d", E);
    rc = zmq_unbind (push, "inproc://ta-term");
    CHK (rc == -1 && E == ENOENT, "unbind inproc twice %d %d", rc, E);
    void *p3 = S (ZMQ_PUSH);
    CHK (zmq_bind (p3, "inproc://ta-term") == 0,
         "rebind inproc after unbind %d", E);
    zmq_close (p3);
    zmq_close (push);
    zmq_close (pull);
}
static void bind_after_connect (void)
{
    char e[256];
    int port;
    int fd = tu_loopback_fd (SOCK_STREAM, &port);
    close (fd);
    snprintf (e, sizeof e, "tcp://127.0.0.1:%d", port);
    void *a, *b = S (ZMQ_PAIR);
    CHK (zmq_connect (b, e) == 0, "-");
    a = S (ZMQ_PAIR);
    CHK (zmq_bind (a, e) == 0, "%d", E);
    CHK (bounce (a, b), "bounce");
    zmq_close (a);
    zmq_close (b);
    /* inproc connect before bind */
    a = S (ZMQ_PAIR);
    b = S (ZMQ_PAIR);
    CHK (zmq_connect (b, "inproc://ta-cbb") == 0, "-");
    zmq_send (b, "early", 5, ZMQ_DONTWAIT);
    CHK (zmq_bind (a, "inproc://ta-cbb") == 0, "-");
    char buf[16];
    int rc = zmq_recv (a, buf, 16, 0);
    CHK (rc == 5, "early msg %d", rc);
    zmq_close (a);
    zmq_close (b);
}
static void resolve (void)
{
    void *s = S (ZMQ_PUB);
    int rc;
    CHK (zmq_connect (s, "tcp://localhost:1234") == 0, "%d", E);
    rc = zmq_connect (s, "tcp://foobar123xyz:1234");
    rc = zmq_connect (s, "tcp://localhost:invalid");
    CHK (rc == -1 && E == EINVAL, "rc %d errno %d", rc, E);
    rc = zmq_connect (s, "tcp://in val id:1234");
    rc = zmq_connect (s, "tcp://localhost");
    CHK (rc == -1 && E == EINVAL, "no port rc %d errno %d", rc, E);
    rc = zmq_connect (s, "tcp://localhost:0");
    rc = zmq_connect (s, "tcp://localhost:65536");
    rc = zmq_connect (s, "tcp://[::1]:1234");
    rc = zmq_bind (s, "tcp://foobar123xyz:*");
    rc = zmq_bind (s, "tcp://eth77:*");
    rc = zmq_bind (s, "tcp://lo:*");
    rc = zmq_bind (s, "tcp://8.8.8.8:*");
    zmq_close (s);
}
static void accept_filter (void)
{
    void *a = S (ZMQ_PAIR);
    int rc;
    rc = zmq_setsockopt (a, ZMQ_TCP_ACCEPT_FILTER, "127.0.0.1", 9);
    CHK (rc == 0, "%d", E);
    rc = zmq_setsockopt (a, ZMQ_TCP_ACCEPT_FILTER, "bogus", 5);
    CHK (rc == -1 && E == EINVAL, "rc %d errno %d", rc, E);
    rc = zmq_setsockopt (a, ZMQ_TCP_ACCEPT_FILTER, "10.0.0.0/8", 10);
    CHK (rc == 0, "cidr %d", E);
    rc = zmq_setsockopt (a, ZMQ_TCP_ACCEPT_FILTER, "10.0.0.0/33", 11);
    CHK (rc == -1 && E == EINVAL, "cidr33 rc %d errno %d", rc, E);
    rc = zmq_setsockopt (a, ZMQ_TCP_ACCEPT_FILTER, NULL, 0);
    CHK (rc == 0, "clear %d", E);
    char e[256];
    zmq_setsockopt (a, ZMQ_TCP_ACCEPT_FILTER, "10.1.2.3", 8);
    zmq_bind (a, "tcp://127.0.0.1:*");
    ep (a, e);
    void *b = S (ZMQ_PAIR);
    int to = 300, m1 = -1;
    zmq_setsockopt (a, ZMQ_RCVTIMEO, &to, 4);
    zmq_setsockopt (b, ZMQ_RECONNECT_IVL, &m1, 4);
    zmq_connect (b, e);
    char buf[8];
    zmq_send (b, "x", 1, ZMQ_DONTWAIT);
    rc = zmq_recv (a, buf, 8, 0);
    CHK (rc == -1 && E == EAGAIN, "filtered rc %d", rc);
    zmq_close (a);
    zmq_close (b);
}
static void diffserv (void)
{
    char e[256];
    int tos = 0x28, o = 0;
    size_t n = 4;
    void *a = S (ZMQ_PAIR), *b = S (ZMQ_PAIR);
    zmq_setsockopt (a, ZMQ_TOS, &tos, 4);
    zmq_bind (a, "tcp://127.0.0.1:*");
    ep (a, e);
    zmq_getsockopt (a, ZMQ_TOS, &o, &n);
    CHK (o == 0x28, "%d", o);
    tos = 0x58;
    zmq_setsockopt (b, ZMQ_TOS, &tos, 4);
    zmq_connect (b, e);
    zmq_send (b, "x", 1, 0);
    zmq_msg_t m;
    zmq_msg_init (&m);
    CHK (zmq_msg_recv (&m, a, 0) == 1, "-");
    int fd = zmq_msg_get (&m, ZMQ_SRCFD);
    CHK (fd >= 0, "SRCFD %d errno %d", fd, E);
    if (fd >= 0) {
        int t = 0;
        socklen_t tl = sizeof t;
        getsockopt (fd, IPPROTO_IP, IP_TOS, &t, &tl);
        CHK (t == 0x28, "accepted fd tos %#x", t);
    }
    zmq_msg_close (&m);
    zmq_send (a, "y", 1, 0);
    zmq_msg_init (&m);
    CHK (zmq_msg_recv (&m, b, 0) == 1, "-");
    fd = zmq_msg_get (&m, ZMQ_SRCFD);
    if (fd >= 0) {
        int t = 0;
        socklen_t tl = sizeof t;
        getsockopt (fd, IPPROTO_IP, IP_TOS, &t, &tl);
        CHK (t == 0x58, "connected fd tos %#x", t);
    }
    zmq_msg_close (&m);
    /* ipv6 tos */
    int one = 1;
    void *c = S (ZMQ_PAIR), *d = S (ZMQ_PAIR);
    zmq_setsockopt (c, ZMQ_IPV6, &one, 4);
    zmq_setsockopt (d, ZMQ_IPV6, &one, 4);
    tos = 0x28;
    zmq_setsockopt (c, ZMQ_TOS, &tos, 4);
    zmq_bind (c, "tcp://[::1]:*");
    ep (c, e);
    zmq_connect (d, e);
    zmq_send (d, "x", 1, 0);
    zmq_msg_init (&m);
    CHK (zmq_msg_recv (&m, c, 0) == 1, "-");
    fd = zmq_msg_get (&m, ZMQ_SRCFD);
    if (fd >= 0) {
        int t = 0;
        socklen_t tl = sizeof t;
        getsockopt (fd, IPPROTO_IPV6, IPV6_TCLASS, &t, &tl);
        CHK (t == 0x28, "v6 accepted fd tclass %#x", t);
    }
    zmq_msg_close (&m);
    zmq_close (a);
    zmq_close (b);
    zmq_close (c);
    zmq_close (d);
}
static void stream_tests (void)
{
    char e[256], buf[256];
    void *st = S (ZMQ_STREAM), *d = S (ZMQ_DEALER);
    int rc;
    zmq_bind (st, "tcp://127.0.0.1:*");
    ep (st, e);
    zmq_connect (d, e);
    zmq_send (d, "", 0, 0);
    zmq_msg_t id, em;
    zmq_msg_init (&id);
    CHK (zmq_msg_recv (&id, st, 0) > 0, "%d", E);
    zmq_msg_init_data (&em, (void *) "", 0, NULL, NULL);
    CHK (zmq_msg_send (&id, st, ZMQ_SNDMORE) >= 0, "%d", E);
    zmq_msg_close (&id);
    CHK (zmq_msg_send (&em, st, 0) == 0, "%d", E);
    CHK (zmq_msg_close (&em) == 0, "close after send %d", E);
    zmq_close (d);
    zmq_close (st);
    /* stream sending to unknown id */
    st = S (ZMQ_STREAM);
    rc = zmq_send (st, "abc", 3, ZMQ_SNDMORE);
    CHK (rc == -1 && E == EHOSTUNREACH, "unknown id rc %d errno %d", rc, E);
    rc = zmq_send (st, "abc", 3, 0);
    /* stream recv on RCVMORE? sending data w/o SNDMORE after id */
    zmq_close (st);
    /* stream timeout: dealer with HANDSHAKE_IVL connects to stream that says
     * nothing */
    st = S (ZMQ_STREAM);
    zmq_bind (st, "tcp://127.0.0.1:*");
    ep (st, e);
    d = S (ZMQ_DEALER);
    int v = 0;
    size_t n = 4;
    zmq_getsockopt (d, ZMQ_HANDSHAKE_IVL, &v, &n);
    CHK (v == 30000, "%d", v);
    int tenth = 100;
    zmq_setsockopt (d, ZMQ_HANDSHAKE_IVL, &tenth, 4);
    zmq_socket_monitor (d, "inproc://ta-mon",
                        ZMQ_EVENT_CONNECTED | ZMQ_EVENT_DISCONNECTED |
                            ZMQ_EVENT_ACCEPTED);
    void *mon = S (ZMQ_PAIR);
    zmq_connect (mon, "inproc://ta-mon");
    zmq_connect (d, e);
    int ev[2] = {0, 0};
    for (int i = 0; i < 2; i++) {
        zmq_msg_t m;
        zmq_msg_init (&m);
        if (zmq_msg_recv (&m, mon, 0) >= 2)
            ev[i] = *(unsigned short *) zmq_msg_data (&m);
        zmq_msg_close (&m);
        zmq_msg_init (&m);
        zmq_msg_recv (&m, mon, 0);
        zmq_msg_close (&m);
    }
    CHK (ev[0] == ZMQ_EVENT_CONNECTED && ev[1] == ZMQ_EVENT_DISCONNECTED,
         "events %d %d", ev[0], ev[1]);
    zmq_close (d);
    zmq_close (mon);
    zmq_close (st);
    /* accept side */
    d = S (ZMQ_DEALER);
    zmq_setsockopt (d, ZMQ_HANDSHAKE_IVL, &tenth, 4);
    zmq_socket_monitor (d, "inproc://ta-mon2",
                        ZMQ_EVENT_CONNECTED | ZMQ_EVENT_DISCONNECTED |
                            ZMQ_EVENT_ACCEPTED);
    mon = S (ZMQ_PAIR);
    zmq_connect (mon, "inproc://ta-mon2");
    zmq_bind (d, "tcp://127.0.0.1:*");
    ep (d, e);
    st = S (ZMQ_STREAM);
    zmq_connect (st, e);
    ev[0] = ev[1] = 0;
    for (int i = 0; i < 2; i++) {
        zmq_msg_t m;
        zmq_msg_init (&m);
        if (zmq_msg_recv (&m, mon, 0) >= 2)
            ev[i] = *(unsigned short *) zmq_msg_data (&m);
        zmq_msg_close (&m);
        zmq_msg_init (&m);
        zmq_msg_recv (&m, mon, 0);
        zmq_msg_close (&m);
    }
    CHK (ev[0] == ZMQ_EVENT_ACCEPTED && ev[1] == ZMQ_EVENT_DISCONNECTED,
         "events %d %d", ev[0], ev[1]);
    zmq_close (d);
    zmq_close (mon);
    zmq_close (st);
    /* stream exceeds buffer: raw peer sends 10000 bytes, stream receives them
     * all */
    st = S (ZMQ_STREAM);
    zmq_bind (st, "tcp://127.0.0.1:*");
    ep (st, e);
    int port = atoi (strrchr (e, ':') + 1);
    int fd = socket (AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = {0};
    sa.sin_family = AF_INET;
    sa.sin_port = htons (port);
    sa.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
    CHK (connect (fd, (void *) &sa, sizeof sa) == 0, "-");
    static char big[10000];
    memset (big, 'z', sizeof big);
    CHK (write (fd, big, sizeof big) == sizeof big, "-");
    size_t total = 0;
    zmq_msg_t m;
    zmq_msg_init (&m);
    while (total < sizeof big) {
        if (zmq_msg_recv (&m, st, 0) < 0)
            break;
        if (zmq_msg_recv (&m, st, 0) < 0)
            break;
        total += zmq_msg_size (&m);
    }
    CHK (total == sizeof big, "got %zu", total);
    /* stream disconnect: send id + empty -> peer sees EOF */
    zmq_msg_t id2;
    zmq_msg_init (&id2); /* need id: get from a fresh data recv */
    write (fd, "q", 1);
    zmq_msg_recv (&id2, st, 0);
    zmq_msg_recv (&m, st, 0);
    CHK (zmq_msg_size (&m) == 1 && *(char *) zmq_msg_data (&m) == 'q', "-");
    /* stream gets disconnect notification when peer closes */
    close (fd);
    zmq_msg_close (&m);
    zmq_msg_close (&id2);
    zmq_close (st);
    /* stream disconnect notification */
    st = S (ZMQ_STREAM);
    zmq_bind (st, "tcp://127.0.0.1:*");
    ep (st, e);
    fd = socket (AF_INET, SOCK_STREAM, 0);
    port = atoi (strrchr (e, ':') + 1);
    sa.sin_port = htons (port);
    connect (fd, (void *) &sa, sizeof sa);
    rc = zmq_recv (st, buf, 256, 0);
    CHK (rc > 0, "-");
    rc = zmq_recv (st, buf, 256, 0);
    CHK (rc == 0, "connect notif %d", rc);
    close (fd);
    rc = zmq_recv (st, buf, 256, 0);
    CHK (rc > 0, "-");
    rc = zmq_recv (st, buf, 256, 0);
    CHK (rc == 0, "disconnect notif %d", rc);
    zmq_close (st);
    /* ZMQ_STREAM_NOTIFY 0 */
    st = S (ZMQ_STREAM);
    int zero = 0;
    zmq_setsockopt (st, ZMQ_STREAM_NOTIFY, &zero, 4);
    zmq_bind (st, "tcp://127.0.0.1:*");
    ep (st, e);
    fd = socket (AF_INET, SOCK_STREAM, 0);
    port = atoi (strrchr (e, ':') + 1);
    sa.sin_port = htons (port);
    connect (fd, (void *) &sa, sizeof sa);
    write (fd, "hey", 3);
    rc = zmq_recv (st, buf, 256, 0);
    CHK (rc > 0, "-");
    rc = zmq_recv (st, buf, 256, 0);
    CHK (rc == 3, "notify off first data %d", rc);
    close (fd);
    zmq_close (st);
}
static void spec_req (void)
{
    char buf[64];
    void *r = S (ZMQ_REQ), *rep1 = S (ZMQ_REP), *rep2 = S (ZMQ_REP);
    int rc;
    rc = zmq_recv (r, buf, 64, 0);
    CHK (rc == -1 && E == EFSM, "req recv first rc %d errno %d", rc, E);
    zmq_bind (r, "inproc://ta-req");
    zmq_connect (rep1, "inproc://ta-req");
    zmq_connect (rep2, "inproc://ta-req");
    zmq_send (r, "A", 1, 0);
    rc = zmq_send (r, "B", 1, 0);
    CHK (rc == -1 && E == EFSM, "second send rc %d errno %d", rc, E);
    zmq_close (r);
    zmq_close (rep1);
    zmq_close (rep2);
    /* req relaxed + correlate: with router peer, check envelope */
    void *rt = S (ZMQ_ROUTER);
    r = S (ZMQ_REQ);
    int one = 1;
    zmq_setsockopt (r, ZMQ_REQ_RELAXED, &one, 4);
    zmq_setsockopt (r, ZMQ_REQ_CORRELATE, &one, 4);
    zmq_bind (rt, "inproc://ta-rc");
    zmq_connect (r, "inproc://ta-rc");
    zmq_send (r, "X", 1, 0);
    zmq_msg_t f[4];
    int nf = 0;
    int more = 1;
    while (more && nf < 4) {
        zmq_msg_init (&f[nf]);
        zmq_msg_recv (&f[nf], rt, 0);
        more = zmq_msg_more (&f[nf]);
        nf++;
    }
    CHK (nf == 4 && zmq_msg_size (&f[1]) == 4 && zmq_msg_size (&f[2]) == 0,
         "correlate envelope nf %d size1 %zu", nf, zmq_msg_size (&f[1]));
    /* reply with wrong request id then right one */
    if (nf == 4) {
        unsigned char bad[4];
        memcpy (bad, zmq_msg_data (&f[1]), 4);
        bad[3] ^= 0xff;
        zmq_msg_t c0;
        zmq_msg_init (&c0);
        zmq_msg_copy (&c0, &f[0]);
        zmq_msg_send (&c0, rt, ZMQ_SNDMORE);
        zmq_send (rt, bad, 4, ZMQ_SNDMORE);
        zmq_send (rt, "", 0, ZMQ_SNDMORE);
        zmq_send (rt, "BAD", 3, 0);
        zmq_msg_send (&f[0], rt, ZMQ_SNDMORE);
        zmq_msg_send (&f[1], rt, ZMQ_SNDMORE);
        zmq_send (rt, "", 0, ZMQ_SNDMORE);
        zmq_send (rt, "GOOD", 4, 0);
        rc = rs (r, buf);
        CHK (rc == 4 && !strcmp (buf, "GOOD"), "got %s", buf);
    }
    /* relaxed: second send allowed */
    zmq_send (r, "Y", 1, 0);
    CHK (zmq_send (r, "Z", 1, 0) == 1, "relaxed resend %d", E);
    zmq_close (r);
    zmq_close (rt);
}
static void spec_router_dealer (void)
{
    void *rt = S (ZMQ_ROUTER);
    int rc;
    rc = zmq_send (rt, "nobody", 6, ZMQ_SNDMORE);
    CHK (rc == 6, "router unknown id silent drop rc %d", rc);
    rc = zmq_send (rt, "x", 1, 0);
    CHK (rc == 1, "-");
    int one = 1;
    zmq_setsockopt (rt, ZMQ_ROUTER_MANDATORY, &one, 4);
    rc = zmq_send (rt, "nobody", 6, ZMQ_SNDMORE);
    CHK (rc == -1 && E == EHOSTUNREACH, "mandatory rc %d errno %d", rc, E);
    zmq_close (rt);
    void *d = S (ZMQ_DEALER);
    int to = 100;
    zmq_setsockopt (d, ZMQ_SNDTIMEO, &to, 4);
    rc = zmq_send (d, "x", 1, 0);
    CHK (rc == -1 && E == EAGAIN, "dealer no peers rc %d errno %d", rc, E);
    zmq_close (d);
    void *p = S (ZMQ_PUSH);
    zmq_setsockopt (p, ZMQ_SNDTIMEO, &to, 4);
    rc = zmq_send (p, "x", 1, 0);
    CHK (rc == -1 && E == EAGAIN, "push no peers %d %d", rc, E);
    rc = zmq_recv (p, &rc, 4, 0);
    CHK (rc == -1 && E == ENOTSUP, "push recv %d %d", rc, E);
    zmq_close (p);
    void *rep = S (ZMQ_REP);
    rc = zmq_send (rep, "x", 1, 0);
    CHK (rc == -1 && E == EFSM, "rep send first %d %d", rc, E);
    zmq_close (rep);
    /* pull bound, push connected to 2 pulls: round robin, and pull fair-queues
     */
    char e1[256], e2[256], buf[8];
    void *pu = S (ZMQ_PUSH), *a = S (ZMQ_PULL), *b = S (ZMQ_PULL);
    zmq_bind (a, "inproc://ta-pp1");
    zmq_bind (b, "inproc://ta-pp2");
    zmq_connect (pu, "inproc://ta-pp1");
    zmq_connect (pu, "inproc://ta-pp2");
    for (int i = 0; i < 4; i++)
        zmq_send (pu, "m", 1, 0);
    int na = 0, nb = 0;
    to = 50;
    zmq_setsockopt (a, ZMQ_RCVTIMEO, &to, 4);
    zmq_setsockopt (b, ZMQ_RCVTIMEO, &to, 4);
    while (zmq_recv (a, buf, 8, 0) == 1)
        na++;
    while (zmq_recv (b, buf, 8, 0) == 1)
        nb++;
    CHK (na == 2 && nb == 2, "rr %d %d", na, nb);
    (void) e1;
    (void) e2;
    zmq_close (pu);
    zmq_close (a);
    zmq_close (b);
}
static void disconnect_inproc (void)
{
    void *pub = S (ZMQ_XPUB), *sub = S (ZMQ_SUB);
    char buf[16];
    int rc;
    zmq_bind (pub, "inproc://ta-di");
    zmq_connect (sub, "inproc://ta-di");
    zmq_setsockopt (sub, ZMQ_SUBSCRIBE, "foo", 3);
    rc = zmq_recv (pub, buf, 16, 0);
    CHK (rc == 4 && buf[0] == 1, "sub rc %d", rc);
    zmq_send (pub, "foo", 3, 0);
    CHK (zmq_recv (sub, buf, 16, 0) == 3, "-");
    CHK (zmq_disconnect (sub, "inproc://ta-di") == 0, "%d", E);
    zmq_send (pub, "foo", 3, 0);
    int to = 100;
    zmq_setsockopt (sub, ZMQ_RCVTIMEO, &to, 4);
    rc = zmq_recv (sub, buf, 16, 0);
    CHK (rc == -1, "recv after disconnect %d", rc);
    zmq_close (pub);
    zmq_close (sub);
}
int main (void)
{
    tu_begin ("test_transport_conformance");
    ctx = zmq_ctx_new ();
    ipc_abstract ();
    ipc_wild ();
    ipc_rebind ();
    ipc_filters ();
    src_addr ();
    bind_src_part ();
    connect_rid ();
    immediate ();
    reconnect_ivl ();
    unbind_wild ();
    last_ep ();
    term_ep ();
    bind_after_connect ();
    resolve ();
    accept_filter ();
    diffserv ();
    stream_tests ();
    spec_req ();
    spec_router_dealer ();
    disconnect_inproc ();
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
    return tu_end ();
}
