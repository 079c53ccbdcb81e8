/*
 * open_tree_unmounted DIR: fix "namespace: don't copy an unmounted mount
 * tree" (CVE-2026-98992).
 *
 * Bind-mounts /proc/self/ns/net on DIR/nsbind (an nsfs dentry passes
 * __do_loopback's namespace check), keeps an O_PATH fd on it, detaches the
 * mount (umount2 MNT_DETACH: the mount now belongs to no namespace) and asks
 * open_tree(fd, "", OPEN_TREE_CLONE | AT_RECURSIVE | AT_EMPTY_PATH).
 * Old kernel: the unmounted tree is copied (fd returned).  Fixed: EINVAL.
 * Exit 0 = fixed behaviour, 1 = old behaviour, 2 = setup error.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef __NR_open_tree
#define __NR_open_tree 428
#endif
#ifndef OPEN_TREE_CLONE
#define OPEN_TREE_CLONE 1
#endif
#ifndef AT_RECURSIVE
#define AT_RECURSIVE 0x8000
#endif

int main(int argc, char **argv)
{
	char path[4096];
	int fd, t, e, rc;

	if (argc != 2) {
		fprintf(stderr, "usage: open_tree_unmounted DIR\n");
		return 2;
	}
	snprintf(path, sizeof(path), "%s/nsbind", argv[1]);
	fd = open(path, O_RDONLY | O_CREAT, 0644);
	if (fd < 0) {
		perror(path);
		return 2;
	}
	close(fd);
	if (mount("/proc/self/ns/net", path, NULL, MS_BIND, NULL) < 0) {
		perror("bind mount of /proc/self/ns/net");
		unlink(path);
		return 2;
	}
	fd = open(path, O_PATH);
	if (fd < 0) {
		perror("open O_PATH");
		return 2;
	}
	if (umount2(path, MNT_DETACH) < 0) {
		perror("umount2 MNT_DETACH");
		return 2;
	}
	t = syscall(__NR_open_tree, fd, "", OPEN_TREE_CLONE | AT_RECURSIVE | AT_EMPTY_PATH);
	e = errno;
	if (t >= 0)
		close(t);
	close(fd);
	unlink(path);

	if (t >= 0) {
		printf("recursive open_tree of an unmounted mount: copied (old behaviour)\n");
		rc = 1;
	} else if (e == EINVAL) {
		printf("recursive open_tree of an unmounted mount: EINVAL (fixed)\n");
		rc = 0;
	} else {
		printf("recursive open_tree of an unmounted mount: unexpected error %s\n", strerror(e));
		rc = 2;
	}
	return rc;
}
