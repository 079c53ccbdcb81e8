// SPDX-License-Identifier: GPL-2.0
/*
 * What the running kernel allows: root, module loading, lockdown and
 * module signatures; and its build id.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>
#include "tool.h"

#define SIG_MARKER	"~Module signature appended~\n"
#define NT_GNU_BUILD_ID	3

int need_root(void)
{
	if (!geteuid())
		return 0;
	tool_error("must be run as root (it loads kernel modules)");
	return EXIT_ENV;
}

int modules_allowed(void)
{
	char *v = read_line("/proc/sys/kernel/modules_disabled");
	bool off = v && !strcmp(v, "1");

	free(v);
	if (!off)
		return 0;
	tool_error("module loading is disabled (/proc/sys/kernel/"
		   "modules_disabled is 1) until the next reboot: an update "
		   "cannot be loaded");
	return EXIT_ENV;
}

/* "none [integrity] confidentiality": the bracketed word. */
static char *lockdown_level(void)
{
	char *v = read_line("/sys/kernel/security/lockdown");
	char *open, *close, *level = NULL;

	if (v && (open = strchr(v, '[')) && (close = strchr(open, ']'))) {
		*close = '\0';
		level = xstrdup(open + 1);
	}
	free(v);
	return level;
}

const char *signature_policy(void)
{
	static char why[64];
	char *level = lockdown_level(), *enforce;

	if (level && strcmp(level, "none")) {
		snprintf(why, sizeof(why), "the kernel is locked down (%s)",
			 level);
		free(level);
		return why;
	}
	free(level);
	enforce = read_line("/sys/module/module/parameters/sig_enforce");
	if (enforce && !strcmp(enforce, "Y")) {
		free(enforce);
		return "module.sig_enforce is on";
	}
	free(enforce);
	return NULL;
}

bool module_signed(const void *data, size_t len)
{
	size_t m = strlen(SIG_MARKER);

	return len > m && !memcmp((const char *)data + len - m, SIG_MARKER, m);
}

bool module_file_signed(const char *path)
{
	size_t m = strlen(SIG_MARKER);
	char tail[64];
	bool ok = false;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	off_t end;

	if (fd < 0)
		return false;
	end = lseek(fd, 0, SEEK_END);
	if (end > (off_t)m && pread(fd, tail, m, end - m) == (ssize_t)m)
		ok = !memcmp(tail, SIG_MARKER, m);
	close(fd);
	return ok;
}

int refuse_unsigned(const char *policy, const char *module, bool is_signed)
{
	struct utsname u;

	uname(&u);
	tool_error("%s: it loads only modules signed with a trusted key, and "
		   "%s is %s", policy, module, is_signed ?
		   "signed with a key it does not trust (not built in, "
		   "not enrolled)" : "not signed");
	fprintf(stderr,
		"  Sign ksplice.ko and the update modules (before they are "
		"packaged) with the\n"
		"  kernel's sign-file and a key enrolled as a Machine Owner "
		"Key (MOK):\n"
		"    openssl req -new -x509 -newkey rsa:2048 -nodes -days 3650 "
		"-subj '/CN=ksplice/' \\\n"
		"        -outform DER -keyout MOK.priv -out MOK.der\n"
		"    mokutil --import MOK.der      # then reboot and confirm "
		"the enrollment\n"
		"    /lib/modules/%s/build/scripts/sign-file sha256 MOK.priv "
		"MOK.der ksplice.ko\n"
		"    ksplice-create --sign-key=MOK.priv --sign-cert=MOK.der ...  "
		"# update modules\n"
		"  See ksplice-apply(8), \"Secure Boot and lockdown\".\n",
		u.release);
	return EXIT_ENV;
}

static uint32_t align4(uint32_t n)
{
	return (n + 3) & ~3u;
}

/* Elf64_Nhdr records: namesz, descsz, type, name, desc (4-aligned). */
int kernel_build_id(unsigned char *id, size_t size)
{
	unsigned char buf[4096];
	size_t off = 0, len;
	int fd = open("/sys/kernel/notes", O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf));
	close(fd);
	if (n <= 0)
		return -1;
	len = n;
	while (off + 12 <= len) {
		uint32_t namesz, descsz, type;

		memcpy(&namesz, buf + off, 4);
		memcpy(&descsz, buf + off + 4, 4);
		memcpy(&type, buf + off + 8, 4);
		off += 12;
		if (align4(namesz) > len - off ||
		    align4(descsz) > len - off - align4(namesz))
			return -1;
		if (type == NT_GNU_BUILD_ID && namesz == 4 &&
		    !memcmp(buf + off, "GNU", 4) && descsz <= size) {
			memcpy(id, buf + off + 4, descsz);
			return descsz;
		}
		off += align4(namesz) + align4(descsz);
	}
	return -1;
}
