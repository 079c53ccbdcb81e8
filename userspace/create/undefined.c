// SPDX-License-Identifier: GPL-2.0
/*
 * The names an object leaves undefined: what it needs from the kernel or
 * another module.  Symbol versions (symvers.c) and symbol namespaces
 * (namespaces.c) both start from them (after their elf_version()).
 */
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <unistd.h>
#include "create.h"

void for_each_undefined(const char *object,
			void (*fn)(const char *name, void *arg), void *arg)
{
	int fd = open(object, O_RDONLY);
	Elf *e = fd >= 0 ? elf_begin(fd, ELF_C_READ, NULL) : NULL;
	Elf_Scn *scn = NULL;

	if (!e)
		die(EXIT_ENV, "cannot read %s: %s", object, elf_errmsg(-1));
	while ((scn = elf_nextscn(e, scn))) {
		GElf_Shdr sh;
		Elf_Data *d;
		size_t i, count;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_SYMTAB ||
		    !sh.sh_entsize)
			continue;
		d = elf_getdata(scn, NULL);
		count = d ? d->d_size / sh.sh_entsize : 0;
		for (i = 1; i < count; i++) {
			GElf_Sym s;
			const char *name;

			if (!gelf_getsym(d, (int)i, &s) ||
			    s.st_shndx != SHN_UNDEF)
				continue;
			name = elf_strptr(e, sh.sh_link, s.st_name);
			if (name && *name)
				fn(name, arg);
		}
	}
	elf_end(e);
	close(fd);
}
