/*  ctests/test_api_sweep.c: error paths of every function of the stable
    libzmq API, each called with bad inputs.

    Every case runs in a forked child (with a 10 s alarm), which reports the
    return value and errno of the call under test through a pipe. A child
    killed by a signal is a "crash".

    Run with --print to list "name rc=R errno=E [text]" for every case and
    no assertions: that is how the expectations below were taken from
    Debian's libzmq 4.3.4 and compared with libzmq-rs.

    Without arguments, every case is asserted against the table. The
    expectations are libzmq 4.3.4's results, except for the cases flagged
    LZ_CRASH: libzmq crashes (segfault or assertion abort) on those inputs
    (NULL message, NULL buffer with a non-zero size, NULL out-pointers,
    NULL counter, NULL key buffers, ...), so there the table holds what
    libzmq-rs does instead, which is to fail cleanly (-1 or NULL with
    EFAULT/EINVAL, or a harmless no-op). On a library reporting a version
    other than 4.3.5 (Debian's libzmq), a crash is accepted for those
    cases. LZ_UB cases (libzmq reads uninitialised memory) are asserted on
    libzmq-rs only. Cases flagged ANY_ERR compare only the return value
    (the call succeeds and errno is not meaningful). The list of these
    cases is above the table.

    Pointer-returning functions report rc=1 for non-NULL and rc=0 for NULL.

    Written for libzmq-rs (C99, builds with -Wall -Werror).  */

#include "testutil.h"

#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

typedef struct {
    long long rc;
    int err;
    char text[80];
} result_t;

typedef void (*case_fn) (result_t *);

#define LZ_CRASH 1 /* libzmq 4.3.4 crashes or aborts: ours must fail cleanly */
#define ANY_ERR 2  /* do not compare errno */
#define LZ_UB 4    /* libzmq's result depends on uninitialised memory */
#define BUSY_OK 8  /* binds a fixed port: EADDRINUSE also accepted */

typedef struct {
    const char *name;
    case_fn fn;
    long long want_rc;
    int want_err;
    int flags;
    const char *want_text; /* NULL: do not compare */
} case_t;

/*  Run expr with errno cleared, record its value and errno.  */
#define CALL_INT(r, expr)                                                      \
    do {                                                                       \
        errno = 0;                                                             \
        (r)->rc = (long long) (expr);                                          \
        (r)->err = errno;                                                      \
    } while (0)

#define CALL_PTR(r, expr)                                                      \
    do {                                                                       \
        errno = 0;                                                             \
        (r)->rc = (expr) != NULL;                                              \
        (r)->err = errno;                                                      \
    } while (0)

/*  Helpers for the set-up (asserted inside the child).  */
static void *ctx_ (void)
{
    void *ctx = zmq_ctx_new ();
    TEST_ASSERT (ctx);
    return ctx;
}

static void *sock_ (void *ctx, int type)
{
    void *s = zmq_socket (ctx, type);
    TEST_ASSERT (s);
    int zero = 0;
    TEST_ASSERT_SUCCESS (zmq_setsockopt (s, ZMQ_LINGER, &zero, sizeof zero));
    return s;
}

static void *pair_ (void)
{
    return sock_ (ctx_ (), ZMQ_PAIR);
}

/*  Two PAIR sockets joined over inproc: returns the connecting one, the
    binding one in *bound.  */
static void *inproc_pair_ (void **bound)
{
    void *ctx = ctx_ ();
    void *a = sock_ (ctx, ZMQ_PAIR);
    void *b = sock_ (ctx, ZMQ_PAIR);
    TEST_ASSERT_SUCCESS (zmq_bind (a, "inproc://sweep"));
    TEST_ASSERT_SUCCESS (zmq_connect (b, "inproc://sweep"));
    *bound = a;
    return b;
}

/*  A PAIR socket with the frame "hello" waiting to be received.  */
static void *pair_with_message_ (void)
{
    void *a;
    void *b = inproc_pair_ (&a);
    TEST_ASSERT_EQ_INT (zmq_send (b, "hello", 5, 0), 5);
    zmq_pollitem_t item = {a, 0, ZMQ_POLLIN, 0};
    TEST_ASSERT_EQ_INT (zmq_poll (&item, 1, 5000), 1);
    return a;
}

/*  A PAIR socket connected over inproc (to an idle peer).  */
static void *pair_connected_ (void)
{
    void *a;
    return inproc_pair_ (&a);
}

static void *closed_socket_ (void)
{
    void *s = pair_ ();
    TEST_ASSERT_SUCCESS (zmq_close (s));
    return s;
}

/*  A socket whose context has been shut down.  */
static void *shut_socket_ (void)
{
    void *ctx = ctx_ ();
    void *s = sock_ (ctx, ZMQ_PAIR);
    TEST_ASSERT_SUCCESS (zmq_ctx_shutdown (ctx));
    return s;
}

static void *terminated_ctx_ (void)
{
    void *ctx = ctx_ ();
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
    return ctx;
}

static void *shut_ctx_ (void)
{
    void *ctx = ctx_ ();
    TEST_ASSERT_SUCCESS (zmq_ctx_shutdown (ctx));
    return ctx;
}

/*  A socket whose context is being terminated by another thread: the
    socket has seen ETERM from a blocking recv.  */
static void *term_thread_ (void *ctx)
{
    zmq_ctx_term (ctx);
    return NULL;
}

static void *terming_socket_ (void)
{
    void *ctx = ctx_ ();
    void *s = sock_ (ctx, ZMQ_PAIR);
    pthread_t t;
    TEST_ASSERT (pthread_create (&t, NULL, term_thread_, ctx) == 0);
    char buf[8];
    TEST_ASSERT_FAILURE (zmq_recv (s, buf, sizeof buf, 0), ETERM);
    return s;
}

static const char long_ipc_[] =
  "ipc:///tmp/"
  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

/*  ------------------------------------------------------------------  */
/*  Contexts                                                            */

static void c_ctx_term_null (result_t *r) { CALL_INT (r, zmq_ctx_term (NULL)); }
static void c_ctx_destroy_null (result_t *r) { CALL_INT (r, zmq_ctx_destroy (NULL)); }
static void c_term_null (result_t *r) { CALL_INT (r, zmq_term (NULL)); }
static void c_ctx_shutdown_null (result_t *r) { CALL_INT (r, zmq_ctx_shutdown (NULL)); }
static void c_ctx_set_null (result_t *r) { CALL_INT (r, zmq_ctx_set (NULL, ZMQ_IO_THREADS, 1)); }
static void c_ctx_get_null (result_t *r) { CALL_INT (r, zmq_ctx_get (NULL, ZMQ_IO_THREADS)); }
static void c_ctx_set_badopt (result_t *r) { CALL_INT (r, zmq_ctx_set (ctx_ (), 12345, 1)); }
static void c_ctx_get_badopt (result_t *r) { CALL_INT (r, zmq_ctx_get (ctx_ (), 12345)); }
static void c_ctx_set_io_neg (result_t *r) { CALL_INT (r, zmq_ctx_set (ctx_ (), ZMQ_IO_THREADS, -1)); }
static void c_ctx_set_maxs_zero (result_t *r) { CALL_INT (r, zmq_ctx_set (ctx_ (), ZMQ_MAX_SOCKETS, 0)); }
static void c_ctx_set_maxs_neg (result_t *r) { CALL_INT (r, zmq_ctx_set (ctx_ (), ZMQ_MAX_SOCKETS, -1)); }
static void c_ctx_set_msgsize_neg (result_t *r) { CALL_INT (r, zmq_ctx_set (ctx_ (), ZMQ_MAX_MSGSZ, -1)); }
static void c_ctx_set_thrprio_neg (result_t *r) { CALL_INT (r, zmq_ctx_set (ctx_ (), ZMQ_THREAD_PRIORITY, -5)); }
static void c_ctx_set_sched_bad (result_t *r) { CALL_INT (r, zmq_ctx_set (ctx_ (), ZMQ_THREAD_SCHED_POLICY, -5)); }
static void c_ctx_set_ipv6_2 (result_t *r) { CALL_INT (r, zmq_ctx_set (ctx_ (), ZMQ_IPV6, 2)); }
static void c_ctx_set_blocky_2 (result_t *r) { CALL_INT (r, zmq_ctx_set (ctx_ (), ZMQ_BLOCKY, 2)); }
static void c_ctx_get_socket_limit (result_t *r) { CALL_INT (r, zmq_ctx_get (ctx_ (), ZMQ_SOCKET_LIMIT)); }
static void c_ctx_shutdown_twice (result_t *r)
{
    void *ctx = shut_ctx_ ();
    CALL_INT (r, zmq_ctx_shutdown (ctx));
}
static void c_ctx_get_after_shutdown (result_t *r) { CALL_INT (r, zmq_ctx_get (shut_ctx_ (), ZMQ_IO_THREADS)); }
static void c_ctx_set_after_shutdown (result_t *r) { CALL_INT (r, zmq_ctx_set (shut_ctx_ (), ZMQ_IO_THREADS, 2)); }
static void c_ctx_term_after_shutdown (result_t *r) { CALL_INT (r, zmq_ctx_term (shut_ctx_ ())); }
static void c_socket_after_shutdown (result_t *r) { CALL_PTR (r, zmq_socket (shut_ctx_ (), ZMQ_PAIR)); }
static void c_ctx_get_after_term (result_t *r) { CALL_INT (r, zmq_ctx_get (terminated_ctx_ (), ZMQ_IO_THREADS)); }
static void c_ctx_set_after_term (result_t *r) { CALL_INT (r, zmq_ctx_set (terminated_ctx_ (), ZMQ_IO_THREADS, 2)); }
static void c_ctx_shutdown_after_term (result_t *r) { CALL_INT (r, zmq_ctx_shutdown (terminated_ctx_ ())); }
static void c_ctx_term_twice (result_t *r) { CALL_INT (r, zmq_ctx_term (terminated_ctx_ ())); }
static void c_socket_after_term (result_t *r) { CALL_PTR (r, zmq_socket (terminated_ctx_ (), ZMQ_PAIR)); }
static void c_init_neg (result_t *r) { CALL_PTR (r, zmq_init (-1)); }
static void c_init_zero (result_t *r) { CALL_PTR (r, zmq_init (0)); }
static void c_ctx_term_foreign (result_t *r)
{
    static char junk[256];
    CALL_INT (r, zmq_ctx_term (junk));
}

/*  ------------------------------------------------------------------  */
/*  Sockets: creation, close                                            */

