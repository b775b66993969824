/* Parsing the head of an HTTP/1.x request: request line and the end of
 * the headers. Bodies are never read (the endpoints are GET only). */
#ifndef SPREADBUS_SUPERVISOR_HTTP_REQUEST_H
#define SPREADBUS_SUPERVISOR_HTTP_REQUEST_H

#include <stddef.h>

#define HTTP_REQUEST_MAX 8192 /* request line + headers; more is 431 */

struct http_request {
	char method[8];
	char path[256]; /* without the query string */
};

enum http_parse_result {
	HTTP_PARSE_INCOMPLETE = 0, /* the headers have not ended yet */
	HTTP_PARSE_OK = 1,
	HTTP_PARSE_BAD = -1,       /* 400 */
	HTTP_PARSE_TOO_LONG = -2,  /* 414: the target does not fit */
};

/* in[0..len) is everything received so far. */
enum http_parse_result http_request_parse(const char *in, size_t len, struct http_request *req);

#endif
