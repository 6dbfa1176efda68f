/* crc32 and crc32c (Arm ARM C6: crc32b/h/w/x and crc32cb/h/w/x): the
 * reflected CRC-32 update (polynomials 0x04C11DB7 and 0x1EDC6F41, bit-
 * reversed 0xEDB88320 and 0x82F63B78) of the accumulator w1 with the low
 * 1/2/4/8 bytes of the data, least significant first; no inversion before
 * or after; bits 63:32 of the accumulator register are ignored and the W
 * result zero-extends.  Values from the manual's definition, computed
 * bitwise (the same routine reproduces zlib's crc32 of "123456789",
 * 0xcbf43926, and crc32c's check value 0xe3069283). */
#include "test.h"
TEST_BEGIN
T2(0x00000000, 0xaaaaaaaa00000000, 0x0, crc32b w0, w1, w2)
T2(0x00000000, 0xaaaaaaaa00000000, 0x0, crc32cb w0, w1, w2)
T2(0x7c231048, 0xaaaaaaaaffffffff, 0x31, crc32b w0, w1, w2)
T2(0x6f0a661c, 0xaaaaaaaaffffffff, 0x31, crc32cb w0, w1, w2)
T2(0x721553d3, 0xaaaaaaaa12345678, 0xdeadbeefcafebabe, crc32b w0, w1, w2)
T2(0xe53ef57a, 0xaaaaaaaa12345678, 0xdeadbeefcafebabe, crc32cb w0, w1, w2)
T2(0x00ffffff, 0xaaaaaaaaffffffff, 0xffffffffffffffff, crc32b w0, w1, w2)
T2(0x00ffffff, 0xaaaaaaaaffffffff, 0xffffffffffffffff, crc32cb w0, w1, w2)
T2(0x7977754b, 0xaaaaaaaaabcdef01, 0x102030405060708, crc32b w0, w1, w2)
T2(0x78191623, 0xaaaaaaaaabcdef01, 0x102030405060708, crc32cb w0, w1, w2)
T2(0x77073096, 0xaaaaaaaa00000000, 0x8000000000000001, crc32b w0, w1, w2)
T2(0xf26b8303, 0xaaaaaaaa00000000, 0x8000000000000001, crc32cb w0, w1, w2)
T2(0x00000000, 0xaaaaaaaa00000000, 0x0, crc32h w0, w1, w2)
T2(0x00000000, 0xaaaaaaaa00000000, 0x0, crc32ch w0, w1, w2)
T2(0x787beab2, 0xaaaaaaaaffffffff, 0x31, crc32h w0, w1, w2)
T2(0x5d7202d9, 0xaaaaaaaaffffffff, 0x31, crc32ch w0, w1, w2)
T2(0x341cccaf, 0xaaaaaaaa12345678, 0xdeadbeefcafebabe, crc32h w0, w1, w2)
T2(0xc3681831, 0xaaaaaaaa12345678, 0xdeadbeefcafebabe, crc32ch w0, w1, w2)
T2(0x0000ffff, 0xaaaaaaaaffffffff, 0xffffffffffffffff, crc32h w0, w1, w2)
T2(0x0000ffff, 0xaaaaaaaaffffffff, 0xffffffffffffffff, crc32ch w0, w1, w2)
T2(0x7f137ace, 0xaaaaaaaaabcdef01, 0x102030405060708, crc32h w0, w1, w2)
T2(0xe75f00d7, 0xaaaaaaaaabcdef01, 0x102030405060708, crc32ch w0, w1, w2)
T2(0x191b3141, 0xaaaaaaaa00000000, 0x8000000000000001, crc32h w0, w1, w2)
T2(0x13a29877, 0xaaaaaaaa00000000, 0x8000000000000001, crc32ch w0, w1, w2)
T2(0x00000000, 0xaaaaaaaa00000000, 0x0, crc32w w0, w1, w2)
T2(0x00000000, 0xaaaaaaaa00000000, 0x0, crc32cw w0, w1, w2)
T2(0x962cbf27, 0xaaaaaaaaffffffff, 0x31, crc32w w0, w1, w2)
T2(0x549cbb36, 0xaaaaaaaaffffffff, 0x31, crc32cw w0, w1, w2)
T2(0x4ac3fd3c, 0xaaaaaaaa12345678, 0xdeadbeefcafebabe, crc32w w0, w1, w2)
T2(0xd1456434, 0xaaaaaaaa12345678, 0xdeadbeefcafebabe, crc32cw w0, w1, w2)
T2(0x00000000, 0xaaaaaaaaffffffff, 0xffffffffffffffff, crc32w w0, w1, w2)
T2(0x00000000, 0xaaaaaaaaffffffff, 0xffffffffffffffff, crc32cw w0, w1, w2)
T2(0xc3994ef8, 0xaaaaaaaaabcdef01, 0x102030405060708, crc32w w0, w1, w2)
T2(0x1d42a648, 0xaaaaaaaaabcdef01, 0x102030405060708, crc32cw w0, w1, w2)
T2(0xb8bc6765, 0xaaaaaaaa00000000, 0x8000000000000001, crc32w w0, w1, w2)
T2(0xdd45aab8, 0xaaaaaaaa00000000, 0x8000000000000001, crc32cw w0, w1, w2)
T2(0x00000000, 0xaaaaaaaa00000000, 0x0, crc32x w0, w1, x2)
T2(0x00000000, 0xaaaaaaaa00000000, 0x0, crc32cx w0, w1, x2)
T2(0xd3ba7375, 0xaaaaaaaaffffffff, 0x31, crc32x w0, w1, x2)
T2(0xb39d5c7f, 0xaaaaaaaaffffffff, 0x31, crc32cx w0, w1, x2)
T2(0x4a21349a, 0xaaaaaaaa12345678, 0xdeadbeefcafebabe, crc32x w0, w1, x2)
T2(0x77820b81, 0xaaaaaaaa12345678, 0xdeadbeefcafebabe, crc32cx w0, w1, x2)
T2(0xdebb20e3, 0xaaaaaaaaffffffff, 0xffffffffffffffff, crc32x w0, w1, x2)
T2(0xb798b438, 0xaaaaaaaaffffffff, 0xffffffffffffffff, crc32cx w0, w1, x2)
T2(0x532d47c1, 0xaaaaaaaaabcdef01, 0x102030405060708, crc32x w0, w1, x2)
T2(0xd536797a, 0xaaaaaaaaabcdef01, 0x102030405060708, crc32cx w0, w1, x2)
T2(0x211283be, 0xaaaaaaaa00000000, 0x8000000000000001, crc32x w0, w1, x2)
T2(0xcbca465f, 0xaaaaaaaa00000000, 0x8000000000000001, crc32cx w0, w1, x2)
TEST_END
