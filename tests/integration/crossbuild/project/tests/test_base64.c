/* Base64 against RFC 4648 section 10's test vectors, and the inputs a
 * strict decoder must reject (with the offset of the first bad character). */
#include <string.h>
#include "textkit.h"
#include "check.h"

static const struct { const char *plain, *coded; } rfc4648[] = {
    { "", "" }, { "f", "Zg==" }, { "fo", "Zm8=" }, { "foo", "Zm9v" },
    { "foob", "Zm9vYg==" }, { "fooba", "Zm9vYmE=" }, { "foobar", "Zm9vYmFy" },
};

static const struct { const char *coded; size_t bad; } invalid[] = {
    { "Zg=", 0 },        /* length not a multiple of 4 */
    { "Zm9v!mFy", 4 },   /* outside the alphabet */
    { "Zg==Zm8=", 2 },   /* padding before the end */
    { "Z===", 1 },       /* three '=' */
    { "Zh==", 1 },       /* stray bits under the padding */
    { "Zm9=", 2 },
    { "Zm=v", 2 },       /* '=' then data */
};

int main(void)
{
    char text[64];
    unsigned char bytes[64];
    for (size_t i = 0; i < sizeof rfc4648 / sizeof rfc4648[0]; i++) {
        const char *p = rfc4648[i].plain, *c = rfc4648[i].coded;
        CHECK(tk_base64_encode(p, strlen(p), text) == strlen(c));
        CHECK(strcmp(text, c) == 0);
        CHECK(tk_base64_decode(c, strlen(c), bytes, NULL) == (long)strlen(p));
        CHECK(memcmp(bytes, p, strlen(p)) == 0);
    }
    for (size_t i = 0; i < sizeof invalid / sizeof invalid[0]; i++) {
        size_t bad = 99;
        const char *c = invalid[i].coded;
        CHECK(tk_base64_decode(c, strlen(c), bytes, &bad) == -1);
        CHECK(bad == invalid[i].bad);
    }
    unsigned char all[256];                  /* every byte value round-trips */
    char coded[TK_BASE64_LEN(256) + 1];
    unsigned char back[256];
    for (int i = 0; i < 256; i++)
        all[i] = (unsigned char)(255 - i);
    size_t n = tk_base64_encode(all, sizeof all, coded);
    CHECK(n == TK_BASE64_LEN(256));
    CHECK(tk_base64_decode(coded, n, back, NULL) == 256);
    CHECK(memcmp(all, back, 256) == 0);
    return check_status("base64");
}
