/* tests/czmq/t_actor.c: zactor (an echo actor: PAIR over inproc plus
 * zsock_signal/wait) and the zmonitor actor (zmq_socket_monitor events
 * LISTENING/ACCEPTED/CONNECTED/HANDSHAKE_SUCCEEDED/DISCONNECTED) through
 * CZMQ 4.2.1. */
#include "common.h"

static void s_echo (zsock_t *pipe, void *args)
{
    CHECK (args && streq ((char *) args, "arg"));
    zsock_signal (pipe, 0);
    while (true) {
        zmsg_t *msg = zmsg_recv (pipe);
        if (!msg)
            break;
        char *cmd = zmsg_popstr (msg);
        if (cmd && streq (cmd, "$TERM")) {
            free (cmd);
            zmsg_destroy (&msg);
            break;
        }
        if (cmd && streq (cmd, "ECHO"))
            zmsg_send (&msg, pipe);
        else if (cmd && streq (cmd, "SIGNAL"))
            zsock_signal (pipe, 3);
        free (cmd);
        zmsg_destroy (&msg);
    }
}

/* Waits for each event name in `want` (NULL-terminated) from a zmonitor
 * actor, in any order, ignoring others; fails after `ms`. */
static void s_expect_events (zactor_t *mon, const char **want, int ms)
{
    int n = 0;
    while (want[n])
        n++;
    int seen[16] = {0};
    int missing = n;
    int64_t end = zclock_mono () + ms;
    zpoller_t *p = zpoller_new (mon, NULL);
    while (missing > 0 && zclock_mono () < end) {
        if (!zpoller_wait (p, (int) (end - zclock_mono ())))
            break;
        zmsg_t *m = zmsg_recv (mon);
        CHECK (m);
        char *ev = zmsg_popstr (m);
        char *val = zmsg_popstr (m);
        char *addr = zmsg_popstr (m);
        printf ("  event %s value=%s addr=%s\n", ev, val ? val : "-", addr ? addr : "-");
        for (int i = 0; i < n; i++)
            if (!seen[i] && ev && streq (ev, want[i])) {
                seen[i] = 1;
                missing--;
            }
        free (ev);
        free (val);
        free (addr);
        zmsg_destroy (&m);
    }
    zpoller_destroy (&p);
    for (int i = 0; i < n; i++)
        if (!seen[i])
            fprintf (stderr, "missing monitor event %s\n", want[i]);
    CHECK (missing == 0);
}

int main (int argc, char **argv)
{
    czt_init (argc, argv, "t_actor", 40);

    STEP ("echo actor");
    zactor_t *actor = zactor_new (s_echo, "arg");
    CHECK (actor);
    for (int i = 0; i < 50; i++) {
        CHECK (zstr_sendx (actor, "ECHO", "hello", "world", NULL) == 0);
        char *a = NULL, *b = NULL;
        CHECK (zstr_recvx (actor, &a, &b, NULL) == 2);
        CHECK (streq (a, "hello") && streq (b, "world"));
        zstr_free (&a);
        zstr_free (&b);
    }
    CHECK (zstr_send (actor, "SIGNAL") == 0);
    CHECK (zsock_wait (actor) == 3);
    CHECK (zactor_sock (actor) != NULL);
    zactor_destroy (&actor);
    CHECK (actor == NULL);

    STEP ("two actors at once");
    zactor_t *x = zactor_new (s_echo, "arg");
    zactor_t *y = zactor_new (s_echo, "arg");
    zstr_sendx (x, "ECHO", "x", NULL);
    zstr_sendx (y, "ECHO", "y", NULL);
    char *sx = zstr_recv (x), *sy = zstr_recv (y);
    CHECK (sx && sy && streq (sx, "x") && streq (sy, "y"));
    zstr_free (&sx);
    zstr_free (&sy);
    zactor_destroy (&y);
    zactor_destroy (&x);

    STEP ("zmonitor server");
    zsock_t *server = zsock_new (ZMQ_DEALER);
    zactor_t *smon = zactor_new (zmonitor, server);
    CHECK (smon);
    if (argc > 1 && getenv ("CZT_VERBOSE"))
        zstr_sendx (smon, "VERBOSE", NULL);
    zstr_sendx (smon, "LISTEN", "LISTENING", "ACCEPTED", "HANDSHAKE_SUCCEEDED",
                "DISCONNECTED", NULL);
    zstr_sendx (smon, "START", NULL);
    zsock_wait (smon);
    int port = zsock_bind (server, "tcp://127.0.0.1:*");
    CHECK (port > 0);
    const char *w1[] = {"LISTENING", NULL};
    s_expect_events (smon, w1, 3000);

    STEP ("zmonitor client");
    zsock_t *client = zsock_new (ZMQ_DEALER);
    zactor_t *cmon = zactor_new (zmonitor, client);
    zstr_sendx (cmon, "LISTEN", "CONNECTED", "HANDSHAKE_SUCCEEDED", NULL);
    zstr_sendx (cmon, "START", NULL);
    zsock_wait (cmon);
    CHECK (zsock_connect (client, "tcp://127.0.0.1:%d", port) == 0);
    const char *w2[] = {"CONNECTED", "HANDSHAKE_SUCCEEDED", NULL};
    s_expect_events (cmon, w2, 3000);
    const char *w3[] = {"ACCEPTED", "HANDSHAKE_SUCCEEDED", NULL};
    s_expect_events (smon, w3, 3000);

    STEP ("exchange over monitored sockets");
    zstr_send (client, "ping");
    char *s = zstr_recv (server);
    CHECK (s && streq (s, "ping"));
    zstr_free (&s);

    STEP ("zmonitor disconnect");
    zactor_destroy (&cmon);
    zsock_destroy (&client);
    const char *w4[] = {"DISCONNECTED", NULL};
    s_expect_events (smon, w4, 3000);
    zactor_destroy (&smon);
    zsock_destroy (&server);

    czt_done ();
    return 0;
}