static void c_socket_null_ctx (result_t *r) { CALL_PTR (r, zmq_socket (NULL, ZMQ_PAIR)); }
static void c_socket_bad_type (result_t *r) { CALL_PTR (r, zmq_socket (ctx_ (), 999)); }
static void c_socket_neg_type (result_t *r) { CALL_PTR (r, zmq_socket (ctx_ (), -1)); }
static void c_socket_foreign_ctx (result_t *r)
{
    static char junk[256];
    CALL_PTR (r, zmq_socket (junk, ZMQ_PAIR));
}
static void c_socket_max_sockets (result_t *r)
{
    void *ctx = ctx_ ();
    TEST_ASSERT_SUCCESS (zmq_ctx_set (ctx, ZMQ_MAX_SOCKETS, 1));
    sock_ (ctx, ZMQ_PAIR);
    CALL_PTR (r, zmq_socket (ctx, ZMQ_PAIR));
}
static void c_close_null (result_t *r) { CALL_INT (r, zmq_close (NULL)); }
static void c_close_closed (result_t *r) { CALL_INT (r, zmq_close (closed_socket_ ())); }
static void c_close_foreign (result_t *r)
{
    static char junk[256];
    CALL_INT (r, zmq_close (junk));
}
static void c_close_after_shutdown (result_t *r) { CALL_INT (r, zmq_close (shut_socket_ ())); }
static void c_close_ctx_ptr (result_t *r) { CALL_INT (r, zmq_close (ctx_ ())); }

/*  ------------------------------------------------------------------  */
/*  bind / connect / unbind / disconnect                                */

#define EP_CASES(op)                                                           \
    static void c_##op##_null_sock (result_t *r) { CALL_INT (r, zmq_##op (NULL, "inproc://x")); } \
    static void c_##op##_closed (result_t *r) { CALL_INT (r, zmq_##op (closed_socket_ (), "inproc://x")); } \
    static void c_##op##_after_shutdown (result_t *r) { CALL_INT (r, zmq_##op (shut_socket_ (), "inproc://x")); } \
    static void c_##op##_after_term (result_t *r) { CALL_INT (r, zmq_##op (terming_socket_ (), "inproc://x")); } \
    static void c_##op##_null_ep (result_t *r) { CALL_INT (r, zmq_##op (pair_ (), NULL)); } \
    static void c_##op##_empty (result_t *r) { CALL_INT (r, zmq_##op (pair_ (), "")); } \
    static void c_##op##_noscheme (result_t *r) { CALL_INT (r, zmq_##op (pair_ (), "tcp")); } \
    static void c_##op##_foo (result_t *r) { CALL_INT (r, zmq_##op (pair_ (), "foo://x")); } \
    static void c_##op##_tcp_empty (result_t *r) { CALL_INT (r, zmq_##op (pair_ (), "tcp://")); } \
    static void c_##op##_tcp_bigport (result_t *r) { CALL_INT (r, zmq_##op (pair_ (), "tcp://127.0.0.1:99999")); } \
    static void c_##op##_tcp_star_bigport (result_t *r) { CALL_INT (r, zmq_##op (pair_ (), "tcp://*:99999")); } \
    static void c_##op##_tcp_noport (result_t *r) { CALL_INT (r, zmq_##op (pair_ (), "tcp://127.0.0.1")); } \
    static void c_##op##_tcp_badport (result_t *r) { CALL_INT (r, zmq_##op (pair_ (), "tcp://127.0.0.1:abc")); } \
    static void c_##op##_tcp_emptyhost (result_t *r) { CALL_INT (r, zmq_##op (pair_ (), "tcp://:5555")); } \
    static void c_##op##_ipc_empty (result_t *r) { CALL_INT (r, zmq_##op (pair_ (), "ipc://")); } \
    static void c_##op##_ipc_long (result_t *r) { CALL_INT (r, zmq_##op (pair_ (), long_ipc_)); } \
    static void c_##op##_inproc_empty (result_t *r) { CALL_INT (r, zmq_##op (pair_ (), "inproc://")); } \
    static void c_##op##_udp_on_pair (result_t *r) { CALL_INT (r, zmq_##op (pair_ (), "udp://127.0.0.1:5555")); } \
    static void c_##op##_scheme_only (result_t *r) { CALL_INT (r, zmq_##op (pair_ (), "://x")); }

EP_CASES (bind)
EP_CASES (connect)
EP_CASES (unbind)
EP_CASES (disconnect)

static void c_connect_tcp_star (result_t *r) { CALL_INT (r, zmq_connect (pair_ (), "tcp://*:5555")); }
static void c_connect_tcp_port0 (result_t *r) { CALL_INT (r, zmq_connect (pair_ (), "tcp://127.0.0.1:0")); }
static void c_connect_tcp_portstar (result_t *r) { CALL_INT (r, zmq_connect (pair_ (), "tcp://127.0.0.1:*")); }
static void c_bind_tcp_badhost (result_t *r) { CALL_INT (r, zmq_bind (pair_ (), "tcp://no.such.host.invalid:5555")); }
static void c_bind_tcp_badif (result_t *r) { CALL_INT (r, zmq_bind (pair_ (), "tcp://nosuchif0:5555")); }
static void c_bind_inproc_twice (result_t *r)
{
    void *ctx = ctx_ ();
    void *a = sock_ (ctx, ZMQ_PAIR);
    void *b = sock_ (ctx, ZMQ_PAIR);
    TEST_ASSERT_SUCCESS (zmq_bind (a, "inproc://dup"));
    CALL_INT (r, zmq_bind (b, "inproc://dup"));
}
static void c_bind_tcp_inuse (result_t *r)
{
    void *ctx = ctx_ ();
    void *a = sock_ (ctx, ZMQ_PAIR);
    void *b = sock_ (ctx, ZMQ_PAIR);
    char ep[256];
    tu_bind_loopback (a, ep, sizeof ep);
    CALL_INT (r, zmq_bind (b, ep));
}
static void c_unbind_not_bound (result_t *r) { CALL_INT (r, zmq_unbind (pair_ (), "tcp://127.0.0.1:5555")); }
static void c_unbind_wildcard (result_t *r)
{
    void *s = pair_ ();
    char ep[256];
    tu_bind_loopback (s, ep, sizeof ep);
    CALL_INT (r, zmq_unbind (s, "tcp://127.0.0.1:*"));
}
static void c_disconnect_not_connected (result_t *r) { CALL_INT (r, zmq_disconnect (pair_ (), "tcp://127.0.0.1:5555")); }
static void c_unbind_twice (result_t *r)
{
    void *s = pair_ ();
    char ep[256];
    tu_bind_loopback (s, ep, sizeof ep);
    TEST_ASSERT_SUCCESS (zmq_unbind (s, ep));
    CALL_INT (r, zmq_unbind (s, ep));
}

/*  ------------------------------------------------------------------  */
/*  Socket options (FFI level only)                                     */

static void c_setsockopt_null_sock (result_t *r)
{
    int v = 0;
    CALL_INT (r, zmq_setsockopt (NULL, ZMQ_LINGER, &v, sizeof v));
}
static void c_getsockopt_null_sock (result_t *r)
{
    int v = 0;
    size_t n = sizeof v;
    CALL_INT (r, zmq_getsockopt (NULL, ZMQ_TYPE, &v, &n));
}
static void c_setsockopt_closed (result_t *r)
{
    int v = 0;
    CALL_INT (r, zmq_setsockopt (closed_socket_ (), ZMQ_LINGER, &v, sizeof v));
}
static void c_getsockopt_closed (result_t *r)
{
    int v = 0;
    size_t n = sizeof v;
    CALL_INT (r, zmq_getsockopt (closed_socket_ (), ZMQ_TYPE, &v, &n));
}
static void c_setsockopt_after_shutdown (result_t *r)
{
    int v = 0;
    CALL_INT (r, zmq_setsockopt (shut_socket_ (), ZMQ_LINGER, &v, sizeof v));
}
static void c_getsockopt_after_shutdown (result_t *r)
{
    int v = 0;
    size_t n = sizeof v;
    CALL_INT (r, zmq_getsockopt (shut_socket_ (), ZMQ_TYPE, &v, &n));
}
static void c_setsockopt_after_shutdown_twice (result_t *r)
{
    int v = 0;
    void *s = shut_socket_ ();
    TEST_ASSERT_SUCCESS (zmq_setsockopt (s, ZMQ_LINGER, &v, sizeof v));
    CALL_INT (r, zmq_setsockopt (s, ZMQ_SNDHWM, &v, sizeof v));
}
static void c_setsockopt_after_shutdown_send (result_t *r)
{
    int v = 0;
    void *s = shut_socket_ ();
    TEST_ASSERT_FAILURE (zmq_send (s, "x", 1, ZMQ_DONTWAIT), ETERM);
    CALL_INT (r, zmq_setsockopt (s, ZMQ_LINGER, &v, sizeof v));
}
static void c_setsockopt_after_term (result_t *r)
{
    int v = 0;
    CALL_INT (r, zmq_setsockopt (terming_socket_ (), ZMQ_LINGER, &v, sizeof v));
}
static void c_getsockopt_after_term (result_t *r)
{
    int v = 0;
    size_t n = sizeof v;
    CALL_INT (r, zmq_getsockopt (terming_socket_ (), ZMQ_TYPE, &v, &n));
}
static void c_setsockopt_badopt (result_t *r)
{
    int v = 0;
    CALL_INT (r, zmq_setsockopt (pair_ (), 99999, &v, sizeof v));
}
static void c_getsockopt_badopt (result_t *r)
{
    int v = 0;
    size_t n = sizeof v;
    CALL_INT (r, zmq_getsockopt (pair_ (), 99999, &v, &n));
}
static void c_setsockopt_null_val (result_t *r) { CALL_INT (r, zmq_setsockopt (pair_ (), ZMQ_LINGER, NULL, sizeof (int))); }
static void c_setsockopt_null_val0 (result_t *r) { CALL_INT (r, zmq_setsockopt (pair_ (), ZMQ_LINGER, NULL, 0)); }
static void c_setsockopt_short (result_t *r)
{
    int v = 0;
    CALL_INT (r, zmq_setsockopt (pair_ (), ZMQ_LINGER, &v, 1));
}
static void c_getsockopt_null_len (result_t *r)
{
    int v = 0;
    CALL_INT (r, zmq_getsockopt (pair_ (), ZMQ_TYPE, &v, NULL));
}
static void c_getsockopt_null_val (result_t *r)
{
    size_t n = sizeof (int);
    CALL_INT (r, zmq_getsockopt (pair_ (), ZMQ_TYPE, NULL, &n));
}
static void c_getsockopt_short (result_t *r)
{
    int v = 0;
    size_t n = 1;
    CALL_INT (r, zmq_getsockopt (pair_ (), ZMQ_TYPE, &v, &n));
}
static void c_setsockopt_sub_null0 (result_t *r) { CALL_INT (r, zmq_setsockopt (sock_ (ctx_ (), ZMQ_SUB), ZMQ_SUBSCRIBE, NULL, 0)); }
static void c_setsockopt_sub_null5 (result_t *r) { CALL_INT (r, zmq_setsockopt (sock_ (ctx_ (), ZMQ_SUB), ZMQ_SUBSCRIBE, NULL, 5)); }

