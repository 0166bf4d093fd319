/*  test_heartbeat.c: ZMTP heartbeats (zmq_setsockopt(3) ZMQ_HEARTBEAT_IVL,
    ZMQ_HEARTBEAT_TIMEOUT, ZMQ_HEARTBEAT_TTL; RFC 37/ZMTP PING/PONG): the
    options read back, an idle connection with heartbeats stays up, a peer
    that completes the NULL handshake but never answers PING is dropped
    (ZMQ_EVENT_DISCONNECTED) after about the heartbeat timeout, and the
    PING command on the wire.  Checked against Debian's libzmq 4.3.4.  */
#include "testutil.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static long long now_ms (void)
{
    struct timespec ts;
    clock_gettime (CLOCK_MONOTONIC, &ts);
    return (long long) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void test_options (void)
{
    void *ctx = zmq_ctx_new ();
    void *s = zmq_socket (ctx, ZMQ_DEALER);
    TEST_ASSERT_EQ_INT (tu_get_int (s, ZMQ_HEARTBEAT_IVL), 0);
    TEST_ASSERT_EQ_INT (tu_get_int (s, ZMQ_HEARTBEAT_TIMEOUT), -1);
    TEST_ASSERT_EQ_INT (tu_get_int (s, ZMQ_HEARTBEAT_TTL), 0);
    tu_set_int (s, ZMQ_HEARTBEAT_IVL, 250);
    tu_set_int (s, ZMQ_HEARTBEAT_TIMEOUT, 900);
    tu_set_int (s, ZMQ_HEARTBEAT_TTL, 2000);
    TEST_ASSERT_EQ_INT (tu_get_int (s, ZMQ_HEARTBEAT_IVL), 250);
    TEST_ASSERT_EQ_INT (tu_get_int (s, ZMQ_HEARTBEAT_TIMEOUT), 900);
    TEST_ASSERT_EQ_INT (tu_get_int (s, ZMQ_HEARTBEAT_TTL), 2000);
    /*  The TTL travels in deciseconds: it is kept rounded down to 100 ms. */
    tu_set_int (s, ZMQ_HEARTBEAT_TTL, 2550);
    TEST_ASSERT_EQ_INT (tu_get_int (s, ZMQ_HEARTBEAT_TTL), 2500);
    int v = -1;
    TEST_ASSERT_FAILURE (zmq_setsockopt (s, ZMQ_HEARTBEAT_IVL, &v, sizeof v),
                         EINVAL);
    /*  libzmq converts to deciseconds (truncating toward zero) before the
        range check 0..65535: -99..-1 become 0 and are accepted.  */
    TEST_ASSERT_SUCCESS (zmq_setsockopt (s, ZMQ_HEARTBEAT_TTL, &v, sizeof v));
    TEST_ASSERT_EQ_INT (tu_get_int (s, ZMQ_HEARTBEAT_TTL), 0);
    v = -100;
    TEST_ASSERT_FAILURE (zmq_setsockopt (s, ZMQ_HEARTBEAT_TTL, &v, sizeof v),
                         EINVAL);
    v = 6553599;
    TEST_ASSERT_SUCCESS (zmq_setsockopt (s, ZMQ_HEARTBEAT_TTL, &v, sizeof v));
    TEST_ASSERT_EQ_INT (tu_get_int (s, ZMQ_HEARTBEAT_TTL), 6553500);
    tu_set_int (s, ZMQ_HEARTBEAT_TTL, 2500);
    v = 6553600;
    TEST_ASSERT_FAILURE (zmq_setsockopt (s, ZMQ_HEARTBEAT_TTL, &v, sizeof v),
                         EINVAL);
    TEST_ASSERT_EQ_INT (tu_get_int (s, ZMQ_HEARTBEAT_TTL), 2500);
    TEST_ASSERT_SUCCESS (zmq_close (s));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

/*  Next event on a v1 monitor PAIR, -1 on timeout.  */
static int get_event (void *mon, uint32_t *value)
{
    zmq_msg_t m;
    zmq_msg_init (&m);
    if (zmq_msg_recv (&m, mon, 0) == -1) {
        TEST_ASSERT_EQ_INT (zmq_errno (), EAGAIN);
        zmq_msg_close (&m);
        return -1;
    }
    TEST_ASSERT_EQ_INT (zmq_msg_size (&m), 6);
    uint16_t ev;
    memcpy (&ev, zmq_msg_data (&m), 2);
    if (value)
        memcpy (value, (char *) zmq_msg_data (&m) + 2, 4);
    TEST_ASSERT_SUCCESS (zmq_msg_recv (&m, mon, 0));
    zmq_msg_close (&m);
    return ev;
}

static void *monitor (void *ctx, void *s, const char *addr, int events)
{
    TEST_ASSERT_SUCCESS (zmq_socket_monitor (s, addr, events));
    void *mon = zmq_socket (ctx, ZMQ_PAIR);
    tu_set_int (mon, ZMQ_LINGER, 0);
    tu_set_int (mon, ZMQ_RCVTIMEO, 5000);
    TEST_ASSERT_SUCCESS (zmq_connect (mon, addr));
    return mon;
}

/*  Both ends heartbeat every 50 ms with a 200 ms timeout: an idle second
    brings no DISCONNECTED and the connection still carries messages.  */
static void test_idle_stays_up (void)
{
    void *ctx = zmq_ctx_new ();
    void *server = zmq_socket (ctx, ZMQ_DEALER);
    void *client = zmq_socket (ctx, ZMQ_DEALER);
    void *both[2] = {server, client};
    for (int i = 0; i < 2; i++) {
        tu_set_int (both[i], ZMQ_LINGER, 0);
        tu_set_int (both[i], ZMQ_RCVTIMEO, 5000);
        tu_set_int (both[i], ZMQ_HEARTBEAT_IVL, 50);
        tu_set_int (both[i], ZMQ_HEARTBEAT_TIMEOUT, 200);
        tu_set_int (both[i], ZMQ_HEARTBEAT_TTL, 500);
    }
    void *mon = monitor (ctx, client, "inproc://test_heartbeat-idle",
                         ZMQ_EVENT_HANDSHAKE_SUCCEEDED
                           | ZMQ_EVENT_DISCONNECTED);
    char ep[256];
    tu_bind_loopback (server, ep, sizeof ep);
    TEST_ASSERT_SUCCESS (zmq_connect (client, ep));
    TEST_ASSERT_EQ_INT (get_event (mon, NULL), ZMQ_EVENT_HANDSHAKE_SUCCEEDED);
    tu_send_str (client, "first", 0);
    tu_recv_str (server, "first");

    tu_set_int (mon, ZMQ_RCVTIMEO, 1000);
    TEST_ASSERT_EQ_INT (get_event (mon, NULL), -1);
    tu_send_str (client, "still", 0);
    tu_recv_str (server, "still");
    tu_send_str (server, "there", 0);
    tu_recv_str (client, "there");

    TEST_ASSERT_SUCCESS (zmq_close (mon));
    TEST_ASSERT_SUCCESS (zmq_close (client));
    TEST_ASSERT_SUCCESS (zmq_close (server));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

static void write_all (int fd, const void *buf, size_t n)
{
    TEST_ASSERT_EQ_INT (write (fd, buf, n), n);
}

/*  Read what is available within `ms` into buf (appending at *len).  */
static void read_some (int fd, char *buf, size_t cap, size_t *len, int ms)
{
    struct pollfd p = {fd, POLLIN, 0};
    while (*len < cap && poll (&p, 1, ms) == 1) {
        ssize_t r = read (fd, buf + *len, cap - *len);
        if (r <= 0)
            break;
        *len += (size_t) r;
        ms = 0;
    }
}

static int contains (const char *buf, size_t len, const char *needle,
                     size_t nlen)
{
    for (size_t i = 0; i + nlen <= len; i++)
        if (memcmp (buf + i, needle, nlen) == 0)
            return 1;
    return 0;
}

/*  A hand-written ZMTP 3.0 NULL peer that completes the handshake and then
    stays silent: the DEALER pings it, gets no PONG (no traffic at all),
    and drops the connection after ZMQ_HEARTBEAT_TIMEOUT.  */
static void test_silent_peer (void)
{
    int port;
    int lfd = tu_loopback_fd (SOCK_STREAM, &port);
    TEST_ASSERT (listen (lfd, 1) == 0);
    char ep[64];
    snprintf (ep, sizeof ep, "tcp://127.0.0.1:%d", port);

    void *ctx = zmq_ctx_new ();
    void *dealer = zmq_socket (ctx, ZMQ_DEALER);
    tu_set_int (dealer, ZMQ_LINGER, 0);
    tu_set_int (dealer, ZMQ_HEARTBEAT_IVL, 100);
    tu_set_int (dealer, ZMQ_HEARTBEAT_TIMEOUT, 400);
    tu_set_int (dealer, ZMQ_HEARTBEAT_TTL, 1000);
    /*  No reconnect: the peer is gone for good.  */
    tu_set_int (dealer, ZMQ_RECONNECT_IVL, -1);
    void *mon = monitor (ctx, dealer, "inproc://test_heartbeat-silent",
                         ZMQ_EVENT_HANDSHAKE_SUCCEEDED
                           | ZMQ_EVENT_DISCONNECTED);
    TEST_ASSERT_SUCCESS (zmq_connect (dealer, ep));

    struct pollfd p = {lfd, POLLIN, 0};
    TEST_ASSERT_EQ_INT (poll (&p, 1, 5000), 1);
    int fd = accept (lfd, NULL, NULL);
    TEST_ASSERT (fd >= 0);

    /*  Greeting: signature, version 3.1, "NULL", as-server 0, filler.  */
    unsigned char greeting[64];
    memset (greeting, 0, sizeof greeting);
    greeting[0] = 0xff;
    greeting[9] = 0x7f;
    greeting[10] = 3;
    greeting[11] = 1;
    memcpy (greeting + 12, "NULL", 4);
    write_all (fd, greeting, sizeof greeting);
    /*  READY: short command, name "READY", Socket-Type "DEALER".  */
    unsigned char ready[2 + 28];
    size_t k = 0;
    ready[k++] = 0x04;
    ready[k++] = 28;
    ready[k++] = 5;
    memcpy (ready + k, "READY", 5);
    k += 5;
    ready[k++] = 11;
    memcpy (ready + k, "Socket-Type", 11);
    k += 11;
    ready[k++] = 0;
    ready[k++] = 0;
    ready[k++] = 0;
    ready[k++] = 6;
    memcpy (ready + k, "DEALER", 6);
    k += 6;
    TEST_ASSERT_EQ_INT (k, sizeof ready);
    write_all (fd, ready, sizeof ready);

    TEST_ASSERT_EQ_INT (get_event (mon, NULL), ZMQ_EVENT_HANDSHAKE_SUCCEEDED);
    long long t0 = now_ms ();

    /*  Read what the DEALER sends: its greeting, its READY, then PINGs.  */
    static char in[4096];
    size_t len = 0;
    read_some (fd, in, sizeof in, &len, 1000);
    long long deadline = now_ms () + 3000;
    while (!contains (in, len, "\x04PING", 5) && now_ms () < deadline)
        read_some (fd, in, sizeof in, &len, 100);
    TEST_ASSERT_MSG (len >= 64, "only %d bytes from the DEALER", (int) len);
    TEST_ASSERT_EQ_INT ((unsigned char) in[0], 0xff);
    TEST_ASSERT_EQ_INT ((unsigned char) in[9], 0x7f);
    TEST_ASSERT (memcmp (in + 12, "NULL", 4) == 0);
    TEST_ASSERT (contains (in + 64, len - 64, "\x05READY", 6));
    /*  PING: short command 0x04, size, "\x04PING", TTL in deciseconds
        (2 bytes, 1000 ms -> 10), context.  */
    TEST_ASSERT_MSG (contains (in, len, "\x04PING\x00\x0a", 7),
                     "no PING with TTL 10 among %d bytes", (int) len);

    uint32_t v = 0;
    TEST_ASSERT_EQ_INT (get_event (mon, &v), ZMQ_EVENT_DISCONNECTED);
    long long waited = now_ms () - t0;
    TEST_ASSERT_MSG (waited >= 300 && waited < 3000,
                     "DISCONNECTED after %lld ms", waited);
    /*  The DEALER closed its end: the raw peer reads EOF.  */
    char tail[256];
    ssize_t r;
    struct pollfd q = {fd, POLLIN, 0};
    do {
        TEST_ASSERT_EQ_INT (poll (&q, 1, 5000), 1);
        r = read (fd, tail, sizeof tail);
    } while (r > 0);
    TEST_ASSERT_EQ_INT (r, 0);

    close (fd);
    close (lfd);
    TEST_ASSERT_SUCCESS (zmq_close (mon));
    TEST_ASSERT_SUCCESS (zmq_close (dealer));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

int main (void)
{
    tu_begin ("test_heartbeat");
    test_options ();
    test_idle_stays_up ();
    test_silent_peer ();
    return tu_end ();
}
