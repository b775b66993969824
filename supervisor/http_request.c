/* HTTP request head parser: strict about the request line, tolerant of
 * bare LF line ends, bounded by the caller's buffer. */
#include "supervisor/http_request.h"

#include <string.h>

static const char *find_head_end(const char *in, size_t len)
{
	for (size_t i = 0; i + 1 < len; i++) {
		if (in[i] != '\n')
			continue;
		if (in[i + 1] == '\n')
			return in + i + 2;
		if (i + 2 < len && in[i + 1] == '\r' && in[i + 2] == '\n')
			return in + i + 3;
	}
	return NULL;
}

enum http_parse_result http_request_parse(const char *in, size_t len, struct http_request *req)
{
	memset(req, 0, sizeof(*req));
	if (!find_head_end(in, len))
		return HTTP_PARSE_INCOMPLETE;
	const char *eol = memchr(in, '\n', len);
	size_t line_len = (size_t)(eol - in);
	if (line_len > 0 && in[line_len - 1] == '\r')
		line_len--;
	const char *sp1 = memchr(in, ' ', line_len);
	if (!sp1 || sp1 == in || (size_t)(sp1 - in) >= sizeof(req->method))
		return HTTP_PARSE_BAD;
	const char *target = sp1 + 1;
	const char *sp2 = memchr(target, ' ', line_len - (size_t)(target - in));
	if (!sp2 || sp2 == target)
		return HTTP_PARSE_BAD;
	const char *version = sp2 + 1;
	size_t version_len = line_len - (size_t)(version - in);
	if (version_len != 8 || memcmp(version, "HTTP/1.", 7) != 0 || (version[7] != '0' && version[7] != '1'))
		return HTTP_PARSE_BAD;
	for (const char *p = in; p < sp1; p++)
		if (*p < 'A' || *p > 'Z')
			return HTTP_PARSE_BAD;
	memcpy(req->method, in, (size_t)(sp1 - in));
	if (*target != '/')
		return HTTP_PARSE_BAD;
	const char *query = memchr(target, '?', (size_t)(sp2 - target));
	const char *path_end = query ? query : sp2;
	size_t path_len = (size_t)(path_end - target);
	if (path_len >= sizeof(req->path))
		return HTTP_PARSE_TOO_LONG;
	memcpy(req->path, target, path_len);
	return HTTP_PARSE_OK;
}
