/* Waiting on fds: ppoll, pselect6 and epoll.  pollfd and fd_set are the
 * same for the guests and x86-64, but struct epoll_event is packed on
 * x86-64 (12 bytes) and naturally aligned on the guests (16), so events
 * are converted both ways.  The calls that take a signal mask install it
 * for the wait only, as the kernel does (lu_sigmask_wait_*).
 */
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "linux-user/lu.h"

#define PASS(nr, ...) lu_ret(syscall(nr, __VA_ARGS__))
#define EVENTS_MAX 256 /* per call; the kernel keeps the rest ready */

/* x86-64's struct epoll_event (__attribute__((packed))). */
typedef struct __attribute__((packed)) host_epoll_event {
    uint32_t events;
    uint64_t data;
} host_epoll_event;

/* The guests' (asm-generic): data 8-byte aligned. */
typedef struct guest_epoll_event {
    uint32_t events, pad;
    uint64_t data;
} guest_epoll_event;

_Static_assert(sizeof(host_epoll_event) == 12, "x86-64 epoll_event is packed");
_Static_assert(sizeof(guest_epoll_event) == 16, "guest epoll_event is 16 bytes");

int64_t sys_epoll_ctl(lu_thread *t, const uint64_t a[6])
{
    (void)t;
    if (!a[3])
        return PASS(SYS_epoll_ctl, a[0], a[1], a[2], NULL);
    guest_epoll_event g;
    memcpy(&g, G2H(a[3]), sizeof g);
    host_epoll_event h = { .events = g.events, .data = g.data };
    return PASS(SYS_epoll_ctl, a[0], a[1], a[2], &h);
}

/* The guest's sigset for a wait: 0 and *mask set, or -errno. */
static int wait_mask(uint64_t addr, uint64_t size, uint64_t *mask)
{
    if (size != 8)
        return -EINVAL;
    memcpy(mask, G2H(addr), 8);
    return 0;
}

/* epoll_pwait and epoll_pwait2: tmo is an int of milliseconds or a
 * timespec pointer, as host_nr takes it. */
static int64_t epoll_wait_common(lu_thread *t, long host_nr, const uint64_t a[6])
{
    int max = (int)a[2];
    host_epoll_event h[EVENTS_MAX];
    if (max <= 0)
        return -EINVAL;
    if (max > EVENTS_MAX)
        max = EVENTS_MAX;
    int64_t r;
    if (a[4]) {
        uint64_t mask, host;
        int e = wait_mask(a[4], a[5], &mask);
        if (e)
            return e;
        if (!lu_sigmask_wait_begin(t, mask, &host))
            return -EINTR;
        r = PASS(host_nr, a[0], h, max, a[3], &host, 8);
        lu_sigmask_wait_end(t, r);
    } else {
        r = PASS(host_nr, a[0], h, max, a[3], NULL, 8);
    }
    guest_epoll_event *g = G2H(a[1]);
    for (int64_t i = 0; i < r; i++)
        g[i] = (guest_epoll_event){ .events = h[i].events, .data = h[i].data };
    return r;
}

int64_t sys_epoll_pwait(lu_thread *t, const uint64_t a[6])
{
    return epoll_wait_common(t, SYS_epoll_pwait, a);
}

int64_t sys_epoll_pwait2(lu_thread *t, const uint64_t a[6])
{
    return epoll_wait_common(t, SYS_epoll_pwait2, a);
}

/* (fds, nfds, timeout, sigmask, sigsetsize) */
int64_t sys_ppoll(lu_thread *t, const uint64_t a[6])
{
    if (!a[3])
        return PASS(SYS_ppoll, a[0], a[1], a[2], NULL, 8);
    uint64_t mask, host;
    int e = wait_mask(a[3], a[4], &mask);
    if (e)
        return e;
    if (!lu_sigmask_wait_begin(t, mask, &host))
        return -EINTR;
    int64_t r = PASS(SYS_ppoll, a[0], a[1], a[2], &host, 8);
    lu_sigmask_wait_end(t, r);
    return r;
}

/* (n, in, out, ex, timeout, {sigmask pointer, its size}) */
int64_t sys_pselect6(lu_thread *t, const uint64_t a[6])
{
    const uint64_t *sm = G2H(a[5]);
    if (!sm || !sm[0])
        return PASS(SYS_pselect6, a[0], a[1], a[2], a[3], a[4], NULL);
    uint64_t mask, host;
    int e = wait_mask(sm[0], sm[1], &mask);
    if (e)
        return e;
    if (!lu_sigmask_wait_begin(t, mask, &host))
        return -EINTR;
    uint64_t hsm[2] = { (uint64_t)(uintptr_t)&host, 8 };
    int64_t r = PASS(SYS_pselect6, a[0], a[1], a[2], a[3], a[4], hsm);
    lu_sigmask_wait_end(t, r);
    return r;
}
