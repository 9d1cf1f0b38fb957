/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The C interface between the model (C++) and one version of the kernel
 * code.  Each entry runs one kernel operation for the process in slot
 * call->td against call->world: the world is materialised as struct proc
 * and friends, the operation runs under ksim_guard(), and the flag words it
 * changed are written back.  A panic or hang ends the operation; call->end
 * and call->message say so.
 */

#ifndef _KSIM_KERNEL_H_
#define	_KSIM_KERNEL_H_

#include <stdint.h>

#include "ksim/world.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The caller's user memory: one int, at a "good" address. */
#define	KSIM_UADDR_GOOD	1
#define	KSIM_UADDR_BAD	0

struct ksim_call {
	/* inputs */
	struct ksim_world		*world;
	const struct ksim_sysctls	*sysctls;
	unsigned			td;		/* calling slot */
	int				uword;		/* the user int (copyin source, copyout target) */
	int				production;	/* no INVARIANTS: assertions compiled out */
	/* outputs */
	int				error;		/* errno; 0 on success */
	int				end;		/* KSIM_END_* (ksim/hooks.h) */
	int				core_written;	/* sigexit: a core file was written */
	int				wstatus;	/* sigexit: wait status */
	char				message[192];	/* panic or hang text */
	/*
	 * production: the first assertion that failed and was passed over
	 * ("KASSERT: text"; "" if none), and its source site.
	 */
	char				assertion[192];
	const char			*assertion_file;
	int				assertion_line;
};

/*
 * Design facts about a variant that the properties need and cannot learn
 * by running it (struct ksim_variant.design).  Set per variant by the
 * DESIGN argument of ksim_add_kernel_variant() (kernel/CMakeLists.txt).
 */
/* No P2_NOTRACE feature at all: the kernel before the patch. */
#define	KSIM_DESIGN_NO_NOTRACE			0x0001
/* p_candebug() lets a caller with PRIV_DEBUG_DENIED past P2_NOTRACE. */
#define	KSIM_DESIGN_PRIV_OVERRIDES_NOTRACE	0x0002
/* procctl(P_PID, 0, ...) means the caller (its man page says so). */
#define	KSIM_DESIGN_PID0_IS_CALLER		0x0004
/*
 * The process model's era (kernel/PROVENANCE.md section 3.7): exit1()
 * gives a dying debugger's traced children back to their real parent
 * (proc_realparent) before killing them; the 2014 kernel sent them to init.
 */
#define	KSIM_DESIGN_EXIT_RETURNS_TRACED_CHILDREN	0x0008
/*
 * kern_wait6() only counts the caller's orphans (its children traced by
 * another process), so the real parent sees an orphan's exit once the
 * debugger has reaped it and handed it back; the 2014 kernel reaped a
 * zombie orphan for the real parent at once (section 3.7).
 */
#define	KSIM_DESIGN_WAIT_LEAVES_ORPHANS_TO_DEBUGGER	0x0010
/*
 * getppid() answers the real parent of a traced process (p_oppid, since
 * 2018); before, p_pptr: its debugger (section 3.7).
 */
#define	KSIM_DESIGN_GETPPID_REPORTS_REAL_PARENT	0x0020
/*
 * ptrace event masks (2016 on, section 3.6): PT_GET_EVENT_MASK and
 * PT_SET_EVENT_MASK exist, attaching sets the default mask (PTRACE_EXEC),
 * an exec stops only with PTRACE_EXEC, PT_FOLLOW_FORK is the PTRACE_FORK
 * bit, and a forked child's stop also reports PL_FLAG_SCX.  Before: no
 * masks (the requests are EINVAL), every traced exec stops, and
 * PT_FOLLOW_FORK sets P_FOLLOWFORK.
 */
#define	KSIM_DESIGN_PTRACE_EVENT_MASKS		0x0040
/*
 * The reaper (kernel/PROVENANCE.md section 15): a process may declare
 * itself the reaper of its later descendants (procctl(2) PROC_REAP_*), and
 * an exiting process's children go to their reaper (p_reaper) instead of
 * init.  The model runs the PROC_REAP_* requests itself
 * (model/src/Reaper.cpp).  Every design has it, as the kernel of December
 * 2014 did; without it exit1() would give every child to init (FreeBSD
 * 10.1) and those requests would stay the C's "not modelled" stubs.
 */
#define	KSIM_DESIGN_REAPER			0x0080
/*
 * ptracestop() sends a signal the debugger passes at a stop that is not a
 * signal's (a system call's entry or exit) as a new signal, which the
 * process takes, without stopping again, on its return to user mode
 * (FreeBSD r315949, 2017; kernel/PROVENANCE.md section 3.8).  Before, the
 * callers in syscallenter() and syscallret() dropped it.
 */
#define	KSIM_DESIGN_PTRACE_DEFERS_SIGNALS	0x0100

