/* textkit from several threads at once: each thread encodes, decodes and
 * checksums its own buffer, all starting together at a barrier; their
 * results must equal the same work done afterwards on one thread. */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "textkit.h"
#include "check.h"

enum { THREADS = 4, ROUNDS = 8, SIZE = 12000 };

struct job {
    unsigned seed;
    uint32_t crc;                            /* over every round's output */
    long decoded;                            /* bytes decoded, all rounds */
};

static pthread_barrier_t start;

/* One job's work: fill, encode, decode, check, checksum, ROUNDS times. */
static void work(struct job *j)
{
    static _Thread_local unsigned char in[SIZE], back[SIZE];
    static _Thread_local char coded[TK_BASE64_LEN(SIZE) + 1];
    uint32_t x = j->seed;
    for (int r = 0; r < ROUNDS; r++) {
        size_t n = SIZE - (size_t)r * 7;
        for (size_t i = 0; i < n; i++) {
            x = x * 1664525u + 1013904223u;
            in[i] = (unsigned char)(x >> 24);
        }
        size_t len = tk_base64_encode(in, n, coded);
        long got = tk_base64_decode(coded, len, back, NULL);
        if (got != (long)n || memcmp(in, back, n) != 0)
            got = -1;
        j->decoded += got;
        j->crc = tk_crc32(j->crc, coded, len);
    }
}

static void *thread_main(void *arg)
{
    pthread_barrier_wait(&start);
    work(arg);
    return NULL;
}

int main(void)
{
    struct job jobs[THREADS] = { 0 }, alone[THREADS] = { 0 };
    pthread_t tid[THREADS];
    pthread_barrier_init(&start, NULL, THREADS);
    for (int t = 0; t < THREADS; t++) {
        jobs[t].seed = alone[t].seed = 1000u + (unsigned)t;
        CHECK(pthread_create(&tid[t], NULL, thread_main, &jobs[t]) == 0);
    }
    for (int t = 0; t < THREADS; t++)
        CHECK(pthread_join(tid[t], NULL) == 0);
    for (int t = 0; t < THREADS; t++) {
        work(&alone[t]);
        CHECK(jobs[t].decoded == alone[t].decoded);
        CHECK(jobs[t].decoded > 0);
        CHECK(jobs[t].crc == alone[t].crc);
        CHECK(t == 0 || jobs[t].crc != jobs[0].crc);
    }
    pthread_barrier_destroy(&start);
    return check_status("threads");
}
