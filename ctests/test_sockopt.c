/*  test_sockopt.c: zmq_socket(3), zmq_close(3), zmq_setsockopt(3),
    zmq_getsockopt(3): socket creation, option defaults, the EINVAL rules
    for values and sizes, and per-type options.
    Checked against Debian's libzmq 4.3.4.  */
#include "testutil.h"

#include <stdint.h>

static int get_int (void *s, int option)
{
    int value = -12345;
    size_t len = sizeof value;
    TEST_ASSERT_SUCCESS (zmq_getsockopt (s, option, &value, &len));
    TEST_ASSERT_EQ_INT (len, sizeof (int));
    return value;
}

static void set_int (void *s, int option, int value)
{
    TEST_ASSERT_SUCCESS (zmq_setsockopt (s, option, &value, sizeof value));
}

static void test_create_close (void *ctx)
{
    int types[] = {ZMQ_PAIR, ZMQ_PUB,  ZMQ_SUB,  ZMQ_REQ,    ZMQ_REP,
                   ZMQ_DEALER, ZMQ_ROUTER, ZMQ_PULL, ZMQ_PUSH, ZMQ_XPUB,
                   ZMQ_XSUB, ZMQ_STREAM};
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
        void *s = zmq_socket (ctx, types[i]);
        TEST_ASSERT_MSG (s != NULL, "zmq_socket(%d): errno %d", types[i], zmq_errno ());
        TEST_ASSERT_EQ_INT (get_int (s, ZMQ_TYPE), types[i]);
        TEST_ASSERT_SUCCESS (zmq_close (s));
    }
    errno = 0;
    TEST_ASSERT_NULL_ERRNO (zmq_socket (ctx, 9999), EINVAL);
    errno = 0;
    TEST_ASSERT_NULL_ERRNO (zmq_socket (ctx, -1), EINVAL);
    TEST_ASSERT_FAILURE (zmq_close (NULL), ENOTSOCK);
    int v = 1;
    size_t len = sizeof v;
    TEST_ASSERT_FAILURE (zmq_setsockopt (NULL, ZMQ_LINGER, &v, sizeof v), ENOTSOCK);
    TEST_ASSERT_FAILURE (zmq_getsockopt (NULL, ZMQ_LINGER, &v, &len), ENOTSOCK);
}

static void test_defaults (void *ctx)
{
    void *s = zmq_socket (ctx, ZMQ_DEALER);
    TEST_ASSERT (s != NULL);
    TEST_ASSERT_EQ_INT (get_int (s, ZMQ_SNDHWM), 1000);
    TEST_ASSERT_EQ_INT (get_int (s, ZMQ_RCVHWM), 1000);
    TEST_ASSERT_EQ_INT (get_int (s, ZMQ_LINGER), -1);
    TEST_ASSERT_EQ_INT (get_int (s, ZMQ_SNDTIMEO), -1);
    TEST_ASSERT_EQ_INT (get_int (s, ZMQ_RCVTIMEO), -1);
    TEST_ASSERT_EQ_INT (get_int (s, ZMQ_RCVMORE), 0);
    TEST_ASSERT_EQ_INT (get_int (s, ZMQ_RECONNECT_IVL), 100);
    TEST_ASSERT_EQ_INT (get_int (s, ZMQ_RECONNECT_IVL_MAX), 0);
    TEST_ASSERT_EQ_INT (get_int (s, ZMQ_BACKLOG), 100);
    TEST_ASSERT_EQ_INT (get_int (s, ZMQ_IMMEDIATE), 0);
    TEST_ASSERT_EQ_INT (get_int (s, ZMQ_IPV6), 0);
    TEST_ASSERT_EQ_INT (get_int (s, ZMQ_MECHANISM), ZMQ_NULL);
    TEST_ASSERT_EQ_INT (get_int (s, ZMQ_TCP_KEEPALIVE), -1);
    TEST_ASSERT_EQ_INT (get_int (s, ZMQ_SNDBUF), -1);
    TEST_ASSERT_EQ_INT (get_int (s, ZMQ_RCVBUF), -1);
    TEST_ASSERT_EQ_INT (get_int (s, ZMQ_HANDSHAKE_IVL), 30000);
    TEST_ASSERT_EQ_INT (get_int (s, ZMQ_EVENTS), 0);

    int64_t maxmsg = 0;
    size_t len = sizeof maxmsg;
    TEST_ASSERT_SUCCESS (zmq_getsockopt (s, ZMQ_MAXMSGSIZE, &maxmsg, &len));
    TEST_ASSERT_EQ_INT (len, sizeof (int64_t));
    TEST_ASSERT_EQ_INT (maxmsg, -1);

    char endpoint[256];
    len = sizeof endpoint;
    TEST_ASSERT_SUCCESS (zmq_getsockopt (s, ZMQ_LAST_ENDPOINT, endpoint, &len));
    TEST_ASSERT_EQ_INT (len, 1);
    TEST_ASSERT_EQ_STR (endpoint, "");

    unsigned char id[256];
    len = sizeof id;
    TEST_ASSERT_SUCCESS (zmq_getsockopt (s, ZMQ_ROUTING_ID, id, &len));
    TEST_ASSERT_EQ_INT (len, 0);

    int fd = -1;
    len = sizeof fd;
    TEST_ASSERT_SUCCESS (zmq_getsockopt (s, ZMQ_FD, &fd, &len));
    TEST_ASSERT (fd >= 0);
    TEST_ASSERT_SUCCESS (zmq_close (s));
}

