/* fakex: client requests whose fields reqparse does not cover (Gate.io
 * "channel"/"event"/"payload", Kraken "params.channel"/"params.symbol"):
 * a string, or an array of strings, at a dotted path of the JSON object. */
#ifndef SPREADBUS_FAKEX_REQPATH_H
#define SPREADBUS_FAKEX_REQPATH_H

#include <stdbool.h>
#include <stddef.h>

#define FX_REQPATH_MAX_ITEMS 256
#define FX_REQPATH_ITEM 64

struct fx_reqpath {
	const char *msg;
	int ntok;
};

/* Parses msg (a JSON object); 0 or -EINVAL. Single-threaded: the tokens
 * are static and valid until the next call. */
int reqpath_parse(struct fx_reqpath *r, const char *msg, size_t len);
/* The string at path ("event", "params.channel") into out; 0, -ENOENT
 * (absent or not a string) or -EINVAL (does not fit). */
int reqpath_string(const struct fx_reqpath *r, const char *path, char *out, size_t cap);
/* The text of the number at path ("req_id"); same returns. */
int reqpath_number(const struct fx_reqpath *r, const char *path, char *out, size_t cap);
/* The strings of the array at path; their number, -ENOENT (absent or not
 * an array) or -EINVAL (an element is not a string or does not fit). */
int reqpath_strings(const struct fx_reqpath *r, const char *path, char (*out)[FX_REQPATH_ITEM], int max);

#endif
