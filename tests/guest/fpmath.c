/* Floating point as IEEE 754 defines it: + - * / sqrt fma in float and
 * double on special values, conversions in range, comparisons, NaN and
 * infinity propagation (NaN payloads and signs are not printed: they are
 * implementation-defined), and a few libm functions rounded for print. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static volatile double dv[] = {0.0, -0.0, 1.0, -1.5, 2.5, 0.1, 3.0, 1e308, -1e-310,
                               4.9e-324, 1.0 / 3.0, 123456789.125, INFINITY, -INFINITY};
static volatile float fv[] = {0.0f, -0.0f, 1.0f, -1.5f, 2.5f, 0.1f, 3.0f, 3.4e38f,
                              1e-40f, 16777217.0f, INFINITY};
#define ND (sizeof dv / sizeof dv[0])
#define NF (sizeof fv / sizeof fv[0])

static void show_d(const char *what, double x)
{
    uint64_t bits;
    memcpy(&bits, &x, sizeof bits);
    if (isnan(x))
        printf("%s nan\n", what);
    else
        printf("%s %016llx %.17g\n", what, (unsigned long long)bits, x);
}

static void show_f(const char *what, float x)
{
    uint32_t bits;
    memcpy(&bits, &x, sizeof bits);
    if (isnan(x))
        printf("%s nan\n", what);
    else
        printf("%s %08x %.9g\n", what, bits, (double)x);
}

int main(void)
{
    char name[64];
    for (unsigned i = 0; i < ND; i++) {
        for (unsigned j = 0; j < ND; j += 3) {
            double x = dv[i], y = dv[j];
            snprintf(name, sizeof name, "d%u,%u add", i, j), show_d(name, x + y);
            snprintf(name, sizeof name, "d%u,%u mul", i, j), show_d(name, x * y);
            snprintf(name, sizeof name, "d%u,%u div", i, j), show_d(name, x / y);
            snprintf(name, sizeof name, "d%u,%u fma", i, j), show_d(name, fma(x, y, 0.5));
            printf("d%u,%u cmp %d%d%d %d\n", i, j, x < y, x <= y, x == y, isless(x, y));
            if (!(x == 0 && y == 0)) /* fmin may return either zero */
                snprintf(name, sizeof name, "d%u,%u min", i, j), show_d(name, fmin(x, y));
        }
        snprintf(name, sizeof name, "d%u sqrt", i), show_d(name, sqrt(dv[i]));
        snprintf(name, sizeof name, "d%u tofloat", i), show_f(name, (float)dv[i]);
        if (fabs(dv[i]) < 1e18)
            printf("d%u toint %lld %ld\n", i, (long long)dv[i], lrint(dv[i]));
        printf("d%u libm %.10g %.10g %.10g\n", i, fabs(sin(dv[i])) <= 1 ? sin(dv[i]) : 7.0,
               exp(dv[i] / 1e3), log1p(fabs(dv[i])));
    }
    for (unsigned i = 0; i < NF; i++) {
        for (unsigned j = 0; j < NF; j += 2) {
            float x = fv[i], y = fv[j];
            snprintf(name, sizeof name, "f%u,%u sub", i, j), show_f(name, x - y);
            snprintf(name, sizeof name, "f%u,%u div", i, j), show_f(name, x / y);
            snprintf(name, sizeof name, "f%u,%u fma", i, j), show_f(name, fmaf(x, y, -1.0f));
            if (!(x == 0 && y == 0))
                snprintf(name, sizeof name, "f%u,%u max", i, j), show_f(name, fmaxf(x, y));
        }
        snprintf(name, sizeof name, "f%u sqrt", i), show_f(name, sqrtf(fv[i]));
        snprintf(name, sizeof name, "f%u todouble", i), show_d(name, (double)fv[i]);
        if (fabsf(fv[i]) < 1e9f)
            printf("f%u toint %d %u\n", i, (int)fv[i], (unsigned)fabsf(fv[i]));
    }
    for (long long k = -5; k < 5; k++) {
        snprintf(name, sizeof name, "i%lld", k * 1234567891234LL);
        show_d(name, (double)(k * 1234567891234LL));
        show_f(name, (float)(unsigned long long)(k * 1234567891234LL));
    }
    return 0;
}
