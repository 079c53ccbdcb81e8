// SPDX-License-Identifier: GPL-2.0
/*
 * Arm ITIMER_REAL for 2 ms, wait for its SIGALRM, N times (default 3):
 * each expiry runs it_real_fn() in the kernel, which fires the
 * timer:itimer_expire tracepoint.  Prints "alarms N" when all came.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

static volatile sig_atomic_t got;

static void on_alarm(int sig)
{
	(void)sig;
	got++;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 3, i;
	struct itimerval it;
	struct sigaction sa;
	sigset_t block, old;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);
	sigemptyset(&block);
	sigaddset(&block, SIGALRM);
	sigprocmask(SIG_BLOCK, &block, &old);
	for (i = 0; i < n; i++) {
		memset(&it, 0, sizeof(it));
		it.it_value.tv_usec = 2000;
		if (setitimer(ITIMER_REAL, &it, NULL)) {
			perror("setitimer");
			return 2;
		}
		while (got == i)
			sigsuspend(&old);
	}
	printf("alarms %d\n", (int)got);
	return 0;
}
