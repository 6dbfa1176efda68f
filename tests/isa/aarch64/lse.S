/* LSE atomics (Arm ARM C6, FEAT_LSE): ld<op> Rs, Rt, [Xn] returns the old
 * value (zero-extended from its size) in Rt and stores op(old, Rs) at its
 * size only; ldsmax/ldsmin compare as signed numbers of the access size;
 * swp stores Rs; cas compares the size-wide Rs with memory, stores Rt when
 * equal, and always returns the old value in Rs; casp does the same on an
 * even register pair.  The acquire/release forms (a, l, al) compute the
 * same values. */
#include "test.h"
/* [scr] = m; x2 = v; x0 = 0x5a5a; op; x0 must be old, [scr] new */
#define TA(old, new, m, v, ...)                                 \
    LA(x1, scr); li x9, m; str x9, [x1]; li x2, v; li x0, 0x5a5a; \
    __VA_ARGS__; ldr x9, [x1];                                  \
    CHECK(#__VA_ARGS__ " old [" #m ", " #v "]", x0, old);       \
    CHECK(#__VA_ARGS__ " memory [" #m ", " #v "]", x9, new)
/* cas: x0 = cmp before, old after */
#define TCAS(old, new, m, cmp, v, ...)                          \
    LA(x1, scr); li x9, m; str x9, [x1]; li x2, v; li x0, cmp;  \
    __VA_ARGS__; ldr x9, [x1];                                  \
    CHECK(#__VA_ARGS__ " old [" #m ", " #cmp ", " #v "]", x0, old); \
    CHECK(#__VA_ARGS__ " memory [" #m ", " #cmp ", " #v "]", x9, new)
TEST_BEGIN
TA(0xff, 0, 0xff, 1, ldaddb w2, w0, [x1])
TA(0xffff, 0xffffffffffff0000, -1, 1, ldaddh w2, w0, [x1])
TA(0x7fffffff, 0x80000000, 0x7fffffff, 1, ldadd w2, w0, [x1])
TA(-1, 0, -1, 1, ldadd x2, x0, [x1])
TA(5, 12, 5, 7, ldadda x2, x0, [x1])
TA(5, 12, 5, 7, ldaddl x2, x0, [x1])
TA(5, 12, 5, 7, ldaddal x2, x0, [x1])
TA(0x80, 0x81, 0x80, 1, ldaddalb w2, w0, [x1])
TA(0x5a5a, 12, 5, 7, stadd x2, [x1])
TA(0xff, 0xf0, 0xff, 0x0f, ldclr x2, x0, [x1])
TA(0xff, 0xffffffffffff00f0, 0xffffffffffff00ff, 0x0f, ldclrh w2, w0, [x1])
TA(0x0000ffff, 0xffffffffffff0000, 0xffffffff0000ffff, 0xffffffff, ldeor w2, w0, [x1])
TA(0x0f, 0xf0, 0x0f, 0xff, ldeoralb w2, w0, [x1])
TA(0, 0x8001, 0, 0x18001, ldseth w2, w0, [x1])
TA(1, 0x8000000000000001, 1, 0x8000000000000000, ldsetl x2, x0, [x1])
TA(0xffffffff, 1, 0xffffffff, 1, ldsmax w2, w0, [x1])
TA(0x80, 0x7f, 0x80, 0x7f, ldsmaxb w2, w0, [x1])
TA(1, 1, 1, 0x8000000000000000, ldsmaxa x2, x0, [x1])
TA(1, -1, 1, -1, ldsmin x2, x0, [x1])
TA(0x7fff, 0x8000, 0x7fff, 0x8000, ldsminh w2, w0, [x1])
TA(0x01, 0xff, 0x01, 0xff, ldsminb w2, w0, [x1])
TA(1, 0xffffffff, 1, 0xffffffff, ldumax w2, w0, [x1])
TA(0x7f, 0x80, 0x7f, 0x80, ldumaxb w2, w0, [x1])
TA(0x80, 0x7f, 0x80, 0x7f, lduminb w2, w0, [x1])
TA(-1, 5, -1, 5, ldumin x2, x0, [x1])
TA(0x8000, 0x0001, 0x8000, 0x0001, lduminh w2, w0, [x1])
TA(5, 7, 5, 7, swp x2, x0, [x1])
TA(0xff, 0xff00, 0xffff, 0, swpb w2, w0, [x1])
TA(0x1234, 0xffff, 0x1234, 0xffff, swph w2, w0, [x1])
TA(0x89abcdef, 0x0123456700000001, 0x0123456789abcdef, 1, swpal w2, w0, [x1])
TCAS(5, 9, 5, 5, 9, cas x0, x2, [x1])
TCAS(5, 5, 5, 4, 9, cas x0, x2, [x1])
TCAS(5, 9, 5, 5, 9, casal x0, x2, [x1])
TCAS(0x05, 0xff77, 0xff05, 0x05, 0x77, casb w0, w2, [x1])
TCAS(0x05, 0xff05, 0xff05, 0x06, 0x77, casab w0, w2, [x1])
TCAS(0x5678, 0x1234abcd, 0x12345678, 0x5678, 0xabcd, cash w0, w2, [x1])
TCAS(0x5678, 0x1234abcd, 0x12345678, 0xffffffffffff5678, 0xabcd, caslh w0, w2, [x1])
TCAS(1, 0xffffffff00000002, 0xffffffff00000001, 1, 2, cas w0, w2, [x1])
TCAS(1, 0xffffffff00000001, 0xffffffff00000001, 0x100000002, 2, casa w0, w2, [x1])
/* casp: x0:x1 compared with the 16 bytes at x4, x2:x3 stored when equal */
        LA(x4, scr); li x9, 0x11; li x10, 0x22; stp x9, x10, [x4]
        li x0, 0x11; li x1, 0x22; li x2, 0x33; li x3, 0x44; casp x0, x1, x2, x3, [x4]
        ldp x9, x10, [x4]; CHECK("casp old lo", x0, 0x11); CHECK("casp old hi", x1, 0x22)
        CHECK("casp new lo", x9, 0x33); CHECK("casp new hi", x10, 0x44)
        li x0, 0x33; li x1, 0x45; li x2, 0x55; li x3, 0x66; caspal x0, x1, x2, x3, [x4]
        ldp x9, x10, [x4]; CHECK("caspal fail old lo", x0, 0x33); CHECK("caspal fail old hi", x1, 0x44)
        CHECK("caspal fail lo kept", x9, 0x33); CHECK("caspal fail hi kept", x10, 0x44)
        LA(x4, scr); li x9, 0x0000000200000001; str x9, [x4]
        li x0, 1; li x1, 2; li x2, 0xffffffff; li x3, 0xeeeeeeee; casp w0, w1, w2, w3, [x4]
        ldr x9, [x4]; CHECK("casp w old", x0, 1); CHECK("casp w old 2", x1, 2)
        CHECK("casp w new", x9, 0xeeeeeeeeffffffff)
        LA(x4, scr); li x9, 0x0000000200000001; str x9, [x4]
        li x0, 3; li x1, 2; li x2, 0xffffffff; li x3, 0xeeeeeeee; caspa w0, w1, w2, w3, [x4]
        ldr x9, [x4]; CHECK("caspa w fail old", x0, 1); CHECK("caspa w fail kept", x9, 0x0000000200000001)
TEST_END
        .data
        .balign 16
scr:    .space 16
