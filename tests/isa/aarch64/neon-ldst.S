/* NEON structure loads (Arm ARM C7, LD1-LD4, LD1R-LD4R, single lane):
 * ldN de-interleaves N-element structures into N registers (element k of
 * register r is memory element k*N + r; ld1 with several registers fills
 * them one after another); a 64-bit arrangement zeroes bits 127:64; ldNr
 * replicates one structure; the lane forms keep the other lanes.  Stores
 * are checked by storing what was loaded and comparing the bytes, and the
 * post-index forms by the address register.  seq holds bytes 0..63. */
#include "test.h"
TEST_BEGIN
        LA(x1, seq); ld1 {v0.16b}, [x1]
        CHECK_V("ld1 {v0.16b}, [x1]: v0", 0, 0x0706050403020100, 0x0f0e0d0c0b0a0908)
        LA(x1, seq); ld1 {v0.8b}, [x1]
        CHECK_V("ld1 {v0.8b}, [x1]: v0", 0, 0x0706050403020100, 0x0000000000000000)
        LA(x1, seq); ld1 {v0.8h}, [x1]
        CHECK_V("ld1 {v0.8h}, [x1]: v0", 0, 0x0706050403020100, 0x0f0e0d0c0b0a0908)
        LA(x1, seq); ld1 {v0.4h}, [x1]
        CHECK_V("ld1 {v0.4h}, [x1]: v0", 0, 0x0706050403020100, 0x0000000000000000)
        LA(x1, seq); ld1 {v0.4s}, [x1]
        CHECK_V("ld1 {v0.4s}, [x1]: v0", 0, 0x0706050403020100, 0x0f0e0d0c0b0a0908)
        LA(x1, seq); ld1 {v0.2s}, [x1]
        CHECK_V("ld1 {v0.2s}, [x1]: v0", 0, 0x0706050403020100, 0x0000000000000000)
        LA(x1, seq); ld1 {v0.2d}, [x1]
        CHECK_V("ld1 {v0.2d}, [x1]: v0", 0, 0x0706050403020100, 0x0f0e0d0c0b0a0908)
        LA(x1, seq); ld1 {v0.1d}, [x1]
        CHECK_V("ld1 {v0.1d}, [x1]: v0", 0, 0x0706050403020100, 0x0000000000000000)
        LA(x1, seq); ld2 {v0.16b, v1.16b}, [x1]
        CHECK_V("ld2 {v0.16b, v1.16b}, [x1]: v0", 0, 0x0e0c0a0806040200, 0x1e1c1a1816141210)
        CHECK_V("ld2 {v0.16b, v1.16b}, [x1]: v1", 1, 0x0f0d0b0907050301, 0x1f1d1b1917151311)
        LA(x1, seq); ld2 {v0.8b, v1.8b}, [x1]
        CHECK_V("ld2 {v0.8b, v1.8b}, [x1]: v0", 0, 0x0e0c0a0806040200, 0x0000000000000000)
        CHECK_V("ld2 {v0.8b, v1.8b}, [x1]: v1", 1, 0x0f0d0b0907050301, 0x0000000000000000)
        LA(x1, seq); ld2 {v0.8h, v1.8h}, [x1]
        CHECK_V("ld2 {v0.8h, v1.8h}, [x1]: v0", 0, 0x0d0c090805040100, 0x1d1c191815141110)
        CHECK_V("ld2 {v0.8h, v1.8h}, [x1]: v1", 1, 0x0f0e0b0a07060302, 0x1f1e1b1a17161312)
        LA(x1, seq); ld2 {v0.4h, v1.4h}, [x1]
        CHECK_V("ld2 {v0.4h, v1.4h}, [x1]: v0", 0, 0x0d0c090805040100, 0x0000000000000000)
        CHECK_V("ld2 {v0.4h, v1.4h}, [x1]: v1", 1, 0x0f0e0b0a07060302, 0x0000000000000000)
        LA(x1, seq); ld2 {v0.4s, v1.4s}, [x1]
        CHECK_V("ld2 {v0.4s, v1.4s}, [x1]: v0", 0, 0x0b0a090803020100, 0x1b1a191813121110)
        CHECK_V("ld2 {v0.4s, v1.4s}, [x1]: v1", 1, 0x0f0e0d0c07060504, 0x1f1e1d1c17161514)
        LA(x1, seq); ld2 {v0.2s, v1.2s}, [x1]
        CHECK_V("ld2 {v0.2s, v1.2s}, [x1]: v0", 0, 0x0b0a090803020100, 0x0000000000000000)
        CHECK_V("ld2 {v0.2s, v1.2s}, [x1]: v1", 1, 0x0f0e0d0c07060504, 0x0000000000000000)
        LA(x1, seq); ld2 {v0.2d, v1.2d}, [x1]
        CHECK_V("ld2 {v0.2d, v1.2d}, [x1]: v0", 0, 0x0706050403020100, 0x1716151413121110)
        CHECK_V("ld2 {v0.2d, v1.2d}, [x1]: v1", 1, 0x0f0e0d0c0b0a0908, 0x1f1e1d1c1b1a1918)
        LA(x1, seq); ld3 {v0.16b, v1.16b, v2.16b}, [x1]
        CHECK_V("ld3 {v0.16b, v1.16b, v2.16b}, [x1]: v0", 0, 0x15120f0c09060300, 0x2d2a2724211e1b18)
        CHECK_V("ld3 {v0.16b, v1.16b, v2.16b}, [x1]: v1", 1, 0x1613100d0a070401, 0x2e2b2825221f1c19)
        CHECK_V("ld3 {v0.16b, v1.16b, v2.16b}, [x1]: v2", 2, 0x1714110e0b080502, 0x2f2c292623201d1a)
        LA(x1, seq); ld3 {v0.8b, v1.8b, v2.8b}, [x1]
        CHECK_V("ld3 {v0.8b, v1.8b, v2.8b}, [x1]: v0", 0, 0x15120f0c09060300, 0x0000000000000000)
        CHECK_V("ld3 {v0.8b, v1.8b, v2.8b}, [x1]: v1", 1, 0x1613100d0a070401, 0x0000000000000000)
        CHECK_V("ld3 {v0.8b, v1.8b, v2.8b}, [x1]: v2", 2, 0x1714110e0b080502, 0x0000000000000000)
        LA(x1, seq); ld3 {v0.8h, v1.8h, v2.8h}, [x1]
        CHECK_V("ld3 {v0.8h, v1.8h, v2.8h}, [x1]: v0", 0, 0x13120d0c07060100, 0x2b2a25241f1e1918)
        CHECK_V("ld3 {v0.8h, v1.8h, v2.8h}, [x1]: v1", 1, 0x15140f0e09080302, 0x2d2c272621201b1a)
        CHECK_V("ld3 {v0.8h, v1.8h, v2.8h}, [x1]: v2", 2, 0x171611100b0a0504, 0x2f2e292823221d1c)
        LA(x1, seq); ld3 {v0.4h, v1.4h, v2.4h}, [x1]
        CHECK_V("ld3 {v0.4h, v1.4h, v2.4h}, [x1]: v0", 0, 0x13120d0c07060100, 0x0000000000000000)
        CHECK_V("ld3 {v0.4h, v1.4h, v2.4h}, [x1]: v1", 1, 0x15140f0e09080302, 0x0000000000000000)
        CHECK_V("ld3 {v0.4h, v1.4h, v2.4h}, [x1]: v2", 2, 0x171611100b0a0504, 0x0000000000000000)
        LA(x1, seq); ld3 {v0.4s, v1.4s, v2.4s}, [x1]
        CHECK_V("ld3 {v0.4s, v1.4s, v2.4s}, [x1]: v0", 0, 0x0f0e0d0c03020100, 0x272625241b1a1918)
        CHECK_V("ld3 {v0.4s, v1.4s, v2.4s}, [x1]: v1", 1, 0x1312111007060504, 0x2b2a29281f1e1d1c)
        CHECK_V("ld3 {v0.4s, v1.4s, v2.4s}, [x1]: v2", 2, 0x171615140b0a0908, 0x2f2e2d2c23222120)
        LA(x1, seq); ld3 {v0.2s, v1.2s, v2.2s}, [x1]
        CHECK_V("ld3 {v0.2s, v1.2s, v2.2s}, [x1]: v0", 0, 0x0f0e0d0c03020100, 0x0000000000000000)
        CHECK_V("ld3 {v0.2s, v1.2s, v2.2s}, [x1]: v1", 1, 0x1312111007060504, 0x0000000000000000)
        CHECK_V("ld3 {v0.2s, v1.2s, v2.2s}, [x1]: v2", 2, 0x171615140b0a0908, 0x0000000000000000)
        LA(x1, seq); ld3 {v0.2d, v1.2d, v2.2d}, [x1]
        CHECK_V("ld3 {v0.2d, v1.2d, v2.2d}, [x1]: v0", 0, 0x0706050403020100, 0x1f1e1d1c1b1a1918)
        CHECK_V("ld3 {v0.2d, v1.2d, v2.2d}, [x1]: v1", 1, 0x0f0e0d0c0b0a0908, 0x2726252423222120)
        CHECK_V("ld3 {v0.2d, v1.2d, v2.2d}, [x1]: v2", 2, 0x1716151413121110, 0x2f2e2d2c2b2a2928)
        LA(x1, seq); ld4 {v0.16b, v1.16b, v2.16b, v3.16b}, [x1]
        CHECK_V("ld4 {v0.16b, v1.16b, v2.16b, v3.16b}, [x1]: v0", 0, 0x1c1814100c080400, 0x3c3834302c282420)
        CHECK_V("ld4 {v0.16b, v1.16b, v2.16b, v3.16b}, [x1]: v1", 1, 0x1d1915110d090501, 0x3d3935312d292521)
        CHECK_V("ld4 {v0.16b, v1.16b, v2.16b, v3.16b}, [x1]: v2", 2, 0x1e1a16120e0a0602, 0x3e3a36322e2a2622)
        CHECK_V("ld4 {v0.16b, v1.16b, v2.16b, v3.16b}, [x1]: v3", 3, 0x1f1b17130f0b0703, 0x3f3b37332f2b2723)
        LA(x1, seq); ld4 {v0.8b, v1.8b, v2.8b, v3.8b}, [x1]
        CHECK_V("ld4 {v0.8b, v1.8b, v2.8b, v3.8b}, [x1]: v0", 0, 0x1c1814100c080400, 0x0000000000000000)
        CHECK_V("ld4 {v0.8b, v1.8b, v2.8b, v3.8b}, [x1]: v1", 1, 0x1d1915110d090501, 0x0000000000000000)
        CHECK_V("ld4 {v0.8b, v1.8b, v2.8b, v3.8b}, [x1]: v2", 2, 0x1e1a16120e0a0602, 0x0000000000000000)
        CHECK_V("ld4 {v0.8b, v1.8b, v2.8b, v3.8b}, [x1]: v3", 3, 0x1f1b17130f0b0703, 0x0000000000000000)
        LA(x1, seq); ld4 {v0.8h, v1.8h, v2.8h, v3.8h}, [x1]
        CHECK_V("ld4 {v0.8h, v1.8h, v2.8h, v3.8h}, [x1]: v0", 0, 0x1918111009080100, 0x3938313029282120)
        CHECK_V("ld4 {v0.8h, v1.8h, v2.8h, v3.8h}, [x1]: v1", 1, 0x1b1a13120b0a0302, 0x3b3a33322b2a2322)
        CHECK_V("ld4 {v0.8h, v1.8h, v2.8h, v3.8h}, [x1]: v2", 2, 0x1d1c15140d0c0504, 0x3d3c35342d2c2524)
        CHECK_V("ld4 {v0.8h, v1.8h, v2.8h, v3.8h}, [x1]: v3", 3, 0x1f1e17160f0e0706, 0x3f3e37362f2e2726)
        LA(x1, seq); ld4 {v0.4h, v1.4h, v2.4h, v3.4h}, [x1]
        CHECK_V("ld4 {v0.4h, v1.4h, v2.4h, v3.4h}, [x1]: v0", 0, 0x1918111009080100, 0x0000000000000000)
        CHECK_V("ld4 {v0.4h, v1.4h, v2.4h, v3.4h}, [x1]: v1", 1, 0x1b1a13120b0a0302, 0x0000000000000000)
        CHECK_V("ld4 {v0.4h, v1.4h, v2.4h, v3.4h}, [x1]: v2", 2, 0x1d1c15140d0c0504, 0x0000000000000000)
        CHECK_V("ld4 {v0.4h, v1.4h, v2.4h, v3.4h}, [x1]: v3", 3, 0x1f1e17160f0e0706, 0x0000000000000000)
        LA(x1, seq); ld4 {v0.4s, v1.4s, v2.4s, v3.4s}, [x1]
        CHECK_V("ld4 {v0.4s, v1.4s, v2.4s, v3.4s}, [x1]: v0", 0, 0x1312111003020100, 0x3332313023222120)
        CHECK_V("ld4 {v0.4s, v1.4s, v2.4s, v3.4s}, [x1]: v1", 1, 0x1716151407060504, 0x3736353427262524)
        CHECK_V("ld4 {v0.4s, v1.4s, v2.4s, v3.4s}, [x1]: v2", 2, 0x1b1a19180b0a0908, 0x3b3a39382b2a2928)
        CHECK_V("ld4 {v0.4s, v1.4s, v2.4s, v3.4s}, [x1]: v3", 3, 0x1f1e1d1c0f0e0d0c, 0x3f3e3d3c2f2e2d2c)
        LA(x1, seq); ld4 {v0.2s, v1.2s, v2.2s, v3.2s}, [x1]
        CHECK_V("ld4 {v0.2s, v1.2s, v2.2s, v3.2s}, [x1]: v0", 0, 0x1312111003020100, 0x0000000000000000)
        CHECK_V("ld4 {v0.2s, v1.2s, v2.2s, v3.2s}, [x1]: v1", 1, 0x1716151407060504, 0x0000000000000000)
        CHECK_V("ld4 {v0.2s, v1.2s, v2.2s, v3.2s}, [x1]: v2", 2, 0x1b1a19180b0a0908, 0x0000000000000000)
        CHECK_V("ld4 {v0.2s, v1.2s, v2.2s, v3.2s}, [x1]: v3", 3, 0x1f1e1d1c0f0e0d0c, 0x0000000000000000)
        LA(x1, seq); ld4 {v0.2d, v1.2d, v2.2d, v3.2d}, [x1]
        CHECK_V("ld4 {v0.2d, v1.2d, v2.2d, v3.2d}, [x1]: v0", 0, 0x0706050403020100, 0x2726252423222120)
        CHECK_V("ld4 {v0.2d, v1.2d, v2.2d, v3.2d}, [x1]: v1", 1, 0x0f0e0d0c0b0a0908, 0x2f2e2d2c2b2a2928)
        CHECK_V("ld4 {v0.2d, v1.2d, v2.2d, v3.2d}, [x1]: v2", 2, 0x1716151413121110, 0x3736353433323130)
        CHECK_V("ld4 {v0.2d, v1.2d, v2.2d, v3.2d}, [x1]: v3", 3, 0x1f1e1d1c1b1a1918, 0x3f3e3d3c3b3a3938)
        LA(x1, seq); ld1r {v0.4s}, [x1]
        CHECK_V("ld1r {v0.4s}, [x1]: v0", 0, 0x0302010003020100, 0x0302010003020100)
        LA(x1, seq); ld2r {v0.4s, v1.4s}, [x1]
        CHECK_V("ld2r {v0.4s, v1.4s}, [x1]: v0", 0, 0x0302010003020100, 0x0302010003020100)
        CHECK_V("ld2r {v0.4s, v1.4s}, [x1]: v1", 1, 0x0706050407060504, 0x0706050407060504)
        LA(x1, seq); ld3r {v0.4s, v1.4s, v2.4s}, [x1]
        CHECK_V("ld3r {v0.4s, v1.4s, v2.4s}, [x1]: v0", 0, 0x0302010003020100, 0x0302010003020100)
        CHECK_V("ld3r {v0.4s, v1.4s, v2.4s}, [x1]: v1", 1, 0x0706050407060504, 0x0706050407060504)
        CHECK_V("ld3r {v0.4s, v1.4s, v2.4s}, [x1]: v2", 2, 0x0b0a09080b0a0908, 0x0b0a09080b0a0908)
        LA(x1, seq); ld4r {v0.4s, v1.4s, v2.4s, v3.4s}, [x1]
        CHECK_V("ld4r {v0.4s, v1.4s, v2.4s, v3.4s}, [x1]: v0", 0, 0x0302010003020100, 0x0302010003020100)
        CHECK_V("ld4r {v0.4s, v1.4s, v2.4s, v3.4s}, [x1]: v1", 1, 0x0706050407060504, 0x0706050407060504)
        CHECK_V("ld4r {v0.4s, v1.4s, v2.4s, v3.4s}, [x1]: v2", 2, 0x0b0a09080b0a0908, 0x0b0a09080b0a0908)
        CHECK_V("ld4r {v0.4s, v1.4s, v2.4s, v3.4s}, [x1]: v3", 3, 0x0f0e0d0c0f0e0d0c, 0x0f0e0d0c0f0e0d0c)
        movi v0.16b, 0x55; movi v1.16b, 0x55; movi v2.16b, 0x55; movi v3.16b, 0x55; LA(x1, seq); ld4 {v0.b, v1.b, v2.b, v3.b}[3], [x1]
        CHECK_V("ld4 {v0.b, v1.b, v2.b, v3.b}[3], [x1]: v0", 0, 0x5555555500555555, 0x5555555555555555)
        CHECK_V("ld4 {v0.b, v1.b, v2.b, v3.b}[3], [x1]: v1", 1, 0x5555555501555555, 0x5555555555555555)
        CHECK_V("ld4 {v0.b, v1.b, v2.b, v3.b}[3], [x1]: v2", 2, 0x5555555502555555, 0x5555555555555555)
        CHECK_V("ld4 {v0.b, v1.b, v2.b, v3.b}[3], [x1]: v3", 3, 0x5555555503555555, 0x5555555555555555)
        movi v0.16b, 0x55; LA(x1, seq); ld1 {v0.h}[7], [x1]
        CHECK_V("ld1 {v0.h}[7], [x1]: v0", 0, 0x5555555555555555, 0x0100555555555555)
        movi v0.16b, 0x55; movi v1.16b, 0x55; LA(x1, seq); ld2 {v0.s, v1.s}[1], [x1]
        CHECK_V("ld2 {v0.s, v1.s}[1], [x1]: v0", 0, 0x0302010055555555, 0x5555555555555555)
        CHECK_V("ld2 {v0.s, v1.s}[1], [x1]: v1", 1, 0x0706050455555555, 0x5555555555555555)
