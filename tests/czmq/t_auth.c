/* tests/czmq/t_auth.c: security through CZMQ 4.2.1: zcert/zcertstore
 * (zmq_curve_keypair, zmq_z85_*), and the zauth actor (a ZAP handler on
 * inproc://zeromq.zap.01) with NULL + ALLOW/DENY, PLAIN with a password
 * file, CURVE allow-any and CURVE with a certificate store; checks ZAP
 * metadata (User-Id, a cert property) through zmq_msg_gets (zframe_meta). */
#include "common.h"
#include <sys/stat.h>

static zsock_t *server, *client;

/* Fresh PULL server bound to an ephemeral tcp port and PUSH client. */
static int s_pair_zap (int zap)
{
    server = zsock_new (ZMQ_PULL);
    client = zsock_new (ZMQ_PUSH);
    CHECK (server && client);
    if (zap)
        zsock_set_zap_domain (server, "global");
    return 0;
}

static int s_pair (void)
{
    return s_pair_zap (1);
}

static int s_bind_connect (void)
{
    int port = zsock_bind (server, "tcp://127.0.0.1:*");
    CHECK (port > 0);
    CHECK (zsock_connect (client, "tcp://127.0.0.1:%d", port) == 0);
    return port;
}

/* Sends from client; returns the received frame (caller destroys) or NULL
 * when nothing arrives within ms (a refused handshake). */
static zframe_t *s_exchange (int ms)
{
    zsock_set_rcvtimeo (server, ms);
    zsock_set_sndtimeo (client, ms);
    zstr_send (client, "hello");
    zframe_t *f = zframe_recv (server);
    if (f)
        CHECK (zframe_streq (f, "hello"));
    return f;
}

static void s_close (void)
{
    zsock_destroy (&client);
    zsock_destroy (&server);
}

static zactor_t *s_auth (void)
{
    zactor_t *auth = zactor_new (zauth, NULL);
    CHECK (auth);
    if (getenv ("CZT_VERBOSE")) {
        zstr_send (auth, "VERBOSE");
        zsock_wait (auth);
    }
    return auth;
}

