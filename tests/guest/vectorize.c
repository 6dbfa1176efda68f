/* Loops GCC auto-vectorizes at -O3 (NEON on aarch64, RVV-less scalar
 * code on riscv64): integer sums and dot products with widening, saxpy
 * and other element-wise float/double loops (no contraction, so every
 * result is the IEEE one native hardware gives), byte transforms (table
 * lookups, saturation by clamping, absolute differences, bit tricks),
 * min/max reductions, conversions and interleaved structures.  Lengths
 * are odd so that the scalar tails run too; results are printed as
 * checksums and a few elements in hex. */
// cflags: -O3 -ffp-contract=off
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define N 1003
#define NOINLINE __attribute__((noinline))

static uint8_t b8[N], c8[N], o8[N];
static int16_t s16[N], t16[N];
static int32_t i32[N], j32[N], o32[N];
static int64_t i64[N];
static float fx[N], fy[N], fo[N];
static double dx[N], dy[N], dout[N];

static uint64_t seed = 0x9e3779b97f4a7c15ull;
static uint64_t next(void)
{
    seed = seed * 6364136223846793005ull + 1442695040888963407ull;
    return seed >> 11;
}

static void fill(void)
{
    for (int i = 0; i < N; i++) {
        b8[i] = (uint8_t)next(), c8[i] = (uint8_t)next();
        s16[i] = (int16_t)next(), t16[i] = (int16_t)next();
        i32[i] = (int32_t)next(), j32[i] = (int32_t)(next() % 2001) - 1000;
        i64[i] = (int64_t)(next() << 11);
        fx[i] = (float)((int64_t)(next() % 200001) - 100000) / 128.0f;
        fy[i] = (float)(next() % 1000003) / 7.0f;
        dx[i] = (double)((int64_t)(next() % 2000001) - 1000000) / 3.0;
        dy[i] = (double)(next() % 999983) * 1e-3;
    }
}

static uint64_t hash(const void *p, size_t n)
{
    const uint8_t *b = p;
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * 1099511628211ull;
    return h;
}

/* ---- integers */
NOINLINE static int32_t sum_i32(const int32_t *a, int n)
{
    int32_t s = 0;
    for (int i = 0; i < n; i++)
        s += a[i];
    return s;
}

NOINLINE static int64_t sum_widen(const int32_t *a, int n)
{
    int64_t s = 0;
    for (int i = 0; i < n; i++)
        s += a[i];
    return s;
}

NOINLINE static uint32_t sum_bytes(const uint8_t *a, int n)
{
    uint32_t s = 0;
    for (int i = 0; i < n; i++)
        s += a[i];
    return s;
}

NOINLINE static int64_t dot_i16(const int16_t *a, const int16_t *b, int n)
{
    int64_t s = 0;
    for (int i = 0; i < n; i++)
        s += (int32_t)a[i] * b[i];
    return s;
}

NOINLINE static uint32_t sad(const uint8_t *a, const uint8_t *b, int n)
{
    uint32_t s = 0;
    for (int i = 0; i < n; i++)
        s += (uint32_t)(a[i] > b[i] ? a[i] - b[i] : b[i] - a[i]);
    return s;
}

NOINLINE static void mul_add_i32(int32_t *o, const int32_t *a, const int32_t *b, int n)
{
    for (int i = 0; i < n; i++)
        o[i] = a[i] * 3 + (b[i] >> 2) - (a[i] ^ b[i]);
}

NOINLINE static void minmax_i32(const int32_t *a, int n, int32_t *mn, int32_t *mx)
{
    int32_t lo = a[0], hi = a[0];
    for (int i = 0; i < n; i++) {
        lo = a[i] < lo ? a[i] : lo;
        hi = a[i] > hi ? a[i] : hi;
    }
    *mn = lo, *mx = hi;
}

NOINLINE static uint8_t max_u8(const uint8_t *a, int n)
{
    uint8_t m = 0;
    for (int i = 0; i < n; i++)
        m = a[i] > m ? a[i] : m;
    return m;
}

NOINLINE static int16_t min_i16(const int16_t *a, int n)
{
    int16_t m = INT16_MAX;
    for (int i = 0; i < n; i++)
        m = a[i] < m ? a[i] : m;
    return m;
}

