/*  tests/static_link/main.c: linked with the installed lib/libzmq.a and the
    Libs.private of `pkg-config --static --libs libzmq` (no libzmq.so at run
    time). It checks the version and that the message and Z85 functions work
    from the archive; scripts/test.sh also checks with ldd that no libzmq.so
    is needed.  */
#include <zmq.h>
#include <stdio.h>
#include <string.h>

int main (void)
{
    int major, minor, patch;
    zmq_version (&major, &minor, &patch);
    printf ("static link: libzmq %d.%d.%d\n", major, minor, patch);
    if (!(major == 4 && minor == 3 && patch == 5))
        return 1;

    zmq_msg_t msg;
    if (zmq_msg_init_size (&msg, 5) != 0)
        return 2;
    memcpy (zmq_msg_data (&msg), "hello", 5);
    int ok = zmq_msg_size (&msg) == 5 && memcmp (zmq_msg_data (&msg), "hello", 5) == 0;
    zmq_msg_close (&msg);
    if (!ok)
        return 3;

    char text[11];
    const unsigned char bytes[8] = {0x86, 0x4F, 0xD2, 0x6F, 0xB5, 0x59, 0xF7, 0x5B};
    if (!zmq_z85_encode (text, bytes, 8) || strcmp (text, "HelloWorld") != 0)
        return 4;
    printf ("static link: msg and z85 OK\n");
    return 0;
}