static void test_set_then_get (void *ctx)
{
    void *s = zmq_socket (ctx, ZMQ_DEALER);
    TEST_ASSERT (s != NULL);
    set_int (s, ZMQ_SNDHWM, 5);
    TEST_ASSERT_EQ_INT (get_int (s, ZMQ_SNDHWM), 5);
    set_int (s, ZMQ_RCVHWM, 0);
    TEST_ASSERT_EQ_INT (get_int (s, ZMQ_RCVHWM), 0);
    set_int (s, ZMQ_LINGER, 0);
    TEST_ASSERT_EQ_INT (get_int (s, ZMQ_LINGER), 0);
    set_int (s, ZMQ_RCVTIMEO, 250);
    TEST_ASSERT_EQ_INT (get_int (s, ZMQ_RCVTIMEO), 250);
    set_int (s, ZMQ_SNDTIMEO, 0);
    TEST_ASSERT_EQ_INT (get_int (s, ZMQ_SNDTIMEO), 0);
    set_int (s, ZMQ_IMMEDIATE, 1);
    TEST_ASSERT_EQ_INT (get_int (s, ZMQ_IMMEDIATE), 1);

    int64_t maxmsg = 1024;
    TEST_ASSERT_SUCCESS (zmq_setsockopt (s, ZMQ_MAXMSGSIZE, &maxmsg, sizeof maxmsg));
    maxmsg = 0;
    size_t len = sizeof maxmsg;
    TEST_ASSERT_SUCCESS (zmq_getsockopt (s, ZMQ_MAXMSGSIZE, &maxmsg, &len));
    TEST_ASSERT_EQ_INT (maxmsg, 1024);

    TEST_ASSERT_SUCCESS (zmq_setsockopt (s, ZMQ_ROUTING_ID, "peer-1", 6));
    char id[256];
    len = sizeof id;
    TEST_ASSERT_SUCCESS (zmq_getsockopt (s, ZMQ_ROUTING_ID, id, &len));
    TEST_ASSERT_EQ_INT (len, 6);
    TEST_ASSERT (memcmp (id, "peer-1", 6) == 0);
    TEST_ASSERT_SUCCESS (zmq_close (s));
}