NOINLINE static int64_t max_i64(const int64_t *a, int n)
{
    int64_t m = INT64_MIN;
    for (int i = 0; i < n; i++)
        m = a[i] > m ? a[i] : m;
    return m;
}

/* ---- bytes */
NOINLINE static void bytes_avg_sat(uint8_t *o, const uint8_t *a, const uint8_t *b, int n)
{
    for (int i = 0; i < n; i++) {
        unsigned s = a[i] + b[i];
        uint8_t avg = (uint8_t)((a[i] + b[i] + 1) >> 1);
        o[i] = (uint8_t)((s > 255 ? 255 : s) ^ avg);
    }
}

NOINLINE static void bytes_case(uint8_t *o, const uint8_t *a, int n)
{
    for (int i = 0; i < n; i++) {
        uint8_t c = a[i] & 0x7f;
        o[i] = (uint8_t)(c >= 'a' && c <= 'z' ? c - 32 : c);
    }
}

NOINLINE static void bytes_shift_mix(uint8_t *o, const uint8_t *a, const uint8_t *b, int n)
{
    for (int i = 0; i < n; i++)
        o[i] = (uint8_t)((a[i] << 3) | (b[i] >> 5)) ^ (uint8_t)~a[i];
}

NOINLINE static void narrow_i32(int16_t *o, const int32_t *a, int n)
{
    for (int i = 0; i < n; i++) {
        int32_t v = a[i] >> 12;
        o[i] = (int16_t)(v > 32767 ? 32767 : v < -32768 ? -32768 : v);
    }
}

NOINLINE static void widen_mul(int32_t *o, const int16_t *a, const int16_t *b, int n)
{
    for (int i = 0; i < n; i++)
        o[i] = (int32_t)a[i] * b[i] - a[i];
}

/* interleaved pairs (ld2/st2 on aarch64) */
NOINLINE static void swap_pairs(int16_t *o, const int16_t *a, int pairs)
{
    for (int i = 0; i < pairs; i++) {
        o[2 * i] = (int16_t)(a[2 * i + 1] + 1);
        o[2 * i + 1] = (int16_t)(a[2 * i] - 1);
    }
}

/* ---- floating point (no contraction: a*x + y is a multiply, then an add) */
NOINLINE static void saxpy(float *y, float a, const float *x, int n)
{
    for (int i = 0; i < n; i++)
        y[i] = a * x[i] + y[i];
}

NOINLINE static void daxpy(double *y, double a, const double *x, int n)
{
    for (int i = 0; i < n; i++)
        y[i] = a * x[i] + y[i];
}

NOINLINE static void f_ops(float *o, const float *a, const float *b, int n)
{
    for (int i = 0; i < n; i++)
        o[i] = (a[i] - b[i]) / (b[i] + 1.0f) + a[i] * 0.5f;
}

NOINLINE static void d_ops(double *o, const double *a, const double *b, int n)
{
    for (int i = 0; i < n; i++)
        o[i] = a[i] * b[i] - (a[i] + 2.0) / (b[i] + 1.0);
}

NOINLINE static void f_clamp(float *o, const float *a, int n)
{
    for (int i = 0; i < n; i++) {
        float v = a[i];
        o[i] = v < -100.0f ? -100.0f : v > 100.0f ? 100.0f : v;
    }
}

NOINLINE static void f_abs_neg(float *o, const float *a, int n)
{
    for (int i = 0; i < n; i++)
        o[i] = -__builtin_fabsf(a[i]) + 1.0f;
}

NOINLINE static void d_sqrt(double *o, const double *a, int n)
{
    for (int i = 0; i < n; i++)
        o[i] = __builtin_sqrt(a[i]);
}

NOINLINE static void i2f(float *o, const int32_t *a, int n)
{
    for (int i = 0; i < n; i++)
        o[i] = (float)a[i] * 0.25f;
}

NOINLINE static void f2i(int32_t *o, const float *a, int n)
{
    for (int i = 0; i < n; i++)
        o[i] = (int32_t)a[i];
}

