/* textkit: a tiny text utility library (base64, UTF-8 validation, CRC-32,
 * integer parsing), the sample project that Ferry's cross-build test
 * (tests/integration/crossbuild.sh) cross-compiles with meson and CMake
 * and whose own test suite it runs under Ferry.
 *
 *   char out[TK_BASE64_LEN(3) + 1];
 *   tk_base64_encode("foo", 3, out);            // out = "Zm9v"
 */
#ifndef TEXTKIT_H
#define TEXTKIT_H

#include <stddef.h>
#include <stdint.h>

/* Characters tk_base64_encode writes for n bytes (no terminator). */
#define TK_BASE64_LEN(n) ((((n) + 2) / 3) * 4)

/* Encodes n bytes as padded base64 (RFC 4648 section 4) into dst, which
 * must hold TK_BASE64_LEN(n) + 1 bytes; returns the length written. */
size_t tk_base64_encode(const void *src, size_t n, char *dst);

/* Decodes n characters of padded base64 into dst (at least n / 4 * 3
 * bytes).  Returns the number of bytes, or -1 when the text is not base64
 * (a character outside the alphabet, misplaced '=', a length that is not a
 * multiple of 4, non-zero padding bits); *bad is then the offending
 * character's offset (bad may be NULL). */
long tk_base64_decode(const char *src, size_t n, void *dst, size_t *bad);

/* The offset of the first byte of s that is not part of a well-formed
 * UTF-8 sequence (RFC 3629: no overlongs, surrogates or code points past
 * U+10FFFF), or n when all of s is valid. */
size_t tk_utf8_check(const void *s, size_t n);

/* The number of code points in valid UTF-8 text, or -1 if it is invalid. */
long tk_utf8_count(const void *s, size_t n);

/* CRC-32 (ISO-HDLC, as zlib and Ethernet): continue crc over n bytes;
 * start with crc = 0. */
uint32_t tk_crc32(uint32_t crc, const void *buf, size_t n);

/* Parses a whole string as an unsigned 64-bit number: decimal, or
 * hexadecimal after "0x".  Returns 0 and sets *out, or -1 on an empty
 * string, a stray character or overflow. */
int tk_parse_u64(const char *s, uint64_t *out);

#endif
