/*  test_atomic_timers.c: zmq_atomic_counter_*(3), zmq_stopwatch_*,
    zmq_threadstart/zmq_threadclose (zmq_utils.h family) and
    zmq_timers_*(3).  Checked against Debian's libzmq 4.3.4.  */
#include "testutil.h"

#include <time.h>

static void sleep_ms (int ms)
{
    struct timespec ts = {ms / 1000, (long) (ms % 1000) * 1000000L};
    while (nanosleep (&ts, &ts) == -1 && errno == EINTR) {
    }
}

/*  ---- atomic counter ----  */

static void *shared_counter;

static void bump_many (void *arg)
{
    (void) arg;
    for (int i = 0; i < 10000; i++)
        zmq_atomic_counter_inc (shared_counter);
}

static void test_atomic_counter (void)
{
    void *c = zmq_atomic_counter_new ();
    TEST_ASSERT (c != NULL);
    TEST_ASSERT_EQ_INT (zmq_atomic_counter_value (c), 0);
    /*  inc returns the value before the increment.  */
    TEST_ASSERT_EQ_INT (zmq_atomic_counter_inc (c), 0);
    TEST_ASSERT_EQ_INT (zmq_atomic_counter_inc (c), 1);
    TEST_ASSERT_EQ_INT (zmq_atomic_counter_value (c), 2);
    /*  dec returns 1 while the counter stays above zero, 0 when it hits it. */
    TEST_ASSERT_EQ_INT (zmq_atomic_counter_dec (c), 1);
    TEST_ASSERT_EQ_INT (zmq_atomic_counter_dec (c), 0);
    TEST_ASSERT_EQ_INT (zmq_atomic_counter_value (c), 0);
    zmq_atomic_counter_set (c, 10);
    TEST_ASSERT_EQ_INT (zmq_atomic_counter_value (c), 10);
    TEST_ASSERT_EQ_INT (zmq_atomic_counter_inc (c), 10);
    zmq_atomic_counter_destroy (&c);
    TEST_ASSERT (c == NULL);

    /*  Four threads, 10000 increments each, none lost.  */
    shared_counter = zmq_atomic_counter_new ();
    TEST_ASSERT (shared_counter != NULL);
    void *threads[4];
    for (int i = 0; i < 4; i++) {
        threads[i] = zmq_threadstart (bump_many, NULL);
        TEST_ASSERT (threads[i] != NULL);
    }
    for (int i = 0; i < 4; i++)
        zmq_threadclose (threads[i]);
    TEST_ASSERT_EQ_INT (zmq_atomic_counter_value (shared_counter), 40000);
    zmq_atomic_counter_destroy (&shared_counter);
    TEST_ASSERT (shared_counter == NULL);
}

/*  ---- threads ----  */

static void set_flag (void *arg)
{
    *(int *) arg = 42;
}

static void test_threads (void)
{
    int flag = 0;
    void *t = zmq_threadstart (set_flag, &flag);
    TEST_ASSERT (t != NULL);
    zmq_threadclose (t); /* joins */
    TEST_ASSERT_EQ_INT (flag, 42);
}

/*  ---- stopwatch ----  */

static void test_stopwatch (void)
{
    void *w = zmq_stopwatch_start ();
    TEST_ASSERT (w != NULL);
    sleep_ms (20);
    unsigned long mid = zmq_stopwatch_intermediate (w);
    TEST_ASSERT_MSG (mid >= 19000 && mid < 5000000, "intermediate %lu us", mid);
    sleep_ms (10);
    unsigned long total = zmq_stopwatch_stop (w); /* frees w */
    TEST_ASSERT_MSG (total >= mid + 9000, "stop %lu us after %lu", total, mid);
}

/*  ---- timers ----  */

static int fired[8];

static void on_timer (int timer_id, void *arg)
{
    TEST_ASSERT (timer_id >= 0 && timer_id < 8);
    fired[timer_id]++;
    (void) arg;
}

static void *seen_arg;
static void remember_arg (int timer_id, void *arg)
{
    (void) timer_id;
    seen_arg = arg;
}

