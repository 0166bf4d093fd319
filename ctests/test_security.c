/*  test_security.c: the security mechanisms (zmq_plain(7), zmq_curve(7),
    zmq_null(7)) with a ZAP handler (RFC 27/ZAP) on inproc://zeromq.zap.01:
    PLAIN accepted / rejected (ZMQ_EVENT_HANDSHAKE_FAILED_AUTH, status 400),
    the User-Id the handler gave, CURVE with the right and a wrong server
    key, CURVE rejected by ZAP, a CURVE client with an all-zero public or
    secret key (HANDSHAKE_FAILED_PROTOCOL, ZMTP_CRYPTOGRAPHIC),
    ZMQ_ZAP_DOMAIN in the request, NULL with a ZAP domain going through the
    handler, message metadata ("Socket-Type", "Peer-Address", "User-Id")
    from zmq_msg_gets(3).  Checked against
    Debian's libzmq 4.3.4.  */
#include "testutil.h"

#include <pthread.h>
#include <stdint.h>

/*  What the handler saw last, for the main thread to check.  */
static pthread_mutex_t zap_lock = PTHREAD_MUTEX_INITIALIZER;
static char zap_last_domain[256];
static char zap_last_mechanism[256];
static int zap_requests;
/*  The one CURVE client key the handler accepts.  */
static uint8_t zap_curve_ok[32];

static int recv_part (void *s, char *buf, size_t n, int *more)
{
    int rc = zmq_recv (s, buf, n - 1, 0);
    if (rc < 0)
        return -1;
    TEST_ASSERT ((size_t) rc < n);
    buf[rc] = '\0';
    *more = tu_get_int (s, ZMQ_RCVMORE);
    return rc;
}

/*  ZAP handler: the REP bound on inproc://zeromq.zap.01, until the
    context ends.
    Policy: PLAIN "admin"/"secret" -> 200 user "admin-id"; CURVE key
    zap_curve_ok -> 200 user "curve-id"; NULL -> 200 user "anon" unless
    the domain is "deny"; anything else 400.  */
static void *zap_handler (void *rep)
{
    for (;;) {
        char f[8][256];
        int sizes[8];
        int n = 0, more = 1;
        while (more) {
            int rc = recv_part (rep, f[n < 7 ? n : 7], sizeof f[0], &more);
            if (rc < 0) {
                TEST_ASSERT_EQ_INT (zmq_errno (), ETERM);
                zmq_close (rep);
                return NULL;
            }
            sizes[n < 7 ? n : 7] = rc;
            n++;
        }
        /*  version, request id, domain, address, routing id, mechanism,
            credentials...  */
        TEST_ASSERT (n >= 6);
        TEST_ASSERT_EQ_STR (f[0], "1.0");
        TEST_ASSERT_EQ_STR (f[3], "127.0.0.1");
        const char *status = "400", *user = "";
        if (strcmp (f[5], "PLAIN") == 0) {
            TEST_ASSERT_EQ_INT (n, 8);
            if (strcmp (f[6], "admin") == 0 && strcmp (f[7], "secret") == 0) {
                status = "200";
                user = "admin-id";
            }
        } else if (strcmp (f[5], "CURVE") == 0) {
            TEST_ASSERT_EQ_INT (n, 7);
            TEST_ASSERT_EQ_INT (sizes[6], 32);
            if (memcmp (f[6], zap_curve_ok, 32) == 0) {
                status = "200";
                user = "curve-id";
            }
        } else if (strcmp (f[5], "NULL") == 0) {
            TEST_ASSERT_EQ_INT (n, 6);
            if (strcmp (f[2], "deny") != 0) {
                status = "200";
                user = "anon";
            }
        }
        pthread_mutex_lock (&zap_lock);
        snprintf (zap_last_domain, sizeof zap_last_domain, "%s", f[2]);
        snprintf (zap_last_mechanism, sizeof zap_last_mechanism, "%s", f[5]);
        zap_requests++;
        pthread_mutex_unlock (&zap_lock);

        const char *text = strcmp (status, "200") == 0 ? "OK" : "denied";
        /*  A client that reconnects can make a request just before the test
            tears down: the reply then meets ETERM and the handler ends.  */
        int ended = tu_send_unless_term (rep, "1.0", 3, ZMQ_SNDMORE);
        ended |= tu_send_unless_term (rep, f[1], (size_t) sizes[1], ZMQ_SNDMORE);
        ended |= tu_send_unless_term (rep, status, strlen (status), ZMQ_SNDMORE);
        ended |= tu_send_unless_term (rep, text, strlen (text), ZMQ_SNDMORE);
        ended |= tu_send_unless_term (rep, user, strlen (user), ZMQ_SNDMORE);
        ended |= tu_send_unless_term (rep, "", 0, 0);
        if (ended) {
            zmq_close (rep);
            return NULL;
        }
    }
}

