/* tests/czmq/t_zsock.c: zsock constructors and patterns (PUSH/PULL over tcp,
 * REQ/REP over ipc with the picture API, DEALER/ROUTER over inproc,
 * PUB/SUB with subscribe/unsubscribe), zstr, zmsg/zframe multipart and a
 * receive timeout, all through CZMQ 4.2.1. */
#include "common.h"

int main (int argc, char **argv)
{
    czt_init (argc, argv, "t_zsock", 40);
    char ep[256];

    STEP ("push/pull tcp");
    zsock_t *pull = zsock_new (ZMQ_PULL);
    CHECK (pull);
    int port = zsock_bind (pull, "tcp://127.0.0.1:*");
    CHECK (port > 0);
    const char *last = zsock_last_endpoint (pull);
    snprintf (ep, sizeof ep, "tcp://127.0.0.1:%d", port);
    CHECK (last && strcmp (last, ep) == 0);
    char cep[300];
    snprintf (cep, sizeof cep, ">%s", ep);
    zsock_t *push = zsock_new_push (cep);
    CHECK (push);
    CHECK (zstr_send (push, "hello") == 0);
    char *s = zstr_recv (pull);
    CHECK (s && streq (s, "hello"));
    zstr_free (&s);
    CHECK (zstr_sendx (push, "one", "two", "three", NULL) == 0);
    char *s1 = NULL, *s2 = NULL, *s3 = NULL;
    CHECK (zstr_recvx (pull, &s1, &s2, &s3, NULL) == 3);
    CHECK (streq (s1, "one") && streq (s2, "two") && streq (s3, "three"));
    zstr_free (&s1);
    zstr_free (&s2);
    zstr_free (&s3);
    CHECK (zstr_sendf (push, "n=%d", 42) == 0);
    s = zstr_recv (pull);
    CHECK (s && streq (s, "n=42"));
    zstr_free (&s);

    STEP ("recv timeout");
    zsock_set_rcvtimeo (pull, 50);
    CHECK (zsock_rcvtimeo (pull) == 50);
    int64_t t0 = zclock_mono ();
    s = zstr_recv (pull);
    CHECK (s == NULL && zmq_errno () == EAGAIN);
    CHECK (zclock_mono () - t0 >= 40);

    STEP ("options");
    zsock_set_sndhwm (push, 123);
    CHECK (zsock_sndhwm (push) == 123);
    CHECK (zsock_type (push) == ZMQ_PUSH);
    CHECK (streq (zsock_type_str (pull), "PULL"));
    zsock_set_linger (push, 0);
    CHECK (zsock_linger (push) == 0);
    CHECK (zsock_fd (pull) >= 0);
    zsock_destroy (&push);
    zsock_destroy (&pull);

    STEP ("req/rep ipc picture");
    char ipc[200];
    snprintf (ipc, sizeof ipc, "@ipc:///tmp/czmq-t-zsock-%d.ipc", (int) getpid ());
    zsock_t *rep = zsock_new_rep (ipc);
    CHECK (rep);
    ipc[0] = '>';
    zsock_t *req = zsock_new_req (ipc);
    CHECK (req);
    zframe_t *fr = zframe_new ("frame", 5);
    zmsg_t *tail = zmsg_new ();
    zmsg_addstr (tail, "tail1");
    zmsg_addstr (tail, "tail2");
    CHECK (zsock_send (req, "si48bfm", "str", -7, (uint32_t) 4000000000u,
                       (uint64_t) 1 << 40, "bytes", (size_t) 5, fr, tail)
           == 0);
    zframe_destroy (&fr);
    zmsg_destroy (&tail);
    char *rs = NULL;
    int ri = 0;
    uint32_t r4 = 0;
    uint64_t r8 = 0;
    byte *rb = NULL;
    size_t rbsize = 0;
    zframe_t *rf = NULL;
    zmsg_t *rm = NULL;
    CHECK (zsock_recv (rep, "si48bfm", &rs, &ri, &r4, &r8, &rb, &rbsize, &rf, &rm)
           == 0);
    CHECK (streq (rs, "str") && ri == -7 && r4 == 4000000000u
           && r8 == (uint64_t) 1 << 40);
    CHECK (rbsize == 5 && memcmp (rb, "bytes", 5) == 0);
    CHECK (rf && zframe_streq (rf, "frame"));
    CHECK (rm && zmsg_size (rm) == 2);
    char *t1 = zmsg_popstr (rm);
    CHECK (t1 && streq (t1, "tail1"));
    free (t1);
    free (rs);
    free (rb);
    zframe_destroy (&rf);
    zmsg_destroy (&rm);
    CHECK (zstr_send (rep, "ok") == 0);
    s = zstr_recv (req);
    CHECK (s && streq (s, "ok"));
    zstr_free (&s);
    /* REQ must refuse a second recv before send */
    zsock_destroy (&req);
    zsock_destroy (&rep);

    STEP ("dealer/router inproc multipart");
    zsock_t *router = zsock_new_router ("@inproc://t-zsock-router");
    CHECK (router);
    zsock_t *dealer = zsock_new (ZMQ_DEALER);
    zsock_set_identity (dealer, "D1");
    CHECK (zsock_connect (dealer, "inproc://t-zsock-router") == 0);
    zmsg_t *m = zmsg_new ();
    zmsg_addstr (m, "a");
    zmsg_addmem (m, "", 0);
    zmsg_addmem (m, "\x00\x01\x02", 3);
    zmsg_pushstr (m, "first");
    CHECK (zmsg_size (m) == 4 && zmsg_content_size (m) == 9);
    CHECK (zmsg_send (&m, dealer) == 0);
    CHECK (m == NULL);
    m = zmsg_recv (router);
    CHECK (m && zmsg_size (m) == 5);
    zframe_t *id = zmsg_first (m);
    CHECK (zframe_streq (id, "D1"));
    CHECK (zframe_streq (zmsg_next (m), "first"));
    CHECK (zframe_streq (zmsg_next (m), "a"));
    CHECK (zframe_size (zmsg_next (m)) == 0);
    zframe_t *last3 = zmsg_next (m);
    CHECK (zframe_size (last3) == 3 && memcmp (zframe_data (last3), "\x00\x01\x02", 3) == 0);
    /* echo back the whole message including the routing id */
    CHECK (zmsg_send (&m, router) == 0);
    m = zmsg_recv (dealer);
    CHECK (m && zmsg_size (m) == 4);
    char *f0 = zmsg_popstr (m);
    CHECK (f0 && streq (f0, "first"));
    free (f0);
    zmsg_destroy (&m);
    /* frame by frame with zframe_send flags */
    zframe_t *a = zframe_new ("x", 1);
    CHECK (zframe_send (&a, dealer, ZFRAME_MORE | ZFRAME_REUSE) == 0);
    CHECK (a != NULL);
    CHECK (zframe_send (&a, dealer, 0) == 0);
    CHECK (a == NULL);
    zframe_t *g = zframe_recv (router);
    CHECK (g && zframe_streq (g, "D1") && zframe_more (g));
    zframe_destroy (&g);
    g = zframe_recv (router);
    CHECK (g && zframe_streq (g, "x") && zframe_more (g));
    zframe_destroy (&g);
    g = zframe_recv (router);
    CHECK (g && zframe_streq (g, "x") && !zframe_more (g));
    zframe_destroy (&g);
    /* ROUTER_MANDATORY: unknown peer gives EHOSTUNREACH */
    zsock_set_router_mandatory (router, 1);
    CHECK (zstr_sendx (router, "nobody", "x", NULL) == -1);
    CHECK (zmq_errno () == EHOSTUNREACH);
    zsock_destroy (&dealer);
    zsock_destroy (&router);

    STEP ("pub/sub tcp with subscriptions");
    zsock_t *pub = zsock_new (ZMQ_PUB);
    port = zsock_bind (pub, "tcp://127.0.0.1:*");
    CHECK (port > 0);
    snprintf (cep, sizeof cep, "tcp://127.0.0.1:%d", port);
    zsock_t *sub = zsock_new_sub (cep, "weather");
    CHECK (sub);
    zsock_set_subscribe (sub, "news");
    zsock_set_rcvtimeo (sub, 20);
    int got_w = 0, got_n = 0;
    for (int i = 0; i < 200 && !(got_w && got_n); i++) {
        zstr_send (pub, "sports 1");
        zstr_send (pub, "weather 1");
        zstr_send (pub, "news 1");
        while ((s = zstr_recv (sub))) {
            CHECK (strncmp (s, "sports", 6) != 0);
            if (strncmp (s, "weather", 7) == 0)
                got_w = 1;
            if (strncmp (s, "news", 4) == 0)
                got_n = 1;
            zstr_free (&s);
        }
    }
    CHECK (got_w && got_n);
    zsock_set_unsubscribe (sub, "weather");
    zclock_sleep (300);
    while ((s = zstr_recv (sub)))
        zstr_free (&s);
    zstr_send (pub, "weather 2");
    zstr_send (pub, "news 2");
    zsock_set_rcvtimeo (sub, 2000);
    s = zstr_recv (sub);
    CHECK (s && streq (s, "news 2"));
    zstr_free (&s);
    zsock_destroy (&sub);
    zsock_destroy (&pub);

    STEP ("pair inproc zsock_signal/wait");
    zsock_t *p1 = zsock_new_pair ("@inproc://t-zsock-pair");
    zsock_t *p2 = zsock_new_pair (">inproc://t-zsock-pair");
    CHECK (p1 && p2);
    CHECK (zsock_signal (p1, 7) == 0);
    CHECK (zsock_wait (p2) == 7);
    zsock_destroy (&p1);
    zsock_destroy (&p2);

    czt_done ();
    return 0;
}