/*  ------------------------------------------------------------------  */
/*  send / recv                                                         */

static void c_send_null_sock (result_t *r) { CALL_INT (r, zmq_send (NULL, "x", 1, 0)); }
static void c_recv_null_sock (result_t *r)
{
    char b[4];
    CALL_INT (r, zmq_recv (NULL, b, sizeof b, 0));
}
static void c_send_const_null_sock (result_t *r) { CALL_INT (r, zmq_send_const (NULL, "x", 1, 0)); }
static void c_send_closed (result_t *r) { CALL_INT (r, zmq_send (closed_socket_ (), "x", 1, ZMQ_DONTWAIT)); }
static void c_recv_closed (result_t *r)
{
    char b[4];
    CALL_INT (r, zmq_recv (closed_socket_ (), b, sizeof b, ZMQ_DONTWAIT));
}
static void c_send_after_shutdown (result_t *r) { CALL_INT (r, zmq_send (shut_socket_ (), "x", 1, 0)); }
static void c_recv_after_shutdown (result_t *r)
{
    char b[4];
    CALL_INT (r, zmq_recv (shut_socket_ (), b, sizeof b, 0));
}
static void c_send_after_term (result_t *r) { CALL_INT (r, zmq_send (terming_socket_ (), "x", 1, 0)); }
static void c_recv_after_term (result_t *r)
{
    char b[4];
    CALL_INT (r, zmq_recv (terming_socket_ (), b, sizeof b, ZMQ_DONTWAIT));
}
static void c_send_null_buf0 (result_t *r) { CALL_INT (r, zmq_send (pair_connected_ (), NULL, 0, ZMQ_DONTWAIT)); }
static void c_send_null_buf5 (result_t *r) { CALL_INT (r, zmq_send (pair_connected_ (), NULL, 5, ZMQ_DONTWAIT)); }
static void c_send_const_null_buf0 (result_t *r) { CALL_INT (r, zmq_send_const (pair_connected_ (), NULL, 0, ZMQ_DONTWAIT)); }
static void c_recv_null_buf0 (result_t *r) { CALL_INT (r, zmq_recv (pair_with_message_ (), NULL, 0, ZMQ_DONTWAIT)); }
static void c_recv_null_buf5 (result_t *r) { CALL_INT (r, zmq_recv (pair_with_message_ (), NULL, 5, ZMQ_DONTWAIT)); }
static void c_recv_null_buf5_empty (result_t *r) { CALL_INT (r, zmq_recv (pair_ (), NULL, 5, ZMQ_DONTWAIT)); }
static void c_send_badflags (result_t *r) { CALL_INT (r, zmq_send (pair_ (), "x", 1, ZMQ_DONTWAIT | 0x100)); }
static void c_recv_badflags (result_t *r)
{
    char b[4];
    CALL_INT (r, zmq_recv (pair_ (), b, sizeof b, ZMQ_DONTWAIT | 0x100));
}
static void c_send_neg_flags (result_t *r) { CALL_INT (r, zmq_send (pair_connected_ (), "x", 1, -1)); }
static void c_recv_trunc (result_t *r)
{
    char b[2];
    CALL_INT (r, zmq_recv (pair_with_message_ (), b, sizeof b, ZMQ_DONTWAIT));
}
static void c_send_on_sub (result_t *r) { CALL_INT (r, zmq_send (sock_ (ctx_ (), ZMQ_SUB), "x", 1, ZMQ_DONTWAIT)); }
static void c_recv_on_pub (result_t *r)
{
    char b[4];
    CALL_INT (r, zmq_recv (sock_ (ctx_ (), ZMQ_PUB), b, sizeof b, ZMQ_DONTWAIT));
}
static void c_send_req_twice (result_t *r)
{
    void *ctx = ctx_ ();
    void *req = sock_ (ctx, ZMQ_REQ);
    void *rep = sock_ (ctx, ZMQ_REP);
    TEST_ASSERT_SUCCESS (zmq_bind (rep, "inproc://rr"));
    TEST_ASSERT_SUCCESS (zmq_connect (req, "inproc://rr"));
    TEST_ASSERT_EQ_INT (zmq_send (req, "a", 1, 0), 1);
    CALL_INT (r, zmq_send (req, "a", 1, ZMQ_DONTWAIT));
}
static void c_recv_rep_first (result_t *r)
{
    char b[4];
    void *rep = sock_ (ctx_ (), ZMQ_REP);
    TEST_ASSERT_SUCCESS (zmq_recv (rep, b, sizeof b, ZMQ_DONTWAIT) == -1 ? 0 : -1);
    CALL_INT (r, zmq_send (rep, "a", 1, ZMQ_DONTWAIT));
}

/*  ------------------------------------------------------------------  */
/*  zmq_msg_* (the message bodies are zeroed before use: never garbage)  */

static zmq_msg_t zeroed_;
static zmq_msg_t *closed_msg_ (void)
{
    static zmq_msg_t m;
    TEST_ASSERT_SUCCESS (zmq_msg_init_size (&m, 10));
    TEST_ASSERT_SUCCESS (zmq_msg_close (&m));
    return &m;
}
static zmq_msg_t *valid_msg_ (void)
{
    static zmq_msg_t m;
    TEST_ASSERT_SUCCESS (zmq_msg_init_size (&m, 10));
    return &m;
}

static void c_msg_init_null (result_t *r) { CALL_INT (r, zmq_msg_init (NULL)); }
static void c_msg_init_size_null (result_t *r) { CALL_INT (r, zmq_msg_init_size (NULL, 10)); }
static void c_msg_init_size_huge (result_t *r)
{
    zmq_msg_t m;
    CALL_INT (r, zmq_msg_init_size (&m, SIZE_MAX));
}
static void c_msg_init_size_half (result_t *r)
{
    zmq_msg_t m;
    CALL_INT (r, zmq_msg_init_size (&m, SIZE_MAX / 2));
}
static void c_msg_init_data_null0 (result_t *r)
{
    zmq_msg_t m;
    CALL_INT (r, zmq_msg_init_data (&m, NULL, 0, NULL, NULL));
}
static void c_msg_init_data_null5 (result_t *r)
{
    zmq_msg_t m;
    CALL_INT (r, zmq_msg_init_data (&m, NULL, 5, NULL, NULL));
}
static void c_msg_init_data_null_msg (result_t *r)
{
    static char d[4];
    CALL_INT (r, zmq_msg_init_data (NULL, d, 4, NULL, NULL));
}
static void c_msg_close_null (result_t *r) { CALL_INT (r, zmq_msg_close (NULL)); }
static void c_msg_close_zeroed (result_t *r) { CALL_INT (r, zmq_msg_close (&zeroed_)); }
static void c_msg_close_closed (result_t *r) { CALL_INT (r, zmq_msg_close (closed_msg_ ())); }
static void c_msg_size_null (result_t *r) { CALL_INT (r, zmq_msg_size (NULL)); }
static void c_msg_size_zeroed (result_t *r) { CALL_INT (r, zmq_msg_size (&zeroed_)); }
static void c_msg_size_closed (result_t *r) { CALL_INT (r, zmq_msg_size (closed_msg_ ())); }
static void c_msg_data_null (result_t *r) { CALL_PTR (r, zmq_msg_data (NULL)); }
static void c_msg_data_zeroed (result_t *r) { CALL_PTR (r, zmq_msg_data (&zeroed_)); }
static void c_msg_data_closed (result_t *r) { CALL_PTR (r, zmq_msg_data (closed_msg_ ())); }
static void c_msg_more_null (result_t *r) { CALL_INT (r, zmq_msg_more (NULL)); }
static void c_msg_more_zeroed (result_t *r) { CALL_INT (r, zmq_msg_more (&zeroed_)); }
static void c_msg_more_closed (result_t *r) { CALL_INT (r, zmq_msg_more (closed_msg_ ())); }
static void c_msg_get_null (result_t *r) { CALL_INT (r, zmq_msg_get (NULL, ZMQ_MORE)); }
static void c_msg_get_zeroed (result_t *r) { CALL_INT (r, zmq_msg_get (&zeroed_, ZMQ_MORE)); }
static void c_msg_get_closed (result_t *r) { CALL_INT (r, zmq_msg_get (closed_msg_ (), ZMQ_MORE)); }
static void c_msg_get_badprop (result_t *r) { CALL_INT (r, zmq_msg_get (valid_msg_ (), 12345)); }
static void c_msg_get_srcfd (result_t *r) { CALL_INT (r, zmq_msg_get (valid_msg_ (), ZMQ_SRCFD)); }
static void c_msg_get_shared (result_t *r) { CALL_INT (r, zmq_msg_get (valid_msg_ (), ZMQ_SHARED)); }
static void c_msg_get_shared_zeroed (result_t *r) { CALL_INT (r, zmq_msg_get (&zeroed_, ZMQ_SHARED)); }
static void c_msg_gets_closed (result_t *r) { CALL_PTR (r, zmq_msg_gets (closed_msg_ (), "Socket-Type")); }
static void c_msg_set_any (result_t *r) { CALL_INT (r, zmq_msg_set (valid_msg_ (), ZMQ_MORE, 1)); }
static void c_msg_set_null (result_t *r) { CALL_INT (r, zmq_msg_set (NULL, ZMQ_MORE, 1)); }
static void c_msg_gets_null_msg (result_t *r) { CALL_PTR (r, zmq_msg_gets (NULL, "Socket-Type")); }
static void c_msg_gets_null_prop (result_t *r) { CALL_PTR (r, zmq_msg_gets (valid_msg_ (), NULL)); }
static void c_msg_gets_nometa (result_t *r) { CALL_PTR (r, zmq_msg_gets (valid_msg_ (), "Socket-Type")); }
static void c_msg_gets_zeroed (result_t *r) { CALL_PTR (r, zmq_msg_gets (&zeroed_, "Socket-Type")); }
static void c_msg_copy_null (result_t *r) { CALL_INT (r, zmq_msg_copy (NULL, NULL)); }
static void c_msg_copy_null_src (result_t *r) { CALL_INT (r, zmq_msg_copy (valid_msg_ (), NULL)); }
static void c_msg_copy_zeroed_src (result_t *r) { CALL_INT (r, zmq_msg_copy (valid_msg_ (), &zeroed_)); }
static void c_msg_copy_closed_src (result_t *r)
{
    zmq_msg_t *c = closed_msg_ ();
    CALL_INT (r, zmq_msg_copy (valid_msg_ (), c));
}
static void c_msg_copy_zeroed_dst (result_t *r) { CALL_INT (r, zmq_msg_copy (&zeroed_, valid_msg_ ())); }
static void c_msg_move_null (result_t *r) { CALL_INT (r, zmq_msg_move (NULL, NULL)); }
static void c_msg_move_zeroed_src (result_t *r) { CALL_INT (r, zmq_msg_move (valid_msg_ (), &zeroed_)); }
static void c_msg_move_closed_src (result_t *r)
{
    zmq_msg_t *c = closed_msg_ ();
    CALL_INT (r, zmq_msg_move (valid_msg_ (), c));
}
static void c_msg_move_zeroed_dst (result_t *r) { CALL_INT (r, zmq_msg_move (&zeroed_, valid_msg_ ())); }
static void c_msg_send_null_msg (result_t *r) { CALL_INT (r, zmq_msg_send (NULL, pair_connected_ (), ZMQ_DONTWAIT)); }
static void c_msg_send_null_sock (result_t *r) { CALL_INT (r, zmq_msg_send (valid_msg_ (), NULL, 0)); }
static void c_msg_send_zeroed (result_t *r) { CALL_INT (r, zmq_msg_send (&zeroed_, pair_connected_ (), ZMQ_DONTWAIT)); }
static void c_msg_send_closed (result_t *r)
{
    zmq_msg_t *c = closed_msg_ ();
    CALL_INT (r, zmq_msg_send (c, pair_connected_ (), ZMQ_DONTWAIT));
}
static void c_msg_send_closed_sock (result_t *r) { CALL_INT (r, zmq_msg_send (valid_msg_ (), closed_socket_ (), 0)); }
static void c_msg_recv_null_msg (result_t *r) { CALL_INT (r, zmq_msg_recv (NULL, pair_with_message_ (), ZMQ_DONTWAIT)); }
static void c_msg_recv_null_sock (result_t *r) { CALL_INT (r, zmq_msg_recv (valid_msg_ (), NULL, 0)); }
static void c_msg_recv_zeroed (result_t *r) { CALL_INT (r, zmq_msg_recv (&zeroed_, pair_with_message_ (), ZMQ_DONTWAIT)); }
static void c_msg_recv_closed (result_t *r)
{
    zmq_msg_t *c = closed_msg_ ();
    CALL_INT (r, zmq_msg_recv (c, pair_with_message_ (), ZMQ_DONTWAIT));
}
static void c_msg_recv_after_shutdown (result_t *r) { CALL_INT (r, zmq_msg_recv (valid_msg_ (), shut_socket_ (), 0)); }
static void c_sendmsg_null_sock (result_t *r) { CALL_INT (r, zmq_sendmsg (NULL, valid_msg_ (), 0)); }
static void c_recvmsg_null_sock (result_t *r) { CALL_INT (r, zmq_recvmsg (NULL, valid_msg_ (), 0)); }
static void c_sendmsg_zeroed (result_t *r) { CALL_INT (r, zmq_sendmsg (pair_connected_ (), &zeroed_, ZMQ_DONTWAIT)); }
static void c_recvmsg_zeroed (result_t *r) { CALL_INT (r, zmq_recvmsg (pair_with_message_ (), &zeroed_, ZMQ_DONTWAIT)); }

