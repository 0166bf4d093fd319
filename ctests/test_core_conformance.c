/*  ctests/test_core_conformance.c: core behaviours that libzmq 4.3.5's own
    test-suite checks (inproc connect/bind ordering, inproc disconnect,
    context shutdown and options, many sockets, shutdown under load,
    linger, large messages, message init/free/flags, single-socket proxy,
    timers corner cases, and for the DRAFT build: ppoll, thread-safe and
    draft socket types' error paths), written from scratch for libzmq-rs.

    Each scenario states what it checks; it must pass on our library and
    (stable part) on Debian's libzmq 4.3.4.  C99, <zmq.h> + testutil.h.  */

#include "testutil.h"

#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

static void send_str (void *s, const char *text, int flags)
{
    int n = (int) strlen (text);
    TEST_ASSERT_EQ_INT (zmq_send (s, text, (size_t) n, flags), n);
}

static void recv_str (void *s, const char *want)
{
    char buf[256];
    int n = zmq_recv (s, buf, sizeof buf - 1, 0);
    TEST_ASSERT_MSG (n >= 0, "recv of \"%s\" failed: %s", want,
                     zmq_strerror (zmq_errno ()));
    buf[n < (int) sizeof buf - 1 ? n : (int) sizeof buf - 1] = '\0';
    TEST_ASSERT_EQ_STR (buf, want);
}

static void set_int (void *s, int opt, int value)
{
    TEST_ASSERT_SUCCESS (zmq_setsockopt (s, opt, &value, sizeof value));
}

static int get_int (void *s, int opt)
{
    int value = -12345;
    size_t len = sizeof value;
    TEST_ASSERT_SUCCESS (zmq_getsockopt (s, opt, &value, &len));
    return value;
}

