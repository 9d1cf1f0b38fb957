/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The default action of a core-dumping signal, with the seed's kern_sig.c
 * hunk (no core for a P2_NOTRACE process).  Written for ksim from
 * kernel/PROVENANCE.md section 6.  sigexit() returns the
 * wait status instead of calling exit1(): the model performs the exit.
 */

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/lock.h>
#include <sys/mutex.h>
#include <sys/proc.h>
#include <sys/resource.h>
#include <sys/signalvar.h>

/*
 * Write a core image of the current process, if policy allows.  Entered
 * with the process locked; returns unlocked.
 *
 * Seed hunk @@ -3243,7 +3243,8 @@ adds P2_NOTRACE to the refusals.
 */
int
coredump(struct thread *td)
{
	struct proc *p = td->td_proc;
	off_t limit;

	PROC_LOCK_ASSERT(p, MA_OWNED);
	MPASS((p->p_flag & P_HADTHREADS) == 0 || p->p_singlethread == td);
	_STOPEVENT(p, S_CORE, 0);

	if (!do_coredump || (!sugid_coredump && (p->p_flag & P_SUGID) != 0) ||
	    (p->p_flag2 & P2_NOTRACE) != 0) {
		PROC_UNLOCK(p);
		return (EFAULT);
	}

	/* A zero core limit (or an empty racct budget) means no file at all. */
	limit = (off_t)lim_cur(p, RLIMIT_CORE);
	if (limit == 0 || racct_get_available(p, RACCT_CORE) == 0) {
		PROC_UNLOCK(p);
		return (EFBIG);
	}
	PROC_UNLOCK(p);

	/* The vnode is opened and the image written without the proc lock. */
	return (ksim_write_core(td));
}

/*
 * The process dies of sig.  Entered with the process locked.  Returns the
 * wait status, with WCOREFLAG if a core was written.
 */
int
sigexit(struct thread *td, int sig)
{
	struct proc *p = td->td_proc;

	PROC_LOCK_ASSERT(p, MA_OWNED);
	if ((sigprop(sig) & SA_CORE) != 0 &&
	    thread_single(p, SINGLE_NO_EXIT) == 0) {
		p->p_sig = sig;
		if (coredump(td) == 0)
			sig |= WCOREFLAG;
	} else
		PROC_UNLOCK(p);
	return (W_EXITCODE(0, sig));
}
