/* tests/czmq/t_selftest.c: CZMQ's own self-tests, as shipped in Debian's
 * libczmq 4.2.1 (each class exports `<class>_test (bool verbose)`), for the
 * classes that drive libzmq: sockets and their options, messages, frames,
 * actors, the reactor and poller, monitor, proxy, authentication (ZAP with
 * PLAIN and CURVE, certificates) and gossip. CZMQ's tests assert, so a
 * failure aborts the program in the class named by the last step.
 * They read and write files under src/selftest-ro and src/selftest-rw of
 * the working directory, which this program creates. */
#include "common.h"
#include <sys/stat.h>

/* Declared by CZMQ's draft headers only; exported by libczmq all the
 * same. */
void zgossip_test (bool verbose);
void zmonitor_test (bool verbose);
void zsock_option_test (bool verbose);

typedef void (selftest_fn) (bool verbose);

static const struct
{
    const char *name;
    selftest_fn *fn;
} classes[] = {
  {"zframe", zframe_test},   {"zmsg", zmsg_test},
  {"zstr", zstr_test},       {"zsock", zsock_test},
  {"zsock_option", zsock_option_test},
  {"zpoller", zpoller_test}, {"zloop", zloop_test},
  {"zactor", zactor_test},   {"zmonitor", zmonitor_test},
  {"zproxy", zproxy_test},   {"zcert", zcert_test},
  {"zcertstore", zcertstore_test},
  {"zauth", zauth_test},     {"zgossip", zgossip_test},
  {"zsys", zsys_test},
};

int main (int argc, char **argv)
{
    czt_init (argc, argv, "selftest", 80);
    CHECK (mkdir ("src", 0755) == 0 || errno == EEXIST);
    CHECK (mkdir ("src/selftest-ro", 0755) == 0 || errno == EEXIST);
    CHECK (mkdir ("src/selftest-rw", 0755) == 0 || errno == EEXIST);
    for (size_t i = 0; i < sizeof classes / sizeof classes[0]; i++) {
        STEP (classes[i].name);
        classes[i].fn (false);
    }
    czt_done ();
    return 0;
}
