/*  ctests/test_fd_conformance.c: sockets driven from an application's own
    event loop through ZMQ_FD and ZMQ_EVENTS only (never zmq_poll), as
    pyzmq's asyncio/tornado integration, CZMQ's zloop and libuv/libev
    bindings do.

    The contract (zmq_getsockopt(3), ZMQ_FD): the fd is edge triggered; it
    becomes readable when the socket's state may have changed; the
    application then reads ZMQ_EVENTS and works (receives while POLLIN,
    sends while POLLOUT and it has something to send) until ZMQ_EVENTS no
    longer shows what it wants, and only then waits on the fd again. Reading
    ZMQ_EVENTS, zmq_send and zmq_recv may each consume the edge, so after
    any of them the application looks at ZMQ_EVENTS again before waiting.
    A missed wake-up hangs such a loop: every wait here is bounded and a
    hang fails the test, naming what ZMQ_EVENTS showed at that moment.

    Covered:
      - the edge rules one by one: an arrival after a ZMQ_EVENTS read that
        showed nothing fires the fd; after draining, the next arrival fires
        it again; a sender blocked at the high-water mark is woken through
        the fd when the receiver makes room; a bound PUSH with no peer is
        woken (POLLOUT) when a peer connects late, a ZMQ_IMMEDIATE PUSH
        when its connection is made; zmq_ctx_shutdown fires the fd and
        ZMQ_EVENTS then fails with ETERM;
      - loops with every socket in one epoll set (edge triggered) or poll
        set (level triggered), several runs, thousands of messages of
        random sizes, some multipart, all checked in order: PUSH/PULL with
        small HWMs, DEALER/ROUTER echo, two REQs to one REP, XPUB/SUB (the
        SUB connecting late, the XPUB woken by the subscription), over
        inproc, ipc and tcp;
      - a producer or consumer in another thread (blocking calls) with the
        other end in the loop; a ROUTER server in the loop echoing to four
        DEALER client threads.

    Written for libzmq-rs (C99, only <zmq.h> and testutil.h); must pass on
    Debian's libzmq 4.3.4 as well.  */

#include "testutil.h"

#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>

/*  A loop that waits this long in total (summing the timeouts of waits
    that ended with nothing ready, so that a stalled machine or a paused
    VM is not mistaken for a hang) without progress has missed a wake-up.  */
#define HANG_MS 3000