/*  ------------------------------------------------------------------  */
/*  iov                                                                 */

static void c_sendiov_null_sock (result_t *r)
{
    struct iovec v = {"x", 1};
    CALL_INT (r, zmq_sendiov (NULL, &v, 1, 0));
}
static void c_recviov_null_sock (result_t *r)
{
    char b[4];
    struct iovec v = {b, sizeof b};
    size_t n = 1;
    CALL_INT (r, zmq_recviov (NULL, &v, &n, 0));
}
static void c_sendiov_null_iov (result_t *r) { CALL_INT (r, zmq_sendiov (pair_connected_ (), NULL, 1, ZMQ_DONTWAIT)); }
static void c_sendiov_zero (result_t *r)
{
    struct iovec v = {"x", 1};
    CALL_INT (r, zmq_sendiov (pair_connected_ (), &v, 0, ZMQ_DONTWAIT));
}
static void c_recviov_null_iov (result_t *r)
{
    size_t n = 1;
    CALL_INT (r, zmq_recviov (pair_with_message_ (), NULL, &n, ZMQ_DONTWAIT));
}
static void c_recviov_null_count (result_t *r)
{
    char b[8];
    struct iovec v = {b, sizeof b};
    CALL_INT (r, zmq_recviov (pair_with_message_ (), &v, NULL, ZMQ_DONTWAIT));
}
static void c_recviov_zero (result_t *r)
{
    char b[8];
    struct iovec v = {b, sizeof b};
    size_t n = 0;
    CALL_INT (r, zmq_recviov (pair_with_message_ (), &v, &n, ZMQ_DONTWAIT));
}
static void c_sendiov_closed (result_t *r)
{
    struct iovec v = {"x", 1};
    CALL_INT (r, zmq_sendiov (closed_socket_ (), &v, 1, 0));
}
static void c_sendiov_after_shutdown (result_t *r)
{
    struct iovec v = {"x", 1};
    CALL_INT (r, zmq_sendiov (shut_socket_ (), &v, 1, 0));
}
static void c_recviov_empty (result_t *r)
{
    char b[8];
    struct iovec v = {b, sizeof b};
    size_t n = 1;
    CALL_INT (r, zmq_recviov (pair_ (), &v, &n, ZMQ_DONTWAIT));
}

/*  ------------------------------------------------------------------  */
/*  monitor                                                             */

static void c_monitor_null_sock (result_t *r) { CALL_INT (r, zmq_socket_monitor (NULL, "inproc://m", ZMQ_EVENT_ALL)); }
static void c_monitor_closed (result_t *r) { CALL_INT (r, zmq_socket_monitor (closed_socket_ (), "inproc://m", ZMQ_EVENT_ALL)); }
static void c_monitor_tcp (result_t *r) { CALL_INT (r, zmq_socket_monitor (pair_ (), "tcp://127.0.0.1:5555", ZMQ_EVENT_ALL)); }
static void c_monitor_foo (result_t *r) { CALL_INT (r, zmq_socket_monitor (pair_ (), "foo://x", ZMQ_EVENT_ALL)); }
static void c_monitor_noscheme (result_t *r) { CALL_INT (r, zmq_socket_monitor (pair_ (), "garbage", ZMQ_EVENT_ALL)); }
static void c_monitor_null_ep (result_t *r) { CALL_INT (r, zmq_socket_monitor (pair_ (), NULL, 0)); }
static void c_monitor_udp_on_pair (result_t *r) { CALL_INT (r, zmq_socket_monitor (pair_ (), "udp://127.0.0.1:5555", ZMQ_EVENT_ALL)); }
static void c_monitor_inproc_empty (result_t *r) { CALL_INT (r, zmq_socket_monitor (pair_ (), "inproc://", ZMQ_EVENT_ALL)); }
static void c_monitor_scheme_only (result_t *r) { CALL_INT (r, zmq_socket_monitor (pair_ (), "://x", ZMQ_EVENT_ALL)); }
static void c_monitor_after_shutdown (result_t *r) { CALL_INT (r, zmq_socket_monitor (shut_socket_ (), "inproc://m", ZMQ_EVENT_ALL)); }
static void c_monitor_twice_same (result_t *r)
{
    void *ctx = ctx_ ();
    void *a = sock_ (ctx, ZMQ_PAIR);
    void *b = sock_ (ctx, ZMQ_PAIR);
    TEST_ASSERT_SUCCESS (zmq_socket_monitor (a, "inproc://m", ZMQ_EVENT_ALL));
    CALL_INT (r, zmq_socket_monitor (b, "inproc://m", ZMQ_EVENT_ALL));
}

/*  ------------------------------------------------------------------  */
/*  poll                                                                */

static void c_poll_null_1 (result_t *r) { CALL_INT (r, zmq_poll (NULL, 1, 0)); }
static void c_poll_null_0 (result_t *r) { CALL_INT (r, zmq_poll (NULL, 0, 0)); }
static void c_poll_neg (result_t *r)
{
    zmq_pollitem_t it = {NULL, 0, ZMQ_POLLIN, 0};
    CALL_INT (r, zmq_poll (&it, -1, 0));
}
static void c_poll_closed_sock (result_t *r)
{
    zmq_pollitem_t it = {closed_socket_ (), 0, ZMQ_POLLIN, 0};
    CALL_INT (r, zmq_poll (&it, 1, 0));
}
static void c_poll_foreign_sock (result_t *r)
{
    static char junk[256];
    zmq_pollitem_t it = {junk, 0, ZMQ_POLLIN, 0};
    CALL_INT (r, zmq_poll (&it, 1, 0));
}
static void c_poll_shut_sock (result_t *r)
{
    zmq_pollitem_t it = {shut_socket_ (), 0, ZMQ_POLLIN, 0};
    CALL_INT (r, zmq_poll (&it, 1, 0));
}
static void c_poll_fd_neg (result_t *r)
{
    zmq_pollitem_t it = {NULL, -1, ZMQ_POLLIN, 0};
    CALL_INT (r, zmq_poll (&it, 1, 0));
}
static void c_poll_fd_bad (result_t *r)
{
    zmq_pollitem_t it = {NULL, 9999, ZMQ_POLLIN, 0};
    CALL_INT (r, zmq_poll (&it, 1, 0));
}
static void c_poll_no_events (result_t *r)
{
    zmq_pollitem_t it = {pair_ (), 0, 0, 0};
    CALL_INT (r, zmq_poll (&it, 1, 0));
}
static void c_poll_bad_events (result_t *r)
{
    zmq_pollitem_t it = {pair_ (), 0, (short) 0x7f00, 0};
    CALL_INT (r, zmq_poll (&it, 1, 0));
}
static void c_poll_null_0_wait (result_t *r) { CALL_INT (r, zmq_poll (NULL, 0, 50)); }

/*  ------------------------------------------------------------------  */
/*  proxy / device                                                      */

