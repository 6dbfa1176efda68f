/* riscv64's registers for gdb: x0..x31, pc, f0..f31, fflags/frm/fcsr, as
 * gdb's org.gnu.gdb.riscv features number them. */
#include <stddef.h>

#include "frontend/riscv64/rv_cpu.h"
#include "linux-user/gdb_regs.h"
#include "linux-user/lu.h"
#include "linux-user/riscv64/rv_abi.h"

#define RV_CPU "org.gnu.gdb.riscv.cpu"
#define RV_FPU "org.gnu.gdb.riscv.fpu"
/* fflags, frm, fcsr are 65 + their CSR numbers (1, 2, 3), as gdb has them */
static const gdb_regs rv_regs[] = {
    { RV_CPU, 0, 1, "zero", 64, "int", GDB_REG_ZERO },
    { RV_CPU, 1, 31, "ra sp gp tp t0 t1 t2 fp s1 a0 a1 a2 a3 a4 a5 a6 a7 s2 s3 s4 s5 s6 s7 "
      "s8 s9 s10 s11 t3 t4 t5 t6", 64, "int", GDB_REG_CPU, offsetof(rv_cpu, x) + 8 },
    { RV_CPU, 32, 1, "pc", 64, "code_ptr", GDB_REG_CPU, offsetof(rv_cpu, pc) },
    { RV_FPU, 33, 32, "ft0 ft1 ft2 ft3 ft4 ft5 ft6 ft7 fs0 fs1 fa0 fa1 fa2 fa3 fa4 fa5 fa6 "
      "fa7 fs2 fs3 fs4 fs5 fs6 fs7 fs8 fs9 fs10 fs11 ft8 ft9 ft10 ft11", 64, "riscv_double",
      GDB_REG_CPU, offsetof(rv_cpu, f) },
    { RV_FPU, 66, 1, "fflags", 32, "int", GDB_REG_FPSTATUS, 0, 0, 5 },
    { RV_FPU, 67, 1, "frm", 32, "int", GDB_REG_FPSTATUS, 0, 5, 3 },
    { RV_FPU, 68, 1, "fcsr", 32, "int", GDB_REG_FPSTATUS, 0, 0, 8 },
};

const gdb_arch rv_gdb = {
    "riscv:rv64", rv_regs, sizeof rv_regs / sizeof rv_regs[0],
    { RV_FPU, "<union id=\"riscv_double\"><field name=\"float\" type=\"ieee_single\"/>"
              "<field name=\"double\" type=\"ieee_double\"/></union>" },
};
