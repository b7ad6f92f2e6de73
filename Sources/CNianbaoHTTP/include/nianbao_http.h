#ifndef NIANBAO_HTTP_H
#define NIANBAO_HTTP_H
// One HTTP GET through libcurl, for the fetch stage: the body is handed over as it arrives, decoded from gzip or
// deflate here (libcurl's own decoding is off) and counted after decoding, so that a limit holds while the bytes
// arrive and memory stays bounded by a few buffers however large a compressed body inflates. The transfer can
// be cancelled from another thread (polled every 50 ms) and is bounded by a deadline.

#include <stddef.h>

enum nianbao_http_outcome {
    NIANBAO_HTTP_OK = 0,
    NIANBAO_HTTP_TIMEOUT = 1,
    NIANBAO_HTTP_CONNECTION = 2,
    NIANBAO_HTTP_TOO_LARGE = 3,
    NIANBAO_HTTP_CANCELLED = 4,
    NIANBAO_HTTP_BAD_ENCODING = 5,
    NIANBAO_HTTP_INVALID = 6,
};

typedef struct nianbao_http_request {
    // What to get.
    const char *url;
    const char *const *headers;   // "Name: value" lines
    int header_count;
    const char *user_agent;
    double timeout_seconds;       // the whole transfer
    long long max_bytes;          // decoded body bytes
    const volatile int *cancel;   // set to non-zero from another thread to stop at once
    // Where the response goes: header lines as they arrive, then decoded body bytes. Return non-zero to stop.
    void *context;
    int (*on_header)(void *context, const char *line, size_t length);
    int (*on_body)(void *context, const unsigned char *data, size_t length);
    // What happened.
    long status;
    long long decoded_bytes;
    char error[256];
} nianbao_http_request;

// Runs the request; returns an nianbao_http_outcome. Thread-safe once nianbao_http_global_init has run.
int nianbao_http_get(nianbao_http_request *request);

// libcurl's global initialisation, once, before threads use nianbao_http_get.
void nianbao_http_global_init(void);

#endif
