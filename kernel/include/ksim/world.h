/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The flat kernel state that the model stores, hashes and explores, and
 * that the kernel C code sees, for the length of one call, as struct proc,
 * struct pgrp and struct ucred (see runtime/world.c).
 *
 * Every member is a fixed-width integer and the layout has no padding, so
 * the bytes of a world are its value: equal worlds have equal bytes and
 * hashing the bytes is sound.  Processes are named by slot; a slot's pid
 * is ksim_slot_pid(slot).  Flag words hold FreeBSD's own P_*, P2_* and
 * KTRFAC_* values.
 *
 * This header is C and C++: model/ includes it, kernel/ implements it.
 */

#ifndef _KSIM_WORLD_H_
#define	_KSIM_WORLD_H_

#include <stdint.h>

#define	KSIM_NSLOTS		8	/* process table size, proc0 included */
#define	KSIM_NOSLOT		0xff
/*
 * ksim_proc_rec.oppid of a traced process whose real parent exited while
 * another process traced it: exit1 took it off the orphan list and left in
 * p_oppid its reaper's pid, which proc_realparent only compares with the
 * debugger's.  Unless the debugger was that reaper (oppid is then the
 * debugger's slot), proc_realparent answers p_reaper, whichever process
 * that is by then and whatever its state.
 */
#define	KSIM_OPPID_REAPER	0xfe
#define	KSIM_SLOT_SWAPPER	0	/* proc0, pid 0 */
#define	KSIM_SLOT_INIT		1	/* initproc, pid 1 */
#define	KSIM_FIRST_USER_SLOT	2

/* Process states; the values are FreeBSD's enum p_states plus "free". */
#define	KSIM_PRS_NEW		0
#define	KSIM_PRS_NORMAL		1
#define	KSIM_PRS_ZOMBIE		2
#define	KSIM_PRS_FREE		3

/*
 * What a process is in the middle of.  A system call that sleeps or drops
 * its locks is split into steps; between them other processes run.
 */
#define	KSIM_PC_NONE		0	/* in user mode */
#define	KSIM_PC_EXEC_PLAIN	1	/* execve: P_INEXEC set, image not yet committed */
#define	KSIM_PC_EXEC_SETUID	2	/* same, for a setuid-root image */
#define	KSIM_PC_VFORK_WAIT	3	/* vfork parent asleep until child pc_arg execs or exits */
#define	KSIM_PC_FORK		4	/* fork: child pc_arg is PRS_NEW while its memory is copied */
#define	KSIM_PC_VFORK		5	/* the same for vfork */
#define	KSIM_PC_SYSCALL_ENTRY	6	/* stopped at, or resumed from, the entry of
					   system call pc_arg (a model::Call): that
					   call runs next (PTRACE_SCE) */

/*
 * ksim_proc_rec.xstat_rank: how a zombie ended (the wait status classes
 * the model distinguishes) in the low bits, and above them the process's
 * place in its parent's list of children (p_children), counted from the
 * oldest: 0 for the child that has been in the list longest, one more for
 * each later one.  do_fork() and proc_reparent() insert at the list's
 * head and kern_wait6() walks it from there, so a wait for any child
 * looks at the highest rank first.
 */
#define	KSIM_XSTAT_NONE		0
#define	KSIM_XSTAT_EXITED	1
#define	KSIM_XSTAT_KILLED	2	/* by a signal, no core */
#define	KSIM_XSTAT_CORE		3	/* by a signal, core written */
#define	KSIM_XSTAT_MASK		0x03
#define	KSIM_RANK_SHIFT		2

/*
 * Pending signals the model distinguishes: the low byte in
 * ksim_proc_rec.sigpend, the high byte in sigpend_hi (the signals added
 * with handlers and masks, kept apart so that the older fields keep their
 * offsets).  model/Signals.hpp reads them as one 16-bit set.
 */
