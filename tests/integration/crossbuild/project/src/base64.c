/* Base64 (RFC 4648 section 4, with padding): encoding and strict decoding. */
#include "textkit.h"

static const char alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

size_t tk_base64_encode(const void *src, size_t n, char *dst)
{
    const unsigned char *p = src;
    char *o = dst;
    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)p[i] << 16;
        if (i + 1 < n)
            v |= (uint32_t)p[i + 1] << 8;
        if (i + 2 < n)
            v |= p[i + 2];
        *o++ = alphabet[v >> 18];
        *o++ = alphabet[(v >> 12) & 63];
        *o++ = i + 1 < n ? alphabet[(v >> 6) & 63] : '=';
        *o++ = i + 2 < n ? alphabet[v & 63] : '=';
    }
    *o = '\0';
    return (size_t)(o - dst);
}

/* The 6-bit value of a base64 character, or -1. */
static int sextet(char c)
{
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
}

/* Decodes one 4-character group, the last of which may end in "=" or
 * "=="; returns the bytes written or -1 with *bad set to the offset. */
static int decode_group(const char *g, int last, unsigned char *o, size_t *bad)
{
    int pad = last && g[3] == '=' ? (g[2] == '=' ? 2 : 1) : 0;
    uint32_t v = 0;
    for (int k = 0; k < 4; k++) {
        int s = k < 4 - pad ? sextet(g[k]) : 0;
        if (s < 0) {
            *bad = (size_t)k;
            return -1;
        }
        v = v << 6 | (uint32_t)s;
    }
    if ((pad == 1 && (v & 0xff)) || (pad == 2 && (v & 0xffff))) {
        *bad = (size_t)(3 - pad);            /* non-canonical: stray bits */
        return -1;
    }
    unsigned char b[3] = { (unsigned char)(v >> 16), (unsigned char)(v >> 8),
                           (unsigned char)v };
    for (int k = 0; k < 3 - pad; k++)
        o[k] = b[k];
    return 3 - pad;
}

long tk_base64_decode(const char *src, size_t n, void *dst, size_t *bad)
{
    size_t where = 0;
    unsigned char *o = dst;
    long len = 0;
    if (n % 4) {
        where = n - n % 4;
        goto invalid;
    }
    for (size_t i = 0; i < n; i += 4) {
        int got = decode_group(src + i, i + 4 == n, o + len, &where);
        if (got < 0) {
            where += i;
            goto invalid;
        }
        len += got;
    }
    return len;
invalid:
    if (bad)
        *bad = where;
    return -1;
}
