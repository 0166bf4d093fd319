/*  ctests/test_socks.c: tcp connects through a SOCKS5 proxy
    (zmq_setsockopt(3): ZMQ_SOCKS_PROXY; draft ZMQ_SOCKS_USERNAME and
    ZMQ_SOCKS_PASSWORD, RFC 1928 / RFC 1929).

    A small SOCKS5 server of this test's own runs in a thread: it checks
    the client's greeting, optional username/password and CONNECT request,
    records what it saw, connects to the target (names it "resolves": one
    configured domain name and ::1, both to 127.0.0.1) and relays bytes.
    Scenarios: option rules, no authentication with IPv4 / domain-name /
    IPv6 targets (the reply's bound address of each type), a proxy that
    listens only after the first attempts failed, a refused CONNECT
    (CLOSED then CONNECT_RETRIED, then success), and, with the draft API,
    username/password (right, empty password, wrong: refused and retried).

    Written for libzmq-rs (C99).  */

#include "testutil.h"

#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <sys/time.h>
#include <unistd.h>

typedef struct {
    int fd; /* the proxy's listening socket */
    char address[64]; /* "127.0.0.1:port", for ZMQ_SOCKS_PROXY */
    char endpoint[80]; /* "tcp://" address: what monitor events name */
    const char *user; /* NULL: no authentication required */
    const char *pass;
    const char *domain; /* the one name it resolves */
    int connections; /* how many to serve before the thread ends */
    int refuse_first; /* answer the first CONNECT "connection refused" */
    /* What it saw (read after pthread_join).  */
    int served;
    int offered_noauth, offered_userpass;
    int auth_ok, auth_failed;
    int atyp, port;
    char name[256];
} proxy_t;

static int read_all (int fd, void *buf, size_t n)
{
    size_t got = 0;
    while (got < n) {
        ssize_t r = recv (fd, (char *) buf + got, n - got, 0);
        if (r <= 0)
            return -1;
        got += (size_t) r;
    }
    return 0;
}

static void send_all (int fd, const void *buf, size_t n)
{
    size_t done = 0;
    while (done < n) {
        ssize_t r = send (fd, (const char *) buf + done, n - done, MSG_NOSIGNAL);
        if (r <= 0)
            return;
        done += (size_t) r;
    }
}

/*  Copies bytes both ways until either side ends.  */
static void relay (int a, int b)
{
    char buf[4096];
    struct pollfd fds[2] = {{a, POLLIN, 0}, {b, POLLIN, 0}};
    while (poll (fds, 2, 10000) > 0) {
        for (int i = 0; i < 2; i++) {
            if (!fds[i].revents)
                continue;
            ssize_t r = recv (fds[i].fd, buf, sizeof buf, 0);
            if (r <= 0)
                return;
            send_all (fds[1 - i].fd, buf, (size_t) r);
        }
    }
}

static void serve_one (proxy_t *p, int client)
{
    unsigned char b[512];
    /* Greeting: 05 n methods...  */
    if (read_all (client, b, 2) || b[0] != 5 || read_all (client, b + 2, b[1]))
        return;
    p->offered_noauth = p->offered_userpass = 0;
    for (int i = 0; i < b[1]; i++) {
        if (b[2 + i] == 0)
            p->offered_noauth = 1;
        if (b[2 + i] == 2)
            p->offered_userpass = 1;
    }
    unsigned char choice[2] = {5, 0xff};
    if (p->user && p->offered_userpass)
        choice[1] = 2;
    else if (!p->user && p->offered_noauth)
        choice[1] = 0;
    send_all (client, choice, 2);
    if (choice[1] == 0xff)
        return;
    if (choice[1] == 2) {
        /* 01 ulen user plen pass  */
        char user[256], pass[256];
        if (read_all (client, b, 2) || read_all (client, user, b[1]))
            return;
        int ok = b[0] == 1;
        user[b[1]] = '\0';
        if (read_all (client, b, 1) || read_all (client, pass, b[0]))
            return;
        pass[b[0]] = '\0';
        ok = ok && strcmp (user, p->user) == 0
             && strcmp (pass, p->pass ? p->pass : "") == 0;
        unsigned char status[2] = {1, ok ? 0 : 1};
        send_all (client, status, 2);
        if (!ok) {
            p->auth_failed++;
            return;
        }
        p->auth_ok++;
    }
    /* 05 01 00 atyp addr port  */
    if (read_all (client, b, 4) || b[0] != 5 || b[1] != 1 || b[2] != 0)
        return;
    int atyp = b[3];
    int rep = 0;
    uint32_t target = htonl (INADDR_LOOPBACK);
    p->name[0] = '\0';
    if (atyp == 1) {
        if (read_all (client, &target, 4))
            return;
    } else if (atyp == 3) {
        if (read_all (client, b, 1) || read_all (client, p->name, b[0]))
            return;
        p->name[b[0]] = '\0';
        if (strcmp (p->name, p->domain ? p->domain : "") != 0)
            rep = 4; /* host unreachable */
    } else if (atyp == 4) {
        unsigned char want[16] = {0};
        want[15] = 1;
        if (read_all (client, b, 16))
            return;
        if (memcmp (b, want, 16) != 0)
            rep = 4;
    } else {
        return;
    }
    uint16_t nport;
    if (read_all (client, &nport, 2))
        return;
    p->atyp = atyp;
    p->port = ntohs (nport);
    if (p->refuse_first && p->served == 1)
        rep = 5;
    int remote = -1;
    if (rep == 0) {
        struct sockaddr_in a;
        memset (&a, 0, sizeof a);
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = target;
        a.sin_port = nport;
        remote = socket (AF_INET, SOCK_STREAM, 0);
        TEST_ASSERT (remote >= 0);
        if (connect (remote, (struct sockaddr *) &a, sizeof a) != 0)
            rep = 5;
    }
    /* 05 rep 00 atyp bnd.addr bnd.port, the bound address of the type
       asked for: an IPv4 address, the name "localhost", or ::1.  */
    unsigned char r[4 + 1 + 16 + 2] = {5, (unsigned char) rep, 0,
                                       (unsigned char) atyp};
    size_t n = 4;
    if (atyp == 1) {
        memcpy (r + n, &target, 4);
        n += 4;
    } else if (atyp == 3) {
        r[n++] = 9;
        memcpy (r + n, "localhost", 9);
        n += 9;
    } else {
        memset (r + n, 0, 16);
        r[n + 15] = 1;
        n += 16;
    }
    r[n++] = 0x1f;
    r[n++] = 0x90;
    send_all (client, r, n);
    if (rep == 0)
        relay (client, remote);
    if (remote >= 0)
        close (remote);
}

