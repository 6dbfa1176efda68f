/* AArch64 Advanced SIMD -> IR: the decoder of a64_simd.decode (the block
 * loop's a64_decode_simd), vector register and lane access, and the
 * integer, logic, immediate, copy and permute rows.  Bit operations,
 * moves and lane copies are IR on 64-bit halves (whole context slots,
 * which forwarding keeps in host registers); per-lane integer arithmetic
 * calls the helpers of a64_simd_helpers.c by register number.
 *
 *   a64_ctx c = {.b = b, .pc = pc, .next_pc = pc + 4};
 *   if (!a64_decode_simd(&c, insn)) ... SIGILL
 */
#include "frontend/aarch64/a64_simd_formats.h"
#include "frontend/aarch64/a64_simd_trans.h"

#include "frontend/aarch64/a64_simd.inc"

bool a64_decode_simd(a64_ctx *c, uint32_t insn) { return a64_simd_decode(c, insn); }

const a64s_insn_desc *a64_simd_lookup_desc(uint32_t insn, a64s_args *a)
{
    int i = a64_simd_lookup(insn, a);
    return i < 0 ? NULL : &a64_simd_insns[i];
}

static ir_val k64(a64_ctx *c, int64_t v) { return ir_const(c->b, IR_I64, v); }

/* ---- lanes */

ir_val a64_v_get_lane(a64_ctx *c, unsigned r, unsigned size, unsigned idx)
{
    ir_block *b = c->b;
    uint32_t byte = idx << size;
    if (size == 3)
        return ir_ctx_load(b, IR_I64, A64_OFF_VB(r, byte));
    ir_val w = ir_zext(b, IR_I64, ir_ctx_load(b, IR_I32, A64_OFF_VB(r, byte & ~3u)), 32);
    if (size == 2)
        return w;
    w = ir_binop(b, IR_SHR, IR_I64, w, k64(c, 8 * (byte & 3)));
    return ir_binop(b, IR_AND, IR_I64, w, k64(c, size ? 0xffff : 0xff));
}

void a64_v_set_lane(a64_ctx *c, unsigned r, unsigned size, unsigned idx, ir_val v)
{
    ir_block *b = c->b;
    uint32_t byte = idx << size;
    if (size == 3) {
        if (b->insns[v].type != IR_I64)
            v = ir_zext(b, IR_I64, v, 32);
        ir_ctx_store(b, v, A64_OFF_VB(r, byte));
        return;
    }
    v = ir_zext(b, IR_I32, v, 32);
    if (size < 2) { /* read-modify-write of the 32-bit word holding it */
        uint32_t off = A64_OFF_VB(r, byte & ~3u), sh = 8 * (byte & 3);
        int64_t m = (size ? 0xffffll : 0xffll) << sh;
        ir_val w = ir_ctx_load(b, IR_I32, off);
        w = ir_binop(b, IR_AND, IR_I32, w, ir_const(b, IR_I32, ~m));
        v = ir_binop(b, IR_AND, IR_I32, v, ir_const(b, IR_I32, size ? 0xffff : 0xff));
        v = ir_binop(b, IR_OR, IR_I32, w, ir_binop(b, IR_SHL, IR_I32, v, ir_const(b, IR_I32, sh)));
        ir_ctx_store(b, v, off);
        return;
    }
    ir_ctx_store(b, v, A64_OFF_VB(r, byte));
}

ir_val a64_v_replicate(a64_ctx *c, ir_val v, unsigned size)
{
    static const int64_t ones[3] = {0x0101010101010101ll, 0x0001000100010001ll,
                                    0x0000000100000001ll};
    static const int64_t masks[3] = {0xff, 0xffff, 0xffffffffll};
    if (size == 3)
        return v;
    ir_val e = ir_binop(c->b, IR_AND, IR_I64, v, k64(c, masks[size]));
    return ir_binop(c->b, IR_MUL, IR_I64, e, k64(c, ones[size]));
}

