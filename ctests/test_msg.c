/*  test_msg.c: the zmq_msg_* functions of zmq_msg_init(3),
    zmq_msg_init_size(3), zmq_msg_init_data(3), zmq_msg_data(3),
    zmq_msg_size(3), zmq_msg_copy(3), zmq_msg_move(3), zmq_msg_close(3),
    zmq_msg_get(3), zmq_msg_set(3), zmq_msg_gets(3), zmq_msg_more(3) and,
    with ZMQ_BUILD_DRAFT_API, zmq_msg_set_routing_id(3) / zmq_msg_routing_id
    and zmq_msg_set_group(3) / zmq_msg_group.  No socket is needed.
    The stable part is checked against Debian's libzmq 4.3.4.  */
#include "testutil.h"

static int free_calls;
static void *free_data_seen;
static void *free_hint_seen;

static void count_free (void *data, void *hint)
{
    free_calls++;
    free_data_seen = data;
    free_hint_seen = hint;
}

static void test_init_empty (void)
{
    zmq_msg_t msg;
    TEST_ASSERT_SUCCESS (zmq_msg_init (&msg));
    TEST_ASSERT_EQ_INT (zmq_msg_size (&msg), 0);
    TEST_ASSERT_EQ_INT (zmq_msg_more (&msg), 0);
    TEST_ASSERT_EQ_INT (zmq_msg_get (&msg, ZMQ_MORE), 0);
    TEST_ASSERT_EQ_INT (zmq_msg_get (&msg, ZMQ_SHARED), 0);
    TEST_ASSERT_SUCCESS (zmq_msg_close (&msg));
}

static void test_init_size (void)
{
    size_t sizes[] = {0, 1, 29, 33, 64, 100, 4096, 1000000};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        zmq_msg_t msg;
        TEST_ASSERT_SUCCESS (zmq_msg_init_size (&msg, sizes[i]));
        TEST_ASSERT_EQ_INT (zmq_msg_size (&msg), sizes[i]);
        if (sizes[i] > 0) {
            unsigned char *p = (unsigned char *) zmq_msg_data (&msg);
            TEST_ASSERT (p != NULL);
            memset (p, 0xA5, sizes[i]);
            TEST_ASSERT (p[0] == 0xA5 && p[sizes[i] - 1] == 0xA5);
        }
        TEST_ASSERT_EQ_INT (zmq_msg_get (&msg, ZMQ_SHARED), 0);
        TEST_ASSERT_SUCCESS (zmq_msg_close (&msg));
    }
}

