/* Floating-point kernels: a dense matrix multiply and an n-body step. */
#include <math.h>

#include "common.h"

#define N 96

static double a[N][N], b[N][N], c[N][N];

int main(int argc, char **argv)
{
    long rounds = bench_scale(argc, argv, 150);
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++)
            a[i][j] = (i * 7 + j) % 13 * 0.25, b[i][j] = (i + j * 3) % 11 * 0.5 - 1;
    double px[64], py[64], vx[64] = {0}, vy[64] = {0};
    for (int i = 0; i < 64; i++)
        px[i] = cos(i * 0.3) * (i + 1), py[i] = sin(i * 0.3) * (i + 1);
    for (long r = 0; r < rounds; r++) {
        for (int i = 0; i < N; i++)
            for (int j = 0; j < N; j++) {
                double s = 0;
                for (int k = 0; k < N; k++)
                    s += a[i][k] * b[k][j];
                c[i][j] = s;
            }
        for (int step = 0; step < 40; step++)
            for (int i = 0; i < 64; i++)
                for (int j = 0; j < 64; j++) {
                    double dx = px[j] - px[i], dy = py[j] - py[i], d2 = dx * dx + dy * dy + 0.01;
                    double inv = 1.0 / (d2 * sqrt(d2));
                    vx[i] += dx * inv * 1e-3, vy[i] += dy * inv * 1e-3;
                }
        for (int i = 0; i < 64; i++)
            px[i] += vx[i], py[i] += vy[i];
        a[r % N][r % N] += c[(r * 5) % N][(r * 3) % N] * 1e-6;
    }
    double sum = 0;
    for (int i = 0; i < N; i++)
        sum += c[i][(i * 7) % N];
    for (int i = 0; i < 64; i++)
        sum += px[i] + py[i];
    return bench_done("fp", (uint64_t)(int64_t)(sum * 1e6));
}
