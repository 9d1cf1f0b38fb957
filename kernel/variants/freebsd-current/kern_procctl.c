/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * procctl(2) as FreeBSD has it today: one table describes every command
 * (which process-tree lock it takes, whether it is limited to P_PID,
 * whether acting on another process needs the right to debug it or only
 * to see it, what is copied in and out), and sys_procctl() and
 * kern_procctl() are driven by it.  P_PID with id 0 names the caller.  The
 * tracing requests have their committed names, PROC_TRACE_CTL and
 * PROC_TRACE_STATUS, and trace_ctl()/trace_status() keep the RFC's logic
 * line for line.
 *
 * Written for ksim from shared/reference/freebsd-semantics.md sections
 * 1.1-1.5, 9 (items 3 and 4) and 10; no FreeBSD text.  Only what the
 * rfc-2014 variant models is modelled: the reaper and protection requests
 * keep their "not modelled" handlers, and the table ends at
 * PROC_TRACE_STATUS, so the later commands (PROC_TRAPCAP_CTL and on) and
 * the machine-dependent ones (cpu_procctl()) are EINVAL here, unlike in
 * today's kernel.  The model never issues them.
 */

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/lock.h>
#include <sys/mutex.h>
#include <sys/proc.h>
#include <sys/procctl.h>
#include <sys/sx.h>
#include <sys/sysproto.h>
#include <sys/wait.h>

#define	NOT_MODELLED(what)	panic("ksim: not modelled: %s", (what))

static int
protect_set(struct thread *td, struct proc *p, void *data)
{

	NOT_MODELLED("PROC_SPROTECT");
}

static int
reap_acquire(struct thread *td, struct proc *p, void *data)
{

	NOT_MODELLED("PROC_REAP_ACQUIRE");
}

static int
reap_release(struct thread *td, struct proc *p, void *data)
{

	NOT_MODELLED("PROC_REAP_RELEASE");
}

static int
reap_status(struct thread *td, struct proc *p, void *data)
{

	NOT_MODELLED("PROC_REAP_STATUS");
}

static int
reap_getpids(struct thread *td, struct proc *p, void *data)
{

	NOT_MODELLED("PROC_REAP_GETPIDS");
}

static int
reap_kill(struct thread *td, struct proc *p, void *data)
{

	NOT_MODELLED("PROC_REAP_KILL");
}

/*
 * PROC_TRACE_CTL: the RFC's trace_enable() under the committed names, the
 * value passed through the data pointer (section 1.2).  The EBUSY test
 * still precedes the value's, and the EPERM tests for another process are
 * still here although, with p_candebug() in front of them, only a caller
 * that may override P2_NOTRACE reaches them (section 1.4).
 */
static int
trace_ctl(struct thread *td, struct proc *p, void *data)
{
	int state;

	PROC_LOCK_ASSERT(p, MA_OWNED);
	state = *(int *)data;

	/*
	 * ktrace changes p_traceflag from or to zero only with the process
	 * locked, and we hold that lock: no need for the ktrace mutex.
	 */
	if ((p->p_flag & P_TRACED) != 0 || p->p_traceflag != 0)
		return (EBUSY);

	switch (state) {
	case PROC_TRACE_CTL_ENABLE:
		/* Only a process itself may take its disable back. */
		if (td->td_proc != p)
			return (EPERM);
		p->p_flag2 &= ~(P2_NOTRACE | P2_NOTRACE_EXEC);
		break;
	case PROC_TRACE_CTL_DISABLE_EXEC:
		p->p_flag2 |= P2_NOTRACE_EXEC | P2_NOTRACE;
		break;
	case PROC_TRACE_CTL_DISABLE:
		if ((p->p_flag2 & P2_NOTRACE_EXEC) != 0) {
			/*
			 * Already disabled across exec: this asks to keep
			 * the disable only until the next exec, which only
			 * the process itself may ask.
			 */
			KASSERT((p->p_flag2 & P2_NOTRACE) != 0,
			    ("dandling P2_NOTRACE_EXEC"));
			if (td->td_proc != p)
				return (EPERM);
			p->p_flag2 &= ~P2_NOTRACE_EXEC;
		} else {
			p->p_flag2 |= P2_NOTRACE;
		}
		break;
	default:
		return (EINVAL);
	}
	return (0);
}

