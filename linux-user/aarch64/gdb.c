/* aarch64's registers for gdb: x0..x30, sp, pc, cpsr (the flags from
 * their saved form), v0..v31, fpsr, fpcr, as gdb's org.gnu.gdb.aarch64
 * features number them. */
#include <stddef.h>

#include "frontend/aarch64/a64_cpu.h"
#include "linux-user/gdb_regs.h"
#include "linux-user/lu.h"
#include "linux-user/aarch64/a64_abi.h"

#define A64_CORE "org.gnu.gdb.aarch64.core"
#define A64_FPU "org.gnu.gdb.aarch64.fpu"
static const gdb_regs a64_regs[] = {
    { A64_CORE, 0, 31, "x0 x1 x2 x3 x4 x5 x6 x7 x8 x9 x10 x11 x12 x13 x14 x15 x16 x17 x18 "
      "x19 x20 x21 x22 x23 x24 x25 x26 x27 x28 x29 x30", 64, "int", GDB_REG_CPU,
      offsetof(a64_cpu, x) },
    { A64_CORE, 31, 1, "sp", 64, "data_ptr", GDB_REG_CPU, offsetof(a64_cpu, x) + 8 * 31 },
    { A64_CORE, 32, 1, "pc", 64, "code_ptr", GDB_REG_CPU, offsetof(a64_cpu, pc) },
    { A64_CORE, 33, 1, "cpsr", 32, "int", GDB_REG_NZCV, offsetof(a64_cpu, flags) },
    { A64_FPU, 34, 32, "v0 v1 v2 v3 v4 v5 v6 v7 v8 v9 v10 v11 v12 v13 v14 v15 v16 v17 v18 "
      "v19 v20 v21 v22 v23 v24 v25 v26 v27 v28 v29 v30 v31", 128, "aarch64v", GDB_REG_CPU,
      offsetof(a64_cpu, v) },
    { A64_FPU, 66, 1, "fpsr", 32, "int", GDB_REG_FPSTATUS, 0, 0, 32 },
    { A64_FPU, 67, 1, "fpcr", 32, "int", GDB_REG_FPSTATUS, 1, 0, 32 },
};

static const char a64_fpu_types[] =
    "<vector id=\"v2d\" type=\"ieee_double\" count=\"2\"/>"
    "<vector id=\"v2u\" type=\"uint64\" count=\"2\"/>"
    "<vector id=\"v2i\" type=\"int64\" count=\"2\"/>"
    "<vector id=\"v4f\" type=\"ieee_single\" count=\"4\"/>"
    "<vector id=\"v4u\" type=\"uint32\" count=\"4\"/>"
    "<vector id=\"v4i\" type=\"int32\" count=\"4\"/>"
    "<vector id=\"v8u\" type=\"uint16\" count=\"8\"/>"
    "<vector id=\"v8i\" type=\"int16\" count=\"8\"/>"
    "<vector id=\"v16u\" type=\"uint8\" count=\"16\"/>"
    "<vector id=\"v16i\" type=\"int8\" count=\"16\"/>"
    "<vector id=\"v1u\" type=\"uint128\" count=\"1\"/>"
    "<vector id=\"v1i\" type=\"int128\" count=\"1\"/>"
    "<union id=\"vnd\"><field name=\"f\" type=\"v2d\"/><field name=\"u\" type=\"v2u\"/>"
    "<field name=\"s\" type=\"v2i\"/></union>"
    "<union id=\"vns\"><field name=\"f\" type=\"v4f\"/><field name=\"u\" type=\"v4u\"/>"
    "<field name=\"s\" type=\"v4i\"/></union>"
    "<union id=\"vnh\"><field name=\"u\" type=\"v8u\"/><field name=\"s\" type=\"v8i\"/></union>"
    "<union id=\"vnb\"><field name=\"u\" type=\"v16u\"/><field name=\"s\" type=\"v16i\"/></union>"
    "<union id=\"vnq\"><field name=\"u\" type=\"v1u\"/><field name=\"s\" type=\"v1i\"/></union>"
    "<union id=\"aarch64v\"><field name=\"d\" type=\"vnd\"/><field name=\"s\" type=\"vns\"/>"
    "<field name=\"h\" type=\"vnh\"/><field name=\"b\" type=\"vnb\"/>"
    "<field name=\"q\" type=\"vnq\"/></union>";

const gdb_arch a64_gdb = {
    "aarch64", a64_regs, sizeof a64_regs / sizeof a64_regs[0], { A64_FPU, a64_fpu_types },
};
