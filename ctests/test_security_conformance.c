/*  test_security_conformance.c: how NULL, PLAIN and CURVE handshakes fail,
    as the monitor reports it (zmq_socket_monitor(3)), for every way a ZAP
    handler (RFC 27) can misbehave, and for bad clients:

      - ZAP reply with a wrong version, a wrong request id, a status that is
        not 200/300/400/500, one frame too many: the server sees
        HANDSHAKE_FAILED_PROTOCOL with ZMQ_PROTOCOL_ERROR_ZAP_BAD_VERSION,
        _BAD_REQUEST_ID, _INVALID_STATUS_CODE, _MALFORMED_REPLY;
      - status 300: the server sees HANDSHAKE_FAILED_AUTH 300 and closes
        silently (no ERROR: the client sees no handshake event);
      - status 400 / 500: both sides see HANDSHAKE_FAILED_AUTH 400 / 500
        (the server sends ERROR with the code);
      - a handler that takes the request and goes away: the client's
        disconnect ends the stalled handshake, the server sees
        HANDSHAKE_FAILED_NO_DETAIL with EPIPE;
      - no handler: NULL with a ZAP domain and CURVE go through, PLAIN fails
        with HANDSHAKE_FAILED_NO_DETAIL EFAULT; with ZMQ_ZAP_ENFORCE_DOMAIN
        (draft) NULL and CURVE fail the same way;
      - ZAP metadata and User-Id reach zmq_msg_gets(3);
      - CURVE server and a NULL or PLAIN client: MECHANISM_MISMATCH on both
        sides; a client with a wrong server key: ZMTP_CRYPTOGRAPHIC; raw
        HELLO commands that are too short, of a wrong version, misnamed or
        with a box that does not open: MALFORMED_COMMAND_HELLO,
        MALFORMED_COMMAND_HELLO, UNEXPECTED_COMMAND, CRYPTOGRAPHIC.

    Behaviour learnt from libzmq's tests (test_security_zap,
    test_security_curve, test_security_no_zap_handler), checked against
    Debian's libzmq 4.3.4.  */
#include "testutil.h"

#include <pthread.h>
#include <stdint.h>
#include <unistd.h>

enum zap_mode
{
    ZAP_OK,
    ZAP_WRONG_VERSION,
    ZAP_WRONG_REQUEST_ID,
    ZAP_STATUS_INVALID,
    ZAP_STATUS_300,
    ZAP_STATUS_500,
    ZAP_TOO_MANY_PARTS,
    ZAP_DISCONNECT,
    ZAP_METADATA
};

static char client_pub[41], client_sec[41];
static char server_pub[41], server_sec[41];
static const char zap_domain[] = "ZAPTEST";

typedef struct
{
    void *rep;
    enum zap_mode mode;
    pthread_t thread;
    int running;
} zap_t;

static pthread_mutex_t zap_lock = PTHREAD_MUTEX_INITIALIZER;
static int zap_requests;

static int zap_count (void)
{
    pthread_mutex_lock (&zap_lock);
    int n = zap_requests;
    pthread_mutex_unlock (&zap_lock);
    return n;
}

/*  The handler thread: answers requests according to its mode until the
    context ends (or, ZAP_DISCONNECT, closes after the first frame).  */
