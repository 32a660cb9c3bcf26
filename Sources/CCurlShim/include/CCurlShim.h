#ifndef CCURLSHIM_H
#define CCURLSHIM_H
// Typed, non-variadic wrappers over libcurl's variadic calls, which Swift cannot call. One function per
// argument type that libcurl documents for an option (CURLOPTTYPE_LONG, _OBJECTPOINT/_STRINGPOINT,
// _FUNCTIONPOINT, _OFF_T) and per info type (CURLINFO_LONG, _STRING, _OFF_T, _DOUBLE, _SLIST).
#include <curl/curl.h>

/// Write callback shape libcurl calls with received body or header bytes (CURLOPT_WRITEFUNCTION,
/// CURLOPT_HEADERFUNCTION).
typedef size_t (*ccurl_write_callback)(char *data, size_t size, size_t nmemb, void *userdata);

/// Progress callback shape (CURLOPT_XFERINFOFUNCTION); return non-zero to abort the transfer.
typedef int (*ccurl_xferinfo_callback)(void *userdata, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
                                       curl_off_t ulnow);

CURLcode ccurl_easy_setopt_long(CURL *handle, CURLoption option, long value);
CURLcode ccurl_easy_setopt_string(CURL *handle, CURLoption option, const char *value);
CURLcode ccurl_easy_setopt_pointer(CURL *handle, CURLoption option, void *value);
CURLcode ccurl_easy_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value);
CURLcode ccurl_easy_setopt_write_function(CURL *handle, CURLoption option, ccurl_write_callback value);
CURLcode ccurl_easy_setopt_xferinfo_function(CURL *handle, ccurl_xferinfo_callback value);
CURLcode ccurl_easy_setopt_off_t(CURL *handle, CURLoption option, curl_off_t value);

CURLcode ccurl_easy_getinfo_long(CURL *handle, CURLINFO info, long *value);
CURLcode ccurl_easy_getinfo_string(CURL *handle, CURLINFO info, const char **value);
CURLcode ccurl_easy_getinfo_off_t(CURL *handle, CURLINFO info, curl_off_t *value);
CURLcode ccurl_easy_getinfo_double(CURL *handle, CURLINFO info, double *value);

/// Size of the buffer CURLOPT_ERRORBUFFER needs (CURL_ERROR_SIZE), as a function because Swift does not
/// import every macro.
size_t ccurl_error_size(void);

/// Calls `curl_global_init(CURL_GLOBAL_DEFAULT)` (the macro is not imported into Swift).
CURLcode ccurl_global_init_default(void);

/// `CURL_SSLVERSION_TLSv1_2`, for CURLOPT_SSLVERSION.
long ccurl_sslversion_tlsv1_2(void);

#endif
