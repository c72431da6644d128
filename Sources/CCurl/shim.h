#ifndef NETRAL_CCURL_SHIM_H
#define NETRAL_CCURL_SHIM_H

#include <curl/curl.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

// curl_easy_setopt and curl_easy_getinfo are variadic, and Swift cannot call C variadic
// functions. Each wrapper below fixes one argument type, so curl's own header type-checks the
// call in C. Names carry the module prefix so they cannot clash with other shims.

// Wrapper for curl_easy_setopt with a long argument (timeouts, flags, limits): variadic in C.
static inline CURLcode ccurl_easy_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}

// Wrapper for curl_easy_setopt with a curl_off_t argument (byte sizes): variadic in C.
static inline CURLcode ccurl_easy_setopt_off_t(CURL *handle, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(handle, option, value);
}

// Wrapper for curl_easy_setopt with a string argument; libcurl copies the string: variadic in C.
static inline CURLcode ccurl_easy_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}

// Wrapper for curl_easy_setopt with an opaque pointer (callback user data, error buffer): variadic in C.
static inline CURLcode ccurl_easy_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}

// Wrapper for curl_easy_setopt with a header list; libcurl does not copy it: variadic in C.
static inline CURLcode ccurl_easy_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value) {
    return curl_easy_setopt(handle, option, value);
}

// Write and header callbacks share this signature (CURLOPT_WRITEFUNCTION, CURLOPT_HEADERFUNCTION).
typedef size_t (*ccurl_write_callback)(char *data, size_t size, size_t count, void *userdata);

// Wrapper for curl_easy_setopt with a write/header callback: variadic in C, and a typed
// function pointer lets Swift pass a @convention(c) closure.
static inline CURLcode ccurl_easy_setopt_write_callback(CURL *handle, CURLoption option, ccurl_write_callback value) {
    return curl_easy_setopt(handle, option, value);
}

// Wrapper for curl_easy_getinfo returning a long (response code, redirect count): variadic in C.
static inline CURLcode ccurl_easy_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}

// Wrapper for curl_easy_getinfo returning a curl_off_t (times in microseconds): variadic in C.
static inline CURLcode ccurl_easy_getinfo_off_t(CURL *handle, CURLINFO info, curl_off_t *value) {
    return curl_easy_getinfo(handle, info, value);
}

// Wrapper for curl_easy_getinfo returning a string owned by the handle (URLs, IPs): variadic in C.
static inline CURLcode ccurl_easy_getinfo_string(CURL *handle, CURLINFO info, char **value) {
    return curl_easy_getinfo(handle, info, value);
}

// CURL_ERROR_SIZE is a macro; Swift sees it, but an inline function keeps the buffer size in one place.
static inline size_t ccurl_error_size(void) {
    return CURL_ERROR_SIZE;
}

// CURL_WRITEFUNC_ERROR is only defined from 7.87; returning 0 aborts a transfer on any version.
static inline size_t ccurl_write_abort(void) {
    return 0;
}

// Wrapper for curl_multi_setopt with a long argument (connection limits, multiplexing): variadic in C.
static inline CURLMcode ccurl_multi_setopt_long(CURLM *multi, CURLMoption option, long value) {
    return curl_multi_setopt(multi, option, value);
}

// Wrapper for curl_share_setopt with a lock-data argument (what the share handle shares): variadic in C.
static inline CURLSHcode ccurl_share_setopt_long(CURLSH *share, CURLSHoption option, long value) {
    return curl_share_setopt(share, option, value);
}

// CURLOPT_OPENSOCKETFUNCTION's signature: curl asks us to open each socket, so the address it is
// about to connect to can be checked first.
typedef curl_socket_t (*ccurl_opensocket_callback)(void *clientp, curlsocktype purpose, struct curl_sockaddr *address);

// Wrapper for curl_easy_setopt with an open-socket callback: variadic in C.
static inline CURLcode ccurl_easy_setopt_opensocket_callback(CURL *handle, ccurl_opensocket_callback value) {
    return curl_easy_setopt(handle, CURLOPT_OPENSOCKETFUNCTION, value);
}

// The raw address curl is about to connect to: 4 bytes for IPv4, 16 for IPv6, 0 for anything else.
// curl's struct holds a full sockaddr_storage behind `addr`, so reading an IPv6 address is in bounds.
static inline int ccurl_sockaddr_bytes(const struct curl_sockaddr *address, unsigned char out[16]) {
    if (address->family == AF_INET) {
        const struct sockaddr_in *in4 = (const struct sockaddr_in *)&address->addr;
        memcpy(out, &in4->sin_addr, 4);
        return 4;
    }
    if (address->family == AF_INET6) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)&address->addr;
        memcpy(out, &in6->sin6_addr, 16);
        return 16;
    }
    return 0;
}

// CURLMsg.data is a C union; these read it without Swift guessing its layout.
static inline int ccurl_msg_is_done(const CURLMsg *message) {
    return message->msg == CURLMSG_DONE;
}

static inline CURLcode ccurl_msg_result(const CURLMsg *message) {
    return message->data.result;
}

// CURLAUTH_BASIC is a macro of an unsigned long cast, which Swift does not import.
static inline long ccurl_auth_basic(void) {
    return (long)CURLAUTH_BASIC;
}

// CURLAUTH_BEARER, likewise: an OAuth 2 bearer token, sent by curl to the request's own host only.
static inline long ccurl_auth_bearer(void) {
    return (long)CURLAUTH_BEARER;
}

// CURL_SOCKET_BAD is a macro Swift does not import as a value of the right type.
static inline curl_socket_t ccurl_socket_bad(void) {
    return CURL_SOCKET_BAD;
}

#endif