int main (int argc, char **argv)
{
    czt_init (argc, argv, "t_auth", 60);
    char dir[] = "/tmp/czmq-t-auth-XXXXXX";
    CHECK (mkdtemp (dir));
    char path[300];

    STEP ("zcert/zcertstore");
    zcert_t *server_cert = zcert_new ();
    zcert_t *client_cert = zcert_new ();
    zcert_t *other_cert = zcert_new ();
    CHECK (server_cert && client_cert && other_cert);
    CHECK (strlen (zcert_public_txt (server_cert)) == 40);
    CHECK (strlen (zcert_secret_txt (server_cert)) == 40);
    zcert_set_meta (client_cert, "Hello", "World");
    snprintf (path, sizeof path, "%s/client.cert", dir);
    CHECK (zcert_save_public (client_cert, path) == 0);
    snprintf (path, sizeof path, "%s/server.cert", dir);
    CHECK (zcert_save (server_cert, path) == 0);
    zcert_t *loaded = zcert_load (path);
    CHECK (loaded && zcert_eq (loaded, server_cert));
    zcert_destroy (&loaded);
    remove (path);
    snprintf (path, sizeof path, "%s/server.cert_secret", dir);
    remove (path);
    zcertstore_t *store = zcertstore_new (dir);
    CHECK (store);
    CHECK (zcertstore_lookup (store, zcert_public_txt (client_cert)) != NULL);
    CHECK (zcertstore_lookup (store, zcert_public_txt (other_cert)) == NULL);
    zcertstore_destroy (&store);
    /* z85 round trip through libzmq directly */
    uint8_t pk[32];
    CHECK (zmq_z85_decode (pk, zcert_public_txt (client_cert)) != NULL);
    CHECK (memcmp (pk, zcert_public_key (client_cert), 32) == 0);

    STEP ("NULL without zauth (no ZAP handler)");
    s_pair_zap (0);
    s_bind_connect ();
    zframe_t *f = s_exchange (3000);
    CHECK (f);
    zframe_destroy (&f);
    s_close ();

    STEP ("NULL with zauth ALLOW 127.0.0.1");
    zactor_t *auth = s_auth ();
    CHECK (zstr_sendx (auth, "ALLOW", "127.0.0.1", NULL) == 0);
    CHECK (zsock_wait (auth) == 0);
    s_pair ();
    s_bind_connect ();
    f = s_exchange (3000);
    CHECK (f);
    const char *pa = zframe_meta (f, "Peer-Address");
    CHECK (pa && streq (pa, "127.0.0.1"));
    const char *st = zframe_meta (f, "Socket-Type");
    CHECK (st && streq (st, "PUSH"));
    zframe_destroy (&f);
    s_close ();
    zactor_destroy (&auth);

    STEP ("NULL with zauth DENY 127.0.0.1");
    auth = s_auth ();
    zstr_sendx (auth, "DENY", "127.0.0.1", NULL);
    zsock_wait (auth);
    s_pair ();
    s_bind_connect ();
    f = s_exchange (500);
    CHECK (f == NULL);
    s_close ();
    zactor_destroy (&auth);

    STEP ("PLAIN with a password file");
    snprintf (path, sizeof path, "%s/passwords", dir);
    FILE *pw = fopen (path, "w");
    CHECK (pw);
    fprintf (pw, "admin=Password\n");
    fclose (pw);
    auth = s_auth ();
    zstr_sendx (auth, "PLAIN", path, NULL);
    zsock_wait (auth);
    s_pair ();
    zsock_set_plain_server (server, 1);
    CHECK (zsock_plain_server (server) == 1);
    zsock_set_plain_username (client, "admin");
    zsock_set_plain_password (client, "Password");
    s_bind_connect ();
    f = s_exchange (3000);
    CHECK (f);
    const char *uid = zframe_meta (f, "User-Id");
    CHECK (uid && streq (uid, "admin"));
    zframe_destroy (&f);
    s_close ();

    STEP ("PLAIN wrong password refused");
    s_pair ();
    zsock_set_plain_server (server, 1);
    zsock_set_plain_username (client, "admin");
    zsock_set_plain_password (client, "Bogus");
    s_bind_connect ();
    f = s_exchange (500);
    CHECK (f == NULL);
    s_close ();
    zactor_destroy (&auth);

    STEP ("CURVE allow any");
    auth = s_auth ();
    zstr_sendx (auth, "CURVE", CURVE_ALLOW_ANY, NULL);
    zsock_wait (auth);
    s_pair ();
    zcert_apply (server_cert, server);
    zsock_set_curve_server (server, 1);
    CHECK (zsock_curve_server (server) == 1);
    zcert_apply (other_cert, client);
    zsock_set_curve_serverkey (client, zcert_public_txt (server_cert));
    s_bind_connect ();
    f = s_exchange (3000);
    CHECK (f);
    zframe_destroy (&f);
    s_close ();
    zactor_destroy (&auth);

    STEP ("CURVE with a certificate store");
    auth = s_auth ();
    zstr_sendx (auth, "CURVE", dir, NULL);
    zsock_wait (auth);
    s_pair ();
    zcert_apply (server_cert, server);
    zsock_set_curve_server (server, 1);
    zcert_apply (client_cert, client);
    zsock_set_curve_serverkey (client, zcert_public_txt (server_cert));
    s_bind_connect ();
    f = s_exchange (3000);
    CHECK (f);
    uid = zframe_meta (f, "User-Id");
    CHECK (uid && streq (uid, zcert_public_txt (client_cert)));
    const char *hello = zframe_meta (f, "Hello");
    CHECK (hello && streq (hello, "World"));
    zframe_destroy (&f);
    s_close ();

    STEP ("CURVE unknown client key refused");
    s_pair ();
    zcert_apply (server_cert, server);
    zsock_set_curve_server (server, 1);
    zcert_apply (other_cert, client);
    zsock_set_curve_serverkey (client, zcert_public_txt (server_cert));
    s_bind_connect ();
    f = s_exchange (500);
    CHECK (f == NULL);
    s_close ();
    zactor_destroy (&auth);

    zcert_destroy (&server_cert);
    zcert_destroy (&client_cert);
    zcert_destroy (&other_cert);
    snprintf (path, sizeof path, "rm -rf %s", dir);
    (void) !system (path);
    czt_done ();
    return 0;
}
