/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The request-specific checks of kern_ptrace()'s PT_TRACE_ME case in the
 * December 2014 kernel, which the seed does not touch.  Written for ksim
 * from kernel/PROVENANCE.md sections 3.1 and 3.2.
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

#include "ksim/hooks.h"

int	ptrace_trace_me_check(struct thread *td, struct proc *p);
int	ptrace_attach_check(struct thread *td, struct proc *p);

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
	 * Always legal in 2014: the kernel asks neither whether the process
	 * is already traced nor whether its parent (init, say) could ever
	 * act as its debugger.  Later kernels ask both (section 3.2).
	 */
	return (0);
}

/*
 * The request-specific checks of kern_ptrace()'s PT_ATTACH case, the same
 * in 2014 and today (kernel/PROVENANCE.md section 3.3).  As for
 * PT_TRACE_ME, the common prologue and the action (P_TRACED, the
 * reparenting to the debugger, SIGSTOP) are the model's.
 *
 * Entered, as in kern_ptrace(), with proctree_lock held exclusively and p,
 * the target, locked.  Returns 0 or the request's errno.
 */
int
ptrace_attach_check(struct thread *td, struct proc *p)
{
	struct proc *curp, *pp;

	sx_assert(&proctree_lock, SA_XLOCKED);
	PROC_LOCK_ASSERT(p, MA_OWNED);
	curp = td->td_proc;

	/* Self */
	if (p == curp)
		return (EINVAL);

	/* Already traced */
	if ((p->p_flag & P_TRACED) != 0)
		return (EBUSY);

	/*
	 * Can't trace an ancestor if you're being traced.  The walk follows
	 * p_pptr, which names the debugger of a traced process: a process
	 * that attached its own parent makes the chain a cycle, and then a
	 * walk that does not meet the target never ends (section 3.3).
	 */
	if ((curp->p_flag & P_TRACED) != 0) {
		for (pp = curp->p_pptr; pp != NULL; pp = pp->p_pptr) {
			/* ksim: a process walked is a unit of work. */
			ksim_tick();
			if (pp == p)
				return (EINVAL);
		}
	}
	return (0);
}
