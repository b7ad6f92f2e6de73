// Byte searches of the C library that Swift's Glibc module does not export (GNU extensions).
#ifndef NIANBAO_TEXT_H
#define NIANBAO_TEXT_H

#include <stddef.h>

/// The first occurrence of `needle` in `haystack`, or NULL (memmem).
const void *nianbao_memmem(const void *haystack, size_t haystack_length, const void *needle, size_t needle_length);

#endif
