/* The time calls (answered without a round trip through Ferry's cpu
 * loop): clock_gettime on every clock the vDSO knows, clock_getres,
 * gettimeofday with and without a timezone; values agree with each other
 * and move forward. */
#include <stdio.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static double secs(struct timespec t)
{
    return (double)t.tv_sec + t.tv_nsec / 1e9;
}

int main(void)
{
    static const struct { clockid_t id; const char *name; } clocks[] = {
        { CLOCK_REALTIME, "REALTIME" }, { CLOCK_MONOTONIC, "MONOTONIC" },
        { CLOCK_PROCESS_CPUTIME_ID, "PROCESS_CPUTIME_ID" }, { CLOCK_THREAD_CPUTIME_ID, "THREAD_CPUTIME_ID" },
        { CLOCK_MONOTONIC_RAW, "MONOTONIC_RAW" }, { CLOCK_REALTIME_COARSE, "REALTIME_COARSE" },
        { CLOCK_MONOTONIC_COARSE, "MONOTONIC_COARSE" }, { CLOCK_BOOTTIME, "BOOTTIME" },
        { CLOCK_TAI, "TAI" },
    };
    for (unsigned i = 0; i < sizeof clocks / sizeof clocks[0]; i++) {
        struct timespec a, b, res;
        int r1 = clock_gettime(clocks[i].id, &a);
        int ok = 1;
        for (int k = 0; k < 100000; k++) {
            if (clock_gettime(clocks[i].id, &b) != 0 || secs(b) < secs(a))
                ok = 0;
            a = b;
        }
        int r2 = clock_getres(clocks[i].id, &res);
        printf("%-20s gettime %d, never backwards %d, res %d (%s)\n", clocks[i].name, r1, ok, r2,
               res.tv_sec == 0 && res.tv_nsec > 0 && res.tv_nsec <= 4000000 ? "sane" : "odd");
    }
    struct timespec bad;
    printf("invalid clock: %d\n", clock_gettime((clockid_t)99, &bad));
    struct timeval tv;
    struct timezone tz;
    struct timespec rt;
    clock_gettime(CLOCK_REALTIME, &rt);
    int r = gettimeofday(&tv, &tz);
    /* in whole microseconds: gettimeofday truncates, so it may show the
     * microsecond REALTIME was in, never an earlier one */
    long long tu = tv.tv_sec * 1000000LL + tv.tv_usec, ru = rt.tv_sec * 1000000LL + rt.tv_nsec / 1000;
    printf("gettimeofday %d, agrees with REALTIME %d\n", r, tu >= ru && tu - ru < 1000000);
    printf("gettimeofday syscall, NULL tv: %ld\n", syscall(SYS_gettimeofday, NULL, NULL));
    time_t t0 = time(NULL);
    /* time() may be the coarse clock: up to a tick behind the precise one */
    printf("time() agrees %d\n", t0 - rt.tv_sec <= 1 && t0 >= rt.tv_sec - 1);
    return 0;
}
