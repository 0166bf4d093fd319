/*  test_wire_conformance.c: bytes on the wire (RFC 37, ZMTP 3.1) as
    libzmq 4.3 writes them, checked with a raw TCP peer that plays the other
    side byte by byte:
      - the greeting goes out in three steps: the 10-byte signature at once,
        the major version once the peer's signature arrived, the rest
        (minor 1, "NULL" padded with zeros, as-server 0, filler) once the
        peer's major version arrived; the as-server octet is 0 even for a
        PLAIN server (libzmq never sets it);
      - READY lists Socket-Type, Identity (ZMQ_ROUTING_ID) then the
        ZMQ_METADATA properties;
      - a PING is answered by a PONG echoing the ping context;
      - to a 3.1 peer, SUB's ZMQ_SUBSCRIBE/ZMQ_UNSUBSCRIBE and an XSUB's
        replay of its subscriptions to a new connection are SUBSCRIBE/
        CANCEL commands, while a "\x01topic" message an XSUB application
        sends itself stays a data frame;
      - READY property names compare exactly: a READY without "Socket-Type"
        is accepted, "identity" is not a routing id for a ROUTER, while
        "Identity" is; a ZMTP 2.0 peer's socket type is not checked.
    Checked against Debian's libzmq 4.3.4.  */
#include "testutil.h"

#include <poll.h>
#include <unistd.h>

static const unsigned char sig[10] = {0xff, 0, 0, 0, 0, 0, 0, 0, 1, 0x7f};

/*  Reads what arrives on fd within ms milliseconds (stops early once
    `want` bytes are in, if want > 0).  */
static size_t rd (int fd, unsigned char *buf, size_t cap, int ms, size_t want)
{
    size_t n = 0;
    while (n < cap) {
        struct pollfd p = {fd, POLLIN, 0};
        if (poll (&p, 1, ms) <= 0)
            break;
        ssize_t r = read (fd, buf + n, cap - n);
        if (r <= 0)
            break;
        n += (size_t) r;
        if (want > 0 && n >= want)
            break;
    }
    return n;
}

/*  A socket with LINGER 0 and a 2 s receive timeout.  */
static void *new_sock (void *ctx, int type)
{
    void *s = zmq_socket (ctx, type);
    TEST_ASSERT (s);
    tu_set_int (s, ZMQ_LINGER, 0);
    tu_set_int (s, ZMQ_RCVTIMEO, 2000);
    return s;
}

static void wr (int fd, const void *data, size_t n)
{
    TEST_ASSERT_EQ_INT (write (fd, data, n), (long long) n);
}

/*  Reads the socket's 10-byte signature and answers with ours.  */
static void swap_signatures (int fd)
{
    unsigned char buf[16];
    TEST_ASSERT_EQ_INT (rd (fd, buf, sizeof buf, 1000, 10), 10);
    TEST_ASSERT_EQ_INT (buf[0], 0xff);
    wr (fd, sig, sizeof sig);
}

static void greeting_rest (int fd)
{
    unsigned char g[53];
    memset (g, 0, sizeof g);
    g[0] = 1;
    memcpy (g + 1, "NULL", 4);
    wr (fd, g, sizeof g);
}

/*  A READY command naming socket type `type`.  */
static void ready (int fd, const char *type)
{
    unsigned char c[64];
    size_t tl = strlen (type);
    size_t n = 0;
    c[n++] = 0x04;
    c[n++] = (unsigned char) (1 + 5 + 1 + 11 + 4 + tl);
    c[n++] = 5;
    memcpy (c + n, "READY", 5);
    n += 5;
    c[n++] = 11;
    memcpy (c + n, "Socket-Type", 11);
    n += 11;
    c[n++] = 0;
    c[n++] = 0;
    c[n++] = 0;
    c[n++] = (unsigned char) tl;
    memcpy (c + n, type, tl);
    n += tl;
    wr (fd, c, n);
}

/*  A raw listener the zmq socket connects to; returns the accepted fd.  */
static int accept_from (void *s)
{
    int port;
    int l = tu_loopback_fd (SOCK_STREAM, &port);
    TEST_ASSERT (listen (l, 1) == 0);
    char ep[64];
    snprintf (ep, sizeof ep, "tcp://127.0.0.1:%d", port);
    TEST_ASSERT_SUCCESS (zmq_connect (s, ep));
    int fd = accept (l, NULL, NULL);
    TEST_ASSERT (fd >= 0);
    close (l);
    return fd;
}

