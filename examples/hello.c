/*  examples/hello.c: the smallest libzmq program, built by
    scripts/install.sh against the installed libzmq-rs with
        gcc hello.c $(pkg-config --cflags --libs libzmq)
    It prints the library version (libzmq-rs reports 4.3.5) and where the
    library was loaded from, then does a PUSH/PULL exchange over inproc and
    a REQ/REP round trip over tcp://127.0.0.1:* (the port is read back with
    ZMQ_LAST_ENDPOINT), printing what it exchanged.  Exit status 0 only if
    every step worked.  */
#define _GNU_SOURCE
#include <zmq.h>

#include <stdio.h>
#include <string.h>

static int fail (const char *what)
{
    fprintf (stderr, "hello: %s failed: %s\n", what, zmq_strerror (zmq_errno ()));
    return 1;
}

static void print_loaded_library (void)
{
    FILE *f = fopen ("/proc/self/maps", "r");
    char line[4096];
    while (f && fgets (line, sizeof line, f)) {
        char *path = strchr (line, '/');
        if (path && strstr (path, "/libzmq.so")) {
            printf ("loaded from %s", path);
            break;
        }
    }
    if (f)
        fclose (f);
}

static int recv_string (void *socket, char *buf, size_t n)
{
    int rc = zmq_recv (socket, buf, n - 1, 0);
    if (rc < 0)
        return -1;
    buf[(size_t) rc < n - 1 ? (size_t) rc : n - 1] = '\0';
    return rc;
}

static int inproc_push_pull (void *ctx)
{
    void *pull = zmq_socket (ctx, ZMQ_PULL);
    void *push = zmq_socket (ctx, ZMQ_PUSH);
    if (!pull || !push)
        return fail ("zmq_socket(PUSH/PULL)");
    if (zmq_bind (pull, "inproc://hello") != 0)
        return fail ("zmq_bind(inproc://hello)");
    if (zmq_connect (push, "inproc://hello") != 0)
        return fail ("zmq_connect(inproc://hello)");
    if (zmq_send (push, "Hello over inproc", 17, 0) != 17)
        return fail ("zmq_send(inproc)");
    char buf[64];
    if (recv_string (pull, buf, sizeof buf) < 0)
        return fail ("zmq_recv(inproc)");
    printf ("inproc PUSH -> PULL: \"%s\"\n", buf);
    zmq_close (push);
    zmq_close (pull);
    return strcmp (buf, "Hello over inproc") == 0 ? 0 : 1;
}

static int tcp_req_rep (void *ctx)
{
    void *rep = zmq_socket (ctx, ZMQ_REP);
    void *req = zmq_socket (ctx, ZMQ_REQ);
    if (!rep || !req)
        return fail ("zmq_socket(REQ/REP)");
    int timeout = 5000;
    zmq_setsockopt (req, ZMQ_RCVTIMEO, &timeout, sizeof timeout);
    zmq_setsockopt (rep, ZMQ_RCVTIMEO, &timeout, sizeof timeout);
    if (zmq_bind (rep, "tcp://127.0.0.1:*") != 0)
        return fail ("zmq_bind(tcp://127.0.0.1:*)");
    char endpoint[256];
    size_t len = sizeof endpoint;
    if (zmq_getsockopt (rep, ZMQ_LAST_ENDPOINT, endpoint, &len) != 0)
        return fail ("zmq_getsockopt(ZMQ_LAST_ENDPOINT)");
    printf ("REP bound to %s\n", endpoint);
    if (zmq_connect (req, endpoint) != 0)
        return fail ("zmq_connect(tcp)");

    char buf[64];
    if (zmq_send (req, "Hello", 5, 0) != 5)
        return fail ("zmq_send(REQ)");
    if (recv_string (rep, buf, sizeof buf) < 0)
        return fail ("zmq_recv(REP)");
    printf ("tcp REQ -> REP: \"%s\"\n", buf);
    if (zmq_send (rep, "World", 5, 0) != 5)
        return fail ("zmq_send(REP)");
    char reply[64];
    if (recv_string (req, reply, sizeof reply) < 0)
        return fail ("zmq_recv(REQ)");
    printf ("tcp REP -> REQ: \"%s\"\n", reply);
    int linger = 0;
    zmq_setsockopt (req, ZMQ_LINGER, &linger, sizeof linger);
    zmq_setsockopt (rep, ZMQ_LINGER, &linger, sizeof linger);
    zmq_close (req);
    zmq_close (rep);
    return strcmp (buf, "Hello") == 0 && strcmp (reply, "World") == 0 ? 0 : 1;
}

int main (void)
{
    setvbuf (stdout, NULL, _IOLBF, 0);
    int major, minor, patch;
    zmq_version (&major, &minor, &patch);
    printf ("libzmq version %d.%d.%d\n", major, minor, patch);
    print_loaded_library ();

    void *ctx = zmq_ctx_new ();
    if (!ctx)
        return fail ("zmq_ctx_new");
    int rc = inproc_push_pull (ctx);
    if (rc == 0)
        rc = tcp_req_rep (ctx);
    if (rc != 0)
        return rc; /* sockets may still be open: zmq_ctx_term would wait */
    if (zmq_ctx_term (ctx) != 0)
        return fail ("zmq_ctx_term");
    printf ("hello: all exchanges done\n");
    return 0;
}