static void *zap_main (void *arg)
{
    zap_t *z = (zap_t *) arg;
    for (;;) {
        char f[10][64];
        int sizes[10];
        int n = 0, more = 1;
        while (more) {
            int i = n < 9 ? n : 9;
            int rc = zmq_recv (z->rep, f[i], sizeof f[i] - 1, 0);
            if (rc < 0) {
                TEST_ASSERT_EQ_INT (zmq_errno (), ETERM);
                zmq_close (z->rep);
                return NULL;
            }
            if (rc > (int) sizeof f[i] - 1)
                rc = (int) sizeof f[i] - 1;
            f[i][rc] = '\0';
            sizes[i] = rc;
            n++;
            if (z->mode == ZAP_DISCONNECT) {
                pthread_mutex_lock (&zap_lock);
                zap_requests++;
                pthread_mutex_unlock (&zap_lock);
                zmq_close (z->rep);
                return NULL;
            }
            more = tu_get_int (z->rep, ZMQ_RCVMORE);
        }
        TEST_ASSERT (n >= 6);
        TEST_ASSERT_EQ_STR (f[0], "1.0");
        int ok = 0;
        if (strcmp (f[5], "NULL") == 0)
            ok = 1;
        else if (strcmp (f[5], "PLAIN") == 0)
            ok = n == 8 && strcmp (f[6], "testuser") == 0
                 && strcmp (f[7], "testpass") == 0;
        else if (strcmp (f[5], "CURVE") == 0) {
            char text[41];
            TEST_ASSERT (n == 7 && sizes[6] == 32);
            TEST_ASSERT (zmq_z85_encode (text, (uint8_t *) f[6], 32));
            ok = strcmp (text, client_pub) == 0;
        }
        pthread_mutex_lock (&zap_lock);
        zap_requests++;
        pthread_mutex_unlock (&zap_lock);

        /*  A client that keeps reconnecting can make a request just before
            the test tears down: the reply then meets ETERM and the handler
            ends.  */
        int ended = 0;
        const char *version = z->mode == ZAP_WRONG_VERSION ? "invalid_version"
                                                           : "1.0";
        ended |= tu_send_unless_term (z->rep, version, strlen (version), ZMQ_SNDMORE);
        if (z->mode == ZAP_WRONG_REQUEST_ID)
            ended |= tu_send_unless_term (z->rep, "invalid_request_id", 18, ZMQ_SNDMORE);
        else
            ended |= tu_send_unless_term (z->rep, f[1], (size_t) sizes[1], ZMQ_SNDMORE);
        const char *status = "400";
        if (ok) {
            switch (z->mode) {
                case ZAP_STATUS_INVALID: status = "invalid_status"; break;
                case ZAP_STATUS_300: status = "300"; break;
                case ZAP_STATUS_500: status = "500"; break;
                default: status = "200";
            }
        }
        ended |= tu_send_unless_term (z->rep, status, strlen (status), ZMQ_SNDMORE);
        ended |= tu_send_unless_term (z->rep, "OK", 2, ZMQ_SNDMORE);
        ended |= tu_send_unless_term (z->rep, "anonymous", 9, ZMQ_SNDMORE);
        if (z->mode == ZAP_METADATA && ok) {
            /*  One property, Hello = World.  */
            const char meta[] = "\x05Hello\x00\x00\x00\x05World";
            ended |= tu_send_unless_term (z->rep, meta, sizeof meta - 1, 0);
        } else {
            if (z->mode == ZAP_TOO_MANY_PARTS)
                ended |= tu_send_unless_term (z->rep, "", 0, ZMQ_SNDMORE);
            ended |= tu_send_unless_term (z->rep, "", 0, 0);
        }
        if (ended) {
            zmq_close (z->rep);
            return NULL;
        }
    }
}

typedef struct
{
    void *ctx;
    zap_t zap;
    void *server;
    void *server_mon;
    char ep[256];
} fixture_t;

static void set_str (void *s, int opt, const char *v)
{
    TEST_ASSERT_SUCCESS (zmq_setsockopt (s, opt, v, strlen (v)));
}

enum mech
{
    M_NULL,
    M_PLAIN,
    M_CURVE,
    M_NONE
};

static void config_server (void *s, enum mech m)
{
    switch (m) {
        case M_NULL: break;
        case M_PLAIN: tu_set_int (s, ZMQ_PLAIN_SERVER, 1); break;
        case M_CURVE:
            tu_set_int (s, ZMQ_CURVE_SERVER, 1);
            set_str (s, ZMQ_CURVE_SECRETKEY, server_sec);
            break;
        case M_NONE: break;
    }
    if (m != M_NONE)
        set_str (s, ZMQ_ZAP_DOMAIN, zap_domain);
}

