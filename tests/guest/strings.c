/* libc string and memory routines over many sizes and alignments: each
 * result is checked against a byte-by-byte reference and folded into a
 * checksum, so the vectorized routines of both libcs meet one oracle. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static unsigned char a[640], b[640];

static int ref_cmp(const unsigned char *x, const unsigned char *y, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (x[i] != y[i])
            return x[i] < y[i] ? -1 : 1;
    return 0;
}

static int sign(int v) { return (v > 0) - (v < 0); }

int main(void)
{
    uint64_t sum = 0, bad = 0;
    for (int i = 0; i < 640; i++)
        a[i] = (unsigned char)(i * 7 + 1 + (i % 5 == 0 ? 128 : 0));
    for (size_t al = 0; al < 16; al++) {
        for (size_t bl = 0; bl < 16; bl += 3) {
            for (size_t n = 0; n < 300; n = n < 40 ? n + 1 : n * 3 / 2) {
                memset(b, 0xee, sizeof b);
                memcpy(b + bl, a + al, n);
                bad += ref_cmp(b + bl, a + al, n) != 0;
                bad += b[bl + n] != 0xee || (bl && b[bl - 1] != 0xee);
                memmove(b + bl + 3, b + bl, n);
                bad += ref_cmp(b + bl + 3, a + al, n) != 0;
                if (n) {
                    b[bl + 3 + n / 2] ^= 0x40;
                    int c = memcmp(b + bl + 3, a + al, n);
                    bad += sign(c) != ref_cmp(b + bl + 3, a + al, n);
                    sum = sum * 31 + (uint64_t)(sign(c) + 1);
                }
                memset(b + bl, 'x', n);
                b[bl + n] = 0;
                bad += strlen((char *)b + bl) != n;
                char *p = memchr(a + al, a[al + n / 2], n + 1);
                sum = sum * 31 + (uint64_t)(p ? p - (char *)a : 0);
            }
        }
    }
    const char *hay = "the quick brown fox jumps over the lazy dog, then the fox sleeps";
    for (size_t off = 0; off < 20; off++) {
        sum = sum * 31 + (uint64_t)(strstr(hay + off, "fox") - hay);
        sum = sum * 31 + (uint64_t)(strrchr(hay + off, 'o') - hay);
        sum = sum * 31 + (uint64_t)(strchr(hay + off, 'z') - hay);
        sum = sum * 31 + strspn(hay + off, "the quick") + strcspn(hay + off, ",");
        sum = sum * 31 + (uint64_t)(sign(strcmp(hay + off, hay + off + 1)) + 1);
        sum = sum * 31 + (uint64_t)(sign(strncmp(hay, hay + off, 5)) + 1);
    }
    printf("checksum %016llx, mismatches %llu\n", (unsigned long long)sum, (unsigned long long)bad);
    return bad != 0;
}