static void test_timers (void)
{
    void *timers = zmq_timers_new ();
    TEST_ASSERT (timers != NULL);
    memset (fired, 0, sizeof fired);

    /*  No timer: no timeout, nothing to run.  */
    TEST_ASSERT_EQ_INT (zmq_timers_timeout (timers), -1);
    TEST_ASSERT_SUCCESS (zmq_timers_execute (timers));

    int fast = zmq_timers_add (timers, 20, on_timer, NULL);
    TEST_ASSERT (fast >= 0 && fast < 8);
    int slow = zmq_timers_add (timers, 10000, on_timer, NULL);
    TEST_ASSERT (slow >= 0 && slow < 8 && slow != fast);

    long timeout = zmq_timers_timeout (timers);
    TEST_ASSERT_MSG (timeout >= 0 && timeout <= 20, "timeout %ld", timeout);

    /*  Not yet due.  */
    TEST_ASSERT_SUCCESS (zmq_timers_execute (timers));
    TEST_ASSERT_EQ_INT (fired[fast], 0);

    sleep_ms (40);
    TEST_ASSERT_EQ_INT (zmq_timers_timeout (timers), 0);
    TEST_ASSERT_SUCCESS (zmq_timers_execute (timers));
    TEST_ASSERT_EQ_INT (fired[fast], 1);
    TEST_ASSERT_EQ_INT (fired[slow], 0);
    /*  A timer repeats: it is due again 20 ms later.  */
    timeout = zmq_timers_timeout (timers);
    TEST_ASSERT_MSG (timeout > 0 && timeout <= 20, "timeout %ld", timeout);

    /*  Cancel: never fires again; cancelling twice is EINVAL.  */
    TEST_ASSERT_SUCCESS (zmq_timers_cancel (timers, fast));
    TEST_ASSERT_FAILURE (zmq_timers_cancel (timers, fast), EINVAL);
    TEST_ASSERT_FAILURE (zmq_timers_cancel (timers, 12345), EINVAL);
    sleep_ms (40);
    TEST_ASSERT_SUCCESS (zmq_timers_execute (timers));
    TEST_ASSERT_EQ_INT (fired[fast], 1);
    timeout = zmq_timers_timeout (timers);
    TEST_ASSERT_MSG (timeout > 5000 && timeout <= 10000, "timeout %ld", timeout);

    /*  set_interval and reset on a live timer; unknown ids are EINVAL.  */
    TEST_ASSERT_SUCCESS (zmq_timers_set_interval (timers, slow, 10));
    TEST_ASSERT_SUCCESS (zmq_timers_reset (timers, slow));
    timeout = zmq_timers_timeout (timers);
    TEST_ASSERT_MSG (timeout >= 0 && timeout <= 10, "timeout %ld", timeout);
    TEST_ASSERT_FAILURE (zmq_timers_set_interval (timers, 12345, 10), EINVAL);
    TEST_ASSERT_FAILURE (zmq_timers_reset (timers, 12345), EINVAL);
    sleep_ms (30);
    TEST_ASSERT_SUCCESS (zmq_timers_execute (timers));
    TEST_ASSERT_EQ_INT (fired[slow], 1);

    /*  Arguments reach the handler.  */
    int cookie = 0;
    int id = zmq_timers_add (timers, 1, remember_arg, &cookie);
    TEST_ASSERT (id >= 0);
    sleep_ms (10);
    TEST_ASSERT_SUCCESS (zmq_timers_execute (timers));
    TEST_ASSERT (seen_arg == &cookie);

    /*  A NULL handler is EFAULT; a NULL timers handle is EFAULT.  */
    TEST_ASSERT_FAILURE (zmq_timers_add (timers, 10, NULL, NULL), EFAULT);
    TEST_ASSERT_FAILURE (zmq_timers_add (NULL, 10, on_timer, NULL), EFAULT);
    TEST_ASSERT_FAILURE (zmq_timers_execute (NULL), EFAULT);
    TEST_ASSERT_FAILURE (zmq_timers_cancel (NULL, 1), EFAULT);
    TEST_ASSERT_FAILURE ((int) zmq_timers_timeout (NULL), EFAULT);

    TEST_ASSERT_SUCCESS (zmq_timers_destroy (&timers));
    TEST_ASSERT (timers == NULL);
    TEST_ASSERT_FAILURE (zmq_timers_destroy (&timers), EFAULT);
}

int main (void)
{
    tu_begin ("test_atomic_timers");
    test_atomic_counter ();
    test_threads ();
    test_stopwatch ();
    test_timers ();
    return tu_end ();
}
