/* Ferry IR: one guest block as a straight-line array of SSA instructions.
 *
 * A value is the index of the instruction that yields it.  Operands always
 * name earlier instructions.  The block ends with exactly one exit op.
 *
 *   ir_block *b = ir_block_new(0x10078);
 *   ir_val x = ir_ctx_load(b, IR_I64, 8 * 10);
 *   ir_val y = ir_binop(b, IR_ADD, IR_I64, x, ir_const(b, IR_I64, 1));
 *   ir_ctx_store(b, y, 8 * 10);
 *   ir_goto(b, 0x1007c);
 *   ir_print(b, stdout);
 *
 * The op table lives in ir_ops.def; this header only expands it.
 */
#ifndef FERRY_IR_H
#define FERRY_IR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef enum ir_op {
#define IR_OP(name, res, nargs, imm, flags) IR_##name,
#include "ir_ops.def"
#undef IR_OP
    IR_NUM_OPS
} ir_op;

typedef enum ir_type { IR_VOID, IR_I32, IR_I64, IR_F32, IR_F64, IR_V128 } ir_type;

/* How an op's immediates are shown and checked (the imm_kinds column). */
enum { I_NONE, I_INT, I_PC, I_OFF, I_PC2, I_HELPER, I_KIND };

/* The flags column. */
enum {
    F_PURE = 1 << 0,
    F_COMMUTES = 1 << 1,
    F_READS_CTX = 1 << 2,
    F_WRITES_CTX = 1 << 3,
    F_READS_MEM = 1 << 4,
    F_WRITES_MEM = 1 << 5,
    F_MAY_FAULT = 1 << 6,
    F_ENDS_BLOCK = 1 << 7,
    F_USES_CC = 1 << 8,
    F_USES_MEMOP = 1 << 9,
    F_USES_RM = 1 << 10,
    F_FP_AUX = 1 << 11,
    F_FPSTATUS = 1 << 12,
    F_LANES = 1 << 13,
};

typedef struct ir_op_info {
    const char *name; /* as in ir_ops.def; printed in lower case */
    uint8_t results;
    uint8_t nargs;
    uint8_t imm_kind;
    uint16_t flags;
} ir_op_info;

extern const ir_op_info ir_op_table[IR_NUM_OPS];

static inline const ir_op_info *ir_info(ir_op op) { return &ir_op_table[op]; }

/* Conditions of SETCC and BRANCH, compared at the instruction's type. */
typedef enum ir_cond {
    IR_EQ, IR_NE, IR_LT, IR_GE, IR_LE, IR_GT, /* signed */
    IR_LTU, IR_GEU, IR_LEU, IR_GTU,           /* unsigned */
    /* only FLAGS_TEST takes these: N set/clear, V set/clear */
    IR_MI, IR_PL, IR_VS, IR_VC,
    IR_NUM_CONDS,
    IR_NUM_CMP_CONDS = IR_MI                  /* what SETCC/BRANCH take */
} ir_cond;

/* The comparison that holds exactly when c does not (c < IR_NUM_CMP_CONDS). */
ir_cond ir_cond_inverse(ir_cond c);

/* aux of LOAD/STORE/CAS/RMW: log2 of the access size, and whether a load
 * sign-extends to the instruction's type (else it zero-extends). */
typedef enum ir_memop {
    IR_M8 = 0, IR_M16 = 1, IR_M32 = 2, IR_M64 = 3,
    IR_MSIZE = 3,
    IR_MSIGN = 4,
} ir_memop;

/* cc of F_USES_RM ops: how a floating-point result is rounded.  DYN is
 * the guest's current mode, set by FP_RM_SET. */
typedef enum ir_round {
    IR_RM_DYN, IR_RM_RNE, IR_RM_RTZ, IR_RM_RDN, IR_RM_RUP, IR_RM_RMM,
    IR_NUM_RM
} ir_round;

/* aux bits of F_FP_AUX ops. */
enum {
    IR_FP_CANON_NAN = 1, /* NaN results are the default NaN */
    IR_FP_SIGNED = 2,    /* FCVT_FI / FCVT_IF: the integer is signed */
    IR_FP_NAN_ZERO = 4,  /* FCVT_FI: NaN converts to 0, not MAX */
    IR_FP_SIGNAL = 8,    /* FLAGS_FCMP: any NaN raises invalid (fcmpe) */
    IR_FP_ARM_NAN = 16,  /* NaN results by Arm's rules (see ir_ops.def) */
};

