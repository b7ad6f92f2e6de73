#define _GNU_SOURCE
#include <string.h>
#include "nianbao_text.h"

// glibc's memmem hashes pairs of bytes for short needles: a few instructions per byte of the haystack, where a
// memchr on a CJK lead byte (0xE4–0xE9 start most characters) stops at nearly every character.
const void *nianbao_memmem(const void *haystack, size_t haystack_length, const void *needle, size_t needle_length) {
    return memmem(haystack, haystack_length, needle, needle_length);
}
