/*  tests/interop/peer.c: one side of an interop scenario between two processes.

    Role: the same binary runs on both sides of a socket pair, one process on
    libzmq-rs (LD_LIBRARY_PATH points at our libzmq.so.5) and the other on
    Debian's libzmq 4.3.4 (default loader). It uses only the public API of
    <zmq.h> (compiled once against /usr/include/zmq.h, linked -lzmq) plus
    POSIX threads and clocks, exactly as a libzmq user would.

    Usage:
      peer --keygen
          print "PUBLIC SECRET" (Z85) of a fresh CURVE key pair.
      peer --role bind|connect --type T --peer T --endpoint EP
           [--mech null|plain|curve] [--count N] [--timeout-ms MS]
           [--sync-file PATH] [--expect-version X.Y.Z] [--expect-lib SUBSTR]
    T is one of REQ REP DEALER ROUTER PUSH PULL PAIR PUB SUB XPUB XSUB.
    The binding side prints "ENDPOINT <ZMQ_LAST_ENDPOINT>" on stdout (so
    tcp://127.0.0.1:* and its ephemeral port work) before the exchange.
    The binding side is the security server for PLAIN and CURVE, and runs a
    minimal ZAP handler (RFC 27) on inproc://zeromq.zap.01 that accepts
    user "interop"/password "interop-secret" (PLAIN) or the client public key
    $INTEROP_CLIENT_PUBLIC (CURVE), answering User-Id "interop-user".
    With --deny (REQ/REP only) the client offers a wrong password or an
    unknown CURVE key: the ZAP handler must be asked and say 400, and no
    message may cross within 1.5 s.
    CURVE keys come from the environment: INTEROP_SERVER_PUBLIC,
    INTEROP_SERVER_SECRET, INTEROP_CLIENT_PUBLIC, INTEROP_CLIENT_SECRET.

    The scenario follows from (type, peer type, role): request/reply round
    trips, PUSH->PULL stream, PAIR ping-pong plus a burst both ways at once,
    DEALER/ROUTER with an explicit binary routing id (the ROUTER addresses
    the DEALER first, with ZMQ_ROUTER_MANDATORY), PUB/SUB with a topic filter
    ("B" messages must never arrive), XPUB receiving "\x01A" and "\x00A",
    XSUB sending "\x01A". Message k has 1..3 frames whose sizes cycle through
    0, 1, 255, 256 (the long-frame boundary), 65536, 3, 1000 and whose every
    byte is a function of (k, frame, direction, offset) and is checked. Each
    received data frame's metadata must name the peer's Socket-Type, and on
    the security server the ZAP User-Id.

    Invariants: every blocking call runs under ZMQ_RCVTIMEO/ZMQ_SNDTIMEO, so
    a hang is a failure; the process exits 0 only if every check passed;
    the first failure prints "peer[TYPE]: FAIL ..." on stderr and exits 1.
    --expect-version and --expect-lib make the process fail unless it really
    runs on the library it is meant to (zmq_version, /proc/self/maps).

    Written for libzmq-rs (C99, -Wall -Werror).  */

#define _POSIX_C_SOURCE 200809L

#include <zmq.h>

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- configuration ------------------------------------------------------ */

static const char *me = "?";  /* our socket type name, for messages */
static const char *peer_name = "?";
static int is_bind = 0;
static int mech = 0; /* 0 null, 1 plain, 2 curve */
static int count = 20;
static int timeout_ms = 10000;
static const char *sync_file = NULL;
static int deny = 0; /* the client's credentials are wrong: nothing passes */

#define PLAIN_USER "interop"
#define PLAIN_PASS "interop-secret"
#define ZAP_DOMAIN "interop-domain"
#define ZAP_USER_ID "interop-user"
/* A binary routing id (no leading zero byte: those are reserved). */
static const char dealer_id[] = "dealer-\xff\x01Z";
#define DEALER_ID_LEN 10