/* a0 of FP_MODE_SET: the guest's floating-point modes. */
enum {
    IR_FPM_FLUSH_ZERO = 1,  /* denormal inputs and results are zero (Arm FPCR.FZ) */
    IR_FPM_DEFAULT_NAN = 2, /* IR_FP_ARM_NAN ops give the default NaN (FPCR.DN) */
};

/* The accrued exception flags of FP_FLAGS_GET/SET (RISC-V fflags order). */
enum {
    IR_FX_INEXACT = 1, IR_FX_UNDERFLOW = 2, IR_FX_OVERFLOW = 4,
    IR_FX_DIVZERO = 8, IR_FX_INVALID = 16,
    IR_FX_INPUT_DENORMAL = 32, /* Arm's IDC: a denormal input was flushed (FPCR.FZ) */
};

/* imm of RMW: what is stored, given old value o and operand v. */
typedef enum ir_rmw {
    IR_RMW_XCHG, IR_RMW_ADD, IR_RMW_AND, IR_RMW_OR, IR_RMW_XOR,
    IR_RMW_SMIN, IR_RMW_SMAX, IR_RMW_UMIN, IR_RMW_UMAX,
    IR_NUM_RMW
} ir_rmw_kind;

/* imm of FENCE. */
typedef enum ir_fence { IR_FENCE_FULL, IR_FENCE_ACQ, IR_FENCE_REL } ir_fence_kind;

/* imm of TRAP: why the guest stops at imm2 (its pc). */
typedef enum ir_trap {
    IR_TRAP_ILLEGAL,    /* undecodable / unimplemented: SIGILL */
    IR_TRAP_BREAKPOINT, /* ebreak / brk: SIGTRAP */
    IR_TRAP_FETCH,      /* pc not readable: SIGSEGV */
    IR_NUM_TRAPS
} ir_trap_kind;

/* A C function translated code may call: uint64_t fn(cpu, a0, a1, a2). */
typedef struct ir_helper {
    const char *name;
    uint64_t (*fn)(void *cpu, uint64_t a0, uint64_t a1, uint64_t a2);
    uint8_t nargs;
} ir_helper;

typedef uint32_t ir_val;
#define IR_NONE ((ir_val)UINT32_MAX)

typedef struct ir_insn {
    uint8_t op;    /* ir_op */
    uint8_t type;  /* ir_type of the result, or the width an exit compares at */
    uint8_t cc;    /* ir_cond (F_USES_CC) or ir_round (F_USES_RM) */
    uint8_t aux;   /* ir_memop (F_USES_MEMOP) or IR_FP_* bits (F_FP_AUX) */
    ir_val a[3];   /* value operands; IR_NONE where unused */
    int64_t imm, imm2;
} ir_insn;

/* Working arrays a pass or the backend may take from its block
 * (ir_scratch): one slot each for the arrays alive at the same time. */
enum { IR_SCRATCH_MAP, IR_SCRATCH_VAL, IR_SCRATCH_DEAD, IR_SCRATCH_KEEP, IR_SCRATCH_RENUM,
       IR_SCRATCH_BACKEND0, IR_SCRATCH_BACKEND1, IR_SCRATCH_BACKEND2, IR_SCRATCH_BACKEND3,
       IR_SCRATCH_SLOTS };
typedef struct ir_scratch_area {
    void *buf[IR_SCRATCH_SLOTS];
    size_t size[IR_SCRATCH_SLOTS];
} ir_scratch_area;

typedef struct ir_block {
    uint64_t guest_pc;   /* first guest instruction */
    /* [guest_lo, guest_end) holds every guest byte translated: a block may
     * follow direct jumps and branches' fall-through within its first
     * page (ir_follow). */
    uint64_t guest_lo;
    uint64_t guest_end;
    uint32_t n, cap;
    uint32_t n_guest;    /* guest instructions in the block */
    bool no_follow;      /* ir_follow never follows (set by the engine) */
    bool no_side_exits;  /* ir_follow follows gotos only (set by the engine) */
    uint32_t n_side_exits; /* EXIT_IFs ir_follow made */
    /* ir_follow never goes on at a pc for which this is true (set by the
     * engine: a guest function a host routine answers); NULL: none.
     * inline_call: whether the block, which ends in a direct call of pc
     * (its goto dropped), may have what the function does in place of
     * the call, and where its return goes (*resume); with emit, it is
     * emitted, and ir_follow goes on at *resume. */
    bool (*stop_at)(void *arg, uint64_t pc);
    bool (*inline_call)(void *arg, struct ir_block *b, uint64_t pc, uint64_t *resume,
                        bool emit);
    void *stop_arg;
    /* Working arrays (ir_scratch), kept from block to block: not the
     * block's contents, so a const block lends them too. */
    ir_scratch_area *scratch;
    uint32_t max_insns;  /* most guest instructions the frontend may put in
                          * the block; 0: its own limit (set by the engine:
                          * 1 under a debugger, ir_block_reset keeps it) */
    ir_insn *insns;
} ir_block;

