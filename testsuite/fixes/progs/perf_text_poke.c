/*
 * perf_text_poke: fix "perf: Require kernel access for text poke events"
 * (CVE-2026-98655).
 *
 * Sets kernel.perf_event_paranoid to 2 (Debian's default 3 refuses every
 * unprivileged perf_event_open), drops to uid/gid 65534 in a child and opens
 * a user-only dummy event with attr.text_poke = 1 (text poke records carry
 * kernel addresses and code bytes).
 * Old kernel: the event opens.  Fixed: EACCES (perf_allow_kernel refuses).
 * The previous paranoid value is restored.
 * Exit 0 = fixed behaviour, 1 = old behaviour, 2 = setup error.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/perf_event.h>

#define PARANOID "/proc/sys/kernel/perf_event_paranoid"

static int rw(const char *path, char *buf, size_t len, int write_it)
{
	int fd = open(path, write_it ? O_WRONLY : O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write_it ? write(fd, buf, strlen(buf)) : read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -1;
	if (!write_it)
		buf[n] = 0;
	return 0;
}

static int child(void)
{
	struct perf_event_attr attr;
	gid_t g = 65534;
	int fd;

	if (setgroups(1, &g) || setresgid(65534, 65534, 65534) ||
	    setresuid(65534, 65534, 65534)) {
		perror("drop to uid 65534");
		return 2;
	}
	memset(&attr, 0, sizeof(attr));
	attr.size = sizeof(attr);
	attr.type = PERF_TYPE_SOFTWARE;
	attr.config = PERF_COUNT_SW_DUMMY;
	attr.exclude_kernel = 1;
	attr.exclude_hv = 1;
	attr.text_poke = 1;
	fd = syscall(__NR_perf_event_open, &attr, 0, -1, -1, 0);
	if (fd >= 0) {
		printf("unprivileged text_poke event: opened (old behaviour)\n");
		return 1;
	}
	if (errno == EACCES) {
		printf("unprivileged text_poke event: EACCES (fixed)\n");
		return 0;
	}
	printf("unprivileged text_poke event: unexpected error %s\n", strerror(errno));
	return 2;
}

int main(void)
{
	char old[32], two[] = "2\n";
	int status, rc;
	pid_t pid;

	if (rw(PARANOID, old, sizeof(old), 0) || rw(PARANOID, two, 0, 1)) {
		perror(PARANOID);
		return 2;
	}
	pid = fork();
	if (pid == 0)
		_exit(child());
	if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status))
		rc = 2;
	else
		rc = WEXITSTATUS(status);
	rw(PARANOID, old, 0, 1);
	return rc;
}
