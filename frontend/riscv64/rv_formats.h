/* The riscv64 instruction formats: how each named layout of a .decode row
 * turns an instruction word into rv_args, written once here.  A format
 * returns false for a reserved encoding of its shape, so the decoder
 * moves on to the next row (and in the end raises SIGILL).
 * The list also says how the disassembler prints each format. */
#ifndef FERRY_RV_FORMATS_H
#define FERRY_RV_FORMATS_H

#include <string.h>

#include "frontend/riscv64/rv_internal.h"

/* How operands are printed (rv_disas.c). */
enum {
    RV_P_NONE,  /* ecall */
    RV_P_R,     /* rd, rs1, rs2 */
    RV_P_I,     /* rd, rs1, imm */
    RV_P_SH,    /* rd, rs1, 0xshamt */
    RV_P_MEM,   /* rd, imm(rs1) */
    RV_P_ST,    /* rs2, imm(rs1) */
    RV_P_B,     /* rs1, rs2, target */
    RV_P_U,     /* rd, 0ximm20 */
    RV_P_J,     /* rd, target */
    RV_P_CSR,   /* rd, csr, rs1 */
    RV_P_CSRI,  /* rd, csr, zimm */
    RV_P_LR,    /* rd, (rs1) */
    RV_P_AMO,   /* rd, rs2, (rs1) */
    RV_P_FENCE, /* pred, succ */
    RV_P_RR,    /* rd, rs1 */
    RV_P_CI,    /* rd, imm       (c.addi) */
    RV_P_CSH,   /* rd, 0xshamt   (c.slli) */
    RV_P_CU,    /* rd, 0ximm20   (c.lui) */
    RV_P_CR,    /* rd, rs2       (c.mv, c.sub) */
    RV_P_CJR,   /* rs1           (c.jr) */
    RV_P_CB,    /* rs1, target   (c.beqz) */
    RV_P_CJ,    /* target        (c.j) */
    RV_P_RRM,   /* rd, rs1[, rm]  (fsqrt.d; rm shown unless dyn) */
    RV_P_RRMX,  /* rd, rs1[, rm]  (fcvt.d.w; rm shown unless rne) */
    RV_P_RM,    /* rd, rs1, rs2[, rm] */
    RV_P_R4,    /* rd, rs1, rs2, rs3[, rm] */
};

/* Which operands name f registers. */
enum { RV_FRD = 1, RV_FRS1 = 2, RV_FRS2 = 4 };

/*  X(format, print, f registers) */
#define RV_FORMATS(X)                                                          \
    X(r, RV_P_R, 0) X(i, RV_P_I, 0) X(ld, RV_P_MEM, 0) X(jalr, RV_P_MEM, 0)    \
    X(s, RV_P_ST, 0) X(b, RV_P_B, 0) X(u, RV_P_U, 0) X(j, RV_P_J, 0)           \
    X(sh6, RV_P_SH, 0) X(sh5, RV_P_SH, 0) X(csr, RV_P_CSR, 0)                  \
    X(csri, RV_P_CSRI, 0) X(lr, RV_P_LR, 0) X(amo, RV_P_AMO, 0)                \
    X(fence, RV_P_FENCE, 0) X(none, RV_P_NONE, 0) X(fld, RV_P_MEM, RV_FRD)     \
    X(fst, RV_P_ST, RV_FRS2) X(fmv_xf, RV_P_RR, RV_FRS1)                        \
    X(fmv_fx, RV_P_RR, RV_FRD) X(fr, RV_P_R, RV_FRD | RV_FRS1 | RV_FRS2)       \
    X(ciw, RV_P_I, 0) X(cl_w, RV_P_MEM, 0) X(cl_d, RV_P_MEM, 0)                \
    X(cl_fd, RV_P_MEM, RV_FRD) X(cs_w, RV_P_ST, 0) X(cs_d, RV_P_ST, 0)         \
    X(cs_fd, RV_P_ST, RV_FRS2) X(cnone, RV_P_NONE, 0) X(ci, RV_P_CI, 0)        \
    X(ci_nz, RV_P_CI, 0) X(ci_li, RV_P_CI, 0) X(ci_sp16, RV_P_CI, 0)           \
    X(ci_lui, RV_P_CU, 0) X(cb_sh, RV_P_CSH, 0) X(cb_andi, RV_P_CI, 0)         \
    X(ca, RV_P_CR, 0) X(cj, RV_P_CJ, 0) X(cb, RV_P_CB, 0) X(ci_sh, RV_P_CSH, 0) \
    X(ci_fldsp, RV_P_MEM, RV_FRD) X(ci_lwsp, RV_P_MEM, 0)                      \
    X(ci_ldsp, RV_P_MEM, 0) X(cr_jr, RV_P_CJR, 0) X(cr_mv, RV_P_CR, 0)         \
    X(cr_jalr, RV_P_CJR, 0) X(cr, RV_P_CR, 0) X(css_fd, RV_P_ST, RV_FRS2)      \
    X(css_w, RV_P_ST, 0) X(css_d, RV_P_ST, 0) X(r1, RV_P_RR, 0)                \
    X(r4, RV_P_R4, RV_FRD | RV_FRS1 | RV_FRS2)                                 \
    X(frm, RV_P_RM, RV_FRD | RV_FRS1 | RV_FRS2)                                \
    X(frm1, RV_P_RRM, RV_FRD | RV_FRS1) X(frm1x, RV_P_RRMX, RV_FRD | RV_FRS1)  \
    X(fcmp, RV_P_R, RV_FRS1 | RV_FRS2) X(fcvt_xf, RV_P_RRM, RV_FRS1)           \
    X(fcvt_fx, RV_P_RRM, RV_FRD) X(fcvt_fxx, RV_P_RRMX, RV_FRD)

