/* The first guest program: printf, malloc, string functions, 64-bit
 * multiply and divide, and a chosen exit status (3). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static volatile uint64_t big = 0xfedcba9876543210ull;

int main(void)
{
    char *s = malloc(64);
    strcpy(s, "hello");
    strcat(s, ", riscv64 world");
    printf("%s (%zu chars)\n", s, strlen(s));
    uint64_t m = big * 0x123456789ull;
    int64_t d = (int64_t)big / -12345;
    printf("mul %llx div %lld rem %llu\n", (unsigned long long)m, (long long)d,
           (unsigned long long)(big % 1000003));
    char *dup = strdup(s);
    printf("cmp %d chr %s\n", strcmp(s, dup) == 0, strchr(dup, 'r'));
    free(dup);
    free(s);
    return 3;
}
