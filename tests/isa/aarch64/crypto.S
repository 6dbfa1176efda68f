/* The cryptographic extension (Arm ARM C7: AESE, AESD, AESMC, AESIMC,
 * SHA1C/P/M, SHA1H, SHA1SU0/SU1, SHA256H/H2, SHA256SU0/SU1, PMULL/PMULL2)
 * used as real code uses it, checked against the standards' own vectors:
 * AES-128 of FIPS-197 appendix C.1 (the key schedule made with aese, as
 * Linux's aes-ce code does), SHA-1 and SHA-256 of "abc" and of the 56-byte
 * two-block message of FIPS 180-4's examples, and carry-less products
 * worked by hand.  All agree with qemu-aarch64 7.2. */
#include "test.h"
        .arch armv8-a+crypto
TEST_BEGIN
        /* ---- AES-128, FIPS-197 C.1: round keys into v10..v20 */
        LA(x0, aes_key)
        ld1 {v10.16b}, [x0]
        LA(x1, aes_rcon)
        LA(x8, aes_keys)
        str q10, [x8], 16
        mov x2, 0
        movi v7.16b, 0
1:      mov w3, v10.s[3]
        dup v8.4s, w3
        aese v8.16b, v7.16b             /* SubWord, in every column alike */
        mov w4, v8.s[0]
        ror w4, w4, 8                   /* RotWord */
        ldrb w5, [x1, x2]
        eor w4, w4, w5                  /* Rcon */
        mov w5, v10.s[0]
        eor w5, w5, w4
        mov w6, v10.s[1]
        eor w6, w6, w5
        mov w7, v10.s[2]
        eor w7, w7, w6
        mov w12, v10.s[3]
        eor w12, w12, w7
        mov v10.s[0], w5
        mov v10.s[1], w6
        mov v10.s[2], w7
        mov v10.s[3], w12
        str q10, [x8], 16
        add x2, x2, 1
        cmp x2, 10
        b.ne 1b
        /* encrypt */
        LA(x0, aes_plain)
        ld1 {v0.16b}, [x0]
        LA(x0, aes_keys)
        ld1 {v16.16b-v19.16b}, [x0], 64
        ld1 {v20.16b-v23.16b}, [x0], 64
        ld1 {v24.16b-v26.16b}, [x0]
        aese v0.16b, v16.16b
        aesmc v0.16b, v0.16b
        aese v0.16b, v17.16b
        aesmc v0.16b, v0.16b
        aese v0.16b, v18.16b
        aesmc v0.16b, v0.16b
        aese v0.16b, v19.16b
        aesmc v0.16b, v0.16b
        aese v0.16b, v20.16b
        aesmc v0.16b, v0.16b
        aese v0.16b, v21.16b
        aesmc v0.16b, v0.16b
        aese v0.16b, v22.16b
        aesmc v0.16b, v0.16b
        aese v0.16b, v23.16b
        aesmc v0.16b, v0.16b
        aese v0.16b, v24.16b
        aesmc v0.16b, v0.16b
        aese v0.16b, v25.16b
        eor v0.16b, v0.16b, v26.16b
        CHECK_V("aes-128 encrypt", 0, 0x30047b6ad8e0c469, 0x5ac5b47080b7cdd8)
        /* decrypt: the equivalent inverse cipher, keys 1..9 through aesimc */
        aesd v0.16b, v26.16b
        aesimc v0.16b, v0.16b
        .irp k, 25, 24, 23, 22, 21, 20, 19, 18
        aesimc v1.16b, v\k\().16b
        aesd v0.16b, v1.16b
        aesimc v0.16b, v0.16b
        .endr
        aesimc v1.16b, v17.16b
        aesd v0.16b, v1.16b
        eor v0.16b, v0.16b, v16.16b
        CHECK_V("aes-128 decrypt", 0, 0x7766554433221100, 0xffeeddccbbaa9988)

        /* ---- SHA-256 of "abc" and of the two-block message */
        bl sha256_init
        LA(x0, msg_abc)
        bl sha256_block
        CHECK_V("sha256(abc) h0-h3", 10, 0x8f01cfeaba7816bf, 0x5dae2223414140de)
        CHECK_V("sha256(abc) h4-h7", 11, 0x96177a9cb00361a3, 0xf20015adb410ff61)
        bl sha256_init
        LA(x0, msg_two)
        bl sha256_block
        bl sha256_block
        CHECK_V("sha256(abcdbcde...) h0-h3", 10, 0xd20638b8248d6a61, 0x0c3e6039e5c02693)
        CHECK_V("sha256(abcdbcde...) h4-h7", 11, 0x64ff2167a33ce459, 0x19db06c1f6ecedd4)

        /* ---- SHA-1 of the same */
        bl sha1_init
        LA(x0, msg_abc)
        bl sha1_block
        CHECK_V("sha1(abc) h0-h3", 10, 0x4706816aa9993e36, 0x7850c26cba3e2571)
        mov w11, v11.s[0]
        CHECK("sha1(abc) h4", x11, 0x9cd0d89d)
        bl sha1_init
        LA(x0, msg_two)
        bl sha1_block
        bl sha1_block
        CHECK_V("sha1(abcdbcde...) h0-h3", 10, 0x1c3bd26e84983e44, 0xf95129e5baae4aa1)
        mov w11, v11.s[0]
        CHECK("sha1(abcdbcde...) h4", x11, 0xe54670f1)
        /* sha1h alone: ROL(x, 30), the rest of the register zeroed */
        SET_V(1, 0x1234567800000003, 0xffffffffffffffff)
        sha1h s0, s1
        CHECK_V("sha1h", 0, 0xc0000000, 0)

        /* ---- carry-less products */
        TV(0x0000000000000005, 0x0000000000000000, 3, 0, 3, 0, pmull v0.1q, v1.1d, v2.1d)
        TV(0x5555555555555555, 0x5555555555555555, 0, -1, 0, -1, pmull2 v0.1q, v1.2d, v2.2d)
        TV(0x7000000000000000, 0x0000000000000008, 0x87, 0, 0x1000000000000000, 0, pmull v0.1q, v1.1d, v2.1d)
        TV(0x0000000000000000, 0x4000000000000000, 0x8000000000000000, 0, 0x8000000000000000, 0, pmull v0.1q, v1.1d, v2.1d)
        TV(0x0000000000000005, 0x5555400000000000, 0xff80000000000003, 0, 0xff80000000000003, 0, pmull v0.8h, v1.8b, v2.8b)
        TV(0x0000000000000005, 0x5555400000000000, 0, 0xff80000000000003, 0, 0xff80000000000003, pmull2 v0.8h, v1.16b, v2.16b)
