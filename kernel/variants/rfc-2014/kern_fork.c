/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The part of do_fork() that initialises the child's flag words, with the
 * seed's kern_fork.c hunk (the child inherits P2_NOTRACE and
 * P2_NOTRACE_EXEC).  Written for ksim from
 * kernel/PROVENANCE.md section 4.  The model allocates
 * the child, links it into the process tree and its group, copies the
 * credential and handles ktrace inheritance; this is what the kernel does
 * to p_flag and p_flag2.
 */

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/lock.h>
#include <sys/mutex.h>
#include <sys/proc.h>

void	do_fork(struct thread *td, int flags, struct proc *p2);

void
do_fork(struct thread *td, int flags, struct proc *p2)
{
	struct proc *p1;

	p1 = td->td_proc;
	PROC_LOCK(p2);
	PROC_LOCK(p1);
	KASSERT(p2->p_state == PRS_NEW, ("do_fork: child not new"));

	/*
	 * Seed hunk @@ -494,7 +494,7 @@: p_flag2 used to start at zero.
	 */
	p2->p_flag = P_INMEM;
	p2->p_flag2 = p1->p_flag2 & (P2_NOTRACE | P2_NOTRACE_EXEC);
	if (p1->p_flag & P_PROFIL)
		startprofclock(p2);

	/* The set-id taint passes to the child; P_TRACED never does. */
	p2->p_flag |= p1->p_flag & P_SUGID;
	if (flags & RFPPWAIT)
		p2->p_flag |= P_PPWAIT;
	PROC_UNLOCK(p1);
	PROC_UNLOCK(p2);
}
