/*  test_poller.c: the draft zmq_poller(3) API (zmq_poller_new, _destroy,
    _size, _add, _modify, _remove, _add_fd, _modify_fd, _remove_fd, _wait,
    _wait_all, _fd): sockets and a pipe fd, registration and wait errnos
    (libzmq 4.3.5 socket_poller rules), the events' fd (-1 for a socket
    item and for the cleared unused slots of zmq_poller_wait_all), a
    wake-up by a message sent from another thread.  No sleep is used for
    synchronisation.

    The poller is DRAFT API: without ZMQ_BUILD_DRAFT_API (Debian's header,
    Debian's library) the test has nothing to check and passes.  */
#include "testutil.h"

#if defined(ZMQ_BUILD_DRAFT_API) && defined(ZMQ_HAVE_POLLER)

#include <pthread.h>
#include <unistd.h>

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

static void test_errnos (void)
{
    void *ctx = zmq_ctx_new ();
    TEST_ASSERT (ctx != NULL);
    void *s = new_socket (ctx, ZMQ_PAIR);
    void *other = new_socket (ctx, ZMQ_PAIR);
    zmq_poller_event_t ev;
    zmq_poller_event_t evs[2];

    /*  Bad poller handles: EFAULT.  */
    TEST_ASSERT_FAILURE (zmq_poller_destroy (NULL), EFAULT);
    void *none = NULL;
    TEST_ASSERT_FAILURE (zmq_poller_destroy (&none), EFAULT);
    TEST_ASSERT_FAILURE (zmq_poller_size (NULL), EFAULT);
    TEST_ASSERT_FAILURE (zmq_poller_add (NULL, s, NULL, ZMQ_POLLIN), EFAULT);
    TEST_ASSERT_FAILURE (zmq_poller_add_fd (NULL, 0, NULL, ZMQ_POLLIN),
                         EFAULT);
    TEST_ASSERT_FAILURE (zmq_poller_wait (NULL, &ev, 0), EFAULT);
    TEST_ASSERT_FAILURE (zmq_poller_wait_all (NULL, evs, 2, 0), EFAULT);
    zmq_fd_t fd;
    TEST_ASSERT_FAILURE (zmq_poller_fd (NULL, &fd), EFAULT);

    void *p = zmq_poller_new ();
    TEST_ASSERT (p != NULL);
    TEST_ASSERT_EQ_INT (zmq_poller_size (p), 0);
    /*  Only pollers of thread-safe sockets have an fd.  */
    TEST_ASSERT_FAILURE (zmq_poller_fd (p, &fd), EINVAL);
    /*  Nothing registered: an infinite wait is refused, a finite one
        times out; a failed zmq_poller_wait clears the event.  */
    TEST_ASSERT_FAILURE (zmq_poller_wait (p, &ev, -1), EFAULT);
    TEST_ASSERT (ev.socket == NULL && ev.user_data == NULL && ev.events == 0);
    TEST_ASSERT_FAILURE (zmq_poller_wait (p, &ev, 0), EAGAIN);

    /*  Registration.  */
    TEST_ASSERT_FAILURE (zmq_poller_add (p, NULL, NULL, ZMQ_POLLIN), ENOTSOCK);
    TEST_ASSERT_FAILURE (zmq_poller_add (p, s, NULL, 0x40), EINVAL);
    TEST_ASSERT_SUCCESS (zmq_poller_add (p, s, NULL, ZMQ_POLLIN));
    TEST_ASSERT_FAILURE (zmq_poller_add (p, s, NULL, ZMQ_POLLIN), EINVAL);
    TEST_ASSERT_FAILURE (zmq_poller_modify (p, other, ZMQ_POLLIN), EINVAL);
    TEST_ASSERT_FAILURE (zmq_poller_modify (p, s, 0x40), EINVAL);
    TEST_ASSERT_FAILURE (zmq_poller_modify (p, NULL, ZMQ_POLLIN), ENOTSOCK);
    TEST_ASSERT_FAILURE (zmq_poller_remove (p, other), EINVAL);
    TEST_ASSERT_FAILURE (zmq_poller_remove (p, NULL), ENOTSOCK);
    TEST_ASSERT_FAILURE (zmq_poller_add_fd (p, -1, NULL, ZMQ_POLLIN), EBADF);
    TEST_ASSERT_FAILURE (zmq_poller_modify_fd (p, -1, ZMQ_POLLIN), EBADF);
    TEST_ASSERT_FAILURE (zmq_poller_remove_fd (p, -1), EBADF);
    TEST_ASSERT_SUCCESS (zmq_poller_add_fd (p, 0, NULL, ZMQ_POLLIN));
    TEST_ASSERT_FAILURE (zmq_poller_add_fd (p, 0, NULL, ZMQ_POLLIN), EINVAL);
    TEST_ASSERT_FAILURE (zmq_poller_modify_fd (p, 12345, ZMQ_POLLIN), EINVAL);
    TEST_ASSERT_FAILURE (zmq_poller_remove_fd (p, 12345), EINVAL);
    TEST_ASSERT_EQ_INT (zmq_poller_size (p), 2);
    TEST_ASSERT_SUCCESS (zmq_poller_remove_fd (p, 0));
    TEST_ASSERT_EQ_INT (zmq_poller_size (p), 1);

    /*  wait_all arguments.  */
    TEST_ASSERT_FAILURE (zmq_poller_wait_all (p, NULL, 2, 0), EFAULT);
    TEST_ASSERT_FAILURE (zmq_poller_wait_all (p, evs, -1, 0), EINVAL);
    TEST_ASSERT_FAILURE (zmq_poller_wait_all (p, evs, 2, 0), EAGAIN);
    TEST_ASSERT_FAILURE (zmq_poller_wait (p, &ev, 20), EAGAIN);

    TEST_ASSERT_SUCCESS (zmq_poller_destroy (&p));
    TEST_ASSERT (p == NULL);
    close_socket (s);
    close_socket (other);
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

static void test_sockets_and_fd (void)
{
    void *ctx = zmq_ctx_new ();
    TEST_ASSERT (ctx != NULL);
    void *pull = new_socket (ctx, ZMQ_PULL);
    void *push = new_socket (ctx, ZMQ_PUSH);
    TEST_ASSERT_SUCCESS (zmq_bind (pull, "inproc://poller"));
    TEST_ASSERT_SUCCESS (zmq_connect (push, "inproc://poller"));
    int fds[2];
    TEST_ASSERT_EQ_INT (pipe (fds), 0);

    int tag_pull = 1, tag_push = 2, tag_fd = 3;
    void *p = zmq_poller_new ();
    TEST_ASSERT (p != NULL);
    TEST_ASSERT_SUCCESS (zmq_poller_add (p, pull, &tag_pull, ZMQ_POLLIN));
    TEST_ASSERT_SUCCESS (zmq_poller_add_fd (p, fds[0], &tag_fd, ZMQ_POLLIN));
    zmq_poller_event_t ev;
    TEST_ASSERT_FAILURE (zmq_poller_wait (p, &ev, 0), EAGAIN);

    /*  PUSH can send: reported once asked for, with its user data.  */
    TEST_ASSERT_SUCCESS (zmq_poller_add (p, push, &tag_push, ZMQ_POLLOUT));
    memset (&ev, 0x55, sizeof ev);
    TEST_ASSERT_EQ_INT (zmq_poller_wait (p, &ev, -1), 0);
    TEST_ASSERT (ev.socket == push);
    TEST_ASSERT_EQ_INT (ev.fd, -1);
    TEST_ASSERT (ev.user_data == &tag_push);
    TEST_ASSERT_EQ_INT (ev.events, ZMQ_POLLOUT);
    TEST_ASSERT_SUCCESS (zmq_poller_modify (p, push, 0));
    TEST_ASSERT_FAILURE (zmq_poller_wait (p, &ev, 0), EAGAIN);

    /*  A message and a pipe byte: both reported, in registration order.  */
    tu_send_str (push, "hello", 0);
    TEST_ASSERT_EQ_INT (write (fds[1], "x", 1), 1);
    zmq_poller_event_t evs[4];
    memset (evs, 0x55, sizeof evs);
    TEST_ASSERT_EQ_INT (zmq_poller_wait_all (p, evs, 4, -1), 2);
    TEST_ASSERT (evs[0].socket == pull);
    /*  A socket's event names no descriptor (libzmq: fd -1).  */
    TEST_ASSERT_EQ_INT (evs[0].fd, -1);
    TEST_ASSERT (evs[0].user_data == &tag_pull);
    TEST_ASSERT_EQ_INT (evs[0].events, ZMQ_POLLIN);
    TEST_ASSERT (evs[1].socket == NULL);
    TEST_ASSERT_EQ_INT (evs[1].fd, fds[0]);
    TEST_ASSERT (evs[1].user_data == &tag_fd);
    TEST_ASSERT_EQ_INT (evs[1].events, ZMQ_POLLIN);
    /*  The unused tail is cleared: no socket, fd -1, no user data, no
        events.  */
    for (int i = 2; i < 4; i++) {
        TEST_ASSERT (evs[i].socket == NULL && evs[i].user_data == NULL);
        TEST_ASSERT_EQ_INT (evs[i].fd, -1);
        TEST_ASSERT_EQ_INT (evs[i].events, 0);
    }
    /*  No more than asked for.  */
    TEST_ASSERT_EQ_INT (zmq_poller_wait_all (p, evs, 1, 0), 1);
    TEST_ASSERT (evs[0].socket == pull);

    tu_recv_str (pull, "hello");
    TEST_ASSERT_EQ_INT (zmq_poller_wait_all (p, evs, 4, 0), 1);
    TEST_ASSERT_EQ_INT (evs[0].fd, fds[0]);
    TEST_ASSERT_SUCCESS (zmq_poller_modify_fd (p, fds[0], 0));
    TEST_ASSERT_FAILURE (zmq_poller_wait_all (p, evs, 4, 0), EAGAIN);
    TEST_ASSERT_SUCCESS (zmq_poller_remove_fd (p, fds[0]));
    TEST_ASSERT_SUCCESS (zmq_poller_remove (p, push));
    TEST_ASSERT_EQ_INT (zmq_poller_size (p), 1);

    TEST_ASSERT_SUCCESS (zmq_poller_destroy (&p));
    close (fds[0]);
    close (fds[1]);
    close_socket (pull);
    close_socket (push);
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

/*  Connects the PUSH socket it is given and sends one message; the main
    thread closes the socket after the join.  */
static void *sender (void *push)
{
    if (zmq_connect (push, "inproc://wake") == 0)
        zmq_send (push, "wake", 4, 0);
    return NULL;
}

/*  A wait with an infinite timeout wakes when another thread sends.  */
static void test_wakeup (void)
{
    void *ctx = zmq_ctx_new ();
    TEST_ASSERT (ctx != NULL);
    void *pull = new_socket (ctx, ZMQ_PULL);
    TEST_ASSERT_SUCCESS (zmq_bind (pull, "inproc://wake"));
    void *p = zmq_poller_new ();
    TEST_ASSERT (p != NULL);
    TEST_ASSERT_SUCCESS (zmq_poller_add (p, pull, NULL, ZMQ_POLLIN));
    void *push = new_socket (ctx, ZMQ_PUSH);
    pthread_t t;
    TEST_ASSERT_EQ_INT (pthread_create (&t, NULL, sender, push), 0);
    zmq_poller_event_t ev;
    TEST_ASSERT_EQ_INT (zmq_poller_wait (p, &ev, -1), 0);
    TEST_ASSERT (ev.socket == pull);
    tu_recv_str (pull, "wake");
    TEST_ASSERT_EQ_INT (pthread_join (t, NULL), 0);
    TEST_ASSERT_SUCCESS (zmq_poller_destroy (&p));
    close_socket (push);
    close_socket (pull);
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

int main (void)
{
    tu_begin ("test_poller");
    test_errnos ();
    test_sockets_and_fd ();
    test_wakeup ();
    return tu_end ();
}

#else

int main (void)
{
    tu_begin ("test_poller");
    printf ("# zmq_poller is DRAFT API, not in this zmq.h: nothing to test\n");
    return tu_end ();
}

#endif
