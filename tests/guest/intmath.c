/* Integer arithmetic across widths and signs, without undefined behaviour:
 * every result must match the native build bit for bit. */
#include <inttypes.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>

static volatile int64_t vals[] = {0, 1, -1, 2, -2, 7, -7, 63, 64, 1000003,
                                  INT32_MAX, INT32_MIN, UINT32_MAX,
                                  INT64_MAX, INT64_MIN, 0x5555aaaa5555aaaaLL};
#define N (sizeof vals / sizeof vals[0])

int main(void)
{
    uint64_t h = 1469598103934665603ull;
    for (unsigned i = 0; i < N; i++) {
        for (unsigned j = 0; j < N; j++) {
            int64_t a = vals[i], b = vals[j];
            uint64_t ua = (uint64_t)a, ub = (uint64_t)b;
            int32_t a32 = (int32_t)a, b32 = (int32_t)b;
            uint64_t r[16] = {ua + ub, ua - ub, ua * ub, ua << (ub & 63), ua >> (ub & 63),
                              (uint64_t)(a >> (ub & 63)), (uint64_t)(int32_t)((uint32_t)a32 * (uint32_t)b32),
                              (uint64_t)(a < b), (uint64_t)(ua < ub),
                              (uint64_t)(((unsigned __int128)ua * ub) >> 64),
                              (uint64_t)(((__int128)a * b) >> 64)};
            if (b != 0 && !(a == INT64_MIN && b == -1)) {
                r[11] = (uint64_t)(a / b);
                r[12] = (uint64_t)(a % b);
            }
            if (ub != 0) {
                r[13] = ua / ub;
                r[14] = ua % ub;
            }
            if (b32 != 0 && !(a32 == INT32_MIN && b32 == -1))
                r[15] = (uint64_t)(int64_t)(a32 / b32);
            for (int k = 0; k < 16; k++)
                h = (h ^ r[k]) * 1099511628211ull;
        }
        /* counts of bits (aarch64: gcc's fmov, cnt .8b, addv idiom) */
        uint64_t u = (uint64_t)vals[i];
        printf("%2u: %016" PRIx64 " pop %d %d %d parity %d", i, h, __builtin_popcountll(u),
               __builtin_popcount((uint32_t)u), __builtin_popcount((uint16_t)u),
               __builtin_parityll(u));
        /* zeros at either end (aarch64: ctz is rbit, clz) */
        if (u)
            printf(" ctz %d clz %d", __builtin_ctzll(u), __builtin_clzll(u));
        if ((uint32_t)u)
            printf(" ctz32 %d clz32 %d", __builtin_ctz((uint32_t)u), __builtin_clz((uint32_t)u));
        printf("\n");
    }
    return 0;
}