static void config_client (void *s, enum mech m)
{
    switch (m) {
        case M_PLAIN:
            set_str (s, ZMQ_PLAIN_USERNAME, "testuser");
            set_str (s, ZMQ_PLAIN_PASSWORD, "testpass");
            break;
        case M_CURVE:
            set_str (s, ZMQ_CURVE_SERVERKEY, server_pub);
            set_str (s, ZMQ_CURVE_PUBLICKEY, client_pub);
            set_str (s, ZMQ_CURVE_SECRETKEY, client_sec);
            break;
        default: break;
    }
}

static const int handshake_events =
  ZMQ_EVENT_HANDSHAKE_SUCCEEDED | ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL
  | ZMQ_EVENT_HANDSHAKE_FAILED_AUTH | ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL;

/*  Monitors a socket on a fresh inproc endpoint named after `name`.  */
static void *monitor (void *ctx, void *s, const char *name)
{
    static int serial;
    char ep[64];
    snprintf (ep, sizeof ep, "%s-%d", name, ++serial);
    TEST_ASSERT_SUCCESS (zmq_socket_monitor (s, ep, handshake_events));
    void *mon = zmq_socket (ctx, ZMQ_PAIR);
    TEST_ASSERT (mon);
    tu_set_int (mon, ZMQ_LINGER, 0);
    TEST_ASSERT_SUCCESS (zmq_connect (mon, ep));
    return mon;
}

/*  Next event within timeout_ms: its number, value in *value; -1 if none.  */
static int next_event (void *mon, int timeout_ms, uint32_t *value)
{
    tu_set_int (mon, ZMQ_RCVTIMEO, timeout_ms);
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
    memcpy (value, (char *) zmq_msg_data (&m) + 2, 4);
    TEST_ASSERT (zmq_msg_more (&m));
    TEST_ASSERT (zmq_msg_recv (&m, mon, 0) >= 0);
    zmq_msg_close (&m);
    return ev;
}

/*  The next event must be (event, value).  */
static void expect_event (void *mon, int event, uint32_t value, int line)
{
    uint32_t v = 0;
    int ev = next_event (mon, 5000, &v);
    if (ev != event || v != value)
        TEST_FAIL_AT (__FILE__, line,
                      "monitor event 0x%x value 0x%x (%u), expected 0x%x "
                      "value 0x%x (%u)",
                      ev, v, v, event, value, value);
}
#define EXPECT_EVENT(mon, ev, val) expect_event ((mon), (ev), (val), __LINE__)

static void expect_no_event (void *mon, int timeout_ms, int line)
{
    uint32_t v = 0;
    int ev = next_event (mon, timeout_ms, &v);
    if (ev != -1)
        TEST_FAIL_AT (__FILE__, line, "unexpected monitor event 0x%x value %u",
                      ev, v);
}
#define EXPECT_NO_EVENT(mon, ms) expect_no_event ((mon), (ms), __LINE__)

/*  Context, optional ZAP handler (bound before the server exists), server
    DEALER configured for `m`, bound, with a handshake monitor.  */
static void setup (fixture_t *f, enum mech m, int with_zap, enum zap_mode mode,
                   int enforce)
{
    f->ctx = zmq_ctx_new ();
    TEST_ASSERT (f->ctx);
    pthread_mutex_lock (&zap_lock);
    zap_requests = 0;
    pthread_mutex_unlock (&zap_lock);
    f->zap.running = with_zap;
    if (with_zap) {
        f->zap.rep = zmq_socket (f->ctx, ZMQ_REP);
        TEST_ASSERT (f->zap.rep);
        tu_set_int (f->zap.rep, ZMQ_LINGER, 0);
        TEST_ASSERT_SUCCESS (zmq_bind (f->zap.rep, "inproc://zeromq.zap.01"));
        f->zap.mode = mode;
        TEST_ASSERT (pthread_create (&f->zap.thread, NULL, zap_main, &f->zap)
                     == 0);
    }
    f->server = zmq_socket (f->ctx, ZMQ_DEALER);
    TEST_ASSERT (f->server);
    tu_set_int (f->server, ZMQ_LINGER, 0);
    config_server (f->server, m);
#ifdef ZMQ_BUILD_DRAFT_API
    if (enforce)
        tu_set_int (f->server, ZMQ_ZAP_ENFORCE_DOMAIN, 1);
#else
    (void) enforce;
#endif
    tu_bind_loopback (f->server, f->ep, sizeof f->ep);
    f->server_mon = monitor (f->ctx, f->server, "inproc://mon-server");
}

