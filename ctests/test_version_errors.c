/*  test_version_errors.c: zmq_version(3), zmq_strerror(3), zmq_errno(3),
    zmq_has(3).  Checked against Debian's libzmq 4.3.4 (bar the version).  */
#include "testutil.h"

static void test_version (void)
{
    int major = -1, minor = -1, patch = -1;
    zmq_version (&major, &minor, &patch);
    TEST_ASSERT_EQ_INT (major, ZMQ_VERSION_MAJOR);
    TEST_ASSERT_EQ_INT (minor, ZMQ_VERSION_MINOR);
    TEST_ASSERT (major == 4 && minor == 3);
    TEST_ASSERT (ZMQ_VERSION
                 == ZMQ_MAKE_VERSION (ZMQ_VERSION_MAJOR, ZMQ_VERSION_MINOR,
                                      ZMQ_VERSION_PATCH));
}

static void test_strerror (void)
{
    /*  0MQ's own error numbers.  */
    TEST_ASSERT_EQ_STR (zmq_strerror (EFSM),
                        "Operation cannot be accomplished in current state");
    TEST_ASSERT_EQ_STR (zmq_strerror (ENOCOMPATPROTO),
                        "The protocol is not compatible with the socket type");
    TEST_ASSERT_EQ_STR (zmq_strerror (ETERM), "Context was terminated");
    TEST_ASSERT_EQ_STR (zmq_strerror (EMTHREAD), "No thread available");
    TEST_ASSERT_EQ_INT (EFSM, ZMQ_HAUSNUMERO + 51);
    TEST_ASSERT_EQ_INT (ENOCOMPATPROTO, ZMQ_HAUSNUMERO + 52);
    TEST_ASSERT_EQ_INT (ETERM, ZMQ_HAUSNUMERO + 53);
    TEST_ASSERT_EQ_INT (EMTHREAD, ZMQ_HAUSNUMERO + 54);

    /*  POSIX codes are passed to strerror().  */
    TEST_ASSERT_EQ_STR (zmq_strerror (EINVAL), strerror (EINVAL));
    TEST_ASSERT_EQ_STR (zmq_strerror (EAGAIN), strerror (EAGAIN));
    TEST_ASSERT_EQ_STR (zmq_strerror (ECONNREFUSED), strerror (ECONNREFUSED));
    /*  libzmq has its own text for EHOSTUNREACH (glibc: "No route to host").  */
    TEST_ASSERT_EQ_STR (zmq_strerror (EHOSTUNREACH), "Host unreachable");
    TEST_ASSERT_EQ_STR (zmq_strerror (ENOTSUP), strerror (ENOTSUP));
    /*  Never NULL, whatever the number.  */
    TEST_ASSERT (zmq_strerror (123456) != NULL);
    TEST_ASSERT (zmq_strerror (ZMQ_HAUSNUMERO + 99) != NULL);
}

static void test_errno (void)
{
    errno = EAGAIN;
    TEST_ASSERT_EQ_INT (zmq_errno (), EAGAIN);
    errno = ETERM;
    TEST_ASSERT_EQ_INT (zmq_errno (), ETERM);
    errno = 0;
    TEST_ASSERT_EQ_INT (zmq_errno (), 0);

    /*  A failing call leaves its errno for zmq_errno().  */
    zmq_msg_t msg;
    TEST_ASSERT_SUCCESS (zmq_msg_init (&msg));
    TEST_ASSERT_FAILURE (zmq_msg_get (&msg, 12345), EINVAL);
    TEST_ASSERT_EQ_INT (errno, EINVAL);
    TEST_ASSERT_SUCCESS (zmq_msg_close (&msg));
}

static void test_has (void)
{
    TEST_ASSERT_EQ_INT (zmq_has ("ipc"), 1);
    TEST_ASSERT_EQ_INT (zmq_has ("curve"), 1);
    TEST_ASSERT_EQ_INT (zmq_has ("no-such-capability"), 0);
    TEST_ASSERT_EQ_INT (zmq_has (""), 0);
}

int main (void)
{
    tu_begin ("test_version_errors");
    test_version ();
    test_strerror ();
    test_errno ();
    test_has ();
    return tu_end ();
}
