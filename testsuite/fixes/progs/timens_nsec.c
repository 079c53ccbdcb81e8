/*
 * timens_nsec: fix "time/namespace: Validate nanosecond field in
 * proc_timens_set_offset()" (CVE-2026-93146).
 *
 * unshare(CLONE_NEWTIME), then writes a monotonic offset whose nanosecond
 * field is negative to /proc/self/timens_offsets.  The proc parser reads it
 * with %lu and only rejects values >= NSEC_PER_SEC as a signed long, so
 * 18446744073709551615 arrives as tv_nsec = -1.
 * Old kernel: the offset is stored (write succeeds).  Fixed: EINVAL.
 * Exit 0 = fixed behaviour, 1 = old behaviour, 2 = setup error.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

int main(void)
{
	const char *line = "monotonic 0 18446744073709551615\n";
	char buf[256];
	ssize_t n;
	int fd, e;

	if (unshare(CLONE_NEWTIME) < 0) {
		perror("unshare(CLONE_NEWTIME)");
		return 2;
	}
	fd = open("/proc/self/timens_offsets", O_RDWR);
	if (fd < 0) {
		perror("/proc/self/timens_offsets");
		return 2;
	}
	n = write(fd, line, strlen(line));
	e = errno;
	if (n >= 0) {
		lseek(fd, 0, SEEK_SET);
		n = read(fd, buf, sizeof(buf) - 1);
		buf[n > 0 ? n : 0] = 0;
		printf("negative tv_nsec offset: accepted (old behaviour); timens_offsets now:\n%s", buf);
		return 1;
	}
	if (e == EINVAL) {
		printf("negative tv_nsec offset: EINVAL (fixed)\n");
		return 0;
	}
	printf("negative tv_nsec offset: unexpected error %s\n", strerror(e));
	return 2;
}
