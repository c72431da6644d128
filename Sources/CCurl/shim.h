#ifndef NETRAL_CCURL_SHIM_H
#define NETRAL_CCURL_SHIM_H

#include <curl/curl.h>

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

#endif
