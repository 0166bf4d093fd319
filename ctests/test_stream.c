/*  test_stream.c: ZMQ_STREAM (zmq_socket(3)) talking to plain POSIX TCP
    sockets: connect / disconnect notifications ([routing-id, empty],
    ZMQ_STREAM_NOTIFY), data frames [routing-id, bytes], closing a
    connection by sending [routing-id, empty], a STREAM connecting out to a
    raw listener with ZMQ_CONNECT_ROUTING_ID, EHOSTUNREACH for an unknown
    routing id, the connection's Peer-Address on the routing-id frame of
    the connect and disconnect notices.  Checked against Debian's libzmq
    4.3.4.  */
#define _POSIX_C_SOURCE 200809L
#include "testutil.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

/*  Receive one frame into buf (NUL-terminated), return its size.  */
static int recv_frame (void *s, char *buf, size_t n)
{
    int rc = zmq_recv (s, buf, n - 1, 0);
    TEST_ASSERT_MSG (rc >= 0, "zmq_recv failed: errno %d (%s)", zmq_errno (),
                     zmq_strerror (zmq_errno ()));
    TEST_ASSERT ((size_t) rc < n);
    buf[rc] = '\0';
    return rc;
}

/*  Port number of a tcp://127.0.0.1:PORT endpoint.  */
static int endpoint_port (const char *ep)
{
    const char *colon = strrchr (ep, ':');
    TEST_ASSERT (colon != NULL);
    return atoi (colon + 1);
}