static void c_proxy_null (result_t *r) { CALL_INT (r, zmq_proxy (NULL, NULL, NULL)); }
static void c_proxy_null_backend (result_t *r) { CALL_INT (r, zmq_proxy (pair_ (), NULL, NULL)); }
static void c_proxy_null_frontend (result_t *r) { CALL_INT (r, zmq_proxy (NULL, pair_ (), NULL)); }
static void c_proxy_closed (result_t *r)
{
    void *ctx = ctx_ ();
    void *a = sock_ (ctx, ZMQ_PAIR);
    void *b = sock_ (ctx, ZMQ_PAIR);
    TEST_ASSERT_SUCCESS (zmq_close (b));
    CALL_INT (r, zmq_proxy (a, b, NULL));
}
static void c_proxy_after_shutdown (result_t *r)
{
    void *ctx = ctx_ ();
    void *a = sock_ (ctx, ZMQ_PAIR);
    void *b = sock_ (ctx, ZMQ_PAIR);
    TEST_ASSERT_SUCCESS (zmq_ctx_shutdown (ctx));
    CALL_INT (r, zmq_proxy (a, b, NULL));
}
static void c_proxy_steerable_null (result_t *r) { CALL_INT (r, zmq_proxy_steerable (NULL, NULL, NULL, NULL)); }
static void c_device_null (result_t *r) { CALL_INT (r, zmq_device (ZMQ_QUEUE, NULL, NULL)); }
static void c_device_badtype_shut (result_t *r)
{
    void *ctx = ctx_ ();
    void *a = sock_ (ctx, ZMQ_PAIR);
    void *b = sock_ (ctx, ZMQ_PAIR);
    TEST_ASSERT_SUCCESS (zmq_ctx_shutdown (ctx));
    CALL_INT (r, zmq_device (12345, a, b));
}

/*  ------------------------------------------------------------------  */
/*  z85 / curve                                                         */

static void c_z85_encode_3 (result_t *r)
{
    char d[32];
    CALL_PTR (r, zmq_z85_encode (d, (const uint8_t *) "abc", 3));
}
static void c_z85_encode_0 (result_t *r)
{
    char d[32] = "junk";
    CALL_PTR (r, zmq_z85_encode (d, (const uint8_t *) "abc", 0));
    snprintf (r->text, sizeof r->text, "[%s]", d);
}
static void c_z85_encode_null_data0 (result_t *r)
{
    char d[32] = "junk";
    CALL_PTR (r, zmq_z85_encode (d, NULL, 0));
}
static void c_z85_encode_null_dest (result_t *r) { CALL_PTR (r, zmq_z85_encode (NULL, (const uint8_t *) "abcd", 4)); }
static void c_z85_encode_null_data (result_t *r)
{
    char d[32];
    CALL_PTR (r, zmq_z85_encode (d, NULL, 4));
}
static void c_z85_decode_len4 (result_t *r)
{
    uint8_t d[32];
    CALL_PTR (r, zmq_z85_decode (d, "abcd"));
}
static void c_z85_decode_empty (result_t *r)
{
    uint8_t d[32];
    CALL_PTR (r, zmq_z85_decode (d, ""));
}
static void c_z85_decode_badchar (result_t *r)
{
    uint8_t d[32];
    CALL_PTR (r, zmq_z85_decode (d, "abc\"e"));
}
static void c_z85_decode_highchar (result_t *r)
{
    uint8_t d[32];
    CALL_PTR (r, zmq_z85_decode (d, "abc\x80" "e"));
}
static void c_z85_decode_overflow (result_t *r)
{
    uint8_t d[32];
    CALL_PTR (r, zmq_z85_decode (d, "#####"));
}
static void c_z85_decode_null_str (result_t *r)
{
    uint8_t d[32];
    CALL_PTR (r, zmq_z85_decode (d, NULL));
}
static void c_z85_decode_null_dest (result_t *r) { CALL_PTR (r, zmq_z85_decode (NULL, "HelloWorld")); }
static void c_curve_public_short (result_t *r)
{
    char pub[41];
    CALL_INT (r, zmq_curve_public (pub, "short"));
}
static void c_curve_public_len5 (result_t *r)
{
    char pub[41];
    CALL_INT (r, zmq_curve_public (pub, "Hello"));
}
static void c_curve_public_badchar (result_t *r)
{
    char pub[41];
    CALL_INT (r, zmq_curve_public (pub, "\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\""));
}
static void c_curve_public_long (result_t *r)
{
    char pub[41];
    CALL_INT (r, zmq_curve_public (pub, "D:)Q[IlAW!ahhC2ac:9*A}h:p?([4%wOTJ%JR%cs.HelloWorld"));
}
static void c_curve_public_null_secret (result_t *r)
{
    char pub[41];
    CALL_INT (r, zmq_curve_public (pub, NULL));
}
static void c_curve_public_null_pub (result_t *r) { CALL_INT (r, zmq_curve_public (NULL, "D:)Q[IlAW!ahhC2ac:9*A}h:p?([4%wOTJ%JR%cs")); }
static void c_curve_keypair_null (result_t *r) { CALL_INT (r, zmq_curve_keypair (NULL, NULL)); }

/*  ------------------------------------------------------------------  */
/*  utilities                                                           */

static void str_case_ (result_t *r, int e)
{
    const char *s = zmq_strerror (e);
    r->rc = s != NULL;
    r->err = 0;
    snprintf (r->text, sizeof r->text, "[%s]", s ? s : "(null)");
}
static void c_strerror_m1 (result_t *r) { str_case_ (r, -1); }
static void c_strerror_0 (result_t *r) { str_case_ (r, 0); }
static void c_strerror_max (result_t *r) { str_case_ (r, INT_MAX); }
static void c_strerror_min (result_t *r) { str_case_ (r, INT_MIN); }
static void c_strerror_hausnumero (result_t *r) { str_case_ (r, ZMQ_HAUSNUMERO); }
static void c_strerror_hausnumero_100 (result_t *r) { str_case_ (r, ZMQ_HAUSNUMERO + 100); }
static void c_strerror_efsm (result_t *r) { str_case_ (r, EFSM); }
static void c_strerror_enocompat (result_t *r) { str_case_ (r, ENOCOMPATPROTO); }
static void c_strerror_eterm (result_t *r) { str_case_ (r, ETERM); }
static void c_strerror_emthread (result_t *r) { str_case_ (r, EMTHREAD); }
static void c_strerror_enotsup (result_t *r) { str_case_ (r, ENOTSUP); }
static void c_strerror_eagain (result_t *r) { str_case_ (r, EAGAIN); }
static void c_strerror_ehostunreach (result_t *r) { str_case_ (r, EHOSTUNREACH); }
static void c_version_null (result_t *r)
{
    errno = 0;
    zmq_version (NULL, NULL, NULL);
    r->rc = 0;
    r->err = errno;
}
static void c_version_partial (result_t *r)
{
    int major = -1;
    errno = 0;
    zmq_version (&major, NULL, NULL);
    r->rc = major;
    r->err = errno;
}
static void c_errno_set (result_t *r)
{
    errno = EINTR;
    r->rc = zmq_errno ();
    r->err = 0;
}
static void c_has_null (result_t *r) { CALL_INT (r, zmq_has (NULL)); }
static void c_has_unknown (result_t *r) { CALL_INT (r, zmq_has ("foo")); }
static void c_has_empty (result_t *r) { CALL_INT (r, zmq_has ("")); }
static void c_has_ipc (result_t *r) { CALL_INT (r, zmq_has ("ipc")); }
static void c_has_curve (result_t *r) { CALL_INT (r, zmq_has ("curve")); }
static void c_has_case (result_t *r) { CALL_INT (r, zmq_has ("IPC")); }
static void c_sleep_zero (result_t *r)
{
    errno = 0;
    zmq_sleep (0);
    r->rc = 0;
    r->err = errno;
}

static void c_counter_new (result_t *r) { CALL_PTR (r, zmq_atomic_counter_new ()); }
static void c_counter_inc_null (result_t *r) { CALL_INT (r, zmq_atomic_counter_inc (NULL)); }
static void c_counter_dec_null (result_t *r) { CALL_INT (r, zmq_atomic_counter_dec (NULL)); }
static void c_counter_value_null (result_t *r) { CALL_INT (r, zmq_atomic_counter_value (NULL)); }
static void c_counter_set_null (result_t *r)
{
    errno = 0;
    zmq_atomic_counter_set (NULL, 5);
    r->rc = 0;
    r->err = errno;
}
static void c_counter_destroy_null (result_t *r)
{
    errno = 0;
    zmq_atomic_counter_destroy (NULL);
    r->rc = 0;
    r->err = errno;
}
static void c_counter_destroy_nullp (result_t *r)
{
    void *p = NULL;
    errno = 0;
    zmq_atomic_counter_destroy (&p);
    r->rc = p != NULL;
    r->err = errno;
}
static void c_counter_dec_zero (result_t *r)
{
    void *c = zmq_atomic_counter_new ();
    TEST_ASSERT (c);
    CALL_INT (r, zmq_atomic_counter_dec (c));
    r->rc = r->rc * 100 + zmq_atomic_counter_value (c);
}

static void noop_handler_ (int id, void *arg)
{
    (void) id;
    (void) arg;
}
static void *timers_ (void)
{
    void *t = zmq_timers_new ();
    TEST_ASSERT (t);
    return t;
}
static void c_timers_destroy_null (result_t *r) { CALL_INT (r, zmq_timers_destroy (NULL)); }
static void c_timers_destroy_nullp (result_t *r)
{
    void *p = NULL;
    CALL_INT (r, zmq_timers_destroy (&p));
}
static void c_timers_destroy_twice (result_t *r)
{
    void *t = timers_ ();
    TEST_ASSERT_SUCCESS (zmq_timers_destroy (&t));
    CALL_INT (r, zmq_timers_destroy (&t));
}
static void c_timers_add_null (result_t *r) { CALL_INT (r, zmq_timers_add (NULL, 10, noop_handler_, NULL)); }
static void c_timers_add_null_handler (result_t *r) { CALL_INT (r, zmq_timers_add (timers_ (), 10, NULL, NULL)); }
static void c_timers_add_zero (result_t *r) { CALL_INT (r, zmq_timers_add (timers_ (), 0, noop_handler_, NULL)); }
static void c_timers_add_foreign (result_t *r)
{
    static char junk[256];
    CALL_INT (r, zmq_timers_add (junk, 10, noop_handler_, NULL));
}
static void c_timers_cancel_null (result_t *r) { CALL_INT (r, zmq_timers_cancel (NULL, 1)); }
static void c_timers_cancel_bad (result_t *r) { CALL_INT (r, zmq_timers_cancel (timers_ (), 12345)); }
static void c_timers_cancel_neg (result_t *r) { CALL_INT (r, zmq_timers_cancel (timers_ (), -1)); }
static void c_timers_cancel_twice (result_t *r)
{
    void *t = timers_ ();
    int id = zmq_timers_add (t, 1000, noop_handler_, NULL);
    TEST_ASSERT (id >= 0);
    TEST_ASSERT_SUCCESS (zmq_timers_cancel (t, id));
    CALL_INT (r, zmq_timers_cancel (t, id));
}
static void c_timers_set_interval_null (result_t *r) { CALL_INT (r, zmq_timers_set_interval (NULL, 1, 10)); }
static void c_timers_set_interval_bad (result_t *r) { CALL_INT (r, zmq_timers_set_interval (timers_ (), 12345, 10)); }
static void c_timers_reset_null (result_t *r) { CALL_INT (r, zmq_timers_reset (NULL, 1)); }
static void c_timers_reset_bad (result_t *r) { CALL_INT (r, zmq_timers_reset (timers_ (), 12345)); }
static void c_timers_timeout_null (result_t *r) { CALL_INT (r, zmq_timers_timeout (NULL)); }
static void c_timers_timeout_empty (result_t *r) { CALL_INT (r, zmq_timers_timeout (timers_ ())); }
static void c_timers_execute_null (result_t *r) { CALL_INT (r, zmq_timers_execute (NULL)); }
static void c_timers_execute_empty (result_t *r) { CALL_INT (r, zmq_timers_execute (timers_ ())); }
static void c_timers_after_destroy (result_t *r)
{
    void *t = timers_ ();
    void *copy = t;
    TEST_ASSERT_SUCCESS (zmq_timers_destroy (&t));
    r->rc = t != NULL;
    r->err = 0;
    (void) copy;
}

