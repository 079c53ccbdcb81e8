// SPDX-License-Identifier: GPL-2.0
/*
 * An update's state for people, and as JSON fields.  What the engine
 * reports (task names above all) is escaped for text (esc), so that one
 * item stays one line.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "tool.h"

const char *esc(const char *s)
{
	static char bufs[4][4096 + 8];
	static unsigned int next;
	char *out = bufs[next++ % 4], *o = out;
	const unsigned char *p = (const unsigned char *)s;

	for (; *p && o - out < 4096; p++) {
		bool c1 = p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f;

		if (*p < 0x20 || *p == 0x7f || *p == '\\' || c1) {
			o += sprintf(o, "\\x%02x", *p);
			if (c1)
				o += sprintf(o, "\\x%02x", *++p);
		} else {
			*o++ = *p;
		}
	}
	*o = '\0';
	return out;
}

const char *format_time(long long t)
{
	static char buf[64];
	time_t tt = (time_t)t;
	struct tm tm;

	if (t <= 0 || !localtime_r(&tt, &tm) ||
	    !strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S %Z", &tm))
		return "-";
	return buf;
}

void print_functions(FILE *f, const struct update_info *u, const char *indent)
{
	unsigned int i;

	for (i = 0; i < u->nr_funcs; i++)
		fprintf(f, "%s%s [%s]  0x%lx -> 0x%lx%s%s\n", indent,
			esc(u->funcs[i].name), esc(u->funcs[i].object),
			u->funcs[i].old_addr, u->funcs[i].new_addr,
			strcmp(u->funcs[i].via, "ftrace") ? "" : "  via ",
			strcmp(u->funcs[i].via, "ftrace") ? "" : "ftrace");
}

/* "pause 412.3 us, 1 try": the stop the last operation needed. */
void print_pause(FILE *f, const struct update_info *u)
{
	fprintf(f, "pause %llu.%llu us, %u tr%s", u->pause_ns / 1000,
		u->pause_ns % 1000 / 100, u->tries, u->tries == 1 ? "y" : "ies");
}

void print_failure(const struct update_info *u)
{
	unsigned int i;

	fprintf(stderr, "  cause:    %s\n", esc(u->cause));
	if (*u->reason)
		fprintf(stderr, "  reason:   %s\n", esc(u->reason));
	for (i = 0; i < u->nr_conflicts; i++)
		fprintf(stderr, "  conflict: %s\n", esc(u->conflicts[i]));
	if (u->tries) {
		fputs("  ", stderr);
		print_pause(stderr, u);
		fputc('\n', stderr);
	}
}

/* Calls another ftrace user takes before they reach the update. */
static void print_bypassed(const struct update_info *u)
{
	unsigned int i;

	for (i = 0; i < u->nr_bypassed; i++)
		printf("  WARNING: bypassed: %s (its calls go there, not to "
		       "this update)\n", esc(u->bypassed[i]));
}

void print_waiting(FILE *f, const struct update_info *u)
{
	unsigned int i;

	if (!u->nr_waiting_for)
		fputs("(a module being loaded)", f);
	for (i = 0; i < u->nr_waiting_for; i++)
		fprintf(f, "%s%s", i == 0 ? "" : i + 1 < u->nr_waiting_for ?
			", " : " and ", esc(u->waiting_for[i]));
}

void print_summary(const struct update_info *u)
{
	if (!strcmp(u->stage, "applied")) {
		printf("%s: applied #%llu at %s, ", u->id, u->sequence,
		       format_time(u->stage_time));
		print_pause(stdout, u);
		putchar('\n');
	} else if (!strcmp(u->stage, "pending")) {
		printf("%s: pending since %s, waiting for module%s ", u->id,
		       format_time(u->stage_time),
		       u->nr_waiting_for > 1 ? "s" : "");
		print_waiting(stdout, u);
		putchar('\n');
		if (strcmp(u->cause, "none") && *u->cause)
			printf("  last load refused: %s%s%s\n", esc(u->cause),
			       *u->reason ? ": " : "", esc(u->reason));
	} else if (u->replaced_by && *u->replaced_by) {
		printf("%s: replaced by cumulative update %s at %s\n", u->id,
		       esc(u->replaced_by), format_time(u->stage_time));
	} else {
		printf("%s: %s (not applied) since %s\n", u->id, u->stage,
		       format_time(u->stage_time));
	}
	if (u->cumulative)
		printf("  cumulative: takes the place of the updates applied "
		       "before it\n");
	if (*u->description)
		printf("  %s\n", esc(u->description));
	print_functions(stdout, u, "  ");
	print_bypassed(u);
}

