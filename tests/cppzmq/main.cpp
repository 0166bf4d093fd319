// tests/cppzmq/main.cpp: cppzmq 4.9.0 (header-only C++ binding) on top of
// libzmq-rs: context_t/socket_t, send/recv with zmq::buffer, multipart with
// zmq::send_multipart/recv_multipart (zmq_addon.hpp), zmq::poll, monitor_t
// events, and options through zmq::sockopt. Exits 0 when every exchange
// worked and zmq::version() is the one given by --expect-version (when given).
#include <zmq.hpp>
#include <zmq_addon.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>
#include <tuple>
#include <vector>

static const char *g_step = "init";

#define CHECK(cond)                                                            \
    do {                                                                       \
        if (!(cond)) {                                                         \
            std::cerr << __FILE__ << ":" << __LINE__ << ": [" << g_step        \
                      << "] CHECK failed: " #cond " (errno " << zmq_errno ()   \
                      << ": " << zmq_strerror (zmq_errno ()) << ")"            \
                      << std::endl;                                            \
            std::exit (1);                                                     \
        }                                                                      \
    } while (0)

static void step (const char *s)
{
    g_step = s;
    std::cout << "cppzmq: step " << s << std::endl;
}

struct events_monitor : zmq::monitor_t
{
    bool connected = false, accepted = false, handshake = false,
         listening = false;
    void on_event_connected (const zmq_event_t &, const char *) override
    {
        connected = true;
    }
    void on_event_accepted (const zmq_event_t &, const char *) override
    {
        accepted = true;
    }
    void on_event_listening (const zmq_event_t &, const char *) override
    {
        listening = true;
    }
    void on_event_handshake_succeeded (const zmq_event_t &,
                                       const char *) override
    {
        handshake = true;
    }
};

