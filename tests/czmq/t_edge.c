/* tests/czmq/t_edge.c: edge behaviours reached through CZMQ 4.2.1 that a
 * drop-in libzmq must match: bind conflicts (EADDRINUSE), unbind/disconnect
 * with the resolved endpoint, wildcard ipc, CZMQ's "!" ephemeral ports,
 * STREAM sockets, XPUB subscription delivery (verbose), HWM with DONTWAIT
 * (EAGAIN), security getters, EVENTS/RCVMORE getters. */
#include "common.h"

int main (int argc, char **argv)
{
    czt_init (argc, argv, "t_edge", 40);
    char ep[256];

    STEP ("bind conflict and unbind");
    zsock_t *a = zsock_new (ZMQ_PULL);
    int port = zsock_bind (a, "tcp://127.0.0.1:*");
    CHECK (port > 0);
    zsock_t *b = zsock_new (ZMQ_PULL);
    CHECK (zsock_bind (b, "tcp://127.0.0.1:%d", port) == -1);
    CHECK (zmq_errno () == EADDRINUSE);
    CHECK (zsock_unbind (a, "tcp://127.0.0.1:%d", port) == 0);
    CHECK (zsock_unbind (a, "tcp://127.0.0.1:%d", port) == -1);
    CHECK (zmq_errno () == ENOENT);
    /* the port is free again (the listener closes on the I/O thread: allow
     * it a moment, then report how long it took) */
    int rebound = -1, tries = 0;
    for (; tries < 100 && rebound != port; tries++) {
        rebound = zsock_bind (b, "tcp://127.0.0.1:%d", port);
        if (rebound != port)
            zclock_sleep (10);
    }
    printf ("  rebind after unbind took %d tries\n", tries);
    CHECK (rebound == port);
    zsock_destroy (&a);
    zsock_destroy (&b);

    STEP ("czmq ephemeral '!' port");
    a = zsock_new (ZMQ_PULL);
    port = zsock_bind (a, "tcp://127.0.0.1:!");
    CHECK (port >= 0xc000 && port <= 0xffff);
    zsock_destroy (&a);

    STEP ("wildcard ipc");
    a = zsock_new (ZMQ_PULL);
    CHECK (zsock_bind (a, "ipc://*") == 0);
    const char *le = zsock_last_endpoint (a);
    CHECK (le && strncmp (le, "ipc://", 6) == 0 && strlen (le) > 6);
    b = zsock_new (ZMQ_PUSH);
    CHECK (zsock_connect (b, "%s", le) == 0);
    zstr_send (b, "via ipc wildcard");
    char *s = zstr_recv (a);
    CHECK (s && streq (s, "via ipc wildcard"));
    zstr_free (&s);
    CHECK (zsock_disconnect (b, "%s", le) == 0);
    CHECK (zsock_disconnect (b, "%s", le) == -1);
    CHECK (zmq_errno () == ENOENT);
    zsock_destroy (&a);
    zsock_destroy (&b);

    STEP ("getters: events, rcvmore, mechanism");
    zsock_t *p1 = zsock_new_pair ("@inproc://t-edge-pair");
    zsock_t *p2 = zsock_new_pair (">inproc://t-edge-pair");
    CHECK (zsock_events (p2) & ZMQ_POLLOUT);
    CHECK (!(zsock_events (p2) & ZMQ_POLLIN));
    zstr_sendx (p1, "x", "y", NULL);
    zclock_sleep (10);
    CHECK (zsock_events (p2) & ZMQ_POLLIN);
    zframe_t *f = zframe_recv (p2);
    CHECK (f && zsock_rcvmore (p2) == 1);
    zframe_destroy (&f);
    f = zframe_recv (p2);
    CHECK (f && zsock_rcvmore (p2) == 0);
    zframe_destroy (&f);
    CHECK (zsock_mechanism (p1) == ZMQ_NULL);
    zsock_set_plain_server (p1, 1);
    CHECK (zsock_mechanism (p1) == ZMQ_PLAIN);
    zcert_t *cert = zcert_new ();
    zcert_apply (cert, p2);
    CHECK (zsock_mechanism (p2) == ZMQ_CURVE);
    char *pk = zsock_curve_publickey (p2);
    CHECK (pk && streq (pk, zcert_public_txt (cert)));
    zstr_free (&pk);
    zcert_destroy (&cert);
    zsock_destroy (&p1);
    zsock_destroy (&p2);

    STEP ("HWM with DONTWAIT gives EAGAIN");
    zsock_t *push = zsock_new (ZMQ_PUSH);
    zsock_set_sndhwm (push, 5);
    zsock_set_sndtimeo (push, 0);
    CHECK (zsock_connect (push, "tcp://127.0.0.1:9") == 0); /* nobody there */
    int sent = 0;
    for (int i = 0; i < 100; i++)
        if (zstr_send (push, "x") == 0)
            sent++;
    printf ("  sent %d before EAGAIN\n", sent);
    /* immediate=0: the pipe exists from connect, so HWM messages queue */
    CHECK (sent >= 5 && sent < 100);
    CHECK (zmq_errno () == EAGAIN);
    zsock_destroy (&push);

    STEP ("immediate=0 queues to a connecting peer up to HWM");
    a = zsock_new (ZMQ_PULL);
    port = zsock_bind (a, "tcp://127.0.0.1:*");
    push = zsock_new (ZMQ_PUSH);
    zsock_set_sndhwm (push, 5);
    zsock_set_sndtimeo (push, 0);
    zsock_set_rcvhwm (a, 5);
    CHECK (zsock_connect (push, "tcp://127.0.0.1:%d", port) == 0);
    zclock_sleep (100);
    sent = 0;
    for (int i = 0; i < 100000; i++)
        if (zstr_send (push, "x") == 0)
            sent++;
        else
            break;
    printf ("  sent %d before EAGAIN (peer not reading)\n", sent);
    CHECK (sent >= 5 && sent < 100000);
    CHECK (zmq_errno () == EAGAIN);
    zsock_destroy (&push);
    zsock_destroy (&a);

    STEP ("xpub sees subscriptions (verbose)");
    zsock_t *xpub = zsock_new (ZMQ_XPUB);
    zsock_set_xpub_verbose (xpub, 1);
    port = zsock_bind (xpub, "tcp://127.0.0.1:*");
    snprintf (ep, sizeof ep, "tcp://127.0.0.1:%d", port);
    zsock_t *s1 = zsock_new_sub (ep, "topic");
    zsock_t *s2 = zsock_new_sub (ep, "topic");
    zsock_set_rcvtimeo (xpub, 3000);
    for (int i = 0; i < 2; i++) {
        f = zframe_recv (xpub);
        CHECK (f && zframe_size (f) == 6 && zframe_data (f)[0] == 1
               && memcmp (zframe_data (f) + 1, "topic", 5) == 0);
        zframe_destroy (&f);
    }
    zsock_set_unsubscribe (s1, "topic");
    zsock_destroy (&s1);
    zstr_send (xpub, "topic 1");
    zsock_set_rcvtimeo (s2, 3000);
    s = zstr_recv (s2);
    CHECK (s && streq (s, "topic 1"));
    zstr_free (&s);
    zsock_destroy (&s2);
    zsock_destroy (&xpub);

    STEP ("STREAM socket to a raw tcp peer");
    zsock_t *stream = zsock_new (ZMQ_STREAM);
    port = zsock_bind (stream, "tcp://127.0.0.1:*");
    CHECK (port > 0);
    zsock_t *stream2 = zsock_new (ZMQ_STREAM);
    CHECK (zsock_connect (stream2, "tcp://127.0.0.1:%d", port) == 0);
    zsock_set_rcvtimeo (stream, 3000);
    zsock_set_rcvtimeo (stream2, 3000);
    /* connect notification (empty frame) on both sides */
    zmsg_t *m = zmsg_recv (stream);
    CHECK (m && zmsg_size (m) == 2 && zframe_size (zmsg_last (m)) == 0);
    zframe_t *id = zframe_dup (zmsg_first (m));
    zmsg_destroy (&m);
    m = zmsg_recv (stream2);
    CHECK (m && zmsg_size (m) == 2 && zframe_size (zmsg_last (m)) == 0);
    zframe_t *id2 = zframe_dup (zmsg_first (m));
    zmsg_destroy (&m);
    m = zmsg_new ();
    zmsg_append (m, &id2);
    zmsg_addstr (m, "raw bytes");
    CHECK (zmsg_send (&m, stream2) == 0);
    m = zmsg_recv (stream);
    CHECK (m && zmsg_size (m) == 2 && zframe_eq (zmsg_first (m), id));
    CHECK (zframe_streq (zmsg_last (m), "raw bytes"));
    zmsg_destroy (&m);
    zframe_destroy (&id);
    zsock_destroy (&stream2);
    zsock_destroy (&stream);

    czt_done ();
    return 0;
}
