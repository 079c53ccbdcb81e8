// SPDX-License-Identifier: GPL-2.0
/*
 * Writing a 5-byte jmp that code running in NMI context sees whole.
 *
 * stop_machine holds every CPU with interrupts off, but not NMIs: the
 * perf NMI watchdog, backtrace requests and perf sampling run code on
 * any CPU while the trampolines are written, and a 5-byte store is not
 * one that instruction fetch sees atomically.  So the bytes change as
 * text_poke_bp() changes them: an int3 over the first byte, then the
 * other four, then the new first byte, with every CPU serialized in
 * between (the caller does that).  An NMI that meets the int3 lands in
 * ks_poke_int3(), which sends it to the replacement: the stack check has
 * passed by then, so running the new code is what it would do a moment
 * later anyway, and during an undo the update's code is still there.
 */
#include <linux/kdebug.h>
#include <linux/kprobes.h>
#include <linux/moduleparam.h>
#include <linux/notifier.h>
#include <asm/text-patching.h>
#include "internal.h"

#define KS_INT3		0xcc

/* The update whose sites are being written, or NULL. */
static struct ks_update *ks_poking;

/* How often an NMI met one of our int3s (not exact: NMIs race). */
static unsigned long ks_int3_hits;
module_param_named(int3_hits, ks_int3_hits, ulong, 0444);

static int notrace ks_poke_int3(struct notifier_block *nb, unsigned long val,
				void *data)
{
	struct die_args *args = data;
	struct ks_update *ku = READ_ONCE(ks_poking);
	unsigned long ip;
	unsigned int i;

	if (val != DIE_INT3 || !ku || user_mode(args->regs))
		return NOTIFY_DONE;
	ip = args->regs->ip - INT3_INSN_SIZE;
	for (i = 0; i < ku->u->nr_funcs + ku->nr_reverts; i++) {
		const struct ks_func *kf = i < ku->u->nr_funcs ? &ku->funcs[i] :
					   &ku->reverts[i - ku->u->nr_funcs];

		/* A revert's new_addr is the replaced update's code, still
		 * there until after the stop. */
		if (kf->via == KS_VIA_JMP && kf->site == ip) {
			WRITE_ONCE(ks_int3_hits, ks_int3_hits + 1);
			args->regs->ip = kf->new_addr;
			return NOTIFY_STOP;
		}
	}
	return NOTIFY_DONE;
}
NOKPROBE_SYMBOL(ks_poke_int3);

static struct notifier_block ks_poke_nb = {
	.notifier_call = ks_poke_int3,
	.priority = 0x7fffffff,
};

void notrace ks_poke_begin(struct ks_update *ku)
{
	smp_store_release(&ks_poking, ku);
}
NOKPROBE_SYMBOL(ks_poke_begin);

void notrace ks_poke_end(void)
{
	WRITE_ONCE(ks_poking, NULL);
}
NOKPROBE_SYMBOL(ks_poke_end);

/* Step 1 of 3: an int3 over the first byte. */
void notrace ks_poke_int3_at(struct ks_func *kf)
{
	WRITE_ONCE(kf->alias[0], KS_INT3);
}
NOKPROBE_SYMBOL(ks_poke_int3_at);

/* Step 2: the other bytes of @bytes (only the int3 can be run now). */
void notrace ks_poke_tail(struct ks_func *kf, const u8 *bytes)
{
	unsigned int i;

	for (i = 1; i < KS_JMP32_LEN; i++)
		WRITE_ONCE(kf->alias[i], bytes[i]);
}
NOKPROBE_SYMBOL(ks_poke_tail);

/* Step 3: the first byte, which makes the instruction whole. */
void notrace ks_poke_head(struct ks_func *kf, const u8 *bytes)
{
	WRITE_ONCE(kf->alias[0], bytes[0]);
}
NOKPROBE_SYMBOL(ks_poke_head);

int ks_poke_init(void)
{
	return register_die_notifier(&ks_poke_nb);
}

void ks_poke_exit(void)
{
	unregister_die_notifier(&ks_poke_nb);
}