#define	KSIM_SIGBIT_QUIT	0x01	/* SIGQUIT: kill(2); dumps core */
#define	KSIM_SIGBIT_TRAP	0x02	/* SIGTRAP: an exec, fork or system-call event */
#define	KSIM_SIGBIT_KILL	0x04	/* SIGKILL: its debugger exited, PT_KILL, kill(2) */
#define	KSIM_SIGBIT_STOP	0x08	/* SIGSTOP: PT_ATTACH, a followed fork, kill(2) */
#define	KSIM_SIGBIT_TERM	0x10	/* SIGTERM: kill(2); terminates */
#define	KSIM_SIGBIT_USR1	0x20	/* SIGUSR1: kill(2); terminates (no handlers) */
#define	KSIM_SIGBIT_CONT	0x40	/* SIGCONT: kill(2); ignored when taken */
#define	KSIM_SIGBIT_INT		0x0100	/* SIGINT: kill(2); terminates */
#define	KSIM_SIGBIT_ABRT	0x0200	/* SIGABRT: kill(2); dumps core */
#define	KSIM_SIGBIT_USR2	0x0400	/* SIGUSR2: kill(2); terminates */

/*
 * ksim_proc_rec.sigflags: the debugger passed the signal on (PT_CONTINUE);
 * in the four bits above, the signals the process blocks
 * (sigprocmask(2)), one bit per signal that has an action slot (below).
 */
#define	KSIM_SIGF_NOSTOP	0x01
#define	KSIM_SIGF_BLOCK_SHIFT	1	/* bit (1 << (1 + slot)): that signal is blocked */
/*
 * SIGTRAP sent as a signal (kill(2), or passed by a debugger's resume) is
 * pending.  sigpend's KSIM_SIGBIT_TRAP is the kernel's own event stops
 * (exec, fork, system-call boundaries, the end of a vfork), which may be
 * due at the same time.
 */
#define	KSIM_SIGF_SIGTRAP	0x20
/*
 * PT_STEP (the trace flag, PSL_T, and TDB_STEP): the process traps with
 * SIGTRAP (TRAP_TRACE) once the signals pending when it resumed have been
 * taken, before its next call.  KSIM_SIGF_STEPPED: it is stopped at that
 * trap (its siginfo says TRAP_TRACE), until its debugger resumes it.
 */
#define	KSIM_SIGF_STEP		0x40
#define	KSIM_SIGF_STEPPED	0x80

/*
 * The signal queue (the opt-in family signal-queue; kernel/PROVENANCE.md
 * section 18): a pending instance of a signal that its debugger passed on
 * (FreeBSD's KSI_PTRACE, or sq_ptrace), which issignal() does not stop
 * for, is marked per signal in the bits the pending sets leave free.
 * SIGKILL's mark stays KSIM_SIGF_NOSTOP (P_WKILLED); SIGSTOP has none.
 * Every one is zero while the family is left out.
 */
#define	KSIM_SIGPEND_BITS	0x7f	/* sigpend: the pending signals */
#define	KSIM_SIGPEND_HI_BITS	0x07	/* sigpend_hi: the pending signals */
#define	KSIM_SIGPEND_PASSED_QUIT 0x80	/* sigpend: SIGQUIT passed on */
#define	KSIM_SIGF_PASSED_TRAP	0x40	/* sigflags: SIGTRAP passed on */
#define	KSIM_SIGF_PASSED_CONT	0x80	/* sigflags: SIGCONT passed on */
#define	KSIM_SIGPEND_HI_PASSED_INT  0x08 /* sigpend_hi: SIGINT passed on */
#define	KSIM_SIGPEND_HI_PASSED_ABRT 0x10 /* sigpend_hi: SIGABRT passed on */
#define	KSIM_SIGPEND_HI_PASSED_TERM 0x20 /* sigpend_hi: SIGTERM passed on */
#define	KSIM_SIGPEND_HI_PASSED_USR1 0x40 /* sigpend_hi: SIGUSR1 passed on */
#define	KSIM_SIGPEND_HI_PASSED_USR2 0x80 /* sigpend_hi: SIGUSR2 passed on */

