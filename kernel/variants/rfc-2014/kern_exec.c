/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * execve(2) in two steps, with the seed's kern_exec.c hunk (P2_NOTRACE is
 * dropped at exec unless P2_NOTRACE_EXEC is set).  Written for ksim from
 * kernel/PROVENANCE.md section 5.
 *
 * do_execve_begin() marks the process P_INEXEC; the real kernel then
 * sleeps (namei, reading the image) with no locks held, which is when other
 * processes run.  do_execve_commit() is what follows the point of no
 * return for a successful exec.  Image activation failures are not
 * modelled: every exec succeeds.
 */

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/condvar.h>
#include <sys/ktrace.h>
#include <sys/lock.h>
#include <sys/mutex.h>
#include <sys/priv.h>
#include <sys/proc.h>
#include <sys/ucred.h>

void	do_execve_begin(struct thread *td);
void	do_execve_commit(struct thread *td, int setuid_root_image);

void
do_execve_begin(struct thread *td)
{
	struct proc *p;

	p = td->td_proc;
	PROC_LOCK(p);
	KASSERT((p->p_flag & P_INEXEC) == 0,
	    ("%s: process already has P_INEXEC flag", __func__));
	p->p_flag |= P_INEXEC;
	PROC_UNLOCK(p);
}

void
do_execve_commit(struct thread *td, int setuid_root_image)
{
	struct proc *p;
	struct ucred *cred;
	int credential_changing;

	p = td->td_proc;
	cred = p->p_ucred;
	PROC_LOCK(p);

	/* A setuid-root image changes the euid unless it is already 0. */
	credential_changing = setuid_root_image && cred->cr_uid != 0;

	/*
	 * Set-id bits are ignored for a traced process, so a debugger
	 * cannot gain the new credential's rights.
	 */
	if (credential_changing && (p->p_flag & P_TRACED) == 0) {
		p->p_flag |= P_SUGID;
		/* Stop a ktrace set up by an unprivileged tracer. */
		if (p->p_tracecred != NULL &&
		    priv_check_cred(p->p_tracecred, PRIV_DEBUG_DIFFCRED, 0)) {
			p->p_traceflag = 0;
			p->p_tracecred = NULL;
		}
		cred->cr_uid = 0;
		cred->cr_svuid = 0;
	} else {
		/* The saved uid follows the effective one. */
		cred->cr_svuid = cred->cr_uid;
		if (cred->cr_uid == cred->cr_ruid &&
		    cred->cr_groups[0] == cred->cr_rgid)
			p->p_flag &= ~P_SUGID;
	}

	/*
	 * Seed hunk @@ -634,6 +634,8 @@: the new program gets tracing back
	 * unless the disable was made to persist across exec.  Then the vfork
	 * parent, if any, is released.
	 */
	p->p_flag |= P_EXEC;
	if ((p->p_flag2 & P2_NOTRACE_EXEC) == 0)
		p->p_flag2 &= ~P2_NOTRACE;
	if (p->p_flag & P_PPWAIT) {
		p->p_flag &= ~(P_PPWAIT | P_PPTRACE);
		cv_broadcast(&p->p_pwait);
	}

	/* The process is a freshly exec'd one now. */
	p->p_flag &= ~P_INEXEC;
	PROC_UNLOCK(p);
}