void print_detail(const struct update_info *u, char *const *modules,
		  unsigned int nr_modules)
{
	unsigned int i;

	printf("id:           %s\n", u->id);
	printf("description:  %s\n", esc(u->description));
	printf("stage:        %s since %s\n", u->stage,
	       format_time(u->stage_time));
	if (!strcmp(u->stage, "pending")) {
		printf("waiting for:  ");
		print_waiting(stdout, u);
		printf(" (applies when %s)\n", u->nr_waiting_for > 1 ?
		       "the last of them loads" : "it loads");
	}
	if (u->replaced_by && *u->replaced_by)
		printf("replaced by:  %s (cumulative)\n", esc(u->replaced_by));
	if (u->cumulative)
		printf("cumulative:   yes, takes the place of the updates "
		       "applied before it\n");
	if (u->sequence)
		printf("sequence:     %llu\n", u->sequence);
	printf("modules:     ");
	for (i = 0; i < nr_modules; i++)
		printf(" %s", modules[i]);
	printf("%s\n", nr_modules ? "" : " (unknown)");
	printf("functions:\n");
	print_functions(stdout, u, "  ");
	printf("last attempt: ");
	print_pause(stdout, u);
	printf(" (of at most %u, %u ms apart)\n", u->max_tries,
	       u->retry_delay_ms);
	if (*u->attempts)
		printf("attempts:     %s (ns)\n", u->attempts);
	printf("abort cause:  %s\n", esc(u->cause));
	if (*u->reason)
		printf("abort reason: %s\n", esc(u->reason));
	for (i = 0; i < u->nr_conflicts; i++)
		printf("conflict:     %s\n", esc(u->conflicts[i]));
	print_bypassed(u);
}

void json_update(const struct update_info *u)
{
	unsigned int i;

	json_str("id", u->id);
	json_str("description", u->description);
	json_str("stage", u->stage);
	json_uint("sequence", u->sequence);
	json_int("stage_time", u->stage_time);
	json_str("stage_time_local", format_time(u->stage_time));
	json_uint("pause_ns", u->pause_ns);
	json_uint("pause_us", (u->pause_ns + 500) / 1000);
	json_uint("tries", u->tries);
	json_uint("max_tries", u->max_tries);
	json_uint("retry_delay_ms", u->retry_delay_ms);
	json_str("abort_cause", u->cause);
	json_str("abort_reason", u->reason);
	json_bool("cumulative", u->cumulative);
	json_str("replaced_by", u->replaced_by && *u->replaced_by ?
		 u->replaced_by : NULL);
	json_begin("conflicts", '[');
	for (i = 0; i < u->nr_conflicts; i++)
		json_str(NULL, u->conflicts[i]);
	json_end();
	json_begin("bypassed", '[');
	for (i = 0; i < u->nr_bypassed; i++)
		json_str(NULL, u->bypassed[i]);
	json_end();
	json_begin("waiting_for", '[');
	for (i = 0; i < u->nr_waiting_for; i++)
		json_str(NULL, u->waiting_for[i]);
	json_end();
	json_begin("functions", '[');
	for (i = 0; i < u->nr_funcs; i++) {
		json_begin(NULL, '{');
		json_str("name", u->funcs[i].name);
		json_str("object", u->funcs[i].object);
		json_addr("old_addr", u->funcs[i].old_addr);
		json_addr("new_addr", u->funcs[i].new_addr);
		if (u->funcs[i].via[0])
			json_str("via", u->funcs[i].via);
		json_end();
	}
	json_end();
}
