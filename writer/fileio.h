/* Durable file helpers shared by the journal and the Parquet output:
 * complete writes, directory fsync, directory creation. */
#ifndef SPREADBUS_WRITER_FILEIO_H
#define SPREADBUS_WRITER_FILEIO_H

#include <stddef.h>
#include <sys/types.h>

/* Write all n bytes (retrying short writes and EINTR). 0 or -errno. */
int fileio_write_all(int fd, const void *p, size_t n);
/* fsync the directory at path (makes renames and creations in it durable). */
int fileio_fsync_dir(const char *path);
/* Create path and its missing parents (mode 0755); each directory created
 * is made durable in its parent. 0 or -errno. */
int fileio_mkdir_p(const char *path);
/* The directory part of path into out (like dirname). 0 or -ENAMETOOLONG. */
int fileio_dirname(const char *path, char *out, size_t out_len);

#endif
