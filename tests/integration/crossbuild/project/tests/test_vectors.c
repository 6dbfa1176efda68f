/* Test vectors read from a data file named on the command line
 * (tests/vectors.txt), one per line, '#' starts a comment:
 *   base64 PLAIN CODED     PLAIN encodes to CODED and back ("-": empty)
 *   crc32  TEXT  VALUE     VALUE (0x-hex) is TEXT's CRC-32
 *   utf8   HEX   OFFSET    bytes HEX (pairs of hex digits) first go wrong
 *                          at OFFSET, or are valid when OFFSET is "ok"
 *   parse  TEXT  VALUE     TEXT parses to VALUE, or fails if VALUE is "bad"
 * Exits 1 if a vector fails or the file cannot be read or has no vectors. */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>
#include "textkit.h"
#include "check.h"

static int vector_base64(const char *plain, const char *coded)
{
    char text[256];
    unsigned char bytes[256];
    if (strcmp(plain, "-") == 0 && strcmp(coded, "-") == 0)
        plain = coded = "";
    size_t n = strlen(plain);
    return n < 190 && tk_base64_encode(plain, n, text) == strlen(coded)
        && strcmp(text, coded) == 0
        && tk_base64_decode(coded, strlen(coded), bytes, NULL) == (long)n
        && memcmp(bytes, plain, n) == 0;
}

static int vector_crc32(const char *text, const char *value)
{
    uint64_t want;
    return tk_parse_u64(value, &want) == 0
        && tk_crc32(0, text, strlen(text)) == want;
}

static int vector_utf8(const char *hex, const char *offset)
{
    unsigned char bytes[128];
    size_t n = strlen(hex) / 2;
    uint64_t want = n;
    char pair[5] = "0x";
    for (size_t i = 0; i < n && n <= sizeof bytes; i++) {
        uint64_t b;
        memcpy(pair + 2, hex + 2 * i, 2);
        if (tk_parse_u64(pair, &b) != 0)
            return 0;
        bytes[i] = (unsigned char)b;
    }
    if (strcmp(offset, "ok") != 0 && tk_parse_u64(offset, &want) != 0)
        return 0;
    return n <= sizeof bytes && tk_utf8_check(bytes, n) == want;
}

static int vector_parse(const char *text, const char *value)
{
    uint64_t got, want;
    if (strcmp(value, "bad") == 0)
        return tk_parse_u64(text, &got) == -1;
    return tk_parse_u64(value, &want) == 0 && tk_parse_u64(text, &got) == 0
        && got == want;
}

static const struct {
    const char *kind;
    int (*run)(const char *, const char *);
} kinds[] = {
    { "base64", vector_base64 }, { "crc32", vector_crc32 },
    { "utf8", vector_utf8 }, { "parse", vector_parse },
};

/* Runs one line's vector; returns 1 if it ran, 0 for a blank or comment. */
static int run_line(char *line, int lineno)
{
    char *kind = strtok(line, " \t\n"), *a, *b;
    if (!kind || kind[0] == '#')
        return 0;
    a = strtok(NULL, " \t\n");
    b = strtok(NULL, " \t\n");
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++)
        if (a && b && strcmp(kind, kinds[k].kind) == 0) {
            if (!kinds[k].run(a, b))
                fprintf(stderr, "line %d: %s %s %s fails\n", lineno, kind, a, b);
            CHECK(kinds[k].run(a, b));
            return 1;
        }
    fprintf(stderr, "line %d: cannot read this vector\n", lineno);
    CHECK(!"a well-formed line");
    return 1;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s VECTORS-FILE\n", argv[0]);
        return 1;
    }
    FILE *f = fopen(argv[1], "r");
    if (!f) {
        perror(argv[1]);
        return 1;
    }
    char line[512];
    int lineno = 0, ran = 0;
    while (fgets(line, sizeof line, f))
        ran += run_line(line, ++lineno);
    fclose(f);
    CHECK(ran > 0);
    printf("vectors: %d from %s\n", ran, argv[1]);
    return check_status("vectors");
}
