// C++ exceptions thrown out of a SIGSEGV handler (-fnon-call-exceptions):
// the unwinder walks from the handler through the signal frame into the
// function that faulted (destructors run), finding the frame by the code
// at the handler's return address (the rt_sigreturn trampoline or
// sa_restorer), as libgcc's linux-unwind.h does on every architecture.
// cflags: -fnon-call-exceptions
#include <csignal>
#include <cstdio>
#include <stdexcept>
struct fault : std::runtime_error { fault() : std::runtime_error("fault") {} };
static void on_segv(int) { throw fault(); }
struct guard { const char *n; ~guard() { std::printf("destructor of %s ran\n", n); } };
__attribute__((noinline)) static int poke(volatile int *p) { guard g{"poke"}; *p = 1; return *p; }
int main() {
    struct sigaction sa = {};
    sa.sa_handler = on_segv;
    sa.sa_flags = SA_NODEFER; // never returns through sigreturn: keep it unblocked
    sigaction(SIGSEGV, &sa, nullptr);
    for (int i = 0; i < 2; i++) {
        try { poke(nullptr); std::printf("no fault?\n"); }
        catch (const fault &e) { std::printf("caught %s %d\n", e.what(), i); }
    }
    return 0;
}
