/* b64: base64-encodes its argument, or with -d decodes it, to stdout.
 * Exit status 0 on success, 1 when -d is given text that is not base64
 * (the project's "expected failure" test), 2 for a usage error.
 *   b64 foobar        => Zm9vYmFy
 *   b64 -d Zm9vYmFy   => foobar */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "textkit.h"

static int decode(const char *text)
{
    size_t n = strlen(text), bad = 0;
    unsigned char *out = malloc(n / 4 * 3 + 1);
    long len = out ? tk_base64_decode(text, n, out, &bad) : -1;
    if (len < 0) {
        fprintf(stderr, "b64: not base64 at offset %zu\n", bad);
        free(out);
        return 1;
    }
    fwrite(out, 1, (size_t)len, stdout);
    putchar('\n');
    free(out);
    return 0;
}

static int encode(const char *text)
{
    size_t n = strlen(text);
    char *out = malloc(TK_BASE64_LEN(n) + 1);
    if (!out)
        return 1;
    tk_base64_encode(text, n, out);
    puts(out);
    free(out);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "-d") == 0)
        return decode(argv[2]);
    if (argc == 2 && argv[1][0] != '-')
        return encode(argv[1]);
    fprintf(stderr, "usage: b64 [-d] TEXT\n");
    return 2;
}
