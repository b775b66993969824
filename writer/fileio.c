/* Durable file helpers: the write/fsync/mkdir steps every file the writer
 * makes visible goes through. */
#include "writer/fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/config.h"

int fileio_write_all(int fd, const void *p, size_t n)
{
	const char *c = p;
	while (n > 0) {
		ssize_t w = write(fd, c, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (w == 0)
			return -EIO;
		c += w;
		n -= (size_t)w;
	}
	return 0;
}

int fileio_fsync_dir(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	int rc = fsync(fd) < 0 ? -errno : 0;
	close(fd);
	return rc;
}

int fileio_dirname(const char *path, char *out, size_t out_len)
{
	const char *slash = strrchr(path, '/');
	size_t n = slash ? (size_t)(slash - path) : 0;
	if (slash == path)
		n = 1; /* "/x" -> "/" */
	if (!slash) {
		if (out_len < 2)
			return -ENAMETOOLONG;
		memcpy(out, ".", 2);
		return 0;
	}
	if (n + 1 > out_len)
		return -ENAMETOOLONG;
	memcpy(out, path, n);
	out[n] = '\0';
	return 0;
}

int fileio_mkdir_p(const char *path)
{
	char buf[CONFIG_PATH_MAX * 2];
	size_t len = strlen(path);
	if (len == 0 || len >= sizeof(buf))
		return -ENAMETOOLONG;
	memcpy(buf, path, len + 1);
	struct stat sb;
	if (stat(buf, &sb) == 0)
		return S_ISDIR(sb.st_mode) ? 0 : -ENOTDIR;
	char parent[sizeof(buf)];
	int rc = fileio_dirname(buf, parent, sizeof(parent));
	if (rc < 0)
		return rc;
	if (strcmp(parent, buf) != 0) {
		rc = fileio_mkdir_p(parent);
		if (rc < 0)
			return rc;
	}
	if (mkdir(buf, 0755) < 0 && errno != EEXIST)
		return -errno;
	return fileio_fsync_dir(parent);
}
