/* A freestanding static-pie riscv64 program (no libc: Debian's cross libc
 * has no rcrt1.o): it writes where it was loaded relative to its own
 * link-time address and exits 42.  The loader must place an ET_DYN image
 * at a base of its choosing and enter it there. */
static long sys(long n, long a, long b, long c)
{
    register long a0 __asm__("a0") = a, a1 __asm__("a1") = b, a2 __asm__("a2") = c;
    register long a7 __asm__("a7") = n;
    __asm__ volatile("ecall" : "+r"(a0) : "r"(a1), "r"(a2), "r"(a7) : "memory");
    return a0;
}

static const char msg[] = "static-pie ok\n";

void _start(void)
{
    long loaded = (long)&msg; /* pc-relative: the address it runs at */
    sys(64, 1, (long)msg, sizeof msg - 1);
    sys(93, loaded > 0x10000 ? 42 : 1, 0, 0); /* exit */
}