static void teardown (fixture_t *f)
{
    TEST_ASSERT_SUCCESS (zmq_close (f->server_mon));
    TEST_ASSERT_SUCCESS (zmq_close (f->server));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (f->ctx));
    if (f->zap.running)
        pthread_join (f->zap.thread, NULL);
}

static void *new_client (fixture_t *f, enum mech m, void **mon)
{
    void *c = zmq_socket (f->ctx, ZMQ_DEALER);
    TEST_ASSERT (c);
    tu_set_int (c, ZMQ_LINGER, 0);
    config_client (c, m);
    if (mon)
        *mon = monitor (f->ctx, c, "inproc://mon-client");
    TEST_ASSERT_SUCCESS (zmq_connect (c, f->ep));
    return c;
}

/*  A message from client to server and back.  */
static void bounce (void *server, void *client)
{
    tu_set_int (server, ZMQ_RCVTIMEO, 5000);
    tu_set_int (client, ZMQ_RCVTIMEO, 5000);
    tu_send_str (client, "ping", 0);
    tu_recv_str (server, "ping");
    tu_send_str (server, "pong", 0);
    tu_recv_str (client, "pong");
}

/*  The client's message never reaches the server.  */
static void bounce_fails (void *server, void *client)
{
    tu_set_int (server, ZMQ_RCVTIMEO, 300);
    /*  A client that has already given up has no pipe left to queue on.  */
    int rc = zmq_send (client, "ping", 4, ZMQ_DONTWAIT);
    TEST_ASSERT (rc == 4 || zmq_errno () == EAGAIN);
    tu_recv_eagain (server, 0);
}

/*  A client of mechanism `cm` fails to get through; the server's first
    handshake event is (sev, sval); the client's (cev, cval), or none at all
    when cev is -1, or unchecked when cev is 0.  */
static void check_failure (fixture_t *f, enum mech cm, int sev, uint32_t sval,
                           int cev, uint32_t cval)
{
    void *cmon = NULL;
    void *client = new_client (f, cm, cev != 0 ? &cmon : NULL);
    bounce_fails (f->server, client);
    if (cev < 0) {
        EXPECT_EVENT (f->server_mon, sev, sval);
        EXPECT_NO_EVENT (cmon, 300);
        TEST_ASSERT_SUCCESS (zmq_close (client));
    } else {
        if (cev > 0)
            EXPECT_EVENT (cmon, cev, cval);
        /*  Some failures (a handler that never answers) only end when
            the client goes.  */
        TEST_ASSERT_SUCCESS (zmq_close (client));
        EXPECT_EVENT (f->server_mon, sev, sval);
    }
    if (cmon)
        TEST_ASSERT_SUCCESS (zmq_close (cmon));
}

static void zap_failure (enum mech m, enum zap_mode mode, int sev,
                         uint32_t sval, int cev, uint32_t cval)
{
    fixture_t f;
    setup (&f, m, 1, mode, 0);
    check_failure (&f, m, sev, sval, cev, cval);
    TEST_ASSERT (zap_count () >= 1);
    teardown (&f);
}