static void c_stopwatch_stop_null (result_t *r)
{
    errno = 0;
    r->rc = (long long) zmq_stopwatch_stop (NULL);
    r->err = errno;
}
static void c_stopwatch_intermediate_null (result_t *r)
{
    errno = 0;
    r->rc = (long long) zmq_stopwatch_intermediate (NULL);
    r->err = errno;
}
static void c_stopwatch_ok (result_t *r)
{
    void *w = zmq_stopwatch_start ();
    TEST_ASSERT (w);
    errno = 0;
    unsigned long a = zmq_stopwatch_intermediate (w);
    unsigned long b = zmq_stopwatch_stop (w);
    r->rc = b >= a && b < 10000000;
    r->err = errno;
}

static void c_threadclose_null (result_t *r)
{
    errno = 0;
    zmq_threadclose (NULL);
    r->rc = 0;
    r->err = errno;
}
static void c_threadstart_null (result_t *r)
{
    void *t;
    CALL_PTR (r, (t = zmq_threadstart (NULL, NULL)));
    if (t)
        zmq_threadclose (t);
}

/*  ------------------------------------------------------------------  */
/*  The table: libzmq 4.3.4's results (taken with --print on Debian's
    libzmq), flags as described at the top.

    LZ_CRASH, where libzmq 4.3.4 segfaults (s) or fails an assertion (a):
    zmq_bind/zmq_connect with a NULL endpoint (a); zmq_setsockopt with a
    NULL value and a non-zero size (s), ZMQ_SUBSCRIBE so (a);
    zmq_getsockopt with NULL value or length (s); zmq_send with a NULL
    buffer and a non-zero size (a); zmq_recv into a NULL buffer when a
    frame has bytes to copy (a); every zmq_msg_* with a NULL message (s);
    zmq_msg_size/zmq_msg_data on a zeroed or closed message (a);
    zmq_msg_send/zmq_sendmsg of a zeroed or closed message (a);
    zmq_msg_init_data with NULL data and a non-zero size (a); zmq_device
    with NULL sockets (s); zmq_z85_encode/decode with a NULL argument (s);
    zmq_curve_public/zmq_curve_keypair with NULL buffers (s); zmq_version
    with NULL pointers (s); zmq_has (NULL) (s); every zmq_atomic_counter_*
    with NULL (s); zmq_timers_destroy (NULL) (s); zmq_stopwatch_* (NULL)
    (s); zmq_threadclose (NULL) and zmq_threadstart (NULL, NULL) (s).
    There the table holds libzmq-rs's clean failure.

    LZ_UB: zmq_curve_public with a secret shorter than 40 characters:
    libzmq decodes the few bytes given and derives a key from a partly
    uninitialised buffer (returns 0); libzmq-rs refuses with EINVAL.

    BUSY_OK: port 99999 is taken modulo 65536 by libzmq (and libzmq-rs):
    those binds really bind port 34463, which may be in use.

    Not covered: zmq_poll (NULL, 0, -1) blocks forever in libzmq (as
    documented: no items, infinite timeout).  */

#define C(name, rc, err, flags) {#name, c_##name, rc, err, flags, NULL}
#define S(name, text) {#name, c_##name, 1, 0, ANY_ERR, text}

