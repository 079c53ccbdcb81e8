/*
 * fcntl_rw_hint DIR: fix "fcntl: refuse F_SET_RW_HINT on an immutable inode".
 *
 * Creates DIR/rwhint, marks it immutable (FS_IOC_SETFLAGS, tmpfs supports it
 * since 6.0), then asks F_SET_RW_HINT on a read-only descriptor.
 * Old kernel: the hint is stored (0).  Fixed kernel: EPERM.
 * Exit 0 = fixed behaviour, 1 = old behaviour, 2 = setup error.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/fs.h>

#ifndef F_SET_RW_HINT
#define F_SET_RW_HINT 1036
#endif
#ifndef RWH_WRITE_LIFE_SHORT
#define RWH_WRITE_LIFE_SHORT 2
#endif

static void set_immutable(int fd, int on)
{
	int flags = 0;

	if (ioctl(fd, FS_IOC_GETFLAGS, &flags) == 0) {
		if (on)
			flags |= FS_IMMUTABLE_FL;
		else
			flags &= ~FS_IMMUTABLE_FL;
		ioctl(fd, FS_IOC_SETFLAGS, &flags);
	}
}

int main(int argc, char **argv)
{
	char path[4096];
	uint64_t hint = RWH_WRITE_LIFE_SHORT;
	int fd, flags = 0, r, e, rc;

	if (argc != 2) {
		fprintf(stderr, "usage: fcntl_rw_hint DIR\n");
		return 2;
	}
	snprintf(path, sizeof(path), "%s/rwhint", argv[1]);
	fd = open(path, O_RDONLY | O_CREAT, 0644);
	if (fd < 0) {
		perror(path);
		return 2;
	}
	if (ioctl(fd, FS_IOC_GETFLAGS, &flags) < 0) {
		perror("FS_IOC_GETFLAGS");
		return 2;
	}
	flags |= FS_IMMUTABLE_FL;
	if (ioctl(fd, FS_IOC_SETFLAGS, &flags) < 0) {
		perror("FS_IOC_SETFLAGS (immutable)");
		return 2;
	}
	r = fcntl(fd, F_SET_RW_HINT, &hint);
	e = errno;
	set_immutable(fd, 0);
	close(fd);
	unlink(path);

	if (r == 0) {
		printf("F_SET_RW_HINT on an immutable file: accepted (old behaviour)\n");
		rc = 1;
	} else if (e == EPERM) {
		printf("F_SET_RW_HINT on an immutable file: EPERM (fixed)\n");
		rc = 0;
	} else {
		printf("F_SET_RW_HINT on an immutable file: unexpected error %s\n", strerror(e));
		rc = 2;
	}
	return rc;
}
