/* The ELF loader's verdicts on hand-made files (each bad input gets its
 * exit status and its one line of text) and what a good file looks like
 * in memory once loaded; plus the initial stack's layout.  Never runs
 * guest code.
 */
#include <criterion/criterion.h>
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "linux-user/lu.h"

#define VADDR 0x2000000000ull /* far from anything the host put there */

/* A tiny riscv64 program: one text segment with 16 bytes of code, one data
 * segment with 8 bytes of file data and 0x2000 bytes of bss. */
typedef struct img_file {
    Elf64_Ehdr eh;
    Elf64_Phdr ph[3];
    uint8_t text[16];
    uint8_t pad[0x1000 - sizeof(Elf64_Ehdr) - 3 * sizeof(Elf64_Phdr) - 16];
    uint64_t data;
} img_file;

static void good_file(img_file *f)
{
    memset(f, 0, sizeof *f);
    memcpy(f->eh.e_ident, ELFMAG, SELFMAG);
    f->eh.e_ident[EI_CLASS] = ELFCLASS64;
    f->eh.e_ident[EI_DATA] = ELFDATA2LSB;
    f->eh.e_ident[EI_VERSION] = EV_CURRENT;
    f->eh.e_type = ET_EXEC;
    f->eh.e_machine = EM_RISCV;
    f->eh.e_version = EV_CURRENT;
    f->eh.e_entry = VADDR + offsetof(img_file, text);
    f->eh.e_phoff = offsetof(img_file, ph);
    f->eh.e_ehsize = sizeof(Elf64_Ehdr);
    f->eh.e_phentsize = sizeof(Elf64_Phdr);
    f->eh.e_phnum = 2;
    f->ph[0] = (Elf64_Phdr){ .p_type = PT_LOAD, .p_flags = PF_R | PF_X, .p_offset = 0,
                             .p_vaddr = VADDR, .p_filesz = offsetof(img_file, pad),
                             .p_memsz = offsetof(img_file, pad), .p_align = 0x1000 };
    f->ph[1] = (Elf64_Phdr){ .p_type = PT_LOAD, .p_flags = PF_R | PF_W,
                             .p_offset = offsetof(img_file, data),
                             .p_vaddr = VADDR + 0x10000 + offsetof(img_file, data),
                             .p_filesz = 8, .p_memsz = 0x2008, .p_align = 0x1000 };
    memset(f->text, 0x13, sizeof f->text);
    f->data = 0x1122334455667788ull;
}

static char *write_file(const void *data, size_t len)
{
    char *path = strdup("/tmp/test_lu_elf.XXXXXX");
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    cr_assert_eq(write(fd, data, len), (ssize_t)len);
    close(fd);
    return path;
}

static int check(const img_file *f, size_t len, char *err, size_t errlen)
{
    char *path = write_file(f, len);
    lu_image img;
    int st = lu_elf_check(path, 0, &img, err, errlen);
    unlink(path);
    free(path);
    return st;
}

static void wrong_class(img_file *f) { f->eh.e_ident[EI_CLASS] = ELFCLASS32; }
static void big_endian(img_file *f) { f->eh.e_ident[EI_DATA] = ELFDATA2MSB; }
static void i386_machine(img_file *f) { f->eh.e_machine = EM_386; }
static void ppc64_machine(img_file *f) { f->eh.e_machine = EM_PPC64; }
static void relocatable(img_file *f) { f->eh.e_type = ET_REL; }
static void offset_past_eof(img_file *f) { f->ph[1].p_offset = 0x100000; }
static void filesz_past_eof(img_file *f) { f->ph[1].p_filesz = 0x100000; f->ph[1].p_memsz = 0x100000; }
static void filesz_gt_memsz(img_file *f) { f->ph[1].p_memsz = 4; }
static void not_congruent(img_file *f) { f->ph[1].p_vaddr += 8; }
static void out_of_range(img_file *f) { f->ph[1].p_vaddr = 0xffffffffffff0000ull + 0x1000; }
static void no_load(img_file *f) { f->ph[0].p_type = PT_NOTE; f->ph[1].p_type = PT_NOTE; }
static void interp(img_file *f)
{
    f->eh.e_phnum = 3;
    f->ph[2] = (Elf64_Phdr){ .p_type = PT_INTERP, .p_offset = offsetof(img_file, text),
                             .p_filesz = 8 };
    memcpy(f->text, "/lib/ld\0", 8);
}
/* The path must end in its NUL inside the segment. */
static void interp_unterminated(img_file *f)
{
    interp(f);
    f->ph[2].p_filesz = 7;
}

typedef struct bad_case {
    const char *what;
    void (*mutate)(img_file *f);
    size_t len; /* 0: the whole file */
    int status;
    const char *text;
} bad_case;