static long long now_ms (void)
{
    struct timespec ts;
    clock_gettime (CLOCK_MONOTONIC, &ts);
    return (long long) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int get_fd (void *s)
{
    int fd = -1;
    size_t len = sizeof fd;
    TEST_ASSERT_SUCCESS (zmq_getsockopt (s, ZMQ_FD, &fd, &len));
    TEST_ASSERT (fd >= 0);
    return fd;
}

static int events_of (void *s)
{
    return tu_get_int (s, ZMQ_EVENTS);
}

/*  Waits up to ms for the fd to become readable; 1 if it did.  */
static int fd_fires (int fd, int ms)
{
    struct pollfd p = {fd, POLLIN, 0};
    int rc = poll (&p, 1, ms);
    TEST_ASSERT (rc >= 0);
    return rc > 0;
}

/*  Waits (fd then ZMQ_EVENTS, as a loop would) until ZMQ_EVENTS shows
    `want`; fails after HANG_MS.  */
static void wait_events (void *s, int want, const char *what)
{
    int fd = get_fd (s);
    int idle_ms = 0;
    while (!(events_of (s) & want)) {
        TEST_ASSERT_MSG (idle_ms < HANG_MS,
                         "%s: the fd never signalled (ZMQ_EVENTS %d)", what,
                         events_of (s));
        if (!fd_fires (fd, 100))
            idle_ms += 100;
    }
}

/*  ---- message contents ------------------------------------------------  */

static uint32_t mix (uint32_t x)
{
    x ^= x >> 16;
    x *= 0x7feb352dU;
    x ^= x >> 15;
    x *= 0x846ca68bU;
    x ^= x >> 16;
    return x;
}

/*  Parts of message seq of a flow (1..3 when multipart), sizes in
    4..maxsize, all derived from (salt, seq, part).  */
static int parts_of (uint32_t salt, uint32_t seq, int multipart)
{
    return multipart ? 1 + (int) (mix (salt ^ seq * 2654435761U) % 3) : 1;
}

static size_t size_of (uint32_t salt, uint32_t seq, int part, size_t maxsize)
{
    return 4 +
           mix (salt + seq * 40503U + (uint32_t) part * 977U) % (maxsize - 3);
}

static void fill (unsigned char *buf, size_t n, uint32_t seq, int part)
{
    memcpy (buf, &seq, 4);
    for (size_t i = 4; i < n; i++)
        buf[i] = (unsigned char) (seq * 31 + (uint32_t) part * 7 + i);
}

static void check (const unsigned char *buf, size_t n, size_t expect_n,
                   uint32_t seq, int part, const char *what)
{
    uint32_t got;
    TEST_ASSERT_MSG (n == expect_n,
                     "%s: message %u part %d has %zu bytes, "
                     "expected %zu",
                     what, seq, part, n, expect_n);
    memcpy (&got, buf, 4);
    TEST_ASSERT_MSG (got == seq, "%s: got message %u, expected %u (order)",
                     what, got, seq);
    for (size_t i = 4; i < n; i++)
        TEST_ASSERT_MSG (
            buf[i] == (unsigned char) (seq * 31 + (uint32_t) part * 7 + i),
            "%s: message %u part %d byte %zu corrupt", what, seq, part, i);
}

/*  One message of a flow, as a zmq_msg_t per part. Sending is all or
    nothing per part: a part refused with EAGAIN is retried later (with
    ZMQ_SNDMORE parts, libzmq only refuses the first part).  */
typedef struct {
    uint32_t salt;
    int multipart;
    size_t maxsize;
    const char *name;
} flow_t;

/*  A flow's description.  */
static void flow_init (flow_t *f, uint32_t salt, int multipart, size_t maxsize,
                       const char *name)
{
    f->salt = salt;
    f->multipart = multipart;
    f->maxsize = maxsize;
    f->name = name;
}

/*  Sends part `*part` onward of message seq with DONTWAIT; returns 1 once
    the whole message is sent, 0 on EAGAIN (call again with the same
    *part).  */
static int send_msg (void *s, const flow_t *f, uint32_t seq, int *part)
{
    int n = parts_of (f->salt, seq, f->multipart);
    unsigned char buf[8192];
    while (*part < n) {
        size_t len = size_of (f->salt, seq, *part, f->maxsize);
        fill (buf, len, seq, *part);
        int rc = zmq_send (s, buf, len,
                           ZMQ_DONTWAIT | (*part + 1 < n ? ZMQ_SNDMORE : 0));
        if (rc == -1) {
            TEST_ASSERT_MSG (zmq_errno () == EAGAIN, "%s: send errno %d",
                             f->name, zmq_errno ());
            return 0;
        }
        TEST_ASSERT_EQ_INT (rc, (int) len);
        (*part)++;
    }
    *part = 0;
    return 1;
}

/*  Receives and checks message seq (the whole of it: parts of a message
    arrive together). Returns 0 on EAGAIN before its first part.  */
static int recv_msg (void *s, const flow_t *f, uint32_t seq)
{
    int n = parts_of (f->salt, seq, f->multipart);
    unsigned char buf[8192];
    for (int part = 0; part < n; part++) {
        int rc = zmq_recv (s, buf, sizeof buf, ZMQ_DONTWAIT);
        if (rc == -1 && part == 0) {
            TEST_ASSERT_MSG (zmq_errno () == EAGAIN, "%s: recv errno %d",
                             f->name, zmq_errno ());
            return 0;
        }
        TEST_ASSERT_MSG (rc >= 0,
                         "%s: part %d of message %u missing "
                         "(errno %d)",
                         f->name, part, seq, zmq_errno ());
        check (buf, (size_t) rc, size_of (f->salt, seq, part, f->maxsize), seq,
               part, f->name);
        TEST_ASSERT_EQ_INT (tu_get_int (s, ZMQ_RCVMORE), part + 1 < n);
    }
    return 1;
}

/*  Receives one whole message (every part) into parts[0..max) with
    DONTWAIT; returns how many parts, 0 on EAGAIN before the first.  */
static int recv_whole (void *s, zmq_msg_t *parts, int max)
{
    int n = 0, more = 1;
    while (more) {
        TEST_ASSERT (n < max);
        zmq_msg_init (&parts[n]);
        int rc = zmq_msg_recv (&parts[n], s, ZMQ_DONTWAIT);
        if (rc == -1 && n == 0) {
            TEST_ASSERT_EQ_INT (zmq_errno (), EAGAIN);
            zmq_msg_close (&parts[n]);
            return 0;
        }
        TEST_ASSERT_MSG (rc >= 0, "part %d of a message missing (errno %d)", n,
                         zmq_errno ());
        more = zmq_msg_more (&parts[n]);
        n++;
    }
    return n;
}

/*  Sends parts[0..n) back as one message (DONTWAIT; must not block).  */
static void send_whole (void *s, zmq_msg_t *parts, int n)
{
    for (int k = 0; k < n; k++)
        TEST_ASSERT_MSG (
            zmq_msg_send (&parts[k], s,
                          ZMQ_DONTWAIT | (k + 1 < n ? ZMQ_SNDMORE : 0)) >= 0,
            "echo: errno %d", zmq_errno ());
}

/*  ---- the event loop ---------------------------------------------------  */

#define MAX_SOCKS 8

typedef struct loop loop_t;
struct loop {
    int nsocks;
    void *socks[MAX_SOCKS];
    /*  Does the work ZMQ_EVENTS `ev` of socket i allows; returns 1 if it
        did something (the loop then reads ZMQ_EVENTS again), 0 if socket
        i needs nothing more until its fd fires.  */
    int (*step) (loop_t *, int i, int ev);
    /*  Called every tick_ms while waiting (if tick_ms > 0); returns a mask
        of sockets it sent on or received from (to be looked at again).  */
    unsigned (*tick) (loop_t *);
    int tick_ms;
    int (*done) (loop_t *);
    /*  Optional: writes the progress made so far into buf (for a hang).  */
    void (*describe) (loop_t *, char *buf, size_t n);
    void *state;
    const char *name;
};

/*  An empty loop over no sockets yet.  */
static void loop_init (loop_t *l, const char *name,
                       int (*step) (loop_t *, int, int), int (*done) (loop_t *),
                       void *state)
{
    memset (l, 0, sizeof *l);
    l->name = name;
    l->step = step;
    l->done = done;
    l->state = state;
}

/*  Runs the loop until done. edge: epoll with EPOLLET, else poll(2).
    Only a socket whose fd fired (or that the tick touched) is looked at:
    a socket that needs looking at without its fd firing is a missed
    wake-up and hangs the loop, as it would an application.  */
static void run_loop (loop_t *l, int edge)
{
    int fds[MAX_SOCKS];
    int ready[MAX_SOCKS];
    int ep = -1;
    if (edge) {
        ep = epoll_create1 (0);
        TEST_ASSERT (ep >= 0);
    }
    for (int i = 0; i < l->nsocks; i++) {
        fds[i] = get_fd (l->socks[i]);
        ready[i] = 1;
        if (edge) {
            struct epoll_event e;
            memset (&e, 0, sizeof e);
            e.events = EPOLLIN | EPOLLET;
            e.data.u32 = (uint32_t) i;
            TEST_ASSERT (epoll_ctl (ep, EPOLL_CTL_ADD, fds[i], &e) == 0);
        }
    }
    int idle_ms = 0;
    long long next_tick = now_ms () + l->tick_ms;
    while (!l->done (l)) {
        for (int i = 0; i < l->nsocks; i++) {
            if (!ready[i])
                continue;
            ready[i] = 0;
            while (l->step (l, i, events_of (l->socks[i])))
                idle_ms = 0;
        }
        if (l->done (l))
            break;
        int timeout = 200;
        if (l->tick_ms > 0) {
            long long left = next_tick - now_ms ();
            timeout = left < 0 ? 0 : (int) left;
        }
        if (edge) {
            struct epoll_event evs[MAX_SOCKS];
            int n = epoll_wait (ep, evs, MAX_SOCKS, timeout);
            TEST_ASSERT (n >= 0 || errno == EINTR);
            if (n == 0)
                idle_ms += timeout;
            for (int k = 0; k < n; k++)
                ready[evs[k].data.u32] = 1;
        } else {
            struct pollfd p[MAX_SOCKS];
            for (int i = 0; i < l->nsocks; i++) {
                p[i].fd = fds[i];
                p[i].events = POLLIN;
                p[i].revents = 0;
            }
            int n = poll (p, (nfds_t) l->nsocks, timeout);
            TEST_ASSERT (n >= 0 || errno == EINTR);
            if (n == 0)
                idle_ms += timeout;
            for (int i = 0; i < l->nsocks; i++)
                if (p[i].revents & POLLIN)
                    ready[i] = 1;
        }
        if (l->tick_ms > 0 && now_ms () >= next_tick) {
            next_tick = now_ms () + l->tick_ms;
            unsigned mask = l->tick (l);
            for (int i = 0; i < l->nsocks; i++)
                if (mask & (1u << i))
                    ready[i] = 1;
        }
        if (idle_ms >= HANG_MS) {
            char why[512];
            int off = 0;
            if (l->describe) {
                l->describe (l, why, 256);
                off = (int) strlen (why);
            }
            for (int i = 0; i < l->nsocks; i++)
                off += snprintf (why + off, sizeof why - (size_t) off,
                                 " [%d] ZMQ_EVENTS=%d", i,
                                 events_of (l->socks[i]));
            TEST_FAIL_AT (__FILE__, __LINE__,
                          "%s (%s): no fd wake-up for %d ms:%s", l->name,
                          edge ? "epoll ET" : "poll", HANG_MS, why);
        }
    }
    if (ep >= 0)
        close (ep);
}

/*  ---- endpoints ---------------------------------------------------------  */

static const char *const transports[] = {"inproc", "ipc", "tcp"};

/*  Binds s on a fresh endpoint of the transport; the endpoint to connect
    to is written to ep.  */
static void bind_fresh (void *s, const char *transport, char *ep, size_t n)
{
    static int counter = 0;
    counter++;
    if (strcmp (transport, "tcp") == 0) {
        tu_bind_loopback (s, ep, n);
        return;
    }
    if (strcmp (transport, "ipc") == 0)
        snprintf (ep, n, "ipc:///tmp/test_fd_conformance-%d-%d",
                  (int) getpid (), counter);
    else
        snprintf (ep, n, "inproc://test_fd_conformance-%d", counter);
    TEST_ASSERT_SUCCESS (zmq_bind (s, ep));
}

static void close_all (void **socks, int n)
{
    for (int i = 0; i < n; i++) {
        tu_set_int (socks[i], ZMQ_LINGER, 0);
        TEST_ASSERT_SUCCESS (zmq_close (socks[i]));
    }
}

/*  ---- edge rules, one by one --------------------------------------------- */

static void test_edge_rules (void *ctx, const char *transport)
{
    void *push = zmq_socket (ctx, ZMQ_PUSH);
    void *pull = zmq_socket (ctx, ZMQ_PULL);
    char ep[256];
    bind_fresh (pull, transport, ep, sizeof ep);
    TEST_ASSERT_SUCCESS (zmq_connect (push, ep));
    int fd = get_fd (pull);

    for (int round = 0; round < 20; round++) {
        /*  Everything read, and a ZMQ_EVENTS read that showed nothing: the
            fd must still fire for the next arrival.  */
        TEST_ASSERT_EQ_INT (events_of (pull) & ZMQ_POLLIN, 0);
        int burst = 1 + round % 5;
        for (int k = 0; k < burst; k++)
            tu_send_str (push, "edge", 0);
        wait_events (pull, ZMQ_POLLIN, "arrival after empty ZMQ_EVENTS");
        /*  Drain to EAGAIN (ZMQ_EVENTS read with POLLIN first).  */
        int got = 0;
        char buf[16];
        int idle_ms = 0;
        while (got < burst) {
            if (zmq_recv (pull, buf, sizeof buf, ZMQ_DONTWAIT) == 4) {
                got++;
                continue;
            }
            TEST_ASSERT_EQ_INT (zmq_errno (), EAGAIN);
            TEST_ASSERT_MSG (idle_ms < HANG_MS, "burst of %d: got %d", burst,
                             got);
            if (!(events_of (pull) & ZMQ_POLLIN) && !fd_fires (fd, 100))
                idle_ms += 100;
        }
    }

    /*  While the fd is waited on (no ZMQ_EVENTS read in between), one
        message must make it readable.  */
    TEST_ASSERT_EQ_INT (events_of (pull) & ZMQ_POLLIN, 0);
    tu_send_str (push, "late", 0);
    TEST_ASSERT_MSG (fd_fires (fd, HANG_MS) || (events_of (pull) & ZMQ_POLLIN),
                     "fd did not fire for an arrival");
    wait_events (pull, ZMQ_POLLIN, "late arrival");
    tu_recv_str (pull, "late");

    /*  HWM-blocked sender: fill until EAGAIN; ZMQ_EVENTS drops POLLOUT;
        when the receiver drains, the sender's fd fires and POLLOUT is
        back.  */
    void *socks[2] = {push, pull};
    close_all (socks, 2);
    push = zmq_socket (ctx, ZMQ_PUSH);
    pull = zmq_socket (ctx, ZMQ_PULL);
    tu_set_int (push, ZMQ_SNDHWM, 5);
    tu_set_int (pull, ZMQ_RCVHWM, 5);
    bind_fresh (pull, transport, ep, sizeof ep);
    TEST_ASSERT_SUCCESS (zmq_connect (push, ep));
    wait_events (push, ZMQ_POLLOUT, "connected PUSH");
    int sent = 0;
    int idle_ms = 0;
    /*  tcp/ipc buffers hold more than the HWMs: keep going until the
        PUSH refuses and ZMQ_EVENTS agrees (nothing read meanwhile).  */
    for (;;) {
        if (zmq_send (push, "x", 1, ZMQ_DONTWAIT) == 1) {
            sent++;
            continue;
        }
        TEST_ASSERT_EQ_INT (zmq_errno (), EAGAIN);
        if (!(events_of (push) & ZMQ_POLLOUT))
            break;
        TEST_ASSERT_MSG (idle_ms < HANG_MS, "PUSH never blocked");
        if (!fd_fires (get_fd (push), 10))
            idle_ms += 10;
    }
    TEST_ASSERT (sent >= 5);
    int pfd = get_fd (push);
    int got = 0;
    char buf[4];
    idle_ms = 0;
    while (!(events_of (push) & ZMQ_POLLOUT)) {
        /*  The receiver drains what it has; the sender waits on its fd.  */
        while (zmq_recv (pull, buf, sizeof buf, ZMQ_DONTWAIT) == 1)
            got++;
        TEST_ASSERT_MSG (idle_ms < HANG_MS,
                         "blocked PUSH not woken (read %d of %d)", got, sent);
        if (fd_fires (pfd, 20))
            continue;
        /*  Nothing for the sender yet: the receiver waits on its fd.  */
        if (!(events_of (pull) & ZMQ_POLLIN) && !fd_fires (get_fd (pull), 20))
            idle_ms += 40;
    }
    socks[0] = push;
    socks[1] = pull;
    close_all (socks, 2);

    /*  A bound PUSH has no POLLOUT before a peer; the peer connecting late
        fires its fd.  */
    push = zmq_socket (ctx, ZMQ_PUSH);
    bind_fresh (push, transport, ep, sizeof ep);
    TEST_ASSERT_EQ_INT (events_of (push) & ZMQ_POLLOUT, 0);
    pull = zmq_socket (ctx, ZMQ_PULL);
    TEST_ASSERT_SUCCESS (zmq_connect (pull, ep));
    wait_events (push, ZMQ_POLLOUT, "bound PUSH, late peer");
    tu_send_str (push, "hi", 0);
    wait_events (pull, ZMQ_POLLIN, "late PULL");
    tu_recv_str (pull, "hi");
    socks[0] = push;
    socks[1] = pull;
    close_all (socks, 2);

    /*  A connecting PUSH under ZMQ_IMMEDIATE has POLLOUT only once the
        connection is made; its fd fires then.  */
    pull = zmq_socket (ctx, ZMQ_PULL);
    bind_fresh (pull, transport, ep, sizeof ep);
    push = zmq_socket (ctx, ZMQ_PUSH);
    tu_set_int (push, ZMQ_IMMEDIATE, 1);
    TEST_ASSERT_SUCCESS (zmq_connect (push, ep));
    wait_events (push, ZMQ_POLLOUT, "ZMQ_IMMEDIATE PUSH, connection made");
    tu_send_str (push, "now", 0);
    wait_events (pull, ZMQ_POLLIN, "PULL of a ZMQ_IMMEDIATE PUSH");
    tu_recv_str (pull, "now");
    socks[0] = push;
    socks[1] = pull;
    close_all (socks, 2);
}

/*  zmq_ctx_shutdown from another thread fires the fd of a socket whose
    loop waits on it; ZMQ_EVENTS then fails with ETERM.  */
static void *shutdown_main (void *ctx)
{
    usleep (50 * 1000);
    TEST_ASSERT_SUCCESS (zmq_ctx_shutdown (ctx));
    return NULL;
}

static void test_shutdown_wakes (void)
{
    void *ctx = zmq_ctx_new ();
    void *pull = zmq_socket (ctx, ZMQ_PULL);
    TEST_ASSERT_SUCCESS (zmq_bind (pull, "inproc://test_fd_conformance-shut"));
    int fd = get_fd (pull);
    TEST_ASSERT_EQ_INT (events_of (pull), 0);
    pthread_t t;
    TEST_ASSERT (pthread_create (&t, NULL, shutdown_main, ctx) == 0);
    TEST_ASSERT_MSG (fd_fires (fd, 10 * HANG_MS),
                     "zmq_ctx_shutdown did not fire ZMQ_FD");
    int ev = 0;
    size_t len = sizeof ev;
    TEST_ASSERT_FAILURE (zmq_getsockopt (pull, ZMQ_EVENTS, &ev, &len), ETERM);
    TEST_ASSERT (pthread_join (t, NULL) == 0);
    TEST_ASSERT_SUCCESS (zmq_close (pull));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

/*  ---- PUSH/PULL pairs in one loop -------------------------------------  */

typedef struct {
    flow_t flow;
    uint32_t total, sent, received;
    int part;
} stream_t;

typedef struct {
    stream_t st[MAX_SOCKS / 2];
    int nstreams;
} pushpull_t;

/*  Sockets 2k (PUSH) and 2k+1 (PULL) carry stream k.  */
static int pushpull_step (loop_t *l, int i, int ev)
{
    pushpull_t *p = (pushpull_t *) l->state;
    stream_t *st = &p->st[i / 2];
    if (i % 2 == 0) {
        if (!(ev & ZMQ_POLLOUT) || st->sent == st->total)
            return 0;
        /*  A burst, then look at ZMQ_EVENTS again.  */
        for (int k = 0; k < 50 && st->sent < st->total; k++) {
            if (!send_msg (l->socks[i], &st->flow, st->sent, &st->part))
                return 1;
            st->sent++;
        }
        return 1;
    }
    if (!(ev & ZMQ_POLLIN))
        return 0;
    int n = 0;
    while (n < 50 && recv_msg (l->socks[i], &st->flow, st->received)) {
        st->received++;
        n++;
        TEST_ASSERT (st->received <= st->total);
    }
    return 1;
}

static void pushpull_describe (loop_t *l, char *buf, size_t n)
{
    pushpull_t *p = (pushpull_t *) l->state;
    int off = 0;
    for (int k = 0; k < p->nstreams && (size_t) off < n; k++)
        off += snprintf (buf + off, n - (size_t) off,
                         " stream %d: sent %u received %u of %u;", k,
                         p->st[k].sent, p->st[k].received, p->st[k].total);
}

static int pushpull_done (loop_t *l)
{
    pushpull_t *p = (pushpull_t *) l->state;
    for (int k = 0; k < p->nstreams; k++)
        if (p->st[k].received < p->st[k].total)
            return 0;
    return 1;
}

static void test_pushpull_loop (void *ctx, const char *transport, int edge,
                                uint32_t salt, uint32_t total)
{
    pushpull_t p;
    memset (&p, 0, sizeof p);
    loop_t l;
    loop_init (&l, "PUSH/PULL", pushpull_step, pushpull_done, &p);
    l.describe = pushpull_describe;
    p.nstreams = 2;
    for (int k = 0; k < p.nstreams; k++) {
        void *push = zmq_socket (ctx, ZMQ_PUSH);
        void *pull = zmq_socket (ctx, ZMQ_PULL);
        /*  Small HWMs: the sender blocks and waits for POLLOUT.  */
        tu_set_int (push, ZMQ_SNDHWM, 10 + k * 7);
        tu_set_int (pull, ZMQ_RCVHWM, 10 + k * 5);
        char ep[256];
        /*  Stream 0: the PULL binds; stream 1: the PUSH binds.  */
        if (k == 0) {
            bind_fresh (pull, transport, ep, sizeof ep);
            TEST_ASSERT_SUCCESS (zmq_connect (push, ep));
        } else {
            bind_fresh (push, transport, ep, sizeof ep);
            TEST_ASSERT_SUCCESS (zmq_connect (pull, ep));
        }
        l.socks[2 * k] = push;
        l.socks[2 * k + 1] = pull;
        flow_init (&p.st[k].flow, salt + (uint32_t) k, k == 1,
                   k == 0 ? 300 : 4000, "PUSH/PULL stream");
        p.st[k].total = total;
    }
    l.nsocks = 2 * p.nstreams;
    run_loop (&l, edge);
    close_all (l.socks, l.nsocks);
}

/*  ---- DEALER/ROUTER echo ------------------------------------------------  */

typedef struct {
    flow_t flow;
    uint32_t total, sent, received, echoed;
    int part;
    /*  The router's pending reply (a copy of one request), if any.  */
    zmq_msg_t pending[4];
    int npending, pend_sent;
} echo_t;

#define ECHO_WINDOW 40

/*  Socket 0: DEALER; socket 1: ROUTER (echoes every request back).  */
static int echo_step (loop_t *l, int i, int ev)
{
    echo_t *e = (echo_t *) l->state;
    void *s = l->socks[i];
    int did = 0;
    if (i == 0) {
        if ((ev & ZMQ_POLLIN)) {
            while (recv_msg (s, &e->flow, e->received)) {
                e->received++;
                did = 1;
            }
        }
        if ((ev & ZMQ_POLLOUT) && e->sent < e->total &&
            e->sent - e->received < ECHO_WINDOW) {
            while (e->sent < e->total && e->sent - e->received < ECHO_WINDOW &&
                   send_msg (s, &e->flow, e->sent, &e->part))
                e->sent++;
            did = 1;
        }
        return did;
    }
    /*  ROUTER: finish the pending reply, then take the next request.  */
    for (;;) {
        while (e->pend_sent < e->npending) {
            int more = e->pend_sent + 1 < e->npending ? ZMQ_SNDMORE : 0;
            int rc = zmq_msg_send (&e->pending[e->pend_sent], s,
                                   ZMQ_DONTWAIT | more);
            if (rc == -1) {
                TEST_ASSERT_EQ_INT (zmq_errno (), EAGAIN);
                return did;
            }
            e->pend_sent++;
            did = 1;
        }
        if (e->npending) {
            e->echoed++;
            e->npending = 0;
            e->pend_sent = 0;
        }
        if (!(ev & ZMQ_POLLIN) && !did)
            return 0;
        /*  Receive one whole request: [routing id, parts...].  */
        int n = recv_whole (s, e->pending, 4);
        if (n == 0)
            return did;
        e->npending = n;
        did = 1;
    }
}

static int echo_done (loop_t *l)
{
    echo_t *e = (echo_t *) l->state;
    return e->received == e->total;
}

static void test_echo_loop (void *ctx, const char *transport, int edge,
                            uint32_t salt, uint32_t total)
{
    echo_t e;
    memset (&e, 0, sizeof e);
    flow_init (&e.flow, salt, 1, 2000, "DEALER/ROUTER echo");
    e.total = total;
    loop_t l;
    loop_init (&l, "DEALER/ROUTER", echo_step, echo_done, &e);
    void *dealer = zmq_socket (ctx, ZMQ_DEALER);
    void *router = zmq_socket (ctx, ZMQ_ROUTER);
    tu_set_int (router, ZMQ_ROUTER_MANDATORY, 1);
    tu_set_int (dealer, ZMQ_SNDHWM, 8);
    tu_set_int (router, ZMQ_RCVHWM, 8);
    char ep[256];
    bind_fresh (router, transport, ep, sizeof ep);
    TEST_ASSERT_SUCCESS (zmq_connect (dealer, ep));
    l.socks[0] = dealer;
    l.socks[1] = router;
    l.nsocks = 2;
    run_loop (&l, edge);
    for (int k = e.pend_sent; k < e.npending; k++)
        zmq_msg_close (&e.pending[k]);
    close_all (l.socks, l.nsocks);
}

/*  ---- two REQs and a REP ------------------------------------------------  */

typedef struct {
    flow_t flow[2];
    uint32_t total, done_n[2], served;
    int waiting[2];
    int rep_has_request;
    char rep_reply[16];
    int rep_len;
} reqrep_t;

/*  Sockets 0, 1: REQ; socket 2: REP.  */
static int reqrep_step (loop_t *l, int i, int ev)
{
    reqrep_t *r = (reqrep_t *) l->state;
    void *s = l->socks[i];
    if (i < 2) {
        if (r->waiting[i]) {
            if (!(ev & ZMQ_POLLIN))
                return 0;
            TEST_ASSERT (recv_msg (s, &r->flow[i], r->done_n[i]));
            r->done_n[i]++;
            r->waiting[i] = 0;
            return 1;
        }
        if (r->done_n[i] == r->total || !(ev & ZMQ_POLLOUT))
            return 0;
        int part = 0;
        TEST_ASSERT (send_msg (s, &r->flow[i], r->done_n[i], &part));
        r->waiting[i] = 1;
        return 1;
    }
    /*  REP: echo each request whole.  */
    if (!(ev & ZMQ_POLLIN))
        return 0;
    zmq_msg_t parts[4];
    int n = recv_whole (s, parts, 4);
    if (n == 0)
        return 0;
    send_whole (s, parts, n);
    r->served++;
    return 1;
}

static int reqrep_done (loop_t *l)
{
    reqrep_t *r = (reqrep_t *) l->state;
    return r->done_n[0] == r->total && r->done_n[1] == r->total;
}

static void test_reqrep_loop (void *ctx, const char *transport, int edge,
                              uint32_t salt, uint32_t total)
{
    reqrep_t r;
    memset (&r, 0, sizeof r);
    r.total = total;
    loop_t l;
    loop_init (&l, "REQ/REP", reqrep_step, reqrep_done, &r);
    void *rep = zmq_socket (ctx, ZMQ_REP);
    char ep[256];
    bind_fresh (rep, transport, ep, sizeof ep);
    for (int k = 0; k < 2; k++) {
        flow_init (&r.flow[k], salt + (uint32_t) k * 1000, k, 500, "REQ/REP");
        l.socks[k] = zmq_socket (ctx, ZMQ_REQ);
        TEST_ASSERT_SUCCESS (zmq_connect (l.socks[k], ep));
    }
    l.socks[2] = rep;
    l.nsocks = 3;
    run_loop (&l, edge);
    TEST_ASSERT_EQ_INT (r.served, 2 * total);
    close_all (l.socks, l.nsocks);
}

/*  ---- XPUB/SUB, the SUB connecting late ---------------------------------  */

typedef struct {
    flow_t flow;
    uint32_t total, sent, received;
    int part;
    int subscribed;
    int ticks;
    char ep[256];
} pubsub_t;

/*  Socket 0: XPUB (woken through its fd by the subscription, then
    publishes); socket 1: SUB, in the loop from the start but connected
    and subscribed only at the third tick.  */
static int pubsub_step (loop_t *l, int i, int ev)
{
    pubsub_t *p = (pubsub_t *) l->state;
    void *s = l->socks[i];
    if (i == 0) {
        int did = 0;
        if (ev & ZMQ_POLLIN) {
            /*  The subscription message.  */
            char buf[16];
            int rc = zmq_recv (s, buf, sizeof buf, ZMQ_DONTWAIT);
            if (rc >= 0) {
                TEST_ASSERT_EQ_INT (rc, 1);
                TEST_ASSERT_EQ_INT (buf[0], 1);
                p->subscribed = 1;
                did = 1;
            }
        }
        if (p->subscribed && (ev & ZMQ_POLLOUT) && p->sent < p->total) {
            for (int k = 0; k < 100 && p->sent < p->total; k++) {
                TEST_ASSERT (send_msg (s, &p->flow, p->sent, &p->part));
                p->sent++;
            }
            did = 1;
        }
        return did;
    }
    if (p->ticks < 3 || !(ev & ZMQ_POLLIN))
        return 0;
    int n = 0;
    while (n < 100 && recv_msg (s, &p->flow, p->received)) {
        p->received++;
        n++;
    }
    return n > 0;
}

static unsigned pubsub_tick (loop_t *l)
{
    pubsub_t *p = (pubsub_t *) l->state;
    if (++p->ticks != 3)
        return 0;
    /*  The SUB connects late; its fd is in the loop from the start.  */
    void *sub = l->socks[1];
    TEST_ASSERT_SUCCESS (zmq_setsockopt (sub, ZMQ_SUBSCRIBE, "", 0));
    TEST_ASSERT_SUCCESS (zmq_connect (sub, p->ep));
    return 2;
}

static int pubsub_done (loop_t *l)
{
    pubsub_t *p = (pubsub_t *) l->state;
    return p->received == p->total;
}

static void test_pubsub_loop (void *ctx, const char *transport, int edge,
                              uint32_t salt, uint32_t total)
{
    pubsub_t p;
    memset (&p, 0, sizeof p);
    flow_init (&p.flow, salt, 1, 1000, "XPUB/SUB");
    p.total = total;
    loop_t l;
    loop_init (&l, "XPUB/SUB", pubsub_step, pubsub_done, &p);
    l.tick = pubsub_tick;
    l.tick_ms = 10;
    void *xpub = zmq_socket (ctx, ZMQ_XPUB);
    void *sub = zmq_socket (ctx, ZMQ_SUB);
    /*  No drops: everything published must arrive.  */
    tu_set_int (xpub, ZMQ_SNDHWM, 0);
    tu_set_int (sub, ZMQ_RCVHWM, 0);
    bind_fresh (xpub, transport, p.ep, sizeof p.ep);
    l.socks[0] = xpub;
    l.socks[1] = sub;
    l.nsocks = 2;
    run_loop (&l, edge);
    close_all (l.socks, l.nsocks);
}

/*  ---- the other end in another thread ---------------------------------  */

typedef struct {
    void *s;
    flow_t flow;
    uint32_t total;
    int producer;
} peer_t;

static void *peer_main (void *arg)
{
    peer_t *p = (peer_t *) arg;
    unsigned char buf[8192];
    for (uint32_t seq = 0; seq < p->total; seq++) {
        int n = parts_of (p->flow.salt, seq, p->flow.multipart);
        for (int part = 0; part < n; part++) {
            size_t len = size_of (p->flow.salt, seq, part, p->flow.maxsize);
            if (p->producer) {
                fill (buf, len, seq, part);
                TEST_ASSERT_EQ_INT (
                    zmq_send (p->s, buf, len, part + 1 < n ? ZMQ_SNDMORE : 0),
                    (int) len);
            } else {
                int rc = zmq_recv (p->s, buf, sizeof buf, 0);
                TEST_ASSERT_MSG (rc >= 0, "threaded consumer: errno %d",
                                 zmq_errno ());
                check (buf, (size_t) rc, len, seq, part, "threaded consumer");
            }
        }
        /*  Now and then, let the loop side catch up and wait again.  */
        if (seq % 500 == 499)
            usleep (2000);
    }
    return NULL;
}

/*  Socket 0 is the loop's end; its stream is st[0] of a pushpull_t.  */
static int threaded_step (loop_t *l, int i, int ev)
{
    pushpull_t *p = (pushpull_t *) l->state;
    stream_t *st = &p->st[0];
    void *s = l->socks[i];
    if (st->flow.name[0] == 'p') {
        /*  "producer thread": the loop receives.  */
        if (!(ev & ZMQ_POLLIN))
            return 0;
        int n = 0;
        while (n < 64 && recv_msg (s, &st->flow, st->received)) {
            st->received++;
            n++;
        }
        return 1;
    }
    if (!(ev & ZMQ_POLLOUT) || st->sent == st->total)
        return 0;
    for (int k = 0; k < 64 && st->sent < st->total; k++) {
        if (!send_msg (s, &st->flow, st->sent, &st->part))
            return 1;
        st->sent++;
    }
    return 1;
}

static int threaded_done (loop_t *l)
{
    pushpull_t *p = (pushpull_t *) l->state;
    stream_t *st = &p->st[0];
    return st->flow.name[0] == 'p' ? st->received == st->total
                                   : st->sent == st->total;
}

static void test_threaded (void *ctx, const char *transport, int edge,
                           int loop_receives, uint32_t salt, uint32_t total)
{
    pushpull_t p;
    memset (&p, 0, sizeof p);
    stream_t *st = &p.st[0];
    flow_init (&st->flow, salt, 1, 1500,
               loop_receives ? "producer thread" : "consumer thread");
    st->total = total;
    peer_t peer;
    memset (&peer, 0, sizeof peer);
    peer.flow = st->flow;
    peer.total = total;
    peer.producer = loop_receives;
    void *mine = zmq_socket (ctx, loop_receives ? ZMQ_PULL : ZMQ_PUSH);
    peer.s = zmq_socket (ctx, loop_receives ? ZMQ_PUSH : ZMQ_PULL);
    tu_set_int (mine, loop_receives ? ZMQ_RCVHWM : ZMQ_SNDHWM, 20);
    tu_set_int (peer.s, loop_receives ? ZMQ_SNDHWM : ZMQ_RCVHWM, 20);
    char ep[256];
    bind_fresh (mine, transport, ep, sizeof ep);
    TEST_ASSERT_SUCCESS (zmq_connect (peer.s, ep));
    pthread_t t;
    TEST_ASSERT (pthread_create (&t, NULL, peer_main, &peer) == 0);
    loop_t l;
    loop_init (&l, st->flow.name, threaded_step, threaded_done, &p);
    l.socks[0] = mine;
    l.nsocks = 1;
    run_loop (&l, edge);
    TEST_ASSERT (pthread_join (t, NULL) == 0);
    void *socks[2] = {mine, peer.s};
    close_all (socks, 2);
}

/*  ---- a ROUTER server in the loop, DEALER clients in threads -----------  */

#define CLIENTS 4
#define CLIENT_WINDOW 30

typedef struct {
    void *s;
    flow_t flow;
    uint32_t total;
} client_t;

/*  Sends its requests, keeping at most CLIENT_WINDOW unanswered, and
    checks every echo, in order (blocking calls).  */
static void *client_main (void *arg)
{
    client_t *c = (client_t *) arg;
    uint32_t answered = 0;
    for (uint32_t seq = 0; seq < c->total; seq++) {
        int part = 0;
        int n = parts_of (c->flow.salt, seq, c->flow.multipart);
        unsigned char buf[8192];
        for (part = 0; part < n; part++) {
            size_t len = size_of (c->flow.salt, seq, part, c->flow.maxsize);
            fill (buf, len, seq, part);
            TEST_ASSERT_EQ_INT (
                zmq_send (c->s, buf, len, part + 1 < n ? ZMQ_SNDMORE : 0),
                (int) len);
        }
        /*  Read echoes while the window is full, and all at the end.  */
        while (seq + 1 - answered > CLIENT_WINDOW ||
               (seq + 1 == c->total && answered < c->total)) {
            int m = parts_of (c->flow.salt, answered, c->flow.multipart);
            for (part = 0; part < m; part++) {
                int rc = zmq_recv (c->s, buf, sizeof buf, 0);
                TEST_ASSERT_MSG (rc >= 0, "client: errno %d", zmq_errno ());
                check (buf, (size_t) rc,
                       size_of (c->flow.salt, answered, part, c->flow.maxsize),
                       answered, part, "ROUTER server echo");
            }
            answered++;
        }
    }
    return NULL;
}

typedef struct {
    uint32_t expected, echoed;
} server_t;

/*  Socket 0: the ROUTER; echoes each request whole.  */
static int server_step (loop_t *l, int i, int ev)
{
    server_t *sv = (server_t *) l->state;
    void *s = l->socks[i];
    if (!(ev & ZMQ_POLLIN))
        return 0;
    int did = 0;
    for (int k = 0; k < 32; k++) {
        zmq_msg_t parts[5];
        int n = recv_whole (s, parts, 5);
        if (n == 0)
            return did;
        send_whole (s, parts, n);
        sv->echoed++;
        did = 1;
    }
    return did;
}

static int server_done (loop_t *l)
{
    server_t *sv = (server_t *) l->state;
    return sv->echoed == sv->expected;
}

static void test_router_server (void *ctx, const char *transport, int edge,
                                uint32_t salt, uint32_t total)
{
    void *router = zmq_socket (ctx, ZMQ_ROUTER);
    tu_set_int (router, ZMQ_ROUTER_MANDATORY, 1);
    tu_set_int (router, ZMQ_RCVHWM, 10);
    char ep[256];
    bind_fresh (router, transport, ep, sizeof ep);
    client_t c[CLIENTS];
    pthread_t t[CLIENTS];
    for (int k = 0; k < CLIENTS; k++) {
        c[k].s = zmq_socket (ctx, ZMQ_DEALER);
        tu_set_int (c[k].s, ZMQ_SNDHWM, 5);
        TEST_ASSERT_SUCCESS (zmq_connect (c[k].s, ep));
        flow_init (&c[k].flow, salt * 16 + (uint32_t) k, k % 2, 700,
                   "ROUTER server");
        c[k].total = total;
        TEST_ASSERT (pthread_create (&t[k], NULL, client_main, &c[k]) == 0);
    }
    server_t sv = {CLIENTS * total, 0};
    loop_t l;
    loop_init (&l, "ROUTER server", server_step, server_done, &sv);
    l.socks[0] = router;
    l.nsocks = 1;
    run_loop (&l, edge);
    for (int k = 0; k < CLIENTS; k++) {
        TEST_ASSERT (pthread_join (t[k], NULL) == 0);
        close_all (&c[k].s, 1);
    }
    close_all (&router, 1);
}

int main (void)
{
    tu_begin ("test_fd_conformance");
    signal (SIGPIPE, SIG_IGN);
    alarm (55);
    void *ctx = zmq_ctx_new ();
    uint32_t salt = 1;
    for (int t = 0; t < 3; t++) {
        const char *tr = transports[t];
        test_edge_rules (ctx, tr);
        for (int edge = 0; edge < 2; edge++) {
            test_pushpull_loop (ctx, tr, edge, salt++, 3000);
            test_echo_loop (ctx, tr, edge, salt++, 2000);
            test_reqrep_loop (ctx, tr, edge, salt++, 500);
            test_pubsub_loop (ctx, tr, edge, salt++, 2000);
            test_threaded (ctx, tr, edge, 1, salt++, 3000);
            test_threaded (ctx, tr, edge, 0, salt++, 3000);
            test_router_server (ctx, tr, edge, salt++, 1000);
        }
    }
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
    test_shutdown_wakes ();
    return tu_end ();
}
