/* Jumping into data (a non-executable page) gives SIGSEGV with si_addr the
 * target, as on hardware: Ferry translates only what the guest may execute. */
#include <signal.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
static sigjmp_buf jb;
static volatile void *addr;
static void h(int s, siginfo_t *si, void *uc) { addr = si->si_addr; siglongjmp(jb, s); }
static unsigned char data[64] __attribute__((aligned(64)));
int main(void) {
    struct sigaction sa = {0}; sa.sa_sigaction = h; sa.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &sa, 0);
    memset(data, 0, sizeof data); /* zero bytes: not even valid code */
    int s = sigsetjmp(jb, 1);
    if (!s) { ((void (*)(void))data)(); puts("ran data"); return 1; }
    printf("signal %d at the data: %d\n", s, addr == data);
    return 0;
}
