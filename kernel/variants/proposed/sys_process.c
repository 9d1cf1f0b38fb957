/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The request-specific checks of kern_ptrace()'s PT_TRACE_ME case in ksim's
 * proposed fix of the RFC: the rfc-2014 variant's file with two changes,
 * marked "proposed (c)" below, the two checks FreeBSD later added, and
 * "proposed (d)", one FreeBSD does not have.
 * Written for ksim from shared/reference/freebsd-semantics.md sections 3.1
 * and 3.2.
 *
 * The common prologue of kern_ptrace() (the caller is the target; P_WEXIT,
 * p_cansee, p_candebug, P_SYSTEM) and the request's action (P_TRACED, and
 * P_PPTRACE for a vforked child) are the model's (model/src/Kernel.cpp,
 * doPtrace).  Only the checks in between differ between kernel versions,
 * so only they are variant code.
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

	/*
	 * proposed (c): a process already traced cannot ask again, and a
	 * child of init has no parent that could ever act as its debugger:
	 * init never resumes a debuggee, so the first signal would stop the
	 * process for good.  That removes rfc-2014's counterexample
	 * stopped-debuggee-can-resume (PT_TRACE_ME under init, then a
	 * signal).
	 */
	if ((p->p_flag & P_TRACED) != 0)
		return (EBUSY);
	if (p->p_pptr == initproc)
		return (EPERM);
	/*
	 * proposed (d): nor may it ask a parent that it traces itself.  The
	 * two would be each other's debugger, and once both stop (the
	 * parent at the SIGSTOP of the attach, the child at any signal)
	 * neither can resume the other.  That removes the trap
	 * stopped-debuggee-can-resume and owner-can-leave-trace-state find
	 * in every design: fork; the child attaches its parent; the child
	 * uses PT_TRACE_ME; a signal stops it.
	 */
	if ((p->p_pptr->p_flag & P_TRACED) != 0 && p->p_pptr->p_pptr == p)
		return (EBUSY);
	return (0);
}