static void zap_seen (char *domain, char *mech, int *count)
{
    pthread_mutex_lock (&zap_lock);
    snprintf (domain, 256, "%s", zap_last_domain);
    snprintf (mech, 256, "%s", zap_last_mechanism);
    *count = zap_requests;
    pthread_mutex_unlock (&zap_lock);
}

typedef struct
{
    void *ctx;
    pthread_t thread;
} fixture_t;

static void setup (fixture_t *f)
{
    f->ctx = zmq_ctx_new ();
    TEST_ASSERT (f->ctx);
    pthread_mutex_lock (&zap_lock);
    zap_requests = 0;
    zap_last_domain[0] = zap_last_mechanism[0] = '\0';
    pthread_mutex_unlock (&zap_lock);
    /*  Bound here, before any handshake can start; the thread takes the
        socket over (pthread_create is the memory barrier).  */
    void *rep = zmq_socket (f->ctx, ZMQ_REP);
    TEST_ASSERT (rep);
    TEST_ASSERT_SUCCESS (zmq_bind (rep, "inproc://zeromq.zap.01"));
    TEST_ASSERT (pthread_create (&f->thread, NULL, zap_handler, rep) == 0);
}

/*  All sockets but the handler's must be closed first.  */
static void teardown (fixture_t *f)
{
    TEST_ASSERT_SUCCESS (zmq_ctx_term (f->ctx));
    pthread_join (f->thread, NULL);
}

static void set_str (void *s, int opt, const char *v)
{
    TEST_ASSERT_SUCCESS (zmq_setsockopt (s, opt, v, strlen (v)));
}

/*  Server DEALER (bound on tcp, tu_bind_loopback) and client DEALER,
    both with LINGER 0 and 5 s timeouts; ep receives the endpoint.  */
/*  A send from a client that may already have been refused: libzmq ends
    such a connecter, and with no pipe left the send cannot queue (EAGAIN).  */
static void send_maybe_refused (void *s, const char *text)
{
    int rc = zmq_send (s, text, strlen (text), ZMQ_DONTWAIT);
    TEST_ASSERT_MSG (rc == (int) strlen (text) || zmq_errno () == EAGAIN,
                     "zmq_send(\"%s\"): rc %d errno %d", text, rc,
                     zmq_errno ());
}

static void make_sockets (void *ctx, void **server, void **client)
{
    *server = zmq_socket (ctx, ZMQ_DEALER);
    *client = zmq_socket (ctx, ZMQ_DEALER);
    TEST_ASSERT (*server && *client);
    void *both[2] = {*server, *client};
    for (int i = 0; i < 2; i++) {
        tu_set_int (both[i], ZMQ_LINGER, 0);
        tu_set_int (both[i], ZMQ_RCVTIMEO, 5000);
        tu_set_int (both[i], ZMQ_SNDTIMEO, 5000);
    }
}

static void connect_to (void *server, void *client, char *ep, size_t n)
{
    tu_bind_loopback (server, ep, n);
    TEST_ASSERT_SUCCESS (zmq_connect (client, ep));
}