/*  Completes the NULL handshake as a 3.1 peer of type `type`; checks
    and returns (in out, *outn) what followed the 64-byte greeting.  */
static void handshake (int fd, const char *type, unsigned char *out,
                       size_t *outn)
{
    unsigned char buf[512];
    wr (fd, sig, sizeof sig);
    wr (fd, "\x03", 1);
    greeting_rest (fd);
    ready (fd, type);
    size_t n = rd (fd, buf, sizeof buf, 1000, 0);
    TEST_ASSERT (n > 64);
    TEST_ASSERT (memcmp (buf, sig, 10) == 0);
    *outn = n - 64;
    memcpy (out, buf + 64, n - 64);
}

static void test_greeting_and_ready (void *ctx)
{
    void *s = new_sock (ctx, ZMQ_DEALER);
    TEST_ASSERT_SUCCESS (zmq_setsockopt (s, ZMQ_ROUTING_ID, "me", 2));
#ifdef ZMQ_BUILD_DRAFT_API
    TEST_ASSERT_SUCCESS (zmq_setsockopt (s, ZMQ_METADATA, "X-Foo:bar", 9));
#endif
    int fd = accept_from (s);
    unsigned char buf[512];
    /*  The signature alone (padding = routing id length + 1).  */
    static const unsigned char sig_me[10] = {0xff, 0, 0, 0, 0,
                                             0,    0, 0, 3, 0x7f};
    TEST_ASSERT_EQ_INT (rd (fd, buf, sizeof buf, 300, 0), 10);
    TEST_ASSERT (memcmp (buf, sig_me, 10) == 0);
    wr (fd, sig, sizeof sig);
    TEST_ASSERT_EQ_INT (rd (fd, buf, sizeof buf, 300, 0), 1);
    TEST_ASSERT_EQ_INT (buf[0], 3);
    wr (fd, "\x03", 1);
    TEST_ASSERT_EQ_INT (rd (fd, buf, sizeof buf, 300, 0), 53);
    unsigned char rest[53];
    memset (rest, 0, sizeof rest);
    rest[0] = 1;
    memcpy (rest + 1, "NULL", 4);
    TEST_ASSERT (memcmp (buf, rest, 53) == 0);
    greeting_rest (fd);
#ifdef ZMQ_BUILD_DRAFT_API
    static const unsigned char want[] =
        "\x04\x38\x05READY\x0bSocket-Type\x00\x00\x00\x06"
        "DEALER\x08Identity\x00\x00\x00\x02me\x05X-Foo\x00\x00\x00\x03"
        "bar";
#else
    static const unsigned char want[] =
        "\x04\x2b\x05READY\x0bSocket-Type\x00\x00\x00\x06"
        "DEALER\x08Identity\x00\x00\x00\x02me";
#endif
    size_t n = rd (fd, buf, sizeof buf, 1000, sizeof want - 1);
    TEST_ASSERT_EQ_INT (n, sizeof want - 1);
    TEST_ASSERT (memcmp (buf, want, n) == 0);
    close (fd);
    TEST_ASSERT_SUCCESS (zmq_close (s));
}

static void test_plain_server_greeting (void *ctx)
{
    void *s = new_sock (ctx, ZMQ_DEALER);
    tu_set_int (s, ZMQ_PLAIN_SERVER, 1);
    int fd = accept_from (s);
    unsigned char buf[128];
    swap_signatures (fd);
    wr (fd, "\x03", 1);
    TEST_ASSERT_EQ_INT (rd (fd, buf, sizeof buf, 1000, 54), 54);
    TEST_ASSERT (memcmp (buf, "\x03\x01PLAIN", 7) == 0);
    for (int i = 7; i < 54; i++)
        TEST_ASSERT_EQ_INT (buf[i], 0);
    close (fd);
    TEST_ASSERT_SUCCESS (zmq_close (s));
}