enum {
#define X(f, p, fr) RV_FMT_##f,
    RV_FORMATS(X)
#undef X
    RV_NUM_FMTS
};

/* Bits hi..lo of w, unsigned; and bit i of w moved to position to. */
static inline uint32_t rv_bits(uint32_t w, int hi, int lo)
{
    return (w >> lo) & ((1u << (hi - lo + 1)) - 1);
}
static inline uint32_t rv_bit(uint32_t w, int i, int to) { return ((w >> i) & 1) << to; }
static inline int64_t rv_sext(uint64_t v, int bits)
{
    return (int64_t)(v << (64 - bits)) >> (64 - bits);
}

static inline void rv_clear(rv_args *a) { memset(a, 0, sizeof *a); }

/* ---- 32-bit formats */
static inline bool rv_fmt_r(rv_args *a, uint32_t w)
{
    rv_clear(a);
    a->rd = rv_bits(w, 11, 7), a->rs1 = rv_bits(w, 19, 15), a->rs2 = rv_bits(w, 24, 20);
    return true;
}
static inline bool rv_fmt_i(rv_args *a, uint32_t w)
{
    rv_clear(a);
    a->rd = rv_bits(w, 11, 7), a->rs1 = rv_bits(w, 19, 15);
    a->imm = rv_sext(w >> 20, 12);
    return true;
}
static inline bool rv_fmt_s(rv_args *a, uint32_t w)
{
    rv_clear(a);
    a->rs1 = rv_bits(w, 19, 15), a->rs2 = rv_bits(w, 24, 20);
    a->imm = rv_sext(rv_bits(w, 31, 25) << 5 | rv_bits(w, 11, 7), 12);
    return true;
}
static inline bool rv_fmt_b(rv_args *a, uint32_t w)
{
    rv_fmt_r(a, w);
    a->rd = 0;
    a->imm = rv_sext(rv_bit(w, 31, 12) | rv_bit(w, 7, 11) | rv_bits(w, 30, 25) << 5 |
                         rv_bits(w, 11, 8) << 1, 13);
    return true;
}
static inline bool rv_fmt_u(rv_args *a, uint32_t w)
{
    rv_clear(a);
    a->rd = rv_bits(w, 11, 7);
    a->imm = (int32_t)(w & 0xfffff000u);
    return true;
}
static inline bool rv_fmt_j(rv_args *a, uint32_t w)
{
    rv_clear(a);
    a->rd = rv_bits(w, 11, 7);
    a->imm = rv_sext(rv_bit(w, 31, 20) | rv_bits(w, 19, 12) << 12 | rv_bit(w, 20, 11) |
                         rv_bits(w, 30, 21) << 1, 21);
    return true;
}
static inline bool rv_fmt_sh6(rv_args *a, uint32_t w)
{
    rv_fmt_r(a, w);
    a->rs2 = 0, a->imm = rv_bits(w, 25, 20);
    return true;
}
static inline bool rv_fmt_sh5(rv_args *a, uint32_t w)
{
    rv_fmt_r(a, w);
    a->rs2 = 0, a->imm = rv_bits(w, 24, 20);
    return true;
}
static inline bool rv_fmt_csr(rv_args *a, uint32_t w)
{
    rv_fmt_r(a, w);
    a->rs2 = 0, a->csr = w >> 20;
    return true;
}
static inline bool rv_fmt_csri(rv_args *a, uint32_t w)
{
    rv_fmt_csr(a, w);
    a->imm = a->rs1, a->rs1 = 0;
    return true;
}
static inline bool rv_fmt_amo(rv_args *a, uint32_t w)
{
    rv_fmt_r(a, w);
    a->aq = rv_bits(w, 26, 26), a->rl = rv_bits(w, 25, 25);
    return true;
}
static inline bool rv_fmt_lr(rv_args *a, uint32_t w) { return rv_fmt_amo(a, w); }
/* imm = pred << 4 | succ */
static inline bool rv_fmt_fence(rv_args *a, uint32_t w)
{
    rv_clear(a);
    a->imm = rv_bits(w, 27, 20);
    return true;
}
static inline bool rv_fmt_none(rv_args *a, uint32_t w) { rv_clear(a); return true; }
static inline bool rv_fmt_ld(rv_args *a, uint32_t w) { return rv_fmt_i(a, w); }
static inline bool rv_fmt_jalr(rv_args *a, uint32_t w) { return rv_fmt_i(a, w); }
static inline bool rv_fmt_fld(rv_args *a, uint32_t w) { return rv_fmt_i(a, w); }
static inline bool rv_fmt_fst(rv_args *a, uint32_t w) { return rv_fmt_s(a, w); }
static inline bool rv_fmt_fmv_xf(rv_args *a, uint32_t w) { return rv_fmt_r(a, w); }
static inline bool rv_fmt_fmv_fx(rv_args *a, uint32_t w) { return rv_fmt_r(a, w); }
static inline bool rv_fmt_fr(rv_args *a, uint32_t w) { return rv_fmt_r(a, w); }
static inline bool rv_fmt_fcmp(rv_args *a, uint32_t w) { return rv_fmt_r(a, w); }
/* clz rd, rs1: rs2 is part of the opcode */
static inline bool rv_fmt_r1(rv_args *a, uint32_t w)
{
    rv_fmt_r(a, w);
    a->rs2 = 0;
    return true;
}
/* The rm field: rne, rtz, rdn, rup, rmm or dyn; 5 and 6 are reserved. */
static inline bool rv_fmt_frm(rv_args *a, uint32_t w)
{
    rv_fmt_r(a, w);
    a->rm = rv_bits(w, 14, 12);
    return a->rm != 5 && a->rm != 6;
}
static inline bool rv_fmt_r4(rv_args *a, uint32_t w)
{
    bool ok = rv_fmt_frm(a, w);
    a->rs3 = rv_bits(w, 31, 27);
    return ok;
}
static inline bool rv_fmt_frm1(rv_args *a, uint32_t w)
{
    bool ok = rv_fmt_frm(a, w);
    a->rs2 = 0;
    return ok;
}
static inline bool rv_fmt_frm1x(rv_args *a, uint32_t w) { return rv_fmt_frm1(a, w); }
static inline bool rv_fmt_fcvt_xf(rv_args *a, uint32_t w) { return rv_fmt_frm1(a, w); }
static inline bool rv_fmt_fcvt_fx(rv_args *a, uint32_t w) { return rv_fmt_frm1(a, w); }
static inline bool rv_fmt_fcvt_fxx(rv_args *a, uint32_t w) { return rv_fmt_frm1(a, w); }

