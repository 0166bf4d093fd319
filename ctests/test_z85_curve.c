/*  test_z85_curve.c: zmq_z85_encode(3), zmq_z85_decode(3) (RFC 32/Z85),
    zmq_curve_keypair(3) and zmq_curve_public(3).
    Checked against Debian's libzmq 4.3.4.  */
#include "testutil.h"

static void test_rfc32_vector (void)
{
    const uint8_t bytes[8] = {0x86, 0x4F, 0xD2, 0x6F, 0xB5, 0x59, 0xF7, 0x5B};
    char text[11];
    TEST_ASSERT (zmq_z85_encode (text, bytes, 8) == text);
    TEST_ASSERT_EQ_STR (text, "HelloWorld");

    uint8_t back[8];
    TEST_ASSERT (zmq_z85_decode (back, "HelloWorld") == back);
    TEST_ASSERT (memcmp (back, bytes, 8) == 0);
}

static void test_round_trip (void)
{
    uint8_t data[32], back[32];
    for (int i = 0; i < 32; i++)
        data[i] = (uint8_t) (i * 37 + 11);
    char text[41];
    TEST_ASSERT (zmq_z85_encode (text, data, 32) != NULL);
    TEST_ASSERT_EQ_INT (strlen (text), 40);
    TEST_ASSERT (zmq_z85_decode (back, text) != NULL);
    TEST_ASSERT (memcmp (data, back, 32) == 0);

    /*  Extremes: all zero and all 0xFF.  */
    uint8_t zeros[4] = {0, 0, 0, 0}, ones[4] = {0xFF, 0xFF, 0xFF, 0xFF};
    char t[6];
    TEST_ASSERT (zmq_z85_encode (t, zeros, 4) != NULL);
    TEST_ASSERT_EQ_STR (t, "00000");
    TEST_ASSERT (zmq_z85_encode (t, ones, 4) != NULL);
    TEST_ASSERT_EQ_STR (t, "%nSc0");
    uint8_t b4[4];
    TEST_ASSERT (zmq_z85_decode (b4, "%nSc0") != NULL);
    TEST_ASSERT (memcmp (b4, ones, 4) == 0);

    /*  Zero bytes encode to the empty string.  */
    char empty[1] = {'x'};
    TEST_ASSERT (zmq_z85_encode (empty, zeros, 0) == empty);
    TEST_ASSERT_EQ_INT (empty[0], '\0');
}

static void test_bad_input (void)
{
    char text[64];
    uint8_t bytes[64];
    /*  Encode: size must be a multiple of 4.  */
    errno = 0;
    TEST_ASSERT_NULL_ERRNO (zmq_z85_encode (text, (const uint8_t *) "abc", 3), EINVAL);
    errno = 0;
    TEST_ASSERT_NULL_ERRNO (zmq_z85_encode (text, (const uint8_t *) "abcde", 5), EINVAL);
    /*  Decode: length must be a non-zero multiple of 5.  */
    errno = 0;
    TEST_ASSERT_NULL_ERRNO (zmq_z85_decode (bytes, "abcd"), EINVAL);
    errno = 0;
    TEST_ASSERT_NULL_ERRNO (zmq_z85_decode (bytes, "HelloWorld!"), EINVAL);
    errno = 0;
    TEST_ASSERT_NULL_ERRNO (zmq_z85_decode (bytes, ""), EINVAL);
    /*  Characters outside the Z85 alphabet.  */
    errno = 0;
    TEST_ASSERT_NULL_ERRNO (zmq_z85_decode (bytes, "abc d"), EINVAL);
    errno = 0;
    TEST_ASSERT_NULL_ERRNO (zmq_z85_decode (bytes, "Hello~orld"), EINVAL);
    errno = 0;
    TEST_ASSERT_NULL_ERRNO (zmq_z85_decode (bytes, "Hell\"World"), EINVAL);
    /*  A group above 0xFFFFFFFF.  */
    errno = 0;
    TEST_ASSERT_NULL_ERRNO (zmq_z85_decode (bytes, "%nSc1"), EINVAL);
    errno = 0;
    TEST_ASSERT_NULL_ERRNO (zmq_z85_decode (bytes, "#####"), EINVAL);
}

static void test_curve (void)
{
    /*  A known pair (secret from libzmq's own tests; public as computed by
        libzmq 4.3.4).  */
    char pub[41];
    TEST_ASSERT_SUCCESS (
      zmq_curve_public (pub, "D:)Q[IlAW!ahhC2ac:9*A}h:p?([4%wOTJ%JR%cs"));
    TEST_ASSERT_EQ_STR (pub, "Yne@$w-vo<fVvi]a<NY6T1ed:M$fCG*[IaLV{hID");

    /*  Fresh pairs: 40 Z85 chars each, public derivable from secret,
        and two pairs differ.  */
    char pub1[41], sec1[41], pub2[41], sec2[41], derived[41];
    TEST_ASSERT_SUCCESS (zmq_curve_keypair (pub1, sec1));
    TEST_ASSERT_SUCCESS (zmq_curve_keypair (pub2, sec2));
    TEST_ASSERT_EQ_INT (strlen (pub1), 40);
    TEST_ASSERT_EQ_INT (strlen (sec1), 40);
    TEST_ASSERT (strcmp (pub1, pub2) != 0);
    TEST_ASSERT (strcmp (sec1, sec2) != 0);
    TEST_ASSERT_SUCCESS (zmq_curve_public (derived, sec1));
    TEST_ASSERT_EQ_STR (derived, pub1);
    TEST_ASSERT_SUCCESS (zmq_curve_public (derived, sec2));
    TEST_ASSERT_EQ_STR (derived, pub2);
    uint8_t raw[32];
    TEST_ASSERT (zmq_z85_decode (raw, pub1) != NULL);
    TEST_ASSERT (zmq_z85_decode (raw, sec1) != NULL);

    /*  A secret that is not Z85.  */
    errno = 0;
    TEST_ASSERT_FAILURE (
      zmq_curve_public (derived, "D:)Q[IlAW!ahhC2ac:9*A}h:p?([4%wOTJ%JR%c~"), EINVAL);
}

int main (void)
{
    tu_begin ("test_z85_curve");
    test_rfc32_vector ();
    test_round_trip ();
    test_bad_input ();
    test_curve ();
    return tu_end ();
}