ir_block *ir_block_new(uint64_t guest_pc);
/* At least bytes of working memory in slot k, its contents undefined: the
 * same memory for every block translated through b, so that the passes
 * allocate nothing per block. */
void *ir_scratch(const ir_block *b, unsigned k, size_t bytes);
void ir_block_free(ir_block *b);
void ir_block_reset(ir_block *b, uint64_t guest_pc);
/* Deep copy (for printing the block before and after passes). */
ir_block *ir_block_clone(const ir_block *b);

/* The one raw builder; the helpers below name the common shapes. */
ir_val ir_emit(ir_block *b, ir_op op, ir_type t, ir_val a0, ir_val a1, ir_val a2,
               int64_t imm, int64_t imm2);

ir_val ir_const(ir_block *b, ir_type t, int64_t v);
ir_val ir_ctx_load(ir_block *b, ir_type t, uint32_t off);
void ir_ctx_store(ir_block *b, ir_val v, uint32_t off);
void ir_insn_start(ir_block *b, uint64_t pc);
ir_val ir_binop(ir_block *b, ir_op op, ir_type t, ir_val x, ir_val y);
ir_val ir_sext(ir_block *b, ir_type t, ir_val x, int from_bits);
ir_val ir_zext(ir_block *b, ir_type t, ir_val x, int from_bits);
ir_val ir_setcc(ir_block *b, ir_type t, ir_cond c, ir_val x, ir_val y);
ir_val ir_select(ir_block *b, ir_type t, ir_val c, ir_val x, ir_val y);
/* Which operand of a LOAD or STORE is its index (ir_ops.def). */
static inline int ir_mem_index(const ir_insn *in) { return in->op == IR_STORE ? 2 : 1; }
ir_val ir_load(ir_block *b, ir_type t, ir_memop m, ir_val addr);
void ir_store(ir_block *b, ir_memop m, ir_val addr, ir_val v);
ir_val ir_cas(ir_block *b, ir_type t, ir_memop m, ir_val addr, ir_val expect, ir_val v);
ir_val ir_rmw(ir_block *b, ir_type t, ir_memop m, ir_rmw_kind k, ir_val addr, ir_val v);
void ir_fence(ir_block *b, ir_fence_kind k);
ir_val ir_call(ir_block *b, const ir_helper *h, ir_val a0, ir_val a1, ir_val a2);
/* Floating point: op is FADD..FCVT_FF; rm an ir_round; aux IR_FP_* bits. */
ir_val ir_fop(ir_block *b, ir_op op, ir_type t, ir_round rm, unsigned aux,
              ir_val x, ir_val y, ir_val z);
ir_val ir_fsetcc(ir_block *b, ir_type t, ir_cond c, ir_val x, ir_val y);
ir_val ir_bitcast(ir_block *b, ir_type t, ir_val x);
/* Flags (FLAGS_ADD..FLAGS_LOGIC) of an operation at width 32 or 64. */
ir_val ir_flags(ir_block *b, ir_op op, int width, ir_val x, ir_val y, ir_val z);
ir_val ir_flags_test(ir_block *b, ir_cond c, ir_val flags);
void ir_goto(ir_block *b, uint64_t pc);
void ir_goto_ind(ir_block *b, ir_val target);
/* The same jumps, said to be a guest call whose return address (stored
 * by the block) is ret_pc, or a guest return: hints the backend may keep
 * a return-address stack by (ir_ops.def). */
#define IR_JUMP_RETURN 1
void ir_goto_call(ir_block *b, uint64_t pc, uint64_t ret_pc);
void ir_goto_ind_call(ir_block *b, ir_val target, uint64_t ret_pc);
void ir_goto_return(ir_block *b, ir_val target);
void ir_branch(ir_block *b, ir_type t, ir_cond c, ir_val x, ir_val y,
               uint64_t taken, uint64_t next);