/*  Receive a message on s and check its text and metadata.  */
static void recv_with_meta (void *s, const char *text, const char *sock_type,
                            const char *user_id)
{
    zmq_msg_t m;
    zmq_msg_init (&m);
    int rc = zmq_msg_recv (&m, s, 0);
    TEST_ASSERT_MSG (rc >= 0, "zmq_msg_recv: errno %d (%s)", zmq_errno (),
                     zmq_strerror (zmq_errno ()));
    TEST_ASSERT_EQ_INT (rc, strlen (text));
    TEST_ASSERT (memcmp (zmq_msg_data (&m), text, strlen (text)) == 0);
    TEST_ASSERT_EQ_STR (zmq_msg_gets (&m, "Socket-Type"), sock_type);
    TEST_ASSERT_EQ_STR (zmq_msg_gets (&m, "Peer-Address"), "127.0.0.1");
    if (user_id)
        TEST_ASSERT_EQ_STR (zmq_msg_gets (&m, "User-Id"), user_id);
    else
        TEST_ASSERT_NULL_ERRNO (zmq_msg_gets (&m, "User-Id"), EINVAL);
    TEST_ASSERT_NULL_ERRNO (zmq_msg_gets (&m, "No-Such-Property"), EINVAL);
    zmq_msg_close (&m);
}

/*  Next event on a v1 monitor PAIR: event number, value.  */
static int get_event (void *mon, uint32_t *value)
{
    zmq_msg_t m;
    zmq_msg_init (&m);
    if (zmq_msg_recv (&m, mon, 0) == -1) {
        zmq_msg_close (&m);
        return -1;
    }
    TEST_ASSERT_EQ_INT (zmq_msg_size (&m), 6);
    uint16_t ev;
    memcpy (&ev, zmq_msg_data (&m), 2);
    memcpy (value, (char *) zmq_msg_data (&m) + 2, 4);
    TEST_ASSERT_SUCCESS (zmq_msg_recv (&m, mon, 0));
    zmq_msg_close (&m);
    return ev;
}

static void test_plain (void)
{
    fixture_t f;
    setup (&f);
    void *server, *client;
    make_sockets (f.ctx, &server, &client);
    tu_set_int (server, ZMQ_PLAIN_SERVER, 1);
    TEST_ASSERT_EQ_INT (tu_get_int (server, ZMQ_MECHANISM), ZMQ_PLAIN);
    set_str (server, ZMQ_ZAP_DOMAIN, "plain-domain");
    set_str (client, ZMQ_PLAIN_USERNAME, "admin");
    set_str (client, ZMQ_PLAIN_PASSWORD, "secret");
    TEST_ASSERT_EQ_INT (tu_get_int (client, ZMQ_MECHANISM), ZMQ_PLAIN);
    TEST_ASSERT_EQ_INT (tu_get_int (client, ZMQ_PLAIN_SERVER), 0);
    char ep[256];
    connect_to (server, client, ep, sizeof ep);
    tu_send_str (client, "hello", 0);
    recv_with_meta (server, "hello", "DEALER", "admin-id");
    tu_send_str (server, "back", 0);
    /*  The client gets no User-Id: ZAP runs on the server only.  */
    recv_with_meta (client, "back", "DEALER", NULL);
    char domain[256], mech[256];
    int count;
    zap_seen (domain, mech, &count);
    TEST_ASSERT_EQ_STR (domain, "plain-domain");
    TEST_ASSERT_EQ_STR (mech, "PLAIN");
    TEST_ASSERT_EQ_INT (count, 1);

    /*  A wrong password: no message; the server's monitor reports
        HANDSHAKE_FAILED_AUTH with the ZAP status code.  */
    TEST_ASSERT_SUCCESS (zmq_socket_monitor (
      server, "inproc://test_security-mon", ZMQ_EVENT_HANDSHAKE_FAILED_AUTH));
    void *mon = zmq_socket (f.ctx, ZMQ_PAIR);
    tu_set_int (mon, ZMQ_LINGER, 0);
    tu_set_int (mon, ZMQ_RCVTIMEO, 5000);
    TEST_ASSERT_SUCCESS (zmq_connect (mon, "inproc://test_security-mon"));
    void *bad = zmq_socket (f.ctx, ZMQ_DEALER);
    tu_set_int (bad, ZMQ_LINGER, 0);
    tu_set_int (bad, ZMQ_RCVTIMEO, 300);
    set_str (bad, ZMQ_PLAIN_USERNAME, "admin");
    set_str (bad, ZMQ_PLAIN_PASSWORD, "wrong");
    TEST_ASSERT_SUCCESS (zmq_connect (bad, ep));
    send_maybe_refused (bad, "intruder");
    uint32_t v = 0;
    TEST_ASSERT_EQ_INT (get_event (mon, &v), ZMQ_EVENT_HANDSHAKE_FAILED_AUTH);
    TEST_ASSERT_EQ_INT (v, 400);
    tu_set_int (server, ZMQ_RCVTIMEO, 300);
    tu_recv_eagain (server, 0);
    tu_recv_eagain (bad, 0);

    TEST_ASSERT_SUCCESS (zmq_close (bad));
    TEST_ASSERT_SUCCESS (zmq_close (mon));
    TEST_ASSERT_SUCCESS (zmq_close (client));
    TEST_ASSERT_SUCCESS (zmq_close (server));
    teardown (&f);
}

