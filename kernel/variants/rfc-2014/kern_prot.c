/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Inter-process permission checks of the 2014 kernel, with the seed's
 * kern_prot.c hunk (the P2_NOTRACE test at the end of p_candebug).
 *
 * Written for ksim from kernel/PROVENANCE.md section 2
 * (the ~2015 order: the unprivileged-debugging check comes before the
 * shortcut for self).  Jails and MAC are not modelled: prison_check and
 * the MAC hooks always allow.
 */

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/lock.h>
#include <sys/mutex.h>
#include <sys/priv.h>
#include <sys/proc.h>
#include <sys/signal.h>
#include <sys/ucred.h>

/* security.bsd.see_other_uids: may u1 see processes of other real uids? */
int
cr_seeotheruids(struct ucred *u1, struct ucred *u2)
{

	if (!see_other_uids && u1->cr_ruid != u2->cr_ruid) {
		if (priv_check_cred(u1, PRIV_SEEOTHERUIDS, 0) != 0)
			return (ESRCH);
	}
	return (0);
}

/* security.bsd.see_other_gids: must u1 share a group with u2? */
int
cr_seeothergids(struct ucred *u1, struct ucred *u2)
{
	int i, match;

	if (see_other_gids)
		return (0);
	match = 0;
	for (i = 0; i < u1->cr_ngroups && !match; i++)
		match = (u1->cr_groups[i] == u2->cr_groups[0]);
	if (!match && priv_check_cred(u1, PRIV_SEEOTHERGIDS, 0) != 0)
		return (ESRCH);
	return (0);
}

int
cr_cansee(struct ucred *u1, struct ucred *u2)
{
	int error;

	if ((error = cr_seeotheruids(u1, u2)) != 0)
		return (error);
	if ((error = cr_seeothergids(u1, u2)) != 0)
		return (error);
	return (0);
}

int
p_cansee(struct thread *td, struct proc *p)
{

	KASSERT(td == curthread, ("%s: td not curthread", __func__));
	PROC_LOCK_ASSERT(p, MA_OWNED);
	return (cr_cansee(td->td_ucred, p->p_ucred));
}

/*
 * May the credential signal the process?  Different users need privilege,
 * and a set-id target accepts only a conservative set of signals (no
 * SIGQUIT, so no core dump) from its unprivileged user.
 */
int
cr_cansignal(struct ucred *cred, struct proc *proc, int signum)
{
	int error;

	PROC_LOCK_ASSERT(proc, MA_OWNED);
	if ((error = cr_cansee(cred, proc->p_ucred)) != 0)
		return (error);
	if ((proc->p_flag & P_SUGID) != 0) {
		switch (signum) {
		case 0:
		case SIGKILL:
		case SIGINT:
		case SIGTERM:
		case SIGSTOP:
		case SIGHUP:
		case SIGUSR1:
		case SIGUSR2:
			break;
		default:
			error = priv_check_cred(cred, PRIV_SIGNAL_SUGID, 0);
			if (error != 0)
				return (error);
		}
	}
	if (cred->cr_ruid != proc->p_ucred->cr_ruid &&
	    cred->cr_ruid != proc->p_ucred->cr_svuid &&
	    cred->cr_uid != proc->p_ucred->cr_ruid &&
	    cred->cr_uid != proc->p_ucred->cr_svuid) {
		error = priv_check_cred(cred, PRIV_SIGNAL_DIFFCRED, 0);
		if (error != 0)
			return (error);
	}
	return (0);
}

int
p_cansignal(struct thread *td, struct proc *p, int signum)
{

	KASSERT(td == curthread, ("%s: td not curthread", __func__));
	PROC_LOCK_ASSERT(p, MA_OWNED);
	if (td->td_proc == p)
		return (0);
	return (cr_cansignal(td->td_ucred, p, signum));
}

/*
 * May td debug p (ptrace, ktrace, debugging sysctls)?
 *
 * Seed hunk @@ -1714,6 +1714,10 @@ appends the P2_NOTRACE test.  Because
 * the test for self returns earlier, a process is never refused itself.
 */
int
p_candebug(struct thread *td, struct proc *p)
{
	struct ucred *tc, *pc;
	int error, grpsubset, uidsubset;

	KASSERT(td == curthread, ("%s: td not curthread", __func__));
	PROC_LOCK_ASSERT(p, MA_OWNED);
	if (!unprivileged_proc_debug) {
		error = priv_check(td, PRIV_DEBUG_UNPRIV);
		if (error)
			return (error);
	}
	if (td->td_proc == p)
		return (0);
	tc = td->td_ucred;
	pc = p->p_ucred;
	if ((error = cr_seeotheruids(tc, pc)) != 0)
		return (error);
	if ((error = cr_seeothergids(tc, pc)) != 0)
		return (error);

	/* All of p's group ids must be among td's groups. */
	grpsubset = (pc->cr_groups[0] == tc->cr_groups[0] &&
	    pc->cr_rgid == tc->cr_groups[0] &&
	    pc->cr_svgid == tc->cr_groups[0]);

	/* And p's effective, real and saved uids must be td's euid. */
	uidsubset = (tc->cr_uid == pc->cr_uid &&
	    tc->cr_uid == pc->cr_svuid &&
	    tc->cr_uid == pc->cr_ruid);

	if (!grpsubset || !uidsubset) {
		error = priv_check(td, PRIV_DEBUG_DIFFCRED);
		if (error)
			return (error);
	}

	/* A process that changed credentials needs privilege too. */
	if ((p->p_flag & P_SUGID) != 0) {
		error = priv_check(td, PRIV_DEBUG_SUGID);
		if (error)
			return (error);
	}

	/* init is off limits above securelevel 0. */
	if (p == initproc) {
		error = securelevel_gt(td->td_ucred, 0);
		if (error)
			return (error);
	}

	/* Not while it replaces its image: a correctness rule, not policy. */
	if ((p->p_flag & P_INEXEC) != 0)
		return (EBUSY);

	/* Denied explicitely */
	if ((p->p_flag2 & P2_NOTRACE) != 0)
		return (EPERM);

	return (0);
}
