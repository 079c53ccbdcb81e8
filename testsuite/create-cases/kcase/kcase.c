// SPDX-License-Identifier: GPL-2.0
/*
 * Target module of the ksplice-create end-to-end cases: each file under
 * /proc/kcase/ shows the code of one case, and each ../<case>.patch
 * changes that code (see ../build-packages for the list).
 *
 *   body	kc_body_calc(21): 42, then 63 (body.patch), 84 (body-again)
 *   newfn	a line the patch prints through a new function
 *   global	counts reads in a global the patch adds
 *   static	a static local counter: the patch keeps its running value
 *   string	a string literal the patch changes
 *   inline	two callers of a static inline helper the patch changes
 *   copy	write: stores what is written (copy_from_user); read: it
 *   busy	read kc_busy_calc(5); write 1: a kthread "kc_parker" sleeps
 *		inside kc_busy_calc, 0: releases it
 */
#include <linux/atomic.h>
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/uaccess.h>
#include <linux/wait.h>

/* Not a constant, so that the compiler cannot fold the cases away. */
static int kc_input = 21;

static noinline int kc_body_calc(int x)
{
	return x * 2;
}

static int kc_body_show(struct seq_file *m, void *v)
{
	seq_printf(m, "%d\n", kc_body_calc(READ_ONCE(kc_input)));
	return 0;
}

static int kc_newfn_show(struct seq_file *m, void *v)
{
	seq_puts(m, "newfn: none\n");
	return 0;
}

static int kc_global_show(struct seq_file *m, void *v)
{
	seq_puts(m, "global: none\n");
	return 0;
}

static int kc_static_show(struct seq_file *m, void *v)
{
	static int count;

	count += 1;
	seq_printf(m, "static: %d\n", count);
	return 0;
}

static int kc_string_show(struct seq_file *m, void *v)
{
	seq_puts(m, "string: the original text\n");
	return 0;
}

static inline int kc_scale(int x)
{
	return x + 1;
}

static noinline int kc_inline_a(int x)
{
	return kc_scale(x) * 10;
}

static noinline int kc_inline_b(int x)
{
	return kc_scale(x) * 100;
}

static int kc_inline_show(struct seq_file *m, void *v)
{
	int x = READ_ONCE(kc_input);

	seq_printf(m, "inline: %d %d\n", kc_inline_a(x), kc_inline_b(x));
	return 0;
}

static char kc_copy_buf[32];

static int kc_copy_show(struct seq_file *m, void *v)
{
	seq_printf(m, "copy: %s\n", kc_copy_buf);
	return 0;
}

/*
 * Two ways a bad user pointer faults: the first byte through
 * unsafe_get_user, whose fixup is an __ex_table entry of this very
 * function, the rest through copy_from_user, which faults in vmlinux.
 */
static ssize_t kc_copy_write(struct file *f, const char __user *ubuf,
			     size_t n, loff_t *pos)
{
	char first;

	if (!n || n >= sizeof(kc_copy_buf))
		return -EINVAL;
	if (!user_access_begin(ubuf, 1))
		return -EFAULT;
	unsafe_get_user(first, ubuf, efault);
	user_access_end();
	if (copy_from_user(kc_copy_buf, ubuf, n))
		return -EFAULT;
	kc_copy_buf[0] = first;
	kc_copy_buf[n] = '\0';
	return n;
efault:
	user_access_end();
	return -EFAULT;
}

#define KC_PARK (-7777)
static DECLARE_WAIT_QUEUE_HEAD(kc_wq);
static int kc_released;
static atomic_t kc_parked = ATOMIC_INIT(0);
static struct task_struct *kc_parker;

static noinline int kc_busy_calc(int x)
{
	if (unlikely(x == KC_PARK)) {
		atomic_inc(&kc_parked);
		wait_event(kc_wq, READ_ONCE(kc_released));
		atomic_dec(&kc_parked);
	}
	return x + 1;
}

static int kc_busy_show(struct seq_file *m, void *v)
{
	seq_printf(m, "%d\n", kc_busy_calc(5));
	return 0;
}

static int kc_park_fn(void *unused)
{
	kc_busy_calc(KC_PARK);
	while (!kthread_should_stop())
		msleep(10);
	return 0;
}

static void kc_release(void)
{
	if (!kc_parker)
		return;
	WRITE_ONCE(kc_released, 1);
	wake_up_all(&kc_wq);
	kthread_stop(kc_parker);
	kc_parker = NULL;
}

static ssize_t kc_busy_write(struct file *f, const char __user *ubuf,
			     size_t n, loff_t *pos)
{
	bool on;
	int ret = kstrtobool_from_user(ubuf, n, &on);

	if (ret)
		return ret;
	if (!on) {
		kc_release();
		return n;
	}
	if (kc_parker)
		return n;
	WRITE_ONCE(kc_released, 0);
	kc_parker = kthread_run(kc_park_fn, NULL, "kc_parker");
	if (IS_ERR(kc_parker)) {
		ret = PTR_ERR(kc_parker);
		kc_parker = NULL;
		return ret;
	}
	/* Return once it sleeps inside, so that tests need not poll. */
	while (!atomic_read(&kc_parked))
		msleep(1);
	return n;
}

static int kc_open_copy(struct inode *i, struct file *f)
{
	return single_open(f, kc_copy_show, NULL);
}

static int kc_open_busy(struct inode *i, struct file *f)
{
	return single_open(f, kc_busy_show, NULL);
}

static const struct proc_ops kc_copy_ops = {
	.proc_open = kc_open_copy,
	.proc_read = seq_read,
	.proc_write = kc_copy_write,
	.proc_lseek = seq_lseek,
	.proc_release = single_release,
};

static const struct proc_ops kc_busy_ops = {
	.proc_open = kc_open_busy,
	.proc_read = seq_read,
	.proc_write = kc_busy_write,
	.proc_lseek = seq_lseek,
	.proc_release = single_release,
};

static struct proc_dir_entry *kc_dir;

static int __init kc_init(void)
{
	kc_dir = proc_mkdir("kcase", NULL);
	if (!kc_dir ||
	    !proc_create_single("body", 0444, kc_dir, kc_body_show) ||
	    !proc_create_single("newfn", 0444, kc_dir, kc_newfn_show) ||
	    !proc_create_single("global", 0444, kc_dir, kc_global_show) ||
	    !proc_create_single("static", 0444, kc_dir, kc_static_show) ||
	    !proc_create_single("string", 0444, kc_dir, kc_string_show) ||
	    !proc_create_single("inline", 0444, kc_dir, kc_inline_show) ||
	    !proc_create("copy", 0644, kc_dir, &kc_copy_ops) ||
	    !proc_create("busy", 0644, kc_dir, &kc_busy_ops)) {
		proc_remove(kc_dir);
		return -ENOMEM;
	}
	return 0;
}

static void __exit kc_exit(void)
{
	kc_release();
	proc_remove(kc_dir);
}

module_init(kc_init);
module_exit(kc_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("ksplice-create end-to-end test target");