static const case_t cases[] = {
    C (ctx_term_null, -1, EFAULT, 0),
    C (ctx_destroy_null, -1, EFAULT, 0),
    C (term_null, -1, EFAULT, 0),
    C (ctx_shutdown_null, -1, EFAULT, 0),
    C (ctx_set_null, -1, EFAULT, 0),
    C (ctx_get_null, -1, EFAULT, 0),
    C (ctx_set_badopt, -1, EINVAL, 0),
    C (ctx_get_badopt, -1, EINVAL, 0),
    C (ctx_set_io_neg, -1, EINVAL, 0),
    C (ctx_set_maxs_zero, -1, EINVAL, 0),
    C (ctx_set_maxs_neg, -1, EINVAL, 0),
    C (ctx_set_msgsize_neg, -1, EINVAL, 0),
    C (ctx_set_thrprio_neg, -1, EINVAL, 0),
    C (ctx_set_sched_bad, -1, EINVAL, 0),
    C (ctx_set_ipv6_2, 0, 0, ANY_ERR),
    C (ctx_set_blocky_2, 0, 0, ANY_ERR),
    C (ctx_get_socket_limit, 65535, 0, ANY_ERR),
    C (ctx_shutdown_twice, 0, 0, ANY_ERR),
    C (ctx_get_after_shutdown, 1, 0, ANY_ERR),
    C (ctx_set_after_shutdown, 0, 0, ANY_ERR),
    C (ctx_term_after_shutdown, 0, 0, ANY_ERR),
    C (socket_after_shutdown, 0, ETERM, 0),
    C (ctx_get_after_term, -1, EFAULT, 0),
    C (ctx_set_after_term, -1, EFAULT, 0),
    C (ctx_shutdown_after_term, -1, EFAULT, 0),
    C (ctx_term_twice, -1, EFAULT, 0),
    C (socket_after_term, 0, EFAULT, 0),
    C (init_neg, 0, EINVAL, 0),
    C (init_zero, 1, 0, ANY_ERR),
    C (ctx_term_foreign, -1, EFAULT, 0),
    C (socket_null_ctx, 0, EFAULT, 0),
    C (socket_bad_type, 0, EINVAL, 0),
    C (socket_neg_type, 0, EINVAL, 0),
    C (socket_foreign_ctx, 0, EFAULT, 0),
    C (socket_max_sockets, 0, EMFILE, 0),
    C (close_null, -1, ENOTSOCK, 0),
    C (close_closed, -1, ENOTSOCK, 0),
    C (close_foreign, -1, ENOTSOCK, 0),
    C (close_after_shutdown, 0, 0, ANY_ERR),
    C (close_ctx_ptr, -1, ENOTSOCK, 0),
    C (bind_null_sock, -1, ENOTSOCK, 0),
    C (bind_closed, -1, ENOTSOCK, 0),
    C (bind_after_shutdown, -1, ETERM, 0),
    C (bind_after_term, -1, ETERM, 0),
    C (bind_null_ep, -1, EINVAL, LZ_CRASH),
    C (bind_empty, -1, EINVAL, 0),
    C (bind_noscheme, -1, EINVAL, 0),
    C (bind_foo, -1, EPROTONOSUPPORT, 0),
    C (bind_tcp_empty, -1, EINVAL, 0),
    C (bind_tcp_bigport, 0, 0, ANY_ERR | BUSY_OK),
    C (bind_tcp_star_bigport, 0, 0, ANY_ERR | BUSY_OK),
    C (bind_tcp_noport, -1, EINVAL, 0),
    C (bind_tcp_badport, -1, EINVAL, 0),
    C (bind_tcp_emptyhost, -1, ENODEV, 0),
    C (bind_ipc_empty, -1, EINVAL, 0),
    C (bind_ipc_long, -1, ENAMETOOLONG, 0),
    C (bind_inproc_empty, -1, EINVAL, 0),
    C (bind_udp_on_pair, -1, ENOCOMPATPROTO, 0),
    C (bind_scheme_only, -1, EINVAL, 0),
    C (connect_null_sock, -1, ENOTSOCK, 0),
    C (connect_closed, -1, ENOTSOCK, 0),
    C (connect_after_shutdown, -1, ETERM, 0),
    C (connect_after_term, -1, ETERM, 0),
    C (connect_null_ep, -1, EINVAL, LZ_CRASH),
    C (connect_empty, -1, EINVAL, 0),
    C (connect_noscheme, -1, EINVAL, 0),
    C (connect_foo, -1, EPROTONOSUPPORT, 0),
    C (connect_tcp_empty, -1, EINVAL, 0),
    C (connect_tcp_bigport, 0, 0, ANY_ERR),
    C (connect_tcp_star_bigport, -1, EINVAL, 0),
    C (connect_tcp_noport, -1, EINVAL, 0),
    C (connect_tcp_badport, -1, EINVAL, 0),
    C (connect_tcp_emptyhost, 0, 0, ANY_ERR),
    C (connect_ipc_empty, -1, EINVAL, 0),
    C (connect_ipc_long, -1, ENAMETOOLONG, 0),
    C (connect_inproc_empty, -1, EINVAL, 0),
    C (connect_udp_on_pair, -1, ENOCOMPATPROTO, 0),
    C (connect_scheme_only, -1, EINVAL, 0),
    C (unbind_null_sock, -1, ENOTSOCK, 0),
    C (unbind_closed, -1, ENOTSOCK, 0),
    C (unbind_after_shutdown, -1, ETERM, 0),
    C (unbind_after_term, -1, ETERM, 0),
    C (unbind_null_ep, -1, EINVAL, 0),
    C (unbind_empty, -1, EINVAL, 0),
    C (unbind_noscheme, -1, EINVAL, 0),
    C (unbind_foo, -1, EPROTONOSUPPORT, 0),
    C (unbind_tcp_empty, -1, EINVAL, 0),
    C (unbind_tcp_bigport, -1, ENOENT, 0),
    C (unbind_tcp_star_bigport, -1, ENOENT, 0),
    C (unbind_tcp_noport, -1, ENOENT, 0),
    C (unbind_tcp_badport, -1, ENOENT, 0),
    C (unbind_tcp_emptyhost, -1, ENOENT, 0),
    C (unbind_ipc_empty, -1, EINVAL, 0),
    C (unbind_ipc_long, -1, ENOENT, 0),
    C (unbind_inproc_empty, -1, EINVAL, 0),
    C (unbind_udp_on_pair, -1, ENOCOMPATPROTO, 0),
    C (unbind_scheme_only, -1, EINVAL, 0),
    C (disconnect_null_sock, -1, ENOTSOCK, 0),
    C (disconnect_closed, -1, ENOTSOCK, 0),
    C (disconnect_after_shutdown, -1, ETERM, 0),
    C (disconnect_after_term, -1, ETERM, 0),
    C (disconnect_null_ep, -1, EINVAL, 0),
    C (disconnect_empty, -1, EINVAL, 0),
    C (disconnect_noscheme, -1, EINVAL, 0),
    C (disconnect_foo, -1, EPROTONOSUPPORT, 0),
    C (disconnect_tcp_empty, -1, EINVAL, 0),
    C (disconnect_tcp_bigport, -1, ENOENT, 0),
    C (disconnect_tcp_star_bigport, -1, ENOENT, 0),
    C (disconnect_tcp_noport, -1, ENOENT, 0),
    C (disconnect_tcp_badport, -1, ENOENT, 0),
    C (disconnect_tcp_emptyhost, -1, ENOENT, 0),
    C (disconnect_ipc_empty, -1, EINVAL, 0),
    C (disconnect_ipc_long, -1, ENOENT, 0),
    C (disconnect_inproc_empty, -1, EINVAL, 0),
    C (disconnect_udp_on_pair, -1, ENOCOMPATPROTO, 0),
    C (disconnect_scheme_only, -1, EINVAL, 0),
    C (connect_tcp_star, -1, EINVAL, 0),
    C (connect_tcp_port0, 0, 0, ANY_ERR),
    C (connect_tcp_portstar, -1, EINVAL, 0),
    C (bind_tcp_badhost, -1, ENODEV, 0),
    C (bind_tcp_badif, -1, ENODEV, 0),
    C (bind_inproc_twice, -1, EADDRINUSE, 0),
    C (bind_tcp_inuse, -1, EADDRINUSE, 0),
    C (unbind_not_bound, -1, ENOENT, 0),
    C (unbind_wildcard, -1, ENOENT, 0),
    C (disconnect_not_connected, -1, ENOENT, 0),
    C (unbind_twice, -1, ENOENT, 0),
    C (setsockopt_null_sock, -1, ENOTSOCK, 0),
    C (getsockopt_null_sock, -1, ENOTSOCK, 0),
    C (setsockopt_closed, -1, ENOTSOCK, 0),
    C (getsockopt_closed, -1, ENOTSOCK, 0),
    C (setsockopt_after_shutdown, 0, 0, ANY_ERR),
    C (getsockopt_after_shutdown, 0, 0, ANY_ERR),
    C (setsockopt_after_shutdown_twice, 0, 0, ANY_ERR),
    C (setsockopt_after_shutdown_send, -1, ETERM, 0),
    C (setsockopt_after_term, -1, ETERM, 0),
    C (getsockopt_after_term, -1, ETERM, 0),
    C (setsockopt_badopt, -1, EINVAL, 0),
    C (getsockopt_badopt, -1, EINVAL, 0),
    C (setsockopt_null_val, -1, EFAULT, LZ_CRASH),
    C (setsockopt_null_val0, -1, EINVAL, 0),
    C (setsockopt_short, -1, EINVAL, 0),
    C (getsockopt_null_len, -1, EFAULT, LZ_CRASH),
    C (getsockopt_null_val, -1, EFAULT, LZ_CRASH),
    C (getsockopt_short, -1, EINVAL, 0),
    C (setsockopt_sub_null0, 0, 0, ANY_ERR),
    C (setsockopt_sub_null5, -1, EFAULT, LZ_CRASH),
    C (send_null_sock, -1, ENOTSOCK, 0),
    C (recv_null_sock, -1, ENOTSOCK, 0),
    C (send_const_null_sock, -1, ENOTSOCK, 0),
    C (send_closed, -1, ENOTSOCK, 0),
    C (recv_closed, -1, ENOTSOCK, 0),
    C (send_after_shutdown, -1, ETERM, 0),
    C (recv_after_shutdown, -1, ETERM, 0),
    C (send_after_term, -1, ETERM, 0),
    C (recv_after_term, -1, ETERM, 0),
    C (send_null_buf0, 0, 0, ANY_ERR),
    C (send_null_buf5, -1, EFAULT, LZ_CRASH),
    C (send_const_null_buf0, 0, 0, ANY_ERR),
    C (recv_null_buf0, 5, 0, ANY_ERR),
    C (recv_null_buf5, -1, EFAULT, LZ_CRASH),
    C (recv_null_buf5_empty, -1, EAGAIN, 0),
    C (send_badflags, -1, EAGAIN, 0),
    C (recv_badflags, -1, EAGAIN, 0),
    C (send_neg_flags, 1, 0, ANY_ERR),
    C (recv_trunc, 5, 0, ANY_ERR),
    C (send_on_sub, -1, ENOTSUP, 0),
    C (recv_on_pub, -1, ENOTSUP, 0),
    C (send_req_twice, -1, EFSM, 0),
    C (recv_rep_first, -1, EFSM, 0),
    C (msg_init_null, -1, EFAULT, LZ_CRASH),
    C (msg_init_size_null, -1, EFAULT, LZ_CRASH),
    C (msg_init_size_huge, -1, ENOMEM, 0),
    C (msg_init_size_half, -1, ENOMEM, 0),
    C (msg_init_data_null0, 0, 0, ANY_ERR),
    C (msg_init_data_null5, -1, EFAULT, LZ_CRASH),
    C (msg_init_data_null_msg, -1, EFAULT, LZ_CRASH),
    C (msg_close_null, -1, EFAULT, LZ_CRASH),
    C (msg_close_zeroed, -1, EFAULT, 0),
    C (msg_close_closed, -1, EFAULT, 0),
    C (msg_size_null, 0, EFAULT, LZ_CRASH),
    C (msg_size_zeroed, 0, EFAULT, LZ_CRASH),
    C (msg_size_closed, 0, EFAULT, LZ_CRASH),
    C (msg_data_null, 0, EFAULT, LZ_CRASH),
    C (msg_data_zeroed, 0, EFAULT, LZ_CRASH),
    C (msg_data_closed, 0, EFAULT, LZ_CRASH),
    C (msg_more_null, -1, EFAULT, LZ_CRASH),
    C (msg_more_zeroed, 0, 0, ANY_ERR),
    C (msg_more_closed, 0, 0, ANY_ERR),
    C (msg_get_null, -1, EFAULT, LZ_CRASH),
    C (msg_get_zeroed, 0, 0, ANY_ERR),
    C (msg_get_closed, 0, 0, ANY_ERR),
    C (msg_get_badprop, -1, EINVAL, 0),
    C (msg_get_srcfd, -1, EINVAL, 0),
    C (msg_get_shared, 0, 0, ANY_ERR),
    C (msg_get_shared_zeroed, 0, 0, ANY_ERR),
    C (msg_gets_closed, 0, EINVAL, 0),
    C (msg_set_any, -1, EINVAL, 0),
    C (msg_set_null, -1, EINVAL, 0),
    C (msg_gets_null_msg, 0, EFAULT, LZ_CRASH),
    C (msg_gets_null_prop, 0, EINVAL, 0),
    C (msg_gets_nometa, 0, EINVAL, 0),
    C (msg_gets_zeroed, 0, EINVAL, 0),
    C (msg_copy_null, -1, EFAULT, LZ_CRASH),
    C (msg_copy_null_src, -1, EFAULT, LZ_CRASH),
    C (msg_copy_zeroed_src, -1, EFAULT, 0),
    C (msg_copy_closed_src, -1, EFAULT, 0),
    C (msg_copy_zeroed_dst, -1, EFAULT, 0),
    C (msg_move_null, -1, EFAULT, LZ_CRASH),
    C (msg_move_zeroed_src, -1, EFAULT, 0),
    C (msg_move_closed_src, -1, EFAULT, 0),
    C (msg_move_zeroed_dst, -1, EFAULT, 0),
    C (msg_send_null_msg, -1, EFAULT, LZ_CRASH),
    C (msg_send_null_sock, -1, ENOTSOCK, 0),
    C (msg_send_zeroed, -1, EFAULT, LZ_CRASH),
    C (msg_send_closed, -1, EFAULT, LZ_CRASH),
    C (msg_send_closed_sock, -1, ENOTSOCK, 0),
    C (msg_recv_null_msg, -1, EFAULT, 0),
    C (msg_recv_null_sock, -1, ENOTSOCK, 0),
    C (msg_recv_zeroed, -1, EFAULT, 0),
    C (msg_recv_closed, -1, EFAULT, 0),
    C (msg_recv_after_shutdown, -1, ETERM, 0),
    C (sendmsg_null_sock, -1, ENOTSOCK, 0),
    C (recvmsg_null_sock, -1, ENOTSOCK, 0),
    C (sendmsg_zeroed, -1, EFAULT, LZ_CRASH),
    C (recvmsg_zeroed, -1, EFAULT, 0),
    C (sendiov_null_sock, -1, ENOTSOCK, 0),
    C (recviov_null_sock, -1, ENOTSOCK, 0),
    C (sendiov_null_iov, -1, EINVAL, 0),
    C (sendiov_zero, -1, EINVAL, 0),
    C (recviov_null_iov, -1, EINVAL, 0),
    C (recviov_null_count, -1, EINVAL, 0),
    C (recviov_zero, -1, EINVAL, 0),
    C (sendiov_closed, -1, ENOTSOCK, 0),
    C (sendiov_after_shutdown, -1, ETERM, 0),
    C (recviov_empty, -1, EAGAIN, 0),
    C (monitor_null_sock, -1, ENOTSOCK, 0),
    C (monitor_closed, -1, ENOTSOCK, 0),
    C (monitor_tcp, -1, EPROTONOSUPPORT, 0),
    C (monitor_foo, -1, EPROTONOSUPPORT, 0),
    C (monitor_noscheme, -1, EINVAL, 0),
    C (monitor_null_ep, 0, 0, ANY_ERR),
    C (monitor_udp_on_pair, -1, ENOCOMPATPROTO, 0),
    C (monitor_inproc_empty, -1, EINVAL, 0),
    C (monitor_scheme_only, -1, EINVAL, 0),
    C (monitor_after_shutdown, -1, ETERM, 0),
    C (monitor_twice_same, -1, EADDRINUSE, 0),
    C (poll_null_1, -1, EFAULT, 0),
    C (poll_null_0, 0, 0, ANY_ERR),
    C (poll_neg, -1, EINVAL, 0),
    C (poll_closed_sock, -1, ENOTSOCK, 0),
    C (poll_foreign_sock, -1, ENOTSOCK, 0),
    C (poll_shut_sock, -1, ETERM, 0),
    C (poll_fd_neg, 0, 0, ANY_ERR),
    C (poll_fd_bad, 1, 0, ANY_ERR),
    C (poll_no_events, 0, 0, ANY_ERR),
    C (poll_bad_events, 0, 0, ANY_ERR),
    C (poll_null_0_wait, 0, 0, ANY_ERR),
    C (proxy_null, -1, EFAULT, 0),
    C (proxy_null_backend, -1, EFAULT, 0),
    C (proxy_null_frontend, -1, EFAULT, 0),
    C (proxy_closed, -1, ENOTSOCK, 0),
    C (proxy_after_shutdown, -1, ETERM, 0),
    C (proxy_steerable_null, -1, EFAULT, 0),
    C (device_null, -1, EFAULT, LZ_CRASH),
    C (device_badtype_shut, -1, ETERM, 0),
    C (z85_encode_3, 0, EINVAL, 0),
    {"z85_encode_0", c_z85_encode_0, 1, 0, ANY_ERR, "[]"},
    C (z85_encode_null_data0, 1, 0, ANY_ERR),
    C (z85_encode_null_dest, 0, EFAULT, LZ_CRASH),
    C (z85_encode_null_data, 0, EFAULT, LZ_CRASH),
    C (z85_decode_len4, 0, EINVAL, 0),
    C (z85_decode_empty, 0, EINVAL, 0),
    C (z85_decode_badchar, 0, EINVAL, 0),
    C (z85_decode_highchar, 0, EINVAL, 0),
    C (z85_decode_overflow, 0, EINVAL, 0),
    C (z85_decode_null_str, 0, EFAULT, LZ_CRASH),
    C (z85_decode_null_dest, 0, EFAULT, LZ_CRASH),
    C (curve_public_short, -1, EINVAL, LZ_UB),
    C (curve_public_len5, -1, EINVAL, LZ_UB),
    C (curve_public_badchar, -1, EINVAL, 0),
    C (curve_public_long, -1, EINVAL, 0),
    C (curve_public_null_secret, -1, EFAULT, LZ_CRASH),
    C (curve_public_null_pub, -1, EFAULT, LZ_CRASH),
    C (curve_keypair_null, -1, EFAULT, LZ_CRASH),
    S (strerror_m1, "[Unknown error -1]"),
    S (strerror_0, "[Success]"),
    S (strerror_max, "[Unknown error 2147483647]"),
    S (strerror_min, "[Unknown error -2147483648]"),
    S (strerror_hausnumero, "[Unknown error 156384712]"),
    S (strerror_hausnumero_100, "[Unknown error 156384812]"),
    S (strerror_efsm, "[Operation cannot be accomplished in current state]"),
    S (strerror_enocompat, "[The protocol is not compatible with the socket type]"),
    S (strerror_eterm, "[Context was terminated]"),
    S (strerror_emthread, "[No thread available]"),
    S (strerror_enotsup, "[Operation not supported]"),
    S (strerror_eagain, "[Resource temporarily unavailable]"),
    S (strerror_ehostunreach, "[Host unreachable]"),
    C (version_null, 0, 0, LZ_CRASH),
    C (version_partial, 4, 0, LZ_CRASH),
    C (errno_set, 4, 0, ANY_ERR),
    C (has_null, 0, EFAULT, LZ_CRASH),
    C (has_unknown, 0, 0, ANY_ERR),
    C (has_empty, 0, 0, ANY_ERR),
    C (has_ipc, 1, 0, ANY_ERR),
    C (has_curve, 1, 0, ANY_ERR),
    C (has_case, 0, 0, ANY_ERR),
    C (sleep_zero, 0, 0, ANY_ERR),
    C (counter_new, 1, 0, ANY_ERR),
    C (counter_inc_null, -1, EFAULT, LZ_CRASH),
    C (counter_dec_null, -1, EFAULT, LZ_CRASH),
    C (counter_value_null, -1, EFAULT, LZ_CRASH),
    C (counter_set_null, 0, EFAULT, LZ_CRASH),
    C (counter_destroy_null, 0, 0, LZ_CRASH),
    C (counter_destroy_nullp, 0, 0, ANY_ERR),
    C (counter_dec_zero, 99, 0, ANY_ERR),
    C (timers_destroy_null, -1, EFAULT, LZ_CRASH),
    C (timers_destroy_nullp, -1, EFAULT, 0),
    C (timers_destroy_twice, -1, EFAULT, 0),
    C (timers_add_null, -1, EFAULT, 0),
    C (timers_add_null_handler, -1, EFAULT, 0),
    C (timers_add_zero, 1, 0, ANY_ERR),
    C (timers_add_foreign, -1, EFAULT, 0),
    C (timers_cancel_null, -1, EFAULT, 0),
    C (timers_cancel_bad, -1, EINVAL, 0),
    C (timers_cancel_neg, -1, EINVAL, 0),
    C (timers_cancel_twice, -1, EINVAL, 0),
    C (timers_set_interval_null, -1, EFAULT, 0),
    C (timers_set_interval_bad, -1, EINVAL, 0),
    C (timers_reset_null, -1, EFAULT, 0),
    C (timers_reset_bad, -1, EINVAL, 0),
    C (timers_timeout_null, -1, EFAULT, 0),
    C (timers_timeout_empty, -1, 0, 0),
    C (timers_execute_null, -1, EFAULT, 0),
    C (timers_execute_empty, 0, 0, ANY_ERR),
    C (timers_after_destroy, 0, 0, ANY_ERR),
    C (stopwatch_stop_null, 0, EFAULT, LZ_CRASH),
    C (stopwatch_intermediate_null, 0, EFAULT, LZ_CRASH),
    C (stopwatch_ok, 1, 0, ANY_ERR),
    C (threadclose_null, 0, 0, LZ_CRASH),
    C (threadstart_null, 0, EFAULT, LZ_CRASH),
};

