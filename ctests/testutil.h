/*  ctests/testutil.h: the tiny assertion helper shared by the C tests.

    Role: every ctests/test_*.c uses only <zmq.h> (as a libzmq user would)
    plus this header. It gives
      - TEST_ASSERT(cond)            fail with file:line and the condition;
      - TEST_ASSERT_EQ_INT(a, b)     compare two integers, print both;
      - TEST_ASSERT_SUCCESS(expr)    expr must not return -1 (prints errno);
      - TEST_ASSERT_FAILURE(expr, e) expr must return -1 with errno == e;
      - TEST_ASSERT_NULL_ERRNO(expr, e) expr must return NULL with errno e;
      - tu_begin(name) / tu_end()    banner, library check, "PASS" line;
      - tu_bind_loopback(s, buf, n)  bind tcp://127.0.0.1:* and read
                                     ZMQ_LAST_ENDPOINT into buf.
    Invariant: a failed assertion prints "FAIL" and exits with status 1; a
    passing test prints "PASS <name>" and returns 0 from main.

    Which library is under test: tu_begin() prints the path of the libzmq
    mapped into this process (from /proc/self/maps) and the version that
    zmq_version() reports, and asserts
      - the version equals $ZMQ_TEST_EXPECT_VERSION (default "4.3.5", the
        version libzmq-rs reports; the runner sets "4.3.4" when it checks
        the tests themselves against Debian's libzmq);
      - if $ZMQ_TEST_EXPECT_LIBDIR is set, the mapped library lives there.
    So a test can never pass silently against the wrong library.

    Written for libzmq-rs (C99, builds with -Wall -Werror).  */

#ifndef LIBZMQ_RS_CTESTS_TESTUTIL_H
#define LIBZMQ_RS_CTESTS_TESTUTIL_H

#if !defined(_GNU_SOURCE)
#define _GNU_SOURCE
#endif

#include <zmq.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

static const char *tu_test_name = "?";

#define TEST_FAIL_AT(file, line, ...)                                          \
    do {                                                                       \
        fprintf (stderr, "%s:%d: ", (file), (line));                           \
        fprintf (stderr, __VA_ARGS__);                                         \
        fprintf (stderr, "\nFAIL %s\n", tu_test_name);                         \
        fflush (stderr);                                                       \
        exit (1);                                                              \
    } while (0)