/* Both halves of a result: hi is dropped (zeroed) when !q */
static void set_halves(a64_ctx *c, unsigned r, ir_val lo, ir_val hi, bool q)
{
    ir_ctx_store(c->b, lo, A64_OFF_V(r));
    ir_ctx_store(c->b, q ? hi : k64(c, 0), A64_OFF_VB(r, 8));
}

/* ---- helper calls */

static uint64_t desc_of(const a64s_args *a)
{
    return A64V_D(a->rd) | A64V_N(a->rn) | A64V_M(a->rm) | A64V_SIZE(a->size) | A64V_Q(a->q) |
           A64V_U(a->u) | A64V_OPC(a->opc) | A64V_SCALAR(a->scalar);
}

static bool vcall(a64_ctx *c, const ir_helper *h, uint64_t desc, int64_t a1)
{
    ir_val x = h->nargs >= 2 ? k64(c, a1) : IR_NONE;
    ir_call(c->b, h, k64(c, (int64_t)desc), x, IR_NONE);
    return true;
}

/* ---- three same, integer (the FP half is in a64_trans_vfp.c) */

static bool int_3same(a64_ctx *c, a64s_args *a)
{
    if (!a->scalar && a->size == 3 && !a->q)
        return false;
    if (!a64v_3same_ok(a->u, a->opc, a->size, a->scalar))
        return false;
    return vcall(c, &a64_h_3same, desc_of(a), 0);
}

A64S_TRANS(v3same) { return int_3same(c, a); }
A64S_TRANS(s3same) { return int_3same(c, a); }

/* and bic orr orn (U=0), eor bsl bit bif (U=1), by size: 64 bits at a time */
A64S_TRANS(vlogic)
{
    ir_block *b = c->b;
    unsigned op = a->u << 2 | a->size;
    ir_val r[2] = {IR_NONE, IR_NONE};
    for (unsigned h = 0; h <= a->q; h++) {
        ir_val n = ir_ctx_load(b, IR_I64, A64_OFF_VB(a->rn, 8 * h));
        ir_val m = ir_ctx_load(b, IR_I64, A64_OFF_VB(a->rm, 8 * h));
        ir_val d = op >= 5 ? ir_ctx_load(b, IR_I64, A64_OFF_VB(a->rd, 8 * h)) : IR_NONE;
        ir_val nm = op == 1 || op == 3 ? ir_binop(b, IR_XOR, IR_I64, m, k64(c, -1)) : m;
        switch (op) {
        case 0: case 1: r[h] = ir_binop(b, IR_AND, IR_I64, n, nm); break;
        case 2: case 3: r[h] = n == nm ? n : ir_binop(b, IR_OR, IR_I64, n, nm); break;
        case 4: r[h] = ir_binop(b, IR_XOR, IR_I64, n, m); break;
        case 5: /* bsl: d selects n (1) or m (0) */
            r[h] = ir_binop(b, IR_XOR, IR_I64, m,
                            ir_binop(b, IR_AND, IR_I64, ir_binop(b, IR_XOR, IR_I64, m, n), d));
            break;
        default: { /* bit: insert n where m is 1; bif: where m is 0 */
            ir_val sel = op == 6 ? m : ir_binop(b, IR_XOR, IR_I64, m, k64(c, -1));
            r[h] = ir_binop(b, IR_XOR, IR_I64, d,
                            ir_binop(b, IR_AND, IR_I64, ir_binop(b, IR_XOR, IR_I64, d, n), sel));
        }
        }
    }
    set_halves(c, a->rd, r[0], r[1], a->q);
    return true;
}

/* ---- two registers, miscellaneous; across lanes; three different */

A64S_TRANS(v2misc)
{
    if (a64_vfp_is_2misc(a))
        return a64_vfp_2misc(c, a);
    bool narrow = a->opc == 0x12 || a->opc == 0x14 || a->opc == 0x13;
    if (a->size == 3 && !a->q && !narrow)
        return false;
    if (!a64v_2misc_ok(a->u, a->opc, a->size, false))
        return false;
    return vcall(c, &a64_h_2misc, desc_of(a), 0);
}

A64S_TRANS(s2misc)
{
    if (a64_vfp_is_2misc(a))
        return a64_vfp_2misc(c, a);
    if (!a64v_2misc_ok(a->u, a->opc, a->size, true))
        return false;
    return vcall(c, &a64_h_2misc, desc_of(a), 0);
}