/*
 * ksim_proc_rec.sigact: sigaction(2)'s disposition of the signals that
 * can be caught or ignored here (SIGINT, SIGTERM, SIGUSR1, SIGUSR2: their
 * slot in model/Signals.hpp), two bits each at (2 * slot).
 */
#define	KSIM_SIGACT_DFL		0	/* SIG_DFL: the default action */
#define	KSIM_SIGACT_IGN		1	/* SIG_IGN */
#define	KSIM_SIGACT_CATCH	2	/* a handler: the process runs on */
#define	KSIM_SIGACT_BITS	2

/*
 * ksim_proc_rec.ptevents: the ptrace events the debugger asked for
 * (FreeBSD's PTRACE_* bits of p_ptevents).  An exec stops the process
 * (today only with PTRACE_EXEC; in 2014 always); a fork attaches the child
 * to the debugger (PTRACE_FORK; in 2014 the p_flag P_FOLLOWFORK, kept here
 * in the same bit); every system call stops at its entry (PTRACE_SCE) and
 * at its exit (PTRACE_SCX; in 2014 p_stops' S_PT_SCE and S_PT_SCX, kept in
 * the same bits); a vfork parent stops when its wait for the child ends
 * (PTRACE_VFORK, since 2017).
 */
#define	KSIM_PTRACE_EXEC	0x0001
#define	KSIM_PTRACE_SCE		0x0002
#define	KSIM_PTRACE_SCX		0x0004
#define	KSIM_PTRACE_FORK	0x0008
#define	KSIM_PTRACE_LWP		0x0010	/* threads' births and deaths: kept and
					   reported, never acted on (one thread) */
#define	KSIM_PTRACE_VFORK	0x0020

/*
 * ksim_proc_rec.flag2, beside FreeBSD's P2_* bits, in a bit FreeBSD leaves
 * unused: the process's only thread is suspended in today's ptracestop()
 * with no stop recorded.  P2_PTRACE_FSTP was set (just attached) and the
 * stop was not the attach's own SIGSTOP (no TDB_FSTP: issignal() masks
 * stop signals while a vfork parent waits, P_PPWAIT), so ptracestop()
 * neither set P_STOPPED_TRACE nor p_xthread: no wait reports it, every
 * request that needs a stopped process answers EBUSY, and a SIGKILL sent
 * to it, still traced, does not wake it.  Only its debugger's exit
 * (untraced, then SIGKILL) ends it (kernel/PROVENANCE.md section 16).
 */
#define	KSIM_P2_SUSPENDED_UNREPORTED	0x80000000u

/*
 * ksim_proc_rec.ptstop: the events a stop reports through PT_LWPINFO
 * (td_dbgflags TDB_FORK with td_dbg_forked, TDB_CHILD, TDB_SCX, TDB_VFORK),
 * from the event until the debugger resumes that stop.  The forked child's
 * slot, plus one, is kept in the upper four bits.  A stop at a system
 * call's entry is KSIM_PC_SYSCALL_ENTRY.
 */
#define	KSIM_PTSTOP_FORKED	0x01	/* the parent: stops with SIGTRAP */
#define	KSIM_PTSTOP_CHILD	0x02	/* the child: stops with SIGSTOP */
#define	KSIM_PTSTOP_SCX		0x04	/* a system call's exit stop (PTRACE_SCX)
					   that no exec or fork event makes */
#define	KSIM_PTSTOP_VFORK	0x08	/* a vfork parent's wait ended and
					   PTRACE_VFORK stops it (SIGTRAP) */
#define	KSIM_PTSTOP_CHILD_SHIFT	4

/*
 * ksim_proc_rec.treeflag keeps, beside FreeBSD's P_TREE_REAPER (0x04), the
 * user processes that hold a process descriptor (pdfork(2)) of this one:
 * a bit per user slot, in the bits P_TREE_REAPER leaves free.  Some hold
 * one exactly while FreeBSD's p_procdesc is set and its descriptor open
 * (kernel/PROVENANCE.md section 17).
 */
