/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * ksim shim for <sys/systm.h>: assertions, panic and the user-memory
 * copy routines.  A failed KASSERT or MPASS is a panic on an INVARIANTS
 * kernel (ksim's default), which ends the step; on a production kernel
 * (--kernel production) the assertion is compiled out, so ksim records it
 * and the code goes on (runtime/guard.c).  Either way it is a finding.
 * panic() itself is never compiled out.
 */

#ifndef _SYS_SYSTM_H_
#define	_SYS_SYSTM_H_

#include <sys/types.h>
#include <sys/errno.h>

#include "ksim/hooks.h"

#define	panic(...)	ksim_panic(__VA_ARGS__)

#define	KASSERT(exp, msg) do {						\
	if (__builtin_expect(!(exp), 0)) {				\
		ksim_site(__FILE__, __LINE__);				\
		ksim_kassert_failed msg;				\
	}								\
} while (0)

#define	MPASS(ex)	MPASS4(ex, #ex, __FILE__, __LINE__)
#define	MPASS4(ex, what, file, line)					\
	KASSERT((ex), ("Assertion %s failed at %s:%d", what, file, line))

#define	__func__	__func__

/*
 * User memory.  A process's user space holds one int, the word the
 * procctl data pointer names; any other address faults.  See runtime/kern.c.
 */
int	copyin(const void *uaddr, void *kaddr, size_t len);
int	copyout(const void *kaddr, void *uaddr, size_t len);

/* kern.securelevel > level ? EPERM : 0, as securelevel_gt() does. */
struct ucred;
int	securelevel_gt(struct ucred *cr, int level);

/* Tunables, loaded from struct ksim_sysctls at the start of each call (per thread). */
extern _Thread_local int do_coredump;
extern _Thread_local int sugid_coredump;
extern _Thread_local int see_other_uids;
extern _Thread_local int see_other_gids;
extern _Thread_local int unprivileged_proc_debug;

#endif /* !_SYS_SYSTM_H_ */