static void test_zap_replies (enum mech m)
{
    zap_failure (m, ZAP_WRONG_VERSION, ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL,
                 ZMQ_PROTOCOL_ERROR_ZAP_BAD_VERSION, 0, 0);
    zap_failure (m, ZAP_WRONG_REQUEST_ID, ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL,
                 ZMQ_PROTOCOL_ERROR_ZAP_BAD_REQUEST_ID, 0, 0);
    zap_failure (m, ZAP_STATUS_INVALID, ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL,
                 ZMQ_PROTOCOL_ERROR_ZAP_INVALID_STATUS_CODE, 0, 0);
    zap_failure (m, ZAP_TOO_MANY_PARTS, ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL,
                 ZMQ_PROTOCOL_ERROR_ZAP_MALFORMED_REPLY, 0, 0);
    /*  300, a temporary failure: no ERROR, the client is dropped silently
        and will try again (what its monitor sees of the broken handshake,
        and when, varies with libzmq: unchecked).  */
    zap_failure (m, ZAP_STATUS_300, ZMQ_EVENT_HANDSHAKE_FAILED_AUTH, 300, 0,
                 0);
    zap_failure (m, ZAP_STATUS_500, ZMQ_EVENT_HANDSHAKE_FAILED_AUTH, 500,
                 ZMQ_EVENT_HANDSHAKE_FAILED_AUTH, 500);
    /*  The handler goes away holding the request: the handshake stalls
        until the client leaves.  */
    zap_failure (m, ZAP_DISCONNECT, ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL,
                 EPIPE, 0, 0);
}

/*  A refused client (status 400) hears it through ERROR and gives up: the
    handler is asked once, however long the client stays.  */
static void test_refused (enum mech m)
{
    fixture_t f;
    setup (&f, m, 1, ZAP_OK, 0);
    void *cmon;
    void *client = zmq_socket (f.ctx, ZMQ_DEALER);
    TEST_ASSERT (client);
    tu_set_int (client, ZMQ_LINGER, 0);
    tu_set_int (client, ZMQ_RECONNECT_IVL, 20);
    if (m == M_PLAIN) {
        set_str (client, ZMQ_PLAIN_USERNAME, "testuser");
        set_str (client, ZMQ_PLAIN_PASSWORD, "wrong");
    } else {
        char bogus_pub[41], bogus_sec[41];
        TEST_ASSERT_SUCCESS (zmq_curve_keypair (bogus_pub, bogus_sec));
        set_str (client, ZMQ_CURVE_SERVERKEY, server_pub);
        set_str (client, ZMQ_CURVE_PUBLICKEY, bogus_pub);
        set_str (client, ZMQ_CURVE_SECRETKEY, bogus_sec);
    }
    cmon = monitor (f.ctx, client, "inproc://mon-client");
    TEST_ASSERT_SUCCESS (zmq_connect (client, f.ep));
    bounce_fails (f.server, client);
    EXPECT_EVENT (f.server_mon, ZMQ_EVENT_HANDSHAKE_FAILED_AUTH, 400);
    EXPECT_EVENT (cmon, ZMQ_EVENT_HANDSHAKE_FAILED_AUTH, 400);
    /*  With a 20 ms reconnect interval a retrying client would be back
        many times by now.  */
    EXPECT_NO_EVENT (f.server_mon, 300);
    EXPECT_NO_EVENT (cmon, 0);
    TEST_ASSERT_EQ_INT (zap_count (), 1);
    TEST_ASSERT_SUCCESS (zmq_close (cmon));
    TEST_ASSERT_SUCCESS (zmq_close (client));
    teardown (&f);
}

/*  ZAP's User-Id and metadata become message properties.  */
static void test_zap_metadata (enum mech m)
{
    fixture_t f;
    setup (&f, m, 1, ZAP_METADATA, 0);
    void *client = new_client (&f, m, NULL);
    tu_set_int (f.server, ZMQ_RCVTIMEO, 5000);
    tu_send_str (client, "meta", 0);
    zmq_msg_t msg;
    zmq_msg_init (&msg);
    TEST_ASSERT_EQ_INT (zmq_msg_recv (&msg, f.server, 0), 4);
    TEST_ASSERT_EQ_STR (zmq_msg_gets (&msg, "Hello"), "World");
    TEST_ASSERT_EQ_STR (zmq_msg_gets (&msg, "User-Id"), "anonymous");
    TEST_ASSERT_EQ_STR (zmq_msg_gets (&msg, "Socket-Type"), "DEALER");
    TEST_ASSERT_NULL_ERRNO (zmq_msg_gets (&msg, "Hello2"), EINVAL);
    zmq_msg_close (&msg);
    uint32_t v;
    EXPECT_EVENT (f.server_mon, ZMQ_EVENT_HANDSHAKE_SUCCEEDED, 0);
    (void) v;
    TEST_ASSERT_SUCCESS (zmq_close (client));
    teardown (&f);
}