/*
 * PROC_TRACE_STATUS: -1 if disabled, else the ptrace debugger's pid (the
 * parent while traced), else 0; ktrace is not reported (section 1.3).
 */
static int
trace_status(struct thread *td, struct proc *p, void *data)
{
	int *status;

	status = data;
	if ((p->p_flag2 & P2_NOTRACE) != 0) {
		KASSERT((p->p_flag & P_TRACED) == 0,
		    ("%d traced but tracing disabled", p->p_pid));
		*status = -1;
	} else if ((p->p_flag & P_TRACED) != 0) {
		*status = p->p_pptr->p_pid;
	} else {
		*status = 0;
	}
	return (0);
}

/* Which process-tree lock kern_procctl() holds for a command. */
#define	PCTL_UNLOCKED	0
#define	PCTL_SLOCKED	1
#define	PCTL_XLOCKED	2

struct procctl_cmd_info {
	int	lock_tree;		/* PCTL_* */
	bool	one_proc;		/* P_PID only */
	bool	need_candebug;		/* others: p_candebug, not p_cansee */
	size_t	copyin_sz;		/* argument bytes to copy in */
	size_t	copyout_sz;		/* result bytes to copy out */
	bool	copyout_on_error;	/* copy the result out even on error */
	int	(*exec)(struct thread *, struct proc *, void *);
};

/*
 * The commands ksim knows, indexed by number.  The tracing entries are
 * section 1.4's: PROC_TRACE_CTL changes state, so it needs the right to
 * debug each target and may name a process group; PROC_TRACE_STATUS only
 * reads, so seeing the one target suffices and no tree lock is taken.
 * The others keep the locking and P_PID restriction of the 2014 switch.
 */
static const struct procctl_cmd_info procctl_cmds_info[] = {
	[PROC_SPROTECT] = {
	    .lock_tree = PCTL_SLOCKED, .one_proc = false,
	    .need_candebug = false, .copyin_sz = sizeof(int),
	    .copyout_sz = 0, .copyout_on_error = false,
	    .exec = protect_set },
	[PROC_REAP_ACQUIRE] = {
	    .lock_tree = PCTL_XLOCKED, .one_proc = true,
	    .need_candebug = false, .copyin_sz = 0,
	    .copyout_sz = 0, .copyout_on_error = false,
	    .exec = reap_acquire },
	[PROC_REAP_RELEASE] = {
	    .lock_tree = PCTL_XLOCKED, .one_proc = true,
	    .need_candebug = false, .copyin_sz = 0,
	    .copyout_sz = 0, .copyout_on_error = false,
	    .exec = reap_release },
	[PROC_REAP_STATUS] = {
	    .lock_tree = PCTL_SLOCKED, .one_proc = true,
	    .need_candebug = false, .copyin_sz = 0,
	    .copyout_sz = sizeof(struct procctl_reaper_status),
	    .copyout_on_error = false,
	    .exec = reap_status },
	[PROC_REAP_GETPIDS] = {
	    .lock_tree = PCTL_SLOCKED, .one_proc = true,
	    .need_candebug = false,
	    .copyin_sz = sizeof(struct procctl_reaper_pids),
	    .copyout_sz = 0, .copyout_on_error = false,
	    .exec = reap_getpids },
	[PROC_REAP_KILL] = {
	    .lock_tree = PCTL_SLOCKED, .one_proc = true,
	    .need_candebug = false,
	    .copyin_sz = sizeof(struct procctl_reaper_kill),
	    .copyout_sz = sizeof(struct procctl_reaper_kill),
	    .copyout_on_error = true,
	    .exec = reap_kill },
	[PROC_TRACE_CTL] = {
	    .lock_tree = PCTL_SLOCKED, .one_proc = false,
	    .need_candebug = true, .copyin_sz = sizeof(int),
	    .copyout_sz = 0, .copyout_on_error = false,
	    .exec = trace_ctl },
	[PROC_TRACE_STATUS] = {
	    .lock_tree = PCTL_UNLOCKED, .one_proc = true,
	    .need_candebug = false, .copyin_sz = 0,
	    .copyout_sz = sizeof(int), .copyout_on_error = false,
	    .exec = trace_status },
};

/*
 * Reject an unknown command before touching user memory, copy the
 * argument in (a bad pointer is EFAULT), run it, and copy the result out
 * (for most commands only on success).
 */