static void test_curve (void)
{
    char server_pub[41], server_sec[41];
    char client_pub[41], client_sec[41];
    char other_pub[41], other_sec[41];
    TEST_ASSERT_SUCCESS (zmq_curve_keypair (server_pub, server_sec));
    TEST_ASSERT_SUCCESS (zmq_curve_keypair (client_pub, client_sec));
    TEST_ASSERT_SUCCESS (zmq_curve_keypair (other_pub, other_sec));
    TEST_ASSERT (zmq_z85_decode (zap_curve_ok, client_pub) != NULL);

    fixture_t f;
    setup (&f);
    void *server, *client;
    make_sockets (f.ctx, &server, &client);
    tu_set_int (server, ZMQ_CURVE_SERVER, 1);
    set_str (server, ZMQ_CURVE_SECRETKEY, server_sec);
    TEST_ASSERT_EQ_INT (tu_get_int (server, ZMQ_MECHANISM), ZMQ_CURVE);
    set_str (client, ZMQ_CURVE_SERVERKEY, server_pub);
    set_str (client, ZMQ_CURVE_PUBLICKEY, client_pub);
    set_str (client, ZMQ_CURVE_SECRETKEY, client_sec);
    char ep[256];
    connect_to (server, client, ep, sizeof ep);
    tu_send_str (client, "secret msg", 0);
    recv_with_meta (server, "secret msg", "DEALER", "curve-id");
    tu_send_str (server, "reply", 0);
    tu_recv_str (client, "reply");
    char domain[256], mech[256];
    int count;
    zap_seen (domain, mech, &count);
    TEST_ASSERT_EQ_STR (mech, "CURVE");
    TEST_ASSERT_EQ_STR (domain, "");

    /*  A client with the wrong server key never gets through.  */
    void *wrong = zmq_socket (f.ctx, ZMQ_DEALER);
    tu_set_int (wrong, ZMQ_LINGER, 0);
    tu_set_int (wrong, ZMQ_RCVTIMEO, 300);
    set_str (wrong, ZMQ_CURVE_SERVERKEY, other_pub);
    set_str (wrong, ZMQ_CURVE_PUBLICKEY, client_pub);
    set_str (wrong, ZMQ_CURVE_SECRETKEY, client_sec);
    TEST_ASSERT_SUCCESS (zmq_connect (wrong, ep));
    send_maybe_refused (wrong, "lost");

    /*  A client with the right server key but a key ZAP refuses.  */
    void *refused = zmq_socket (f.ctx, ZMQ_DEALER);
    tu_set_int (refused, ZMQ_LINGER, 0);
    tu_set_int (refused, ZMQ_RCVTIMEO, 300);
    set_str (refused, ZMQ_CURVE_SERVERKEY, server_pub);
    set_str (refused, ZMQ_CURVE_PUBLICKEY, other_pub);
    set_str (refused, ZMQ_CURVE_SECRETKEY, other_sec);
    TEST_ASSERT_SUCCESS (zmq_connect (refused, ep));
    send_maybe_refused (refused, "refused");

    tu_set_int (server, ZMQ_RCVTIMEO, 500);
    tu_recv_eagain (server, 0);
    tu_recv_eagain (wrong, 0);
    tu_recv_eagain (refused, 0);
    /*  The good client still works.  */
    tu_send_str (client, "again", 0);
    tu_set_int (server, ZMQ_RCVTIMEO, 5000);
    tu_recv_str (server, "again");

    TEST_ASSERT_SUCCESS (zmq_close (wrong));
    TEST_ASSERT_SUCCESS (zmq_close (refused));
    TEST_ASSERT_SUCCESS (zmq_close (client));
    TEST_ASSERT_SUCCESS (zmq_close (server));
    teardown (&f);
}