static const bad_case bad_cases[] = {
    { "wrong class", wrong_class, 0, 126, "not a 64-bit ELF file" },
    { "big endian", big_endian, 0, 126, "not a little-endian ELF file" },
    { "i386", i386_machine, 0, 126, "i386 programs are not supported" },
    { "ppc64", ppc64_machine, 0, 126, "ppc64 programs are not supported" },
    { "ET_REL", relocatable, 0, 126, "not an executable" },
    { "offset past EOF", offset_past_eof, 0, 126, "past the end of the file" },
    { "filesz past EOF", filesz_past_eof, 0, 126, "past the end of the file" },
    { "filesz > memsz", filesz_gt_memsz, 0, 126, "file size larger than memory size" },
    { "not congruent", not_congruent, 0, 126, "not congruent" },
    { "out of range", out_of_range, 0, 126, "out of range" },
    { "no PT_LOAD", no_load, 0, 126, "no loadable segments" },
    { "PT_INTERP without NUL", interp_unterminated, 0, 126, "bad PT_INTERP segment" },
    { "truncated header", NULL, 40, 126, "truncated ELF file" },
    { "truncated phdrs", NULL, 100, 126, "truncated ELF file" },
    { "not an ELF", NULL, 3, 126, "not an ELF file" },
};

Test(lu_elf, bad_inputs)
{
    for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
        const bad_case *c = &bad_cases[i];
        img_file f;
        good_file(&f);
        if (c->mutate)
            c->mutate(&f);
        if (c->len == 3)
            memcpy(&f, "#!/", 3);
        char err[256] = "";
        int st = check(&f, c->len ? c->len : sizeof f, err, sizeof err);
        cr_expect_eq(st, c->status, "%s: status %d (%s)", c->what, st, err);
        cr_expect(strstr(err, c->text), "%s: \"%s\" lacks \"%s\"", c->what, err, c->text);
    }
}

Test(lu_elf, missing_file_is_127)
{
    lu_image img;
    char err[256];
    cr_assert_eq(lu_elf_check("/nonexistent/prog", 0, &img, err, sizeof err), 127);
    cr_assert_str_eq(err, "No such file or directory");
    cr_assert_eq(lu_elf_check("/", 0, &img, err, sizeof err), 126);
}

Test(lu_elf, forced_machine_mismatch)
{
    img_file f;
    good_file(&f);
    char *path = write_file(&f, sizeof f);
    lu_image img;
    char err[256];
    cr_assert_eq(lu_elf_check(path, EM_AARCH64, &img, err, sizeof err), 126);
    cr_assert_str_eq(err, "is for riscv64, not aarch64");
    unlink(path);
}

Test(lu_elf, loads_exec_with_bss)
{
    img_file f;
    good_file(&f);
    char *path = write_file(&f, sizeof f);
    lu_image img;
    char err[256] = "";
    cr_assert_eq(lu_elf_load(path, 0, &img, err, sizeof err), 0, "%s", err);
    unlink(path);
    cr_assert_eq(img.abi, &guest_abi_riscv64);
    cr_assert_eq(img.bias, 0);
    cr_assert_eq(img.entry, VADDR + offsetof(img_file, text));
    cr_assert_eq(img.phdr, VADDR + offsetof(img_file, ph));
    cr_assert_eq(img.phnum, 2);
    cr_assert_eq(img.phent, sizeof(Elf64_Phdr));
    uint64_t data = VADDR + 0x10000 + offsetof(img_file, data);
    cr_assert_eq(img.brk, LU_PAGE_UP(data + 0x2008));
    cr_assert_eq(memcmp(G2H(VADDR), &f, offsetof(img_file, pad)), 0);
    cr_assert_eq(*(uint64_t *)G2H(data), f.data);
    for (uint64_t a = data + 8; a < data + 0x2008; a++) /* the bss reads 0 */
        cr_assert_eq(*(uint8_t *)G2H(a), 0, "bss byte at 0x%llx", (unsigned long long)a);
    *(uint64_t *)G2H(data + 0x2000) = 1; /* and is writable */
    /* the hole between the segments is left unmapped, as the kernel does */
    cr_assert_eq(msync(G2H(VADDR + 0x8000), LU_PAGE, MS_ASYNC), -1);
    cr_assert_eq(errno, ENOMEM);
}

Test(lu_elf, static_pie_goes_to_pie_base)
{
    img_file f;
    good_file(&f);
    f.eh.e_type = ET_DYN;
    f.eh.e_entry -= VADDR;
    f.ph[0].p_vaddr -= VADDR;
    f.ph[1].p_vaddr -= VADDR;
    char *path = write_file(&f, sizeof f);
    lu_image img;
    char err[256] = "";
    cr_assert_eq(lu_elf_load(path, 0, &img, err, sizeof err), 0, "%s", err);
    unlink(path);
    cr_assert_eq(img.bias, LU_PIE_BASE);
    cr_assert_eq(img.entry, LU_PIE_BASE + offsetof(img_file, text));
    cr_assert_eq(*(uint64_t *)G2H(LU_PIE_BASE + 0x10000 + offsetof(img_file, data)), f.data);
}

