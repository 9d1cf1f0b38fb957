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
/* The call runs as a kernel without INVARIANTS (ksim_guard()). */
static _Thread_local int guard_production;
/* The first assertion that failed in a production call, and its site. */
static _Thread_local char guard_assertion[KSIM_MESSAGE_MAX];
static _Thread_local const char *guard_assertion_file;
static _Thread_local int guard_assertion_line;

int
ksim_guard(void (*fn)(void *), void *arg, int production)
{
	int end;

	if (guard_active) {
		fprintf(stderr, "[ksim internal bug] nested ksim_guard\n");
		abort();
	}
	guard_message[0] = '\0';
	guard_assertion[0] = '\0';
	guard_assertion_file = NULL;
	guard_assertion_line = 0;
	guard_production = production;
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

/*
 * A failed assertion.  Under INVARIANTS it is the panic its macro
 * expands to.  Without, the macro is empty and the expression is never
 * evaluated; ksim evaluates it to know the production kernel went on
 * past a broken invariant, keeps the first such one of the call (a later
 * one follows from the same state), and returns to the code after it.
 */
static void
assert_failed(const char *kind, const char *fmt, va_list ap)
{
	int n;

	if (!guard_production) {
		vsnprintf(guard_message, sizeof(guard_message), fmt, ap);
		if (!guard_active) {
			fprintf(stderr, "[ksim internal bug] kernel panic "
			    "outside a guarded call: %s\n", guard_message);
			abort();
		}
		longjmp(guard_env, KSIM_END_PANIC);
	}
	if (guard_assertion[0] != '\0')
		return;
	n = snprintf(guard_assertion, sizeof(guard_assertion), "%s: ", kind);
	if (n > 0 && (size_t)n < sizeof(guard_assertion))
		vsnprintf(guard_assertion + n, sizeof(guard_assertion) - n, fmt,
		    ap);
	guard_assertion_file = ksim_site_file();
	guard_assertion_line = ksim_site_line();
}

void
ksim_kassert_failed(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	assert_failed("KASSERT", fmt, ap);
	va_end(ap);
}

void
ksim_lock_assert_failed(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	assert_failed("lock assertion", fmt, ap);
	va_end(ap);
}

const char *
ksim_guard_assertion(void)
{

	return (guard_assertion);
}

const char *
ksim_guard_assertion_file(void)
{

	return (guard_assertion_file);
}

int
ksim_guard_assertion_line(void)
{

	return (guard_assertion_line);
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
