/*
 * loop_block_size_excl LOOPDEV: fix "loop: Avoid updating block size under
 * exclusive owner" (CVE-2025-38709).
 *
 * LOOPDEV must be bound to a backing file.  Opens it with O_EXCL (an
 * exclusive claim, as a mounted filesystem holds), then sends
 * LOOP_SET_BLOCK_SIZE 4096 through a second, non-exclusive descriptor.
 * Old kernel: the block size changes under the exclusive owner (0).
 * Fixed: EBUSY (the ioctl now claims the device first).
 * Exit 0 = fixed behaviour, 1 = old behaviour, 2 = setup error.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/fs.h>
#include <linux/loop.h>

int main(int argc, char **argv)
{
	int excl, fd, r, e, bs = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: loop_block_size_excl LOOPDEV\n");
		return 2;
	}
	excl = open(argv[1], O_RDONLY | O_EXCL);
	if (excl < 0) {
		perror("open O_EXCL");
		return 2;
	}
	fd = open(argv[1], O_RDWR);
	if (fd < 0) {
		perror("open");
		return 2;
	}
	r = ioctl(fd, LOOP_SET_BLOCK_SIZE, 4096UL);
	e = errno;
	ioctl(fd, BLKSSZGET, &bs);
	if (r == 0)
		ioctl(fd, LOOP_SET_BLOCK_SIZE, 512UL);
	close(fd);
	close(excl);

	if (r == 0) {
		printf("LOOP_SET_BLOCK_SIZE under an exclusive owner: done, sector size %d (old behaviour)\n", bs);
		return 1;
	}
	if (e == EBUSY) {
		printf("LOOP_SET_BLOCK_SIZE under an exclusive owner: EBUSY, sector size %d (fixed)\n", bs);
		return 0;
	}
	printf("LOOP_SET_BLOCK_SIZE under an exclusive owner: unexpected error %s\n", strerror(e));
	return 2;
}
