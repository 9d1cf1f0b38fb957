/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Panic and hang handling for kernel calls.  Compiled against the host
 * libc, not the shims: setjmp and vsnprintf live here so the kernel
 * sources never see them.
 *
 * One guarded call is active at a time per thread: the state below is
 * thread-local, so that kernel calls may run on several threads at once.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "ksim/hooks.h"

static _Thread_local jmp_buf guard_env;
static _Thread_local int guard_active;
static _Thread_local unsigned long guard_work;
static _Thread_local char guard_message[KSIM_MESSAGE_MAX];

int
ksim_guard(void (*fn)(void *), void *arg)
{
	int end;

	if (guard_active) {
		fprintf(stderr, "[ksim internal bug] nested ksim_guard\n");
		abort();
	}
	guard_message[0] = '\0';
	guard_work = 0;
	guard_active = 1;
	end = setjmp(guard_env);
	if (end == 0) {
		fn(arg);
		end = KSIM_END_RETURNED;
	}
	guard_active = 0;
	return (end);
}

const char *
ksim_guard_message(void)
{

	return (guard_message);
}

void
ksim_panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(guard_message, sizeof(guard_message), fmt, ap);
	va_end(ap);
	if (!guard_active) {
		fprintf(stderr, "[ksim internal bug] kernel panic outside a "
		    "guarded call: %s\n", guard_message);
		abort();
	}
	longjmp(guard_env, KSIM_END_PANIC);
}

void
ksim_tick(void)
{

	if (!guard_active)
		return;
	if (++guard_work > KSIM_STEP_WORK_BOUND) {
		snprintf(guard_message, sizeof(guard_message),
		    "kernel hang: one step did more than %d units of work "
		    "(locks taken, list elements visited)",
		    KSIM_STEP_WORK_BOUND);
		longjmp(guard_env, KSIM_END_HANG);
	}
}