int
sys_procctl(struct thread *td, struct procctl_args *uap)
{
	const struct procctl_cmd_info *cmd_info;
	union {
		struct procctl_reaper_status rs;
		struct procctl_reaper_pids rp;
		struct procctl_reaper_kill rk;
		int flags;
	} x;
	int error, error1;

	if (uap->com <= 0 || uap->com >= (int)nitems(procctl_cmds_info) ||
	    procctl_cmds_info[uap->com].exec == NULL)
		return (EINVAL);
	cmd_info = &procctl_cmds_info[uap->com];
	if (cmd_info->copyin_sz > 0) {
		error = copyin(uap->data, &x, cmd_info->copyin_sz);
		if (error != 0)
			return (error);
	}
	error = kern_procctl(td, uap->idtype, uap->id, uap->com, &x);
	if (cmd_info->copyout_sz > 0 &&
	    (error == 0 || cmd_info->copyout_on_error)) {
		error1 = copyout(&x, uap->data, cmd_info->copyout_sz);
		if (error == 0)
			error = error1;
	}
	return (error);
}

/*
 * May td apply the command to p, another process?  Changing it needs the
 * right to debug it (so P2_NOTRACE, checked in p_candebug(), keeps
 * unprivileged callers off), reading it the right to see it.
 */
static int
procctl_can(struct thread *td, struct proc *p,
    const struct procctl_cmd_info *cmd_info)
{

	PROC_LOCK_ASSERT(p, MA_OWNED);
	return (cmd_info->need_candebug ? p_candebug(td, p) :
	    p_cansee(td, p));
}

int
kern_procctl(struct thread *td, idtype_t idtype, id_t id, int com, void *data)
{
	const struct procctl_cmd_info *cmd_info;
	struct pgrp *pg;
	struct proc *p;
	int error, first_error, ok;

	MPASS(com > 0 && com < (int)nitems(procctl_cmds_info));
	cmd_info = &procctl_cmds_info[com];
	if (idtype != P_PID && cmd_info->one_proc)
		return (EINVAL);

	switch (cmd_info->lock_tree) {
	case PCTL_XLOCKED:
		sx_xlock(&proctree_lock);
		break;
	case PCTL_SLOCKED:
		sx_slock(&proctree_lock);
		break;
	default:
		break;
	}

	switch (idtype) {
	case P_PID:
		if (id == 0) {
			/* The caller itself: nothing to check. */
			p = td->td_proc;
			PROC_LOCK(p);
			error = 0;
		} else {
			p = pfind(id);
			if (p == NULL) {
				error = ESRCH;
				break;
			}
			/* Both checks let a process act on itself. */
			error = procctl_can(td, p, cmd_info);
		}
		if (error == 0)
			error = cmd_info->exec(td, p, data);
		PROC_UNLOCK(p);
		break;
	case P_PGID:
		/*
		 * Best effort over the group: members still being created,
		 * already exiting or not to be acted on by this thread are
		 * skipped; the request succeeds if it succeeded for one
		 * member, else fails with the first member's error, else
		 * (nobody eligible) with ESRCH.
		 */
		pg = pgfind(id);
		if (pg == NULL) {
			error = ESRCH;
			break;
		}
		PGRP_UNLOCK(pg);
		ok = 0;
		first_error = 0;
		LIST_FOREACH(p, &pg->pg_members, p_pglist) {
			PROC_LOCK(p);
			if (p->p_state == PRS_NEW || p->p_state == PRS_ZOMBIE ||
			    procctl_can(td, p, cmd_info) != 0) {
				PROC_UNLOCK(p);
				continue;
			}
			error = cmd_info->exec(td, p, data);
			PROC_UNLOCK(p);
			if (error == 0)
				ok = 1;
			else if (first_error == 0)
				first_error = error;
		}
		if (ok)
			error = 0;
		else if (first_error != 0)
			error = first_error;
		else
			error = ESRCH;
		break;
	default:
		error = EINVAL;
		break;
	}

	switch (cmd_info->lock_tree) {
	case PCTL_XLOCKED:
		sx_xunlock(&proctree_lock);
		break;
	case PCTL_SLOCKED:
		sx_sunlock(&proctree_lock);
		break;
	default:
		break;
	}
	return (error);
}