int main (int argc, char **argv)
{
    std::string expect;
    for (int i = 1; i + 1 < argc; i++)
        if (std::string (argv[i]) == "--expect-version")
            expect = argv[i + 1];
    int major, minor, patch;
    std::tie (major, minor, patch) = zmq::version ();
    std::string ver = std::to_string (major) + "." + std::to_string (minor)
                      + "." + std::to_string (patch);
    std::cout << "cppzmq: libzmq " << ver << std::endl;
    if (!expect.empty () && expect != ver) {
        std::cerr << "cppzmq: expected libzmq " << expect << ", got " << ver
                  << std::endl;
        return 3;
    }
    try {
        zmq::context_t ctx (1);
        CHECK (ctx.get (zmq::ctxopt::io_threads) == 1);

        step ("push/pull tcp with zmq::buffer");
        zmq::socket_t pull (ctx, zmq::socket_type::pull);
        zmq::socket_t push (ctx, zmq::socket_type::push);
        pull.set (zmq::sockopt::linger, 0);
        push.set (zmq::sockopt::linger, 0);
        CHECK (pull.get (zmq::sockopt::linger) == 0);
        push.set (zmq::sockopt::sndhwm, 500);
        CHECK (push.get (zmq::sockopt::sndhwm) == 500);
        CHECK (pull.get (zmq::sockopt::type) == ZMQ_PULL);

        events_monitor smon;
        smon.init (pull, "inproc://cppzmq-mon-pull", ZMQ_EVENT_ALL);
        pull.bind ("tcp://127.0.0.1:*");
        std::string ep = pull.get (zmq::sockopt::last_endpoint);
        CHECK (ep.rfind ("tcp://127.0.0.1:", 0) == 0);
        push.connect (ep);
        auto sr = push.send (zmq::str_buffer ("hello"), zmq::send_flags::none);
        CHECK (sr && *sr == 5);
        zmq::message_t msg;
        auto rr = pull.recv (msg, zmq::recv_flags::none);
        CHECK (rr && *rr == 5 && msg.to_string () == "hello");
        char buf[16];
        std::string big (1000, 'x');
        CHECK (push.send (zmq::buffer (big), zmq::send_flags::none));
        auto br = pull.recv (zmq::buffer (buf), zmq::recv_flags::none);
        CHECK (br && br->size == sizeof buf && br->untruncated_size == 1000 && br->truncated ()
               && std::memcmp (buf, "xxxx", 4) == 0);

        step ("monitor_t events");
        for (int i = 0; i < 50 && !(smon.accepted && smon.handshake); i++)
            smon.check_event (100);
        CHECK (smon.listening && smon.accepted && smon.handshake);

        step ("recv timeout via sockopt::rcvtimeo");
        pull.set (zmq::sockopt::rcvtimeo, 50);
        auto none = pull.recv (msg, zmq::recv_flags::none);
        CHECK (!none);
        auto nb = pull.recv (msg, zmq::recv_flags::dontwait);
        CHECK (!nb);

        step ("router/dealer multipart");
        zmq::socket_t router (ctx, zmq::socket_type::router);
        zmq::socket_t dealer (ctx, zmq::socket_type::dealer);
        router.set (zmq::sockopt::linger, 0);
        dealer.set (zmq::sockopt::linger, 0);
        dealer.set (zmq::sockopt::routing_id, "dealer-1");
        CHECK (dealer.get (zmq::sockopt::routing_id) == "dealer-1");
        router.set (zmq::sockopt::router_mandatory, 1);
        router.bind ("ipc:///tmp/cppzmq-test-router.ipc");
        dealer.connect ("ipc:///tmp/cppzmq-test-router.ipc");
        std::vector<zmq::const_buffer> parts = {
          zmq::str_buffer ("a"), zmq::str_buffer (""), zmq::str_buffer ("ccc")};
        auto ns = zmq::send_multipart (dealer, parts);
        CHECK (ns && *ns == 3);
        std::vector<zmq::message_t> got;
        auto nr = zmq::recv_multipart (router, std::back_inserter (got));
        CHECK (nr && *nr == 4);
        CHECK (got[0].to_string () == "dealer-1" && got[1].to_string () == "a"
               && got[2].size () == 0 && got[3].to_string () == "ccc");
        auto back = zmq::send_multipart (router, got);
        CHECK (back && *back == 4);
        zmq::multipart_t mp (dealer);
        CHECK (mp.size () == 3 && mp.peekstr (2) == "ccc");

        step ("zmq::poll over three sockets");
        zmq::socket_t pair_a (ctx, zmq::socket_type::pair);
        zmq::socket_t pair_b (ctx, zmq::socket_type::pair);
        pair_a.bind ("inproc://cppzmq-pair");
        pair_b.connect ("inproc://cppzmq-pair");
        std::vector<zmq::pollitem_t> items = {
          {pull.handle (), 0, ZMQ_POLLIN, 0},
          {dealer.handle (), 0, ZMQ_POLLIN, 0},
          {pair_b.handle (), 0, ZMQ_POLLIN, 0}};
        auto t0 = std::chrono::steady_clock::now ();
        int n = zmq::poll (items, std::chrono::milliseconds (100));
        auto el = std::chrono::steady_clock::now () - t0;
        CHECK (n == 0 && el >= std::chrono::milliseconds (90));
        pair_a.send (zmq::str_buffer ("ping"), zmq::send_flags::none);
        n = zmq::poll (items, std::chrono::milliseconds (2000));
        CHECK (n == 1 && items[2].revents == ZMQ_POLLIN && items[0].revents == 0
               && items[1].revents == 0);
        CHECK (pair_b.recv (msg) && msg.to_string () == "ping");
        zmq::socket_ref ref = pair_b;
        CHECK (ref.get (zmq::sockopt::events) == ZMQ_POLLOUT);

        step ("pub/sub with sockopt::subscribe");
        zmq::socket_t pub (ctx, zmq::socket_type::pub);
        zmq::socket_t sub (ctx, zmq::socket_type::sub);
        pub.set (zmq::sockopt::linger, 0);
        sub.set (zmq::sockopt::linger, 0);
        pub.bind ("tcp://127.0.0.1:*");
        sub.set (zmq::sockopt::subscribe, "keep");
        sub.set (zmq::sockopt::rcvtimeo, 20);
        sub.connect (pub.get (zmq::sockopt::last_endpoint));
        bool ok = false;
        for (int i = 0; i < 200 && !ok; i++) {
            pub.send (zmq::str_buffer ("drop me"), zmq::send_flags::none);
            pub.send (zmq::str_buffer ("keep me"), zmq::send_flags::none);
            while (sub.recv (msg)) {
                CHECK (msg.to_string () == "keep me");
                ok = true;
            }
        }
        CHECK (ok);

        step ("message_t properties");
        zmq::message_t m2 (std::string ("copyme"));
        zmq::message_t c2;
        c2.copy (m2);
        CHECK (c2.to_string () == "copyme" && m2.to_string () == "copyme");

        step ("close");
        smon.abort ();
    }
    catch (const zmq::error_t &e) {
        std::cerr << "cppzmq: zmq::error_t in step " << g_step << ": "
                  << e.what () << " (errno " << e.num () << ")" << std::endl;
        return 1;
    }
    std::cout << "cppzmq: OK" << std::endl;
    return 0;
}