/* ---- 16-bit formats, expanded to their 32-bit twins' arguments.
 * rd'/rs1'/rs2' (3 bits) name x8..x15. */
static inline unsigned rv_creg(uint32_t w, int lo) { return 8 + rv_bits(w, lo + 2, lo); }
/* the 6-bit immediate of CI: bit 12 and bits 6:2 */
static inline uint32_t rv_ci6(uint32_t w) { return rv_bit(w, 12, 5) | rv_bits(w, 6, 2); }

/* c.addi4spn: addi rd', sp, nzuimm (nzuimm == 0 is reserved) */
static inline bool rv_fmt_ciw(rv_args *a, uint32_t w)
{
    rv_clear(a);
    a->rd = rv_creg(w, 2), a->rs1 = 2;
    a->imm = rv_bits(w, 12, 11) << 4 | rv_bits(w, 10, 7) << 6 | rv_bit(w, 6, 2) |
             rv_bit(w, 5, 3);
    return a->imm != 0;
}
static inline uint32_t rv_cl_w_imm(uint32_t w)
{
    return rv_bits(w, 12, 10) << 3 | rv_bit(w, 6, 2) | rv_bit(w, 5, 6);
}
static inline uint32_t rv_cl_d_imm(uint32_t w) { return rv_bits(w, 12, 10) << 3 | rv_bits(w, 6, 5) << 6; }
static inline bool rv_fmt_cl_w(rv_args *a, uint32_t w)
{
    rv_clear(a);
    a->rd = rv_creg(w, 2), a->rs1 = rv_creg(w, 7), a->imm = rv_cl_w_imm(w);
    return true;
}
static inline bool rv_fmt_cl_d(rv_args *a, uint32_t w)
{
    rv_clear(a);
    a->rd = rv_creg(w, 2), a->rs1 = rv_creg(w, 7), a->imm = rv_cl_d_imm(w);
    return true;
}
static inline bool rv_fmt_cl_fd(rv_args *a, uint32_t w) { return rv_fmt_cl_d(a, w); }
static inline bool rv_fmt_cs_w(rv_args *a, uint32_t w)
{
    rv_clear(a);
    a->rs2 = rv_creg(w, 2), a->rs1 = rv_creg(w, 7), a->imm = rv_cl_w_imm(w);
    return true;
}
static inline bool rv_fmt_cs_d(rv_args *a, uint32_t w)
{
    rv_clear(a);
    a->rs2 = rv_creg(w, 2), a->rs1 = rv_creg(w, 7), a->imm = rv_cl_d_imm(w);
    return true;
}
static inline bool rv_fmt_cs_fd(rv_args *a, uint32_t w) { return rv_fmt_cs_d(a, w); }
static inline bool rv_fmt_cnone(rv_args *a, uint32_t w) { rv_clear(a); return true; }
/* c.addi: addi rd, rd, imm (rd == 0 is a hint: a nop) */
static inline bool rv_fmt_ci(rv_args *a, uint32_t w)
{
    rv_clear(a);
    a->rd = a->rs1 = rv_bits(w, 11, 7);
    a->imm = rv_sext(rv_ci6(w), 6);
    return true;
}
/* c.addiw: rd == 0 is reserved */
static inline bool rv_fmt_ci_nz(rv_args *a, uint32_t w) { return rv_fmt_ci(a, w) && a->rd != 0; }
/* c.li: addi rd, zero, imm */
static inline bool rv_fmt_ci_li(rv_args *a, uint32_t w)
{
    rv_fmt_ci(a, w);
    a->rs1 = 0;
    return true;
}
/* c.addi16sp: addi sp, sp, nzimm (nzimm == 0 is reserved) */
static inline bool rv_fmt_ci_sp16(rv_args *a, uint32_t w)
{
    rv_clear(a);
    a->rd = a->rs1 = 2;
    a->imm = rv_sext(rv_bit(w, 12, 9) | rv_bit(w, 6, 4) | rv_bit(w, 5, 6) |
                         rv_bits(w, 4, 3) << 7 | rv_bit(w, 2, 5), 10);
    return a->imm != 0;
}
/* c.lui: lui rd, nzimm (rd == 0 and nzimm == 0 are reserved; rd == 2 is
 * c.addi16sp, matched by the row before) */