/*  A CURVE client whose long-term key pair does not hold together (an
    all-zero public or secret key): the vouch in its INITIATE does not open
    on the server, which reports HANDSHAKE_FAILED_PROTOCOL with
    ZMQ_PROTOCOL_ERROR_ZMTP_CRYPTOGRAPHIC; no message passes.  */
static void test_curve_zero_client_key (int zero_public)
{
    const char *zeros = "0000000000000000000000000000000000000000";
    char server_pub[41], server_sec[41];
    char client_pub[41], client_sec[41];
    TEST_ASSERT_SUCCESS (zmq_curve_keypair (server_pub, server_sec));
    TEST_ASSERT_SUCCESS (zmq_curve_keypair (client_pub, client_sec));

    void *ctx = zmq_ctx_new ();
    TEST_ASSERT (ctx);
    void *server, *client;
    make_sockets (ctx, &server, &client);
    tu_set_int (server, ZMQ_CURVE_SERVER, 1);
    set_str (server, ZMQ_CURVE_SECRETKEY, server_sec);
    TEST_ASSERT_SUCCESS (
      zmq_socket_monitor (server, "inproc://test_security-zero",
                          ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL));
    void *mon = zmq_socket (ctx, ZMQ_PAIR);
    tu_set_int (mon, ZMQ_LINGER, 0);
    tu_set_int (mon, ZMQ_RCVTIMEO, 5000);
    TEST_ASSERT_SUCCESS (zmq_connect (mon, "inproc://test_security-zero"));

    set_str (client, ZMQ_CURVE_SERVERKEY, server_pub);
    set_str (client, ZMQ_CURVE_PUBLICKEY, zero_public ? zeros : client_pub);
    set_str (client, ZMQ_CURVE_SECRETKEY, zero_public ? client_sec : zeros);
    char ep[256];
    connect_to (server, client, ep, sizeof ep);
    send_maybe_refused (client, "forged");
    uint32_t v = 0;
    TEST_ASSERT_EQ_INT (get_event (mon, &v),
                        ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL);
    TEST_ASSERT_EQ_INT (v, ZMQ_PROTOCOL_ERROR_ZMTP_CRYPTOGRAPHIC);
    tu_set_int (server, ZMQ_RCVTIMEO, 300);
    tu_recv_eagain (server, 0);

    TEST_ASSERT_SUCCESS (zmq_close (mon));
    TEST_ASSERT_SUCCESS (zmq_close (client));
    TEST_ASSERT_SUCCESS (zmq_close (server));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

/*  NULL: without a ZAP domain the handler is not asked; with one it is,
    and its verdict counts.  */
static void test_null (void)
{
    fixture_t f;
    setup (&f);
    void *server, *client;
    make_sockets (f.ctx, &server, &client);
    TEST_ASSERT_EQ_INT (tu_get_int (server, ZMQ_MECHANISM), ZMQ_NULL);
    char ep[256];
    connect_to (server, client, ep, sizeof ep);
    tu_send_str (client, "plain null", 0);
    recv_with_meta (server, "plain null", "DEALER", NULL);
    char domain[256], mech[256];
    int count;
    zap_seen (domain, mech, &count);
    TEST_ASSERT_EQ_INT (count, 0);
    TEST_ASSERT_SUCCESS (zmq_close (client));
    TEST_ASSERT_SUCCESS (zmq_close (server));

    make_sockets (f.ctx, &server, &client);
    set_str (server, ZMQ_ZAP_DOMAIN, "null-domain");
    char got[256];
    size_t len = sizeof got;
    TEST_ASSERT_SUCCESS (zmq_getsockopt (server, ZMQ_ZAP_DOMAIN, got, &len));
    TEST_ASSERT_EQ_INT (len, strlen ("null-domain") + 1);
    TEST_ASSERT_EQ_STR (got, "null-domain");
    connect_to (server, client, ep, sizeof ep);
    tu_send_str (client, "via zap", 0);
    recv_with_meta (server, "via zap", "DEALER", "anon");
    zap_seen (domain, mech, &count);
    TEST_ASSERT_EQ_INT (count, 1);
    TEST_ASSERT_EQ_STR (domain, "null-domain");
    TEST_ASSERT_EQ_STR (mech, "NULL");
    TEST_ASSERT_SUCCESS (zmq_close (client));
    TEST_ASSERT_SUCCESS (zmq_close (server));

    /*  The handler denies domain "deny".  */
    make_sockets (f.ctx, &server, &client);
    set_str (server, ZMQ_ZAP_DOMAIN, "deny");
    connect_to (server, client, ep, sizeof ep);
    send_maybe_refused (client, "denied");
    tu_set_int (server, ZMQ_RCVTIMEO, 500);
    tu_recv_eagain (server, 0);
    zap_seen (domain, mech, &count);
    TEST_ASSERT (count >= 2);
    TEST_ASSERT_EQ_STR (domain, "deny");
    TEST_ASSERT_SUCCESS (zmq_close (client));
    TEST_ASSERT_SUCCESS (zmq_close (server));
    teardown (&f);
}

/*  Metadata over ROUTER / REQ: Socket-Type names the peer's type.  */
static void test_metadata_types (void)
{
    void *ctx = zmq_ctx_new ();
    void *router = zmq_socket (ctx, ZMQ_ROUTER);
    void *req = zmq_socket (ctx, ZMQ_REQ);
    tu_set_int (router, ZMQ_LINGER, 0);
    tu_set_int (req, ZMQ_LINGER, 0);
    tu_set_int (router, ZMQ_RCVTIMEO, 5000);
    tu_set_int (req, ZMQ_RCVTIMEO, 5000);
    char ep[256];
    tu_bind_loopback (router, ep, sizeof ep);
    TEST_ASSERT_SUCCESS (zmq_connect (req, ep));
    tu_send_str (req, "q", 0);
    zmq_msg_t m;
    zmq_msg_init (&m);
    TEST_ASSERT (zmq_msg_recv (&m, router, 0) > 0);
    TEST_ASSERT_EQ_STR (zmq_msg_gets (&m, "Socket-Type"), "REQ");
    TEST_ASSERT_SUCCESS (zmq_msg_recv (&m, router, 0));
    TEST_ASSERT_EQ_INT (zmq_msg_size (&m), 0);
    TEST_ASSERT_SUCCESS (zmq_msg_recv (&m, router, 0));
    TEST_ASSERT_EQ_STR (zmq_msg_gets (&m, "Socket-Type"), "REQ");
    TEST_ASSERT_EQ_STR (zmq_msg_gets (&m, "Peer-Address"), "127.0.0.1");
    zmq_msg_close (&m);
    TEST_ASSERT_SUCCESS (zmq_close (req));
    TEST_ASSERT_SUCCESS (zmq_close (router));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

int main (void)
{
    tu_begin ("test_security");
    test_plain ();
    test_curve ();
    test_curve_zero_client_key (1);
    test_curve_zero_client_key (0);
    test_null ();
    test_metadata_types ();
    return tu_end ();
}