static void fail (const char *fmt, ...)
{
    va_list ap;
    int e = errno;
    fprintf (stderr, "peer[%s %s]: FAIL: ", me, is_bind ? "bind" : "connect");
    va_start (ap, fmt);
    vfprintf (stderr, fmt, ap);
    va_end (ap);
    fprintf (stderr, " (errno %d: %s)\n", e, zmq_strerror (e));
    fflush (stderr);
    exit (1);
}

static double now_ms (void)
{
    struct timespec ts;
    clock_gettime (CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

static void sleep_ms (int ms)
{
    struct timespec ts;
    ts.tv_sec = ms / 1000;
    ts.tv_nsec = (long) (ms % 1000) * 1000000L;
    nanosleep (&ts, NULL);
}

static int file_exists (const char *path)
{
    FILE *f = fopen (path, "r");
    if (f == NULL)
        return 0;
    fclose (f);
    return 1;
}

/* ---- the message pattern ------------------------------------------------ */

static const size_t sizes[] = {0, 1, 255, 256, 65536, 3, 1000};
#define NSIZES (sizeof sizes / sizeof sizes[0])

static int nframes (int k) { return 1 + k % 3; }

static size_t frame_size (int k, int f, int dir)
{
    return sizes[(size_t) (k * 2 + f + dir * 3) % NSIZES];
}

static unsigned char byte_at (int k, int f, int dir, size_t i)
{
    return (unsigned char) (k * 7 + f * 31 + dir * 101 + i * 13 + (i >> 8) * 5);
}

static unsigned char *scratch = NULL;

static void send_raw (void *s, const void *data, size_t len, int more)
{
    if (zmq_send (s, data, len, more ? ZMQ_SNDMORE : 0) != (int) len)
        fail ("zmq_send of %zu bytes", len);
}

static void send_str (void *s, const char *str, int more)
{
    send_raw (s, str, strlen (str), more);
}

/* Send message k in direction dir (all its frames), then more if asked. */
static void send_body (void *s, int k, int dir)
{
    int n = nframes (k);
    for (int f = 0; f < n; f++) {
        size_t len = frame_size (k, f, dir);
        for (size_t i = 0; i < len; i++)
            scratch[i] = byte_at (k, f, dir, i);
        send_raw (s, scratch, len, f + 1 < n);
    }
}

/* Receive one frame into msg (initialised here); checks the MORE flag. */
static void recv_frame (void *s, zmq_msg_t *msg, int want_more, const char *what)
{
    zmq_msg_init (msg);
    if (zmq_msg_recv (msg, s, 0) < 0)
        fail ("zmq_msg_recv (%s)", what);
    if (want_more >= 0 && zmq_msg_more (msg) != want_more)
        fail ("%s: MORE flag is %d, expected %d", what, zmq_msg_more (msg),
              want_more);
}

static void check_meta (zmq_msg_t *msg, const char *what)
{
    const char *st = zmq_msg_gets (msg, "Socket-Type");
    if (st == NULL || strcmp (st, peer_name) != 0)
        fail ("%s: metadata Socket-Type is \"%s\", expected \"%s\"", what,
              st ? st : "(none)", peer_name);
    if (is_bind && mech != 0) {
        const char *uid = zmq_msg_gets (msg, "User-Id");
        if (uid == NULL || strcmp (uid, ZAP_USER_ID) != 0)
            fail ("%s: metadata User-Id is \"%s\", expected \"%s\"", what,
                  uid ? uid : "(none)", ZAP_USER_ID);
    }
}

static void expect_raw (void *s, const char *data, size_t len, int want_more,
                        const char *what)
{
    zmq_msg_t m;
    recv_frame (s, &m, want_more, what);
    if (zmq_msg_size (&m) != len || memcmp (zmq_msg_data (&m), data, len) != 0)
        fail ("expected frame %s, got %zu bytes", what, zmq_msg_size (&m));
    zmq_msg_close (&m);
}

static void expect_str (void *s, const char *str, int want_more)
{
    expect_raw (s, str, strlen (str), want_more, str);
}

/* Receive message k of direction dir and check every byte. */
static void expect_body (void *s, int k, int dir, int meta)
{
    int n = nframes (k);
    for (int f = 0; f < n; f++) {
        char what[64];
        zmq_msg_t m;
        snprintf (what, sizeof what, "message %d dir %d frame %d", k, dir, f);
        recv_frame (s, &m, f + 1 < n, what);
        size_t len = frame_size (k, f, dir);
        if (zmq_msg_size (&m) != len)
            fail ("%s: size %zu, expected %zu", what, zmq_msg_size (&m), len);
        const unsigned char *d = (const unsigned char *) zmq_msg_data (&m);
        for (size_t i = 0; i < len; i++)
            if (d[i] != byte_at (k, f, dir, i))
                fail ("%s: byte %zu is %u, expected %u", what, i, d[i],
                      byte_at (k, f, dir, i));
        if (meta && f == 0)
            check_meta (&m, what);
        zmq_msg_close (&m);
    }
}

/* ---- ZAP handler (RFC 27) ----------------------------------------------- */

struct zap
{
    void *sock;
    volatile int stop;
    int handled;
    int accepted;
    char error[256];
};

static void *zap_main (void *arg)
{
    struct zap *z = (struct zap *) arg;
    unsigned char client_key[32];
    int have_key = 0;
    const char *ck = getenv ("INTEROP_CLIENT_PUBLIC");
    if (ck != NULL && strlen (ck) == 40 && zmq_z85_decode (client_key, ck))
        have_key = 1;

    while (!z->stop) {
        zmq_msg_t fr[10];
        int n = 0;
        int more = 1;
        int rc = 0;
        while (more && n < 10) {
            zmq_msg_init (&fr[n]);
            rc = zmq_msg_recv (&fr[n], z->sock, 0);
            if (rc < 0) {
                zmq_msg_close (&fr[n]);
                break;
            }
            more = zmq_msg_more (&fr[n]);
            n++;
        }
        if (rc < 0) {
            for (int i = 0; i < n; i++)
                zmq_msg_close (&fr[i]);
            if (errno == EAGAIN && n == 0)
                continue;
            if (errno != ETERM)
                snprintf (z->error, sizeof z->error, "ZAP recv: %s",
                          zmq_strerror (errno));
            break;
        }
        z->handled++;
        /* version, request id, domain, address, identity, mechanism, creds */
        const char *status = "400";
        const char *reason = "bad request";
#define FR_IS(i, str)                                                          \
    (n > (i) && zmq_msg_size (&fr[i]) == strlen (str)                         \
     && memcmp (zmq_msg_data (&fr[i]), (str), strlen (str)) == 0)
        if (!FR_IS (0, "1.0"))
            snprintf (z->error, sizeof z->error, "ZAP version frame is not 1.0");
        else if (!FR_IS (2, ZAP_DOMAIN))
            snprintf (z->error, sizeof z->error, "ZAP domain is not %s",
                      ZAP_DOMAIN);
        else if (mech == 1 && n == 8 && FR_IS (5, "PLAIN")) {
            if (FR_IS (6, PLAIN_USER) && FR_IS (7, PLAIN_PASS)) {
                status = "200";
                reason = "OK";
            } else
                reason = "wrong user or password";
        } else if (mech == 2 && n == 7 && FR_IS (5, "CURVE")) {
            if (have_key && zmq_msg_size (&fr[6]) == 32
                && memcmp (zmq_msg_data (&fr[6]), client_key, 32) == 0) {
                status = "200";
                reason = "OK";
            } else
                reason = "unknown client key";
        } else
            snprintf (z->error, sizeof z->error,
                      "ZAP request has %d frames / unexpected mechanism", n);
#undef FR_IS
        if (strcmp (status, "200") == 0)
            z->accepted++;
        else if (z->error[0] == 0 && !deny)
            snprintf (z->error, sizeof z->error, "ZAP denied: %s", reason);
        zmq_msg_t id;
        zmq_msg_init (&id);
        if (n > 1)
            zmq_msg_copy (&id, &fr[1]);
        for (int i = 0; i < n; i++)
            zmq_msg_close (&fr[i]);
        if (zmq_send (z->sock, "1.0", 3, ZMQ_SNDMORE) < 0
            || zmq_msg_send (&id, z->sock, ZMQ_SNDMORE) < 0
            || zmq_send (z->sock, status, 3, ZMQ_SNDMORE) < 0
            || zmq_send (z->sock, reason, strlen (reason), ZMQ_SNDMORE) < 0
            || zmq_send (z->sock, ZAP_USER_ID,
                         strcmp (status, "200") == 0 ? strlen (ZAP_USER_ID) : 0,
                         ZMQ_SNDMORE)
                 < 0
            || zmq_send (z->sock, "", 0, 0) < 0) {
            snprintf (z->error, sizeof z->error, "ZAP send: %s",
                      zmq_strerror (errno));
            zmq_msg_close (&id);
            break;
        }
        zmq_msg_close (&id);
    }
    int zero = 0;
    zmq_setsockopt (z->sock, ZMQ_LINGER, &zero, sizeof zero);
    zmq_close (z->sock);
    return NULL;
}

/* ---- socket setup ------------------------------------------------------- */

static int type_of (const char *name)
{
    static const struct
    {
        const char *name;
        int type;
    } types[] = {{"PAIR", ZMQ_PAIR},     {"PUB", ZMQ_PUB},   {"SUB", ZMQ_SUB},
                 {"REQ", ZMQ_REQ},       {"REP", ZMQ_REP},   {"DEALER", ZMQ_DEALER},
                 {"ROUTER", ZMQ_ROUTER}, {"PULL", ZMQ_PULL}, {"PUSH", ZMQ_PUSH},
                 {"XPUB", ZMQ_XPUB},     {"XSUB", ZMQ_XSUB}};
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
        if (strcmp (types[i].name, name) == 0)
            return types[i].type;
    return -1;
}

static void set_int (void *s, int opt, int v, const char *what)
{
    if (zmq_setsockopt (s, opt, &v, sizeof v) != 0)
        fail ("zmq_setsockopt (%s)", what);
}

static void set_str (void *s, int opt, const char *v, const char *what)
{
    if (zmq_setsockopt (s, opt, v, strlen (v)) != 0)
        fail ("zmq_setsockopt (%s)", what);
}

static const char *need_env (const char *name)
{
    const char *v = getenv (name);
    if (v == NULL || strlen (v) != 40)
        fail ("environment variable %s must hold a 40-character Z85 key", name);
    return v;
}

static void setup_security (void *s)
{
    if (mech == 0)
        return;
    if (is_bind) {
        set_str (s, ZMQ_ZAP_DOMAIN, ZAP_DOMAIN, "ZMQ_ZAP_DOMAIN");
        if (mech == 1)
            set_int (s, ZMQ_PLAIN_SERVER, 1, "ZMQ_PLAIN_SERVER");
        else {
            set_int (s, ZMQ_CURVE_SERVER, 1, "ZMQ_CURVE_SERVER");
            set_str (s, ZMQ_CURVE_SECRETKEY, need_env ("INTEROP_SERVER_SECRET"),
                     "ZMQ_CURVE_SECRETKEY");
        }
    } else if (mech == 1) {
        set_str (s, ZMQ_PLAIN_USERNAME, PLAIN_USER, "ZMQ_PLAIN_USERNAME");
        set_str (s, ZMQ_PLAIN_PASSWORD, deny ? "wrong-password" : PLAIN_PASS,
                 "ZMQ_PLAIN_PASSWORD");
    } else if (deny) {
        /* A key pair of our own, unknown to the server's ZAP handler. */
        char pub[41], sec[41];
        if (zmq_curve_keypair (pub, sec) != 0)
            fail ("zmq_curve_keypair");
        set_str (s, ZMQ_CURVE_SERVERKEY, need_env ("INTEROP_SERVER_PUBLIC"),
                 "ZMQ_CURVE_SERVERKEY");
        set_str (s, ZMQ_CURVE_PUBLICKEY, pub, "ZMQ_CURVE_PUBLICKEY");
        set_str (s, ZMQ_CURVE_SECRETKEY, sec, "ZMQ_CURVE_SECRETKEY");
    } else {
        set_str (s, ZMQ_CURVE_SERVERKEY, need_env ("INTEROP_SERVER_PUBLIC"),
                 "ZMQ_CURVE_SERVERKEY");
        set_str (s, ZMQ_CURVE_PUBLICKEY, need_env ("INTEROP_CLIENT_PUBLIC"),
                 "ZMQ_CURVE_PUBLICKEY");
        set_str (s, ZMQ_CURVE_SECRETKEY, need_env ("INTEROP_CLIENT_SECRET"),
                 "ZMQ_CURVE_SECRETKEY");
    }
}

/* Which libzmq this process runs on: the /proc/self/maps line. */
static void check_library (const char *expect_version, const char *expect_lib)
{
    int major, minor, patch;
    char version[32];
    char mapped[512] = "";
    zmq_version (&major, &minor, &patch);
    snprintf (version, sizeof version, "%d.%d.%d", major, minor, patch);
    FILE *maps = fopen ("/proc/self/maps", "r");
    if (maps != NULL) {
        char line[1024];
        while (fgets (line, sizeof line, maps) != NULL) {
            char *p = strstr (line, "libzmq");
            if (p == NULL)
                continue;
            char *path = strchr (line, '/');
            if (path == NULL)
                continue;
            path[strcspn (path, "\n")] = 0;
            snprintf (mapped, sizeof mapped, "%s", path);
            break;
        }
        fclose (maps);
    }
    fprintf (stderr, "peer[%s %s]: libzmq %s at %s\n", me,
             is_bind ? "bind" : "connect", version, mapped);
    if (expect_version != NULL && strcmp (version, expect_version) != 0)
        fail ("zmq_version is %s, expected %s", version, expect_version);
    if (expect_lib != NULL && strstr (mapped, expect_lib) == NULL)
        fail ("mapped libzmq is \"%s\", expected it under \"%s\"", mapped,
              expect_lib);
}

/* ---- the scenarios ------------------------------------------------------ */

static void run_req (void *s)
{
    for (int k = 0; k < count; k++) {
        send_body (s, k, 0);
        expect_body (s, k, 1, 1);
    }
}

static void run_rep (void *s)
{
    for (int k = 0; k < count; k++) {
        expect_body (s, k, 0, 1);
        send_body (s, k, 1);
    }
}

static void run_dealer (void *s, int peer_type)
{
    if (peer_type == ZMQ_ROUTER)
        expect_str (s, "hello", 0);
    for (int k = 0; k < count; k++) {
        if (peer_type == ZMQ_REP)
            send_raw (s, "", 0, 1);
        send_body (s, k, 0);
        if (peer_type == ZMQ_REP)
            expect_str (s, "", 1);
        expect_body (s, k, 1, 1);
    }
}

static void run_router (void *s, int peer_type)
{
    char id[256];
    size_t id_len = 0;
    if (peer_type == ZMQ_DEALER) {
        /* Address the dealer by the routing id it chose, before it spoke. */
        memcpy (id, dealer_id, DEALER_ID_LEN);
        id_len = DEALER_ID_LEN;
        double deadline = now_ms () + timeout_ms;
        while (zmq_send (s, id, id_len, ZMQ_SNDMORE) < 0) {
            if (errno != EHOSTUNREACH)
                fail ("zmq_send (routing id) with ZMQ_ROUTER_MANDATORY");
            if (now_ms () > deadline)
                fail ("the dealer's routing id never became routable");
            sleep_ms (5);
        }
        send_str (s, "hello", 0);
    }
    for (int k = 0; k < count; k++) {
        zmq_msg_t m;
        recv_frame (s, &m, 1, "routing id");
        size_t n = zmq_msg_size (&m);
        if (peer_type == ZMQ_DEALER || k > 0) {
            if (n != id_len || memcmp (zmq_msg_data (&m), id, n) != 0)
                fail ("request %d: routing id of %zu bytes differs from the "
                      "expected %zu-byte id", k, n, id_len);
        } else {
            if (n == 0 || n > sizeof id)
                fail ("routing id of %zu bytes", n);
            memcpy (id, zmq_msg_data (&m), n);
            id_len = n;
        }
        zmq_msg_close (&m);
        if (peer_type == ZMQ_REQ)
            expect_str (s, "", 1);
        expect_body (s, k, 0, 1);
        send_raw (s, id, id_len, 1);
        if (peer_type == ZMQ_REQ)
            send_raw (s, "", 0, 1);
        send_body (s, k, 1);
    }
}

static void run_push (void *s)
{
    for (int k = 0; k < count * 5; k++)
        send_body (s, k, 0);
}

static void run_pull (void *s)
{
    for (int k = 0; k < count * 5; k++)
        expect_body (s, k, 0, 1);
}

static void run_pair (void *s)
{
    /* Ping-pong, the binder leads. */
    for (int k = 0; k < count; k++) {
        if (is_bind) {
            send_body (s, k, 0);
            expect_body (s, k, 1, 1);
        } else {
            expect_body (s, k, 0, 1);
            send_body (s, k, 1);
        }
    }
    /* Both ways at once: each sends a burst, then reads the other's. */
    int out = is_bind ? 2 : 3, in = is_bind ? 3 : 2;
    for (int k = 0; k < count * 2; k++)
        send_body (s, k, out);
    for (int k = 0; k < count * 2; k++)
        expect_body (s, k, in, 1);
}

static void publish (void *s)
{
    for (int k = 0; k < count; k++) {
        send_str (s, "Bdata", 1);
        send_body (s, k, 0);
        send_str (s, "Adata", 1);
        send_body (s, k, 0);
    }
    send_str (s, "Aend", 0);
}

static void run_pub (void *s)
{
    /* Slow joiner: publish sync messages until the subscriber says (by
       creating sync_file) that it receives them. */
    if (sync_file == NULL)
        fail ("PUB needs --sync-file");
    double deadline = now_ms () + timeout_ms;
    while (!file_exists (sync_file)) {
        if (now_ms () > deadline)
            fail ("the subscriber never received a sync message");
        send_str (s, "Bsync", 0);
        send_str (s, "Async", 0);
        sleep_ms (5);
    }
    publish (s);
}

static void run_xpub (void *s)
{
    expect_raw (s, "\x01" "A", 2, 0, "\\x01A (subscribe)");
    publish (s);
    /* The subscriber unsubscribes once it has everything. */
    expect_raw (s, "\x00" "A", 2, 0, "\\x00A (unsubscribe)");
}

static void subscribe_receive (void *s)
{
    int k = 0;
    int synced = 0;
    for (;;) {
        zmq_msg_t m;
        recv_frame (s, &m, -1, "topic");
        size_t n = zmq_msg_size (&m);
        const char *d = (const char *) zmq_msg_data (&m);
        int more = zmq_msg_more (&m);
        if (n >= 1 && d[0] == 'B')
            fail ("received a message for topic B, which is not subscribed");
        if (n == 5 && memcmp (d, "Async", 5) == 0 && !more) {
            if (k > 0)
                fail ("sync message after data");
            if (!synced && sync_file != NULL) {
                FILE *f = fopen (sync_file, "w");
                if (f == NULL)
                    fail ("cannot create %s", sync_file);
                fclose (f);
            }
            synced = 1;
        } else if (n == 5 && memcmp (d, "Adata", 5) == 0 && more) {
            check_meta (&m, "topic frame");
            expect_body (s, k, 0, 1);
            k++;
        } else if (n == 4 && memcmp (d, "Aend", 4) == 0 && !more) {
            zmq_msg_close (&m);
            break;
        } else
            fail ("unexpected frame of %zu bytes (more=%d) on the subscriber",
                  n, more);
        zmq_msg_close (&m);
    }
    if (k != count)
        fail ("received %d data messages, expected %d", k, count);
}

static void run_sub (void *s, int peer_type)
{
    subscribe_receive (s);
    if (peer_type == ZMQ_XPUB)
        set_str (s, ZMQ_UNSUBSCRIBE, "A", "ZMQ_UNSUBSCRIBE");
}

static void run_xsub (void *s)
{
    send_raw (s, "\x01" "A", 2, 0);
    subscribe_receive (s);
}

/* Denied credentials: the server's ZAP handler says 400, so no message may
   cross in either direction within the time given. */
static void run_denied (void *s)
{
    zmq_msg_t m;
    set_int (s, ZMQ_RCVTIMEO, 1500, "ZMQ_RCVTIMEO");
    set_int (s, ZMQ_LINGER, 0, "ZMQ_LINGER");
    if (!is_bind)
        send_body (s, 0, 0);
    zmq_msg_init (&m);
    if (zmq_msg_recv (&m, s, 0) >= 0) {
        errno = 0;
        fail ("received a message of %zu bytes although the client was denied",
              zmq_msg_size (&m));
    }
    if (errno != EAGAIN)
        fail ("zmq_msg_recv on a denied connection");
    zmq_msg_close (&m);
}

/* ---- main --------------------------------------------------------------- */

static void usage (void)
{
    fprintf (stderr,
             "usage: peer --keygen\n"
             "       peer --role bind|connect --type T --peer T --endpoint EP\n"
             "            [--mech null|plain|curve] [--count N] [--timeout-ms MS]\n"
             "            [--sync-file PATH] [--expect-version V] [--expect-lib S]\n"
             "            [--deny]\n");
    exit (2);
}

int main (int argc, char **argv)
{
    const char *role = NULL, *type_name = NULL, *endpoint = NULL;
    const char *mech_name = "null", *expect_version = NULL, *expect_lib = NULL;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp (a, "--keygen") == 0) {
            char pub[41], sec[41];
            if (zmq_curve_keypair (pub, sec) != 0)
                fail ("zmq_curve_keypair");
            printf ("%s %s\n", pub, sec);
            return 0;
        }
        if (strcmp (a, "--deny") == 0) {
            deny = 1;
            continue;
        }
        if (i + 1 >= argc)
            usage ();
        const char *v = argv[++i];
        if (strcmp (a, "--role") == 0)
            role = v;
        else if (strcmp (a, "--type") == 0)
            type_name = v;
        else if (strcmp (a, "--peer") == 0)
            peer_name = v;
        else if (strcmp (a, "--endpoint") == 0)
            endpoint = v;
        else if (strcmp (a, "--mech") == 0)
            mech_name = v;
        else if (strcmp (a, "--count") == 0)
            count = atoi (v);
        else if (strcmp (a, "--timeout-ms") == 0)
            timeout_ms = atoi (v);
        else if (strcmp (a, "--sync-file") == 0)
            sync_file = v;
        else if (strcmp (a, "--expect-version") == 0)
            expect_version = v;
        else if (strcmp (a, "--expect-lib") == 0)
            expect_lib = v;
        else
            usage ();
    }
    if (role == NULL || type_name == NULL || endpoint == NULL || count <= 0
        || timeout_ms <= 0)
        usage ();
    me = type_name;
    is_bind = strcmp (role, "bind") == 0;
    if (!is_bind && strcmp (role, "connect") != 0)
        usage ();
    int type = type_of (type_name), peer_type = type_of (peer_name);
    if (type < 0 || peer_type < 0)
        usage ();
    if (strcmp (mech_name, "null") == 0)
        mech = 0;
    else if (strcmp (mech_name, "plain") == 0)
        mech = 1;
    else if (strcmp (mech_name, "curve") == 0)
        mech = 2;
    else
        usage ();

    check_library (expect_version, expect_lib);
    scratch = (unsigned char *) malloc (65536);
    if (scratch == NULL)
        fail ("malloc");

    void *ctx = zmq_ctx_new ();
    if (ctx == NULL)
        fail ("zmq_ctx_new");

    struct zap zap;
    memset (&zap, 0, sizeof zap);
    pthread_t zap_thread;
    int zap_running = 0;
    if (is_bind && mech != 0) {
        zap.sock = zmq_socket (ctx, ZMQ_REP);
        if (zap.sock == NULL)
            fail ("zmq_socket (ZAP handler)");
        set_int (zap.sock, ZMQ_RCVTIMEO, 100, "ZMQ_RCVTIMEO (ZAP)");
        set_int (zap.sock, ZMQ_SNDTIMEO, timeout_ms, "ZMQ_SNDTIMEO (ZAP)");
        if (zmq_bind (zap.sock, "inproc://zeromq.zap.01") != 0)
            fail ("zmq_bind (inproc://zeromq.zap.01)");
        if (pthread_create (&zap_thread, NULL, zap_main, &zap) != 0)
            fail ("pthread_create");
        zap_running = 1;
    }

    void *s = zmq_socket (ctx, type);
    if (s == NULL)
        fail ("zmq_socket (%s)", type_name);
    set_int (s, ZMQ_RCVTIMEO, timeout_ms, "ZMQ_RCVTIMEO");
    set_int (s, ZMQ_SNDTIMEO, timeout_ms, "ZMQ_SNDTIMEO");
    set_int (s, ZMQ_LINGER, timeout_ms, "ZMQ_LINGER");
    setup_security (s);
    if (type == ZMQ_DEALER && peer_type == ZMQ_ROUTER)
        if (zmq_setsockopt (s, ZMQ_ROUTING_ID, dealer_id, DEALER_ID_LEN) != 0)
            fail ("zmq_setsockopt (ZMQ_ROUTING_ID)");
    if (type == ZMQ_ROUTER && peer_type == ZMQ_DEALER)
        set_int (s, ZMQ_ROUTER_MANDATORY, 1, "ZMQ_ROUTER_MANDATORY");
    if (type == ZMQ_SUB)
        set_str (s, ZMQ_SUBSCRIBE, "A", "ZMQ_SUBSCRIBE");

    if (is_bind) {
        char last[256];
        size_t len = sizeof last;
        if (zmq_bind (s, endpoint) != 0)
            fail ("zmq_bind (%s)", endpoint);
        if (zmq_getsockopt (s, ZMQ_LAST_ENDPOINT, last, &len) != 0)
            fail ("zmq_getsockopt (ZMQ_LAST_ENDPOINT)");
        if (len == 0 || len > sizeof last || last[len - 1] != 0)
            fail ("ZMQ_LAST_ENDPOINT is not a C string of %zu bytes", len);
        printf ("ENDPOINT %s\n", last);
        fflush (stdout);
    } else if (zmq_connect (s, endpoint) != 0)
        fail ("zmq_connect (%s)", endpoint);

    if (deny) {
        if (mech == 0 || (type != ZMQ_REQ && type != ZMQ_REP))
            fail ("--deny needs --mech plain|curve and REQ or REP");
        run_denied (s);
    } else switch (type) {
        case ZMQ_REQ: run_req (s); break;
        case ZMQ_REP: run_rep (s); break;
        case ZMQ_DEALER: run_dealer (s, peer_type); break;
        case ZMQ_ROUTER: run_router (s, peer_type); break;
        case ZMQ_PUSH: run_push (s); break;
        case ZMQ_PULL: run_pull (s); break;
        case ZMQ_PAIR: run_pair (s); break;
        case ZMQ_PUB: run_pub (s); break;
        case ZMQ_XPUB: run_xpub (s); break;
        case ZMQ_SUB: run_sub (s, peer_type); break;
        case ZMQ_XSUB: run_xsub (s); break;
        default: fail ("no scenario for %s", type_name);
    }

    if (zmq_close (s) != 0)
        fail ("zmq_close");
    if (zap_running) {
        zap.stop = 1;
        pthread_join (zap_thread, NULL);
        if (zap.error[0] != 0) {
            errno = 0;
            fail ("%s", zap.error);
        }
        if (deny && (zap.handled < 1 || zap.accepted != 0)) {
            errno = 0;
            fail ("ZAP handler: %d requests, %d accepted; expected >= 1, 0",
                  zap.handled, zap.accepted);
        }
        if (!deny && zap.accepted < 1) {
            errno = 0;
            fail ("the ZAP handler was never asked (%d requests)", zap.handled);
        }
    }
    if (zmq_ctx_term (ctx) != 0)
        fail ("zmq_ctx_term");
    free (scratch);
    fprintf (stderr, "peer[%s %s]: OK\n", me, is_bind ? "bind" : "connect");
    return 0;
}
