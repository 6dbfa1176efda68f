/* The guest's initial stack, laid out as Linux's create_elf_tables() does:
 *
 *   sp -> argc, argv[0..argc-1], NULL, envp[..], NULL, auxv pairs, AT_NULL
 *         ... padding, 16 random bytes, platform string,
 *         argv strings, envp strings, execfn string, a zero word <- top
 *
 * with sp 16-byte aligned.  Also the -E/-U environment editing.
 */
#include <elf.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/auxv.h>
#include <sys/random.h>
#include <unistd.h>

#include "linux-user/lu.h"

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

static size_t count(char **v)
{
    size_t n = 0;
    while (v && v[n])
        n++;
    return n;
}

/* Does env entry e set the variable named by s (up to '=' or its end)? */
static bool same_var(const char *e, const char *s)
{
    size_t n = strcspn(s, "=");
    return strncmp(e, s, n) == 0 && e[n] == '=';
}

char **lu_env_edit(char **env, char **set, char **unset)
{
    size_t n = count(env), ns = count(set), k = 0;
    char **out = calloc(n + ns + 1, sizeof *out);
    if (!out)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        bool drop = false;
        for (size_t j = 0; unset && unset[j] && !drop; j++)
            drop = same_var(env[i], unset[j]);
        for (size_t j = 0; j < ns && !drop; j++)
            drop = same_var(env[i], set[j]);
        if (!drop)
            out[k++] = env[i];
    }
    for (size_t j = 0; j < ns; j++)
        out[k++] = set[j];
    out[k] = NULL;
    return out;
}

/* Copy string s just below *top; returns its guest address. */
static uint64_t push_str(uint64_t *top, const char *s)
{
    size_t len = strlen(s) + 1;
    *top -= len;
    memcpy(G2H(*top), s, len);
    return *top;
}

static void put(uint64_t **w, uint64_t v)
{
    *(*w)++ = v;
}

/* The auxv the guest sees, also kept in p->auxv for /proc/self/auxv.
 * AT_PHDR and AT_ENTRY describe the program even when the interpreter
 * runs first; AT_BASE is where the interpreter is (0: none). */
static void put_auxv(uint64_t **w, lu_proc *p, uint64_t random,
                     uint64_t execfn, uint64_t platform)
{
    const lu_image *img = &p->img;
    uint64_t *start = *w;
    const uint64_t aux[][2] = {
        { AT_HWCAP, p->abi->hwcap() },
        { AT_PAGESZ, LU_PAGE },
        { AT_CLKTCK, (uint64_t)sysconf(_SC_CLK_TCK) },
        { AT_PHDR, img->phdr },
        { AT_PHENT, img->phent },
        { AT_PHNUM, img->phnum },
        { AT_BASE, p->interp.entry ? p->interp.bias : 0 },
        { AT_FLAGS, 0 },
        { AT_ENTRY, img->entry },
        { AT_UID, getuid() },
        { AT_EUID, geteuid() },
        { AT_GID, getgid() },
        { AT_EGID, getegid() },
        { AT_SECURE, getauxval(AT_SECURE) }, /* set-user-ID through binfmt_misc C */
        { AT_RANDOM, random },
        { AT_EXECFN, execfn },
    };
    for (size_t i = 0; i < sizeof aux / sizeof aux[0]; i++) {
        put(w, aux[i][0]);
        put(w, aux[i][1]);
    }
    if (p->abi->hwcap2) {
        put(w, AT_HWCAP2);
        put(w, p->abi->hwcap2());
    }
    if (p->abi->at_minsigstksz) {
        put(w, AT_MINSIGSTKSZ);
        put(w, p->abi->at_minsigstksz());
    }
    if (p->abi->host_vdso && getauxval(AT_SYSINFO_EHDR)) {
        put(w, AT_SYSINFO_EHDR);
        put(w, getauxval(AT_SYSINFO_EHDR));
    }
    if (platform) {
        put(w, AT_PLATFORM);
        put(w, platform);
    }
    put(w, AT_NULL);
    put(w, 0);
    p->auxv_words = (size_t)(*w - start);
    memcpy(p->auxv, start, p->auxv_words * sizeof *start);
}

uint64_t lu_stack_setup(lu_proc *p, char **argv, char **envp)
{
    uint64_t base = LU_STACK_TOP - LU_STACK_SIZE;
    void *r = mmap(G2H(base), LU_STACK_SIZE, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    if (r != G2H(base)) {
        if (r != MAP_FAILED)
            munmap(r, LU_STACK_SIZE);
        return 0;
    }
    lu_mem_add(p, base, LU_STACK_TOP);
    size_t argc = count(argv), envc = count(envp);
    uint64_t top = LU_STACK_TOP - 8; /* the kernel's end marker word */
    uint64_t execfn = push_str(&top, p->prog ? p->prog : (argc ? argv[0] : ""));
    uint64_t *envs = calloc(envc + argc + 1, sizeof *envs), *args = envs + envc;
    if (!envs)
        return 0;
    for (size_t i = envc; i-- > 0;)
        envs[i] = push_str(&top, envp[i]);
    for (size_t i = argc; i-- > 0;)
        args[i] = push_str(&top, argv[i]);
    uint64_t platform = p->abi->platform ? push_str(&top, p->abi->platform) : 0;
    top = (top - 16) & ~15ull;
    uint64_t random = top;
    if (getrandom(G2H(random), 16, 0) != 16)
        for (int i = 0; i < 16; i++) /* a last resort, never expected */
            ((uint8_t *)G2H(random))[i] = (uint8_t)(rand() >> 7);
    size_t words = 1 + argc + 1 + envc + 1 + 2 * LU_AUXV_MAX;
    uint64_t sp = (top - 8 * words) & ~15ull;
    uint64_t *w = G2H(sp);
    put(&w, argc);
    for (size_t i = 0; i < argc; i++)
        put(&w, args[i]);
    put(&w, 0);
    for (size_t i = 0; i < envc; i++)
        put(&w, envs[i]);
    put(&w, 0);
    put_auxv(&w, p, random, execfn, platform);
    free(envs);
    return sp;
}
