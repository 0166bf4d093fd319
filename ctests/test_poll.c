/*  test_poll.c: zmq_poll(3) on sockets and on a plain file descriptor
    (a pipe), timeouts -1 / 0 / n, ZMQ_POLLIN / ZMQ_POLLOUT, the misuse
    errors, and the ZMQ_FD + ZMQ_EVENTS edge-triggered loop that pyzmq and
    CZMQ build on (zmq_getsockopt(3)), ZMQ_FD readable after a tcp / ipc
    bind and connect.  Checked against Debian's libzmq
    4.3.4.  */
#include "testutil.h"

#include <poll.h>
#include <time.h>
#include <unistd.h>

static long long now_ms (void)
{
    struct timespec ts;
    clock_gettime (CLOCK_MONOTONIC, &ts);
    return (long long) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void test_sockets (int tcp)
{
    void *ctx = zmq_ctx_new ();
    void *a = zmq_socket (ctx, ZMQ_PAIR);
    void *b = zmq_socket (ctx, ZMQ_PAIR);
    char ep[256];
    if (tcp)
        tu_bind_loopback (a, ep, sizeof ep);
    else {
        snprintf (ep, sizeof ep, "inproc://test_poll-sockets");
        TEST_ASSERT_SUCCESS (zmq_bind (a, ep));
    }
    TEST_ASSERT_SUCCESS (zmq_connect (b, ep));

    zmq_pollitem_t items[2] = {{a, 0, ZMQ_POLLIN, 0}, {b, 0, ZMQ_POLLIN, 0}};
    /*  Nothing to read: timeout 0 returns at once with 0.  */
    TEST_ASSERT_EQ_INT (zmq_poll (items, 2, 0), 0);
    TEST_ASSERT_EQ_INT (items[0].revents, 0);
    TEST_ASSERT_EQ_INT (items[1].revents, 0);
    /*  Timeout n waits about n ms.  */
    long long t0 = now_ms ();
    TEST_ASSERT_EQ_INT (zmq_poll (items, 2, 150), 0);
    long long dt = now_ms () - t0;
    TEST_ASSERT_MSG (dt >= 130 && dt < 3000, "poll returned after %lld ms", dt);

    tu_send_str (b, "to-a", 0);
    /*  With a message on its way, a long timeout returns early.  */
    t0 = now_ms ();
    TEST_ASSERT_EQ_INT (zmq_poll (items, 2, 5000), 1);
    TEST_ASSERT (now_ms () - t0 < 4000);
    TEST_ASSERT_EQ_INT (items[0].revents, ZMQ_POLLIN);
    TEST_ASSERT_EQ_INT (items[1].revents, 0);
    tu_recv_str (a, "to-a");
    TEST_ASSERT_EQ_INT (zmq_poll (items, 2, 0), 0);

    /*  Timeout -1 with something ready returns it.  */
    tu_send_str (a, "to-b", 0);
    TEST_ASSERT_EQ_INT (zmq_poll (items, 2, -1), 1);
    TEST_ASSERT_EQ_INT (items[1].revents, ZMQ_POLLIN);
    tu_recv_str (b, "to-b");

    /*  Both ready: each is reported (perhaps not by the same call).
        Inproc only: over tcp, Debian's libzmq 4.3.4 PAIR sometimes loses
        sight of the second message here (ZMQ_EVENTS stays POLLOUT).  */
    if (!tcp) {
        tu_send_str (a, "x", 0);
        tu_send_str (b, "y", 0);
        int seen_a = 0, seen_b = 0;
        for (int i = 0; i < 100 && !(seen_a && seen_b); i++) {
            int rc = zmq_poll (items, 2, 100);
            TEST_ASSERT (rc >= 0);
            seen_a |= items[0].revents & ZMQ_POLLIN;
            seen_b |= items[1].revents & ZMQ_POLLIN;
        }
        TEST_ASSERT (seen_a && seen_b);
        tu_recv_str (a, "y");
        tu_recv_str (b, "x");
    }

    /*  POLLOUT: a connected PAIR can write.  */
    zmq_pollitem_t out = {a, 0, ZMQ_POLLOUT | ZMQ_POLLIN, 0};
    TEST_ASSERT_EQ_INT (zmq_poll (&out, 1, 1000), 1);
    TEST_ASSERT_EQ_INT (out.revents, ZMQ_POLLOUT);
    tu_set_int (a, ZMQ_LINGER, 0);
    tu_set_int (b, ZMQ_LINGER, 0);
    TEST_ASSERT_SUCCESS (zmq_close (a));
    TEST_ASSERT_SUCCESS (zmq_close (b));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

static void test_pollout (void)
{
    void *ctx = zmq_ctx_new ();
    void *push = zmq_socket (ctx, ZMQ_PUSH);
    void *pull = zmq_socket (ctx, ZMQ_PULL);
    zmq_pollitem_t it = {push, 0, ZMQ_POLLOUT, 0};
    /*  No peer: cannot write.  */
    TEST_ASSERT_EQ_INT (zmq_poll (&it, 1, 0), 0);
    tu_set_int (push, ZMQ_SNDHWM, 1);
    tu_set_int (pull, ZMQ_RCVHWM, 1);
    TEST_ASSERT_SUCCESS (zmq_bind (pull, "inproc://test_poll-out"));
    TEST_ASSERT_SUCCESS (zmq_connect (push, "inproc://test_poll-out"));
    TEST_ASSERT_EQ_INT (zmq_poll (&it, 1, 1000), 1);
    TEST_ASSERT_EQ_INT (it.revents, ZMQ_POLLOUT);
    /*  Full pipe: no longer writable.  */
    tu_send_str (push, "1", ZMQ_DONTWAIT);
    tu_send_str (push, "2", ZMQ_DONTWAIT);
    TEST_ASSERT_FAILURE (zmq_send (push, "3", 1, ZMQ_DONTWAIT), EAGAIN);
    TEST_ASSERT_EQ_INT (zmq_poll (&it, 1, 0), 0);
    /*  Reading makes room; poll waits for the writer to learn it.  */
    tu_set_int (pull, ZMQ_RCVTIMEO, 5000);
    tu_recv_str (pull, "1");
    tu_recv_str (pull, "2");
    TEST_ASSERT_EQ_INT (zmq_poll (&it, 1, 5000), 1);
    TEST_ASSERT_EQ_INT (it.revents, ZMQ_POLLOUT);
    TEST_ASSERT_SUCCESS (zmq_close (push));
    TEST_ASSERT_SUCCESS (zmq_close (pull));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

static void test_pipe_fd (void)
{
    int fds[2];
    TEST_ASSERT (pipe (fds) == 0);
    void *ctx = zmq_ctx_new ();
    void *s = zmq_socket (ctx, ZMQ_PULL);
    TEST_ASSERT_SUCCESS (zmq_bind (s, "inproc://test_poll-pipe"));
    zmq_pollitem_t items[2] = {{NULL, fds[0], ZMQ_POLLIN, 0},
                               {s, 0, ZMQ_POLLIN, 0}};
    TEST_ASSERT_EQ_INT (zmq_poll (items, 2, 0), 0);
    TEST_ASSERT_EQ_INT (zmq_poll (items, 2, 50), 0);
    TEST_ASSERT (write (fds[1], "z", 1) == 1);
    TEST_ASSERT_EQ_INT (zmq_poll (items, 2, -1), 1);
    TEST_ASSERT_EQ_INT (items[0].revents, ZMQ_POLLIN);
    TEST_ASSERT_EQ_INT (items[1].revents, 0);
    char c;
    TEST_ASSERT (read (fds[0], &c, 1) == 1);
    TEST_ASSERT_EQ_INT (zmq_poll (items, 2, 0), 0);
    /*  The write end is writable.  */
    zmq_pollitem_t w = {NULL, fds[1], ZMQ_POLLOUT, 0};
    TEST_ASSERT_EQ_INT (zmq_poll (&w, 1, 0), 1);
    TEST_ASSERT_EQ_INT (w.revents, ZMQ_POLLOUT);
    /*  A closed write end (POLLHUP) is reported as ZMQ_POLLERR.  */
    close (fds[1]);
    TEST_ASSERT_EQ_INT (zmq_poll (items, 1, 1000), 1);
    TEST_ASSERT (items[0].revents & ZMQ_POLLERR);
    close (fds[0]);
    TEST_ASSERT_SUCCESS (zmq_close (s));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

static void test_misuse (void)
{
    void *ctx = zmq_ctx_new ();
    void *s = zmq_socket (ctx, ZMQ_PAIR);
    /*  No items: a plain sleep, 0 at once.  */
    TEST_ASSERT_EQ_INT (zmq_poll (NULL, 0, 0), 0);
    long long t0 = now_ms ();
    TEST_ASSERT_EQ_INT (zmq_poll (NULL, 0, 50), 0);
    TEST_ASSERT (now_ms () - t0 >= 40);
    TEST_ASSERT_FAILURE (zmq_poll (NULL, 1, 0), EFAULT);
    zmq_pollitem_t bad = {ctx, 0, ZMQ_POLLIN, 0};
    TEST_ASSERT_FAILURE (zmq_poll (&bad, 1, 0), ENOTSOCK);
    TEST_ASSERT_SUCCESS (zmq_close (s));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

/*  The ZMQ_FD / ZMQ_EVENTS loop: ZMQ_FD signals "look at ZMQ_EVENTS", edge
    triggered; the reader drains with DONTWAIT until ZMQ_EVENTS says no
    more, and only then waits on the fd.  */
static void test_fd_events (int tcp)
{
    void *ctx = zmq_ctx_new ();
    void *a = zmq_socket (ctx, ZMQ_PAIR);
    void *b = zmq_socket (ctx, ZMQ_PAIR);
    char ep[256];
    if (tcp)
        tu_bind_loopback (a, ep, sizeof ep);
    else {
        snprintf (ep, sizeof ep, "inproc://test_poll-fd");
        TEST_ASSERT_SUCCESS (zmq_bind (a, ep));
    }
    TEST_ASSERT_SUCCESS (zmq_connect (b, ep));
    int fd = -1;
    size_t len = sizeof fd;
    TEST_ASSERT_SUCCESS (zmq_getsockopt (b, ZMQ_FD, &fd, &len));
    TEST_ASSERT (fd >= 0);

    /*  Nothing yet.  */
    TEST_ASSERT_EQ_INT (tu_get_int (b, ZMQ_EVENTS) & ZMQ_POLLIN, 0);

    const int total = 50;
    int received = 0;
    int sent = 0;
    long long deadline = now_ms () + 10000;
    while (received < total) {
        TEST_ASSERT_MSG (now_ms () < deadline, "received only %d of %d",
                         received, total);
        /*  Send in bursts, from time to time.  */
        if (sent < total) {
            for (int k = 0; k < 7 && sent < total; k++, sent++)
                tu_send_str (a, "ev", 0);
        }
        int events = tu_get_int (b, ZMQ_EVENTS);
        if (events & ZMQ_POLLIN) {
            char buf[8];
            int rc;
            while ((rc = zmq_recv (b, buf, sizeof buf, ZMQ_DONTWAIT)) == 2)
                received++;
            TEST_ASSERT_EQ_INT (rc, -1);
            TEST_ASSERT_EQ_INT (zmq_errno (), EAGAIN);
            continue;
        }
        /*  Wait on the fd only when ZMQ_EVENTS said nothing to read.  */
        struct pollfd pfd = {fd, POLLIN, 0};
        int prc = poll (&pfd, 1, sent < total ? 10 : 1000);
        TEST_ASSERT (prc >= 0);
    }
    TEST_ASSERT_EQ_INT (received, total);
    TEST_ASSERT_EQ_INT (tu_get_int (b, ZMQ_EVENTS) & ZMQ_POLLIN, 0);
    TEST_ASSERT (tu_get_int (b, ZMQ_EVENTS) & ZMQ_POLLOUT);

    /*  One message sent while we block on the fd must wake us (the edge
        after ZMQ_EVENTS has been read).  */
    tu_send_str (a, "late", 0);
    int woke = 0;
    for (int i = 0; i < 100 && !woke; i++) {
        if (tu_get_int (b, ZMQ_EVENTS) & ZMQ_POLLIN) {
            woke = 1;
            break;
        }
        struct pollfd pfd = {fd, POLLIN, 0};
        TEST_ASSERT (poll (&pfd, 1, 100) >= 0);
    }
    TEST_ASSERT (woke);
    tu_recv_str (b, "late");
    tu_set_int (a, ZMQ_LINGER, 0);
    tu_set_int (b, ZMQ_LINGER, 0);
    TEST_ASSERT_SUCCESS (zmq_close (a));
    TEST_ASSERT_SUCCESS (zmq_close (b));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

/*  True when the socket's ZMQ_FD turns readable within `ms`.  Reading
    ZMQ_FD processes no commands (ZMQ_EVENTS would).  */
static int fd_readable (void *s, int ms)
{
    int fd = -1;
    size_t len = sizeof fd;
    TEST_ASSERT_SUCCESS (zmq_getsockopt (s, ZMQ_FD, &fd, &len));
    struct pollfd pfd = {fd, POLLIN, 0};
    int rc = poll (&pfd, 1, ms);
    TEST_ASSERT (rc >= 0);
    return rc == 1 && (pfd.revents & POLLIN);
}

/*  As libzmq, whose listener or connecter launched for a tcp or ipc
    endpoint reports to its socket by command: ZMQ_FD turns readable after
    the bind and after the connect (no message, no peer needed for the
    bind), until ZMQ_EVENTS processes that command.  */
static void test_fd_after_bind_connect (int tcp)
{
    void *ctx = zmq_ctx_new ();
    void *push = zmq_socket (ctx, ZMQ_PUSH);
    void *pull = zmq_socket (ctx, ZMQ_PULL);
    TEST_ASSERT (push && pull);
    tu_set_int (push, ZMQ_LINGER, 0);
    tu_set_int (pull, ZMQ_LINGER, 0);
    TEST_ASSERT (!fd_readable (push, 0));
    char ep[256];
    if (tcp)
        tu_bind_loopback (push, ep, sizeof ep);
    else {
        snprintf (ep, sizeof ep, "ipc:///tmp/test_poll-fd-%d", (int) getpid ());
        TEST_ASSERT_SUCCESS (zmq_bind (push, ep));
    }
    TEST_ASSERT (fd_readable (push, 1000));
    TEST_ASSERT (!fd_readable (pull, 0));
    TEST_ASSERT_SUCCESS (zmq_connect (pull, ep));
    TEST_ASSERT (fd_readable (pull, 1000));
    TEST_ASSERT_EQ_INT (tu_get_int (pull, ZMQ_EVENTS) & ZMQ_POLLIN, 0);
    /*  The connection works.  */
    tu_send_str (push, "after", 0);
    tu_set_int (pull, ZMQ_RCVTIMEO, 5000);
    tu_recv_str (pull, "after");
    TEST_ASSERT_SUCCESS (zmq_close (push));
    TEST_ASSERT_SUCCESS (zmq_close (pull));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

int main (void)
{
    tu_begin ("test_poll");
    test_sockets (0);
    test_sockets (1);
    test_pollout ();
    test_pipe_fd ();
    test_misuse ();
    test_fd_events (0);
    test_fd_events (1);
    test_fd_after_bind_connect (1);
    test_fd_after_bind_connect (0);
    return tu_end ();
}