static void test_init_data_free_once (void)
{
    /*  The free function runs exactly once, after the last copy closes.  */
    char *buf = (char *) malloc (1000);
    TEST_ASSERT (buf);
    memcpy (buf, "hello", 5);
    int hint = 7;
    free_calls = 0;
    zmq_msg_t a, b, c;
    TEST_ASSERT_SUCCESS (zmq_msg_init_data (&a, buf, 1000, count_free, &hint));
    TEST_ASSERT (zmq_msg_data (&a) == buf);
    TEST_ASSERT_EQ_INT (zmq_msg_size (&a), 1000);

    TEST_ASSERT_SUCCESS (zmq_msg_init (&b));
    TEST_ASSERT_SUCCESS (zmq_msg_copy (&b, &a));
    TEST_ASSERT_EQ_INT (zmq_msg_get (&a, ZMQ_SHARED), 1);
    TEST_ASSERT_EQ_INT (zmq_msg_get (&b, ZMQ_SHARED), 1);
    TEST_ASSERT (zmq_msg_data (&b) == buf);
    TEST_ASSERT_EQ_INT (zmq_msg_size (&b), 1000);

    TEST_ASSERT_SUCCESS (zmq_msg_init (&c));
    TEST_ASSERT_SUCCESS (zmq_msg_copy (&c, &b));
    TEST_ASSERT (zmq_msg_data (&c) == buf);

    TEST_ASSERT_SUCCESS (zmq_msg_close (&a));
    TEST_ASSERT_EQ_INT (free_calls, 0);
    TEST_ASSERT_SUCCESS (zmq_msg_close (&c));
    TEST_ASSERT_EQ_INT (free_calls, 0);
    TEST_ASSERT (memcmp (zmq_msg_data (&b), "hello", 5) == 0);
    TEST_ASSERT_SUCCESS (zmq_msg_close (&b));
    TEST_ASSERT_EQ_INT (free_calls, 1);
    TEST_ASSERT (free_data_seen == buf);
    TEST_ASSERT (free_hint_seen == &hint);
    free (buf);

    /*  Without copies: freed at close.  */
    static char fixed[10];
    free_calls = 0;
    zmq_msg_t d;
    TEST_ASSERT_SUCCESS (zmq_msg_init_data (&d, fixed, sizeof fixed, count_free, NULL));
    TEST_ASSERT_EQ_INT (zmq_msg_get (&d, ZMQ_SHARED), 0);
    TEST_ASSERT_SUCCESS (zmq_msg_close (&d));
    TEST_ASSERT_EQ_INT (free_calls, 1);
    TEST_ASSERT (free_data_seen == fixed);
    TEST_ASSERT (free_hint_seen == NULL);

    /*  A NULL free function: the buffer stays the caller's.  */
    zmq_msg_t e;
    TEST_ASSERT_SUCCESS (zmq_msg_init_data (&e, fixed, sizeof fixed, NULL, NULL));
    TEST_ASSERT (zmq_msg_data (&e) == fixed);
    TEST_ASSERT_EQ_INT (zmq_msg_size (&e), sizeof fixed);
    TEST_ASSERT_SUCCESS (zmq_msg_close (&e));
}

static void test_copy (void)
{
    /*  Small message: copied, not shared.  */
    zmq_msg_t a, b;
    TEST_ASSERT_SUCCESS (zmq_msg_init_size (&a, 5));
    memcpy (zmq_msg_data (&a), "abcde", 5);
    TEST_ASSERT_SUCCESS (zmq_msg_init_size (&b, 3)); /* replaced by the copy */
    TEST_ASSERT_SUCCESS (zmq_msg_copy (&b, &a));
    TEST_ASSERT_EQ_INT (zmq_msg_size (&b), 5);
    TEST_ASSERT (memcmp (zmq_msg_data (&b), "abcde", 5) == 0);
    TEST_ASSERT_SUCCESS (zmq_msg_close (&a));
    TEST_ASSERT (memcmp (zmq_msg_data (&b), "abcde", 5) == 0);
    TEST_ASSERT_SUCCESS (zmq_msg_close (&b));

    /*  Large message: shared content, same bytes.  */
    TEST_ASSERT_SUCCESS (zmq_msg_init_size (&a, 5000));
    memset (zmq_msg_data (&a), 'x', 5000);
    TEST_ASSERT_SUCCESS (zmq_msg_init (&b));
    TEST_ASSERT_SUCCESS (zmq_msg_copy (&b, &a));
    TEST_ASSERT_EQ_INT (zmq_msg_get (&a, ZMQ_SHARED), 1);
    TEST_ASSERT_EQ_INT (zmq_msg_get (&b, ZMQ_SHARED), 1);
    TEST_ASSERT_EQ_INT (zmq_msg_size (&b), 5000);
    TEST_ASSERT (((char *) zmq_msg_data (&b))[4999] == 'x');
    TEST_ASSERT_SUCCESS (zmq_msg_close (&a));
    TEST_ASSERT (((char *) zmq_msg_data (&b))[0] == 'x');
    TEST_ASSERT_SUCCESS (zmq_msg_close (&b));
}

