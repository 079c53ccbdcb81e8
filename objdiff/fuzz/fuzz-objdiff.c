// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for objdiff: one input is a pre and a post object
 * (split where a second ELF header starts; without one, the same object
 * is both), diffed through od_diff(), then written through
 * od_write_object() and od_write_c() as ksplice-objdiff does; then
 * diffed again as a module's object, the pre object standing in for the
 * module's file that sympos.c reads.  Whatever
 * the bytes, objdiff must answer with a status, never crash, read or write
 * out of bounds (ASan, UBSan), or write an update object its own ELF
 * layer refuses.  Build and run: make -C objdiff fuzz (README).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>
#include "objdiff.h"
#include "internal.h"

#define MAX_INPUT	(1 << 20)
/* an update object larger than this is a bug (SIGXFSZ, a crash) */
#define MAX_OUTPUT	(64 << 20)

static struct od_symset *exported, *provided;
static FILE *devnull;

/* A file holding @len bytes of @data; its path in @path. */
static int memfile(const char *name, const uint8_t *data, size_t len,
		   char *path, size_t pathlen)
{
	int fd = memfd_create(name, 0);

	if (fd < 0) {
		perror("memfd_create");
		abort();
	}
	if (len && write(fd, data, len) != (ssize_t)len) {
		perror("write");
		abort();
	}
	snprintf(path, pathlen, "/proc/self/fd/%d", fd);
	return fd;
}

static size_t split_at(const uint8_t *data, size_t size)
{
	const uint8_t *p;

	if (size < 8)
		return size;
	p = memmem(data + 4, size - 4, "\177ELF", 4);
	return p ? (size_t)(p - data) : size;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct rlimit fsize = { MAX_OUTPUT, MAX_OUTPUT };

	(void)argc;
	(void)argv;
	if (setrlimit(RLIMIT_FSIZE, &fsize))
		return -1;
	exported = od_symset_new();
	od_symset_add_owner(exported, "report", "vmlinux");
	od_symset_add_owner(exported, "ext", "somemod");
	provided = od_symset_new();
	od_symset_add(provided, "key");
	devnull = fopen("/dev/null", "w");
	return devnull ? 0 : -1;
}

/* The module's file, for sympos.c: the input's own pre object. */
static char *module_file(void *arg)
{
	return strdup(arg);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct od_options opt = {
		.target = "vmlinux", .tag = "fz", .exported = exported,
		.provided = provided, .objname = "fuzz/seed.o",
	};
	struct od_update_info info = { .id = "fuzz", .description = "fuzz" };
	char pre[64], post[64], out[64], err[256];
	size_t cut = split_at(data, size);
	int fpre, fpost, fout;
	struct od_result *res;
	struct od_obj o;

	if (size > MAX_INPUT)
		return -1;	/* not added to the corpus */
	fpre = memfile("pre.o", data, cut, pre, sizeof(pre));
	fpost = cut < size ? memfile("post.o", data + cut, size - cut, post,
				     sizeof(post)) : -1;
	res = od_diff(pre, fpost >= 0 ? post : pre, &opt);
	od_print_msgs(res, devnull, "");
	if (res->status == OD_CHANGED) {
		fout = memfile("update.o", NULL, 0, out, sizeof(out));
		if (!od_write_object(res, out)) {
			if (od_obj_load(&o, out, err, sizeof(err))) {
				fprintf(stderr, "update object refused: %s\n", err);
				abort();
			}
			od_obj_free(&o);
		}
		close(fout);
		od_write_c(devnull, &info, &res, 1);
	}
	od_result_free(res);
	/* as a module's object, its pre object standing in for the .ko */
	opt.target = "fzmod";
	opt.find_target_binary = module_file;
	opt.find_arg = pre;
	res = od_diff(pre, fpost >= 0 ? post : pre, &opt);
	od_print_msgs(res, devnull, "");
	od_result_free(res);
	close(fpre);
	if (fpost >= 0)
		close(fpost);
	return 0;
}
