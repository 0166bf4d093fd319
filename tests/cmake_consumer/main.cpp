// tests/cmake_consumer/main.cpp: cppzmq (header-only C++ binding) on top of
// libzmq-rs, found through cppzmq's CMake package. Prints the version that
// the library reports through zmq::version() and checks it is 4.3.5.
#include <zmq.hpp>
#include <cstring>
#include <iostream>
#include <tuple>

int main ()
{
    int major, minor, patch;
    std::tie (major, minor, patch) = zmq::version ();
    std::cout << "cppzmq consumer: libzmq " << major << "." << minor << "."
              << patch << std::endl;
    zmq::message_t msg (5);
    std::memcpy (msg.data (), "hello", 5);
    zmq::message_t copy;
    copy.copy (msg);
    if (copy.size () != 5 || std::memcmp (copy.data (), "hello", 5) != 0)
        return 2;
    return (major == 4 && minor == 3 && patch == 5) ? 0 : 1;
}
