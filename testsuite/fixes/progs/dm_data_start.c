/*
 * dm_data_start: fix "dm ioctl: don't let data_start run past the buffer"
 * (CVE-2026-99063).
 *
 * Sends DM_LIST_DEVICES through /dev/mapper/control with data_size =
 * offsetof(struct dm_ioctl, data) (305, the smallest size accepted; the
 * structure is 312 bytes).  get_result_buffer() points data_start at the
 * aligned end of the structure.
 * Old kernel: data_start = 312, past the 305-byte buffer.  Fixed:
 * data_start = 305 (clamped to the buffer).
 * Exit 0 = fixed behaviour, 1 = old behaviour, 2 = setup error.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/dm-ioctl.h>

int main(int argc, char **argv)
{
	const char *ctl = argc > 1 ? argv[1] : "/dev/mapper/control";
	struct dm_ioctl io;
	size_t small = offsetof(struct dm_ioctl, data);
	int fd;

	fd = open(ctl, O_RDWR);
	if (fd < 0) {
		perror(ctl);
		return 2;
	}
	memset(&io, 0, sizeof(io));
	io.version[0] = DM_VERSION_MAJOR;
	io.data_size = small;
	if (ioctl(fd, DM_LIST_DEVICES, &io) < 0) {
		printf("DM_LIST_DEVICES: unexpected error %s\n", strerror(errno));
		return 2;
	}
	close(fd);
	printf("DM_LIST_DEVICES with data_size %zu: data_start %u, flags %#x\n",
	       small, io.data_start, io.flags);
	if (io.data_start > small) {
		printf("data_start past the buffer (old behaviour)\n");
		return 1;
	}
	if (io.data_start == small) {
		printf("data_start clamped to the buffer (fixed)\n");
		return 0;
	}
	printf("unexpected data_start\n");
	return 2;
}
