#ifndef NIANBAO_CCRYPTO_SHIM_H
#define NIANBAO_CCRYPTO_SHIM_H
#include <stddef.h>
#include <openssl/evp.h>

// SHA-256 of `count` bytes into `digest` (32 bytes); 1 on success. libcrypto picks the CPU's SHA extensions
// (SHA-NI) where there are any, and its hand-written vector code elsewhere.
static inline int nianbao_sha256(const void *bytes, size_t count, unsigned char *digest) {
    return EVP_Digest(bytes, count, digest, NULL, EVP_sha256(), NULL);
}
#endif
