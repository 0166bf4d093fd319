/*  test_proxy.c: zmq_proxy(3), zmq_proxy_steerable(3) and the deprecated
    zmq_device, through the public API only: multipart forwarding with
    ZMQ_SNDMORE kept, capture copies, the control commands PAUSE, RESUME,
    STATISTICS (8 frames of uint64; messages and bytes), TERMINATE, the
    capture copy of each control command, ETERM when the context
    terminates, and the NULL-handle errno.  The proxy runs in its own
    thread; no sleep is used for synchronisation.  Checked against
    Debian's libzmq 4.3.4.  */
#include "testutil.h"

#include <pthread.h>
#include <stdint.h>

typedef struct
{
    void *frontend, *backend, *capture, *control;
    int device; /*  use zmq_device instead of zmq_proxy  */
    int rc, err;
} proxy_args_t;

static void *run_proxy (void *arg)
{
    proxy_args_t *a = (proxy_args_t *) arg;
    if (a->device)
        a->rc = zmq_device (ZMQ_QUEUE, a->frontend, a->backend);
    else if (a->control)
        a->rc = zmq_proxy_steerable (a->frontend, a->backend, a->capture,
                                     a->control);
    else
        a->rc = zmq_proxy (a->frontend, a->backend, a->capture);
    a->err = a->rc == -1 ? zmq_errno () : 0;
    /*  The proxy's sockets belong to its thread: close them here.  */
    int linger = 0;
    void *socks[4] = {a->frontend, a->backend, a->capture, a->control};
    for (int i = 0; i < 4; i++)
        if (socks[i]) {
            zmq_setsockopt (socks[i], ZMQ_LINGER, &linger, sizeof linger);
            zmq_close (socks[i]);
        }
    return NULL;
}

static void *new_socket (void *ctx, int type)
{
    void *s = zmq_socket (ctx, type);
    TEST_ASSERT (s != NULL);
    return s;
}

static void close_socket (void *s)
{
    tu_set_int (s, ZMQ_LINGER, 0);
    TEST_ASSERT_SUCCESS (zmq_close (s));
}

/*  Receives one frame equal to s, with ZMQ_RCVMORE == more.  */
static void recv_part (void *s, const char *want, int more)
{
    tu_recv_str (s, want);
    TEST_ASSERT_EQ_INT (tu_get_int (s, ZMQ_RCVMORE), more);
}