#define	KSIM_TREE_PD_HOLDER(slot)					\
	((slot) < KSIM_FIRST_USER_SLOT ? 0u :				\
	 (slot) < KSIM_FIRST_USER_SLOT + 2 ? 0x01u << ((slot) - 2) :	\
	 0x08u << ((slot) - 4))
#define	KSIM_TREE_PD_HOLDERS	0x7bu

struct ksim_proc_rec {
	uint32_t	flag;		/* p_flag */
	uint32_t	flag2;		/* p_flag2 */
	uint32_t	traceflag;	/* p_traceflag (KTRFAC_*) */
	uint16_t	ruid;		/* credential: real, effective, saved uid */
	uint16_t	euid;
	uint16_t	svuid;
	uint16_t	gid;		/* rgid = egid = svgid; no supplementary groups */
	uint16_t	ktr_uid;	/* euid of whoever set the ktrace, if traceflag != 0 */
	uint8_t		ktr_priv;	/* that credential had PRIV_DEBUG_DIFFCRED */
	uint8_t		state;		/* KSIM_PRS_* */
	uint8_t		pptr;		/* slot of p_pptr (the debugger while traced) */
	uint8_t		oppid;		/* slot of p_oppid: real parent while traced,
					   or KSIM_OPPID_REAPER; else KSIM_NOSLOT */
	uint8_t		pgid;		/* slot whose pid is this process's group id */
	uint8_t		pgnext;		/* next member of the group list, or KSIM_NOSLOT */
	uint8_t		pc;		/* KSIM_PC_* */
	uint8_t		pc_arg;		/* KSIM_PC_*FORK*: the child slot;
					   KSIM_PC_SYSCALL_ENTRY: the call;
					   KSIM_PC_NONE: the call whose exit
					   stop (KSIM_PTSTOP_SCX) is due or
					   held, else KSIM_NOSLOT */
	uint8_t		sigpend;	/* pending signals, KSIM_SIGBIT_* */
	uint8_t		sigflags;	/* KSIM_SIGF_* */
	uint8_t		xsig;		/* signal reported to the debugger while stopped;
					   a zombie's exit code or fatal signal */
	uint8_t		xstat_rank;	/* KSIM_XSTAT_* for zombies, and the
					   place among its parent's children
					   (<< KSIM_RANK_SHIFT) */
	uint8_t		ptevents;	/* KSIM_PTRACE_*: the events its debugger asked for */
	uint8_t		ptstop;		/* KSIM_PTSTOP_*: events it stops for */
	uint8_t		treeflag;	/* p_treeflag: KSIM_P_TREE_REAPER, and the
					   holders of its process descriptor
					   (KSIM_TREE_PD_HOLDER) */
	uint8_t		reaper;		/* slot of p_reaper (KSIM_NOSLOT: none) */
	uint8_t		sigpend_hi;	/* pending signals, KSIM_SIGBIT_* >> 8 */
	uint8_t		sigact;		/* KSIM_SIGACT_* per action slot */
};

struct ksim_world {
	struct ksim_proc_rec proc[KSIM_NSLOTS];
	uint8_t		pgrp_head[KSIM_NSLOTS];	/* first member of group "slot", or KSIM_NOSLOT */
};

/* Tunables (sysctls) of the modelled kernel; constant during a run. */
struct ksim_sysctls {
	int	kern_coredump;			/* kern.coredump, default 1 */
	int	kern_sugid_coredump;		/* kern.sugid_coredump, default 0 */
	int	security_bsd_see_other_uids;	/* default 1 */
	int	security_bsd_see_other_gids;	/* default 1 */
	int	security_bsd_unprivileged_proc_debug; /* default 1 */
	int	securelevel;			/* kern.securelevel, default -1 */
};

#define	KSIM_PID_BASE	100

static inline int
ksim_slot_pid(unsigned slot)
{

	return (slot < KSIM_FIRST_USER_SLOT ? (int)slot :
	    KSIM_PID_BASE + (int)slot);
}

#endif /* !_KSIM_WORLD_H_ */
