/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The request-specific checks of kern_ptrace()'s PT_TRACE_ME case as
 * FreeBSD has them today (the ~2022 text of section 3.2).  Written for
 * ksim from shared/reference/freebsd-semantics.md sections 3.1 and 3.2.
 *
 * The common prologue of kern_ptrace() (the caller is the target; P_WEXIT,
 * p_cansee, p_candebug, P_SYSTEM) and the request's action (P_TRACED, and
 * P_PPTRACE for a vforked child) are the model's (model/src/Kernel.cpp,
 * doPtrace).  P2_NOTRACE is never consulted for PT_TRACE_ME: the prologue's
 * p_candebug() on the caller itself returns at the shortcut for self.
 */

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/lock.h>
#include <sys/mutex.h>
#include <sys/proc.h>
#include <sys/sx.h>

int	ptrace_trace_me_check(struct thread *td, struct proc *p);

/*
 * Entered, as in kern_ptrace(), with proctree_lock held exclusively and p,
 * the caller's own process, locked.  Returns 0 or the request's errno.
 */
int
ptrace_trace_me_check(struct thread *td, struct proc *p)
{

	sx_assert(&proctree_lock, SA_XLOCKED);
	PROC_LOCK_ASSERT(p, MA_OWNED);
	KASSERT(p == td->td_proc, ("%s: not the caller's process", __func__));

	/* A process has one debugger. */
	if ((p->p_flag & P_TRACED) != 0)
		return (EBUSY);
	/*
	 * Legal only with a parent that could act as the debugger: init
	 * never does.
	 */
	if (p->p_pptr == initproc)
		return (EPERM);
	return (0);
}