/* post-index: immediate (the bytes transferred) and register */
        LA(x1, seq); ld4 {v0.4s, v1.4s, v2.4s, v3.4s}, [x1], 64; LA(x9, seq); sub x9, x1, x9
        CHECK("ld4 post-index", x9, 64)
        LA(x1, seq); mov x2, 5; ld1 {v0.16b}, [x1], x2; LA(x9, seq); sub x9, x1, x9
        CHECK("ld1 post-index reg", x9, 5)
        LA(x1, seq); ld3r {v0.8h, v1.8h, v2.8h}, [x1], 6; LA(x9, seq); sub x9, x1, x9
        CHECK("ld3r post-index", x9, 6)
        LA(x1, seq); ld1 {v0.d}[1], [x1], 8; LA(x9, seq); sub x9, x1, x9; CHECK("ld1 lane post-index", x9, 8)
/* stores: stN of what ldN loaded gives the same bytes back */
.macro st_round ld, st, n
        LA(x1, seq); \ld, [x1]; LA(x2, scr); mov x3, -1; .rept 8; str x3, [x2], 8; .endr
        LA(x2, scr); \st, [x2]
        LA(x1, seq); LA(x2, scr); mov x4, 0
1:      ldrb w9, [x1, x4]; ldrb w10, [x2, x4]; cmp w9, w10; b.ne 2f; add x4, x4, 1; cmp x4, \n; b.lo 1b
        ldrb w10, [x2, x4]; cmp x4, 64; b.eq 3f; cmp w10, 0xff; b.ne 2f; b 3f