static void test_ping_pong (void *ctx)
{
    void *s = new_sock (ctx, ZMQ_DEALER);
    int fd = accept_from (s);
    unsigned char buf[512];
    size_t n;
    handshake (fd, "ROUTER", buf, &n);
    wr (fd,
        "\x04\x0a\x04PING\x00\x0a"
        "ctx",
        12);
    n = rd (fd, buf, sizeof buf, 1000, 10);
    TEST_ASSERT_EQ_INT (n, 10);
    TEST_ASSERT (memcmp (buf, "\x04\x08\x04PONGctx", 10) == 0);
    wr (fd, "\x04\x07\x04PING\x00\x0a", 9);
    n = rd (fd, buf, sizeof buf, 1000, 7);
    TEST_ASSERT_EQ_INT (n, 7);
    TEST_ASSERT (memcmp (buf, "\x04\x05\x04PONG", 7) == 0);
    /*  An unknown command is ignored: the connection carries on.  */
    wr (fd,
        "\x04\x04\x03"
        "FOO"
        "\x00\x02hi",
        10);
    tu_recv_str (s, "hi");
    close (fd);
    TEST_ASSERT_SUCCESS (zmq_close (s));
}

static void test_subscription_forms (void *ctx)
{
    unsigned char buf[512];
    size_t n;
    char tmp[8];
    /*  SUB: setsockopt gives SUBSCRIBE / CANCEL commands.  */
    void *s = new_sock (ctx, ZMQ_SUB);
    int fd = accept_from (s);
    handshake (fd, "PUB", buf, &n);
    TEST_ASSERT_SUCCESS (zmq_setsockopt (s, ZMQ_SUBSCRIBE, "A", 1));
    TEST_ASSERT_SUCCESS (zmq_setsockopt (s, ZMQ_UNSUBSCRIBE, "A", 1));
    n = rd (fd, buf, sizeof buf, 1000, 23);
    TEST_ASSERT_EQ_INT (n, 23);
    TEST_ASSERT (memcmp (buf,
                         "\x04\x0b\x09SUBSCRIBEA\x04\x08\x06"
                         "CANCELA",
                         23) == 0);
    close (fd);
    TEST_ASSERT_SUCCESS (zmq_close (s));

    /*  XSUB: its subscriptions replayed to a new connection are commands;
        a subscription message the application sends is a data frame.  */
    s = new_sock (ctx, ZMQ_XSUB);
    TEST_ASSERT_EQ_INT (zmq_send (s,
                                  "\x01"
                                  "A",
                                  2, 0),
                        2);
    fd = accept_from (s);
    handshake (fd, "XPUB", buf, &n);
    static const unsigned char ready_xsub[] =
        "\x04\x1a\x05READY\x0bSocket-Type\x00\x00\x00\x04XSUB";
    size_t rl = sizeof ready_xsub - 1;
    if (n < rl + 13)
        n += rd (fd, buf + n, sizeof buf - n, 1000, rl + 13 - n);
    TEST_ASSERT_EQ_INT (n, rl + 13);
    TEST_ASSERT (memcmp (buf, ready_xsub, rl) == 0);
    TEST_ASSERT (memcmp (buf + rl, "\x04\x0b\x09SUBSCRIBEA", 13) == 0);
    TEST_ASSERT_EQ_INT (zmq_send (s,
                                  "\x01"
                                  "C",
                                  2, 0),
                        2);
    /*  libzmq attaches pipes lazily: let the socket run its commands.  */
    zmq_recv (s, tmp, sizeof tmp, ZMQ_DONTWAIT);
    n = rd (fd, buf, sizeof buf, 1000, 4);
    TEST_ASSERT_EQ_INT (n, 4);
    TEST_ASSERT (memcmp (buf,
                         "\x00\x02\x01"
                         "C",
                         4) == 0);
    close (fd);
    TEST_ASSERT_SUCCESS (zmq_close (s));
}

/*  A READY with the given raw property bytes.  */
static void ready_raw (int fd, const unsigned char *props, size_t n)
{
    unsigned char c[128];
    TEST_ASSERT (n + 8 < sizeof c);
    c[0] = 0x04;
    c[1] = (unsigned char) (6 + n);
    c[2] = 5;
    memcpy (c + 3, "READY", 5);
    memcpy (c + 8, props, n);
    wr (fd, c, 8 + n);
}

/*  A ROUTER bound, a raw 3.1 peer sends READY with `props`, waits for the
    ROUTER's READY, then sends "hi": returns the routing id's size and
    copies it into id.  */
static int router_id_for (void *ctx, const unsigned char *props, size_t n,
                          unsigned char *id)
{
    void *r = new_sock (ctx, ZMQ_ROUTER);
    char ep[64];
    tu_bind_loopback (r, ep, sizeof ep);
    int port = atoi (strrchr (ep, ':') + 1);
    int fd = socket (AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a;
    memset (&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons ((unsigned short) port);
    a.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
    TEST_ASSERT (connect (fd, (struct sockaddr *) &a, sizeof a) == 0);
    unsigned char buf[256];
    wr (fd, sig, sizeof sig);
    wr (fd, "\x03", 1);
    greeting_rest (fd);
    ready_raw (fd, props, n);
    /*  libzmq takes a frame only after its own READY went out.  */
    TEST_ASSERT (rd (fd, buf, sizeof buf, 1000, 64 + 43) >= 64 + 43);
    wr (fd, "\x00\x02hi", 4);
    int size = zmq_recv (r, id, 255, 0);
    TEST_ASSERT (size >= 0);
    tu_recv_str (r, "hi");
    close (fd);
    TEST_ASSERT_SUCCESS (zmq_close (r));
    return size;
}

static void test_ready_property_names (void *ctx)
{
    unsigned char id[256];
    /*  No Socket-Type at all.  */
    static const unsigned char none[] = "\x03X-A\x00\x00\x00\x01"
                                        "1";
    int n = router_id_for (ctx, none, sizeof none - 1, id);
    TEST_ASSERT_EQ_INT (n, 5);
    TEST_ASSERT_EQ_INT (id[0], 0);
    /*  Lower-case names: neither checked nor taken as the routing id.  */
    static const unsigned char lower[] =
        "\x0bsocket-type\x00\x00\x00\x04PUSH\x08identity\x00\x00\x00\x03"
        "abc";
    n = router_id_for (ctx, lower, sizeof lower - 1, id);
    TEST_ASSERT_EQ_INT (n, 5);
    TEST_ASSERT_EQ_INT (id[0], 0);
    static const unsigned char exact[] = "\x0bSocket-Type\x00\x00\x00\x06"
                                         "DEALER\x08Identity\x00\x00\x00\x03"
                                         "abc";
    n = router_id_for (ctx, exact, sizeof exact - 1, id);
    TEST_ASSERT_EQ_INT (n, 3);
    TEST_ASSERT (memcmp (id, "abc", 3) == 0);
}

/*  A ZMTP 2.0 peer announcing PUSH (8) to a DEALER is accepted.  */
static void test_v2_peer_type_unchecked (void *ctx)
{
    void *s = new_sock (ctx, ZMQ_DEALER);
    int fd = accept_from (s);
    unsigned char buf[64];
    swap_signatures (fd);
    wr (fd, "\x01\x08", 2);
    /*  Our revision 3 and type 5 (DEALER), then the empty identity.  */
    TEST_ASSERT_EQ_INT (rd (fd, buf, sizeof buf, 1000, 4), 4);
    TEST_ASSERT (memcmp (buf, "\x03\x05\x00\x00", 4) == 0);
    wr (fd, "\x00\x00\x00\x02hi", 6);
    tu_recv_str (s, "hi");
    tu_send_str (s, "yo", 0);
    TEST_ASSERT_EQ_INT (rd (fd, buf, sizeof buf, 1000, 4), 4);
    TEST_ASSERT (memcmp (buf, "\x00\x02yo", 4) == 0);
    close (fd);
    TEST_ASSERT_SUCCESS (zmq_close (s));
}

int main (void)
{
    tu_begin ("test_wire_conformance");
    void *ctx = zmq_ctx_new ();
    TEST_ASSERT (ctx);
    test_greeting_and_ready (ctx);
    test_plain_server_greeting (ctx);
    test_ping_pong (ctx);
    test_subscription_forms (ctx);
    test_ready_property_names (ctx);
    test_v2_peer_type_unchecked (ctx);
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
    return tu_end ();
}
