/* tests/czmq/t_proxy.c: the zproxy actor through CZMQ 4.2.1: PULL->PUSH
 * with a capture socket and PAUSE/RESUME, ROUTER<->DEALER between REQ and
 * REP (envelopes), and XSUB<->XPUB forwarding subscriptions between PUB and
 * SUB over ipc. */
#include "common.h"

static zactor_t *s_proxy (const char *ft, const char *fe, const char *bt,
                          const char *be)
{
    zactor_t *proxy = zactor_new (zproxy, NULL);
    CHECK (proxy);
    if (getenv ("CZT_VERBOSE")) {
        zstr_send (proxy, "VERBOSE");
        zsock_wait (proxy);
    }
    CHECK (zstr_sendx (proxy, "FRONTEND", ft, fe, NULL) == 0);
    zsock_wait (proxy);
    CHECK (zstr_sendx (proxy, "BACKEND", bt, be, NULL) == 0);
    zsock_wait (proxy);
    return proxy;
}

int main (int argc, char **argv)
{
    czt_init (argc, argv, "t_proxy", 40);
    int pid = (int) getpid ();
    char fe[128], be[128], cap[128];

    STEP ("PULL->PUSH with capture");
    snprintf (fe, sizeof fe, "inproc://t-proxy-front-%d", pid);
    snprintf (be, sizeof be, "ipc:///tmp/czmq-t-proxy-back-%d.ipc", pid);
    snprintf (cap, sizeof cap, "inproc://t-proxy-capture-%d", pid);
    zsock_t *capture = zsock_new (ZMQ_PULL);
    CHECK (zsock_bind (capture, "%s", cap) == 0);
    zactor_t *proxy = s_proxy ("PULL", fe, "PUSH", be);
    CHECK (zstr_sendx (proxy, "CAPTURE", cap, NULL) == 0);
    zsock_wait (proxy);
    zsock_t *producer = zsock_new (ZMQ_PUSH);
    CHECK (zsock_connect (producer, "%s", fe) == 0);
    zsock_t *consumer = zsock_new (ZMQ_PULL);
    CHECK (zsock_connect (consumer, "%s", be) == 0);
    zsock_set_rcvtimeo (consumer, 3000);
    zsock_set_rcvtimeo (capture, 3000);
    CHECK (zstr_sendx (producer, "part1", "part2", NULL) == 0);
    char *a = NULL, *b = NULL;
    CHECK (zstr_recvx (consumer, &a, &b, NULL) == 2);
    CHECK (streq (a, "part1") && streq (b, "part2"));
    zstr_free (&a);
    zstr_free (&b);
    CHECK (zstr_recvx (capture, &a, &b, NULL) == 2);
    CHECK (streq (a, "part1") && streq (b, "part2"));
    zstr_free (&a);
    zstr_free (&b);

    STEP ("PAUSE/RESUME");
    zstr_sendx (proxy, "PAUSE", NULL);
    zsock_wait (proxy);
    zstr_send (producer, "while paused");
    zsock_set_rcvtimeo (consumer, 200);
    char *s = zstr_recv (consumer);
    CHECK (s == NULL);
    zstr_sendx (proxy, "RESUME", NULL);
    zsock_wait (proxy);
    zsock_set_rcvtimeo (consumer, 3000);
    s = zstr_recv (consumer);
    CHECK (s && streq (s, "while paused"));
    zstr_free (&s);
    s = zstr_recv (capture);
    CHECK (s && streq (s, "while paused"));
    zstr_free (&s);
    zsock_destroy (&producer);
    zsock_destroy (&consumer);
    zactor_destroy (&proxy);
    zsock_destroy (&capture);

    STEP ("ROUTER<->DEALER broker between REQ and REP");
    snprintf (fe, sizeof fe, "ipc:///tmp/czmq-t-proxy-rt-%d.ipc", pid);
    snprintf (be, sizeof be, "inproc://t-proxy-dl-%d", pid);
    proxy = s_proxy ("ROUTER", fe, "DEALER", be);
    zsock_t *worker = zsock_new (ZMQ_REP);
    CHECK (zsock_connect (worker, "%s", be) == 0);
    zsock_t *clients[3];
    for (int i = 0; i < 3; i++) {
        clients[i] = zsock_new (ZMQ_REQ);
        CHECK (zsock_connect (clients[i], "%s", fe) == 0);
        zsock_set_rcvtimeo (clients[i], 3000);
        CHECK (zstr_sendf (clients[i], "req %d", i) == 0);
    }
    zsock_set_rcvtimeo (worker, 3000);
    for (int i = 0; i < 3; i++) {
        s = zstr_recv (worker);
        CHECK (s && strncmp (s, "req ", 4) == 0);
        CHECK (zstr_sendf (worker, "rep %s", s + 4) == 0);
        zstr_free (&s);
    }
    for (int i = 0; i < 3; i++) {
        s = zstr_recv (clients[i]);
        char want[16];
        snprintf (want, sizeof want, "rep %d", i);
        CHECK (s && streq (s, want));
        zstr_free (&s);
        zsock_destroy (&clients[i]);
    }
    zsock_destroy (&worker);
    zactor_destroy (&proxy);

    STEP ("XSUB<->XPUB forwarding subscriptions");
    snprintf (fe, sizeof fe, "ipc:///tmp/czmq-t-proxy-xsub-%d.ipc", pid);
    snprintf (be, sizeof be, "ipc:///tmp/czmq-t-proxy-xpub-%d.ipc", pid);
    proxy = s_proxy ("XSUB", fe, "XPUB", be);
    zsock_t *pub = zsock_new (ZMQ_PUB);
    CHECK (zsock_connect (pub, "%s", fe) == 0);
    zsock_t *sub = zsock_new (ZMQ_SUB);
    zsock_set_subscribe (sub, "A");
    CHECK (zsock_connect (sub, "%s", be) == 0);
    zsock_set_rcvtimeo (sub, 20);
    int got = 0;
    for (int i = 0; i < 200 && !got; i++) {
        zstr_send (pub, "B not for you");
        zstr_send (pub, "A for you");
        while ((s = zstr_recv (sub))) {
            CHECK (s[0] == 'A');
            got = 1;
            zstr_free (&s);
        }
    }
    CHECK (got);
    zsock_destroy (&sub);
    zsock_destroy (&pub);
    zactor_destroy (&proxy);

    czt_done ();
    return 0;
}
