#include "nianbao_http.h"

#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>

typedef struct {
    nianbao_http_request *request;
    int encoded;          // the response has Content-Encoding gzip or deflate
    int inflating;        // zlib stream initialised
    int raw_deflate;      // retried as raw deflate (servers that send it without the zlib wrapper)
    int stream_end;       // the compressed stream reached its end
    z_stream zstream;
    int outcome;          // set when a callback stops the transfer
} transfer;

static pthread_once_t once = PTHREAD_ONCE_INIT;
static void global_init(void) { curl_global_init(CURL_GLOBAL_DEFAULT); }
void nianbao_http_global_init(void) { pthread_once(&once, global_init); }

static size_t header_callback(char *buffer, size_t size, size_t count, void *userdata) {
    transfer *t = userdata;
    size_t length = size * count;
    if (length > 17 && strncasecmp(buffer, "content-encoding:", 17) == 0) {
        const char *value = buffer + 17;
        while (*value == ' ' || *value == '\t') value++;
        t->encoded = strncasecmp(value, "gzip", 4) == 0 || strncasecmp(value, "x-gzip", 6) == 0 || strncasecmp(value, "deflate", 7) == 0;
        if (!t->encoded && strncasecmp(value, "identity", 8) != 0 && value[0] != '\r' && value[0] != '\n') {
            t->outcome = NIANBAO_HTTP_BAD_ENCODING;
            snprintf(t->request->error, sizeof t->request->error, "unsupported Content-Encoding");
            return 0;
        }
    }
    // A declared length over the limit (without encoding) fails before any body byte.
    if (length > 15 && strncasecmp(buffer, "content-length:", 15) == 0 && !t->encoded) {
        long long declared = atoll(buffer + 15);
        if (declared > t->request->max_bytes) {
            t->outcome = NIANBAO_HTTP_TOO_LARGE;
            return 0;
        }
    }
    if (t->request->on_header && t->request->on_header(t->request->context, buffer, length) != 0) {
        t->outcome = NIANBAO_HTTP_CANCELLED;
        return 0;
    }
    return length;
}

// Hands `length` decoded bytes on, counting them against the limit.
static int deliver(transfer *t, const unsigned char *data, size_t length) {
    t->request->decoded_bytes += (long long)length;
    if (t->request->decoded_bytes > t->request->max_bytes) {
        t->outcome = NIANBAO_HTTP_TOO_LARGE;
        return 0;
    }
    if (t->request->on_body && t->request->on_body(t->request->context, data, length) != 0) {
        t->outcome = NIANBAO_HTTP_CANCELLED;
        return 0;
    }
    return 1;
}

static size_t body_callback(char *buffer, size_t size, size_t count, void *userdata) {
    transfer *t = userdata;
    size_t length = size * count;
    if (!t->encoded) return deliver(t, (const unsigned char *)buffer, length) ? length : 0;
    if (!t->inflating) {
        memset(&t->zstream, 0, sizeof t->zstream);
        if (inflateInit2(&t->zstream, 15 + 32) != Z_OK) { t->outcome = NIANBAO_HTTP_BAD_ENCODING; return 0; }
        t->inflating = 1;
    }
    unsigned char out[65536];
    t->zstream.next_in = (unsigned char *)buffer;
    t->zstream.avail_in = (uInt)length;
    while (t->zstream.avail_in > 0) {
        t->zstream.next_out = out;
        t->zstream.avail_out = sizeof out;
        int status = inflate(&t->zstream, Z_NO_FLUSH);
        if (status == Z_DATA_ERROR && !t->raw_deflate && t->zstream.total_out == 0) {
            // "deflate" sent as a raw stream: start again without the zlib wrapper.
            inflateEnd(&t->zstream);
            memset(&t->zstream, 0, sizeof t->zstream);
            if (inflateInit2(&t->zstream, -15) != Z_OK) { t->outcome = NIANBAO_HTTP_BAD_ENCODING; return 0; }
            t->raw_deflate = 1;
            t->zstream.next_in = (unsigned char *)buffer;
            t->zstream.avail_in = (uInt)length;
            continue;
        }
        if (status != Z_OK && status != Z_STREAM_END && status != Z_BUF_ERROR) {
            t->outcome = NIANBAO_HTTP_BAD_ENCODING;
            snprintf(t->request->error, sizeof t->request->error, "the compressed body is damaged (zlib status %d)", status);
            return 0;
        }
        size_t produced = sizeof out - t->zstream.avail_out;
        if (produced > 0 && !deliver(t, out, produced)) return 0;
        if (status == Z_STREAM_END) {
            // A gzip body may hold several members one after another: each is decoded (and counted) in turn.
            t->stream_end = 1;
            if (t->zstream.avail_in == 0 || inflateReset(&t->zstream) != Z_OK) break;
            t->stream_end = 0;
            continue;
        }
        if (status == Z_BUF_ERROR && produced == 0) break;
    }
    return length;
}

