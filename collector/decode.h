/* --decode: run captured frames (one per line) through the pipeline and
 * print one JSON line per tick, control frame or reject. */
#ifndef SPREADBUS_COLLECTOR_DECODE_H
#define SPREADBUS_COLLECTOR_DECODE_H

#include <stdio.h>

#include "collector/pipeline.h"

/* Print what p made of its last frame to out, naming the exchange. */
void decode_print(FILE *out, const char *exchange, const struct pipeline *p, enum frame_kind k);

/* Decode every line of path with p; returns 0, or -errno if the file
 * cannot be read. */
int decode_file(const char *path, const char *exchange, struct pipeline *p, FILE *out);

#endif
