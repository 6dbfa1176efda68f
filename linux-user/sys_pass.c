/* The handlers of the SYSP rows of syscall_table.def: calls whose
 * arguments mean the same to the host kernel as to the guest's (same
 * struct layouts, same flag values), so each passes its six argument
 * registers unchanged to the host call of the same name.  The kernel
 * ignores the arguments a call does not take.
 */
#include <sys/syscall.h>
#include <unistd.h>

#include "linux-user/lu.h"

#define SYS(nr, name, kinds, flags)
#define SYSP(nr, name, kinds, flags)                                      \
    int64_t sys_##name(lu_thread *t, const uint64_t a[6])                 \
    {                                                                     \
        (void)t;                                                          \
        return lu_ret(syscall(SYS_##name, a[0], a[1], a[2], a[3], a[4], a[5])); \
    }
#include "linux-user/syscall_table.def"
#undef SYSP
#undef SYS