static void test_einval_rules (void *ctx)
{
    void *s = zmq_socket (ctx, ZMQ_PUSH);
    TEST_ASSERT (s != NULL);
    int v = 1;
    /*  Unknown option.  */
    TEST_ASSERT_FAILURE (zmq_setsockopt (s, 9999, &v, sizeof v), EINVAL);
    size_t len = sizeof v;
    TEST_ASSERT_FAILURE (zmq_getsockopt (s, 9999, &v, &len), EINVAL);
    /*  Wrong option size.  */
    TEST_ASSERT_FAILURE (zmq_setsockopt (s, ZMQ_SNDHWM, &v, 2), EINVAL);
    TEST_ASSERT_FAILURE (zmq_setsockopt (s, ZMQ_LINGER, &v, sizeof v + 1), EINVAL);
    int64_t big = 1;
    TEST_ASSERT_FAILURE (zmq_setsockopt (s, ZMQ_MAXMSGSIZE, &big, sizeof (int)), EINVAL);
    /*  Value out of range.  */
    v = -1;
    TEST_ASSERT_FAILURE (zmq_setsockopt (s, ZMQ_SNDHWM, &v, sizeof v), EINVAL);
    v = -2;
    TEST_ASSERT_FAILURE (zmq_setsockopt (s, ZMQ_LINGER, &v, sizeof v), EINVAL);
    v = -1; /* -1 means "never reconnect" */
    TEST_ASSERT_SUCCESS (zmq_setsockopt (s, ZMQ_RECONNECT_IVL, &v, sizeof v));
    v = -2;
    TEST_ASSERT_FAILURE (zmq_setsockopt (s, ZMQ_RECONNECT_IVL, &v, sizeof v), EINVAL);
    v = 2;
    TEST_ASSERT_FAILURE (zmq_setsockopt (s, ZMQ_IMMEDIATE, &v, sizeof v), EINVAL);
    /*  Routing id: 1..255 bytes, not starting with a zero byte.  */
    TEST_ASSERT_FAILURE (zmq_setsockopt (s, ZMQ_ROUTING_ID, "", 0), EINVAL);
    char long_id[256];
    memset (long_id, 'i', sizeof long_id);
    TEST_ASSERT_FAILURE (zmq_setsockopt (s, ZMQ_ROUTING_ID, long_id, 256), EINVAL);
    TEST_ASSERT_SUCCESS (zmq_setsockopt (s, ZMQ_ROUTING_ID, long_id, 255));
    /*  Output buffer too small for an int option.  */
    len = 2;
    TEST_ASSERT_FAILURE (zmq_getsockopt (s, ZMQ_SNDHWM, &v, &len), EINVAL);
    /*  Subscriptions only on SUB/XSUB.  */
    TEST_ASSERT_FAILURE (zmq_setsockopt (s, ZMQ_SUBSCRIBE, "", 0), EINVAL);
    /*  Read-only options cannot be set.  */
    v = 1;
    TEST_ASSERT_FAILURE (zmq_setsockopt (s, ZMQ_TYPE, &v, sizeof v), EINVAL);
    TEST_ASSERT_FAILURE (zmq_setsockopt (s, ZMQ_RCVMORE, &v, sizeof v), EINVAL);
    TEST_ASSERT_SUCCESS (zmq_close (s));

    void *sub = zmq_socket (ctx, ZMQ_SUB);
    TEST_ASSERT (sub != NULL);
    TEST_ASSERT_SUCCESS (zmq_setsockopt (sub, ZMQ_SUBSCRIBE, "", 0));
    TEST_ASSERT_SUCCESS (zmq_setsockopt (sub, ZMQ_SUBSCRIBE, "topic", 5));
    TEST_ASSERT_SUCCESS (zmq_setsockopt (sub, ZMQ_UNSUBSCRIBE, "topic", 5));
    TEST_ASSERT_SUCCESS (zmq_close (sub));
}

static void test_last_endpoint (void *ctx)
{
    void *s = zmq_socket (ctx, ZMQ_PULL);
    TEST_ASSERT (s != NULL);
    char endpoint[256];
    tu_bind_loopback (s, endpoint, sizeof endpoint);
    TEST_ASSERT (strlen (endpoint) > strlen ("tcp://127.0.0.1:"));
    set_int (s, ZMQ_LINGER, 0);
    TEST_ASSERT_SUCCESS (zmq_close (s));
}

int main (void)
{
    tu_begin ("test_sockopt");
    void *ctx = zmq_ctx_new ();
    TEST_ASSERT (ctx != NULL);
    test_create_close (ctx);
    test_defaults (ctx);
    test_set_then_get (ctx);
    test_einval_rules (ctx);
    test_last_endpoint (ctx);
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
    return tu_end ();
}