NOINLINE static void f2d(double *o, const float *a, int n)
{
    for (int i = 0; i < n; i++)
        o[i] = (double)a[i] * 3.0;
}

NOINLINE static float fmax_reduce(const float *a, int n)
{
    float m = -1e30f;
    for (int i = 0; i < n; i++)
        m = a[i] > m ? a[i] : m;
    return m;
}

NOINLINE static double dmin_reduce(const double *a, int n)
{
    double m = 1e300;
    for (int i = 0; i < n; i++)
        m = a[i] < m ? a[i] : m;
    return m;
}

static void show_f(const char *what, const float *a, int n)
{
    uint32_t first, last;
    memcpy(&first, &a[0], 4), memcpy(&last, &a[n - 1], 4);
    printf("%s %016llx %08x %08x %.9g\n", what, (unsigned long long)hash(a, 4 * (size_t)n), first,
           last, (double)a[n / 2]);
}

static void show_d(const char *what, const double *a, int n)
{
    uint64_t first;
    memcpy(&first, &a[0], 8);
    printf("%s %016llx %016llx %.17g\n", what, (unsigned long long)hash(a, 8 * (size_t)n),
           (unsigned long long)first, a[n / 2]);
}

int main(void)
{
    fill();
    printf("sum_i32 %d\n", sum_i32(i32, N));
    printf("sum_widen %lld\n", (long long)sum_widen(i32, N));
    printf("sum_bytes %u\n", sum_bytes(b8, N));
    printf("dot_i16 %lld\n", (long long)dot_i16(s16, t16, N));
    printf("sad %u\n", sad(b8, c8, N));
    mul_add_i32(o32, i32, j32, N);
    printf("mul_add %016llx %d\n", (unsigned long long)hash(o32, sizeof o32), o32[N - 1]);
    int32_t mn, mx;
    minmax_i32(i32, N, &mn, &mx);
    printf("minmax %d %d\n", mn, mx);
    printf("max_u8 %u min_i16 %d max_i64 %lld\n", max_u8(c8, N), min_i16(s16, N),
           (long long)max_i64(i64, N));
    bytes_avg_sat(o8, b8, c8, N);
    printf("avg_sat %016llx\n", (unsigned long long)hash(o8, N));
    bytes_case(o8, b8, N);
    printf("case %016llx\n", (unsigned long long)hash(o8, N));
    bytes_shift_mix(o8, b8, c8, N);
    printf("shift_mix %016llx\n", (unsigned long long)hash(o8, N));
    int16_t o16[N];
    narrow_i32(o16, i32, N);
    printf("narrow %016llx %d\n", (unsigned long long)hash(o16, sizeof o16), o16[7]);
    widen_mul(o32, s16, t16, N);
    printf("widen_mul %016llx\n", (unsigned long long)hash(o32, sizeof o32));
    swap_pairs(o16, s16, N / 2);
    printf("swap_pairs %016llx\n", (unsigned long long)hash(o16, 2 * (N / 2) * sizeof o16[0]));

    memcpy(fo, fy, sizeof fo);
    saxpy(fo, 1.7f, fx, N);
    show_f("saxpy", fo, N);
    memcpy(dout, dy, sizeof dout);
    daxpy(dout, -0.3, dx, N);
    show_d("daxpy", dout, N);
    f_ops(fo, fx, fy, N);
    show_f("f_ops", fo, N);
    d_ops(dout, dx, dy, N);
    show_d("d_ops", dout, N);
    f_clamp(fo, fx, N);
    show_f("f_clamp", fo, N);
    f_abs_neg(fo, fx, N);
    show_f("f_abs_neg", fo, N);
    d_sqrt(dout, dy, N);
    show_d("d_sqrt", dout, N);
    i2f(fo, i32, N);
    show_f("i2f", fo, N);
    f2i(o32, fy, N);
    printf("f2i %016llx\n", (unsigned long long)hash(o32, sizeof o32));
    f2d(dout, fx, N);
    show_d("f2d", dout, N);
    printf("fmax %.9g dmin %.17g\n", (double)fmax_reduce(fx, N), dmin_reduce(dx, N));
    return 0;
}
