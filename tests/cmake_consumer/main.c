/*  tests/cmake_consumer/main.c: prints the libzmq version and checks it is
    libzmq-rs's (4.3.5), via the header's macros and the library.  */
#include <zmq.h>
#include <stdio.h>

int main (void)
{
    int major, minor, patch;
    zmq_version (&major, &minor, &patch);
    printf ("cmake consumer: header %d.%d.%d, library %d.%d.%d\n",
            ZMQ_VERSION_MAJOR, ZMQ_VERSION_MINOR, ZMQ_VERSION_PATCH, major,
            minor, patch);
    char z85[11];
    const unsigned char bytes[8] = {0x86, 0x4F, 0xD2, 0x6F, 0xB5, 0x59, 0xF7, 0x5B};
    if (!zmq_z85_encode (z85, bytes, 8)) {
        printf ("zmq_z85_encode failed\n");
        return 1;
    }
    printf ("z85: %s\n", z85);
    return (major == 4 && minor == 3 && patch == 5) ? 0 : 1;
}