static void test_move (void)
{
    zmq_msg_t a, b;
    TEST_ASSERT_SUCCESS (zmq_msg_init_size (&a, 6));
    memcpy (zmq_msg_data (&a), "moved!", 6);
    TEST_ASSERT_SUCCESS (zmq_msg_init (&b));
    TEST_ASSERT_SUCCESS (zmq_msg_move (&b, &a));
    TEST_ASSERT_EQ_INT (zmq_msg_size (&b), 6);
    TEST_ASSERT (memcmp (zmq_msg_data (&b), "moved!", 6) == 0);
    TEST_ASSERT_EQ_INT (zmq_msg_size (&a), 0);
    TEST_ASSERT_SUCCESS (zmq_msg_close (&a));
    TEST_ASSERT_SUCCESS (zmq_msg_close (&b));

    /*  Moving a large message releases dest's old content.  */
    free_calls = 0;
    static char big[2000];
    TEST_ASSERT_SUCCESS (zmq_msg_init_data (&b, big, sizeof big, count_free, NULL));
    TEST_ASSERT_SUCCESS (zmq_msg_init_size (&a, 3000));
    TEST_ASSERT_SUCCESS (zmq_msg_move (&b, &a));
    TEST_ASSERT_EQ_INT (free_calls, 1);
    TEST_ASSERT_EQ_INT (zmq_msg_size (&b), 3000);
    TEST_ASSERT_SUCCESS (zmq_msg_close (&a));
    TEST_ASSERT_SUCCESS (zmq_msg_close (&b));
}

static void test_properties (void)
{
    zmq_msg_t msg;
    TEST_ASSERT_SUCCESS (zmq_msg_init_size (&msg, 4));
    /*  zmq_msg_set has no settable property.  */
    TEST_ASSERT_FAILURE (zmq_msg_set (&msg, ZMQ_MORE, 1), EINVAL);
    TEST_ASSERT_FAILURE (zmq_msg_set (&msg, 9999, 0), EINVAL);
    /*  Unknown property.  */
    TEST_ASSERT_FAILURE (zmq_msg_get (&msg, 9999), EINVAL);
    /*  No metadata on a message that did not come from a peer.  */
    errno = 0;
    TEST_ASSERT_NULL_ERRNO (zmq_msg_gets (&msg, "Socket-Type"), EINVAL);
    TEST_ASSERT_NULL_ERRNO (zmq_msg_gets (&msg, "User-Id"), EINVAL);
    TEST_ASSERT_SUCCESS (zmq_msg_close (&msg));
}

static void test_closed_is_efault (void)
{
    zmq_msg_t a, b;
    TEST_ASSERT_SUCCESS (zmq_msg_init_size (&a, 100));
    TEST_ASSERT_SUCCESS (zmq_msg_close (&a));
    TEST_ASSERT_FAILURE (zmq_msg_close (&a), EFAULT);
    TEST_ASSERT_SUCCESS (zmq_msg_init (&b));
    TEST_ASSERT_FAILURE (zmq_msg_copy (&b, &a), EFAULT);
    TEST_ASSERT_FAILURE (zmq_msg_move (&b, &a), EFAULT);
    TEST_ASSERT_SUCCESS (zmq_msg_close (&b));
}

static void test_memcpy_of_msg (void)
{
    /*  zmq_msg_t is a plain 64-byte value: a program may memcpy it (as
        language bindings do) and go on with the copy alone.  */
    TEST_ASSERT_EQ_INT (sizeof (zmq_msg_t), 64);

    zmq_msg_t a, b;
    TEST_ASSERT_SUCCESS (zmq_msg_init_size (&a, 10));
    memcpy (zmq_msg_data (&a), "0123456789", 10);
    memcpy (&b, &a, sizeof (zmq_msg_t));
    memset (&a, 0xEE, sizeof a); /* the original is gone */
    TEST_ASSERT_EQ_INT (zmq_msg_size (&b), 10);
    TEST_ASSERT (memcmp (zmq_msg_data (&b), "0123456789", 10) == 0);
    TEST_ASSERT_SUCCESS (zmq_msg_close (&b));

    free_calls = 0;
    static char data[500];
    TEST_ASSERT_SUCCESS (zmq_msg_init_data (&a, data, sizeof data, count_free, NULL));
    memcpy (&b, &a, sizeof (zmq_msg_t));
    TEST_ASSERT (zmq_msg_data (&b) == data);
    TEST_ASSERT_SUCCESS (zmq_msg_close (&b));
    TEST_ASSERT_EQ_INT (free_calls, 1);

    /*  An array of messages moved around by value.  */
    zmq_msg_t arr[4];
    for (int i = 0; i < 4; i++) {
        TEST_ASSERT_SUCCESS (zmq_msg_init_size (&arr[i], (size_t) (i * 40 + 1)));
        memset (zmq_msg_data (&arr[i]), 'a' + i, (size_t) (i * 40 + 1));
    }
    zmq_msg_t moved[4];
    memcpy (moved, arr, sizeof arr);
    for (int i = 0; i < 4; i++) {
        TEST_ASSERT_EQ_INT (zmq_msg_size (&moved[i]), i * 40 + 1);
        TEST_ASSERT (((char *) zmq_msg_data (&moved[i]))[i * 40] == 'a' + i);
        TEST_ASSERT_SUCCESS (zmq_msg_close (&moved[i]));
    }
}