A64S_TRANS(vacross)
{
    if (a->opc == 0x0c || a->opc == 0x0f)
        return a64_vfp_across(c, a);
    if (!a64v_across_ok(a->u, a->opc, a->size, a->q))
        return false;
    return vcall(c, &a64_h_across, desc_of(a), 0);
}

A64S_TRANS(v3diff)
{
    if (!a64v_3diff_ok(a->u, a->opc, a->size, a->scalar))
        return false;
    return vcall(c, &a64_h_3diff, desc_of(a), 0);
}

A64S_TRANS(s3diff) { return trans_v3diff(c, a); }

/* scalar pairwise: addp d, v.2d here; the FP ones in a64_trans_vfp.c */
A64S_TRANS(spair)
{
    if (a->u)
        return a64_vfp_pair(c, a);
    if (a->opc != 0x1b || a->size != 3)
        return false;
    ir_val lo = ir_ctx_load(c->b, IR_I64, A64_OFF_V(a->rn));
    ir_val hi = ir_ctx_load(c->b, IR_I64, A64_OFF_VB(a->rn, 8));
    a64_v_set_scalar(c, a->rd, ir_binop(c->b, IR_ADD, IR_I64, lo, hi));
    return true;
}

/* ---- shifts by immediate, by element */

static bool shift_imm(a64_ctx *c, a64s_args *a)
{
    if (a->opc == 0x1c || a->opc == 0x1f)
        return a64_vfp_shift(c, a);
    unsigned immh = (unsigned)a->imm >> 3;
    if (!a64v_shift_ok(a->u, a->opc, a->scalar, immh, a->q))
        return false;
    return vcall(c, &a64_h_shift, desc_of(a), a->imm);
}

A64S_TRANS(vshift) { return shift_imm(c, a); }
A64S_TRANS(sshift) { return shift_imm(c, a); }

static bool by_elem(a64_ctx *c, a64s_args *a)
{
    if (a64_vfp_is_elem(a))
        return a64_vfp_elem(c, a);
    if (!a64v_elem_ok(a->u, a->opc, a->size, a->scalar))
        return false;
    return vcall(c, &a64_h_elem, desc_of(a), a->idx);
}

A64S_TRANS(velem) { return by_elem(c, a); }
A64S_TRANS(selem) { return by_elem(c, a); }

/* ---- permutes */

A64S_TRANS(vperm) { return vcall(c, &a64_h_perm, desc_of(a), 0); }

A64S_TRANS(vext)
{
    a->opc = A64P_EXT;
    a->size = 0;
    return vcall(c, &a64_h_perm, desc_of(a), a->imm);
}

A64S_TRANS(vtbl)
{
    a->opc = a->u ? A64P_TBX : A64P_TBL;
    a->size = 0;
    return vcall(c, &a64_h_perm, desc_of(a), a->imm);
}

/* ---- copies: dup, ins, umov, smov (imm5's lowest set bit is the size) */

A64S_TRANS(vcopy)
{
    unsigned imm5 = (unsigned)a->imm, size = (unsigned)__builtin_ctz(imm5), idx = imm5 >> (size + 1);
    if (size > 3)
        return false;
    if (a->scalar) { /* dup b/h/s/d, v.t[i] */
        a64_v_set_scalar(c, a->rd, a64_v_get_lane(c, a->rn, size, idx));
        return true;
    }
    if (a->u) { /* ins element */
        if (!a->q)
            return false;
        ir_val v = a64_v_get_lane(c, a->rn, size, a->opc >> size);
        a64_v_set_lane(c, a->rd, size, idx, v);
        return true;
    }
    ir_val v;
    switch (a->opc) {
    case 0: /* dup element */
    case 1: /* dup general */
        if (size == 3 && !a->q)
            return false;
        v = a->opc ? a64_get_x(c, a->rn, size == 3) : a64_v_get_lane(c, a->rn, size, idx);
        if (c->b->insns[v].type != IR_I64)
            v = ir_zext(c->b, IR_I64, v, 32);
        v = a64_v_replicate(c, v, size);
        set_halves(c, a->rd, v, v, a->q);
        return true;
    case 3: /* ins general */
        if (!a->q)
            return false;
        a64_v_set_lane(c, a->rd, size, idx, a64_get_x(c, a->rn, size == 3));
        return true;
    case 5: /* smov */
        if (size >= 2u + a->q)
            return false;
        v = ir_sext(c->b, IR_I64, a64_v_get_lane(c, a->rn, size, idx), 8 << size);
        a64_set_x(c, a->rd, v, a->q);
        return true;
    case 7: /* umov: w from b/h/s, x from d */
        if (a->q ? size != 3 : size == 3)
            return false;
        a64_set_x(c, a->rd, a64_v_get_lane(c, a->rn, size, idx), a->q);
        return true;
    }
    return false;
}