static int raw_connect (int port)
{
    int fd = socket (AF_INET, SOCK_STREAM, 0);
    TEST_ASSERT (fd >= 0);
    struct sockaddr_in sa;
    memset (&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = htons ((unsigned short) port);
    sa.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
    TEST_ASSERT_MSG (connect (fd, (struct sockaddr *) &sa, sizeof sa) == 0,
                     "connect: errno %d", errno);
    return fd;
}

/*  Read exactly n bytes (waiting up to 5 s), or until EOF; returns the
    count read.  A libzmq socket runs its commands (such as the pipe
    termination that a close needs) only inside zmq_* calls on it, so
    `pump` (when not NULL) is polled for ZMQ_EVENTS while waiting.  */
static int raw_read_pump (int fd, char *buf, size_t n, void *pump)
{
    size_t got = 0;
    while (got < n) {
        struct pollfd p = {fd, POLLIN, 0};
        int rc = 0;
        for (int i = 0; i < 500 && rc == 0; i++) {
            rc = poll (&p, 1, 10);
            if (pump)
                (void) tu_get_int (pump, ZMQ_EVENTS);
        }
        TEST_ASSERT_MSG (rc == 1, "raw socket not readable in 5 s (got %d of %d)", (int) got, (int) n);
        ssize_t r = read (fd, buf + got, n - got);
        TEST_ASSERT_MSG (r >= 0, "read: errno %d", errno);
        if (r == 0)
            break;
        got += (size_t) r;
    }
    return (int) got;
}

static int raw_read (int fd, char *buf, size_t n)
{
    return raw_read_pump (fd, buf, n, NULL);
}

static void raw_write (int fd, const char *s, size_t n)
{
    TEST_ASSERT_EQ_INT (write (fd, s, n), n);
}

/*  Receive [id, payload] on a STREAM socket; the id is stored in id/idlen
    (checked against it when *idlen is already set).  */
static void recv_pair (void *s, char *id, int *idlen, const char *payload)
{
    char buf[256];
    int n = zmq_recv (s, buf, sizeof buf, 0);
    TEST_ASSERT_MSG (n > 0, "zmq_recv id: %d errno %d (%s)", n, zmq_errno (),
                     zmq_strerror (zmq_errno ()));
    TEST_ASSERT_EQ_INT (tu_get_int (s, ZMQ_RCVMORE), 1);
    if (*idlen == 0) {
        TEST_ASSERT ((size_t) n <= 255);
        memcpy (id, buf, (size_t) n);
        *idlen = n;
    } else {
        TEST_ASSERT_EQ_INT (n, *idlen);
        TEST_ASSERT (memcmp (buf, id, (size_t) n) == 0);
    }
    recv_frame (s, buf, sizeof buf);
    TEST_ASSERT_EQ_STR (buf, payload);
    TEST_ASSERT_EQ_INT (tu_get_int (s, ZMQ_RCVMORE), 0);
}

static void test_server (void)
{
    void *ctx = zmq_ctx_new ();
    void *stream = zmq_socket (ctx, ZMQ_STREAM);
    TEST_ASSERT (stream);
    TEST_ASSERT_EQ_INT (tu_get_int (stream, ZMQ_TYPE), ZMQ_STREAM);
    tu_set_int (stream, ZMQ_LINGER, 0);
    tu_set_int (stream, ZMQ_RCVTIMEO, 5000);
    char ep[256];
    tu_bind_loopback (stream, ep, sizeof ep);
    int port = endpoint_port (ep);

    /*  Connect notification, then the bytes.  */
    int fd = raw_connect (port);
    char id[256];
    int idlen = 0;
    recv_pair (stream, id, &idlen, "");
    /*  A generated STREAM routing id is 5 bytes, the first one 0.  */
    TEST_ASSERT_EQ_INT (idlen, 5);
    TEST_ASSERT_EQ_INT (id[0], 0);
    raw_write (fd, "GET", 3);
    recv_pair (stream, id, &idlen, "GET");

    /*  Reply, then close from the server side.  */
    const char *reply = "HTTP/1.0 200 OK\r\n\r\nhello";
    TEST_ASSERT_EQ_INT (zmq_send (stream, id, (size_t) idlen, ZMQ_SNDMORE),
                        idlen);
    tu_send_str (stream, reply, 0);
    char buf[256];
    int n = raw_read (fd, buf, strlen (reply));
    TEST_ASSERT_EQ_INT (n, strlen (reply));
    TEST_ASSERT (memcmp (buf, reply, strlen (reply)) == 0);
    /*  The client closes: the server sees [id, ""].  */
    close (fd);
    recv_pair (stream, id, &idlen, "");

    /*  Second client: a new routing id; it also closes first.  */
    fd = raw_connect (port);
    char id2[256];
    int idlen2 = 0;
    recv_pair (stream, id2, &idlen2, "");
    TEST_ASSERT (idlen2 != idlen || memcmp (id, id2, (size_t) idlen) != 0);
    raw_write (fd, "ping", 4);
    recv_pair (stream, id2, &idlen2, "ping");
    close (fd);
    recv_pair (stream, id2, &idlen2, "");

    /*  Sending to an unknown routing id: EHOSTUNREACH.  (A just-closed
        one is not checked: its pipe goes away asynchronously.)  */
    TEST_ASSERT_FAILURE (zmq_send (stream, "nobody", 6, ZMQ_SNDMORE),
                         EHOSTUNREACH);

    TEST_ASSERT_SUCCESS (zmq_close (stream));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

static void test_notify_off (void)
{
    void *ctx = zmq_ctx_new ();
    void *stream = zmq_socket (ctx, ZMQ_STREAM);
    tu_set_int (stream, ZMQ_STREAM_NOTIFY, 0);
    tu_set_int (stream, ZMQ_LINGER, 0);
    tu_set_int (stream, ZMQ_RCVTIMEO, 5000);
    char ep[256];
    tu_bind_loopback (stream, ep, sizeof ep);
    int fd = raw_connect (endpoint_port (ep));
    raw_write (fd, "data", 4);
    char id[256];
    int idlen = 0;
    /*  The first frame pair is the data, no notification before it.  */
    recv_pair (stream, id, &idlen, "data");
    close (fd);
    /*  And no disconnect notification either.  */
    tu_set_int (stream, ZMQ_RCVTIMEO, 300);
    tu_recv_eagain (stream, 0);
    TEST_ASSERT_SUCCESS (zmq_close (stream));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

/*  STREAM connects out to a raw listener, naming the peer with
    ZMQ_CONNECT_ROUTING_ID.  */
static void test_client (void)
{
    int port;
    int lfd = tu_loopback_fd (SOCK_STREAM, &port);
    TEST_ASSERT (listen (lfd, 4) == 0);
    char ep[64];
    snprintf (ep, sizeof ep, "tcp://127.0.0.1:%d", port);

    void *ctx = zmq_ctx_new ();
    void *stream = zmq_socket (ctx, ZMQ_STREAM);
    tu_set_int (stream, ZMQ_LINGER, 0);
    tu_set_int (stream, ZMQ_RCVTIMEO, 5000);
    TEST_ASSERT_SUCCESS (
      zmq_setsockopt (stream, ZMQ_CONNECT_ROUTING_ID, "srv", 3));
    TEST_ASSERT_SUCCESS (zmq_connect (stream, ep));

    struct pollfd p = {lfd, POLLIN, 0};
    TEST_ASSERT_EQ_INT (poll (&p, 1, 5000), 1);
    int fd = accept (lfd, NULL, NULL);
    TEST_ASSERT (fd >= 0);

    char id[256] = "srv";
    int idlen = 3;
    recv_pair (stream, id, &idlen, "");

    tu_send_str (stream, "srv", ZMQ_SNDMORE);
    tu_send_str (stream, "hello raw", 0);
    char buf[64];
    TEST_ASSERT_EQ_INT (raw_read (fd, buf, 9), 9);
    TEST_ASSERT (memcmp (buf, "hello raw", 9) == 0);

    raw_write (fd, "answer", 6);
    recv_pair (stream, id, &idlen, "answer");

    /*  The same id cannot be used for two connects at once... but an
        unknown one is still EHOSTUNREACH.  */
    TEST_ASSERT_FAILURE (zmq_send (stream, "other", 5, ZMQ_SNDMORE),
                         EHOSTUNREACH);

    close (fd);
    recv_pair (stream, id, &idlen, "");
    close (lfd);
    TEST_ASSERT_SUCCESS (zmq_close (stream));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

/*  Multipart beyond [id, data] is refused: STREAM frames are id + one
    data frame; a ZMQ_SNDMORE on the data frame is dropped by libzmq, so
    only check the single-frame shape is what arrives at the raw peer.  */
static void test_big_payload (void)
{
    void *ctx = zmq_ctx_new ();
    void *stream = zmq_socket (ctx, ZMQ_STREAM);
    tu_set_int (stream, ZMQ_LINGER, 0);
    tu_set_int (stream, ZMQ_RCVTIMEO, 5000);
    char ep[256];
    tu_bind_loopback (stream, ep, sizeof ep);
    int fd = raw_connect (endpoint_port (ep));
    char id[256];
    int idlen = 0;
    recv_pair (stream, id, &idlen, "");

    /*  100 kB from the raw side arrive as one or more [id, chunk] pairs
        whose bytes concatenate to what was written.  */
    enum { BIG = 100000 };
    static char out[BIG], in[BIG];
    for (int i = 0; i < BIG; i++)
        out[i] = (char) ('a' + i % 26);
    size_t w = 0;
    while (w < BIG) {
        ssize_t r = write (fd, out + w, BIG - w);
        TEST_ASSERT (r > 0);
        w += (size_t) r;
    }
    size_t got = 0;
    while (got < BIG) {
        char idb[256];
        int n = zmq_recv (stream, idb, sizeof idb, 0);
        TEST_ASSERT_EQ_INT (n, idlen);
        TEST_ASSERT (memcmp (idb, id, (size_t) idlen) == 0);
        n = zmq_recv (stream, in + got, BIG - got, 0);
        TEST_ASSERT (n > 0);
        got += (size_t) n;
    }
    TEST_ASSERT_EQ_INT (got, BIG);
    TEST_ASSERT (memcmp (in, out, BIG) == 0);
    close (fd);
    TEST_ASSERT_SUCCESS (zmq_close (stream));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

/*  The server closes a connection by sending [id, ""]: the raw peer reads
    EOF, and (unlike a peer-side close) no notification follows.  */
static void test_server_close (void)
{
    void *ctx = zmq_ctx_new ();
    void *stream = zmq_socket (ctx, ZMQ_STREAM);
    tu_set_int (stream, ZMQ_LINGER, 0);
    tu_set_int (stream, ZMQ_RCVTIMEO, 5000);
    char ep[256];
    tu_bind_loopback (stream, ep, sizeof ep);
    int fd = raw_connect (endpoint_port (ep));
    char id[256];
    int idlen = 0;
    recv_pair (stream, id, &idlen, "");
    raw_write (fd, "x", 1);
    recv_pair (stream, id, &idlen, "x");
    char buf[16];
    TEST_ASSERT_EQ_INT (zmq_send (stream, id, (size_t) idlen, ZMQ_SNDMORE),
                        idlen);
    TEST_ASSERT_EQ_INT (zmq_send (stream, "", 0, 0), 0);
    TEST_ASSERT_EQ_INT (raw_read_pump (fd, buf, 1, stream), 0);
    close (fd);
    /*  libzmq does not report the close it made itself.  */
    tu_set_int (stream, ZMQ_RCVTIMEO, 300);
    tu_recv_eagain (stream, 0);
    tu_set_int (stream, ZMQ_RCVTIMEO, 5000);

    TEST_ASSERT_SUCCESS (zmq_close (stream));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

/*  Receive a notice [id, ""]: its routing-id frame must carry the
    connection's properties (Peer-Address of a loopback peer).  */
static void recv_notice_with_peer (void *s)
{
    zmq_msg_t m;
    zmq_msg_init (&m);
    TEST_ASSERT_MSG (zmq_msg_recv (&m, s, 0) > 0, "zmq_msg_recv: errno %d (%s)",
                     zmq_errno (), zmq_strerror (zmq_errno ()));
    TEST_ASSERT (zmq_msg_more (&m));
    TEST_ASSERT_EQ_STR (zmq_msg_gets (&m, "Peer-Address"), "127.0.0.1");
    TEST_ASSERT_SUCCESS (zmq_msg_recv (&m, s, 0));
    TEST_ASSERT_EQ_INT (zmq_msg_size (&m), 0);
    TEST_ASSERT (!zmq_msg_more (&m));
    zmq_msg_close (&m);
}

/*  The connect and the disconnect notice name their peer: the routing-id
    frame has the connection's Peer-Address.  */
static void test_notice_properties (void)
{
    void *ctx = zmq_ctx_new ();
    void *stream = zmq_socket (ctx, ZMQ_STREAM);
    TEST_ASSERT (stream);
    tu_set_int (stream, ZMQ_LINGER, 0);
    tu_set_int (stream, ZMQ_RCVTIMEO, 5000);
    char ep[256];
    tu_bind_loopback (stream, ep, sizeof ep);
    int fd = raw_connect (endpoint_port (ep));
    recv_notice_with_peer (stream);
    close (fd);
    recv_notice_with_peer (stream);
    TEST_ASSERT_SUCCESS (zmq_close (stream));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

int main (void)
{
    tu_begin ("test_stream");
    test_server ();
    test_notify_off ();
    test_client ();
    test_big_payload ();
    test_server_close ();
    test_notice_properties ();
    return tu_end ();
}
