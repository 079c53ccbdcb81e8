/*
 * tmpfile_unmapped DIR: fix "fs: refuse O_TMPFILE creation with an unmapped
 * fsuid or fsgid" (CVE-2026-72379).
 *
 * unshare(CLONE_NEWUSER | CLONE_NEWNS) without writing uid_map/gid_map (so
 * our fsuid/fsgid have no mapping in the new user namespace), mounts a tmpfs
 * on DIR there (its superblock belongs to the new user namespace) and opens
 * DIR with O_TMPFILE.  Creating a regular file is refused with EOVERFLOW
 * (may_o_create); O_TMPFILE was not.
 * Old kernel: the tmpfile is created.  Fixed: EOVERFLOW.
 * Exit 0 = fixed behaviour, 1 = old behaviour, 2 = setup error.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	char path[4096];
	int fd, e, c;

	if (argc != 2) {
		fprintf(stderr, "usage: tmpfile_unmapped DIR\n");
		return 2;
	}
	if (unshare(CLONE_NEWUSER | CLONE_NEWNS) < 0) {
		perror("unshare(CLONE_NEWUSER|CLONE_NEWNS)");
		return 2;
	}
	if (mount("none", argv[1], "tmpfs", 0, "mode=1777") < 0) {
		perror("mount tmpfs in the new user namespace");
		return 2;
	}
	/* the ordinary create path refuses, for comparison */
	snprintf(path, sizeof(path), "%s/plain", argv[1]);
	c = open(path, O_RDWR | O_CREAT, 0600);
	if (c >= 0) {
		printf("setup: O_CREAT with unmapped fsuid succeeded, expected EOVERFLOW\n");
		return 2;
	}
	fd = open(argv[1], O_TMPFILE | O_RDWR, 0600);
	e = errno;
	if (fd >= 0) {
		printf("O_TMPFILE with unmapped fsuid: created (old behaviour)\n");
		return 1;
	}
	if (e == EOVERFLOW) {
		printf("O_TMPFILE with unmapped fsuid: EOVERFLOW (fixed)\n");
		return 0;
	}
	printf("O_TMPFILE with unmapped fsuid: unexpected error %s\n", strerror(e));
	return 2;
}
