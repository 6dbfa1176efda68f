/* Bit patterns of the floating-point values the fp-*.S tests use. */
#define D_0      0x0000000000000000
#define D_M0     0x8000000000000000
#define D_1      0x3ff0000000000000
#define D_M1     0xbff0000000000000
#define D_2      0x4000000000000000
#define D_3      0x4008000000000000
#define D_4      0x4010000000000000
#define D_5      0x4014000000000000
#define D_M5     0xc014000000000000
#define D_HALF   0x3fe0000000000000
#define D_1P5    0x3ff8000000000000
#define D_M1P5   0xbff8000000000000
#define D_2P5    0x4004000000000000
#define D_M2P5   0xc004000000000000
#define D_THIRD  0x3fd5555555555555   /* 1/3 rounded to nearest */
#define D_INF    0x7ff0000000000000
#define D_MINF   0xfff0000000000000
#define D_QNAN   0x7ff8000000000000   /* the canonical NaN */
#define D_QNANP  0x7ff8000000000123   /* a quiet NaN with a payload */
#define D_SNAN   0x7ff0000000000001
#define D_MAX    0x7fefffffffffffff
#define D_MINN   0x0010000000000000   /* smallest normal */
#define D_MINSUB 0x0000000000000001   /* smallest subnormal */
#define S_0      0x00000000
#define S_M0     0x80000000
#define S_1      0x3f800000
#define S_M1     0xbf800000
#define S_2      0x40000000
#define S_3      0x40400000
#define S_5      0x40a00000
#define S_1P5    0x3fc00000
#define S_THIRD  0x3eaaaaab
#define S_INF    0x7f800000
#define S_MINF   0xff800000
#define S_QNAN   0x7fc00000
#define S_QNANP  0x7fc00123
#define S_SNAN   0x7f800001
#define S_MAX    0x7f7fffff
