/* <fenv.h>: rounding modes change results as IEEE 754 says, and
 * operations raise exactly the exception flags IEEE 754 defines. */
#include <fenv.h>
#include <math.h>
#include <stdio.h>

// cflags: -frounding-math -fno-builtin

static volatile double one = 1.0, three = 3.0, big = 1e308, tiny = 1e-308, zero = 0.0;
static volatile float fone = 1.0f, fthree = 3.0f;

static void flags(const char *what)
{
    printf("%-12s inexact %d underflow %d overflow %d divbyzero %d invalid %d\n", what,
           !!fetestexcept(FE_INEXACT), !!fetestexcept(FE_UNDERFLOW), !!fetestexcept(FE_OVERFLOW),
           !!fetestexcept(FE_DIVBYZERO), !!fetestexcept(FE_INVALID));
    feclearexcept(FE_ALL_EXCEPT);
}

int main(void)
{
    static const struct { int mode; const char *name; } modes[] = {
        {FE_TONEAREST, "nearest"}, {FE_UPWARD, "upward"},
        {FE_DOWNWARD, "downward"}, {FE_TOWARDZERO, "towardzero"},
    };
    for (int m = 0; m < 4; m++) {
        fesetround(modes[m].mode);
        printf("%-10s get %d: 1/3 %.17g -1/3 %.17g f %.9g rint(2.5) %g rint(-3.5) %g lrint(-0.5) %ld\n",
               modes[m].name, fegetround() == modes[m].mode, one / three, -one / three,
               (double)(fone / fthree), rint(2.5), rint(-3.5), lrint(-0.5));
        printf("%-10s sqrt2 %.17g 1e308*10 %g sum %.17g\n", modes[m].name, sqrt(2.0),
               big * 10.0, 0.1 + 0.2);
    }
    fesetround(FE_TONEAREST);
    feclearexcept(FE_ALL_EXCEPT);
    flags("none");
    volatile double r;
    r = one / three; flags("1/3");
    r = one / zero; flags("1/0");
    r = zero / zero; flags("0/0");
    r = big * big; flags("overflow");
    r = tiny * tiny; flags("underflow");
    r = sqrt(-one); flags("sqrt(-1)");
    r = one + one; flags("1+1");
    volatile float fr = fone / fthree; flags("1f/3f");
    feraiseexcept(FE_OVERFLOW | FE_INEXACT); flags("raised");
    /* quiet compares (riscv64: frflags; flt.d; fsflags around the
     * signaling compare) raise nothing, not even on a NaN, and keep the
     * flags already raised; the signaling < raises invalid on a NaN */
    volatile double qnan = zero / zero, two = 2.0;
    feclearexcept(FE_ALL_EXCEPT);
    int q = isless(one, two) + 2 * isless(one, qnan) + 4 * isgreater(qnan, one);
    printf("isless/isgreater %d\n", q); flags("quiet cmp");
    r = one / three;
    q = isless(qnan, one) + islessequal(one, two);
    printf("islessequal %d\n", q); flags("quiet+1/3");
    q = one < qnan;
    printf("< nan %d\n", q); flags("1 < nan");
    (void)r, (void)fr;
    return 0;
}