static void test_steerable (void)
{
    void *ctx = zmq_ctx_new ();
    TEST_ASSERT (ctx != NULL);
    proxy_args_t a;
    memset (&a, 0, sizeof a);
    a.frontend = new_socket (ctx, ZMQ_PULL);
    a.backend = new_socket (ctx, ZMQ_PUSH);
    a.capture = new_socket (ctx, ZMQ_PUSH);
    a.control = new_socket (ctx, ZMQ_PAIR);
    TEST_ASSERT_SUCCESS (zmq_bind (a.frontend, "inproc://front"));
    TEST_ASSERT_SUCCESS (zmq_bind (a.backend, "inproc://back"));
    TEST_ASSERT_SUCCESS (zmq_bind (a.capture, "inproc://capture"));
    TEST_ASSERT_SUCCESS (zmq_bind (a.control, "inproc://control"));

    void *src = new_socket (ctx, ZMQ_PUSH);
    void *dst = new_socket (ctx, ZMQ_PULL);
    void *cap = new_socket (ctx, ZMQ_PULL);
    void *ctl = new_socket (ctx, ZMQ_PAIR);
    TEST_ASSERT_SUCCESS (zmq_connect (src, "inproc://front"));
    TEST_ASSERT_SUCCESS (zmq_connect (dst, "inproc://back"));
    TEST_ASSERT_SUCCESS (zmq_connect (cap, "inproc://capture"));
    TEST_ASSERT_SUCCESS (zmq_connect (ctl, "inproc://control"));

    pthread_t t;
    TEST_ASSERT_EQ_INT (pthread_create (&t, NULL, run_proxy, &a), 0);

    /*  A 3-part message and a single one, in order, MORE flags kept.  */
    tu_send_str (src, "a", ZMQ_SNDMORE);
    tu_send_str (src, "bc", ZMQ_SNDMORE);
    tu_send_str (src, "", 0);
    tu_send_str (src, "single", 0);
    recv_part (dst, "a", 1);
    recv_part (dst, "bc", 1);
    recv_part (dst, "", 0);
    recv_part (dst, "single", 0);
    recv_part (cap, "a", 1);
    recv_part (cap, "bc", 1);
    recv_part (cap, "", 0);
    recv_part (cap, "single", 0);

    /*  PAUSE, then STATISTICS: the reply proves the pause is in force.  */
    tu_send_str (ctl, "PAUSE", 0);
    tu_send_str (ctl, "STATISTICS", 0);
    uint64_t stats[8];
    for (int i = 0; i < 8; i++) {
        TEST_ASSERT_EQ_INT (zmq_recv (ctl, &stats[i], sizeof stats[i], 0),
                            (int) sizeof (uint64_t));
        TEST_ASSERT_EQ_INT (tu_get_int (ctl, ZMQ_RCVMORE), i < 7);
    }
    /*  Messages (a multipart one counts once) and bytes: in at the
        frontend, out at the backend.  */
    TEST_ASSERT_EQ_INT (stats[0], 2);
    TEST_ASSERT_EQ_INT (stats[1], 9);
    TEST_ASSERT_EQ_INT (stats[2], 0);
    TEST_ASSERT_EQ_INT (stats[3], 0);
    TEST_ASSERT_EQ_INT (stats[4], 0);
    TEST_ASSERT_EQ_INT (stats[5], 0);
    TEST_ASSERT_EQ_INT (stats[6], 2);
    TEST_ASSERT_EQ_INT (stats[7], 9);

    tu_send_str (src, "late", 0);
    zmq_pollitem_t item = {dst, 0, ZMQ_POLLIN, 0};
    TEST_ASSERT_EQ_INT (zmq_poll (&item, 1, 100), 0);
    tu_send_str (ctl, "RESUME", 0);
    recv_part (dst, "late", 0);
    /*  The capture socket saw the control commands too (libzmq 4.3).  */
    recv_part (cap, "PAUSE", 0);
    recv_part (cap, "STATISTICS", 0);
    recv_part (cap, "RESUME", 0);
    recv_part (cap, "late", 0);

    tu_send_str (ctl, "TERMINATE", 0);
    TEST_ASSERT_EQ_INT (pthread_join (t, NULL), 0);
    TEST_ASSERT_EQ_INT (a.rc, 0);

    close_socket (src);
    close_socket (dst);
    close_socket (cap);
    close_socket (ctl);
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

/*  ROUTER/DEALER both ways; zmq_ctx_term in this thread ends the proxy
    with ETERM.  */
static void test_eterm (int device)
{
    void *ctx = zmq_ctx_new ();
    TEST_ASSERT (ctx != NULL);
    proxy_args_t a;
    memset (&a, 0, sizeof a);
    a.device = device;
    a.frontend = new_socket (ctx, ZMQ_ROUTER);
    a.backend = new_socket (ctx, ZMQ_DEALER);
    TEST_ASSERT_SUCCESS (zmq_bind (a.frontend, "inproc://router"));
    TEST_ASSERT_SUCCESS (zmq_bind (a.backend, "inproc://dealer"));
    pthread_t t;
    TEST_ASSERT_EQ_INT (pthread_create (&t, NULL, run_proxy, &a), 0);

    void *client = new_socket (ctx, ZMQ_REQ);
    void *worker = new_socket (ctx, ZMQ_REP);
    TEST_ASSERT_SUCCESS (zmq_connect (client, "inproc://router"));
    TEST_ASSERT_SUCCESS (zmq_connect (worker, "inproc://dealer"));
    for (int i = 0; i < 3; i++) {
        tu_send_str (client, "ping", 0);
        tu_recv_str (worker, "ping");
        tu_send_str (worker, "pong", 0);
        tu_recv_str (client, "pong");
    }
    close_socket (client);
    close_socket (worker);
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
    TEST_ASSERT_EQ_INT (pthread_join (t, NULL), 0);
    TEST_ASSERT_EQ_INT (a.rc, -1);
    TEST_ASSERT_EQ_INT (a.err, ETERM);
}

static void test_null_handles (void)
{
    void *ctx = zmq_ctx_new ();
    TEST_ASSERT (ctx != NULL);
    void *s = new_socket (ctx, ZMQ_PAIR);
    TEST_ASSERT_FAILURE (zmq_proxy (NULL, s, NULL), EFAULT);
    TEST_ASSERT_FAILURE (zmq_proxy (s, NULL, NULL), EFAULT);
    TEST_ASSERT_FAILURE (zmq_proxy_steerable (NULL, s, NULL, NULL), EFAULT);
    close_socket (s);
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

int main (void)
{
    tu_begin ("test_proxy");
    test_steerable ();
    test_eterm (0);
    test_eterm (1);
    test_null_handles ();
    return tu_end ();
}
