/* The guest ELF loader: validates a program with libelf and maps its
 * PT_LOAD segments at their guest addresses; a dynamic program names its
 * interpreter (PT_INTERP), which is loaded the same way at a base of its own.
 *
 *   lu_image img, ld; char err[256];
 *   int st = lu_elf_load("/bin/prog", 0, &img, err, sizeof err);
 *   if (st) { fprintf(stderr, "ferry: /bin/prog: %s\n", err); exit(st); }
 *   if (img.interp[0]) st = lu_elf_load_interp(host_path, EM_RISCV, &ld, ...);
 */
#ifndef FERRY_ELFLOAD_H
#define FERRY_ELFLOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "linux-user/guest_abi.h"

/* Where an ET_DYN program (PIE, static-pie) is placed, and where its
 * interpreter goes: below the program and well below the stack. */
#define LU_PIE_BASE 0x4000000000ull
#define LU_INTERP_BASE 0x3f00000000ull

typedef struct lu_image {
    const guest_abi *abi;
    uint64_t entry;     /* with the bias applied */
    uint64_t phdr;      /* guest address of the program headers, or 0 */
    uint64_t phnum, phent;
    uint64_t bias;      /* load bias: 0 for ET_EXEC */
    uint64_t start;     /* lowest mapped address */
    uint64_t brk;       /* end of the highest segment, page-aligned */
    char interp[256];   /* PT_INTERP's path, "" for a static program */
    unsigned n_exec;    /* the executable (PF_X) segments, page-rounded */
    uint64_t exec_start[8], exec_end[8];
} lu_image;

/* Exit statuses of the loader, as ferry exits with them. */
enum { LU_EXIT_INTERNAL = 125, LU_EXIT_CANNOT_RUN = 126, LU_EXIT_NOT_FOUND = 127 };

/* Check a program without mapping it: fills img->abi.  machine 0 accepts
 * any ELF machine we have an ABI for; else the program must be that one.
 * Returns 0, or an exit status with a one-line reason in err. */
int lu_elf_check(const char *path, uint16_t machine, lu_image *img,
                 char *err, size_t errlen);
/* Check and map it. */
int lu_elf_load(const char *path, uint16_t machine, lu_image *img,
                char *err, size_t errlen);
/* The same from a descriptor open for reading, which it closes; -1: open
 * path.  binfmt_misc's O flag passes one (AT_EXECFD): the program may be
 * executable but not readable by its user. */
int lu_elf_load_fd(int fd, const char *path, uint16_t machine, lu_image *img,
                   char *err, size_t errlen);
/* Map a program's interpreter (ld.so): at LU_INTERP_BASE when it is
 * ET_DYN; it must be for machine and have no interpreter of its own. */
int lu_elf_load_interp(const char *path, uint16_t machine, lu_image *img,
                       char *err, size_t errlen);

/* The function symbols (STT_FUNC, STT_GNU_IFUNC) of the ELF file open at
 * fd, .symtab's, else .dynsym's: fn(arg, name, address, size, ifunc) for
 * each, its address st_value + bias.  lu_elf_mapped_functions: those of
 * the file mapped at [start, end) from file offset off, inside that range
 * (the PT_LOAD holding off gives the bias).  False when there were none.
 * Neither moves fd's file offset. */
typedef void lu_func_fn(void *arg, const char *name, uint64_t addr, uint64_t size, bool ifunc);
bool lu_elf_functions(int fd, uint64_t bias, lu_func_fn *fn, void *arg);
bool lu_elf_mapped_functions(int fd, uint64_t off, uint64_t start, uint64_t end,
                             lu_func_fn *fn, void *arg);

/* The function symbols of guest ELF files (.symtab, else .dynsym), to name
 * guest code (--perfmap):
 *
 *   lu_symtab *t = lu_symtab_new();
 *   lu_symtab_add(t, "/bin/prog", img.bias);      // false: none there
 *   lu_symtab_name(t, pc, buf, sizeof buf);       // "main+0x1c"
 *
 * lu_symtab_name has engine_opts.symbol's shape; false when no symbol
 * holds pc.  Not to be called while another thread adds. */
typedef struct lu_symtab lu_symtab;
lu_symtab *lu_symtab_new(void);
bool lu_symtab_add(lu_symtab *t, const char *path, uint64_t bias);
bool lu_symtab_name(void *symtab, uint64_t pc, char *buf, size_t len);

#endif
