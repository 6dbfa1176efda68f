/* libcapstone by dlopen: see capstone_lib.h.  The soname follows the
 * capstone.h Ferry was built with, whose types the entry points use.
 * A static Ferry (configure --enable-static-ferry) cannot dlopen: there
 * FERRY_STATIC_CAPSTONE links libcapstone.a and the table points into it.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif
#include "disas/capstone_lib.h"

#ifdef FERRY_STATIC_CAPSTONE

static const capstone_lib lib = { cs_open, cs_disasm, cs_free, cs_close, cs_option };

const capstone_lib *capstone_lib_get(void)
{
    return &lib;
}

const char *capstone_lib_error(void)
{
    return "";
}

#else

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>

#define STR_(x) #x
#define STR(x) STR_(x)
#define CAPSTONE_SONAME "libcapstone.so." STR(CS_API_MAJOR)

static capstone_lib lib;
static const capstone_lib *loaded;
static char why[256]; /* why loading failed */
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void *sym(void *h, const char *name)
{
    void *p = dlsym(h, name);
    if (!p && !why[0])
        snprintf(why, sizeof why, "%s: no symbol %s", CAPSTONE_SONAME, name);
    return p;
}

static void load(void)
{
    void *h = dlopen(CAPSTONE_SONAME, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        snprintf(why, sizeof why, "%s", dlerror());
        return;
    }
    lib.open = (__typeof__(lib.open))sym(h, "cs_open");
    lib.disasm = (__typeof__(lib.disasm))sym(h, "cs_disasm");
    lib.free = (__typeof__(lib.free))sym(h, "cs_free");
    lib.close = (__typeof__(lib.close))sym(h, "cs_close");
    lib.option = (__typeof__(lib.option))sym(h, "cs_option");
    if (why[0]) {
        dlclose(h);
        return;
    }
    loaded = &lib;
}

const capstone_lib *capstone_lib_get(void)
{
    pthread_once(&once, load);
    return loaded;
}

const char *capstone_lib_error(void)
{
    pthread_once(&once, load);
    return why;
}

#endif
