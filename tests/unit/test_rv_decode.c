/* The riscv64 decoder and disassembler against the GNU assembler: every
 * word below was produced by riscv64-linux-gnu-as from the instruction in
 * its text (linked at 0x10000), and the text is what
 * riscv64-linux-gnu-objdump -d -M no-aliases printed for it, with ", "
 * between operands and 0x before branch targets.  The field table checks
 * how each compressed form expands to its 32-bit twin (RISC-V ISA manual,
 * "C" chapter). */
#include <criterion/criterion.h>
#include <string.h>
#include <sys/mman.h>

#include "frontend/frontend.h"
#include "frontend/riscv64/rv_formats.h"

#define BASE 0x10000ull
#define SPAN 0x2000ull

/* Guest memory is host memory: put the word where the assembler had it. */
static void place(uint64_t pc, uint32_t word)
{
    static char *map;
    if (!map) {
        map = mmap((void *)BASE, SPAN, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
        cr_assert(map == (char *)BASE, "cannot map the test page at 0x10000");
    }
    cr_assert(pc >= BASE && pc + 4 <= BASE + SPAN);
    memcpy((void *)pc, &word, 4);
}

static const struct { uint64_t pc; uint32_t word; const char *text; } disas_rows[] = {
    {0x10000, 0x12345537, "lui a0, 0x12345"},
    {0x10004, 0xfffff337, "lui t1, 0xfffff"},
    {0x10008, 0x00010597, "auipc a1, 0x10"},
    {0x1000c, 0x001000ef, "jal ra, 0x1080c"},
    {0x10010, 0xffdff06f, "jal zero, 0x1000c"},
    {0x10014, 0x000780e7, "jalr ra, 0(a5)"},
    {0x10018, 0x01008067, "jalr zero, 16(ra)"},
    {0x1001c, 0x00b50863, "beq a0, a1, 0x1002c"},
    {0x10020, 0xfe941ce3, "bne s0, s1, 0x10018"},
    {0x10024, 0x7ed64fe3, "blt a2, a3, 0x11022"},
    {0x10028, 0x8062d063, "bge t0, t1, 0xf028"},
    {0x1002c, 0x02f76063, "bltu a4, a5, 0x1004c"},
    {0x10030, 0x05397063, "bgeu s2, s3, 0x10070"},
    {0x10034, 0xfff10503, "lb a0, -1(sp)"},
    {0x10038, 0x00251583, "lh a1, 2(a0)"},
    {0x1003c, 0x80042603, "lw a2, -2048(s0)"},
    {0x10040, 0x7ff4b683, "ld a3, 2047(s1)"},
    {0x10044, 0x0002c703, "lbu a4, 0(t0)"},
    {0x10048, 0x00635783, "lhu a5, 6(t1)"},
    {0x1004c, 0x00c3e803, "lwu a6, 12(t2)"},
    {0x10050, 0xfea10fa3, "sb a0, -1(sp)"},
    {0x10054, 0x00b51123, "sh a1, 2(a0)"},
    {0x10058, 0x80c42023, "sw a2, -2048(s0)"},
    {0x1005c, 0x7ed4bc23, "sd a3, 2040(s1)"},
    {0x10060, 0x00150513, "addi a0, a0, 1"},
    {0x10064, 0x80010113, "addi sp, sp, -2048"},
    {0x10068, 0xffb62593, "slti a1, a2, -5"},
    {0x1006c, 0x00763593, "sltiu a1, a2, 7"},
    {0x10070, 0xfff74693, "xori a3, a4, -1"},
    {0x10074, 0x0ff86793, "ori a5, a6, 255"},
    {0x10078, 0x00f97893, "andi a7, s2, 15"},
    {0x1007c, 0x03f51513, "slli a0, a0, 0x3f"},
    {0x10080, 0x0205d593, "srli a1, a1, 0x20"},
    {0x10084, 0x40165613, "srai a2, a2, 0x1"},
    {0x10088, 0x00c58533, "add a0, a1, a2"},
    {0x1008c, 0x40f706b3, "sub a3, a4, a5"},
    {0x10090, 0x01249433, "sll s0, s1, s2"},
    {0x10094, 0x007322b3, "slt t0, t1, t2"},
    {0x10098, 0x01eebe33, "sltu t3, t4, t5"},
    {0x1009c, 0x015a49b3, "xor s3, s4, s5"},
    {0x100a0, 0x018bdb33, "srl s6, s7, s8"},
    {0x100a4, 0x41bd5cb3, "sra s9, s10, s11"},
    {0x100a8, 0x00b06533, "or a0, zero, a1"},
    {0x100ac, 0x003170b3, "and ra, sp, gp"},
    {0x100b0, 0xfff5851b, "addiw a0, a1, -1"},
    {0x100b4, 0x01f6961b, "slliw a2, a3, 0x1f"},
    {0x100b8, 0x0057d71b, "srliw a4, a5, 0x5"},
    {0x100bc, 0x4118d81b, "sraiw a6, a7, 0x11"},
    {0x100c0, 0x00c5853b, "addw a0, a1, a2"},
    {0x100c4, 0x40f706bb, "subw a3, a4, a5"},
    {0x100c8, 0x007312bb, "sllw t0, t1, t2"},
    {0x100cc, 0x0124d43b, "srlw s0, s1, s2"},
    {0x100d0, 0x41eede3b, "sraw t3, t4, t5"},
    {0x100d4, 0x0ff0000f, "fence iorw, iorw"},
    {0x100d8, 0x0230000f, "fence r, rw"},
    {0x100dc, 0x8330000f, "fence.tso"},
    {0x100e0, 0x0000100f, "fence.i"},
    {0x100e4, 0x00000073, "ecall"},
    {0x100e8, 0x00100073, "ebreak"},
    {0x100ec, 0x00359573, "csrrw a0, fcsr, a1"},
    {0x100f0, 0x00102573, "csrrs a0, fflags, zero"},
    {0x100f4, 0x00263073, "csrrc zero, frm, a2"},
    {0x100f8, 0x0012d6f3, "csrrwi a3, fflags, 5"},
    {0x100fc, 0x0020e773, "csrrsi a4, frm, 1"},
    {0x10100, 0x003ff7f3, "csrrci a5, fcsr, 31"},
    {0x10104, 0xc0002573, "csrrs a0, cycle, zero"},
    {0x10108, 0xc0102573, "csrrs a0, time, zero"},
    {0x1010c, 0xc0202573, "csrrs a0, instret, zero"},
    {0x10110, 0x7c059573, "csrrw a0, 0x7c0, a1"},
    {0x10114, 0x02c58533, "mul a0, a1, a2"},
    {0x10118, 0x02c59533, "mulh a0, a1, a2"},
    {0x1011c, 0x02c5a533, "mulhsu a0, a1, a2"},
    {0x10120, 0x02c5b533, "mulhu a0, a1, a2"},
    {0x10124, 0x02c5c533, "div a0, a1, a2"},
    {0x10128, 0x02c5d533, "divu a0, a1, a2"},
    {0x1012c, 0x02c5e533, "rem a0, a1, a2"},
    {0x10130, 0x02c5f533, "remu a0, a1, a2"},
    {0x10134, 0x02c5853b, "mulw a0, a1, a2"},
    {0x10138, 0x02c5c53b, "divw a0, a1, a2"},
    {0x1013c, 0x02c5d53b, "divuw a0, a1, a2"},
    {0x10140, 0x02c5e53b, "remw a0, a1, a2"},
    {0x10144, 0x02c5f53b, "remuw a0, a1, a2"},
    {0x10148, 0x1005a52f, "lr.w a0, (a1)"},
    {0x1014c, 0x1405b52f, "lr.d.aq a0, (a1)"},
    {0x10150, 0x18d7262f, "sc.w a2, a3, (a4)"},
    {0x10154, 0x1ad7362f, "sc.d.rl a2, a3, (a4)"},
    {0x10158, 0x08b6252f, "amoswap.w a0, a1, (a2)"},
    {0x1015c, 0x06b6252f, "amoadd.w.aqrl a0, a1, (a2)"},
    {0x10160, 0x20b6252f, "amoxor.w a0, a1, (a2)"},
    {0x10164, 0x60b6252f, "amoand.w a0, a1, (a2)"},
    {0x10168, 0x40b6252f, "amoor.w a0, a1, (a2)"},
    {0x1016c, 0x80b6252f, "amomin.w a0, a1, (a2)"},
    {0x10170, 0xa0b6252f, "amomax.w a0, a1, (a2)"},
    {0x10174, 0xc0b6252f, "amominu.w a0, a1, (a2)"},
    {0x10178, 0xe0b6252f, "amomaxu.w a0, a1, (a2)"},
    {0x1017c, 0x0cb6352f, "amoswap.d.aq a0, a1, (a2)"},
    {0x10180, 0x00b6352f, "amoadd.d a0, a1, (a2)"},
    {0x10184, 0x20b6352f, "amoxor.d a0, a1, (a2)"},
    {0x10188, 0x60b6352f, "amoand.d a0, a1, (a2)"},
    {0x1018c, 0x40b6352f, "amoor.d a0, a1, (a2)"},
    {0x10190, 0x80b6352f, "amomin.d a0, a1, (a2)"},
    {0x10194, 0xa0b6352f, "amomax.d a0, a1, (a2)"},
    {0x10198, 0xc0b6352f, "amominu.d a0, a1, (a2)"},
    {0x1019c, 0xe2b6352f, "amomaxu.d.rl a0, a1, (a2)"},
    {0x101a0, 0x00412507, "flw fa0, 4(sp)"},
    {0x101a4, 0xff853407, "fld fs0, -8(a0)"},
    {0x101a8, 0x0005a627, "fsw ft0, 12(a1)"},
    {0x101ac, 0x7fb13c27, "fsd fs11, 2040(sp)"},
    {0x101b0, 0xe0050553, "fmv.x.w a0, fa0"},
    {0x101b4, 0xf00585d3, "fmv.w.x fa1, a1"},
    {0x101b8, 0xe20f8653, "fmv.x.d a2, ft11"},
    {0x101bc, 0xf20689d3, "fmv.d.x fs3, a3"},
    {0x101c0, 0x20c58553, "fsgnj.s fa0, fa1, fa2"},
    {0x101c4, 0x20c59553, "fsgnjn.s fa0, fa1, fa2"},
    {0x101c8, 0x20c5a553, "fsgnjx.s fa0, fa1, fa2"},
    {0x101cc, 0x22c58553, "fsgnj.d fa0, fa1, fa2"},
    {0x101d0, 0x22c59553, "fsgnjn.d fa0, fa1, fa2"},
    {0x101d4, 0x22c5a553, "fsgnjx.d fa0, fa1, fa2"},
    {0x101d8, 0x0808, "c.addi4spn a0, sp, 16"},
    {0x101da, 0x1fe4, "c.addi4spn s1, sp, 1020"},
    {0x101dc, 0x2588, "c.fld fa0, 8(a1)"},
    {0x101de, 0x42d0, "c.lw a2, 4(a3)"},
    {0x101e0, 0x5fe0, "c.lw s0, 124(a5)"},
    {0x101e2, 0x7ff8, "c.ld a4, 248(a5)"},
    {0x101e4, 0xa880, "c.fsd fs0, 16(s1)"},
    {0x101e6, 0xc1a8, "c.sw a0, 64(a1)"},
    {0x101e8, 0xe690, "c.sd a2, 8(a3)"},
    {0x101ea, 0x0001, "c.nop"},
    {0x101ec, 0x1501, "c.addi a0, -32"},
    {0x101ee, 0x02fd, "c.addi t0, 31"},
    {0x101f0, 0x35fd, "c.addiw a1, -1"},
    {0x101f2, 0x4615, "c.li a2, 5"},
    {0x101f4, 0x5081, "c.li ra, -32"},
    {0x101f6, 0x7101, "c.addi16sp sp, -512"},
    {0x101f8, 0x617d, "c.addi16sp sp, 496"},
    {0x101fa, 0x66fd, "c.lui a3, 0x1f"},
    {0x101fc, 0x7681, "c.lui a3, 0xfffe0"},
    {0x101fe, 0x8305, "c.srli a4, 0x1"},
    {0x10200, 0x937d, "c.srli a4, 0x3f"},
    {0x10202, 0x878d, "c.srai a5, 0x3"},
    {0x10204, 0x987d, "c.andi s0, -1"},
    {0x10206, 0x8d0d, "c.sub a0, a1"},
    {0x10208, 0x8e35, "c.xor a2, a3"},
    {0x1020a, 0x8c45, "c.or s0, s1"},
    {0x1020c, 0x8f7d, "c.and a4, a5"},
    {0x1020e, 0x9d0d, "c.subw a0, a1"},
    {0x10210, 0x9e35, "c.addw a2, a3"},
    {0x10212, 0xaffd, "c.j 0x10a10"},
    {0x10214, 0xb001, "c.j 0xfa14"},
    {0x10216, 0xcd7d, "c.beqz a0, 0x10314"},
    {0x10218, 0xf081, "c.bnez s1, 0x10118"},
    {0x1021a, 0x137e, "c.slli t1, 0x3f"},
    {0x1021c, 0x30fe, "c.fldsp ft1, 504(sp)"},
    {0x1021e, 0x53fe, "c.lwsp t2, 252(sp)"},
    {0x10220, 0x60a2, "c.ldsp ra, 8(sp)"},
    {0x10222, 0x8082, "c.jr ra"},
    {0x10224, 0x852e, "c.mv a0, a1"},
    {0x10226, 0x9002, "c.ebreak"},
    {0x10228, 0x9782, "c.jalr a5"},
    {0x1022a, 0x994e, "c.add s2, s3"},
    {0x1022c, 0xbfa6, "c.fsdsp fs1, 504(sp)"},
    {0x1022e, 0xdff2, "c.swsp t3, 252(sp)"},
    {0x10230, 0xe006, "c.sdsp ra, 0(sp)"},
    /* F/D arithmetic, Zba, Zbb, Zbs (as 2.40, -march=rv64gc_zba_zbb_zbs);
     * objdump shows rm unless it is dyn (unless rne for the exact
     * fcvt.d.w, fcvt.d.wu, fcvt.d.s).  Binutils 2.40 has no Zicond: its
     * words come from .insn r 0x33, 5 (7), 7, a0, a1, a2 and the text
     * from the Zicond specification. */
    {0x10300, 0x00c5f553, "fadd.s fa0, fa1, fa2"},
    {0x10304, 0x00c58553, "fadd.s fa0, fa1, fa2, rne"},
    {0x10308, 0x00c59553, "fadd.s fa0, fa1, fa2, rtz"},
    {0x1030c, 0x00c5a553, "fadd.s fa0, fa1, fa2, rdn"},
    {0x10310, 0x00c5b553, "fadd.s fa0, fa1, fa2, rup"},
    {0x10314, 0x00c5c553, "fadd.s fa0, fa1, fa2, rmm"},
    {0x10318, 0x0820f053, "fsub.s ft0, ft1, ft2"},
    {0x1031c, 0x1124f453, "fmul.s fs0, fs1, fs2"},
    {0x10320, 0x19df7fd3, "fdiv.s ft11, ft10, ft9"},
    {0x10324, 0x5805f553, "fsqrt.s fa0, fa1"},
    {0x10328, 0x02c5f553, "fadd.d fa0, fa1, fa2"},
    {0x1032c, 0x0ac59553, "fsub.d fa0, fa1, fa2, rtz"},
    {0x10330, 0x12c5f553, "fmul.d fa0, fa1, fa2"},
    {0x10334, 0x1ac5f553, "fdiv.d fa0, fa1, fa2"},
    {0x10338, 0x5a05b553, "fsqrt.d fa0, fa1, rup"},
    {0x1033c, 0x68c5f543, "fmadd.s fa0, fa1, fa2, fa3"},
    {0x10340, 0x68c5f547, "fmsub.s fa0, fa1, fa2, fa3"},
    {0x10344, 0x68c5f54b, "fnmsub.s fa0, fa1, fa2, fa3"},
    {0x10348, 0x68c5a54f, "fnmadd.s fa0, fa1, fa2, fa3, rdn"},
    {0x1034c, 0x6ac5f543, "fmadd.d fa0, fa1, fa2, fa3"},
    {0x10350, 0x6ac5c547, "fmsub.d fa0, fa1, fa2, fa3, rmm"},
    {0x10354, 0x6ac5f54b, "fnmsub.d fa0, fa1, fa2, fa3"},
    {0x10358, 0x6ac5f54f, "fnmadd.d fa0, fa1, fa2, fa3"},
    {0x1035c, 0x28c58553, "fmin.s fa0, fa1, fa2"},
    {0x10360, 0x28c59553, "fmax.s fa0, fa1, fa2"},
    {0x10364, 0x2ac58553, "fmin.d fa0, fa1, fa2"},
    {0x10368, 0x2ac59553, "fmax.d fa0, fa1, fa2"},
    {0x1036c, 0xa0c5a553, "feq.s a0, fa1, fa2"},
    {0x10370, 0xa0c59553, "flt.s a0, fa1, fa2"},
    {0x10374, 0xa0c58553, "fle.s a0, fa1, fa2"},
    {0x10378, 0xa2c5a553, "feq.d a0, fa1, fa2"},
    {0x1037c, 0xa2c59553, "flt.d a0, fa1, fa2"},
    {0x10380, 0xa2c58553, "fle.d a0, fa1, fa2"},
    {0x10384, 0xe0059553, "fclass.s a0, fa1"},
    {0x10388, 0xe2059553, "fclass.d a0, fa1"},
    {0x1038c, 0xc005f553, "fcvt.w.s a0, fa1"},
    {0x10390, 0xc0159553, "fcvt.wu.s a0, fa1, rtz"},
    {0x10394, 0xc025f553, "fcvt.l.s a0, fa1"},
    {0x10398, 0xc035f553, "fcvt.lu.s a0, fa1"},
    {0x1039c, 0xc2059553, "fcvt.w.d a0, fa1, rtz"},
    {0x103a0, 0xc215f553, "fcvt.wu.d a0, fa1"},
    {0x103a4, 0xc225f553, "fcvt.l.d a0, fa1"},
    {0x103a8, 0xc235f553, "fcvt.lu.d a0, fa1"},
    {0x103ac, 0xd005f553, "fcvt.s.w fa0, a1"},
    {0x103b0, 0xd015f553, "fcvt.s.wu fa0, a1"},
    {0x103b4, 0xd025f553, "fcvt.s.l fa0, a1"},
    {0x103b8, 0xd035f553, "fcvt.s.lu fa0, a1"},
    {0x103bc, 0xd2058553, "fcvt.d.w fa0, a1"},
    {0x103c0, 0xd2158553, "fcvt.d.wu fa0, a1"},
    {0x103c4, 0xd225f553, "fcvt.d.l fa0, a1"},
    {0x103c8, 0xd2358553, "fcvt.d.lu fa0, a1, rne"},
    {0x103cc, 0x4015f553, "fcvt.s.d fa0, fa1"},
    {0x103d0, 0x42058553, "fcvt.d.s fa0, fa1"},
    {0x103d4, 0x08c5853b, "add.uw a0, a1, a2"},
    {0x103d8, 0x20c5a533, "sh1add a0, a1, a2"},
    {0x103dc, 0x20c5c533, "sh2add a0, a1, a2"},
    {0x103e0, 0x20c5e533, "sh3add a0, a1, a2"},
    {0x103e4, 0x20c5a53b, "sh1add.uw a0, a1, a2"},
    {0x103e8, 0x20c5c53b, "sh2add.uw a0, a1, a2"},
    {0x103ec, 0x20c5e53b, "sh3add.uw a0, a1, a2"},
    {0x103f0, 0x0bf5951b, "slli.uw a0, a1, 0x3f"},
    {0x103f4, 0x0855951b, "slli.uw a0, a1, 0x5"},
    {0x103f8, 0x40c5f533, "andn a0, a1, a2"},
    {0x103fc, 0x40c5e533, "orn a0, a1, a2"},
    {0x10400, 0x40c5c533, "xnor a0, a1, a2"},
    {0x10404, 0x60059513, "clz a0, a1"},
    {0x10408, 0x60159513, "ctz a0, a1"},
    {0x1040c, 0x60259513, "cpop a0, a1"},
    {0x10410, 0x6005951b, "clzw a0, a1"},
    {0x10414, 0x6015951b, "ctzw a0, a1"},
    {0x10418, 0x6025951b, "cpopw a0, a1"},
    {0x1041c, 0x0ac5e533, "max a0, a1, a2"},
    {0x10420, 0x0ac5f533, "maxu a0, a1, a2"},
    {0x10424, 0x0ac5c533, "min a0, a1, a2"},
    {0x10428, 0x0ac5d533, "minu a0, a1, a2"},
    {0x1042c, 0x60459513, "sext.b a0, a1"},
    {0x10430, 0x60559513, "sext.h a0, a1"},
    {0x10434, 0x0805c53b, "zext.h a0, a1"},
    {0x10438, 0x60c59533, "rol a0, a1, a2"},
    {0x1043c, 0x60c5d533, "ror a0, a1, a2"},
    {0x10440, 0x63f5d513, "rori a0, a1, 0x3f"},
    {0x10444, 0x6015d513, "rori a0, a1, 0x1"},
    {0x10448, 0x60c5953b, "rolw a0, a1, a2"},
    {0x1044c, 0x60c5d53b, "rorw a0, a1, a2"},
    {0x10450, 0x61f5d51b, "roriw a0, a1, 0x1f"},
    {0x10454, 0x2875d513, "orc.b a0, a1"},
    {0x10458, 0x6b85d513, "rev8 a0, a1"},
    {0x1045c, 0x48c59533, "bclr a0, a1, a2"},
    {0x10460, 0x48c5d533, "bext a0, a1, a2"},
    {0x10464, 0x68c59533, "binv a0, a1, a2"},
    {0x10468, 0x28c59533, "bset a0, a1, a2"},
    {0x1046c, 0x4bf59513, "bclri a0, a1, 0x3f"},
    {0x10470, 0x4855d513, "bexti a0, a1, 0x5"},
    {0x10474, 0x6a059513, "binvi a0, a1, 0x20"},
    {0x10478, 0x28059513, "bseti a0, a1, 0x0"},
    {0x1047c, 0x0ec5d533, "czero.eqz a0, a1, a2"},
    {0x10480, 0x0ec5f533, "czero.nez a0, a1, a2"},
};

Test(rv_decode, disassembles_like_objdump)
{
    for (size_t i = 0; i < sizeof disas_rows / sizeof disas_rows[0]; i++) {
        char buf[96];
        place(disas_rows[i].pc, disas_rows[i].word);
        int len = frontend_riscv64.disas(disas_rows[i].pc, buf, sizeof buf);
        int want = (disas_rows[i].word & 3) == 3 ? 4 : 2;
        cr_expect_eq(len, want, "%08x: length %d", disas_rows[i].word, len);
        cr_expect_str_eq(buf, disas_rows[i].text, "%08x", disas_rows[i].word);
    }
}

/* Decoded fields, in 32-bit terms (compressed forms expanded). */
static const struct {
    uint32_t word;
    const char *name;
    uint8_t rd, rs1, rs2;
    int64_t imm;
} field_rows[] = {
    /* 32-bit immediates of every shape */
    {0xfffff337, "lui", 6, 0, 0, -4096},
    {0x001000ef, "jal", 1, 0, 0, 2048},
    {0xffdff06f, "jal", 0, 0, 0, -4},
    {0x01008067, "jalr", 0, 1, 0, 16},
    {0x7ed64fe3, "blt", 0, 12, 13, 4094},
    {0x8062d063, "bge", 0, 5, 6, -4096},
    {0xfff10503, "lb", 10, 2, 0, -1},
    {0x80042603, "lw", 12, 8, 0, -2048},
    {0x7ed4bc23, "sd", 0, 9, 13, 2040},
    {0x03f51513, "slli", 10, 10, 0, 63},
    {0x40165613, "srai", 12, 12, 0, 1},
    {0x4118d81b, "sraiw", 16, 17, 0, 17},
    {0x01f6961b, "slliw", 12, 13, 0, 31},
    {0x00b6352f, "amoadd.d", 10, 12, 11, 0},
    /* quadrant 0 */
    {0x0808, "c.addi4spn", 10, 2, 0, 16},
    {0x1fe4, "c.addi4spn", 9, 2, 0, 1020},
    {0x2588, "c.fld", 10, 11, 0, 8},
    {0x42d0, "c.lw", 12, 13, 0, 4},
    {0x5fe0, "c.lw", 8, 15, 0, 124},
    {0x7ff8, "c.ld", 14, 15, 0, 248},
    {0xa880, "c.fsd", 0, 9, 8, 16},
    {0xc1a8, "c.sw", 0, 11, 10, 64},
    {0xe690, "c.sd", 0, 13, 12, 8},
    /* quadrant 1 */
    {0x0001, "c.nop", 0, 0, 0, 0},
    {0x1501, "c.addi", 10, 10, 0, -32},
    {0x02fd, "c.addi", 5, 5, 0, 31},
    {0x35fd, "c.addiw", 11, 11, 0, -1},
    {0x4615, "c.li", 12, 0, 0, 5},
    {0x5081, "c.li", 1, 0, 0, -32},
    {0x7101, "c.addi16sp", 2, 2, 0, -512},
    {0x617d, "c.addi16sp", 2, 2, 0, 496},
    {0x66fd, "c.lui", 13, 0, 0, 0x1f000},
    {0x7681, "c.lui", 13, 0, 0, -0x20000},
    {0x8305, "c.srli", 14, 14, 0, 1},
    {0x937d, "c.srli", 14, 14, 0, 63},
    {0x878d, "c.srai", 15, 15, 0, 3},
    {0x987d, "c.andi", 8, 8, 0, -1},
    {0x8d0d, "c.sub", 10, 10, 11, 0},
    {0x8e35, "c.xor", 12, 12, 13, 0},
    {0x8c45, "c.or", 8, 8, 9, 0},
    {0x8f7d, "c.and", 14, 14, 15, 0},
    {0x9d0d, "c.subw", 10, 10, 11, 0},
    {0x9e35, "c.addw", 12, 12, 13, 0},
    {0xaffd, "c.j", 0, 0, 0, 2046},
    {0xb001, "c.j", 0, 0, 0, -2048},
    {0xcd7d, "c.beqz", 0, 10, 0, 254},
    {0xf081, "c.bnez", 0, 9, 0, -256},
    /* quadrant 2 */
    {0x137e, "c.slli", 6, 6, 0, 63},
    {0x30fe, "c.fldsp", 1, 2, 0, 504},
    {0x53fe, "c.lwsp", 7, 2, 0, 252},
    {0x60a2, "c.ldsp", 1, 2, 0, 8},
    {0x8082, "c.jr", 0, 1, 0, 0},
    {0x852e, "c.mv", 10, 11, 11, 0},
    {0x9002, "c.ebreak", 0, 0, 0, 0},
    {0x9782, "c.jalr", 1, 15, 0, 0},
    {0x994e, "c.add", 18, 18, 19, 0},
    {0xbfa6, "c.fsdsp", 0, 2, 9, 504},
    {0xdff2, "c.swsp", 0, 2, 28, 252},
    {0xe006, "c.sdsp", 0, 2, 1, 0},
};

Test(rv_decode, fields)
{
    for (size_t i = 0; i < sizeof field_rows / sizeof field_rows[0]; i++) {
        uint32_t w;
        const rv_insn_desc *d;
        rv_args a;
        place(BASE, field_rows[i].word);
        cr_assert(rv_decode_at(BASE, &w, &d, &a), "%08x undecoded", field_rows[i].word);
        cr_expect_str_eq(d->name, field_rows[i].name, "%08x", field_rows[i].word);
        cr_expect_eq(a.rd, field_rows[i].rd, "%s rd %u", field_rows[i].name, a.rd);
        cr_expect_eq(a.rs1, field_rows[i].rs1, "%s rs1 %u", field_rows[i].name, a.rs1);
        cr_expect_eq(a.rs2, field_rows[i].rs2, "%s rs2 %u", field_rows[i].name, a.rs2);
        cr_expect_eq(a.imm, field_rows[i].imm, "%s imm %ld", field_rows[i].name, (long)a.imm);
    }
}

/* The F/D fields the other formats lack: rs3 and rm (words from as). */
static const struct {
    uint32_t word;
    const char *name;
    uint8_t rd, rs1, rs2, rs3, rm;
} fp_field_rows[] = {
    {0x68c5f543, "fmadd.s", 10, 11, 12, 13, 7},  /* fmadd.s fa0,fa1,fa2,fa3 */
    {0x68c5a54f, "fnmadd.s", 10, 11, 12, 13, 2}, /* ...,rdn */
    {0xf9ff4fc7, "fmsub.s", 31, 30, 31, 31, 4},  /* fmsub.s ft11,ft10,ft11,ft11,rmm */
    {0x0ac59553, "fsub.d", 10, 11, 12, 0, 1},    /* fsub.d fa0,fa1,fa2,rtz */
    {0x5a05b553, "fsqrt.d", 10, 11, 0, 0, 3},    /* fsqrt.d fa0,fa1,rup */
    {0xc2059553, "fcvt.w.d", 10, 11, 0, 0, 1},   /* fcvt.w.d a0,fa1,rtz */
    {0xd2058553, "fcvt.d.w", 10, 11, 0, 0, 0},   /* fcvt.d.w fa0,a1 */
};

Test(rv_decode, fp_fields)
{
    for (size_t i = 0; i < sizeof fp_field_rows / sizeof fp_field_rows[0]; i++) {
        uint32_t w;
        const rv_insn_desc *d;
        rv_args a;
        place(BASE, fp_field_rows[i].word);
        cr_assert(rv_decode_at(BASE, &w, &d, &a), "%08x undecoded", fp_field_rows[i].word);
        cr_expect_str_eq(d->name, fp_field_rows[i].name, "%08x", fp_field_rows[i].word);
        cr_expect_eq(a.rd, fp_field_rows[i].rd, "%s rd %u", d->name, a.rd);
        cr_expect_eq(a.rs1, fp_field_rows[i].rs1, "%s rs1 %u", d->name, a.rs1);
        cr_expect_eq(a.rs2, fp_field_rows[i].rs2, "%s rs2 %u", d->name, a.rs2);
        cr_expect_eq(a.rs3, fp_field_rows[i].rs3, "%s rs3 %u", d->name, a.rs3);
        cr_expect_eq(a.rm, fp_field_rows[i].rm, "%s rm %u", d->name, a.rm);
    }
}

/* Words that are no instruction Ferry implements: reserved compressed
 * encodings (ISA manual, table of RVC opcodes), reserved rm values and
 * fields of F/D, extensions Ferry leaves out, and words outside the base
 * encodings. */
static const uint32_t illegal_rows[] = {
    0x0000,     /* all zero: c.addi4spn with nzuimm 0 */
    0x6501,     /* c.lui a0, 0: nzimm 0 is reserved */
    0x6101,     /* c.addi16sp sp, 0 */
    0x4002,     /* c.lwsp zero, 0(sp) */
    0x6002,     /* c.ldsp zero, 0(sp) */
    0x8002,     /* c.jr zero */
    0x2001,     /* c.addiw zero, 0 */
    0x9c41,     /* CA with funct2 10 and bit 12 set: reserved */
    0x9c61,     /* CA with funct2 11 and bit 12 set: reserved */
    0x00c5d553, /* fadd.s with rm 5 (reserved) */
    0x02c5e553, /* fadd.d with rm 6 (reserved) */
    0x6ac5d543, /* fmadd.d with rm 5 */
    0xd205d553, /* fcvt.d.w with rm 5: checked though the result is exact */
    0x5815f553, /* fsqrt.s with rs2 = 1 */
    0x28c5a553, /* fmin.s's funct7 with funct3 2 */
    0xa0c5b553, /* feq.s's funct7 with funct3 3 */
    0xc045f553, /* fcvt.w.s with rs2 = 4 */
    0xe005a553, /* fclass.s's funct7 with funct3 2 */
    0x06c5f553, /* fadd.q (Q) */
    0x04c5f553, /* fadd.h (Zfh) */
    0x0ac59533, /* clmul (Zbc) */
    0x08c5c533, /* pack (Zbkb) */
    0x0ec5c533, /* czero's funct7 with funct3 4 */
    0xffffffff,
    0x0000107f, /* a 48-bit-or-longer encoding prefix */
};

Test(rv_decode, illegal_words_do_not_decode)
{
    for (size_t i = 0; i < sizeof illegal_rows / sizeof illegal_rows[0]; i++) {
        char buf[64];
        place(BASE, illegal_rows[i]);
        cr_expect_eq(frontend_riscv64.disas(BASE, buf, sizeof buf), 0, "%08x decoded as %s",
                     illegal_rows[i], buf);
    }
}

Test(rv_decode, frontend_lookup)
{
    cr_expect_eq(frontend_for_elf(243 /* EM_RISCV */), &frontend_riscv64);
    cr_expect_eq(frontend_by_name("riscv64"), &frontend_riscv64);
    cr_expect_null(frontend_by_name("mips"));
    cr_expect_str_eq(frontend_riscv64.ctx_name(RV_OFF_X(10)), "a0");
    cr_expect_str_eq(frontend_riscv64.ctx_name(RV_OFF_F(8)), "fs0");
    cr_expect_str_eq(frontend_riscv64.ctx_name(RV_OFF_PC), "pc");
    cr_expect_str_eq(frontend_riscv64.ctx_name(RV_OFF_FRM), "frm");
}
