/* tests/czmq/t_poll.c: zpoller over several sockets with timeouts (expiry,
 * readiness, add/remove) and zloop with a repeating timer and a socket
 * reader, through CZMQ 4.2.1. */
#include "common.h"

static int s_timer_sends (zloop_t *loop, int timer_id, void *arg)
{
    (void) loop;
    (void) timer_id;
    static int n = 0;
    return zstr_sendf ((zsock_t *) arg, "tick %d", n++);
}

static int s_reader (zloop_t *loop, zsock_t *reader, void *arg)
{
    (void) loop;
    int *count = (int *) arg;
    char *s = zstr_recv (reader);
    if (!s)
        return -1;
    char want[32];
    snprintf (want, sizeof want, "tick %d", *count);
    if (!streq (s, want)) {
        fprintf (stderr, "zloop reader: got '%s' want '%s'\n", s, want);
        zstr_free (&s);
        return -1;
    }
    zstr_free (&s);
    (*count)++;
    return *count == 3 ? -1 : 0; /* -1 ends zloop_start */
}

static int s_guard (zloop_t *loop, int timer_id, void *arg)
{
    (void) loop;
    (void) timer_id;
    *(int *) arg = 1;
    return -1;
}

int main (int argc, char **argv)
{
    czt_init (argc, argv, "t_poll", 40);

    STEP ("zpoller setup");
    zsock_t *in[3], *out[3];
    for (int i = 0; i < 3; i++) {
        char ep[64];
        snprintf (ep, sizeof ep, "@inproc://t-poll-%d", i);
        in[i] = zsock_new_pull (ep);
        ep[0] = '>';
        out[i] = zsock_new_push (ep);
        CHECK (in[i] && out[i]);
    }
    /* a tcp pair too, so the poller mixes inproc and tcp FDs */
    zsock_t *tin = zsock_new (ZMQ_PULL);
    int port = zsock_bind (tin, "tcp://127.0.0.1:*");
    CHECK (port > 0);
    zsock_t *tout = zsock_new (ZMQ_PUSH);
    CHECK (zsock_connect (tout, "tcp://127.0.0.1:%d", port) == 0);

    zpoller_t *poller = zpoller_new (in[0], in[1], NULL);
    CHECK (poller);
    CHECK (zpoller_add (poller, in[2]) == 0);
    CHECK (zpoller_add (poller, tin) == 0);

    STEP ("zpoller expiry");
    int64_t t0 = zclock_mono ();
    void *which = zpoller_wait (poller, 100);
    CHECK (which == NULL && zpoller_expired (poller) && !zpoller_terminated (poller));
    CHECK (zclock_mono () - t0 >= 90);

    STEP ("zpoller readiness");
    zstr_send (out[1], "b");
    which = zpoller_wait (poller, 2000);
    CHECK (which == in[1]);
    char *s = zstr_recv (which);
    CHECK (s && streq (s, "b"));
    zstr_free (&s);
    zstr_send (out[2], "c");
    which = zpoller_wait (poller, 2000);
    CHECK (which == in[2]);
    s = zstr_recv (which);
    zstr_free (&s);
    zstr_send (tout, "tcp");
    which = zpoller_wait (poller, 2000);
    CHECK (which == tin);
    s = zstr_recv (tin);
    CHECK (s && streq (s, "tcp"));
    zstr_free (&s);

    STEP ("zpoller nothing left");
    which = zpoller_wait (poller, 50);
    CHECK (which == NULL && zpoller_expired (poller));

    STEP ("zpoller remove");
    CHECK (zpoller_remove (poller, in[0]) == 0);
    zstr_send (out[0], "a");
    which = zpoller_wait (poller, 100);
    CHECK (which == NULL && zpoller_expired (poller));
    CHECK (zpoller_add (poller, in[0]) == 0);
    which = zpoller_wait (poller, 2000);
    CHECK (which == in[0]);
    s = zstr_recv (in[0]);
    CHECK (s && streq (s, "a"));
    zstr_free (&s);

    STEP ("zpoller many messages in a row");
    for (int i = 0; i < 100; i++)
        zstr_sendf (tout, "%d", i);
    for (int i = 0; i < 100; i++) {
        which = zpoller_wait (poller, 2000);
        CHECK (which == tin);
        s = zstr_recv (tin);
        CHECK (s && atoi (s) == i);
        zstr_free (&s);
    }
    zpoller_destroy (&poller);

    STEP ("zloop timer + reader");
    zloop_t *loop = zloop_new ();
    CHECK (loop);
    int count = 0, guard_fired = 0;
    CHECK (zloop_timer (loop, 20, 3, s_timer_sends, tout) >= 0);
    CHECK (zloop_reader (loop, tin, s_reader, &count) == 0);
    CHECK (zloop_timer (loop, 5000, 1, s_guard, &guard_fired) >= 0);
    t0 = zclock_mono ();
    zloop_start (loop);
    CHECK (!guard_fired);
    CHECK (count == 3);
    CHECK (zclock_mono () - t0 >= 50);
    zloop_destroy (&loop);

    for (int i = 0; i < 3; i++) {
        zsock_destroy (&in[i]);
        zsock_destroy (&out[i]);
    }
    zsock_destroy (&tin);
    zsock_destroy (&tout);
    czt_done ();
    return 0;
}
