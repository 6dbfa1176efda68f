/* The code copied around each test case in the executable region (so it
 * must be position-independent).  fz_prologue is called as a C function
 * fz_prologue(const struct fz_case_hdr *state, void *host_save): it saves the
 * callee-saved registers, loads fcsr, f0-f31 and x1-x31 from the case, and
 * falls into the case's code.  fz_epilogue follows the case's code: it
 * stores every register below the buffer (s11 is never written by a case)
 * and returns to the C caller with its registers back. */
#include "fz_layout.h"
	.option norvc
	.text
	.globl fz_prologue, fz_prologue_end, fz_epilogue, fz_epilogue_end
	/* the fcsr accesses, which harness -I turns into nops */
	.globl fz_fcsr_in, fz_fcsr_out, fz_fcsr_clear

#define HDR_X 16           /* offsetof(struct fz_case_hdr, x) */
#define HDR_F (HDR_X + 256)
#define HDR_FCSR (HDR_F + 256)

fz_prologue:
	sd ra, 0(a1)
	sd sp, 8(a1)
	sd gp, 16(a1)
	sd tp, 24(a1)
	sd s0, 32(a1)
	sd s1, 40(a1)
	sd s2, 48(a1)
	sd s3, 56(a1)
	sd s4, 64(a1)
	sd s5, 72(a1)
	sd s6, 80(a1)
	sd s7, 88(a1)
	sd s8, 96(a1)
	sd s9, 104(a1)
	sd s10, 112(a1)
	sd s11, 120(a1)
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11
	fsd fs\n, 128+8*\n(a1)
	.endr
	ld t0, HDR_FCSR(a0)
fz_fcsr_in:
	fscsr t0
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	fld f\n, HDR_F+8*\n(a0)
	.endr
	.irp n, 1,2,3,4,5,6,7,8,9,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	ld x\n, HDR_X+8*\n(a0)
	.endr
	ld x10, HDR_X+80(a0)
fz_prologue_end:

fz_epilogue:
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	sd x\n, FZ_OUT_X+8*\n(s11)
	.endr
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	fsd f\n, FZ_OUT_F+8*\n(s11)
	.endr
	li t0, 0
fz_fcsr_out:
	frcsr t0
	sd t0, FZ_OUT_FCSR(s11)
fz_fcsr_clear:
	fscsr zero
	addi t0, s11, FZ_HOST_SAVE
	ld ra, 0(t0)
	ld sp, 8(t0)
	ld gp, 16(t0)
	ld tp, 24(t0)
	ld s0, 32(t0)
	ld s1, 40(t0)
	ld s2, 48(t0)
	ld s3, 56(t0)
	ld s4, 64(t0)
	ld s5, 72(t0)
	ld s6, 80(t0)
	ld s7, 88(t0)
	ld s8, 96(t0)
	ld s9, 104(t0)
	ld s10, 112(t0)
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11
	fld fs\n, 128+8*\n(t0)
	.endr
	ld s11, 120(t0)
	ret
fz_epilogue_end:
