/* fakex: WebSocket frames built in place in an fxbuf. Server frames are
 * never masked, so a frame is a 2, 4 or 10 byte header and the payload. */
#ifndef SPREADBUS_FAKEX_WSFRAME_H
#define SPREADBUS_FAKEX_WSFRAME_H

#include <stdbool.h>
#include <stddef.h>

#include "tests/fakex/fxbuf.h"

enum { WS_TEXT = 0x1, WS_BINARY = 0x2, WS_PING = 0x9 };

/* Reserves the header; write the payload after it, then call
 * wsframe_end() with the returned offset. */
size_t wsframe_begin(struct fxbuf *b);
/* Writes the header. False, with the buffer back at start and its
 * overflow flag cleared, if the frame did not fit. */
bool wsframe_end(struct fxbuf *b, size_t start, int opcode);

#endif