/*  No ZAP handler bound.  */
static void test_no_handler (void)
{
    fixture_t f;
    /*  NULL with a domain and CURVE: ZAP is skipped.  */
    setup (&f, M_NULL, 0, ZAP_OK, 0);
    void *client = new_client (&f, M_NULL, NULL);
    bounce (f.server, client);
    EXPECT_EVENT (f.server_mon, ZMQ_EVENT_HANDSHAKE_SUCCEEDED, 0);
    TEST_ASSERT_SUCCESS (zmq_close (client));
    teardown (&f);

    setup (&f, M_CURVE, 0, ZAP_OK, 0);
    client = new_client (&f, M_CURVE, NULL);
    bounce (f.server, client);
    EXPECT_EVENT (f.server_mon, ZMQ_EVENT_HANDSHAKE_SUCCEEDED, 0);
    TEST_ASSERT_SUCCESS (zmq_close (client));
    teardown (&f);

    /*  PLAIN cannot do without.  */
    setup (&f, M_PLAIN, 0, ZAP_OK, 0);
    check_failure (&f, M_PLAIN, ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL, EFAULT,
                   0, 0);
    teardown (&f);

#ifdef ZMQ_BUILD_DRAFT_API
    /*  ZMQ_ZAP_ENFORCE_DOMAIN: no handler, no entry.  */
    setup (&f, M_NULL, 0, ZAP_OK, 1);
    check_failure (&f, M_NULL, ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL, EFAULT,
                   0, 0);
    teardown (&f);
    setup (&f, M_CURVE, 0, ZAP_OK, 1);
    check_failure (&f, M_CURVE, ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL, EFAULT,
                   0, 0);
    teardown (&f);
#endif
}

/*  CURVE server against clients that cannot take part.  */
static void test_curve_bad_clients (void)
{
    fixture_t f;
    setup (&f, M_CURVE, 1, ZAP_OK, 0);
    /*  The valid client first.  */
    void *client = new_client (&f, M_CURVE, NULL);
    bounce (f.server, client);
    EXPECT_EVENT (f.server_mon, ZMQ_EVENT_HANDSHAKE_SUCCEEDED, 0);
    TEST_ASSERT_SUCCESS (zmq_close (client));

    check_failure (&f, M_NULL, ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL,
                   ZMQ_PROTOCOL_ERROR_ZMTP_MECHANISM_MISMATCH,
                   ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL,
                   ZMQ_PROTOCOL_ERROR_ZMTP_MECHANISM_MISMATCH);
    EXPECT_NO_EVENT (f.server_mon, 0);
    check_failure (&f, M_PLAIN, ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL,
                   ZMQ_PROTOCOL_ERROR_ZMTP_MECHANISM_MISMATCH,
                   ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL,
                   ZMQ_PROTOCOL_ERROR_ZMTP_MECHANISM_MISMATCH);
    EXPECT_NO_EVENT (f.server_mon, 0);

    /*  The wrong server key: the server cannot open the HELLO box.  */
    char other_pub[41], other_sec[41];
    TEST_ASSERT_SUCCESS (zmq_curve_keypair (other_pub, other_sec));
    client = zmq_socket (f.ctx, ZMQ_DEALER);
    tu_set_int (client, ZMQ_LINGER, 0);
    set_str (client, ZMQ_CURVE_SERVERKEY, other_pub);
    set_str (client, ZMQ_CURVE_PUBLICKEY, client_pub);
    set_str (client, ZMQ_CURVE_SECRETKEY, client_sec);
    TEST_ASSERT_SUCCESS (zmq_connect (client, f.ep));
    bounce_fails (f.server, client);
    EXPECT_EVENT (f.server_mon, ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL,
                  ZMQ_PROTOCOL_ERROR_ZMTP_CRYPTOGRAPHIC);
    TEST_ASSERT_SUCCESS (zmq_close (client));
    teardown (&f);
}

