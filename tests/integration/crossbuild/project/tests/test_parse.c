/* tk_parse_u64: decimal and hex, the limits, and what must be refused. */
#include "textkit.h"
#include "check.h"

static const struct { const char *s; int ok; uint64_t v; } cases[] = {
    { "0", 1, 0 }, { "42", 1, 42 }, { "0x2a", 1, 42 }, { "0XfF", 1, 255 },
    { "18446744073709551615", 1, UINT64_MAX },
    { "0xffffffffffffffff", 1, UINT64_MAX },
    { "18446744073709551616", 0, 0 },              /* overflow by one */
    { "0x10000000000000000", 0, 0 },
    { "", 0, 0 }, { "0x", 0, 0 }, { "12a", 0, 0 }, { "-1", 0, 0 },
    { " 1", 0, 0 }, { "0xg", 0, 0 },
};

int main(void)
{
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint64_t v = 12345;
        int rc = tk_parse_u64(cases[i].s, &v);
        CHECK(rc == (cases[i].ok ? 0 : -1));
        CHECK(v == (cases[i].ok ? cases[i].v : 12345));
    }
    return check_status("parse");
}