/*  ------------------------------------------------------------------  */

static const char *errname_ (int e)
{
    static char buf[32];
    switch (e) {
        case 0: return "0";
        case EFAULT: return "EFAULT";
        case EINVAL: return "EINVAL";
        case ENOTSOCK: return "ENOTSOCK";
        case ETERM: return "ETERM";
        case EAGAIN: return "EAGAIN";
        case ENOTSUP: return "ENOTSUP";
        case EFSM: return "EFSM";
        case EPROTONOSUPPORT: return "EPROTONOSUPPORT";
        case ENOCOMPATPROTO: return "ENOCOMPATPROTO";
        case ENOENT: return "ENOENT";
        case ENOMEM: return "ENOMEM";
        case EMFILE: return "EMFILE";
        case EADDRINUSE: return "EADDRINUSE";
        case EADDRNOTAVAIL: return "EADDRNOTAVAIL";
        case ENODEV: return "ENODEV";
        case ENAMETOOLONG: return "ENAMETOOLONG";
        case EMTHREAD: return "EMTHREAD";
        case EBADF: return "EBADF";
        case EINTR: return "EINTR";
        case EHOSTUNREACH: return "EHOSTUNREACH";
        case ECONNREFUSED: return "ECONNREFUSED";
        default: snprintf (buf, sizeof buf, "%d", e); return buf;
    }
}

/*  Run one case in a child. Returns 1 and fills *r, or 0 on a crash (the
    signal number in *sig).  */
static int run_case_ (const case_t *c, result_t *r, int *sig)
{
    int fds[2];
    TEST_ASSERT (pipe (fds) == 0);
    pid_t pid = fork ();
    TEST_ASSERT (pid >= 0);
    if (pid == 0) {
        close (fds[0]);
        alarm (10);
        result_t res;
        memset (&res, 0, sizeof res);
        c->fn (&res);
        ssize_t n = write (fds[1], &res, sizeof res);
        _exit (n == (ssize_t) sizeof res ? 0 : 3);
    }
    close (fds[1]);
    memset (r, 0, sizeof *r);
    size_t got = 0;
    while (got < sizeof *r) {
        ssize_t n = read (fds[0], (char *) r + got, sizeof *r - got);
        if (n <= 0)
            break;
        got += (size_t) n;
    }
    close (fds[0]);
    int status = 0;
    TEST_ASSERT (waitpid (pid, &status, 0) == pid);
    *sig = WIFSIGNALED (status) ? WTERMSIG (status) : 0;
    if (got == sizeof *r)
        return 1;
    if (!*sig)
        *sig = -WEXITSTATUS (status);
    return 0;
}

int main (int argc, char **argv)
{
    int print = argc > 1 && strcmp (argv[1], "--print") == 0;
    if (!print)
        tu_begin ("test_api_sweep");
    int major = 0, minor = 0, patch = 0;
    zmq_version (&major, &minor, &patch);
    int is_ours = major == 4 && minor == 3 && patch == 5;
    int failures = 0;
    size_t n = sizeof cases / sizeof cases[0];
    for (size_t i = 0; i < n; i++) {
        const case_t *c = &cases[i];
        result_t r;
        int sig = 0;
        int ok = run_case_ (c, &r, &sig);
        if (print) {
            if (ok)
                printf ("%-28s rc=%lld errno=%s %s\n", c->name, r.rc,
                        errname_ (r.err), r.text);
            else
                printf ("%-28s crash(%d)\n", c->name, sig);
            continue;
        }
        if ((c->flags & LZ_UB) && !is_ours)
            continue;
        if (!ok) {
            if ((c->flags & LZ_CRASH) && !is_ours)
                continue;
            if (sig > 0)
                fprintf (stderr, "case %s: crashed (signal %d)\n", c->name,
                         sig);
            else
                fprintf (stderr, "case %s: set-up failed (exit %d)\n",
                         c->name, -sig);
            failures++;
            continue;
        }
        if ((c->flags & BUSY_OK) && r.rc == -1 && r.err == EADDRINUSE)
            continue;
        int bad = r.rc != c->want_rc;
        if (!(c->flags & ANY_ERR) && r.err != c->want_err)
            bad = 1;
        if (c->want_text && strcmp (r.text, c->want_text) != 0)
            bad = 1;
        if (bad) {
            fprintf (stderr,
                     "case %s: rc=%lld errno=%s %s, expected rc=%lld "
                     "errno=%s %s\n",
                     c->name, r.rc, errname_ (r.err), r.text, c->want_rc,
                     errname_ (c->want_err), c->want_text ? c->want_text : "");
            failures++;
        }
    }
    if (print)
        return 0;
    TEST_ASSERT_MSG (failures == 0, "%d case(s) differ from libzmq", failures);
    return tu_end ();
}
