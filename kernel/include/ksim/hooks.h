/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The hooks through which the kernel shims reach the simulator.  They use
 * no kernel types, so runtime/guard.c can implement them with the host's
 * libc (setjmp, vsnprintf) while the kernel sources see only the shims.
 */

#ifndef _KSIM_HOOKS_H_
#define	_KSIM_HOOKS_H_

#ifdef __cplusplus
extern "C" {
#endif

/* How a guarded kernel call ended. */
#define	KSIM_END_RETURNED	0	/* the C code returned normally */
#define	KSIM_END_PANIC		1	/* panic(), or a failed assertion under INVARIANTS */
#define	KSIM_END_HANG		2	/* the step exceeded its work bound */

#define	KSIM_MESSAGE_MAX	192

/*
 * Run fn(arg) so that a panic or a hang inside it ends the call: the hook
 * records the message and longjmps back here; no C frame runs on past the
 * panic.  Returns KSIM_END_*.  Calls do not nest.
 *
 * production: the kernel is built without options INVARIANTS, where
 * KASSERT, MPASS and the lock assertions compile to nothing.  A failed
 * assertion is then recorded (the first of the call, see
 * ksim_guard_assertion()) and the C code goes on past it, as the
 * production kernel would; panic() still ends the call.
 */
int	ksim_guard(void (*fn)(void *), void *arg, int production);

/* Text of the last panic or hang. */
const char *ksim_guard_message(void);

/* panic(): ends the call on every kernel. */
void	ksim_panic(const char *fmt, ...)
	    __attribute__((__noreturn__, __format__(__printf__, 1, 2)));

/*
 * A failed KASSERT or MPASS (ksim_kassert_failed) or lock assertion
 * (ksim_lock_assert_failed), at the site last passed (ksim_site()): a
 * panic under INVARIANTS; in a production call, recorded and returns.
 */
void	ksim_kassert_failed(const char *fmt, ...)
	    __attribute__((__format__(__printf__, 1, 2)));
void	ksim_lock_assert_failed(const char *fmt, ...)
	    __attribute__((__format__(__printf__, 1, 2)));

/*
 * The first assertion that failed in the last production call, as
 * "KASSERT: message" or "lock assertion: message", and its site; "" and
 * NULL when none failed (always so under INVARIANTS, which panics).
 */
const char *ksim_guard_assertion(void);
const char *ksim_guard_assertion_file(void);
int	ksim_guard_assertion_line(void);

/*
 * The kernel source line the current step last passed: every lock
 * operation and every failed KASSERT or MPASS records its __FILE__ and
 * __LINE__ here, so that a finding can point at the code that made it
 * (the failed assertion itself, for a panic).  Per thread; the model
 * resets it before a step and reads it after.
 */
void	ksim_site(const char *file, int line);
void	ksim_site_reset(void);
const char *ksim_site_file(void);	/* NULL: no site passed */
int	ksim_site_line(void);

/*
 * One unit of work of the current step (a lock taken, a list element
 * visited, a process passed on a walk up p_pptr).  Past the bound the step is declared hung.
 */
void	ksim_tick(void);

/* Work units one step may use before it counts as a kernel hang. */
#define	KSIM_STEP_WORK_BOUND	10000

#ifdef __cplusplus
}
#endif

#endif /* !_KSIM_HOOKS_H_ */
