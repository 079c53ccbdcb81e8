// SPDX-License-Identifier: GPL-2.0
/*
 * A malformed update for kst_target, to test the engine's checks at
 * registration: `insmod kst_bad.ko bad=CASE` spoils one field of an
 * otherwise good descriptor (bad=none leaves it good: kst_add returns
 * x + 2) and must be refused, so insmod fails and dmesg says why.
 */
#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/kallsyms.h>
#include <linux/module.h>
#include <linux/string.h>
#include <ksplice/update.h>

static char *bad = "none";
module_param(bad, charp, 0);
MODULE_PARM_DESC(bad, "which field to spoil");

static noinline int kst_add_bad(int x)
{
	return x + 2;
}

static int kst_hook(void)
{
	return 0;
}

static const unsigned char kst_pre_code[16];
static const unsigned char kst_pre_mask[16];
static int kst_data;
static int *kst_released_p;
static char kst_long_name[KSYM_NAME_LEN + 16];
static char kst_long_desc[2048];
static ksplice_call_t kst_hooks[] = { kst_hook, NULL };

static struct ksplice_pre_reloc kst_pre_relocs[] = {
	{ .offset = 4, .type = KSPLICE_R_PC32, .symbol = "kst_wq" },
};

static struct ksplice_func kst_funcs[] = {
	{ .name = "kst_add", .object = "kst_target", .new_code = kst_add_bad },
};

static struct ksplice_reloc kst_relocs[] = {
	{ &kst_released_p, "kst_released", "kst_target", 0, KSPLICE_R_64 },
};

static struct ksplice_update kst_update = {
	.abi = KSPLICE_ABI_VERSION,
	.id = "kst_bad",
	.description = "kst_add returns x + 2, unless spoilt",
	.owner = THIS_MODULE,
	.funcs = kst_funcs,
	.nr_funcs = ARRAY_SIZE(kst_funcs),
	.relocs = kst_relocs,
	.nr_relocs = ARRAY_SIZE(kst_relocs),
};

/* Give kst_add pre code with one relocation, for the pre_* cases. */
static void kst_with_pre(void)
{
	kst_funcs[0].size = sizeof(kst_pre_code);
	kst_funcs[0].pre_code = kst_pre_code;
	kst_funcs[0].pre_mask = kst_pre_mask;
	kst_funcs[0].pre_relocs = kst_pre_relocs;
	kst_funcs[0].nr_pre_relocs = ARRAY_SIZE(kst_pre_relocs);
}

static int kst_spoil(const char *c)
{
	struct ksplice_func *f = &kst_funcs[0];
	struct ksplice_reloc *r = &kst_relocs[0];

	if (!strcmp(c, "none"))
		return 0;
	if (!strcmp(c, "abi"))
		kst_update.abi = KSPLICE_ABI_VERSION + 1;
	else if (!strcmp(c, "flags"))
		kst_update.flags = 0x80;
	else if (!strcmp(c, "owner_null"))
		kst_update.owner = NULL;
	else if (!strcmp(c, "owner_wild"))
		kst_update.owner = (struct module *)0xdead000000000000UL;
	else if (!strcmp(c, "id"))
		kst_update.id = "kst bad!";
	else if (!strcmp(c, "desc_long"))
		kst_update.description = kst_long_desc;
	else if (!strcmp(c, "nr_funcs"))
		kst_update.nr_funcs = 5000;
	else if (!strcmp(c, "name_null"))
		f->name = NULL;
	else if (!strcmp(c, "name_long"))
		f->name = kst_long_name;
	else if (!strcmp(c, "size"))
		f->size = 2 << 20;
	else if (!strcmp(c, "cold_size")) {
		f->cold_name = "kst_add.cold";
		f->cold_size = ~0UL;
	} else if (!strcmp(c, "newcode_data"))
		f->new_code = &kst_data;
	else if (!strcmp(c, "newcode_kernel"))
		f->new_code = msleep;
	else if (!strcmp(c, "pre_mask_alone"))
		f->pre_mask = kst_pre_mask;
	else if (!strcmp(c, "pre_code_nosize")) {
		kst_with_pre();
		f->size = 0;
	} else if (!strcmp(c, "pre_code_outside")) {
		kst_with_pre();
		f->pre_code = (const unsigned char *)&jiffies;
	} else if (!strcmp(c, "pre_relocs_many")) {
		kst_with_pre();
		f->nr_pre_relocs = 100000;
	} else if (!strcmp(c, "pre_relocs_alone")) {
		f->pre_relocs = kst_pre_relocs;
		f->nr_pre_relocs = ARRAY_SIZE(kst_pre_relocs);
	} else if (!strcmp(c, "pre_reloc_offset")) {
		/* offset + width wraps in 32 bits to 2: inside, if unchecked. */
		kst_with_pre();
		kst_pre_relocs[0].offset = 0xfffffffe;
	} else if (!strcmp(c, "pre_reloc_past")) {
		kst_with_pre();
		kst_pre_relocs[0].offset = sizeof(kst_pre_code) - 3;
	} else if (!strcmp(c, "pre_reloc_type")) {
		kst_with_pre();
		kst_pre_relocs[0].type = 99;
	} else if (!strcmp(c, "pre_reloc_symbol")) {
		kst_with_pre();
		kst_pre_relocs[0].symbol = NULL;
	} else if (!strcmp(c, "reloc_type"))
		r->type = 99;
	else if (!strcmp(c, "reloc_site_null"))
		r->site = NULL;
	else if (!strcmp(c, "reloc_site_outside"))
		r->site = (void *)&jiffies;
	else if (!strcmp(c, "reloc_symbol"))
		r->symbol = NULL;
	else if (!strcmp(c, "nr_relocs"))
		kst_update.nr_relocs = 1U << 30;
	else if (!strcmp(c, "hook_kernel")) {
		kst_hooks[0] = (void *)msleep_interruptible;
		kst_update.apply_hooks.check = kst_hooks;
	} else
		return -ENOENT;
	return 0;
}

static int __init kst_bad_init(void)
{
	int ret;

	memset(kst_long_name, 'a', sizeof(kst_long_name) - 1);
	memset(kst_long_desc, 'd', sizeof(kst_long_desc) - 1);
	ret = kst_spoil(bad);
	if (ret) {
		pr_err("kst_bad: no case %s\n", bad);
		return ret;
	}
	return ksplice_register_update(&kst_update);
}

static void __exit kst_bad_exit(void)
{
	ksplice_unregister_update(&kst_update);
}

module_init(kst_bad_init);
module_exit(kst_bad_exit);
MODULE_LICENSE("GPL");