A64S_TRANS(sdup) { return trans_vcopy(c, a); }

/* ---- cryptography: one helper call, the A64C_* operation in opc */

static bool crypto(a64_ctx *c, a64s_args *a, unsigned op)
{
    a->opc = (uint8_t)op;
    return vcall(c, &a64_h_crypto, desc_of(a), 0);
}

A64S_TRANS(aes) { return crypto(c, a, A64C_AESE + (a->opc & 3u)); }

A64S_TRANS(sha3)
{
    unsigned k = a->opc >> 1 & 7; /* sha1c sha1p sha1m sha1su0 sha256h sha256h2 sha256su1 */
    return k < 7 && crypto(c, a, A64C_SHA1C + k);
}

A64S_TRANS(sha2) { return a->opc < 3 && crypto(c, a, A64C_SHA1H + a->opc); }

/* ---- modified immediate: movi, mvni, orr, bic, fmov (AdvSIMDExpandImm) */

static bool expand_imm(unsigned op, unsigned cmode, unsigned imm8, uint64_t *out)
{
    uint64_t i = imm8, r;
    switch (cmode >> 1) {
    case 0: case 1: case 2: case 3:
        r = i << (8 * (cmode >> 1)), r |= r << 32;
        break;
    case 4: case 5:
        r = i << (8 * (cmode >> 1 & 1)), r |= r << 16, r |= r << 32;
        break;
    case 6:
        r = cmode & 1 ? (i << 16 | 0xffff) : (i << 8 | 0xff), r |= r << 32;
        break;
    default:
        if (!(cmode & 1) && !op) {
            r = i * 0x0101010101010101ull;
        } else if (!(cmode & 1)) {
            r = 0;
            for (int k = 0; k < 8; k++)
                r |= (i >> k & 1 ? 0xffull : 0) << (8 * k);
        } else if (!op) {
            r = (uint64_t)a64_fp_expand_imm(imm8, false), r |= r << 32;
        } else {
            r = (uint64_t)a64_fp_expand_imm(imm8, true);
        }
    }
    *out = r;
    return true;
}

A64S_TRANS(vmovi)
{
    unsigned cmode = a->opc, op = a->u;
    bool logic = cmode < 12 && (cmode & 1); /* orr / bic */
    if (a->s || (cmode == 15 && op && !a->q))
        return false; /* o2: FEAT_FP16 fmov; fmov .1d is reserved */
    uint64_t imm;
    expand_imm(op, cmode, (unsigned)a->imm, &imm);
    bool invert = op && cmode < 14; /* mvni and bic invert */
    if (invert)
        imm = ~imm;
    if (!logic) {
        set_halves(c, a->rd, k64(c, (int64_t)imm), k64(c, (int64_t)imm), a->q);
        return true;
    }
    ir_val r[2] = {IR_NONE, IR_NONE};
    for (unsigned h = 0; h <= a->q; h++) {
        ir_val d = ir_ctx_load(c->b, IR_I64, A64_OFF_VB(a->rd, 8 * h));
        r[h] = ir_binop(c->b, op ? IR_AND : IR_OR, IR_I64, d, k64(c, (int64_t)imm));
    }
    set_halves(c, a->rd, r[0], r[1], a->q);
    return true;
}