2:      .pushsection .rodata; 4: .asciz "\st: byte"; .popsection
        adr x21, 4b; mov x20, x4; mov x19, -1; b test_fail
3:
.endm
        st_round "ld1 {v0.16b}", "st1 {v0.16b}", 16
        st_round "ld1 {v0.8b, v1.8b, v2.8b}", "st1 {v0.8b, v1.8b, v2.8b}", 24
        st_round "ld1 {v0.2d, v1.2d, v2.2d, v3.2d}", "st1 {v0.2d, v1.2d, v2.2d, v3.2d}", 64
        st_round "ld2 {v0.8h, v1.8h}", "st2 {v0.8h, v1.8h}", 32
        st_round "ld2 {v0.2s, v1.2s}", "st2 {v0.2s, v1.2s}", 16
        st_round "ld3 {v0.16b, v1.16b, v2.16b}", "st3 {v0.16b, v1.16b, v2.16b}", 48
        st_round "ld3 {v0.4h, v1.4h, v2.4h}", "st3 {v0.4h, v1.4h, v2.4h}", 24
        st_round "ld4 {v0.4s, v1.4s, v2.4s, v3.4s}", "st4 {v0.4s, v1.4s, v2.4s, v3.4s}", 64
        st_round "ld4 {v0.8b, v1.8b, v2.8b, v3.8b}", "st4 {v0.8b, v1.8b, v2.8b, v3.8b}", 32
        st_round "ld1 {v0.s}[0]", "st1 {v0.s}[0]", 4
        st_round "ld2 {v0.h, v1.h}[0]", "st2 {v0.h, v1.h}[0]", 4
/* st2 interleaves: v0 = 0x00.., v1 = 0xff.. gives 00 00 ff ff per halfword pair */
        movi v0.16b, 0; movi v1.16b, 0xff; LA(x2, scr); st2 {v0.8h, v1.8h}, [x2]; ldr x0, [x2]
        CHECK("st2 interleave", x0, 0xffff0000ffff0000)
        LA(x2, scr); st4 {v0.b, v1.b, v2.b, v3.b}[0], [x2], 4; LA(x9, scr); sub x9, x2, x9
        CHECK("st4 lane post-index", x9, 4)
TEST_END
        .data
        .balign 16
seq:    .irp i, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
        .byte \i
        .endr
        .irp i, 32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47,48,49,50,51,52,53,54,55,56,57,58,59,60,61,62,63
        .byte \i
        .endr
scr:    .space 80
