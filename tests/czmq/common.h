/* tests/czmq/common.h: shared helpers for the CZMQ programs that run
 * unchanged on Debian's libzmq and on libzmq-rs (LD_PRELOAD).
 *
 * czt_init() parses `--expect-version X.Y.Z`, prints which libzmq the
 * process really loaded (zmq_version() and the path from /proc/self/maps),
 * fails with exit 3 when the version differs, and arms a watchdog (alarm)
 * that ends a hung program with exit 4 naming the step it was in.
 * CHECK() fails the program (exit 1) with errno from zmq_errno(). */
#ifndef CZT_COMMON_H
#define CZT_COMMON_H
#define _GNU_SOURCE
#include <czmq.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *volatile czt_step = "init";
static const char *czt_name = "?";

#define STEP(s)                                                                \
    do {                                                                       \
        czt_step = (s);                                                        \
        printf ("%s: step %s\n", czt_name, czt_step);                          \
        fflush (stdout);                                                       \
    } while (0)

#define CHECK(cond)                                                            \
    do {                                                                       \
        if (!(cond)) {                                                         \
            int e_ = zmq_errno ();                                             \
            fflush (stdout);                                                   \
            fprintf (stderr, "%s:%d: [%s] CHECK failed: %s (errno %d: %s)\n",  \
                     __FILE__, __LINE__, czt_step, #cond, e_,                  \
                     zmq_strerror (e_));                                       \
            fflush (stderr);                                                   \
            _exit (1);                                                         \
        }                                                                      \
    } while (0)

static void czt_alarm (int sig)
{
    (void) sig;
    char buf[256];
    int n = snprintf (buf, sizeof buf, "%s: TIMEOUT in step %s\n", czt_name,
                      czt_step);
    if (n > 0)
        (void) !write (2, buf, (size_t) n);
    _exit (4);
}

/* The path of the libzmq mapped into this process. */
static void czt_loaded_libzmq (char *out, size_t len)
{
    snprintf (out, len, "(not found)");
    FILE *f = fopen ("/proc/self/maps", "r");
    if (!f)
        return;
    char line[1024];
    while (fgets (line, sizeof line, f)) {
        char *p = strchr (line, '/');
        if (p && strstr (p, "libzmq.so")) {
            p[strcspn (p, "\n")] = 0;
            snprintf (out, len, "%s", p);
            break;
        }
    }
    fclose (f);
}

static void czt_init (int argc, char **argv, const char *name, unsigned secs)
{
    czt_name = name;
    const char *expect = NULL;
    for (int i = 1; i < argc; i++)
        if (strcmp (argv[i], "--expect-version") == 0 && i + 1 < argc)
            expect = argv[++i];
    int a, b, c;
    zmq_version (&a, &b, &c);
    char ver[32], path[512];
    snprintf (ver, sizeof ver, "%d.%d.%d", a, b, c);
    czt_loaded_libzmq (path, sizeof path);
    printf ("%s: libzmq %s loaded from %s\n", name, ver, path);
    fflush (stdout);
    if (expect && strcmp (expect, ver) != 0) {
        fprintf (stderr, "%s: expected libzmq %s, got %s\n", name, expect, ver);
        exit (3);
    }
    signal (SIGALRM, czt_alarm);
    alarm (secs);
}

static void czt_done (void)
{
    printf ("%s: OK\n", czt_name);
    fflush (stdout);
}
#endif