#define TEST_ASSERT(cond)                                                      \
    do {                                                                       \
        if (!(cond))                                                           \
            TEST_FAIL_AT (__FILE__, __LINE__, "assertion failed: %s", #cond);  \
    } while (0)

#define TEST_ASSERT_MSG(cond, ...)                                             \
    do {                                                                       \
        if (!(cond))                                                           \
            TEST_FAIL_AT (__FILE__, __LINE__, __VA_ARGS__);                    \
    } while (0)

#define TEST_ASSERT_EQ_INT(a, b)                                               \
    do {                                                                       \
        long long tu_a_ = (long long) (a), tu_b_ = (long long) (b);            \
        if (tu_a_ != tu_b_)                                                    \
            TEST_FAIL_AT (__FILE__, __LINE__, "%s == %lld, expected %s == %lld", \
                          #a, tu_a_, #b, tu_b_);                               \
    } while (0)

#define TEST_ASSERT_EQ_STR(a, b)                                               \
    do {                                                                       \
        const char *tu_a_ = (a), *tu_b_ = (b);                                 \
        if (tu_a_ == NULL || tu_b_ == NULL || strcmp (tu_a_, tu_b_) != 0)      \
            TEST_FAIL_AT (__FILE__, __LINE__, "%s == \"%s\", expected \"%s\"", \
                          #a, tu_a_ ? tu_a_ : "(null)",                        \
                          tu_b_ ? tu_b_ : "(null)");                           \
    } while (0)

/*  expr must succeed (not return -1).  Evaluates to nothing; use
    TEST_ASSERT_SUCCESS_RC when the return value is needed.  */
#define TEST_ASSERT_SUCCESS(expr)                                              \
    do {                                                                       \
        int tu_rc_ = (int) (expr);                                             \
        if (tu_rc_ == -1) {                                                    \
            int tu_e_ = zmq_errno ();                                          \
            TEST_FAIL_AT (__FILE__, __LINE__, "%s failed: errno %d (%s)",      \
                          #expr, tu_e_, zmq_strerror (tu_e_));                 \
        }                                                                      \
    } while (0)

/*  expr must return -1 and set errno to err.  */
#define TEST_ASSERT_FAILURE(expr, err)                                         \
    do {                                                                       \
        int tu_rc_ = (int) (expr);                                             \
        int tu_e_ = zmq_errno ();                                              \
        if (tu_rc_ != -1)                                                      \
            TEST_FAIL_AT (__FILE__, __LINE__,                                  \
                          "%s returned %d, expected -1 with %s", #expr,        \
                          tu_rc_, #err);                                       \
        if (tu_e_ != (err))                                                    \
            TEST_FAIL_AT (__FILE__, __LINE__,                                  \
                          "%s set errno %d (%s), expected %s (%d)", #expr,     \
                          tu_e_, zmq_strerror (tu_e_), #err, (int) (err));     \
    } while (0)

/*  expr (a pointer) must be NULL with errno err.  */
#define TEST_ASSERT_NULL_ERRNO(expr, err)                                      \
    do {                                                                       \
        const void *tu_p_ = (const void *) (expr);                             \
        int tu_e_ = zmq_errno ();                                              \
        if (tu_p_ != NULL)                                                     \
            TEST_FAIL_AT (__FILE__, __LINE__, "%s is not NULL", #expr);        \
        if (tu_e_ != (err))                                                    \
            TEST_FAIL_AT (__FILE__, __LINE__,                                  \
                          "%s set errno %d (%s), expected %s (%d)", #expr,     \
                          tu_e_, zmq_strerror (tu_e_), #err, (int) (err));     \
    } while (0)

/*  Path of the libzmq shared object mapped into this process, or "" when
    none is (a static link).  */
static inline void tu_loaded_libzmq (char *buf, size_t n)
{
    buf[0] = '\0';
    FILE *f = fopen ("/proc/self/maps", "r");
    if (!f)
        return;
    char line[4096];
    while (fgets (line, sizeof line, f)) {
        char *path = strchr (line, '/');
        if (!path)
            continue;
        path[strcspn (path, "\n")] = '\0';
        const char *base = strrchr (path, '/');
        base = base ? base + 1 : path;
        if (strncmp (base, "libzmq.so", 9) == 0) {
            snprintf (buf, n, "%s", path);
            break;
        }
    }
    fclose (f);
}

/*  Start of every test: banner and proof of which library is loaded.  */
static inline void tu_begin (const char *name)
{
    tu_test_name = name;
    setvbuf (stdout, NULL, _IONBF, 0);
    int major = -1, minor = -1, patch = -1;
    zmq_version (&major, &minor, &patch);
    char version[64];
    snprintf (version, sizeof version, "%d.%d.%d", major, minor, patch);
    char path[4096];
    tu_loaded_libzmq (path, sizeof path);
    printf ("# %s: libzmq %s from %s\n", name, version,
            path[0] ? path : "(static)");

    const char *want = getenv ("ZMQ_TEST_EXPECT_VERSION");
    if (!want || !*want)
        want = "4.3.5";
    TEST_ASSERT_MSG (strcmp (version, want) == 0,
                     "zmq_version() says %s, expected %s: wrong library loaded",
                     version, want);
    const char *dir = getenv ("ZMQ_TEST_EXPECT_LIBDIR");
    if (dir && *dir) {
        char real_dir[4096];
        const char *d = realpath (dir, real_dir) ? real_dir : dir;
        char real_path[4096];
        const char *p = realpath (path, real_path) ? real_path : path;
        TEST_ASSERT_MSG (strncmp (p, d, strlen (d)) == 0,
                         "libzmq loaded from %s, expected it under %s", p, d);
    }
}

/*  End of every test: returns main's exit status.  */
static inline int tu_end (void)
{
    printf ("PASS %s\n", tu_test_name);
    return 0;
}

/*  Bind socket to tcp://127.0.0.1:* and copy the endpoint the OS chose
    (ZMQ_LAST_ENDPOINT, e.g. "tcp://127.0.0.1:40123") into buf.  */
static inline void tu_bind_loopback (void *socket, char *buf, size_t n)
{
    TEST_ASSERT_SUCCESS (zmq_bind (socket, "tcp://127.0.0.1:*"));
    size_t len = n;
    TEST_ASSERT_SUCCESS (zmq_getsockopt (socket, ZMQ_LAST_ENDPOINT, buf, &len));
    TEST_ASSERT (len > 0 && len <= n);
    TEST_ASSERT (strncmp (buf, "tcp://127.0.0.1:", 16) == 0);
}

/*  A socket of `type` (SOCK_STREAM, SOCK_DGRAM) bound to 127.0.0.1 on a
    port the OS chose; its port in *port. The caller closes it.  */
static inline int tu_loopback_fd (int type, int *port)
{
    int fd = socket (AF_INET, type, 0);
    TEST_ASSERT (fd >= 0);
    struct sockaddr_in a;
    memset (&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    TEST_ASSERT (bind (fd, (struct sockaddr *) &a, len) == 0);
    TEST_ASSERT (getsockname (fd, (struct sockaddr *) &a, &len) == 0);
    *port = ntohs (a.sin_port);
    return fd;
}

/*  Send a string as one frame (flags as zmq_send); asserts success.  */
static inline void tu_send_str (void *socket, const char *s, int flags)
{
    int len = (int) strlen (s);
    int rc = zmq_send (socket, s, (size_t) len, flags);
    TEST_ASSERT_MSG (rc == len, "zmq_send(\"%s\") returned %d: errno %d (%s)",
                     s, rc, zmq_errno (), zmq_strerror (zmq_errno ()));
}

/*  Send one frame of n bytes, as a handler thread does while the test may
    be tearing its context down: -1 once the context is ending (ETERM),
    any other failure fails the test.  */
static inline int tu_send_unless_term (void *socket, const void *data, size_t n,
                                       int flags)
{
    int rc = zmq_send (socket, data, n, flags);
    if (rc == -1 && zmq_errno () == ETERM)
        return -1;
    TEST_ASSERT_MSG (rc == (int) n, "zmq_send of %d bytes returned %d: errno %d (%s)",
                     (int) n, rc, zmq_errno (), zmq_strerror (zmq_errno ()));
    return 0;
}

/*  Receive one frame and assert it equals s.  */
static inline void tu_recv_str (void *socket, const char *s)
{
    char buf[256];
    int rc = zmq_recv (socket, buf, sizeof buf - 1, 0);
    TEST_ASSERT_MSG (rc >= 0, "zmq_recv failed: errno %d (%s)", zmq_errno (),
                     zmq_strerror (zmq_errno ()));
    TEST_ASSERT_MSG ((size_t) rc < sizeof buf, "frame too long (%d)", rc);
    buf[rc] = '\0';
    TEST_ASSERT_EQ_STR (buf, s);
}


/*  Appended by the ctests helper (messaging-engine tests).  */
#ifndef LIBZMQ_RS_CTESTS_TESTUTIL_MSG_HELPERS
#define LIBZMQ_RS_CTESTS_TESTUTIL_MSG_HELPERS

/*  Set an int socket option; asserts success.  */
static inline void tu_set_int (void *socket, int option, int value)
{
    TEST_ASSERT_SUCCESS (zmq_setsockopt (socket, option, &value, sizeof value));
}

/*  Read an int socket option; asserts success.  */
static inline int tu_get_int (void *socket, int option)
{
    int value = 0;
    size_t len = sizeof value;
    TEST_ASSERT_SUCCESS (zmq_getsockopt (socket, option, &value, &len));
    TEST_ASSERT_EQ_INT (len, sizeof value);
    return value;
}

/*  Copy ZMQ_LAST_ENDPOINT of socket into buf.  */
static inline void tu_last_endpoint (void *socket, char *buf, size_t n)
{
    size_t len = n;
    TEST_ASSERT_SUCCESS (zmq_getsockopt (socket, ZMQ_LAST_ENDPOINT, buf, &len));
    TEST_ASSERT (len > 0 && len <= n);
}

/*  Receive one frame and assert it fails with EAGAIN (use with
    ZMQ_RCVTIMEO set, or flags ZMQ_DONTWAIT).  */
static inline void tu_recv_eagain (void *socket, int flags)
{
    char buf[256];
    int rc = zmq_recv (socket, buf, sizeof buf, flags);
    int e = zmq_errno ();
    TEST_ASSERT_MSG (rc == -1 && e == EAGAIN,
                     "zmq_recv returned %d (errno %d), expected EAGAIN", rc,
                     rc == -1 ? e : 0);
}

#endif

#endif