static inline bool rv_fmt_ci_lui(rv_args *a, uint32_t w)
{
    rv_clear(a);
    a->rd = rv_bits(w, 11, 7);
    a->imm = rv_sext((uint64_t)rv_ci6(w) << 12, 18);
    return a->rd != 0 && a->rd != 2 && a->imm != 0;
}
/* c.srli / c.srai: rd' = rd' >> shamt */
static inline bool rv_fmt_cb_sh(rv_args *a, uint32_t w)
{
    rv_clear(a);
    a->rd = a->rs1 = rv_creg(w, 7), a->imm = rv_ci6(w);
    return true;
}
static inline bool rv_fmt_cb_andi(rv_args *a, uint32_t w)
{
    rv_fmt_cb_sh(a, w);
    a->imm = rv_sext(a->imm, 6);
    return true;
}
/* c.sub etc: rd' = rd' op rs2' */
static inline bool rv_fmt_ca(rv_args *a, uint32_t w)
{
    rv_clear(a);
    a->rd = a->rs1 = rv_creg(w, 7), a->rs2 = rv_creg(w, 2);
    return true;
}
/* c.j: jal zero, offset */
static inline bool rv_fmt_cj(rv_args *a, uint32_t w)
{
    rv_clear(a);
    a->imm = rv_sext(rv_bit(w, 12, 11) | rv_bit(w, 11, 4) | rv_bits(w, 10, 9) << 8 |
                         rv_bit(w, 8, 10) | rv_bit(w, 7, 6) | rv_bit(w, 6, 7) |
                         rv_bits(w, 5, 3) << 1 | rv_bit(w, 2, 5), 12);
    return true;
}
/* c.beqz / c.bnez: beq/bne rs1', zero, offset */
static inline bool rv_fmt_cb(rv_args *a, uint32_t w)
{
    rv_clear(a);
    a->rs1 = rv_creg(w, 7);
    a->imm = rv_sext(rv_bit(w, 12, 8) | rv_bits(w, 11, 10) << 3 | rv_bits(w, 6, 5) << 6 |
                         rv_bits(w, 4, 3) << 1 | rv_bit(w, 2, 5), 9);
    return true;
}
/* c.slli: slli rd, rd, shamt (rd == 0 is a hint) */
static inline bool rv_fmt_ci_sh(rv_args *a, uint32_t w)
{
    rv_clear(a);
    a->rd = a->rs1 = rv_bits(w, 11, 7), a->imm = rv_ci6(w);
    return true;
}
static inline uint32_t rv_sp_d_imm(uint32_t w)
{
    return rv_bit(w, 12, 5) | rv_bits(w, 6, 5) << 3 | rv_bits(w, 4, 2) << 6;
}
/* c.fldsp / c.ldsp / c.lwsp: load rd, imm(sp); rd == 0 reserved for x loads */
static inline bool rv_fmt_ci_fldsp(rv_args *a, uint32_t w)
{
    rv_clear(a);
    a->rd = rv_bits(w, 11, 7), a->rs1 = 2, a->imm = rv_sp_d_imm(w);
    return true;
}
static inline bool rv_fmt_ci_ldsp(rv_args *a, uint32_t w)
{
    return rv_fmt_ci_fldsp(a, w) && a->rd != 0;
}
static inline bool rv_fmt_ci_lwsp(rv_args *a, uint32_t w)
{
    rv_clear(a);
    a->rd = rv_bits(w, 11, 7), a->rs1 = 2;
    a->imm = rv_bit(w, 12, 5) | rv_bits(w, 6, 4) << 2 | rv_bits(w, 3, 2) << 6;
    return a->rd != 0;
}
/* c.jr: jalr zero, 0(rs1) (rs1 == 0 is reserved) */
static inline bool rv_fmt_cr_jr(rv_args *a, uint32_t w)
{
    rv_clear(a);
    a->rs1 = rv_bits(w, 11, 7);
    return a->rs1 != 0;
}
/* c.jalr: jalr ra, 0(rs1) */
static inline bool rv_fmt_cr_jalr(rv_args *a, uint32_t w)
{
    rv_fmt_cr_jr(a, w);
    a->rd = 1;
    return a->rs1 != 0;
}
/* c.mv: addi rd, rs2, 0 (rs2 kept too, for the disassembler) */
static inline bool rv_fmt_cr_mv(rv_args *a, uint32_t w)
{
    rv_clear(a);
    a->rd = rv_bits(w, 11, 7), a->rs1 = a->rs2 = rv_bits(w, 6, 2);
    return a->rs2 != 0;
}
/* c.add: add rd, rd, rs2 */
static inline bool rv_fmt_cr(rv_args *a, uint32_t w)
{
    rv_clear(a);
    a->rd = a->rs1 = rv_bits(w, 11, 7), a->rs2 = rv_bits(w, 6, 2);
    return true;
}
/* c.sdsp / c.fsdsp / c.swsp: store rs2, imm(sp) */
static inline bool rv_fmt_css_d(rv_args *a, uint32_t w)
{
    rv_clear(a);
    a->rs1 = 2, a->rs2 = rv_bits(w, 6, 2);
    a->imm = rv_bits(w, 12, 10) << 3 | rv_bits(w, 9, 7) << 6;
    return true;
}
static inline bool rv_fmt_css_fd(rv_args *a, uint32_t w) { return rv_fmt_css_d(a, w); }
static inline bool rv_fmt_css_w(rv_args *a, uint32_t w)
{
    rv_clear(a);
    a->rs1 = 2, a->rs2 = rv_bits(w, 6, 2);
    a->imm = rv_bits(w, 12, 9) << 2 | rv_bits(w, 8, 7) << 6;
    return true;
}

#endif
