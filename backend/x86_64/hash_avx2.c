/* XXH3 compiled for AVX2 (only called where the host has it: tcfile.c's
 * chunk_hash):
 * the same value as libxxhash's XXH3_64bits, which Debian builds for
 * SSE2, in about a third of the instructions for long inputs (the cache
 * file's 16 KB chunks were a fifth of a warm start's instructions). */
#pragma GCC target("avx2")
#define XXH_INLINE_ALL
#define XXH_VECTOR 2 /* XXH_AVX2 */
#include <xxhash.h>

#include "backend/x86_64/x86.h"

uint64_t x86_hash_avx2(const void *p, size_t n) { return XXH3_64bits(p, n); }
