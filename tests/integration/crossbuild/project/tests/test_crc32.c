/* CRC-32 check values (the "123456789" check of the CRC catalogue, zlib's
 * results) and incremental use matching one pass. */
#include <string.h>
#include "textkit.h"
#include "check.h"

int main(void)
{
    const char *check = "123456789";
    const char *fox = "The quick brown fox jumps over the lazy dog";
    CHECK(tk_crc32(0, "", 0) == 0);
    CHECK(tk_crc32(0, check, 9) == 0xcbf43926u);
    CHECK(tk_crc32(0, fox, strlen(fox)) == 0x414fa339u);
    CHECK(tk_crc32(0, "a", 1) == 0xe8b7be43u);
    uint32_t part = tk_crc32(0, fox, 10);
    CHECK(tk_crc32(part, fox + 10, strlen(fox) - 10) == 0x414fa339u);
    unsigned char zeros[4096] = { 0 };
    CHECK(tk_crc32(0, zeros, sizeof zeros) == 0xc71c0011u);
    return check_status("crc32");
}
