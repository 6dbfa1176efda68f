/* UTF-8 validation: well-formed text of every length, and the classic
 * malformations (Markus Kuhn's UTF-8 decoder stress test): the offset of
 * the first bad byte must be reported. */
#include <string.h>
#include "textkit.h"
#include "check.h"

static const struct { const char *s; size_t bad; long count; } cases[] = {
    { "plain ascii", 11, 11 },
    { "caf\xc3\xa9", 5, 4 },                        /* U+00E9 */
    { "\xe2\x82\xac 5", 5, 3 },                     /* U+20AC euro */
    { "\xf0\x9f\x98\x80!", 5, 2 },                  /* U+1F600 */
    { "\xef\xbf\xbf", 3, 1 },                       /* U+FFFF */
    { "\xf4\x8f\xbf\xbf", 4, 1 },                   /* U+10FFFF, the last */
    { "ab\x80", 2, -1 },                            /* lone continuation */
    { "\xc0\xaf", 0, -1 },                          /* overlong '/' */
    { "\xe0\x80\xaf", 0, -1 },                      /* overlong, 3 bytes */
    { "\xf0\x80\x80\xaf", 0, -1 },                  /* overlong, 4 bytes */
    { "x\xed\xa0\x80", 1, -1 },                     /* surrogate U+D800 */
    { "\xf4\x90\x80\x80", 0, -1 },                  /* U+110000 */
    { "\xf5\x80\x80\x80", 0, -1 },                  /* lead byte past F4 */
    { "ok\xe2\x82", 2, -1 },                        /* truncated at the end */
    { "\xe2\x28\xa1", 0, -1 },                      /* bad second byte */
    { "\xfe\xff", 0, -1 },
};

int main(void)
{
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t n = strlen(cases[i].s);
        size_t got = tk_utf8_check(cases[i].s, n);
        if (got != cases[i].bad)
            fprintf(stderr, "case %zu: first bad byte %zu, want %zu\n",
                    i, got, cases[i].bad);
        CHECK(got == cases[i].bad);
        CHECK(tk_utf8_count(cases[i].s, n) == cases[i].count);
    }
    CHECK(tk_utf8_check("a\0b", 3) == 3);           /* NUL is a character */
    return check_status("utf8");
}