/*  Raw TCP peers sending a CURVE greeting and a bad HELLO.  */
static int raw_connect (const char *ep)
{
    const char *port = strrchr (ep, ':');
    TEST_ASSERT (port);
    struct sockaddr_in sa;
    memset (&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = htons ((uint16_t) atoi (port + 1));
    sa.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
    int fd = socket (AF_INET, SOCK_STREAM, 0);
    TEST_ASSERT (fd >= 0);
    TEST_ASSERT (connect (fd, (struct sockaddr *) &sa, sizeof sa) == 0);
    return fd;
}

static void send_all (int fd, const void *data, size_t n)
{
    TEST_ASSERT_EQ_INT (send (fd, data, n, 0), n);
}

/*  kind: 0 short HELLO, 1 wrong version, 2 wrong name, 3 garbage box.  */
static void raw_hello (fixture_t *f, int kind, uint32_t expected)
{
    int fd = raw_connect (f->ep);
    unsigned char greeting[64];
    memset (greeting, 0, sizeof greeting);
    greeting[0] = 0xFF;
    greeting[9] = 0x7F;
    greeting[10] = 3;
    greeting[11] = 0;
    memcpy (greeting + 12, "CURVE", 5);
    send_all (fd, greeting, sizeof greeting);
    unsigned char hello[202];
    memset (hello, 0, sizeof hello);
    size_t len = 200;
    if (kind == 0)
        len = 199;
    hello[0] = 0x04;
    hello[1] = (unsigned char) len;
    memcpy (hello + 2, "\x05HELLO", 6);
    if (kind == 2)
        hello[6] = 'X';
    hello[8] = kind == 1 ? 2 : 1;
    hello[9] = 0;
    for (size_t i = 82; i < len + 2; i++)
        hello[i] = (unsigned char) (i * 7);
    send_all (fd, hello, len + 2);
    EXPECT_EVENT (f->server_mon, ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL,
                  expected);
    /*  The server closes the connection.  */
    char buf[256];
    ssize_t n;
    while ((n = recv (fd, buf, sizeof buf, 0)) > 0)
        ;
    TEST_ASSERT (n == 0 || (n < 0 && errno == ECONNRESET));
    close (fd);
}

static void test_curve_bad_hello (void)
{
    fixture_t f;
    setup (&f, M_CURVE, 1, ZAP_OK, 0);
    raw_hello (&f, 0, ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_HELLO);
    raw_hello (&f, 1, ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_HELLO);
    raw_hello (&f, 2, ZMQ_PROTOCOL_ERROR_ZMTP_UNEXPECTED_COMMAND);
    raw_hello (&f, 3, ZMQ_PROTOCOL_ERROR_ZMTP_CRYPTOGRAPHIC);
    /*  A valid client still gets through.  */
    void *client = new_client (&f, M_CURVE, NULL);
    bounce (f.server, client);
    EXPECT_EVENT (f.server_mon, ZMQ_EVENT_HANDSHAKE_SUCCEEDED, 0);
    TEST_ASSERT_SUCCESS (zmq_close (client));
    TEST_ASSERT_EQ_INT (zap_count (), 1);
    teardown (&f);
}

int main (void)
{
    tu_begin ("test_security_conformance");
    TEST_ASSERT_SUCCESS (zmq_curve_keypair (client_pub, client_sec));
    TEST_ASSERT_SUCCESS (zmq_curve_keypair (server_pub, server_sec));

    test_zap_replies (M_NULL);
    test_zap_replies (M_PLAIN);
    test_zap_replies (M_CURVE);
    test_refused (M_PLAIN);
    test_refused (M_CURVE);
    test_zap_metadata (M_NULL);
    test_zap_metadata (M_CURVE);
    test_no_handler ();
    test_curve_bad_clients ();
    test_curve_bad_hello ();
    return tu_end ();
}