#ifdef ZMQ_BUILD_DRAFT_API
/*  Draft API (not in Debian's build): zmq_msg_set_routing_id(3) rejects 0,
    zmq_msg_set_group(3) rejects names longer than ZMQ_GROUP_MAX_LENGTH.  */
static void test_draft_routing_id_group (void)
{
    zmq_msg_t msg;
    TEST_ASSERT_SUCCESS (zmq_msg_init (&msg));
    TEST_ASSERT_EQ_INT (zmq_msg_routing_id (&msg), 0);
    TEST_ASSERT_FAILURE (zmq_msg_set_routing_id (&msg, 0), EINVAL);
    TEST_ASSERT_SUCCESS (zmq_msg_set_routing_id (&msg, 42));
    TEST_ASSERT_EQ_INT (zmq_msg_routing_id (&msg), 42);

    TEST_ASSERT_EQ_STR (zmq_msg_group (&msg), "");
    TEST_ASSERT_SUCCESS (zmq_msg_set_group (&msg, "weather"));
    TEST_ASSERT_EQ_STR (zmq_msg_group (&msg), "weather");
    char longest[ZMQ_GROUP_MAX_LENGTH + 1];
    memset (longest, 'g', ZMQ_GROUP_MAX_LENGTH);
    longest[ZMQ_GROUP_MAX_LENGTH] = '\0';
    TEST_ASSERT_SUCCESS (zmq_msg_set_group (&msg, longest));
    TEST_ASSERT_EQ_STR (zmq_msg_group (&msg), longest);
    char too_long[ZMQ_GROUP_MAX_LENGTH + 2];
    memset (too_long, 'g', ZMQ_GROUP_MAX_LENGTH + 1);
    too_long[ZMQ_GROUP_MAX_LENGTH + 1] = '\0';
    TEST_ASSERT_FAILURE (zmq_msg_set_group (&msg, too_long), EINVAL);

    /*  Both survive a copy.  */
    zmq_msg_t copy;
    TEST_ASSERT_SUCCESS (zmq_msg_init (&copy));
    TEST_ASSERT_SUCCESS (zmq_msg_copy (&copy, &msg));
    TEST_ASSERT_EQ_INT (zmq_msg_routing_id (&copy), 42);
    TEST_ASSERT_EQ_STR (zmq_msg_group (&copy), longest);
    TEST_ASSERT_SUCCESS (zmq_msg_close (&copy));
    TEST_ASSERT_SUCCESS (zmq_msg_close (&msg));
}
#endif

int main (void)
{
    tu_begin ("test_msg");
    test_init_empty ();
    test_init_size ();
    test_init_data_free_once ();
    test_copy ();
    test_move ();
    test_properties ();
    test_closed_is_efault ();
    test_memcpy_of_msg ();
#ifdef ZMQ_BUILD_DRAFT_API
    test_draft_routing_id_group ();
#endif
    return tu_end ();
}
