// SPDX-License-Identifier: GPL-2.0
/*
 * badwrite FILE null|edge: write(2) 4 bytes to FILE from a bad pointer
 * and print "EFAULT" if the kernel says so (exit 0), else what it did
 * (exit 1).
 *   null  address 16: the very first byte faults
 *   edge  the last byte of a mapped page, the next page unmapped: the
 *         first byte reads fine, the rest faults
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static const char *edge_pointer(void)
{
	long pg = sysconf(_SC_PAGESIZE);
	char *p = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED || munmap(p + pg, pg))
		return NULL;
	p[pg - 1] = 'x';
	return p + pg - 1;
}

int main(int argc, char **argv)
{
	const char *buf;
	ssize_t n;
	int fd;

	if (argc != 3 || (strcmp(argv[2], "null") && strcmp(argv[2], "edge"))) {
		fprintf(stderr, "usage: badwrite FILE null|edge\n");
		return 2;
	}
	buf = !strcmp(argv[2], "null") ? (const char *)16 : edge_pointer();
	fd = open(argv[1], O_WRONLY);
	if (fd < 0 || !buf) {
		perror(argv[1]);
		return 2;
	}
	n = write(fd, buf, 4);
	if (n < 0 && errno == EFAULT) {
		printf("EFAULT\n");
		return 0;
	}
	if (n < 0)
		printf("error: %s\n", strerror(errno));
	else
		printf("wrote %zd bytes\n", n);
	return 1;
}
