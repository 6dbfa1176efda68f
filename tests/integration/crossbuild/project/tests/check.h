/* A minimal test harness for textkit's tests: CHECK(cond) reports a failed
 * condition with its line and counts it; main returns check_status(). */
#ifndef CHECK_H
#define CHECK_H

#include <stdio.h>

static int check_failures;

#define CHECK(cond) \
    ((cond) ? (void)0 : (void)(check_failures++, \
        fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond)))

/* 0 when every check passed, else 1 (after a count on stderr). */
static inline int check_status(const char *name)
{
    if (check_failures)
        fprintf(stderr, "%s: %d check(s) failed\n", name, check_failures);
    else
        printf("%s: ok\n", name);
    return check_failures != 0;
}

#endif