TEST_END

        .text
sha256_init:
        LA(x8, sha256_h0)
        ld1 {v10.4s, v11.4s}, [x8]
        ret

/* one block at x0 (x0 advances) into v10 (abcd), v11 (efgh) */
sha256_block:
        ld1 {v1.16b-v4.16b}, [x0], 64
        rev32 v1.16b, v1.16b
        rev32 v2.16b, v2.16b
        rev32 v3.16b, v3.16b
        rev32 v4.16b, v4.16b
        mov v20.16b, v10.16b
        mov v21.16b, v11.16b
        LA(x8, sha256_k)
        mov x9, 0
1:      ld1 {v5.4s}, [x8], 16
        add v5.4s, v5.4s, v1.4s
        mov v6.16b, v10.16b
        sha256h q10, q11, v5.4s
        sha256h2 q11, q6, v5.4s
        cmp x9, 12
        b.ge 2f
        sha256su0 v1.4s, v2.4s
        sha256su1 v1.4s, v3.4s, v4.4s
2:      mov v7.16b, v1.16b              /* rotate the schedule: v1 <- v2 <- v3 <- v4 <- v1 */
        mov v1.16b, v2.16b
        mov v2.16b, v3.16b
        mov v3.16b, v4.16b
        mov v4.16b, v7.16b
        add x9, x9, 1
        cmp x9, 16
        b.ne 1b
        add v10.4s, v10.4s, v20.4s
        add v11.4s, v11.4s, v21.4s
        ret

sha1_init:
        LA(x8, sha1_h0)
        ld1 {v10.4s}, [x8], 16
        ld1 {v11.s}[0], [x8]
        ret

/* one block at x0 (x0 advances) into v10 (abcd), s11 (e) */
sha1_block:
        ld1 {v1.16b-v4.16b}, [x0], 64
        rev32 v1.16b, v1.16b
        rev32 v2.16b, v2.16b
        rev32 v3.16b, v3.16b
        rev32 v4.16b, v4.16b
        mov v20.16b, v10.16b
        mov v21.16b, v11.16b
        LA(x8, sha1_k)
        mov x9, 0
        mov x13, 5
1:      udiv x10, x9, x13               /* x13 = 5: the constant and function of the group */
        ldr w11, [x8, x10, lsl 2]
        dup v5.4s, w11
        add v5.4s, v5.4s, v1.4s
        sha1h s12, s10
        cmp x10, 0
        b.ne 3f
        sha1c q10, s11, v5.4s
        b 5f
3:      cmp x10, 2
        b.ne 4f
        sha1m q10, s11, v5.4s
        b 5f
4:      sha1p q10, s11, v5.4s
5:      mov v11.16b, v12.16b
        cmp x9, 16
        b.ge 2f
        sha1su0 v1.4s, v2.4s, v3.4s
        sha1su1 v1.4s, v4.4s
2:      mov v7.16b, v1.16b
        mov v1.16b, v2.16b
        mov v2.16b, v3.16b
        mov v3.16b, v4.16b
        mov v4.16b, v7.16b
        add x9, x9, 1
        cmp x9, 20
        b.ne 1b
        add v10.4s, v10.4s, v20.4s
        add v11.4s, v11.4s, v21.4s
        ret

        .section .rodata
        .balign 16
aes_key:   .byte 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f
aes_plain: .byte 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff
aes_rcon:  .byte 0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80, 0x1b, 0x36
        .balign 16
sha256_h0: .word 0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a
           .word 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19
sha256_k:
        .word 0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5
        .word 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174
        .word 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da
        .word 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967
        .word 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85
        .word 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070
        .word 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3
        .word 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
sha1_h0:   .word 0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0
sha1_k:    .word 0x5a827999, 0x6ed9eba1, 0x8f1bbcdc, 0xca62c1d6
        .balign 16
/* "abc" padded to one block: 0x80, zeros, the length in bits (24) big-endian */
msg_abc:   .ascii "abc"
           .byte 0x80
           .fill 59, 1, 0
           .byte 0x18
/* the 56-byte message: two blocks, the second all padding (448 bits) */
msg_two:   .ascii "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
           .byte 0x80
           .fill 69, 1, 0
           .byte 0x01, 0xc0
        .data
        .balign 16
aes_keys:  .fill 176, 1, 0