void ir_syscall(ir_block *b, uint64_t next_pc);
void ir_trap(ir_block *b, ir_trap_kind kind, uint64_t pc);
void ir_icache_sync(ir_block *b, uint64_t next_pc);

/* Vector ops (VAND..VMINUV): lanes is the lane size's log2 (0: 8 bits ..
 * 3: 64 bits; 0 for the lane-less bitwise ops), imm the op's immediate.
 * The result is v128, or i64 for VEXTRACT and the VADDV..VMINUV
 * reductions.
 *   ir_val s = ir_vop(b, IR_VADD, 2, x, y, IR_NONE, 0);   // add v.4s
 *   ir_val e = ir_vop(b, IR_VEXTRACT, 3, s, IR_NONE, IR_NONE, 1);  // umov x, v.d[1] */
static inline bool ir_vop_yields_int(ir_op op)
{
    return op == IR_VEXTRACT || (op >= IR_VADDV && op <= IR_VMINUV);
}

static inline ir_val ir_vop(ir_block *b, ir_op op, unsigned lanes, ir_val x, ir_val y,
                            ir_val z, int64_t imm)
{
    ir_val v = ir_emit(b, op, ir_vop_yields_int(op) ? IR_I64 : IR_V128, x, y, z, imm, 0);
    b->insns[v].aux = (uint8_t)lanes;
    return v;
}

/* A v128 constant: bits 0..63 are lo, 64..127 hi (movi v.2d: lo == hi). */
static inline ir_val ir_vconst(ir_block *b, uint64_t lo, uint64_t hi)
{
    return ir_emit(b, IR_CONST, IR_V128, IR_NONE, IR_NONE, IR_NONE, (int64_t)lo, (int64_t)hi);
}

/* True once the block has its exit. */
bool ir_ended(const ir_block *b);
/* Superblocks: when the block so far ends in a direct goto to a guest pc
 * in the same page as its start, not translated in it yet, and at least
 * room instructions may still be added, drop the goto and return true
 * with the target in *pc: the frontend goes on decoding there.  A
 * conditional branch is followed the same way when the block is a loop's
 * body: into the side loops_to (the frontend's scan of its guest code)
 * finds a direct branch back to the block's start on within
 * IR_SIDE_EXIT_REACH instructions, the fall-through first, the other side
 * becoming a side exit (EXIT_IF, its condition inverted when the taken
 * side is followed); never when a target is the start itself (that back
 * edge stays the exit) or the block has IR_MAX_SIDE_EXITS already.  Every frontend's loop calls it after an
 * instruction that ends the block. */
#define IR_MAX_SIDE_EXITS 6
#define IR_SIDE_EXIT_REACH 16
typedef bool ir_loops_to(uint64_t from, uint64_t head, uint32_t max);
bool ir_follow(ir_block *b, uint64_t *pc, uint32_t room, ir_loops_to *loops_to);
/* The block is complete: side exits are kept only in a loop (its exit goes
 * back to its start), where they let the whole body stay in registers;
 * elsewhere (the scan saw a back edge the decoding did not reach) the
 * block is cut back to end at its first one, a branch again.  Every
 * frontend calls it last. */
void ir_finish(ir_block *b);
/* The frontend translated len bytes at pc: widen [guest_lo, guest_end). */
void ir_cover(ir_block *b, uint64_t pc, uint64_t len);

/* Printing: the text of -d op and of the pass tests.  One line per insn:
 *   v3 = add.i64 v1, v2
 *   ctx_store v3, [x10]      (offsets are named through ctx_names if given)
 * ctx_name may be NULL; it names a context offset ("x10") or returns NULL. */
typedef const char *(*ir_ctx_namer)(uint32_t off);
void ir_print(const ir_block *b, FILE *out, ir_ctx_namer ctx_name);
void ir_print_insn(const ir_block *b, ir_val i, FILE *out, ir_ctx_namer ctx_name);
const char *ir_type_name(ir_type t);
const char *ir_cond_name(ir_cond c);
const char *ir_round_name(ir_round r);
static inline bool ir_is_float(ir_type t) { return t == IR_F32 || t == IR_F64; }
static inline bool ir_is_int(ir_type t) { return t == IR_I32 || t == IR_I64; }

/* Verifier: true if the block is well formed; else false, with a line
 * naming the first problem written to err (which may be NULL). */
bool ir_verify(const ir_block *b, char *err, size_t errlen);

/* Per-value use counts (array of b->n), for passes and the allocator. */
void ir_count_uses(const ir_block *b, uint32_t *uses);

#endif