/*
 * Process descriptors as today (kernel/PROVENANCE.md section 17): pdfork(2)
 * gives the parent a descriptor of the child, which fork copies and close
 * and exit close; wait(2) for any child passes over a child that has one
 * (unless it is the caller's traced child); its exit is kept for the
 * descriptor, and the last close kills a live process and reaps a zombie.
 * The model runs pdfork and close itself; without the flag pdfork answers
 * ENOSYS (the 2014 kernels' process descriptors were not read).
 */
#define	KSIM_DESIGN_PROCDESC			0x0200
/*
 * PT_ATTACH of a process stopped by a stop signal (P_STOPPED_SIG), which
 * every era clears, setting the process running (kernel/PROVENANCE.md
 * section 3.3), then sends its SIGSTOP, on which the now traced process
 * stops for its debugger (10.4 and today).  9.3 sent none: the process ran
 * on, traced, with no stop coming.
 */
#define	KSIM_DESIGN_ATTACH_SIGNALS_STOPPED	0x0800
/*
 * PT_ATTACH sets P2_PTRACE_FSTP (proc_set_traced(p, true)): the process
 * takes the attach's SIGSTOP before any lower-numbered signal pending, and
 * so stops for its debugger on it first (issignal(), "execute the debugger
 * attach ritual in order"; kernel/PROVENANCE.md section 16).  Before: the
 * lowest-numbered signal first, as always.
 */
#define	KSIM_DESIGN_PTRACE_FIRST_STOP		0x1000
/*
 * PROC_REAP_KILL as today (reap_kill_children(), reap_kill_subtree()):
 * without REAPER_KILL_CHILDREN it descends through the reapers on the
 * reaper's list, passes over exiting processes, signals the caller without
 * a check and without clearing the error, and with REAPER_KILL_CHILDREN it
 * never clears the error.  Before (stable/10): one loop over the reaper's
 * children or its list alone, p_cansignal() for each, the caller included,
 * and any signal sent makes the answer 0 (kernel/PROVENANCE.md section 15).
 */
#define	KSIM_DESIGN_REAP_KILL_SUBTREE		0x2000
/*
 * PT_KILL marks the process P_WKILLED as well as resuming it with SIGKILL,
 * so ptracestop() lets it go and the kill holds at any stop (10.4 and
 * today; kernel/PROVENANCE.md section 13).  Before, PT_KILL only left
 * SIGKILL in td_xsig, which the stops that syscallenter(), syscallret()
 * and fork_return() make drop: PT_KILL at a system call's entry or exit,
 * a fork's or an exec's event or a followed child's first stop was lost
 * (9.3, and head until after the 2015 trees).  freebsd-current has it;
 * proposed adopts it (its change (i)).
 */
#define	KSIM_DESIGN_PT_KILL_WKILLED		0x4000

/* One version of the kernel code (see kernel/variants/). */
struct ksim_variant {
	const char	*name;
	unsigned	design;		/* KSIM_DESIGN_* */
	/* procctl(2) through sys_procctl, or freebsd32_procctl if abi32. */
	void	(*procctl)(struct ksim_call *c, int abi32, int idtype,
		    int64_t id, int com, int uaddr);
	/* Permission checks, target locked as the kernel's callers do. */
	void	(*p_candebug)(struct ksim_call *c, unsigned target);
	void	(*p_cansee)(struct ksim_call *c, unsigned target);
	void	(*p_cansignal)(struct ksim_call *c, unsigned target, int sig);
	/*
	 * kern_ptrace's PT_TRACE_ME checks for the caller (slot c->td), after
	 * the common prologue (pfind, P_WEXIT, p_cansee, p_candebug, P_SYSTEM),
	 * which the model runs; proctree_lock held exclusively and the
	 * caller's process locked, as in the kernel.  c->error is the errno.
	 */
	void	(*ptrace_trace_me)(struct ksim_call *c);
	/*
	 * kern_ptrace's PT_ATTACH checks for the caller (slot c->td) and the
	 * target's slot, after the same prologue; proctree_lock held
	 * exclusively and the target's process locked.  c->error is the errno.
	 */
	void	(*ptrace_attach)(struct ksim_call *c, unsigned target);
	/* The part of fork1/do_fork that sets the child's flags. */
	void	(*fork)(struct ksim_call *c, unsigned child, int vfork);
	/* execve: entry (sets P_INEXEC) and the commit after the point of no return. */
	void	(*exec_begin)(struct ksim_call *c);
	void	(*exec_commit)(struct ksim_call *c, int setuid_root_image);
	/* Default action of a core-dumping signal: the coredump gate and exit status. */
	void	(*sigexit)(struct ksim_call *c, int sig);
};

#ifdef __cplusplus
}
#endif

#endif /* !_KSIM_KERNEL_H_ */
