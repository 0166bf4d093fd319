/*  test_udp.c: the udp transport of zmq_udp(7) as a C program sees it.

    The first part uses only the stable API (DGRAM's type number written
    out), so it builds against any zmq.h and passes on Debian's libzmq
    4.3.4 too (run-ctests.sh --reference): a DGRAM echo through two bound
    DGRAM sockets, the address frame as libzmq makes it ("ip:port" and a
    NUL, 16 bytes for 127.0.0.1 and a 5-digit port), the two-frame rule
    (EINVAL), ZMQ_LAST_ENDPOINT (the address without udp://), the
    endpoint errors (EINVAL, ENODEV) and ENOCOMPATPROTO for
    the socket types and directions libzmq refuses, and that no file
    descriptor is left once the context is gone. The second part, built
    only with ZMQ_BUILD_DRAFT_API, sends RADIO to DISH by group
    (zmq_join, zmq_msg_set_group). Ports: a bind to port 0 of a plain
    socket, closed again. Waits are receive timeouts.  */
#include "testutil.h"

#include <dirent.h>
#include <unistd.h>

#define T_RADIO 14
#define T_DISH 15
#define T_DGRAM 18
#define E_NOCOMPATPROTO (156384712 + 52)

static int free_port (void)
{
    int port;
    close (tu_loopback_fd (SOCK_DGRAM, &port));
    return port;
}

static int open_fds (void)
{
    DIR *d = opendir ("/proc/self/fd");
    TEST_ASSERT (d != NULL);
    int n = 0;
    while (readdir (d) != NULL)
        n++;
    closedir (d);
    return n;
}

static void *udp_socket (void *ctx, int type)
{
    void *s = zmq_socket (ctx, type);
    TEST_ASSERT_MSG (s != NULL, "zmq_socket (%d): errno %d", type, zmq_errno ());
    tu_set_int (s, ZMQ_LINGER, 0);
    tu_set_int (s, ZMQ_RCVTIMEO, 5000);
    return s;
}

