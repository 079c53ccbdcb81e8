// SPDX-License-Identifier: GPL-2.0
/*
 * Loading and unloading modules with the syscalls themselves (no insmod
 * or rmmod needed on the host), and finding ksplice.ko.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "tool.h"
#include "prefix.h"		/* KSPLICE_PREFIX, written by the Makefile */

char *module_name(const char *member)
{
	const char *base = strrchr(member, '/') ? strrchr(member, '/') + 1 : member;
	size_t len = strlen(base);
	char *name, *p;

	if (len > 3 && !strcmp(base + len - 3, ".ko"))
		len -= 3;
	name = strndup(base, len);
	if (!name)
		return xstrdup("");
	for (p = name; *p; p++)
		if (*p == '-')
			*p = '_';
	return name;
}

bool module_loaded(const char *name)
{
	FILE *f = fopen("/proc/modules", "re");
	char line[512];
	size_t len = strlen(name);
	bool found = false;

	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f))
		found = !strncmp(line, name, len) && line[len] == ' ';
	fclose(f);
	return found;
}

int module_load_file(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int err = 0;

	if (fd < 0)
		return -errno;
	if (syscall(SYS_finit_module, fd, "", 0))
		err = -errno;
	close(fd);
	return err;
}

int module_load_mem(const void *data, size_t len)
{
	return syscall(SYS_init_module, data, len, "") ? -errno : 0;
}

/* O_NONBLOCK: refuse at once if it is in use, never wait for it. */
int module_unload(const char *name)
{
	return syscall(SYS_delete_module, name, O_NONBLOCK) ? -errno : 0;
}

const char *module_load_hint(int err)
{
	switch (err) {
	case EEXIST:
		return "a module of that name is already loaded";
	case ENOENT:
		return "it needs a symbol the kernel lacks: is its target "
		       "module loaded? (see dmesg)";
	case ENOEXEC:
		return "invalid module format: built for another kernel? "
		       "(see dmesg)";
	case EINVAL:
		return "the kernel rejected it: symbol versions differ? "
		       "(see dmesg)";
	case EPROTO:
		return "it was built for another version of ksplice.ko "
		       "(see dmesg)";
	case EKEYREJECTED:
	case ENOKEY:
		return "its signature was refused: build it with "
		       "ksplice-create --sign-key/--sign-cert and a key the "
		       "kernel trusts (enrolled with mokutil --import)";
	case EPERM:
		return "operation not permitted: not root, or the kernel is "
		       "locked down and the module is not signed";
	default:
		return strerror(err);
	}
}

const char *tool_module_dir;

/* An explicit option, never the environment: root's input only. */
char *core_module_path(const char *release)
{
	if (tool_module_dir)
		return xasprintf("%s/ksplice.ko", tool_module_dir);
	return xasprintf("%s/lib/ksplice/%s/ksplice.ko", KSPLICE_PREFIX,
			 release);
}