static void *proxy_thread (void *arg)
{
    proxy_t *p = (proxy_t *) arg;
    while (p->served < p->connections) {
        struct pollfd pfd = {p->fd, POLLIN, 0};
        TEST_ASSERT_MSG (poll (&pfd, 1, 10000) == 1,
                         "proxy: no client within 10 s");
        int client = accept (p->fd, NULL, NULL);
        TEST_ASSERT (client >= 0);
        struct timeval tv = {10, 0};
        setsockopt (client, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        p->served++;
        serve_one (p, client);
        close (client);
    }
    return NULL;
}

/*  A proxy bound to 127.0.0.1, not yet listening.  */
static void proxy_init (proxy_t *p)
{
    memset (p, 0, sizeof *p);
    int port;
    p->fd = tu_loopback_fd (SOCK_STREAM, &port);
    snprintf (p->address, sizeof p->address, "127.0.0.1:%d", port);
    snprintf (p->endpoint, sizeof p->endpoint, "tcp://%s", p->address);
    p->connections = 1;
}

static void proxy_start (proxy_t *p, pthread_t *t)
{
    TEST_ASSERT (listen (p->fd, 8) == 0);
    TEST_ASSERT (pthread_create (t, NULL, proxy_thread, p) == 0);
}

typedef struct {
    void *ctx, *push, *pull;
    char endpoint[256]; /* the push socket's, tcp://127.0.0.1:port */
    int port;
} pair_t;

/*  A PUSH bound on loopback and a PULL that uses proxy `proxy` (not yet
    connected).  */
static void pair_init (pair_t *s, const char *proxy)
{
    s->ctx = zmq_ctx_new ();
    s->push = zmq_socket (s->ctx, ZMQ_PUSH);
    s->pull = zmq_socket (s->ctx, ZMQ_PULL);
    tu_set_int (s->push, ZMQ_LINGER, 0);
    tu_set_int (s->push, ZMQ_SNDTIMEO, 5000);
    tu_set_int (s->pull, ZMQ_LINGER, 0);
    tu_set_int (s->pull, ZMQ_RCVTIMEO, 5000);
    tu_set_int (s->pull, ZMQ_RECONNECT_IVL, 20);
    tu_bind_loopback (s->push, s->endpoint, sizeof s->endpoint);
    s->port = atoi (strrchr (s->endpoint, ':') + 1);
    TEST_ASSERT_SUCCESS (
      zmq_setsockopt (s->pull, ZMQ_SOCKS_PROXY, proxy, strlen (proxy)));
}

static void communicate (pair_t *s)
{
    tu_send_str (s->push, "ABC", 0);
    tu_send_str (s->push, "DEF", 0);
    tu_recv_str (s->pull, "ABC");
    tu_recv_str (s->pull, "DEF");
}

static void pair_close (pair_t *s)
{
    TEST_ASSERT_SUCCESS (zmq_close (s->pull));
    TEST_ASSERT_SUCCESS (zmq_close (s->push));
}

static void finish (pair_t *s, proxy_t *p, pthread_t t)
{
    pair_close (s);
    TEST_ASSERT (pthread_join (t, NULL) == 0);
    close (p->fd);
    TEST_ASSERT_SUCCESS (zmq_ctx_term (s->ctx));
}

/*  One monitor event: its number, the endpoint in ep (may be NULL); -1
    on timeout.  */
static int get_event (void *mon, char *ep, size_t n)
{
    zmq_msg_t m;
    zmq_msg_init (&m);
    if (zmq_msg_recv (&m, mon, 0) == -1) {
        TEST_ASSERT_EQ_INT (zmq_errno (), EAGAIN);
        zmq_msg_close (&m);
        return -1;
    }
    TEST_ASSERT_EQ_INT (zmq_msg_size (&m), 6);
    uint16_t ev;
    memcpy (&ev, zmq_msg_data (&m), 2);
    TEST_ASSERT_SUCCESS (zmq_msg_recv (&m, mon, 0));
    if (ep) {
        size_t len = zmq_msg_size (&m) < n - 1 ? zmq_msg_size (&m) : n - 1;
        memcpy (ep, zmq_msg_data (&m), len);
        ep[len] = '\0';
    }
    zmq_msg_close (&m);
    return ev;
}

static void *monitor (pair_t *s, const char *addr)
{
    TEST_ASSERT_SUCCESS (zmq_socket_monitor (s->pull, addr, ZMQ_EVENT_ALL));
    void *mon = zmq_socket (s->ctx, ZMQ_PAIR);
    tu_set_int (mon, ZMQ_LINGER, 0);
    tu_set_int (mon, ZMQ_RCVTIMEO, 5000);
    TEST_ASSERT_SUCCESS (zmq_connect (mon, addr));
    return mon;
}

/*  Waits for event `want`; asserts every event names the proxy.  */
static void expect_event (void *mon, int want, const char *proxy_ep)
{
    char ep[256];
    int ev;
    do {
        ev = get_event (mon, ep, sizeof ep);
        TEST_ASSERT_MSG (ev != -1, "no monitor event 0x%x within 5 s", want);
        TEST_ASSERT_EQ_STR (ep, proxy_ep);
    } while (ev != want);
}

static void check_string_opt (void *s, int opt, const char *want)
{
    char buf[1024];
    size_t len = sizeof buf;
    TEST_ASSERT_SUCCESS (zmq_getsockopt (s, opt, buf, &len));
    TEST_ASSERT_EQ_INT (len, strlen (want) + 1);
    TEST_ASSERT_EQ_STR (buf, want);
}

static void test_options (void)
{
    void *ctx = zmq_ctx_new ();
    void *s = zmq_socket (ctx, ZMQ_SUB);
    check_string_opt (s, ZMQ_SOCKS_PROXY, "");
    TEST_ASSERT_SUCCESS (zmq_setsockopt (s, ZMQ_SOCKS_PROXY, "somehost:1080", 13));
    check_string_opt (s, ZMQ_SOCKS_PROXY, "somehost:1080");
    /* A too small buffer is refused.  */
    char small[4];
    size_t len = sizeof small;
    TEST_ASSERT_FAILURE (zmq_getsockopt (s, ZMQ_SOCKS_PROXY, small, &len), EINVAL);
    /* An empty string is refused, NULL clears.  */
    TEST_ASSERT_FAILURE (zmq_setsockopt (s, ZMQ_SOCKS_PROXY, "", 0), EINVAL);
    check_string_opt (s, ZMQ_SOCKS_PROXY, "somehost:1080");
    TEST_ASSERT_SUCCESS (zmq_setsockopt (s, ZMQ_SOCKS_PROXY, NULL, 0));
    check_string_opt (s, ZMQ_SOCKS_PROXY, "");

#ifdef ZMQ_SOCKS_USERNAME
    char long_value[257];
    for (int i = 0; i < 256; i++)
        long_value[i] = (char) ('a' + i % 26);
    int opts[2] = {ZMQ_SOCKS_USERNAME, ZMQ_SOCKS_PASSWORD};
    for (int i = 0; i < 2; i++) {
        check_string_opt (s, opts[i], "");
        TEST_ASSERT_SUCCESS (zmq_setsockopt (s, opts[i], "someone", 7));
        check_string_opt (s, opts[i], "someone");
        /* NULL and "" both clear.  */
        TEST_ASSERT_SUCCESS (zmq_setsockopt (s, opts[i], NULL, 0));
        check_string_opt (s, opts[i], "");
        TEST_ASSERT_SUCCESS (zmq_setsockopt (s, opts[i], "someone", 7));
        TEST_ASSERT_SUCCESS (zmq_setsockopt (s, opts[i], "", 0));
        check_string_opt (s, opts[i], "");
        /* At most 255 bytes.  */
        TEST_ASSERT_SUCCESS (zmq_setsockopt (s, opts[i], long_value, 255));
        long_value[255] = '\0';
        check_string_opt (s, opts[i], long_value);
        long_value[255] = 'v';
        TEST_ASSERT_FAILURE (zmq_setsockopt (s, opts[i], long_value, 256), EINVAL);
        long_value[255] = '\0';
        check_string_opt (s, opts[i], long_value);
        long_value[255] = 'v';
    }
#endif
    TEST_ASSERT_SUCCESS (zmq_close (s));
    TEST_ASSERT_SUCCESS (zmq_ctx_term (ctx));
}

/*  No authentication; the target given as `host` (with the push socket's
    port). Returns the proxy's record.  */
static proxy_t through_proxy (const char *host, const char *source)
{
    proxy_t p;
    proxy_init (&p);
    p.domain = "socks-test.invalid";
    pair_t s;
    /* ZMQ_SOCKS_PROXY may name a source address: "src;host:port".  */
    char proxy[128];
    snprintf (proxy, sizeof proxy, "%s%s%s", source ? source : "",
              source ? ";" : "", p.address);
    pair_init (&s, proxy);
    pthread_t t;
    proxy_start (&p, &t);
    char ep[300];
    snprintf (ep, sizeof ep, "tcp://%s:%d", host, s.port);
    TEST_ASSERT_SUCCESS (zmq_connect (s.pull, ep));
    communicate (&s);
    finish (&s, &p, t);
    TEST_ASSERT_EQ_INT (p.served, 1);
    TEST_ASSERT_EQ_INT (p.offered_noauth, 1);
    TEST_ASSERT_EQ_INT (p.port, s.port);
    return p;
}

static void test_targets (void)
{
    proxy_t p = through_proxy ("127.0.0.1", NULL);
    TEST_ASSERT_EQ_INT (p.atyp, 1);
    p = through_proxy ("127.0.0.1", "127.0.0.1:0");
    TEST_ASSERT_EQ_INT (p.atyp, 1);
    /* A name the local resolver cannot know: the proxy resolves it.  */
    p = through_proxy ("socks-test.invalid", NULL);
    TEST_ASSERT_EQ_INT (p.atyp, 3);
    TEST_ASSERT_EQ_STR (p.name, "socks-test.invalid");
    p = through_proxy ("[::1]", NULL);
    TEST_ASSERT_EQ_INT (p.atyp, 4);
    p = through_proxy ("::1", NULL);
    TEST_ASSERT_EQ_INT (p.atyp, 4);
}

/*  The proxy is not listening at first: the connect is retried per the
    reconnect interval until it is.  */
static void test_proxy_late (void)
{
    proxy_t p;
    proxy_init (&p);
    pair_t s;
    pair_init (&s, p.address);
    void *mon = monitor (&s, "inproc://socks-late");
    const char *proxy_ep = p.endpoint;
    TEST_ASSERT_SUCCESS (zmq_connect (s.pull, s.endpoint));
    expect_event (mon, ZMQ_EVENT_CONNECT_RETRIED, proxy_ep);
    pthread_t t;
    proxy_start (&p, &t);
    communicate (&s);
    TEST_ASSERT_SUCCESS (zmq_close (mon));
    finish (&s, &p, t);
    TEST_ASSERT_EQ_INT (p.atyp, 1);
}

/*  The first CONNECT is refused: the connection is CLOSED, retried, and
    the second one carries the messages. Every event names the proxy.  */
static void test_refused (void)
{
    proxy_t p;
    proxy_init (&p);
    p.connections = 2;
    p.refuse_first = 1;
    pair_t s;
    pair_init (&s, p.address);
    void *mon = monitor (&s, "inproc://socks-refused");
    const char *proxy_ep = p.endpoint;
    pthread_t t;
    proxy_start (&p, &t);
    TEST_ASSERT_SUCCESS (zmq_connect (s.pull, s.endpoint));
    /* Nothing is CONNECTED before the refusal closes the connection.  */
    char ep[256];
    int ev;
    do {
        ev = get_event (mon, ep, sizeof ep);
        TEST_ASSERT (ev != -1);
        TEST_ASSERT_EQ_STR (ep, proxy_ep);
        TEST_ASSERT (ev != ZMQ_EVENT_CONNECTED);
    } while (ev != ZMQ_EVENT_CLOSED);
    TEST_ASSERT_EQ_INT (get_event (mon, ep, sizeof ep), ZMQ_EVENT_CONNECT_RETRIED);
    TEST_ASSERT_EQ_STR (ep, proxy_ep);
    expect_event (mon, ZMQ_EVENT_CONNECTED, proxy_ep);
    expect_event (mon, ZMQ_EVENT_HANDSHAKE_SUCCEEDED, proxy_ep);
    communicate (&s);
    TEST_ASSERT_SUCCESS (zmq_close (mon));
    finish (&s, &p, t);
    TEST_ASSERT_EQ_INT (p.served, 2);
}

#ifdef ZMQ_SOCKS_USERNAME
static void set_str (void *s, int opt, const char *v)
{
    TEST_ASSERT_SUCCESS (zmq_setsockopt (s, opt, v, v ? strlen (v) : 0));
}

/*  Proxy wanting user/pass (NULL: none); the client sets its own.  */
static proxy_t with_auth (const char *puser,
                          const char *ppass,
                          const char *cuser,
                          const char *cpass)
{
    proxy_t p;
    proxy_init (&p);
    p.user = puser;
    p.pass = ppass;
    pair_t s;
    pair_init (&s, p.address);
    set_str (s.pull, ZMQ_SOCKS_USERNAME, cuser);
    set_str (s.pull, ZMQ_SOCKS_PASSWORD, cpass);
    pthread_t t;
    proxy_start (&p, &t);
    TEST_ASSERT_SUCCESS (zmq_connect (s.pull, s.endpoint));
    communicate (&s);
    finish (&s, &p, t);
    TEST_ASSERT_EQ_INT (p.atyp, 1);
    return p;
}

static void test_auth (void)
{
    proxy_t p = with_auth ("someuser", "somepass", "someuser", "somepass");
    TEST_ASSERT_EQ_INT (p.offered_userpass, 1);
    TEST_ASSERT_EQ_INT (p.auth_ok, 1);
    p = with_auth ("someuser", NULL, "someuser", NULL);
    TEST_ASSERT_EQ_INT (p.auth_ok, 1);
    p = with_auth ("someuser", NULL, "someuser", "");
    TEST_ASSERT_EQ_INT (p.auth_ok, 1);
    /* No username: no authentication offered, the password unused.  */
    p = with_auth (NULL, NULL, "", "somepass");
    TEST_ASSERT_EQ_INT (p.offered_noauth, 1);
    TEST_ASSERT_EQ_INT (p.offered_userpass, 0);
    p = with_auth (NULL, NULL, NULL, NULL);
    TEST_ASSERT_EQ_INT (p.offered_userpass, 0);
}

/*  Wrong password: the proxy refuses, the client tries again (and is
    refused again); nothing arrives.  */
static void test_bad_password (void)
{
    proxy_t p;
    proxy_init (&p);
    p.user = "someuser";
    p.pass = "somepass";
    p.connections = 2;
    pair_t s;
    pair_init (&s, p.address);
    tu_set_int (s.pull, ZMQ_RCVTIMEO, 100);
    set_str (s.pull, ZMQ_SOCKS_USERNAME, "someuser");
    set_str (s.pull, ZMQ_SOCKS_PASSWORD, "wrong");
    void *mon = monitor (&s, "inproc://socks-badpass");
    const char *proxy_ep = p.endpoint;
    pthread_t t;
    proxy_start (&p, &t);
    TEST_ASSERT_SUCCESS (zmq_connect (s.pull, s.endpoint));
    expect_event (mon, ZMQ_EVENT_CLOSED, proxy_ep);
    expect_event (mon, ZMQ_EVENT_CONNECT_RETRIED, proxy_ep);
    TEST_ASSERT (pthread_join (t, NULL) == 0);
    TEST_ASSERT_EQ_INT (p.auth_failed, 2);
    TEST_ASSERT_EQ_INT (p.auth_ok, 0);
    tu_recv_eagain (s.pull, 0);
    TEST_ASSERT_SUCCESS (zmq_close (mon));
    pair_close (&s);
    close (p.fd);
    TEST_ASSERT_SUCCESS (zmq_ctx_term (s.ctx));
}
#endif

int main (void)
{
    tu_begin ("test_socks");
    test_options ();
    test_targets ();
    test_proxy_late ();
    test_refused ();
#ifdef ZMQ_SOCKS_USERNAME
    test_auth ();
    test_bad_password ();
#endif
    return tu_end ();
}
