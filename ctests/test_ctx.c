/*  test_ctx.c: zmq_ctx_new(3), zmq_ctx_set(3), zmq_ctx_get(3),
    zmq_ctx_shutdown(3), zmq_ctx_term(3), and the deprecated zmq_init /
    zmq_term / zmq_ctx_destroy.  Checked against Debian's libzmq 4.3.4.  */
#include "testutil.h"

#include <limits.h>
#include <dirent.h>
#include <sched.h>
#include <sys/wait.h>
#include <unistd.h>

static void test_defaults (void)
{
    void *ctx = zmq_ctx_new ();
    TEST_ASSERT (ctx != NULL);
    TEST_ASSERT_EQ_INT (zmq_ctx_get (ctx, ZMQ_IO_THREADS), ZMQ_IO_THREADS_DFLT);
    TEST_ASSERT_EQ_INT (zmq_ctx_get (ctx, ZMQ_MAX_SOCKETS),
                        ZMQ_MAX_SOCKETS_DFLT);
    TEST_ASSERT_EQ_INT (ZMQ_IO_THREADS_DFLT, 1);
    TEST_ASSERT_EQ_INT (ZMQ_MAX_SOCKETS_DFLT, 1023);
    TEST_ASSERT_EQ_INT (zmq_ctx_get (ctx, ZMQ_IPV6), 0);
    TEST_ASSERT_EQ_INT (zmq_ctx_get (ctx, ZMQ_BLOCKY), 1);
    TEST_ASSERT_EQ_INT (zmq_ctx_get (ctx, ZMQ_MAX_MSGSZ), INT_MAX);
    TEST_ASSERT_EQ_INT (zmq_ctx_get (ctx, ZMQ_MSG_T_SIZE), sizeof (zmq_msg_t));
    TEST_ASSERT (zmq_ctx_get (ctx, ZMQ_SOCKET_LIMIT) >= 1023);
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

static void test_set_get (void)
{
    void *ctx = zmq_ctx_new ();
    TEST_ASSERT (ctx != NULL);
    TEST_ASSERT_SUCCESS (zmq_ctx_set (ctx, ZMQ_IO_THREADS, 2));
    TEST_ASSERT_EQ_INT (zmq_ctx_get (ctx, ZMQ_IO_THREADS), 2);
    TEST_ASSERT_SUCCESS (zmq_ctx_set (ctx, ZMQ_MAX_SOCKETS, 10));
    TEST_ASSERT_EQ_INT (zmq_ctx_get (ctx, ZMQ_MAX_SOCKETS), 10);
    TEST_ASSERT_SUCCESS (zmq_ctx_set (ctx, ZMQ_IPV6, 1));
    TEST_ASSERT_EQ_INT (zmq_ctx_get (ctx, ZMQ_IPV6), 1);
    TEST_ASSERT_SUCCESS (zmq_ctx_set (ctx, ZMQ_BLOCKY, 0));
    TEST_ASSERT_EQ_INT (zmq_ctx_get (ctx, ZMQ_BLOCKY), 0);
    TEST_ASSERT_SUCCESS (zmq_ctx_set (ctx, ZMQ_MAX_MSGSZ, 4096));
    TEST_ASSERT_EQ_INT (zmq_ctx_get (ctx, ZMQ_MAX_MSGSZ), 4096);

    /*  Invalid values and options.  */
    TEST_ASSERT_FAILURE (zmq_ctx_set (ctx, ZMQ_IO_THREADS, -1), EINVAL);
    TEST_ASSERT_FAILURE (zmq_ctx_set (ctx, ZMQ_MAX_SOCKETS, 0), EINVAL);
    TEST_ASSERT_FAILURE (zmq_ctx_set (ctx, ZMQ_MAX_MSGSZ, -1), EINVAL);
    TEST_ASSERT_FAILURE (zmq_ctx_set (ctx, 12345, 1), EINVAL);
    TEST_ASSERT_FAILURE (zmq_ctx_get (ctx, 12345), EINVAL);
    TEST_ASSERT_EQ_INT (zmq_ctx_get (ctx, ZMQ_IO_THREADS), 2);
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

static void test_max_sockets (void)
{
    void *ctx = zmq_ctx_new ();
    TEST_ASSERT (ctx != NULL);
    TEST_ASSERT_SUCCESS (zmq_ctx_set (ctx, ZMQ_MAX_SOCKETS, 2));
    void *a = zmq_socket (ctx, ZMQ_PAIR);
    void *b = zmq_socket (ctx, ZMQ_PAIR);
    TEST_ASSERT (a != NULL && b != NULL);
    errno = 0;
    TEST_ASSERT_NULL_ERRNO (zmq_socket (ctx, ZMQ_PAIR), EMFILE);
    TEST_ASSERT_SUCCESS (zmq_close (a));
    TEST_ASSERT_SUCCESS (zmq_close (b));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

static void test_null_handles (void)
{
    TEST_ASSERT_FAILURE (zmq_ctx_term (NULL), EFAULT);
    TEST_ASSERT_FAILURE (zmq_ctx_shutdown (NULL), EFAULT);
    TEST_ASSERT_FAILURE (zmq_ctx_set (NULL, ZMQ_IO_THREADS, 1), EFAULT);
    TEST_ASSERT_FAILURE (zmq_ctx_get (NULL, ZMQ_IO_THREADS), EFAULT);
    errno = 0;
    TEST_ASSERT_NULL_ERRNO (zmq_socket (NULL, ZMQ_PAIR), EFAULT);
}

static void test_shutdown (void)
{
    void *ctx = zmq_ctx_new ();
    TEST_ASSERT (ctx != NULL);
    void *s = zmq_socket (ctx, ZMQ_PULL);
    TEST_ASSERT (s != NULL);
    TEST_ASSERT_SUCCESS (zmq_ctx_shutdown (ctx));
    /*  Blocking calls on existing sockets now fail with ETERM ...  */
    char buf[8];
    TEST_ASSERT_FAILURE (zmq_recv (s, buf, sizeof buf, 0), ETERM);
    /*  ... and no new socket can be made.  */
    errno = 0;
    TEST_ASSERT_NULL_ERRNO (zmq_socket (ctx, ZMQ_PUSH), ETERM);
    TEST_ASSERT_SUCCESS (zmq_close (s));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

static void test_term_linger_zero (void)
{
    /*  With ZMQ_LINGER 0 a pending message does not hold up zmq_ctx_term.  */
    void *ctx = zmq_ctx_new ();
    TEST_ASSERT (ctx != NULL);
    void *s = zmq_socket (ctx, ZMQ_PUSH);
    TEST_ASSERT (s != NULL);
    int linger = 0;
    TEST_ASSERT_SUCCESS (
        zmq_setsockopt (s, ZMQ_LINGER, &linger, sizeof linger));
    TEST_ASSERT_SUCCESS (zmq_connect (s, "tcp://127.0.0.1:1"));
    TEST_ASSERT_EQ_INT (zmq_send (s, "x", 1, ZMQ_DONTWAIT), 1);
    TEST_ASSERT_SUCCESS (zmq_close (s));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

static void test_deprecated (void)
{
    void *ctx = zmq_init (1);
    TEST_ASSERT (ctx != NULL);
    TEST_ASSERT_EQ_INT (zmq_ctx_get (ctx, ZMQ_IO_THREADS), 1);
    TEST_ASSERT_SUCCESS (zmq_term (ctx));
    errno = 0;
    TEST_ASSERT_NULL_ERRNO (zmq_init (-1), EINVAL);

    ctx = zmq_ctx_new ();
    TEST_ASSERT (ctx != NULL);
    TEST_ASSERT_SUCCESS (zmq_ctx_destroy (ctx));
}

/*  Threads of this process whose name starts with `prefix`; the task id
    of the first one in *first (when not NULL and there is one).  */
static int find_threads (const char *prefix, long *first)
{
    DIR *d = opendir ("/proc/self/task");
    TEST_ASSERT (d != NULL);
    int n = 0;
    struct dirent *e;
    while ((e = readdir (d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char path[300], name[64] = "";
        snprintf (path, sizeof path, "/proc/self/task/%s/comm", e->d_name);
        FILE *f = fopen (path, "r");
        if (!f)
            continue;
        if (fgets (name, sizeof name, f) &&
            !strncmp (name, prefix, strlen (prefix))) {
            if (n == 0 && first)
                *first = atol (e->d_name);
            n++;
        }
        fclose (f);
    }
    closedir (d);
    return n;
}

static int count_threads (const char *prefix)
{
    return find_threads (prefix, NULL);
}

/*  ZMQ_IO_THREADS = 3: three I/O threads (named ZMQbg/IO/<n>, as
    libzmq names them) serve the context's connections; pairs of sockets
    over tcp and ipc exchange messages through them; term ends them.  */
static void test_io_threads (void)
{
    void *ctx = zmq_ctx_new ();
    TEST_ASSERT_SUCCESS (zmq_ctx_set (ctx, ZMQ_IO_THREADS, 3));
    enum { PAIRS = 6 };
    void *a[PAIRS], *b[PAIRS];
    for (int i = 0; i < PAIRS; i++) {
        a[i] = zmq_socket (ctx, ZMQ_PAIR);
        b[i] = zmq_socket (ctx, ZMQ_PAIR);
        char ep[256];
        if (i % 2) {
            tu_bind_loopback (a[i], ep, sizeof ep);
        } else {
            TEST_ASSERT_SUCCESS (zmq_bind (a[i], "ipc://*"));
            size_t n = sizeof ep;
            TEST_ASSERT_SUCCESS (
                zmq_getsockopt (a[i], ZMQ_LAST_ENDPOINT, ep, &n));
        }
        TEST_ASSERT_SUCCESS (zmq_connect (b[i], ep));
        int timeo = 5000;
        TEST_ASSERT_SUCCESS (
            zmq_setsockopt (a[i], ZMQ_RCVTIMEO, &timeo, sizeof timeo));
        TEST_ASSERT_SUCCESS (
            zmq_setsockopt (b[i], ZMQ_RCVTIMEO, &timeo, sizeof timeo));
    }
    char buf[16];
    for (int round = 0; round < 100; round++)
        for (int i = 0; i < PAIRS; i++) {
            TEST_ASSERT_EQ_INT (zmq_send (b[i], "ping", 4, 0), 4);
            TEST_ASSERT_EQ_INT (zmq_recv (a[i], buf, sizeof buf, 0), 4);
            TEST_ASSERT_EQ_INT (zmq_send (a[i], "pong", 4, 0), 4);
            TEST_ASSERT_EQ_INT (zmq_recv (b[i], buf, sizeof buf, 0), 4);
        }
    /*  Every thread has served connections by now, so each has named
        itself (a thread names itself when it starts running).  */
    TEST_ASSERT_EQ_INT (count_threads ("ZMQbg/IO/"), 3);
    for (int i = 0; i < PAIRS; i++) {
        TEST_ASSERT_SUCCESS (zmq_close (a[i]));
        TEST_ASSERT_SUCCESS (zmq_close (b[i]));
    }
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
    TEST_ASSERT_EQ_INT (count_threads ("ZMQbg/IO/"), 0);
}

/*  ZMQ_THREAD_NAME_PREFIX (an int in 4.3): the I/O thread is named
    "<prefix>/ZMQbg/IO/0", as libzmq names it.  */
static void test_thread_name_prefix (void)
{
    void *ctx = zmq_ctx_new ();
    TEST_ASSERT_SUCCESS (zmq_ctx_set (ctx, ZMQ_THREAD_NAME_PREFIX, 42));
    void *a = zmq_socket (ctx, ZMQ_PAIR);
    void *b = zmq_socket (ctx, ZMQ_PAIR);
    char ep[256], buf[16];
    tu_bind_loopback (a, ep, sizeof ep);
    TEST_ASSERT_SUCCESS (zmq_connect (b, ep));
    TEST_ASSERT_EQ_INT (zmq_send (b, "hi", 2, 0), 2);
    TEST_ASSERT_EQ_INT (zmq_recv (a, buf, sizeof buf, 0), 2);
    TEST_ASSERT_EQ_INT (count_threads ("42/ZMQbg/IO/"), 1);
    TEST_ASSERT_SUCCESS (zmq_close (a));
    TEST_ASSERT_SUCCESS (zmq_close (b));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

/*  The Cpus_allowed_list of this process's first thread whose name
    starts with `prefix`, into buf ("" when there is none).  */
static void thread_cpus (const char *prefix, char *buf, size_t n)
{
    buf[0] = 0;
    long tid;
    if (find_threads (prefix, &tid) == 0)
        return;
    char path[64], line[256];
    snprintf (path, sizeof path, "/proc/self/task/%ld/status", tid);
    FILE *f = fopen (path, "r");
    TEST_ASSERT (f != NULL);
    while (fgets (line, sizeof line, f))
        if (!strncmp (line, "Cpus_allowed_list:", 18)) {
            char *v = line + 18;
            while (*v == ' ' || *v == '\t')
                v++;
            v[strcspn (v, "\n")] = 0;
            size_t len = strlen (v) < n - 1 ? strlen (v) : n - 1;
            memcpy (buf, v, len);
            buf[len] = 0;
        }
    fclose (f);
}

/*  ZMQ_THREAD_AFFINITY_CPU_ADD: the I/O thread runs on the CPUs added
    (here the last CPU this process may use).  */
static void test_thread_affinity (void)
{
    cpu_set_t mine;
    TEST_ASSERT (sched_getaffinity (0, sizeof mine, &mine) == 0);
    int cpu = -1;
    for (int i = 0; i < CPU_SETSIZE; i++)
        if (CPU_ISSET (i, &mine))
            cpu = i;
    TEST_ASSERT (cpu >= 0);
    void *ctx = zmq_ctx_new ();
    TEST_ASSERT_SUCCESS (zmq_ctx_set (ctx, ZMQ_THREAD_AFFINITY_CPU_ADD, cpu));
    void *a = zmq_socket (ctx, ZMQ_PAIR);
    void *b = zmq_socket (ctx, ZMQ_PAIR);
    char ep[256], buf[64];
    tu_bind_loopback (a, ep, sizeof ep);
    TEST_ASSERT_SUCCESS (zmq_connect (b, ep));
    TEST_ASSERT_EQ_INT (zmq_send (b, "hi", 2, 0), 2);
    TEST_ASSERT_EQ_INT (zmq_recv (a, buf, sizeof buf, 0), 2);
    thread_cpus ("ZMQbg/IO/", buf, sizeof buf);
    char want[16];
    snprintf (want, sizeof want, "%d", cpu);
    TEST_ASSERT_EQ_STR (buf, want);
    TEST_ASSERT_SUCCESS (zmq_close (a));
    TEST_ASSERT_SUCCESS (zmq_close (b));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

/*  A child forked after the context started its I/O thread closes the
    parent's socket and terminates the parent's context (the thread is not
    in the child: libzmq stops without waiting and says EINTR), then talks
    to the parent through a context of its own; exit status 0 only when
    every call did what it should.  */
static void test_fork (void)
{
    /*  Under memcheck the child's copy of the parent's I/O threads'
        memory (their stacks are gone) counts as lost and fails its exit
        status: scripts/run-valgrind.sh sets TU_VALGRIND.  */
    if (getenv ("TU_VALGRIND")) {
        printf ("# test_fork skipped under valgrind\n");
        return;
    }
    void *ctx = zmq_ctx_new ();
    void *pull = zmq_socket (ctx, ZMQ_PULL);
    char ep[256];
    tu_bind_loopback (pull, ep, sizeof ep);
    int timeo = 5000;
    TEST_ASSERT_SUCCESS (
        zmq_setsockopt (pull, ZMQ_RCVTIMEO, &timeo, sizeof timeo));

    pid_t pid = fork ();
    TEST_ASSERT (pid >= 0);
    if (pid == 0) {
        alarm (10);
        int bad = 0;
        bad |= zmq_close (pull) != 0;
        bad |= zmq_ctx_term (ctx) != -1 || errno != EINTR;
        void *c2 = zmq_ctx_new ();
        void *push = zmq_socket (c2, ZMQ_PUSH);
        bad |= push == NULL;
        bad |= zmq_connect (push, ep) != 0;
        for (int i = 0; i < 5; i++)
            bad |= zmq_send (push, "Hello", 5, 0) != 5;
        bad |= zmq_close (push) != 0;
        bad |= zmq_ctx_term (c2) != 0;
        _exit (bad ? 2 : 0);
    }
    char buf[16];
    for (int i = 0; i < 5; i++) {
        TEST_ASSERT_EQ_INT (zmq_recv (pull, buf, sizeof buf, 0), 5);
        TEST_ASSERT (memcmp (buf, "Hello", 5) == 0);
    }
    int status = -1;
    TEST_ASSERT_EQ_INT (waitpid (pid, &status, 0), pid);
    TEST_ASSERT (WIFEXITED (status));
    TEST_ASSERT_EQ_INT (WEXITSTATUS (status), 0);
    TEST_ASSERT_SUCCESS (zmq_close (pull));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

int main (void)
{
    tu_begin ("test_ctx");
    test_defaults ();
    test_set_get ();
    test_max_sockets ();
    test_null_handles ();
    test_shutdown ();
    test_term_linger_zero ();
    test_deprecated ();
    test_fork ();
    test_io_threads ();
    test_thread_name_prefix ();
    test_thread_affinity ();
    return tu_end ();
}
