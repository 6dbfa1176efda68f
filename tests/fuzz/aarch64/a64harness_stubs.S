/* The code copied around each test case in the executable region (so it
 * must be position-independent).  fz_prologue is called as a C function
 * fz_prologue(const struct fz_case_hdr *state, void *host_save): it saves
 * the callee-saved registers, loads FPCR, FPSR, NZCV, v0-v31 and x0-x30
 * from the case, and falls into the case's code.  fz_epilogue follows the
 * case's code: it stores every register below the buffer through x28
 * (never written by a case) and returns to the C caller. */
#include "fz_layout.h"
	.text
	.globl fz_prologue, fz_prologue_end, fz_epilogue, fz_epilogue_end

#define HDR_X 16           /* offsetof(struct fz_case_hdr, x) */
#define HDR_NZCV (HDR_X + 248)
#define HDR_V (HDR_NZCV + 8)
#define HDR_FPCR (HDR_V + 512)
#define HDR_FPSR (HDR_FPCR + 8)

fz_prologue:
	stp x19, x20, [x1, 0]
	stp x21, x22, [x1, 16]
	stp x23, x24, [x1, 32]
	stp x25, x26, [x1, 48]
	stp x27, x28, [x1, 64]
	stp x29, x30, [x1, 80]
	stp d8, d9, [x1, 96]
	stp d10, d11, [x1, 112]
	stp d12, d13, [x1, 128]
	stp d14, d15, [x1, 144]
	ldr x2, [x0, HDR_FPCR]
	msr fpcr, x2
	ldr x2, [x0, HDR_FPSR]
	msr fpsr, x2
	ldr x2, [x0, HDR_NZCV]
	msr nzcv, x2
	add x2, x0, HDR_V
	ldp q0, q1, [x2, 0]
	ldp q2, q3, [x2, 32]
	ldp q4, q5, [x2, 64]
	ldp q6, q7, [x2, 96]
	ldp q8, q9, [x2, 128]
	ldp q10, q11, [x2, 160]
	ldp q12, q13, [x2, 192]
	ldp q14, q15, [x2, 224]
	ldp q16, q17, [x2, 256]
	ldp q18, q19, [x2, 288]
	ldp q20, q21, [x2, 320]
	ldp q22, q23, [x2, 352]
	ldp q24, q25, [x2, 384]
	ldp q26, q27, [x2, 416]
	ldp q28, q29, [x2, 448]
	ldp q30, q31, [x2, 480]
	add x1, x0, HDR_X
	ldp x2, x3, [x1, 16]
	ldp x4, x5, [x1, 32]
	ldp x6, x7, [x1, 48]
	ldp x8, x9, [x1, 64]
	ldp x10, x11, [x1, 80]
	ldp x12, x13, [x1, 96]
	ldp x14, x15, [x1, 112]
	ldp x16, x17, [x1, 128]
	ldp x18, x19, [x1, 144]
	ldp x20, x21, [x1, 160]
	ldp x22, x23, [x1, 176]
	ldp x24, x25, [x1, 192]
	ldp x26, x27, [x1, 208]
	ldp x28, x29, [x1, 224]
	ldr x30, [x1, 240]
	ldp x0, x1, [x1]
fz_prologue_end:

fz_epilogue:
	stur x0, [x28, -FZ_SPILL]
	sub x0, x28, FZ_OUT_BASE
	str x1, [x0, 8]
	stp x2, x3, [x0, 16]
	stp x4, x5, [x0, 32]
	stp x6, x7, [x0, 48]
	stp x8, x9, [x0, 64]
	stp x10, x11, [x0, 80]
	stp x12, x13, [x0, 96]
	stp x14, x15, [x0, 112]
	stp x16, x17, [x0, 128]
	stp x18, x19, [x0, 144]
	stp x20, x21, [x0, 160]
	stp x22, x23, [x0, 176]
	stp x24, x25, [x0, 192]
	stp x26, x27, [x0, 208]
	stp x28, x29, [x0, 224]
	str x30, [x0, 240]
	ldur x1, [x28, -FZ_SPILL]
	str x1, [x0]
	mrs x1, nzcv
	str x1, [x0, FZ_OUT_NZCV]
	mrs x1, fpcr
	str x1, [x0, FZ_OUT_FPCR]
	mrs x1, fpsr
	str x1, [x0, FZ_OUT_FPSR]
	add x1, x0, FZ_OUT_V
	stp q0, q1, [x1, 0]
	stp q2, q3, [x1, 32]
	stp q4, q5, [x1, 64]
	stp q6, q7, [x1, 96]
	stp q8, q9, [x1, 128]
	stp q10, q11, [x1, 160]
	stp q12, q13, [x1, 192]
	stp q14, q15, [x1, 224]
	stp q16, q17, [x1, 256]
	stp q18, q19, [x1, 288]
	stp q20, q21, [x1, 320]
	stp q22, q23, [x1, 352]
	stp q24, q25, [x1, 384]
	stp q26, q27, [x1, 416]
	stp q28, q29, [x1, 448]
	stp q30, q31, [x1, 480]
	msr fpcr, xzr
	msr fpsr, xzr
	add x1, x0, FZ_HOST_SAVE
	ldp x19, x20, [x1, 0]
	ldp x21, x22, [x1, 16]
	ldp x23, x24, [x1, 32]
	ldp x25, x26, [x1, 48]
	ldp x27, x28, [x1, 64]
	ldp x29, x30, [x1, 80]
	ldp d8, d9, [x1, 96]
	ldp d10, d11, [x1, 112]
	ldp d12, d13, [x1, 128]
	ldp d14, d15, [x1, 144]
	ret
fz_epilogue_end:
