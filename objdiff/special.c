// SPDX-License-Identifier: GPL-2.0
/*
 * Special sections of the Debian 12 x86-64 6.1 kernel: tables of
 * fixed-size entries the module loader walks at load time.  The update
 * carries the entries whose anchor field points into code it carries, so
 * that the loader treats the new code like any module code (exception
 * fixups, alternatives, retpoline and return thunk rewrites, ftrace call
 * sites, ORC unwind data, WARN/BUG entries, jump labels, static calls).
 * Layouts are those of 6.1 with CONFIG_DEBUG_BUGVERBOSE and relative
 * pointers; an unknown layout makes the update refused, not guessed.
 */
#include <string.h>
#include "internal.h"

static const struct od_special specials[] = {
	/* struct exception_table_entry { int insn, fixup, data; } */
	{ .name = "__ex_table", .entsize = 12, .compare = true,
	  .repl_len_off = -1 },
	/* struct alt_instr { s32 instr, repl; u16 cpuid; u8 len, replen; } */
	{ .name = ".altinstructions", .entsize = 12, .compare = true,
	  .repl_len_off = 11 },
	/* struct jump_entry { s32 code, target; long key; } */
	{ .name = "__jump_table", .entsize = 16, .compare = true,
	  .repl_len_off = -1 },
	/* struct bug_entry { s32 addr, file; u16 line, flags; } */
	{ .name = "__bug_table", .entsize = 12, .compare = true,
	  .ignore_off = 8, .ignore_len = 2, .repl_len_off = -1 },
	/* struct static_call_site { s32 addr, key; }: a dropped site still
	 * calls the trampoline, so an unresolvable key only costs speed */
	{ .name = ".static_call_sites", .entsize = 8, .compare = true,
	  .droppable = true, .repl_len_off = -1 },
	/* struct paravirt_patch_site { u8 *instr; u8 type, len; } */
	{ .name = ".parainstructions", .entsize = 16, .compare = true,
	  .repl_len_off = -1 },
	/* derived from the code itself: equal code, equal entries */
	{ .name = "__mcount_loc", .entsize = 8, .repl_len_off = -1 },
	{ .name = ".return_sites", .entsize = 4, .repl_len_off = -1 },
	{ .name = ".retpoline_sites", .entsize = 4, .repl_len_off = -1 },
	{ .name = ".ibt_endbr_seal", .entsize = 4, .repl_len_off = -1 },
	{ .name = ".smp_locks", .entsize = 4, .repl_len_off = -1 },
	{ .name = ".orc_unwind_ip", .entsize = 4, .parallel = ".orc_unwind",
	  .parallel_entsize = 6, .repl_len_off = -1 },
	/* indexed through .orc_unwind_ip */
	{ .name = ".orc_unwind", .entsize = 6, .repl_len_off = -1 },
};

const struct od_special *od_special_find(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(specials) / sizeof(specials[0]); i++)
		if (!strcmp(specials[i].name, name))
			return &specials[i];
	return NULL;
}