static long long now_ms (void)
{
    struct timespec ts;
    clock_gettime (CLOCK_MONOTONIC, &ts);
    return (long long) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- test_inproc_connect --------------------------------------------- */

/*  PAIR: a message sent by the connecter before the bind is delivered once
    the bind happens; bind-then-connect works too.  */
static void inproc_pair_orders (void)
{
    void *ctx = zmq_ctx_new ();
    for (int bind_first = 0; bind_first < 2; bind_first++) {
        void *b = zmq_socket (ctx, ZMQ_PAIR);
        void *c = zmq_socket (ctx, ZMQ_PAIR);
        /*  (a closed socket's inproc name is released asynchronously in
            libzmq, so each round uses its own name)  */
        const char *ep = bind_first ? "inproc://bbc" : "inproc://cbb";
        if (bind_first)
            TEST_ASSERT_SUCCESS (zmq_bind (b, ep));
        TEST_ASSERT_SUCCESS (zmq_connect (c, ep));
        TEST_ASSERT_EQ_INT (zmq_send_const (c, "foobar", 6, 0), 6);
        if (!bind_first)
            TEST_ASSERT_SUCCESS (zmq_bind (b, ep));
        recv_str (b, "foobar");
        /*  and the other way round  */
        send_str (b, "back", 0);
        recv_str (c, "back");
        TEST_ASSERT_SUCCESS (zmq_close (c));
        TEST_ASSERT_SUCCESS (zmq_close (b));
    }
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

/*  PUB connects before SUB binds: a message published before the bind is
    dropped (no subscription known yet); one published after the
    subscription arrived is delivered.  */
static void inproc_pub_before_sub_bind (void)
{
    void *ctx = zmq_ctx_new ();
    void *pub = zmq_socket (ctx, ZMQ_PUB);
    TEST_ASSERT_SUCCESS (zmq_connect (pub, "inproc://cbbps"));
    TEST_ASSERT_EQ_INT (zmq_send_const (pub, "before", 6, 0), 6);
    void *sub = zmq_socket (ctx, ZMQ_SUB);
    TEST_ASSERT_SUCCESS (zmq_setsockopt (sub, ZMQ_SUBSCRIBE, "", 0));
    TEST_ASSERT_SUCCESS (zmq_bind (sub, "inproc://cbbps"));
    set_int (sub, ZMQ_RCVTIMEO, 50);
    /*  publish until the subscription has reached the PUB  */
    char buf[16];
    int n = -1;
    for (int i = 0; i < 100 && n < 0; i++) {
        TEST_ASSERT_EQ_INT (zmq_send_const (pub, "after", 5, 0), 5);
        n = zmq_recv (sub, buf, sizeof buf, 0);
    }
    TEST_ASSERT_EQ_INT (n, 5);
    TEST_ASSERT (memcmp (buf, "after", 5) == 0);
    TEST_ASSERT_SUCCESS (zmq_close (pub));
    TEST_ASSERT_SUCCESS (zmq_close (sub));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

/*  Ten PUSH sockets connect and queue a message each before the PULL
    binds: all ten are delivered.  */
static void inproc_multiple_connects (void)
{
    void *ctx = zmq_ctx_new ();
    void *push[10];
    for (int i = 0; i < 10; i++) {
        push[i] = zmq_socket (ctx, ZMQ_PUSH);
        TEST_ASSERT_SUCCESS (zmq_connect (push[i], "inproc://multiple"));
        TEST_ASSERT_EQ_INT (zmq_send_const (push[i], "foobar", 6, 0), 6);
    }
    void *pull = zmq_socket (ctx, ZMQ_PULL);
    TEST_ASSERT_SUCCESS (zmq_bind (pull, "inproc://multiple"));
    for (int i = 0; i < 10; i++)
        recv_str (pull, "foobar");
    for (int i = 0; i < 10; i++)
        TEST_ASSERT_SUCCESS (zmq_close (push[i]));
    TEST_ASSERT_SUCCESS (zmq_close (pull));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

/*  Thirty threads each connect a PAIR, queue a message and CLOSE the socket
    before anybody binds: linger keeps the messages, and all thirty arrive
    at a PULL bound afterwards.  */
static void pusher (void *ctx)
{
    void *s = zmq_socket (ctx, ZMQ_PAIR);
    TEST_ASSERT (s);
    TEST_ASSERT_SUCCESS (zmq_connect (s, "inproc://sink"));
    TEST_ASSERT_EQ_INT (zmq_send_const (s, "foobar", 6, 0), 6);
    TEST_ASSERT_SUCCESS (zmq_close (s));
}

static void inproc_threads_close_before_bind (void)
{
    void *ctx = zmq_ctx_new ();
    void *threads[30];
    for (int i = 0; i < 30; i++)
        threads[i] = zmq_threadstart (pusher, ctx);
    void *pull = zmq_socket (ctx, ZMQ_PULL);
    TEST_ASSERT_SUCCESS (zmq_bind (pull, "inproc://sink"));
    set_int (pull, ZMQ_RCVTIMEO, 5000);
    for (int i = 0; i < 30; i++)
        recv_str (pull, "foobar");
    for (int i = 0; i < 30; i++)
        zmq_threadclose (threads[i]);
    TEST_ASSERT_SUCCESS (zmq_close (pull));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

/*  DEALER connects before ROUTER binds: the ROUTER sees routing id then the
    two body frames with the right MORE flags; with ZMQ_ROUTING_ID set on
    the DEALER before connecting, the ROUTER sees that id.  */
static void inproc_identity (void)
{
    void *ctx = zmq_ctx_new ();
    void *dealer = zmq_socket (ctx, ZMQ_DEALER);
    TEST_ASSERT_SUCCESS (zmq_setsockopt (dealer, ZMQ_ROUTING_ID, "dealer", 6));
    TEST_ASSERT_SUCCESS (zmq_connect (dealer, "inproc://identity"));
    void *router = zmq_socket (ctx, ZMQ_ROUTER);
    TEST_ASSERT_SUCCESS (zmq_bind (router, "inproc://identity"));
    send_str (dealer, "A", ZMQ_SNDMORE);
    send_str (dealer, "B", 0);
    zmq_msg_t msg;
    TEST_ASSERT_SUCCESS (zmq_msg_init (&msg));
    TEST_ASSERT_EQ_INT (zmq_msg_recv (&msg, router, 0), 6);
    TEST_ASSERT (memcmp (zmq_msg_data (&msg), "dealer", 6) == 0);
    TEST_ASSERT_EQ_INT (zmq_msg_more (&msg), 1);
    TEST_ASSERT_EQ_INT (zmq_msg_recv (&msg, router, 0), 1);
    TEST_ASSERT_EQ_INT (zmq_msg_more (&msg), 1);
    TEST_ASSERT_EQ_INT (zmq_msg_recv (&msg, router, 0), 1);
    TEST_ASSERT_EQ_INT (zmq_msg_more (&msg), 0);
    TEST_ASSERT_SUCCESS (zmq_msg_close (&msg));
    TEST_ASSERT_SUCCESS (zmq_close (dealer));
    TEST_ASSERT_SUCCESS (zmq_close (router));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

/*  ROUTER connects before ROUTER binds, both with ZMQ_ROUTING_ID: once the
    bind happened, the connecter addresses the binder by the binder's id
    (libzmq hands it over at the bind) and the binder knows the connecter
    by its id.  */
static void inproc_router_connect_first (void)
{
    void *ctx = zmq_ctx_new ();
    void *binder = zmq_socket (ctx, ZMQ_ROUTER);
    void *connecter = zmq_socket (ctx, ZMQ_ROUTER);
    TEST_ASSERT_SUCCESS (zmq_setsockopt (binder, ZMQ_ROUTING_ID, "R1", 2));
    TEST_ASSERT_SUCCESS (zmq_setsockopt (connecter, ZMQ_ROUTING_ID, "R2", 2));
    set_int (connecter, ZMQ_ROUTER_MANDATORY, 1);
    set_int (binder, ZMQ_RCVTIMEO, 2000);
    set_int (connecter, ZMQ_RCVTIMEO, 2000);
    TEST_ASSERT_SUCCESS (zmq_connect (connecter, "inproc://rr-first"));
    TEST_ASSERT_SUCCESS (zmq_bind (binder, "inproc://rr-first"));
    send_str (connecter, "R1", ZMQ_SNDMORE);
    send_str (connecter, "hello", 0);
    recv_str (binder, "R2");
    recv_str (binder, "hello");
    send_str (binder, "R2", ZMQ_SNDMORE);
    send_str (binder, "back", 0);
    recv_str (connecter, "R1");
    recv_str (connecter, "back");
    TEST_ASSERT_SUCCESS (zmq_close (binder));
    TEST_ASSERT_SUCCESS (zmq_close (connecter));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

/*  A connect to an inproc endpoint nobody ever binds does not block
    zmq_ctx_term; neither does a pending connect on a context shut down.
    Unbinding an inproc endpoint frees the name for a new bind; binding a
    name twice is EADDRINUSE; unbinding a name never bound is ENOENT.  */
static void inproc_connect_only_and_unbind (void)
{
    void *ctx = zmq_ctx_new ();
    void *push = zmq_socket (ctx, ZMQ_PUSH);
    TEST_ASSERT_SUCCESS (zmq_connect (push, "inproc://a"));
    TEST_ASSERT_SUCCESS (zmq_close (push));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));

    ctx = zmq_ctx_new ();
    void *a = zmq_socket (ctx, ZMQ_PAIR);
    void *b = zmq_socket (ctx, ZMQ_PAIR);
    TEST_ASSERT_SUCCESS (zmq_bind (a, "inproc://rebind"));
    TEST_ASSERT_FAILURE (zmq_bind (b, "inproc://rebind"), EADDRINUSE);
    TEST_ASSERT_SUCCESS (zmq_unbind (a, "inproc://rebind"));
    TEST_ASSERT_FAILURE (zmq_unbind (a, "inproc://rebind"), ENOENT);
    TEST_ASSERT_SUCCESS (zmq_bind (b, "inproc://rebind"));
    void *c = zmq_socket (ctx, ZMQ_PAIR);
    TEST_ASSERT_SUCCESS (zmq_connect (c, "inproc://rebind"));
    send_str (c, "to-b", 0);
    recv_str (b, "to-b");
    TEST_ASSERT_SUCCESS (zmq_close (a));
    TEST_ASSERT_SUCCESS (zmq_close (b));
    TEST_ASSERT_SUCCESS (zmq_close (c));

    /*  pending connect, then shutdown: term returns once closed  */
    void *pend = zmq_socket (ctx, ZMQ_PUSH);
    TEST_ASSERT_SUCCESS (zmq_connect (pend, "inproc://never"));
    TEST_ASSERT_EQ_INT (zmq_send_const (pend, "x", 1, ZMQ_DONTWAIT), 1);
    TEST_ASSERT_SUCCESS (zmq_ctx_shutdown (ctx));
    TEST_ASSERT_SUCCESS (zmq_close (pend));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

/* ---- test_disconnect_inproc ------------------------------------------ */

/*  XPUB bound on inproc, SUB subscribed to "foo" connects: the XPUB reads
    "\1foo"; publications arrive; after zmq_disconnect of the SUB the XPUB
    reads the unsubscription "\0foo" and the SUB gets nothing more.  */
static void disconnect_inproc (void)
{
    void *ctx = zmq_ctx_new ();
    void *xpub = zmq_socket (ctx, ZMQ_XPUB);
    void *sub = zmq_socket (ctx, ZMQ_SUB);
    TEST_ASSERT_SUCCESS (zmq_setsockopt (sub, ZMQ_SUBSCRIBE, "foo", 3));
    TEST_ASSERT_SUCCESS (zmq_bind (xpub, "inproc://someInProcDescriptor"));
    set_int (xpub, ZMQ_RCVTIMEO, 2000);
    set_int (sub, ZMQ_RCVTIMEO, 2000);
    TEST_ASSERT_SUCCESS (zmq_connect (sub, "inproc://someInProcDescriptor"));
    char buf[16];
    TEST_ASSERT_EQ_INT (zmq_recv (xpub, buf, sizeof buf, 0), 4);
    TEST_ASSERT (memcmp (buf, "\1foo", 4) == 0);
    for (int i = 0; i < 3; i++) {
        send_str (xpub, "foo", ZMQ_SNDMORE);
        send_str (xpub, "this is foo!", 0);
        recv_str (sub, "foo");
        TEST_ASSERT_EQ_INT (get_int (sub, ZMQ_RCVMORE), 1);
        recv_str (sub, "this is foo!");
    }
    TEST_ASSERT_SUCCESS (zmq_disconnect (sub, "inproc://someInProcDescriptor"));
    /*  the pipe's termination handshake needs both sockets to process
        commands, as the libzmq test's poll loop on both does  */
    set_int (xpub, ZMQ_RCVTIMEO, 20);
    int n = -1;
    for (int i = 0; i < 200 && n < 0; i++) {
        zmq_pollitem_t items[] = {{sub, 0, ZMQ_POLLIN, 0},
                                  {xpub, 0, ZMQ_POLLIN, 0}};
        TEST_ASSERT (zmq_poll (items, 2, 10) >= 0);
        TEST_ASSERT_EQ_INT (items[0].revents, 0);
        n = zmq_recv (xpub, buf, sizeof buf, 0);
    }
    TEST_ASSERT_EQ_INT (n, 4);
    TEST_ASSERT (memcmp (buf, "\0foo", 4) == 0);
    send_str (xpub, "foo", ZMQ_SNDMORE);
    send_str (xpub, "late", 0);
    set_int (sub, ZMQ_RCVTIMEO, 100);
    TEST_ASSERT_FAILURE (zmq_recv (sub, buf, sizeof buf, 0), EAGAIN);
    /*  disconnecting again: the endpoint is no longer connected  */
    TEST_ASSERT_FAILURE (zmq_disconnect (sub, "inproc://someInProcDescriptor"),
                         ENOENT);
    TEST_ASSERT_SUCCESS (zmq_close (xpub));
    TEST_ASSERT_SUCCESS (zmq_close (sub));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

/* ---- zmq_unbind / zmq_disconnect are one operation ------------------- */

/*  libzmq implements zmq_unbind and zmq_disconnect with the same code:
    either removes whatever bind or connect the endpoint names.  Over tcp:
    unbind of a connected endpoint drops the connection, disconnect of a
    bound one closes the listener (the port can be bound again).  Over
    inproc: disconnect of the socket's own bind releases the name; two
    connects to one name go together; unbind of a connect drops it.  */
static void unbind_disconnect_same (void)
{
    void *ctx = zmq_ctx_new ();
    void *pull = zmq_socket (ctx, ZMQ_PULL);
    void *push = zmq_socket (ctx, ZMQ_PUSH);
    set_int (pull, ZMQ_RCVTIMEO, 2000);
    char ep[256];
    tu_bind_loopback (pull, ep, sizeof ep);
    TEST_ASSERT_SUCCESS (zmq_connect (push, ep));
    send_str (push, "one", 0);
    recv_str (pull, "one");
    TEST_ASSERT_SUCCESS (zmq_unbind (push, ep));
    TEST_ASSERT_FAILURE (zmq_unbind (push, ep), ENOENT);
    TEST_ASSERT_FAILURE (zmq_disconnect (push, ep), ENOENT);
    TEST_ASSERT_FAILURE (zmq_send (push, "x", 1, ZMQ_DONTWAIT), EAGAIN);
    TEST_ASSERT_SUCCESS (zmq_disconnect (pull, ep));
    TEST_ASSERT_FAILURE (zmq_disconnect (pull, ep), ENOENT);
    TEST_ASSERT_FAILURE (zmq_unbind (pull, ep), ENOENT);
    /*  the listener is gone: another socket can take the port  */
    void *other = zmq_socket (ctx, ZMQ_PULL);
    int rc = -1;
    for (int i = 0; i < 200 && rc != 0; i++) {
        rc = zmq_bind (other, ep);
        if (rc != 0) {
            TEST_ASSERT_EQ_INT (zmq_errno (), EADDRINUSE);
            usleep (5000);
        }
    }
    TEST_ASSERT_EQ_INT (rc, 0);
    TEST_ASSERT_SUCCESS (zmq_close (other));

    TEST_ASSERT_SUCCESS (zmq_bind (pull, "inproc://same-op"));
    TEST_ASSERT_SUCCESS (zmq_connect (push, "inproc://same-op"));
    TEST_ASSERT_SUCCESS (zmq_connect (push, "inproc://same-op"));
    send_str (push, "two", 0);
    recv_str (pull, "two");
    TEST_ASSERT_SUCCESS (zmq_disconnect (push, "inproc://same-op"));
    TEST_ASSERT_FAILURE (zmq_disconnect (push, "inproc://same-op"), ENOENT);
    TEST_ASSERT_FAILURE (zmq_send (push, "x", 1, ZMQ_DONTWAIT), EAGAIN);
    TEST_ASSERT_SUCCESS (zmq_connect (push, "inproc://same-op"));
    send_str (push, "three", 0);
    recv_str (pull, "three");
    TEST_ASSERT_SUCCESS (zmq_unbind (push, "inproc://same-op"));
    TEST_ASSERT_FAILURE (zmq_unbind (push, "inproc://same-op"), ENOENT);
    TEST_ASSERT_FAILURE (zmq_send (push, "x", 1, ZMQ_DONTWAIT), EAGAIN);
    TEST_ASSERT_SUCCESS (zmq_disconnect (pull, "inproc://same-op"));
    TEST_ASSERT_FAILURE (zmq_unbind (pull, "inproc://same-op"), ENOENT);
    other = zmq_socket (ctx, ZMQ_PULL);
    TEST_ASSERT_SUCCESS (zmq_bind (other, "inproc://same-op"));
    TEST_ASSERT_SUCCESS (zmq_close (other));
    TEST_ASSERT_SUCCESS (zmq_close (push));
    TEST_ASSERT_SUCCESS (zmq_close (pull));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

/* ---- test_ctx_destroy / test_ctx_options ------------------------------ */

static void blocked_receiver (void *s)
{
    char buf[16];
    TEST_ASSERT_FAILURE (zmq_recv (s, buf, sizeof buf, 0), ETERM);
}

/*  zmq_ctx_shutdown wakes a thread blocked in recv with ETERM; afterwards
    zmq_socket fails with ETERM (also when no socket was ever opened);
    destroy/term/shutdown of NULL are EFAULT.  */
static void ctx_destroy_cases (void)
{
    void *ctx = zmq_ctx_new ();
    void *s = zmq_socket (ctx, ZMQ_PULL);
    TEST_ASSERT_SUCCESS (zmq_close (s));
    TEST_ASSERT_SUCCESS (zmq_ctx_destroy (ctx));

    ctx = zmq_ctx_new ();
    s = zmq_socket (ctx, ZMQ_PULL);
    void *t = zmq_threadstart (blocked_receiver, s);
    usleep (50 * 1000); /* let it block; shutdown must work either way */
    TEST_ASSERT_SUCCESS (zmq_ctx_shutdown (ctx));
    zmq_threadclose (t);
    /*  once the socket saw the shutdown, every option is ETERM, ZMQ_FD
        too, and zmq_poll on it fails with ETERM  */
    int fd;
    size_t fdlen = sizeof fd;
    TEST_ASSERT_FAILURE (zmq_getsockopt (s, ZMQ_FD, &fd, &fdlen), ETERM);
    TEST_ASSERT_FAILURE (zmq_getsockopt (s, ZMQ_EVENTS, &fd, &fdlen), ETERM);
    zmq_pollitem_t item = {s, 0, ZMQ_POLLIN, 0};
    TEST_ASSERT_FAILURE (zmq_poll (&item, 1, 0), ETERM);
    TEST_ASSERT_SUCCESS (zmq_close (s));
    TEST_ASSERT_NULL_ERRNO (zmq_socket (ctx, ZMQ_PULL), ETERM);
    TEST_ASSERT_SUCCESS (zmq_ctx_destroy (ctx));

    ctx = zmq_ctx_new ();
    TEST_ASSERT_SUCCESS (zmq_ctx_shutdown (ctx));
    TEST_ASSERT_NULL_ERRNO (zmq_socket (ctx, ZMQ_PULL), ETERM);
    /*  shutting down twice is harmless  */
    TEST_ASSERT_SUCCESS (zmq_ctx_shutdown (ctx));
    TEST_ASSERT_SUCCESS (zmq_ctx_destroy (ctx));

    TEST_ASSERT_FAILURE (zmq_ctx_term (NULL), EFAULT);
    TEST_ASSERT_FAILURE (zmq_term (NULL), EFAULT);
    TEST_ASSERT_FAILURE (zmq_ctx_shutdown (NULL), EFAULT);
    TEST_ASSERT_FAILURE (zmq_ctx_destroy (NULL), EFAULT);
}

static void ctx_option_cases (void)
{
    void *ctx = zmq_ctx_new ();
    TEST_ASSERT_EQ_INT (zmq_ctx_get (ctx, ZMQ_MAX_SOCKETS), ZMQ_MAX_SOCKETS_DFLT);
    TEST_ASSERT_EQ_INT (zmq_ctx_get (ctx, ZMQ_SOCKET_LIMIT), 65535);
    TEST_ASSERT_EQ_INT (zmq_ctx_get (ctx, ZMQ_IO_THREADS), ZMQ_IO_THREADS_DFLT);
    TEST_ASSERT_EQ_INT (zmq_ctx_get (ctx, ZMQ_IPV6), 0);
#ifdef ZMQ_BUILD_DRAFT_API
    TEST_ASSERT_EQ_INT (zmq_ctx_get (ctx, ZMQ_MSG_T_SIZE), sizeof (zmq_msg_t));
    TEST_ASSERT_EQ_INT (zmq_ctx_get (ctx, ZMQ_ZERO_COPY_RECV), 1);
#endif
    TEST_ASSERT_SUCCESS (zmq_ctx_set (ctx, ZMQ_IPV6, 1));
    TEST_ASSERT_EQ_INT (zmq_ctx_get (ctx, ZMQ_IPV6), 1);

    /*  the "default" values are not accepted by set  */
    TEST_ASSERT_FAILURE (zmq_ctx_set (ctx, ZMQ_THREAD_SCHED_POLICY,
                                      ZMQ_THREAD_SCHED_POLICY_DFLT),
                         EINVAL);
    TEST_ASSERT_FAILURE (
      zmq_ctx_set (ctx, ZMQ_THREAD_PRIORITY, ZMQ_THREAD_PRIORITY_DFLT), EINVAL);
    TEST_ASSERT_SUCCESS (zmq_ctx_set (ctx, ZMQ_THREAD_SCHED_POLICY, SCHED_OTHER));
    TEST_ASSERT_EQ_INT (zmq_ctx_get (ctx, ZMQ_THREAD_SCHED_POLICY), SCHED_OTHER);
    TEST_ASSERT_SUCCESS (zmq_ctx_set (ctx, ZMQ_THREAD_AFFINITY_CPU_ADD, 0));
    TEST_ASSERT_SUCCESS (zmq_ctx_set (ctx, ZMQ_THREAD_AFFINITY_CPU_ADD, 1));
    TEST_ASSERT_SUCCESS (zmq_ctx_set (ctx, ZMQ_THREAD_AFFINITY_CPU_REMOVE, 1));
    TEST_ASSERT_SUCCESS (zmq_ctx_set (ctx, ZMQ_THREAD_NAME_PREFIX, 1234));
    TEST_ASSERT_EQ_INT (zmq_ctx_get (ctx, ZMQ_THREAD_NAME_PREFIX), 1234);

#ifdef ZMQ_BUILD_DRAFT_API
    /*  ZERO_COPY_RECV off still delivers small and large tcp messages  */
    TEST_ASSERT_SUCCESS (zmq_ctx_set (ctx, ZMQ_ZERO_COPY_RECV, 0));
    TEST_ASSERT_EQ_INT (zmq_ctx_get (ctx, ZMQ_ZERO_COPY_RECV), 0);
    {
        char ep[256];
        void *pull = zmq_socket (ctx, ZMQ_PULL);
        /*  (IPV6 is on: the endpoint reads tcp://[::ffff:127.0.0.1]:port)  */
        TEST_ASSERT_SUCCESS (zmq_bind (pull, "tcp://127.0.0.1:*"));
        size_t eplen = sizeof ep;
        TEST_ASSERT_SUCCESS (zmq_getsockopt (pull, ZMQ_LAST_ENDPOINT, ep, &eplen));
        TEST_ASSERT (strncmp (ep, "tcp://[::ffff:127.0.0.1]:", 25) == 0);
        void *push = zmq_socket (ctx, ZMQ_PUSH);
        TEST_ASSERT_SUCCESS (zmq_connect (push, ep));
        const char *large = "0123456789012345678901234567890123456789";
        send_str (push, "abcd", 0);
        send_str (push, large, 0);
        recv_str (pull, "abcd");
        recv_str (pull, large);
        TEST_ASSERT_SUCCESS (zmq_close (push));
        TEST_ASSERT_SUCCESS (zmq_close (pull));
    }
    TEST_ASSERT_SUCCESS (zmq_ctx_set (ctx, ZMQ_ZERO_COPY_RECV, 1));
#endif

    /*  sockets inherit IPV6 from the context; default linger is -1  */
    void *router = zmq_socket (ctx, ZMQ_ROUTER);
    TEST_ASSERT_EQ_INT (get_int (router, ZMQ_IPV6), 1);
    TEST_ASSERT_EQ_INT (get_int (router, ZMQ_LINGER), -1);
    TEST_ASSERT_SUCCESS (zmq_close (router));

    /*  BLOCKY off: new sockets default to linger 0  */
    TEST_ASSERT_SUCCESS (zmq_ctx_set (ctx, ZMQ_BLOCKY, 0));
    TEST_ASSERT_EQ_INT (zmq_ctx_get (ctx, ZMQ_BLOCKY), 0);
    router = zmq_socket (ctx, ZMQ_ROUTER);
    TEST_ASSERT_EQ_INT (get_int (router, ZMQ_LINGER), 0);
    TEST_ASSERT_SUCCESS (zmq_close (router));

    /*  unknown options  */
    TEST_ASSERT_FAILURE (zmq_ctx_get (ctx, 12345), EINVAL);
    TEST_ASSERT_FAILURE (zmq_ctx_set (ctx, 12345, 1), EINVAL);
    TEST_ASSERT_FAILURE (zmq_ctx_set (ctx, ZMQ_MAX_SOCKETS, -1), EINVAL);
    TEST_ASSERT_FAILURE (zmq_ctx_set (ctx, ZMQ_MAX_SOCKETS, 0), EINVAL);
    /*  above ZMQ_SOCKET_LIMIT is accepted (epoll has no fd ceiling)  */
    TEST_ASSERT_SUCCESS (zmq_ctx_set (ctx, ZMQ_MAX_SOCKETS, 100000));
    TEST_ASSERT_EQ_INT (zmq_ctx_get (ctx, ZMQ_MAX_SOCKETS), 100000);
    /*  any int is a name prefix, negative ones too  */
    TEST_ASSERT_SUCCESS (zmq_ctx_set (ctx, ZMQ_THREAD_NAME_PREFIX, -1));
    TEST_ASSERT_EQ_INT (zmq_ctx_get (ctx, ZMQ_THREAD_NAME_PREFIX), -1);
    TEST_ASSERT_FAILURE (zmq_ctx_set (ctx, ZMQ_IO_THREADS, -1), EINVAL);
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

/* ---- test_many_sockets ------------------------------------------------ */

/*  With ZMQ_MAX_SOCKETS lowered, exactly that many sockets can be open (each
    bound to tcp), the next zmq_socket is EMFILE, and closing one frees a
    slot.  */
static void many_sockets (void)
{
    void *ctx = zmq_ctx_new ();
    TEST_ASSERT_SUCCESS (zmq_ctx_set (ctx, ZMQ_MAX_SOCKETS, 64));
    void *s[64];
    char ep[256];
    for (int i = 0; i < 64; i++) {
        s[i] = zmq_socket (ctx, ZMQ_PAIR);
        TEST_ASSERT (s[i]);
        tu_bind_loopback (s[i], ep, sizeof ep);
    }
    TEST_ASSERT_NULL_ERRNO (zmq_socket (ctx, ZMQ_PAIR), EMFILE);
    TEST_ASSERT_SUCCESS (zmq_close (s[0]));
    /*  libzmq frees the slot when its reaper has destroyed the socket  */
    s[0] = NULL;
    for (int i = 0; i < 200 && !s[0]; i++) {
        s[0] = zmq_socket (ctx, ZMQ_PAIR);
        if (!s[0]) {
            TEST_ASSERT_EQ_INT (zmq_errno (), EMFILE);
            usleep (5000);
        }
    }
    TEST_ASSERT (s[0]);
    for (int i = 0; i < 64; i++)
        TEST_ASSERT_SUCCESS (zmq_close (s[i]));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));

    /*  the limit is fixed when the first socket is made: a later
        zmq_ctx_set changes what zmq_ctx_get says, not the limit  */
    ctx = zmq_ctx_new ();
    TEST_ASSERT_SUCCESS (zmq_ctx_set (ctx, ZMQ_MAX_SOCKETS, 3));
    s[0] = zmq_socket (ctx, ZMQ_PAIR);
    TEST_ASSERT (s[0]);
    TEST_ASSERT_SUCCESS (zmq_ctx_set (ctx, ZMQ_MAX_SOCKETS, 6));
    TEST_ASSERT_EQ_INT (zmq_ctx_get (ctx, ZMQ_MAX_SOCKETS), 6);
    s[1] = zmq_socket (ctx, ZMQ_PAIR);
    s[2] = zmq_socket (ctx, ZMQ_PAIR);
    TEST_ASSERT (s[1] && s[2]);
    TEST_ASSERT_NULL_ERRNO (zmq_socket (ctx, ZMQ_PAIR), EMFILE);
    TEST_ASSERT_SUCCESS (zmq_ctx_set (ctx, ZMQ_MAX_SOCKETS, 1));
    for (int i = 0; i < 3; i++)
        TEST_ASSERT_SUCCESS (zmq_close (s[i]));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
    ctx = zmq_ctx_new ();
    s[0] = zmq_socket (ctx, ZMQ_PAIR);
    TEST_ASSERT_SUCCESS (zmq_ctx_set (ctx, ZMQ_MAX_SOCKETS, 2));
    for (int i = 1; i < 5; i++) {
        s[i] = zmq_socket (ctx, ZMQ_PAIR);
        TEST_ASSERT (s[i]);
    }
    for (int i = 0; i < 5; i++)
        TEST_ASSERT_SUCCESS (zmq_close (s[i]));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));

    /*  the default limit allows ZMQ_MAX_SOCKETS_DFLT sockets  */
    ctx = zmq_ctx_new ();
    static void *many[ZMQ_MAX_SOCKETS_DFLT];
    for (int i = 0; i < ZMQ_MAX_SOCKETS_DFLT; i++) {
        many[i] = zmq_socket (ctx, ZMQ_PAIR);
        TEST_ASSERT (many[i]);
    }
    TEST_ASSERT_NULL_ERRNO (zmq_socket (ctx, ZMQ_PAIR), EMFILE);
    for (int i = 0; i < ZMQ_MAX_SOCKETS_DFLT; i++)
        TEST_ASSERT_SUCCESS (zmq_close (many[i]));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

/* ---- test_shutdown_stress --------------------------------------------- */

struct stress_arg
{
    void *ctx;
    const char *ep;
};

static void stress_worker (void *p)
{
    struct stress_arg *a = (struct stress_arg *) p;
    void *s = zmq_socket (a->ctx, ZMQ_SUB);
    TEST_ASSERT (s);
    TEST_ASSERT_SUCCESS (zmq_connect (s, a->ep));
    TEST_ASSERT_SUCCESS (zmq_close (s));
}

/*  Threads connect SUB sockets to a PUB and close them at once while the
    main thread closes the PUB and terminates: no hang, no crash.  */
static void shutdown_stress (void)
{
    for (int round = 0; round < 10; round++) {
        void *ctx = zmq_ctx_new ();
        void *pub = zmq_socket (ctx, ZMQ_PUB);
        char ep[256];
        tu_bind_loopback (pub, ep, sizeof ep);
        struct stress_arg arg = {ctx, ep};
        void *threads[20];
        for (int i = 0; i < 20; i++)
            threads[i] = zmq_threadstart (stress_worker, &arg);
        for (int i = 0; i < 20; i++)
            zmq_threadclose (threads[i]);
        TEST_ASSERT_SUCCESS (zmq_close (pub));
        TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
    }
}

/* ---- linger ------------------------------------------------------------ */

/*  Messages queued toward a tcp peer that never appears: with linger 0 the
    term is immediate; with linger 200 ms it waits about that long.  */
static void linger_unreachable (void)
{
    for (int linger = 0; linger <= 200; linger += 200) {
        /*  a port nobody listens on: bind, read the port, close  */
        int port = 0;
        int fd = tu_loopback_fd (SOCK_STREAM, &port);
        close (fd);
        char ep[64];
        snprintf (ep, sizeof ep, "tcp://127.0.0.1:%d", port);
        void *ctx = zmq_ctx_new ();
        void *push = zmq_socket (ctx, ZMQ_PUSH);
        set_int (push, ZMQ_LINGER, linger);
        TEST_ASSERT_SUCCESS (zmq_connect (push, ep));
        TEST_ASSERT_EQ_INT (zmq_send (push, "pending", 7, ZMQ_DONTWAIT), 7);
        TEST_ASSERT_SUCCESS (zmq_close (push));
        long long t0 = now_ms ();
        TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
        long long took = now_ms () - t0;
        TEST_ASSERT_MSG (took >= linger - 20 && took < linger + 1500,
                         "linger %d: term took %lld ms", linger, took);
    }
}

/* ---- test_hwm ---------------------------------------------------------- */

#define MAX_SENDS 10000

/*  Messages a PUSH queues (DONTWAIT, until EAGAIN or MAX_SENDS) toward a
    PULL with the given HWMs over inproc; all of them are then received,
    and one more can be sent.  */
static int hwm_count (int sndhwm, int rcvhwm, int bind_first, const char *ep)
{
    void *ctx = zmq_ctx_new ();
    void *push = zmq_socket (ctx, ZMQ_PUSH);
    void *pull = zmq_socket (ctx, ZMQ_PULL);
    set_int (push, ZMQ_SNDHWM, sndhwm);
    set_int (pull, ZMQ_RCVHWM, rcvhwm);
    if (bind_first) {
        TEST_ASSERT_SUCCESS (zmq_bind (pull, ep));
        TEST_ASSERT_SUCCESS (zmq_connect (push, ep));
    } else {
        TEST_ASSERT_SUCCESS (zmq_connect (push, ep));
        TEST_ASSERT_SUCCESS (zmq_bind (pull, ep));
    }
    int sent = 0;
    while (sent < MAX_SENDS && zmq_send (push, NULL, 0, ZMQ_DONTWAIT) == 0)
        sent++;
    int got = 0;
    while (zmq_recv (pull, NULL, 0, ZMQ_DONTWAIT) == 0)
        got++;
    TEST_ASSERT_EQ_INT (got, sent);
    TEST_ASSERT_EQ_INT (zmq_send (push, NULL, 0, 0), 0);
    TEST_ASSERT_EQ_INT (zmq_recv (pull, NULL, 0, 0), 0);
    TEST_ASSERT_SUCCESS (zmq_close (push));
    TEST_ASSERT_SUCCESS (zmq_close (pull));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
    return sent;
}

static void hwm_cases (void)
{
    TEST_ASSERT_EQ_INT (hwm_count (0, 0, 1, "inproc://h1"), MAX_SENDS);
    TEST_ASSERT_EQ_INT (hwm_count (0, 0, 0, "inproc://h2"), MAX_SENDS);
    TEST_ASSERT_EQ_INT (hwm_count (1, 0, 1, "inproc://h3"), MAX_SENDS);
    TEST_ASSERT_EQ_INT (hwm_count (1, 0, 0, "inproc://h4"), MAX_SENDS);
    TEST_ASSERT_EQ_INT (hwm_count (0, 1, 1, "inproc://h5"), MAX_SENDS);
    TEST_ASSERT_EQ_INT (hwm_count (0, 1, 0, "inproc://h6"), MAX_SENDS);
    TEST_ASSERT_EQ_INT (hwm_count (1, 1, 1, "inproc://h7"), 2);
    TEST_ASSERT_EQ_INT (hwm_count (1, 1, 0, "inproc://h8"), 2);

    /*  connect, fill with sndhwm 1 (one message: no peer yet), close, then
        bind: the one queued message is received  */
    void *ctx = zmq_ctx_new ();
    void *push = zmq_socket (ctx, ZMQ_PUSH);
    set_int (push, ZMQ_SNDHWM, 1);
    TEST_ASSERT_SUCCESS (zmq_connect (push, "inproc://h9"));
    int sent = 0;
    while (sent < MAX_SENDS && zmq_send (push, NULL, 0, ZMQ_DONTWAIT) == 0)
        sent++;
    TEST_ASSERT_EQ_INT (sent, 1);
    TEST_ASSERT_SUCCESS (zmq_close (push));
    void *pull = zmq_socket (ctx, ZMQ_PULL);
    set_int (pull, ZMQ_RCVHWM, 0);
    TEST_ASSERT_SUCCESS (zmq_bind (pull, "inproc://h9"));
    int got = 0;
    while (zmq_recv (pull, NULL, 0, ZMQ_DONTWAIT) == 0)
        got++;
    TEST_ASSERT_EQ_INT (got, 1);
    TEST_ASSERT_SUCCESS (zmq_close (pull));

    /*  a bound PUSH with no peer cannot queue anything  */
    push = zmq_socket (ctx, ZMQ_PUSH);
    set_int (push, ZMQ_SNDHWM, 1);
    TEST_ASSERT_SUCCESS (zmq_bind (push, "inproc://h10"));
    TEST_ASSERT_FAILURE (zmq_send (push, NULL, 0, ZMQ_DONTWAIT), EAGAIN);
    TEST_ASSERT_SUCCESS (zmq_close (push));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

/* ---- test_heartbeats: the peer's TTL ---------------------------------- */

/*  Next monitor event number (DONTWAIT polling up to `ms`), or -1.  */
static int next_event (void *mon, int ms)
{
    set_int (mon, ZMQ_RCVTIMEO, ms);
    zmq_msg_t msg;
    TEST_ASSERT_SUCCESS (zmq_msg_init (&msg));
    if (zmq_msg_recv (&msg, mon, 0) == -1) {
        TEST_ASSERT_SUCCESS (zmq_msg_close (&msg));
        return -1;
    }
    TEST_ASSERT (zmq_msg_more (&msg));
    uint16_t event;
    memcpy (&event, zmq_msg_data (&msg), sizeof event);
    TEST_ASSERT_SUCCESS (zmq_msg_recv (&msg, mon, 0) == -1 ? -1 : 0);
    TEST_ASSERT (!zmq_msg_more (&msg));
    TEST_ASSERT_SUCCESS (zmq_msg_close (&msg));
    return event;
}

/*  A client with HEARTBEAT_TTL 100 ms and HEARTBEAT_IVL 250 ms: its PINGs
    tell the server (which has no heartbeat options) to drop the
    connection when nothing arrives for 100 ms, which happens between two
    PINGs: the server's monitor shows ACCEPTED then DISCONNECTED.  */
static void heartbeat_ttl (int client_type, int server_type)
{
    void *ctx = zmq_ctx_new ();
    void *server = zmq_socket (ctx, server_type);
    set_int (server, ZMQ_LINGER, 0);
    char ep[256];
    tu_bind_loopback (server, ep, sizeof ep);
    TEST_ASSERT_SUCCESS (zmq_socket_monitor (
      server, "inproc://monitor-ttl",
      ZMQ_EVENT_CONNECTED | ZMQ_EVENT_DISCONNECTED | ZMQ_EVENT_ACCEPTED));
    void *mon = zmq_socket (ctx, ZMQ_PAIR);
    TEST_ASSERT_SUCCESS (zmq_connect (mon, "inproc://monitor-ttl"));
    void *client = zmq_socket (ctx, client_type);
    set_int (client, ZMQ_LINGER, 0);
    set_int (client, ZMQ_HEARTBEAT_TTL, 100);
    set_int (client, ZMQ_HEARTBEAT_IVL, 250);
    TEST_ASSERT_SUCCESS (zmq_connect (client, ep));
    TEST_ASSERT_EQ_INT (next_event (mon, 3000), ZMQ_EVENT_ACCEPTED);
    TEST_ASSERT_EQ_INT (next_event (mon, 3000), ZMQ_EVENT_DISCONNECTED);
    TEST_ASSERT_SUCCESS (zmq_close (client));
    TEST_ASSERT_SUCCESS (zmq_close (server));
    TEST_ASSERT_SUCCESS (zmq_close (mon));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

static void heartbeat_ttl_cases (void)
{
    heartbeat_ttl (ZMQ_DEALER, ZMQ_ROUTER);
    heartbeat_ttl (ZMQ_REQ, ZMQ_REP);
    heartbeat_ttl (ZMQ_PULL, ZMQ_PUSH);
    heartbeat_ttl (ZMQ_SUB, ZMQ_PUB);
    heartbeat_ttl (ZMQ_PAIR, ZMQ_PAIR);
}

/* ---- test_large_msg ---------------------------------------------------- */

/*  A multi-megabyte message crosses tcp and inproc intact.  */
static void large_msg (void)
{
    const size_t size = 8 * 1024 * 1024 + 13;
    void *ctx = zmq_ctx_new ();
    for (int tcp = 0; tcp < 2; tcp++) {
        void *pull = zmq_socket (ctx, ZMQ_PULL);
        void *push = zmq_socket (ctx, ZMQ_PUSH);
        char ep[256];
        if (tcp)
            tu_bind_loopback (pull, ep, sizeof ep);
        else {
            strcpy (ep, "inproc://large");
            TEST_ASSERT_SUCCESS (zmq_bind (pull, ep));
        }
        TEST_ASSERT_SUCCESS (zmq_connect (push, ep));
        zmq_msg_t msg;
        TEST_ASSERT_SUCCESS (zmq_msg_init_size (&msg, size));
        unsigned char *d = (unsigned char *) zmq_msg_data (&msg);
        for (size_t i = 0; i < size; i++)
            d[i] = (unsigned char) (i * 7 + 3);
        TEST_ASSERT_EQ_INT (zmq_msg_send (&msg, push, 0), (int) size);
        TEST_ASSERT_SUCCESS (zmq_msg_init (&msg));
        TEST_ASSERT_EQ_INT (zmq_msg_recv (&msg, pull, 0), (int) size);
        d = (unsigned char *) zmq_msg_data (&msg);
        for (size_t i = 0; i < size; i++)
            if (d[i] != (unsigned char) (i * 7 + 3))
                TEST_FAIL_AT (__FILE__, __LINE__, "byte %zu differs", i);
        TEST_ASSERT_SUCCESS (zmq_msg_close (&msg));
        TEST_ASSERT_SUCCESS (zmq_close (push));
        TEST_ASSERT_SUCCESS (zmq_close (pull));
    }
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

/* ---- test_msg_init / test_msg_ffn / test_msg_flags -------------------- */

static int ffn_calls;
static void *ffn_hint_seen;

static void ffn (void *data, void *hint)
{
    (void) data;
    ffn_calls++;
    ffn_hint_seen = hint;
}

static void msg_cases (void)
{
    zmq_msg_t msg;
    TEST_ASSERT_SUCCESS (zmq_msg_init_size (&msg, 6));
    TEST_ASSERT_EQ_INT (zmq_msg_size (&msg), 6);
    memcpy (zmq_msg_data (&msg), "foobar", 6);
    TEST_ASSERT (memcmp (zmq_msg_data (&msg), "foobar", 6) == 0);
    TEST_ASSERT_SUCCESS (zmq_msg_close (&msg));
    TEST_ASSERT_SUCCESS (zmq_msg_init_size (&msg, 0));
    TEST_ASSERT_EQ_INT (zmq_msg_size (&msg), 0);
    TEST_ASSERT_SUCCESS (zmq_msg_close (&msg));
#ifdef ZMQ_BUILD_DRAFT_API
    const char *data = "foobar";
    TEST_ASSERT_SUCCESS (zmq_msg_init_buffer (&msg, data, 6));
    TEST_ASSERT_EQ_INT (zmq_msg_size (&msg), 6);
    TEST_ASSERT (zmq_msg_data (&msg) != (void *) data);
    TEST_ASSERT (memcmp (zmq_msg_data (&msg), data, 6) == 0);
    TEST_ASSERT_SUCCESS (zmq_msg_close (&msg));
    TEST_ASSERT_SUCCESS (zmq_msg_init_buffer (&msg, NULL, 0));
    TEST_ASSERT_EQ_INT (zmq_msg_size (&msg), 0);
    TEST_ASSERT_SUCCESS (zmq_msg_close (&msg));
#endif

    /*  constant data (no free function) counts as shared  */
    TEST_ASSERT_SUCCESS (zmq_msg_init_data (&msg, (void *) "TEST", 5, NULL, NULL));
    TEST_ASSERT_EQ_INT (zmq_msg_get (&msg, ZMQ_SHARED), 1);
    TEST_ASSERT_SUCCESS (zmq_msg_close (&msg));

    /*  the free function runs exactly once, after the receiver closed the
        message, on inproc and on tcp, with its hint; also through a copy  */
    void *ctx = zmq_ctx_new ();
    static char payload[255];
    memset (payload, 'x', sizeof payload);
    for (int tcp = 0; tcp < 2; tcp++) {
        void *router = zmq_socket (ctx, ZMQ_ROUTER);
        void *dealer = zmq_socket (ctx, ZMQ_DEALER);
        char ep[256];
        if (tcp)
            tu_bind_loopback (router, ep, sizeof ep);
        else {
            strcpy (ep, "inproc://ffn");
            TEST_ASSERT_SUCCESS (zmq_bind (router, ep));
        }
        TEST_ASSERT_SUCCESS (zmq_connect (dealer, ep));
        ffn_calls = 0;
        ffn_hint_seen = NULL;
        TEST_ASSERT_SUCCESS (
          zmq_msg_init_data (&msg, payload, sizeof payload, ffn, (void *) "h"));
        TEST_ASSERT_EQ_INT (zmq_msg_send (&msg, dealer, 0), (int) sizeof payload);
        zmq_msg_t got;
        TEST_ASSERT_SUCCESS (zmq_msg_init (&got));
        TEST_ASSERT (zmq_msg_recv (&got, router, 0) > 0); /* routing id */
        TEST_ASSERT_EQ_INT (zmq_msg_recv (&got, router, 0), (int) sizeof payload);
        TEST_ASSERT (memcmp (zmq_msg_data (&got), payload, sizeof payload) == 0);
        TEST_ASSERT_SUCCESS (zmq_msg_close (&got));
        /*  tcp: the sender's engine releases it once written; inproc: the
            receiver's close released it  */
        for (int i = 0; i < 200 && ffn_calls == 0; i++)
            usleep (5000);
        TEST_ASSERT_EQ_INT (ffn_calls, 1);
        TEST_ASSERT (ffn_hint_seen != NULL
                     && strcmp ((const char *) ffn_hint_seen, "h") == 0);

        /*  copy: freed after both copies are closed  */
        ffn_calls = 0;
        TEST_ASSERT_SUCCESS (
          zmq_msg_init_data (&msg, payload, sizeof payload, ffn, NULL));
        zmq_msg_t copy;
        TEST_ASSERT_SUCCESS (zmq_msg_init (&copy));
        TEST_ASSERT_SUCCESS (zmq_msg_copy (&copy, &msg));
        TEST_ASSERT_EQ_INT (zmq_msg_send (&copy, dealer, 0), (int) sizeof payload);
        TEST_ASSERT_SUCCESS (zmq_msg_init (&got));
        TEST_ASSERT (zmq_msg_recv (&got, router, 0) > 0);
        TEST_ASSERT_EQ_INT (zmq_msg_recv (&got, router, 0), (int) sizeof payload);
        TEST_ASSERT_SUCCESS (zmq_msg_close (&got));
        usleep (20 * 1000);
        TEST_ASSERT_EQ_INT (ffn_calls, 0);
        TEST_ASSERT_SUCCESS (zmq_msg_close (&msg));
        for (int i = 0; i < 200 && ffn_calls == 0; i++)
            usleep (5000);
        TEST_ASSERT_EQ_INT (ffn_calls, 1);
        TEST_ASSERT_SUCCESS (zmq_close (dealer));
        TEST_ASSERT_SUCCESS (zmq_close (router));
    }
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

/*  zmq_sendiov answers the size of the last frame (what its last
    zmq_msg_send returned), not the total.  */
static void sendiov_result (void)
{
    void *ctx = zmq_ctx_new ();
    void *pull = zmq_socket (ctx, ZMQ_PULL);
    void *push = zmq_socket (ctx, ZMQ_PUSH);
    TEST_ASSERT_SUCCESS (zmq_bind (pull, "inproc://iov"));
    TEST_ASSERT_SUCCESS (zmq_connect (push, "inproc://iov"));
    struct iovec iov[2];
    iov[0].iov_base = (void *) "ab";
    iov[0].iov_len = 2;
    iov[1].iov_base = (void *) "cde";
    iov[1].iov_len = 3;
    TEST_ASSERT_EQ_INT (zmq_sendiov (push, iov, 2, ZMQ_SNDMORE), 3);
    recv_str (pull, "ab");
    TEST_ASSERT_EQ_INT (get_int (pull, ZMQ_RCVMORE), 1);
    recv_str (pull, "cde");
    TEST_ASSERT_EQ_INT (get_int (pull, ZMQ_RCVMORE), 0);
    /*  (with flags 0 each buffer is a message of its own)  */
    TEST_ASSERT_EQ_INT (zmq_sendiov (push, iov, 2, 0), 3);
    recv_str (pull, "ab");
    TEST_ASSERT_EQ_INT (get_int (pull, ZMQ_RCVMORE), 0);
    recv_str (pull, "cde");
    TEST_ASSERT_SUCCESS (zmq_close (push));
    TEST_ASSERT_SUCCESS (zmq_close (pull));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

/* ---- test_proxy_single_socket ----------------------------------------- */

struct proxy_arg
{
    void *ctx;
    char ep[256];
    int rc;
};

static void single_socket_server (void *p)
{
    struct proxy_arg *a = (struct proxy_arg *) p;
    void *rep = zmq_socket (a->ctx, ZMQ_REP);
    tu_bind_loopback (rep, a->ep, sizeof a->ep);
    void *control = zmq_socket (a->ctx, ZMQ_REQ);
    TEST_ASSERT_SUCCESS (zmq_connect (control, "inproc://control"));
    send_str (control, a->ep, 0);
    a->rc = zmq_proxy_steerable (rep, rep, NULL, control);
    TEST_ASSERT_SUCCESS (zmq_close (rep));
    TEST_ASSERT_SUCCESS (zmq_close (control));
}

/*  Binds a REP control socket at ctl_ep, starts fn(arg) in a thread and
    waits for it to report its endpoint (into arg->ep's copy `ep`).  */
static void *start_proxy_thread (void *ctx, const char *ctl_ep,
                                 zmq_thread_fn *fn, struct proxy_arg *arg,
                                 void **control, char *ep, size_t len)
{
    *control = zmq_socket (ctx, ZMQ_REP);
    TEST_ASSERT_SUCCESS (zmq_bind (*control, ctl_ep));
    arg->ctx = ctx;
    arg->rc = -2;
    void *t = zmq_threadstart (fn, arg);
    int n = zmq_recv (*control, ep, len - 1, 0);
    TEST_ASSERT (n > 0);
    ep[n] = '\0';
    return t;
}

/*  One REP socket as both frontend and backend echoes each request back to
    its REQ; TERMINATE on the control socket makes the proxy return 0.  */
static void proxy_single_socket (void)
{
    void *ctx = zmq_ctx_new ();
    void *control;
    struct proxy_arg arg;
    char ep[256];
    void *t = start_proxy_thread (ctx, "inproc://control", single_socket_server,
                                  &arg, &control, ep, sizeof ep);
    void *req = zmq_socket (ctx, ZMQ_REQ);
    TEST_ASSERT_SUCCESS (zmq_connect (req, ep));
    send_str (req, "msg1", 0);
    recv_str (req, "msg1");
    send_str (req, "msg22", 0);
    recv_str (req, "msg22");
    send_str (control, "TERMINATE", 0);
    zmq_threadclose (t);
    TEST_ASSERT_EQ_INT (arg.rc, 0);
    TEST_ASSERT_SUCCESS (zmq_close (control));
    TEST_ASSERT_SUCCESS (zmq_close (req));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

/* ---- test_proxy_terminate ---------------------------------------------- */

static void sub_push_server (void *p)
{
    struct proxy_arg *a = (struct proxy_arg *) p;
    void *frontend = zmq_socket (a->ctx, ZMQ_SUB);
    TEST_ASSERT_SUCCESS (zmq_setsockopt (frontend, ZMQ_SUBSCRIBE, "", 0));
    tu_bind_loopback (frontend, a->ep, sizeof a->ep);
    /*  a backend nobody ever reads  */
    void *backend = zmq_socket (a->ctx, ZMQ_PUSH);
    char bep[256];
    tu_bind_loopback (backend, bep, sizeof bep);
    void *control = zmq_socket (a->ctx, ZMQ_REQ);
    TEST_ASSERT_SUCCESS (zmq_connect (control, "inproc://control-t"));
    send_str (control, a->ep, 0);
    a->rc = zmq_proxy_steerable (frontend, backend, NULL, control);
    TEST_ASSERT_SUCCESS (zmq_close (frontend));
    TEST_ASSERT_SUCCESS (zmq_close (backend));
    TEST_ASSERT_SUCCESS (zmq_close (control));
}

/*  A SUB->PUSH steerable proxy whose PUSH has no peer gets published
    messages it cannot forward; TERMINATE still ends it with 0.  */
static void proxy_terminate_blocked (void)
{
    void *ctx = zmq_ctx_new ();
    void *control;
    struct proxy_arg arg;
    char ep[256];
    void *t = start_proxy_thread (ctx, "inproc://control-t", sub_push_server,
                                  &arg, &control, ep, sizeof ep);
    void *pub = zmq_socket (ctx, ZMQ_PUB);
    TEST_ASSERT_SUCCESS (zmq_connect (pub, ep));
    for (int i = 0; i < 10; i++) {
        send_str (pub, "This is a test", 0);
        usleep (20 * 1000);
    }
    send_str (control, "TERMINATE", 0);
    TEST_ASSERT_SUCCESS (zmq_close (pub));
    TEST_ASSERT_SUCCESS (zmq_close (control));
    zmq_threadclose (t);
    TEST_ASSERT_EQ_INT (arg.rc, 0);
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

/* ---- test_timers -------------------------------------------------------- */

static int timer_hits;
static void *cancel_timers;

static void cancelling_handler (int id, void *arg)
{
    (void) arg;
    timer_hits++;
    TEST_ASSERT_SUCCESS (zmq_timers_cancel (cancel_timers, id));
}

static void timers_cases (void)
{
    void *timers = zmq_timers_new ();
    TEST_ASSERT (timers);
    /*  no timers: timeout is -1, execute is a no-op  */
    TEST_ASSERT_EQ_INT (zmq_timers_timeout (timers), -1);
    TEST_ASSERT_SUCCESS (zmq_timers_execute (timers));
    /*  a handler may cancel its own timer: it fires once  */
    cancel_timers = timers;
    timer_hits = 0;
    int id = zmq_timers_add (timers, 10, cancelling_handler, NULL);
    TEST_ASSERT (id != -1);
    long long end = now_ms () + 2000;
    while (timer_hits == 0 && now_ms () < end) {
        long t = zmq_timers_timeout (timers);
        if (t > 0)
            usleep ((useconds_t) t * 1000);
        TEST_ASSERT_SUCCESS (zmq_timers_execute (timers));
    }
    TEST_ASSERT_EQ_INT (timer_hits, 1);
    usleep (30 * 1000);
    TEST_ASSERT_SUCCESS (zmq_timers_execute (timers));
    TEST_ASSERT_EQ_INT (timer_hits, 1);
    TEST_ASSERT_EQ_INT (zmq_timers_timeout (timers), -1);
    TEST_ASSERT_FAILURE (zmq_timers_cancel (timers, id), EINVAL);
    TEST_ASSERT_SUCCESS (zmq_timers_destroy (&timers));
    TEST_ASSERT (timers == NULL);
    TEST_ASSERT_FAILURE (zmq_timers_set_interval (NULL, 1, 5), EFAULT);
    TEST_ASSERT_FAILURE (zmq_timers_reset (NULL, 1), EFAULT);
}

/* ---- DRAFT: ppoll, thread-safe and draft socket types ------------------- */

#ifdef ZMQ_BUILD_DRAFT_API
static volatile sig_atomic_t got_signal;
static void on_sigusr1 (int sig)
{
    (void) sig;
    got_signal = 1;
}

struct kill_arg
{
    pthread_t target;
};

static void signal_later (void *p)
{
    struct kill_arg *a = (struct kill_arg *) p;
    usleep (50 * 1000);
    pthread_kill (a->target, SIGUSR1);
}

/*  zmq_ppoll: a raw fd becomes readable; with SIGUSR1 blocked in the
    thread but unblocked by the sigmask given to ppoll, a signal interrupts
    the wait with EINTR; a NULL sigmask behaves like zmq_poll.  */
static void ppoll_cases (void)
{
    int sv[2];
    TEST_ASSERT (socketpair (AF_UNIX, SOCK_STREAM, 0, sv) == 0);
    zmq_pollitem_t item = {NULL, sv[0], ZMQ_POLLIN, 0};
    TEST_ASSERT_EQ_INT (zmq_ppoll (&item, 1, 0, NULL), 0);
    TEST_ASSERT (write (sv[1], "x", 1) == 1);
    TEST_ASSERT_EQ_INT (zmq_ppoll (&item, 1, 1000, NULL), 1);
    TEST_ASSERT (item.revents & ZMQ_POLLIN);

    struct sigaction sa;
    memset (&sa, 0, sizeof sa);
    sa.sa_handler = on_sigusr1;
    sigemptyset (&sa.sa_mask);
    TEST_ASSERT (sigaction (SIGUSR1, &sa, NULL) == 0);
    sigset_t block, old, during;
    sigemptyset (&block);
    sigaddset (&block, SIGUSR1);
    TEST_ASSERT (pthread_sigmask (SIG_BLOCK, &block, &old) == 0);
    sigemptyset (&during);
    char c;
    TEST_ASSERT (read (sv[0], &c, 1) == 1);
    struct kill_arg ka = {pthread_self ()};
    void *t = zmq_threadstart (signal_later, &ka);
    got_signal = 0;
    TEST_ASSERT_FAILURE (zmq_ppoll (&item, 1, 5000, &during), EINTR);
    TEST_ASSERT (got_signal);
    zmq_threadclose (t);
    TEST_ASSERT (pthread_sigmask (SIG_SETMASK, &old, NULL) == 0);
    close (sv[0]);
    close (sv[1]);
}

/*  Thread-safe sockets (CLIENT/SERVER etc.) have no ZMQ_FD and refuse
    multipart; draft types refuse the directions they do not support.  */
static void draft_socket_errors (void)
{
    void *ctx = zmq_ctx_new ();
    void *client = zmq_socket (ctx, ZMQ_CLIENT);
    void *server = zmq_socket (ctx, ZMQ_SERVER);
    int fd;
    size_t len = sizeof fd;
    TEST_ASSERT_FAILURE (zmq_getsockopt (client, ZMQ_FD, &fd, &len), EINVAL);
    TEST_ASSERT_SUCCESS (zmq_bind (server, "inproc://cs"));
    TEST_ASSERT_SUCCESS (zmq_connect (client, "inproc://cs"));
    TEST_ASSERT_FAILURE (zmq_send (client, "a", 1, ZMQ_SNDMORE), EINVAL);
    TEST_ASSERT_FAILURE (zmq_send (server, "a", 1, ZMQ_SNDMORE), EINVAL);
    /*  SERVER: a message without a routing id has nowhere to go  */
    TEST_ASSERT_FAILURE (zmq_send (server, "a", 1, 0), EHOSTUNREACH);
    send_str (client, "hello", 0);
    zmq_msg_t msg;
    TEST_ASSERT_SUCCESS (zmq_msg_init (&msg));
    TEST_ASSERT_EQ_INT (zmq_msg_recv (&msg, server, 0), 5);
    uint32_t rid = zmq_msg_routing_id (&msg);
    TEST_ASSERT (rid != 0);
    TEST_ASSERT_EQ_INT (zmq_msg_send (&msg, server, 0), 5);
    /*  what a CLIENT receives carries no routing id  */
    TEST_ASSERT_SUCCESS (zmq_msg_init (&msg));
    TEST_ASSERT_EQ_INT (zmq_msg_recv (&msg, client, 0), 5);
    TEST_ASSERT_EQ_INT (zmq_msg_routing_id (&msg), 0);
    TEST_ASSERT (memcmp (zmq_msg_data (&msg), "hello", 5) == 0);
    TEST_ASSERT_SUCCESS (zmq_msg_close (&msg));
    TEST_ASSERT_SUCCESS (zmq_close (client));
    TEST_ASSERT_SUCCESS (zmq_close (server));

    void *scatter = zmq_socket (ctx, ZMQ_SCATTER);
    void *gather = zmq_socket (ctx, ZMQ_GATHER);
    char buf[8];
    TEST_ASSERT_FAILURE (zmq_recv (scatter, buf, sizeof buf, ZMQ_DONTWAIT),
                         ENOTSUP);
    TEST_ASSERT_FAILURE (zmq_send (gather, "a", 1, ZMQ_DONTWAIT), ENOTSUP);
    TEST_ASSERT_FAILURE (zmq_send (scatter, "a", 1, ZMQ_SNDMORE), EINVAL);
    TEST_ASSERT_SUCCESS (zmq_close (scatter));
    TEST_ASSERT_SUCCESS (zmq_close (gather));

    void *radio = zmq_socket (ctx, ZMQ_RADIO);
    void *dish = zmq_socket (ctx, ZMQ_DISH);
    TEST_ASSERT_FAILURE (zmq_recv (radio, buf, sizeof buf, ZMQ_DONTWAIT),
                         ENOTSUP);
    TEST_ASSERT_FAILURE (zmq_send (dish, "a", 1, ZMQ_DONTWAIT), ENOTSUP);
    char group[300];
    memset (group, 'g', sizeof group - 1);
    group[sizeof group - 1] = '\0';
    TEST_ASSERT_FAILURE (zmq_join (dish, group), EINVAL);
    TEST_ASSERT_SUCCESS (zmq_join (dish, "movies"));
    TEST_ASSERT_FAILURE (zmq_join (dish, "movies"), EINVAL);
    TEST_ASSERT_FAILURE (zmq_leave (dish, "tv"), EINVAL);
    TEST_ASSERT_FAILURE (zmq_join (radio, "movies"), ENOTSUP);
    TEST_ASSERT_SUCCESS (zmq_msg_init (&msg));
    TEST_ASSERT_FAILURE (zmq_msg_set_group (&msg, group), EINVAL);
    TEST_ASSERT_SUCCESS (zmq_msg_close (&msg));
    TEST_ASSERT_SUCCESS (zmq_close (radio));
    TEST_ASSERT_SUCCESS (zmq_close (dish));

    void *channel = zmq_socket (ctx, ZMQ_CHANNEL);
    TEST_ASSERT_FAILURE (zmq_send (channel, "a", 1, ZMQ_SNDMORE), EINVAL);
    TEST_ASSERT_SUCCESS (zmq_close (channel));

    void *peer = zmq_socket (ctx, ZMQ_PEER);
    void *dealer = zmq_socket (ctx, ZMQ_DEALER);
    TEST_ASSERT_SUCCESS (zmq_bind (peer, "inproc://peer"));
    TEST_ASSERT_EQ_INT (zmq_connect_peer (dealer, "inproc://peer"), 0);
    TEST_ASSERT_EQ_INT (zmq_errno (), ENOTSUP);
    void *peer2 = zmq_socket (ctx, ZMQ_PEER);
    uint32_t prid = zmq_connect_peer (peer2, "inproc://peer");
    TEST_ASSERT (prid != 0);
    TEST_ASSERT_SUCCESS (zmq_msg_init_size (&msg, 2));
    memcpy (zmq_msg_data (&msg), "hi", 2);
    TEST_ASSERT_SUCCESS (zmq_msg_set_routing_id (&msg, prid));
    TEST_ASSERT_EQ_INT (zmq_msg_send (&msg, peer2, 0), 2);
    TEST_ASSERT_SUCCESS (zmq_msg_init (&msg));
    TEST_ASSERT_EQ_INT (zmq_msg_recv (&msg, peer, 0), 2);
    uint32_t p2rid = zmq_msg_routing_id (&msg);
    TEST_ASSERT (p2rid != 0);
    TEST_ASSERT_SUCCESS (zmq_msg_close (&msg));
    /*  the reply goes back by that id and arrives tagged with prid  */
    TEST_ASSERT_SUCCESS (zmq_msg_init_size (&msg, 3));
    memcpy (zmq_msg_data (&msg), "bye", 3);
    TEST_ASSERT_SUCCESS (zmq_msg_set_routing_id (&msg, p2rid));
    TEST_ASSERT_EQ_INT (zmq_msg_send (&msg, peer, 0), 3);
    TEST_ASSERT_SUCCESS (zmq_msg_init (&msg));
    TEST_ASSERT_EQ_INT (zmq_msg_recv (&msg, peer2, 0), 3);
    TEST_ASSERT_EQ_INT (zmq_msg_routing_id (&msg), prid);
    TEST_ASSERT_SUCCESS (zmq_msg_close (&msg));
    TEST_ASSERT_SUCCESS (zmq_close (peer));
    TEST_ASSERT_SUCCESS (zmq_close (peer2));
    TEST_ASSERT_SUCCESS (zmq_close (dealer));

    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

/*  test_thread_safe: two threads send on one CLIENT at once, two threads
    receive from one SERVER at once; every message arrives exactly once.  */
struct ts_arg
{
    void *s;
    int count;
    int tag;
};

static void ts_sender (void *p)
{
    struct ts_arg *a = (struct ts_arg *) p;
    for (int i = 0; i < a->count; i++) {
        char buf[16];
        int n = snprintf (buf, sizeof buf, "%d:%d", a->tag, i);
        TEST_ASSERT_EQ_INT (zmq_send (a->s, buf, (size_t) n, 0), n);
    }
}

static void ts_receiver (void *p)
{
    struct ts_arg *a = (struct ts_arg *) p;
    char buf[16];
    a->count = 0;
    while (zmq_recv (a->s, buf, sizeof buf, 0) > 0)
        a->count++;
    TEST_ASSERT_EQ_INT (zmq_errno (), EAGAIN);
}

static void thread_safe_sockets (void)
{
    void *ctx = zmq_ctx_new ();
    void *server = zmq_socket (ctx, ZMQ_SERVER);
    void *client = zmq_socket (ctx, ZMQ_CLIENT);
    char ep[256];
    tu_bind_loopback (server, ep, sizeof ep);
    TEST_ASSERT_SUCCESS (zmq_connect (client, ep));
    set_int (server, ZMQ_RCVTIMEO, 1000);
    struct ts_arg s1 = {client, 2000, 1}, s2 = {client, 2000, 2};
    struct ts_arg r1 = {server, 0, 0}, r2 = {server, 0, 0};
    void *t[4];
    t[0] = zmq_threadstart (ts_receiver, &r1);
    t[1] = zmq_threadstart (ts_receiver, &r2);
    t[2] = zmq_threadstart (ts_sender, &s1);
    t[3] = zmq_threadstart (ts_sender, &s2);
    for (int i = 0; i < 4; i++)
        zmq_threadclose (t[i]);
    TEST_ASSERT_EQ_INT (r1.count + r2.count, 4000);
    TEST_ASSERT_SUCCESS (zmq_close (client));
    TEST_ASSERT_SUCCESS (zmq_close (server));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

/*  test_radio_dish: a RADIO cannot bind udp and a DISH cannot connect udp
    (ENOCOMPATPROTO); an 18-character group crosses tcp; over udp on ::1
    with ZMQ_IPV6 a joined group is delivered.  */
static void radio_dish_more (void)
{
    void *ctx = zmq_ctx_new ();
    void *radio = zmq_socket (ctx, ZMQ_RADIO);
    void *dish = zmq_socket (ctx, ZMQ_DISH);
    TEST_ASSERT_FAILURE (zmq_bind (radio, "udp://*:5556"), ENOCOMPATPROTO);
    TEST_ASSERT_FAILURE (zmq_connect (dish, "udp://127.0.0.1:5556"),
                         ENOCOMPATPROTO);
    char ep[256];
    tu_bind_loopback (radio, ep, sizeof ep);
    const char *group = "0123456789ABCDEFGH";
    TEST_ASSERT_SUCCESS (zmq_join (dish, group));
    TEST_ASSERT_SUCCESS (zmq_connect (dish, ep));
    set_int (dish, ZMQ_RCVTIMEO, 20);
    zmq_msg_t msg;
    int n = -1;
    for (int i = 0; i < 250 && n < 0; i++) {
        TEST_ASSERT_SUCCESS (zmq_msg_init_size (&msg, 5));
        memcpy (zmq_msg_data (&msg), "HELLO", 5);
        TEST_ASSERT_SUCCESS (zmq_msg_set_group (&msg, group));
        TEST_ASSERT_EQ_INT (zmq_msg_send (&msg, radio, 0), 5);
        TEST_ASSERT_SUCCESS (zmq_msg_init (&msg));
        n = zmq_msg_recv (&msg, dish, 0);
        if (n < 0)
            TEST_ASSERT_SUCCESS (zmq_msg_close (&msg));
    }
    TEST_ASSERT_EQ_INT (n, 5);
    TEST_ASSERT_EQ_STR (zmq_msg_group (&msg), group);
    TEST_ASSERT_SUCCESS (zmq_msg_close (&msg));
    TEST_ASSERT_SUCCESS (zmq_close (radio));
    TEST_ASSERT_SUCCESS (zmq_close (dish));

    /*  udp over IPv6 loopback, when the machine has it  */
    int fd = socket (AF_INET6, SOCK_DGRAM, 0);
    struct sockaddr_in6 a6;
    memset (&a6, 0, sizeof a6);
    a6.sin6_family = AF_INET6;
    a6.sin6_addr = in6addr_loopback;
    int have6 = fd >= 0 && bind (fd, (struct sockaddr *) &a6, sizeof a6) == 0;
    socklen_t alen = sizeof a6;
    int port = 0;
    if (have6 && getsockname (fd, (struct sockaddr *) &a6, &alen) == 0)
        port = ntohs (a6.sin6_port);
    if (fd >= 0)
        close (fd);
    if (have6 && port) {
        int one = 1;
        radio = zmq_socket (ctx, ZMQ_RADIO);
        dish = zmq_socket (ctx, ZMQ_DISH);
        set_int (radio, ZMQ_IPV6, one);
        set_int (dish, ZMQ_IPV6, one);
        char bind_ep[64], conn_ep[64];
        snprintf (bind_ep, sizeof bind_ep, "udp://*:%d", port);
        snprintf (conn_ep, sizeof conn_ep, "udp://[::1]:%d", port);
        TEST_ASSERT_SUCCESS (zmq_bind (dish, bind_ep));
        TEST_ASSERT_SUCCESS (zmq_connect (radio, conn_ep));
        TEST_ASSERT_SUCCESS (zmq_join (dish, "TV"));
        n = -1;
        for (int i = 0; i < 250 && n < 0; i++) {
            TEST_ASSERT_SUCCESS (zmq_msg_init_size (&msg, 7));
            memcpy (zmq_msg_data (&msg), "Friends", 7);
            TEST_ASSERT_SUCCESS (zmq_msg_set_group (&msg, "TV"));
            TEST_ASSERT_EQ_INT (zmq_msg_send (&msg, radio, 0), 7);
            TEST_ASSERT_SUCCESS (zmq_msg_init (&msg));
            n = zmq_msg_recv (&msg, dish, 0);
            if (n < 0)
                TEST_ASSERT_SUCCESS (zmq_msg_close (&msg));
        }
        TEST_ASSERT_EQ_INT (n, 7);
        TEST_ASSERT_EQ_STR (zmq_msg_group (&msg), "TV");
        TEST_ASSERT_SUCCESS (zmq_msg_close (&msg));
        TEST_ASSERT_SUCCESS (zmq_close (radio));
        TEST_ASSERT_SUCCESS (zmq_close (dish));
    } else
        printf ("# no IPv6 loopback: udp over ::1 skipped\n");
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

struct poll_arg
{
    void *ctx;
    void *counter;
    int type;
};

static void poller_waiter (void *p)
{
    struct poll_arg *a = (struct poll_arg *) p;
    void *s = zmq_socket (a->ctx, a->type);
    TEST_ASSERT (s);
    void *poller = zmq_poller_new ();
    TEST_ASSERT_SUCCESS (zmq_poller_add (poller, s, NULL, ZMQ_POLLIN));
    zmq_atomic_counter_set (a->counter, 1);
    zmq_poller_event_t ev;
    TEST_ASSERT_FAILURE (zmq_poller_wait (poller, &ev, -1), ETERM);
    TEST_ASSERT_SUCCESS (zmq_poller_destroy (&poller));
    TEST_ASSERT_SUCCESS (zmq_close (s));
}

/*  A thread waits in zmq_poller_wait on a socket; zmq_ctx_term in another
    thread makes the wait fail with ETERM, then the thread closes the
    socket and the term completes.  For DEALER and CLIENT.  */
static void poller_wait_on_term (int type)
{
    struct poll_arg a;
    a.ctx = zmq_ctx_new ();
    a.counter = zmq_atomic_counter_new ();
    a.type = type;
    void *t = zmq_threadstart (poller_waiter, &a);
    while (zmq_atomic_counter_value (a.counter) == 0)
        usleep (1000);
    usleep (10 * 1000);
    TEST_ASSERT_SUCCESS (zmq_ctx_term (a.ctx));
    zmq_threadclose (t);
    zmq_atomic_counter_destroy (&a.counter);
}
#endif

int main (void)
{
    tu_begin ("test_core_conformance");
    inproc_pair_orders ();
    inproc_pub_before_sub_bind ();
    inproc_multiple_connects ();
    inproc_threads_close_before_bind ();
    inproc_identity ();
    inproc_router_connect_first ();
    inproc_connect_only_and_unbind ();
    disconnect_inproc ();
    unbind_disconnect_same ();
    ctx_destroy_cases ();
    ctx_option_cases ();
    many_sockets ();
    shutdown_stress ();
    linger_unreachable ();
    hwm_cases ();
    heartbeat_ttl_cases ();
    large_msg ();
    msg_cases ();
    sendiov_result ();
    proxy_single_socket ();
    proxy_terminate_blocked ();
    timers_cases ();
#ifdef ZMQ_BUILD_DRAFT_API
    ppoll_cases ();
    draft_socket_errors ();
    thread_safe_sockets ();
    radio_dish_more ();
    poller_wait_on_term (ZMQ_DEALER);
    poller_wait_on_term (ZMQ_CLIENT);
#endif
    return tu_end ();
}