int nianbao_http_get(nianbao_http_request *request) {
    nianbao_http_global_init();
    request->status = 0;
    request->decoded_bytes = 0;
    request->error[0] = 0;
    CURL *easy = curl_easy_init();
    CURLM *multi = curl_multi_init();
    if (!easy || !multi) {
        if (easy) curl_easy_cleanup(easy);
        if (multi) curl_multi_cleanup(multi);
        snprintf(request->error, sizeof request->error, "libcurl could not be initialised");
        return NIANBAO_HTTP_CONNECTION;
    }
    transfer t;
    memset(&t, 0, sizeof t);
    t.request = request;
    struct curl_slist *headers = NULL;
    for (int i = 0; i < request->header_count; i++) headers = curl_slist_append(headers, request->headers[i]);
    headers = curl_slist_append(headers, "Accept-Encoding: gzip, deflate");
    char error[CURL_ERROR_SIZE] = {0};
    curl_easy_setopt(easy, CURLOPT_URL, request->url);
    curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(easy, CURLOPT_USERAGENT, request->user_agent);
    curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, (long)(request->timeout_seconds * 1000));
    curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, (long)(request->timeout_seconds * 1000));
    curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, header_callback);
    curl_easy_setopt(easy, CURLOPT_HEADERDATA, &t);
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, body_callback);
    curl_easy_setopt(easy, CURLOPT_WRITEDATA, &t);
    curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, error);
    curl_multi_add_handle(multi, easy);

    int running = 1;
    int outcome = NIANBAO_HTTP_OK;
    while (running) {
        if (request->cancel && *request->cancel) { outcome = NIANBAO_HTTP_CANCELLED; break; }
        CURLMcode code = curl_multi_perform(multi, &running);
        if (code != CURLM_OK) { outcome = NIANBAO_HTTP_CONNECTION; snprintf(request->error, sizeof request->error, "%s", curl_multi_strerror(code)); break; }
        if (!running) break;
        curl_multi_poll(multi, NULL, 0, 50, NULL);
    }
    if (outcome == NIANBAO_HTTP_OK) {
        int left = 0;
        CURLMsg *message = curl_multi_info_read(multi, &left);
        CURLcode result = message && message->msg == CURLMSG_DONE ? message->data.result : CURLE_OK;
        if (t.outcome != NIANBAO_HTTP_OK) {
            outcome = t.outcome;
        } else if (result == CURLE_OPERATION_TIMEDOUT) {
            outcome = NIANBAO_HTTP_TIMEOUT;
        } else if (result == CURLE_UNSUPPORTED_PROTOCOL || result == CURLE_URL_MALFORMAT) {
            outcome = NIANBAO_HTTP_INVALID;
        } else if (result != CURLE_OK) {
            outcome = NIANBAO_HTTP_CONNECTION;
        }
        if (outcome != NIANBAO_HTTP_OK && request->error[0] == 0) {
            snprintf(request->error, sizeof request->error, "%s", error[0] ? error : curl_easy_strerror(result));
        }
        // A gzip body that ended early is as damaged as a cut transfer.
        if (outcome == NIANBAO_HTTP_OK && t.inflating && !t.stream_end) {
            outcome = NIANBAO_HTTP_BAD_ENCODING;
            snprintf(request->error, sizeof request->error, "the compressed body ends early");
        }
    }
    curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &request->status);
    if (t.inflating) inflateEnd(&t.zstream);
    curl_multi_remove_handle(multi, easy);
    curl_easy_cleanup(easy);
    curl_multi_cleanup(multi);
    curl_slist_free_all(headers);
    return outcome;
}