/* A dynamic program is accepted; its interpreter's path is recorded. */
Test(lu_elf, records_interp)
{
    img_file f;
    good_file(&f);
    interp(&f);
    char *path = write_file(&f, sizeof f);
    lu_image img;
    char err[256] = "";
    cr_assert_eq(lu_elf_check(path, 0, &img, err, sizeof err), 0, "%s", err);
    cr_assert_str_eq(img.interp, "/lib/ld");
    unlink(path);
    free(path);
}

Test(lu_elf, refuses_to_map_over_ferry)
{
    static char ours[1 << 16]; /* Ferry's own memory */
    img_file f;
    good_file(&f);
    uint64_t at = LU_PAGE_UP((uintptr_t)ours);
    f.eh.e_entry = at;
    f.ph[0].p_vaddr = at;
    f.eh.e_phnum = 1;
    char *path = write_file(&f, sizeof f);
    lu_image img;
    char err[256] = "";
    cr_assert_eq(lu_elf_load(path, 0, &img, err, sizeof err), 126);
    cr_assert(strstr(err, "in use"), "%s", err);
    unlink(path);
}

/* The stack as the kernel lays it out. */
Test(lu_stack, layout)
{
    lu_proc p;
    lu_proc_init(&p, &guest_abi_riscv64);
    p.img = (lu_image){ .entry = 0x10078, .phdr = 0x10040, .phnum = 7, .phent = 56 };
    p.prog = "/bin/prog";
    char *argv[] = { "prog", "one", "", NULL };
    char *envp[] = { "A=1", "LONG=xxxxxxxxxxxxxxxxxxxx", NULL };
    uint64_t sp = lu_stack_setup(&p, argv, envp);
    cr_assert_neq(sp, 0);
    cr_assert_eq(sp % 16, 0);
    cr_assert(sp > LU_STACK_TOP - LU_STACK_SIZE && sp < LU_STACK_TOP);
    uint64_t *w = G2H(sp);
    cr_assert_eq(w[0], 3);
    for (int i = 0; i < 3; i++)
        cr_assert_str_eq((char *)G2H(w[1 + i]), argv[i]);
    cr_assert_eq(w[4], 0);
    cr_assert_str_eq((char *)G2H(w[5]), "A=1");
    cr_assert_str_eq((char *)G2H(w[6]), envp[1]);
    cr_assert_eq(w[7], 0);
    uint64_t want[][2] = {
        { AT_PHDR, 0x10040 }, { AT_PHENT, 56 }, { AT_PHNUM, 7 }, { AT_PAGESZ, 4096 },
        { AT_BASE, 0 }, { AT_ENTRY, 0x10078 }, { AT_UID, getuid() }, { AT_EGID, getegid() },
        { AT_SECURE, 0 }, { AT_HWCAP, guest_abi_riscv64.hwcap() },
    };
    uint64_t *aux = &w[8], random = 0, execfn = 0;
    size_t n = 0, found = 0;
    for (; aux[2 * n] != AT_NULL; n++) {
        for (size_t k = 0; k < sizeof want / sizeof want[0]; k++)
            if (aux[2 * n] == want[k][0]) {
                cr_expect_eq(aux[2 * n + 1], want[k][1], "auxv %llu",
                             (unsigned long long)want[k][0]);
                found++;
            }
        if (aux[2 * n] == AT_RANDOM)
            random = aux[2 * n + 1];
        if (aux[2 * n] == AT_EXECFN)
            execfn = aux[2 * n + 1];
        cr_assert(n < 64);
    }
    cr_assert_eq(found, sizeof want / sizeof want[0]);
    cr_assert_str_eq((char *)G2H(execfn), "/bin/prog");
    /* AT_RANDOM: 16 bytes inside the stack, above the tables */
    cr_assert(random > (uint64_t)(uintptr_t)&aux[2 * n + 1]);
    cr_assert(random + 16 <= LU_STACK_TOP);
    uint8_t zero[16] = { 0 };
    cr_assert_neq(memcmp(G2H(random), zero, 16), 0);
    /* I M A F D C */
    cr_assert_eq(guest_abi_riscv64.hwcap(), (1 << 8) | (1 << 12) | (1 << 0) | (1 << 5) |
                                          (1 << 3) | (1 << 2));
}

Test(lu_stack, env_edit)
{
    char *env[] = { "A=1", "B=2", "C=3", NULL };
    char *set[] = { "B=two", "D=4", NULL };
    char *unset[] = { "A", NULL };
    char **out = lu_env_edit(env, set, unset);
    const char *want[] = { "C=3", "B=two", "D=4" };
    for (int i = 0; i < 3; i++)
        cr_assert_str_eq(out[i], want[i]);
    cr_assert_null(out[3]);
}
