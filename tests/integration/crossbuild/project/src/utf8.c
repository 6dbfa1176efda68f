/* UTF-8 validation as RFC 3629 defines it (Unicode 15, table 3-7):
 * no overlong forms, no surrogates, nothing above U+10FFFF. */
#include "textkit.h"

/* The length of the sequence starting at s[0..n), or 0 if it is invalid. */
static size_t sequence(const unsigned char *s, size_t n)
{
    unsigned char c = s[0];
    size_t len;
    unsigned char lo = 0x80, hi = 0xbf;      /* range of the second byte */
    if (c < 0x80)
        return 1;
    if (c < 0xc2 || c > 0xf4)
        return 0;                            /* continuation or overlong lead */
    len = c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
    if (c == 0xe0) lo = 0xa0;                /* overlong 3-byte */
    if (c == 0xed) hi = 0x9f;                /* surrogates */
    if (c == 0xf0) lo = 0x90;                /* overlong 4-byte */
    if (c == 0xf4) hi = 0x8f;                /* above U+10FFFF */
    if (n < len || s[1] < lo || s[1] > hi)
        return 0;
    for (size_t k = 2; k < len; k++)
        if ((s[k] & 0xc0) != 0x80)
            return 0;
    return len;
}

size_t tk_utf8_check(const void *s, size_t n)
{
    const unsigned char *p = s;
    size_t i = 0;
    while (i < n) {
        size_t len = sequence(p + i, n - i);
        if (len == 0)
            return i;
        i += len;
    }
    return n;
}

long tk_utf8_count(const void *s, size_t n)
{
    const unsigned char *p = s;
    long count = 0;
    if (tk_utf8_check(s, n) != n)
        return -1;
    for (size_t i = 0; i < n; i++)
        count += (p[i] & 0xc0) != 0x80;
    return count;
}
