// C++ exceptions thrown through several frames, with destructors run on
// the way, rethrow, catch by base class, and std::string/vector work.
#include <cstdio>
#include <stdexcept>
#include <string>
#include <vector>

struct Noisy {
    std::string name;
    explicit Noisy(std::string n) : name(std::move(n)) { std::printf("enter %s\n", name.c_str()); }
    ~Noisy() { std::printf("leave %s\n", name.c_str()); }
};

struct Custom : std::runtime_error {
    int depth;
    Custom(const std::string &m, int d) : std::runtime_error(m), depth(d) {}
};

static int dive(int n)
{
    Noisy guard("frame " + std::to_string(n));
    if (n == 0)
        throw Custom("bottom reached", 0);
    return dive(n - 1) + 1;
}

static void rethrow()
{
    try {
        dive(3);
    } catch (Custom &c) {
        std::printf("caught at depth %d, rethrowing\n", c.depth);
        c.depth = 42;
        throw;
    }
}

int main()
{
    try {
        rethrow();
    } catch (const std::exception &e) {
        std::printf("main caught: %s (depth %d)\n", e.what(), dynamic_cast<const Custom &>(e).depth);
    }
    std::vector<int> v;
    try {
        v.at(5) = 1;
    } catch (const std::out_of_range &) {
        std::printf("out_of_range caught\n");
    }
    int total = 0;
    for (int i = 0; i < 1000; i++) {
        try {
            if (i % 7 == 0)
                throw i;
            total += i;
        } catch (int k) {
            total -= k;
        }
    }
    std::printf("total %d\n", total);
    return 0;
}
