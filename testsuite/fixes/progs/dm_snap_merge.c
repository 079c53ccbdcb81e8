/*
 * dm_snap_merge ORIGIN COW SECTORS: fix "dm-snap: reject the transient
 * exception store for snapshot-merge".
 *
 * Creates a device-mapper device and loads the table
 *   0 SECTORS snapshot-merge ORIGIN COW N 8
 * (N = transient exception store, which has no prepare_merge/commit_merge),
 * then removes the device without resuming it.
 * Old kernel: the table loads (merging would later call a NULL method).
 * Fixed: the load fails with EINVAL ("Snapshot exception store does not
 * support snapshot-merge." in the kernel log).
 * Exit 0 = fixed behaviour, 1 = old behaviour, 2 = setup error.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/dm-ioctl.h>

#define NAME "ksplice-fix-snapmerge"

static int dm(int fd, unsigned long cmd, struct dm_ioctl *io, size_t size)
{
	io->version[0] = DM_VERSION_MAJOR;
	io->version[1] = 0;
	io->version[2] = 0;
	io->data_size = size;
	strncpy(io->name, NAME, sizeof(io->name) - 1);
	return ioctl(fd, cmd, io);
}

int main(int argc, char **argv)
{
	union {
		struct dm_ioctl io;
		char raw[16384];
	} u;
	struct dm_target_spec *spec;
	char *params;
	int fd, r, e;

	if (argc != 4) {
		fprintf(stderr, "usage: dm_snap_merge ORIGIN COW SECTORS\n");
		return 2;
	}
	fd = open("/dev/mapper/control", O_RDWR);
	if (fd < 0) {
		perror("/dev/mapper/control");
		return 2;
	}
	memset(&u, 0, sizeof(u));
	if (dm(fd, DM_DEV_CREATE, &u.io, sizeof(u.io)) < 0) {
		perror("DM_DEV_CREATE");
		return 2;
	}

	memset(&u, 0, sizeof(u));
	u.io.data_start = sizeof(struct dm_ioctl);
	u.io.target_count = 1;
	spec = (struct dm_target_spec *)(u.raw + u.io.data_start);
	spec->sector_start = 0;
	spec->length = strtoull(argv[3], NULL, 0);
	strcpy(spec->target_type, "snapshot-merge");
	params = (char *)(spec + 1);
	snprintf(params, 1024, "%s %s N 8", argv[1], argv[2]);
	spec->next = 0;
	r = dm(fd, DM_TABLE_LOAD, &u.io,
	       u.io.data_start + sizeof(*spec) + ((strlen(params) + 8) & ~7UL));
	e = errno;

	memset(&u, 0, sizeof(u));
	if (dm(fd, DM_DEV_REMOVE, &u.io, sizeof(u.io)) < 0)
		perror("DM_DEV_REMOVE");
	close(fd);

	if (r == 0) {
		printf("snapshot-merge with a transient store: table loaded (old behaviour)\n");
		return 1;
	}
	if (e == EINVAL) {
		printf("snapshot-merge with a transient store: EINVAL (fixed)\n");
		return 0;
	}
	printf("snapshot-merge with a transient store: unexpected error %s\n", strerror(e));
	return 2;
}