/*  Closes two sockets, then ends their context.  */
static void close_both (void *ctx, void *a, void *b)
{
    TEST_ASSERT_SUCCESS (zmq_close (a));
    TEST_ASSERT_SUCCESS (zmq_close (b));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

/*  Receives one frame into buf (NUL-terminated after its size).  */
static int recv_frame (void *s, char *buf, size_t n, int want_more)
{
    int rc = zmq_recv (s, buf, n - 1, 0);
    TEST_ASSERT_MSG (rc >= 0, "zmq_recv: errno %d", zmq_errno ());
    buf[rc] = '\0';
    TEST_ASSERT_EQ_INT (tu_get_int (s, ZMQ_RCVMORE), want_more);
    return rc;
}

static void dgram_echo (void)
{
    int before = open_fds ();
    void *ctx = zmq_ctx_new ();
    void *a = udp_socket (ctx, T_DGRAM);
    void *b = udp_socket (ctx, T_DGRAM);
    int pa = free_port (), pb = free_port ();
    char ep[64], to[64], from[64], buf[64];
    snprintf (ep, sizeof ep, "udp://127.0.0.1:%d", pa);
    TEST_ASSERT_SUCCESS (zmq_bind (a, ep));
    snprintf (ep, sizeof ep, "udp://*:%d", pb);
    TEST_ASSERT_SUCCESS (zmq_bind (b, ep));
    /*  libzmq shows the address part alone, as given.  */
    tu_last_endpoint (b, buf, sizeof buf);
    TEST_ASSERT_EQ_STR (buf, ep + strlen ("udp://"));

    /*  libzmq binds in its I/O thread, after zmq_bind returns: until
        then a datagram to b is lost, so ping until b hears one.  */
    snprintf (to, sizeof to, "127.0.0.1:%d", pb);
    zmq_pollitem_t item = {b, 0, ZMQ_POLLIN, 0};
    int tries = 0;
    do {
        TEST_ASSERT (++tries <= 50);
        tu_send_str (a, to, ZMQ_SNDMORE);
        tu_send_str (a, "ping", 0);
    } while (zmq_poll (&item, 1, 100) == 0);
    int n = recv_frame (b, from, sizeof from, 1);
    snprintf (buf, sizeof buf, "127.0.0.1:%d", pa);
    TEST_ASSERT_EQ_INT (n, (int) strlen (buf) + 1);
    TEST_ASSERT_EQ_STR (from, buf);
    recv_frame (b, buf, sizeof buf, 0);
    TEST_ASSERT_EQ_STR (buf, "ping");

    TEST_ASSERT_EQ_INT (zmq_send (b, from, (size_t) n, ZMQ_SNDMORE), n);
    tu_send_str (b, "pong", 0);
    recv_frame (a, buf, sizeof buf, 1);
    TEST_ASSERT_EQ_STR (buf, to);
    recv_frame (a, buf, sizeof buf, 0);
    TEST_ASSERT_EQ_STR (buf, "pong");

    TEST_ASSERT_FAILURE (zmq_send (a, "x", 1, 0), EINVAL);
    tu_send_str (a, to, ZMQ_SNDMORE);
    TEST_ASSERT_FAILURE (zmq_send (a, "x", 1, ZMQ_SNDMORE), EINVAL);
    tu_send_str (a, "x", 0);

    close_both (ctx, a, b);
    TEST_ASSERT_EQ_INT (open_fds (), before);
}

/*  zmq_bind (bind) or zmq_connect of ep on a new socket of type must
    fail with err.  */
static const struct
{
    int type;
    int bind;
    const char *ep;
    int err;
} bad_endpoints[] = {
  {T_DISH, 1, "udp://", EINVAL},
  {T_DISH, 1, "udp://127.0.0.1", EINVAL},
  {T_DGRAM, 1, "udp://127.0.0.1:x", EINVAL},
  {T_DGRAM, 1, "udp://no-such-host.invalid:5555", ENODEV},
  {T_DISH, 1, "udp://127.0.0.1;127.0.0.1:5555", EINVAL},
  {T_RADIO, 0, "udp://127.0.0.1:*", EINVAL},
  {T_RADIO, 0, "udp://no-such-host.invalid:5555", EINVAL},
  /*  Only DISH and DGRAM bind udp, only RADIO connects it.  */
  {T_RADIO, 1, "udp://127.0.0.1:5555", E_NOCOMPATPROTO},
  {T_DISH, 0, "udp://127.0.0.1:5555", E_NOCOMPATPROTO},
  {T_DGRAM, 0, "udp://127.0.0.1:5555", E_NOCOMPATPROTO},
  {ZMQ_PAIR, 1, "udp://nonsense", E_NOCOMPATPROTO},
  {ZMQ_PUB, 0, "udp://127.0.0.1:5555", E_NOCOMPATPROTO},
};

static void endpoint_errors (void)
{
    void *ctx = zmq_ctx_new ();
    for (size_t i = 0; i < sizeof bad_endpoints / sizeof *bad_endpoints; i++) {
        void *s = udp_socket (ctx, bad_endpoints[i].type);
        const char *ep = bad_endpoints[i].ep;
        int rc = bad_endpoints[i].bind ? zmq_bind (s, ep) : zmq_connect (s, ep);
        TEST_ASSERT_MSG (rc == -1 && zmq_errno () == bad_endpoints[i].err,
                         "%s on type %d: rc %d errno %d, expected errno %d",
                         ep, bad_endpoints[i].type, rc, zmq_errno (),
                         bad_endpoints[i].err);
        TEST_ASSERT_SUCCESS (zmq_close (s));
    }
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

#ifdef ZMQ_BUILD_DRAFT_API
static void send_group (void *s, const char *group, const char *text)
{
    zmq_msg_t m;
    TEST_ASSERT_SUCCESS (zmq_msg_init_size (&m, strlen (text)));
    memcpy (zmq_msg_data (&m), text, strlen (text));
    TEST_ASSERT_SUCCESS (zmq_msg_set_group (&m, group));
    TEST_ASSERT_EQ_INT (zmq_msg_send (&m, s, 0), (int) strlen (text));
}

static void recv_group (void *s, const char *group, const char *text)
{
    zmq_msg_t m;
    TEST_ASSERT_SUCCESS (zmq_msg_init (&m));
    int rc = zmq_msg_recv (&m, s, 0);
    TEST_ASSERT_MSG (rc >= 0, "zmq_msg_recv: errno %d", zmq_errno ());
    TEST_ASSERT_EQ_INT (rc, (int) strlen (text));
    TEST_ASSERT (memcmp (zmq_msg_data (&m), text, strlen (text)) == 0);
    TEST_ASSERT_EQ_STR (zmq_msg_group (&m), group);
    TEST_ASSERT_SUCCESS (zmq_msg_close (&m));
}

static void radio_dish (void)
{
    void *ctx = zmq_ctx_new ();
    void *dish = udp_socket (ctx, T_DISH);
    void *radio = udp_socket (ctx, T_RADIO);
    char ep[64];
    snprintf (ep, sizeof ep, "udp://127.0.0.1:%d", free_port ());
    TEST_ASSERT_SUCCESS (zmq_bind (dish, ep));
    TEST_ASSERT_SUCCESS (zmq_join (dish, "news"));
    TEST_ASSERT_SUCCESS (zmq_connect (radio, ep));
    send_group (radio, "sport", "skipped");
    send_group (radio, "news", "kept");
    recv_group (dish, "news", "kept");
    TEST_ASSERT_SUCCESS (zmq_disconnect (radio, ep));
    TEST_ASSERT_SUCCESS (zmq_unbind (dish, ep));
    TEST_ASSERT_FAILURE (zmq_unbind (dish, ep), ENOENT);
    close_both (ctx, dish, radio);
}
#endif

int main (void)
{
    tu_begin ("test_udp");
    dgram_echo ();
    endpoint_errors ();
#ifdef ZMQ_BUILD_DRAFT_API
    radio_dish ();
#endif
    return tu_end ();
}
