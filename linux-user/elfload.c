/* Load a guest ELF program: check it with libelf, then map each PT_LOAD at
 * its guest address (which is its host address).  Every way a file can be
 * wrong becomes one line of text and an exit status; nothing is left
 * mapped after a failure.  A dynamic program's PT_INTERP is recorded; the
 * caller finds the interpreter (under the sysroot) and loads it with
 * lu_elf_load_interp() at a base of its own, as the kernel does.  At the
 * end: a file's function symbols, for --perfmap and the host routines.
 */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <inttypes.h>
#include <libelf.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "linux-user/lu.h"

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

/* Guest programs must live below this (47-bit user space), and above
 * the host's mmap_min_addr. */
#define LU_GUEST_MAX (1ull << 47)
#define LU_GUEST_MIN 0x10000ull

typedef struct elf_file {
    int fd;
    bool is_interp;     /* loading an interpreter: no PT_INTERP allowed */
    uint64_t dyn_base;  /* where an ET_DYN file's lowest segment goes */
    Elf *elf;
    GElf_Ehdr eh;
    GElf_Phdr *ph;
    size_t phnum;
    uint64_t size;
} elf_file;

static int fail(char *err, size_t errlen, int status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
    return status;
}

/* Names for the machines people are likely to try. */
static const char *machine_name(uint16_t m)
{
    static const struct { uint16_t m; const char *name; } names[] = {
        { EM_RISCV, "riscv64" }, { EM_AARCH64, "aarch64" },
        { EM_X86_64, "x86-64" }, { EM_386, "i386" },
        { EM_ARM, "arm" },       { EM_PPC64, "ppc64" },
        { EM_S390, "s390x" },    { EM_MIPS, "mips" },
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (names[i].m == m)
            return names[i].name;
    return NULL;
}

static void elf_close(elf_file *f)
{
    free(f->ph);
    if (f->elf)
        elf_end(f->elf);
    if (f->fd >= 0)
        close(f->fd);
    memset(f, 0, sizeof *f);
    f->fd = -1;
}

/* f->fd already open: binfmt_misc's AT_EXECFD (lu_elf_load_fd). */
static int open_file(const char *path, elf_file *f, char *err, size_t errlen)
{
    if (f->fd < 0)
        f->fd = open(path, O_RDONLY | O_CLOEXEC);
    if (f->fd < 0) {
        int st = (errno == ENOENT || errno == ENOTDIR) ? LU_EXIT_NOT_FOUND
                                                       : LU_EXIT_CANNOT_RUN;
        return fail(err, errlen, st, "%s", strerror(errno));
    }
    struct stat sb;
    if (fstat(f->fd, &sb) < 0)
        return fail(err, errlen, LU_EXIT_CANNOT_RUN, "%s", strerror(errno));
    if (S_ISDIR(sb.st_mode))
        return fail(err, errlen, LU_EXIT_CANNOT_RUN, "Is a directory");
    if (!S_ISREG(sb.st_mode))
        return fail(err, errlen, LU_EXIT_CANNOT_RUN, "not a regular file");
    f->size = (uint64_t)sb.st_size;
    return 0;
}

/* The ELF header: class, byte order, type, machine. */
static int check_header(elf_file *f, uint16_t want, lu_image *img,
                        char *err, size_t errlen)
{
    unsigned char magic[EI_NIDENT] = { 0 };
    ssize_t n = pread(f->fd, magic, sizeof magic, 0);
    if (n < SELFMAG || memcmp(magic, ELFMAG, SELFMAG) != 0)
        return fail(err, errlen, LU_EXIT_CANNOT_RUN, "not an ELF file");
    if (magic[EI_CLASS] != ELFCLASS64)
        return fail(err, errlen, LU_EXIT_CANNOT_RUN,
                    magic[EI_CLASS] == ELFCLASS32 ? "not a 64-bit ELF file (ELF32)"
                                                  : "not a 64-bit ELF file");
    if (magic[EI_DATA] != ELFDATA2LSB)
        return fail(err, errlen, LU_EXIT_CANNOT_RUN, "not a little-endian ELF file");
    if (elf_version(EV_CURRENT) == EV_NONE)
        return fail(err, errlen, LU_EXIT_CANNOT_RUN, "libelf: %s", elf_errmsg(-1));
    f->elf = elf_begin(f->fd, ELF_C_READ, NULL);
    if (!f->elf || elf_kind(f->elf) != ELF_K_ELF || !gelf_getehdr(f->elf, &f->eh))
        return fail(err, errlen, LU_EXIT_CANNOT_RUN, "truncated ELF file");
    if (f->eh.e_type != ET_EXEC && f->eh.e_type != ET_DYN)
        return fail(err, errlen, LU_EXIT_CANNOT_RUN,
                    "not an executable (ELF type %u)", f->eh.e_type);
    uint16_t m = f->eh.e_machine;
    const char *mname = machine_name(m);
    img->abi = lu_abi_for_machine(m);
    if (want && m != want) {
        const char *wname = machine_name(want);
        if (mname)
            return fail(err, errlen, LU_EXIT_CANNOT_RUN, "is for %s, not %s",
                        mname, wname ? wname : "?");
        return fail(err, errlen, LU_EXIT_CANNOT_RUN,
                    "unsupported ELF machine %u, not %s", m, wname ? wname : "?");
    }
    if (!img->abi) {
        if (mname)
            return fail(err, errlen, LU_EXIT_CANNOT_RUN,
                        "%s programs are not supported (ELF machine %u)", mname, m);
        return fail(err, errlen, LU_EXIT_CANNOT_RUN, "unsupported ELF machine %u", m);
    }
    return 0;
}

static int read_phdrs(elf_file *f, char *err, size_t errlen)
{
    uint64_t n = f->eh.e_phnum;
    if (n == 0)
        return fail(err, errlen, LU_EXIT_CANNOT_RUN, "no program headers");
    if (f->eh.e_phentsize != sizeof(Elf64_Phdr))
        return fail(err, errlen, LU_EXIT_CANNOT_RUN, "bad program header size %u",
                    f->eh.e_phentsize);
    if (f->eh.e_phoff > f->size || n * sizeof(Elf64_Phdr) > f->size - f->eh.e_phoff)
        return fail(err, errlen, LU_EXIT_CANNOT_RUN,
                    "truncated ELF file (program headers past the end)");
    if (elf_getphdrnum(f->elf, &f->phnum) != 0 || f->phnum != n)
        return fail(err, errlen, LU_EXIT_CANNOT_RUN, "truncated ELF file");
    f->ph = calloc(f->phnum, sizeof *f->ph);
    if (!f->ph)
        return fail(err, errlen, LU_EXIT_CANNOT_RUN, "out of memory");
    for (size_t i = 0; i < f->phnum; i++)
        if (!gelf_getphdr(f->elf, (int)i, &f->ph[i]))
            return fail(err, errlen, LU_EXIT_CANNOT_RUN, "truncated ELF file");
    return 0;
}

/* PT_INTERP: a NUL-terminated path inside the file. */
static int read_interp(elf_file *f, const GElf_Phdr *p, lu_image *img,
                       char *err, size_t errlen)
{
    size_t len = sizeof img->interp;
    if (f->is_interp)
        return fail(err, errlen, LU_EXIT_CANNOT_RUN,
                    "the interpreter has an interpreter of its own");
    if (p->p_filesz < 2 || p->p_filesz > len || p->p_offset > f->size ||
        p->p_filesz > f->size - p->p_offset)
        return fail(err, errlen, LU_EXIT_CANNOT_RUN, "bad PT_INTERP segment");
    ssize_t got = pread(f->fd, img->interp, p->p_filesz, (off_t)p->p_offset);
    if (got != (ssize_t)p->p_filesz || img->interp[got - 1] != 0 ||
        strlen(img->interp) == 0) {
        img->interp[0] = 0;
        return fail(err, errlen, LU_EXIT_CANNOT_RUN, "bad PT_INTERP segment");
    }
    return 0;
}

/* One PT_LOAD: inside the file, filesz <= memsz, page-congruent, in range. */
static int check_load(elf_file *f, size_t i, uint64_t *prev_end,
                      char *err, size_t errlen)
{
    const GElf_Phdr *p = &f->ph[i];
    if (p->p_offset > f->size || p->p_filesz > f->size - p->p_offset)
        return fail(err, errlen, LU_EXIT_CANNOT_RUN,
                    "segment %zu: file offset 0x%llx+0x%llx past the end of the file",
                    i, (unsigned long long)p->p_offset, (unsigned long long)p->p_filesz);
    if (p->p_filesz > p->p_memsz)
        return fail(err, errlen, LU_EXIT_CANNOT_RUN,
                    "segment %zu: file size larger than memory size", i);
    if ((p->p_vaddr - p->p_offset) % LU_PAGE != 0)
        return fail(err, errlen, LU_EXIT_CANNOT_RUN,
                    "segment %zu: address and file offset not congruent modulo the page size", i);
    if (p->p_vaddr >= LU_GUEST_MAX || p->p_memsz > LU_GUEST_MAX - p->p_vaddr)
        return fail(err, errlen, LU_EXIT_CANNOT_RUN,
                    "segment %zu: address 0x%llx+0x%llx out of range", i,
                    (unsigned long long)p->p_vaddr, (unsigned long long)p->p_memsz);
    if (p->p_vaddr < *prev_end)
        return fail(err, errlen, LU_EXIT_CANNOT_RUN,
                    "segment %zu: overlaps or precedes the one before", i);
    *prev_end = p->p_vaddr + p->p_memsz;
    return 0;
}

static int check_segments(elf_file *f, lu_image *img, char *err, size_t errlen)
{
    uint64_t lo = UINT64_MAX, hi = 0, prev_end = 0;
    for (size_t i = 0; i < f->phnum; i++) {
        const GElf_Phdr *p = &f->ph[i];
        if (p->p_type == PT_INTERP) {
            int st = read_interp(f, p, img, err, errlen);
            if (st)
                return st;
        }
        if (p->p_type != PT_LOAD || p->p_memsz == 0)
            continue;
        int st = check_load(f, i, &prev_end, err, errlen);
        if (st)
            return st;
        if (LU_PAGE_DOWN(p->p_vaddr) < lo)
            lo = LU_PAGE_DOWN(p->p_vaddr);
        if (LU_PAGE_UP(p->p_vaddr + p->p_memsz) > hi)
            hi = LU_PAGE_UP(p->p_vaddr + p->p_memsz);
    }
    if (hi == 0)
        return fail(err, errlen, LU_EXIT_CANNOT_RUN, "no loadable segments");
    img->bias = f->eh.e_type == ET_DYN ? f->dyn_base - lo : 0;
    if (lo + img->bias < LU_GUEST_MIN)
        return fail(err, errlen, LU_EXIT_CANNOT_RUN,
                    "loads at 0x%llx, below the lowest mappable address",
                    (unsigned long long)lo);
    img->start = lo + img->bias;
    img->brk = hi + img->bias;
    img->entry = f->eh.e_entry + img->bias;
    img->phnum = f->phnum;
    img->phent = f->eh.e_phentsize;
    return 0;
}

/* Where the program headers are in guest memory, as AT_PHDR says. */
static uint64_t phdr_addr(const elf_file *f, uint64_t bias)
{
    uint64_t off = f->eh.e_phoff, len = f->phnum * (uint64_t)f->eh.e_phentsize;
    for (size_t i = 0; i < f->phnum; i++)
        if (f->ph[i].p_type == PT_PHDR)
            return f->ph[i].p_vaddr + bias;
    for (size_t i = 0; i < f->phnum; i++) {
        const GElf_Phdr *p = &f->ph[i];
        if (p->p_type == PT_LOAD && p->p_offset <= off &&
            off + len <= p->p_offset + p->p_filesz)
            return p->p_vaddr + (off - p->p_offset) + bias;
    }
    return 0;
}

static int check_file(elf_file *f, const char *path, uint16_t machine,
                      lu_image *img, char *err, size_t errlen)
{
    memset(img, 0, sizeof *img);
    int st = open_file(path, f, err, errlen);
    if (!st)
        st = check_header(f, machine, img, err, errlen);
    if (!st)
        st = read_phdrs(f, err, errlen);
    if (!st)
        st = check_segments(f, img, err, errlen);
    if (!st)
        img->phdr = phdr_addr(f, img->bias);
    return st;
}

int lu_elf_check(const char *path, uint16_t machine, lu_image *img,
                 char *err, size_t errlen)
{
    elf_file f = { .fd = -1, .dyn_base = LU_PIE_BASE };
    int st = check_file(&f, path, machine, img, err, errlen);
    elf_close(&f);
    return st;
}

/* Guest code is read by the frontend, never executed by the host: an
 * executable segment only needs to be readable. */
static int seg_prot(uint32_t flags)
{
    int prot = 0;
    if (flags & (PF_R | PF_X))
        prot |= PROT_READ;
    if (flags & PF_W)
        prot |= PROT_WRITE;
    return prot;
}

/* Map one PT_LOAD inside the reservation (so MAP_FIXED is safe here). */
static int map_segment(elf_file *f, const GElf_Phdr *p, uint64_t bias)
{
    uint64_t va = p->p_vaddr + bias, pstart = LU_PAGE_DOWN(va);
    uint64_t fend = va + p->p_filesz, mend = va + p->p_memsz;
    int prot = seg_prot(p->p_flags);
    uint64_t anon = pstart;
    if (p->p_filesz) {
        void *m = mmap(G2H(pstart), fend - pstart, prot | PROT_WRITE,
                       MAP_PRIVATE | MAP_FIXED, f->fd, (off_t)LU_PAGE_DOWN(p->p_offset));
        if (m == MAP_FAILED)
            return -1;
        anon = LU_PAGE_UP(fend);
        /* The file's bytes after filesz must read 0 up to the end of the
         * page, as the kernel's padzero() leaves them: glibc's ld.so
         * allocates its first link_map right after its own _end there. */
        if (prot & PROT_WRITE)
            memset(G2H(fend), 0, anon - fend);
        else if (mend > fend)
            memset(G2H(fend), 0, (mend < anon ? mend : anon) - fend);
    }
    if (LU_PAGE_UP(mend) > anon &&
        mmap(G2H(anon), LU_PAGE_UP(mend) - anon, prot,
             MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED)
        return -1;
    return mprotect(G2H(pstart), LU_PAGE_UP(mend) - pstart, prot);
}

static int map_image(elf_file *f, lu_image *img, char *err, size_t errlen)
{
    uint64_t len = img->brk - img->start;
    void *want = G2H(img->start);
    void *r = mmap(want, len, PROT_NONE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE, -1, 0);
    if (r != want) {
        if (r != MAP_FAILED)
            munmap(r, len); /* a kernel without MAP_FIXED_NOREPLACE */
        return fail(err, errlen, LU_EXIT_CANNOT_RUN,
                    "cannot map 0x%llx-0x%llx: %s", (unsigned long long)img->start,
                    (unsigned long long)img->brk,
                    r == MAP_FAILED && errno != EEXIST ? strerror(errno)
                                                       : "address range in use by Ferry");
    }
    uint64_t cur = img->start;
    for (size_t i = 0; i < f->phnum; i++) {
        const GElf_Phdr *p = &f->ph[i];
        if (p->p_type != PT_LOAD || p->p_memsz == 0)
            continue;
        uint64_t s = LU_PAGE_DOWN(p->p_vaddr + img->bias);
        if (map_segment(f, p, img->bias) < 0) {
            int e = errno;
            munmap(want, len);
            return fail(err, errlen, LU_EXIT_CANNOT_RUN, "segment %zu: %s", i, strerror(e));
        }
        if (s > cur) /* the kernel leaves holes between segments unmapped */
            munmap(G2H(cur), s - cur);
        uint64_t e = LU_PAGE_UP(p->p_vaddr + img->bias + p->p_memsz);
        if ((p->p_flags & PF_X) && img->n_exec < 8) {
            img->exec_start[img->n_exec] = s;
            img->exec_end[img->n_exec++] = e;
        }
        if (e > cur)
            cur = e;
    }
    return 0;
}

static int load(elf_file *f, const char *path, uint16_t machine, lu_image *img,
                char *err, size_t errlen)
{
    int st = check_file(f, path, machine, img, err, errlen);
    if (!st)
        st = map_image(f, img, err, errlen);
    elf_close(f);
    return st;
}

int lu_elf_load(const char *path, uint16_t machine, lu_image *img,
                char *err, size_t errlen)
{
    return lu_elf_load_fd(-1, path, machine, img, err, errlen);
}

int lu_elf_load_fd(int fd, const char *path, uint16_t machine, lu_image *img,
                   char *err, size_t errlen)
{
    elf_file f = { .fd = fd, .dyn_base = LU_PIE_BASE };
    return load(&f, path, machine, img, err, errlen);
}

int lu_elf_load_interp(const char *path, uint16_t machine, lu_image *img,
                       char *err, size_t errlen)
{
    elf_file f = { .fd = -1, .dyn_base = LU_INTERP_BASE, .is_interp = true };
    return load(&f, path, machine, img, err, errlen);
}

/* ---- Function symbols, to name guest code (--perfmap) */

typedef struct lu_sym {
    uint64_t start, size;
    char *name;
} lu_sym;

struct lu_symtab {
    lu_sym *s; /* sorted by start once lu_symtab_add is done */
    size_t n, cap;
};

/* A symbol of size 0 (hand-written assembly) is taken to reach the next
 * one, but not further than this. */
#define LU_SYM_UNSIZED 4096

lu_symtab *lu_symtab_new(void)
{
    return calloc(1, sizeof(lu_symtab));
}

static void sym_push(lu_symtab *t, uint64_t start, uint64_t size, const char *name)
{
    if (t->n == t->cap) {
        t->cap = t->cap ? 2 * t->cap : 256;
        t->s = realloc(t->s, t->cap * sizeof *t->s);
        if (!t->s)
            abort();
    }
    t->s[t->n++] = (lu_sym){ .start = start, .size = size, .name = strdup(name) };
}

static int sym_cmp(const void *a, const void *b)
{
    const lu_sym *x = a, *y = b;
    return x->start < y->start ? -1 : x->start > y->start;
}

/* The functions of one symbol table section, at st_value + bias when
 * that is inside [lo, hi). */
static size_t each_in_section(Elf *elf, Elf_Scn *scn, const GElf_Shdr *sh, uint64_t bias,
                              uint64_t lo, uint64_t hi, lu_func_fn *fn, void *arg)
{
    Elf_Data *d = elf_getdata(scn, NULL);
    Elf_Scn *str_scn = elf_getscn(elf, sh->sh_link);
    Elf_Data *str = str_scn ? elf_getdata(str_scn, NULL) : NULL;
    size_t n = sh->sh_entsize ? sh->sh_size / sh->sh_entsize : 0, found = 0;
    /* the symbols as they are in memory (the guests' ELF64, little-endian
     * like the host): a library's few thousand are read at each mmap */
    const Elf64_Sym *sym = d && d->d_type == ELF_T_SYM && gelf_getclass(elf) == ELFCLASS64
                               ? d->d_buf : NULL;
    if (!sym || !str || d->d_size < n * sizeof *sym)
        return 0;
    /* a table that ends in a NUL ends each of its names (most do): then
     * no name needs a look for its own */
    bool ends = str->d_size && ((const char *)str->d_buf)[str->d_size - 1] == 0;
    for (size_t i = 0; i < n; i++) {
        int type = ELF64_ST_TYPE(sym[i].st_info);
        uint64_t at = sym[i].st_value + bias;
        if ((type != STT_FUNC && type != STT_GNU_IFUNC) || !sym[i].st_value || at < lo ||
            at >= hi || !sym[i].st_name || sym[i].st_name >= str->d_size)
            continue;
        const char *name = (const char *)str->d_buf + sym[i].st_name;
        if (!ends && !memchr(name, 0, str->d_size - sym[i].st_name))
            continue;
        fn(arg, name, at, sym[i].st_size, type == STT_GNU_IFUNC);
        found++;
    }
    return found;
}

/* bias: where the file's address 0 is, or for a mapping, UINT64_MAX and
 * then its file offset off and [lo, hi): the segment holding off says. */
static bool each_function(int fd, uint64_t bias, uint64_t off, uint64_t lo, uint64_t hi,
                          lu_func_fn *fn, void *arg)
{
    Elf *elf = elf_version(EV_CURRENT) != EV_NONE ? elf_begin(fd, ELF_C_READ_MMAP, NULL) : NULL;
    size_t found = 0, nph = 0;
    if (elf && elf_kind(elf) == ELF_K_ELF && bias == UINT64_MAX && !elf_getphdrnum(elf, &nph))
        for (size_t i = 0; i < nph; i++) {
            GElf_Phdr ph;
            uint64_t page_off;
            if (!gelf_getphdr(elf, (int)i, &ph) || ph.p_type != PT_LOAD)
                continue;
            page_off = ph.p_offset & ~(uint64_t)(LU_PAGE - 1);
            if (off >= page_off && off < ph.p_offset + ph.p_filesz) {
                bias = lo - (ph.p_vaddr - (ph.p_offset - off));
                break;
            }
        }
    for (int want = SHT_SYMTAB; elf && bias != UINT64_MAX && !found && want;
         want = want == SHT_SYMTAB ? SHT_DYNSYM : 0)
        for (Elf_Scn *scn = NULL; (scn = elf_nextscn(elf, scn));) {
            GElf_Shdr sh;
            if (gelf_getshdr(scn, &sh) && sh.sh_type == (unsigned)want)
                found += each_in_section(elf, scn, &sh, bias, lo, hi, fn, arg);
        }
    if (elf)
        elf_end(elf);
    return found > 0;
}

bool lu_elf_functions(int fd, uint64_t bias, lu_func_fn *fn, void *arg)
{
    return each_function(fd, bias, 0, 0, UINT64_MAX, fn, arg);
}

bool lu_elf_mapped_functions(int fd, uint64_t off, uint64_t start, uint64_t end,
                             lu_func_fn *fn, void *arg)
{
    return each_function(fd, UINT64_MAX, off, start, end, fn, arg);
}

static void symtab_push(void *t, const char *name, uint64_t at, uint64_t size, bool ifunc)
{
    (void)ifunc;
    sym_push(t, at, size, name);
}

bool lu_symtab_add(lu_symtab *t, const char *path, uint64_t bias)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    bool added = fd >= 0 && lu_elf_functions(fd, bias, symtab_push, t);
    if (fd >= 0)
        close(fd);
    qsort(t->s, t->n, sizeof *t->s, sym_cmp);
    return added;
}

bool lu_symtab_name(void *symtab, uint64_t pc, char *buf, size_t len)
{
    const lu_symtab *t = symtab;
    size_t lo = 0, hi = t->n; /* the first symbol starting past pc */
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (t->s[mid].start <= pc)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0)
        return false;
    const lu_sym *s = &t->s[lo - 1];
    uint64_t end = s->size ? s->start + s->size : s->start + LU_SYM_UNSIZED;
    if (!s->size && lo < t->n && t->s[lo].start < end)
        end = t->s[lo].start;
    if (pc >= end)
        return false;
    if (pc == s->start)
        snprintf(buf, len, "%s", s->name);
    else
        snprintf(buf, len, "%s+0x%" PRIx64, s->name, pc - s->start);
    return true;
}
