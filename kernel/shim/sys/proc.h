/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * ksim shim for <sys/proc.h>.  struct proc, struct thread and struct pgrp
 * carry only the members the modelled code reads; the flag values are
 * FreeBSD's.  The locking key of the real header applies: (c) proc lock,
 * (e) proctree_lock.
 *
 * The objects are materialised from the flat model state at the start of
 * every kernel call and written back at its end (runtime/world.c).
 */

#ifndef _SYS_PROC_H_
#define	_SYS_PROC_H_

#include <sys/types.h>
#include <sys/condvar.h>
#include <sys/mutex.h>
#include <sys/queue.h>
#include <sys/sx.h>
#include <sys/ucred.h>

struct proc;

struct thread {
	struct proc	*td_proc;	/* (*) Associated process. */
	struct ucred	*td_ucred;	/* (k) Reference to credentials. */
	int		td_locks;	/* (k) Count of non-spin locks held. */
};

struct pgrp {
	LIST_HEAD(, proc) pg_members;	/* (m + e) Pointer to pgrp members. */
	pid_t		pg_id;		/* (c) Process group id. */
	struct mtx	pg_mtx;		/* Mutex to protect members. */
};

struct proc {
	LIST_ENTRY(proc) p_list;	/* (d) List of all processes. */
	LIST_ENTRY(proc) p_pglist;	/* (g + e) List of processes in pgrp. */
	struct mtx	p_mtx;		/* (n) Lock for this struct. */
	struct ucred	*p_ucred;	/* (c) Process owner's identity. */
	int		p_flag;		/* (c) P_* flags. */
	int		p_flag2;	/* (c) P2_* flags. */
	enum p_states {
		PRS_NEW = 0,		/* In creation */
		PRS_NORMAL,		/* threads can be run. */
		PRS_ZOMBIE
	} p_state;			/* (j/c) Process status. */
	pid_t		p_pid;		/* (b) Process identifier. */
	struct proc	*p_pptr;	/* (c + e) Pointer to parent process. */
	pid_t		p_oppid;	/* (c + e) Save ppid in ptrace. XXX */
	struct pgrp	*p_pgrp;	/* (c + e) Pointer to process group. */
	int		p_traceflag;	/* (o) Kernel trace points. */
	struct ucred	*p_tracecred;	/* (o) Credentials to trace with. */
	struct thread	*p_singlethread;/* (c + j) If single threading this is it */
	int		p_sig;		/* (n) For core dump/debugger XXX. */
	struct cv	p_pwait;	/* (*) wait cv for exit/exec. */
	struct thread	*p_thread;	/* ksim: the process's one thread */
};

#define	P_CONTROLT	0x00002	/* Has a controlling terminal. */
#define	P_PPWAIT	0x00010	/* Parent is waiting for child to exec/exit. */
#define	P_PROFIL	0x00020	/* Has started profiling. */
#define	P_HADTHREADS	0x00080	/* Has had threads (no cleanup shortcuts) */
#define	P_SUGID		0x00100	/* Had set id privileges since last exec. */
#define	P_SYSTEM	0x00200	/* System proc: no sigs, stats or swapping. */
#define	P_TRACED	0x00800	/* Debugged process being traced. */
#define	P_WAITED	0x01000	/* Someone is waiting for us. */
#define	P_WEXIT		0x02000	/* Working on exiting. */
#define	P_EXEC		0x04000	/* Process called exec. */
#define	P_STOPPED_SIG	0x20000	/* Stopped due to SIGSTOP/SIGTSTP. */
#define	P_STOPPED_TRACE	0x40000	/* Stopped because of tracing. */
#define	P_INEXEC	0x4000000 /* Process is in execve(). */
#define	P_INMEM		0x10000000 /* Loaded into memory. */
#define	P_PPTRACE	0x80000000 /* PT_TRACEME by vforked child. */

/* p_treeflag (kept by the model: ksim_proc_rec.treeflag). */
#define	P_TREE_REAPER	0x00000004	/* Reaper of subtree */

/*
 * These flags are kept in p_flag2.  The patch's two do not exist before
 * it: the pre-patch variant is compiled with KSIM_PRE_PATCH.
 */
#define	P2_INHERIT_PROTECTED 0x00000001 /* New children get P_PROTECTED. */
#ifndef KSIM_PRE_PATCH
#define	P2_NOTRACE	0x00000002	/* No ptrace(2) attach or coredumps. */
#define	P2_NOTRACE_EXEC 0x00000004	/* Keep P2_NOPTRACE on exec(2). */
#endif

/* Flags for fork1(). */
/* FreeBSD spells it (1<<31), which overflows int; the same bit, defined. */
#define	RFPPWAIT	((int)(1U << 31)) /* parent sleeps until child exits (vfork) */

#define	PROC_LOCK(p)	mtx_lock(&(p)->p_mtx)
#define	PROC_UNLOCK(p)	mtx_unlock(&(p)->p_mtx)
#define	PROC_LOCK_ASSERT(p, type)	mtx_assert(&(p)->p_mtx, (type))
#define	PGRP_LOCK(pg)	mtx_lock(&(pg)->pg_mtx)
#define	PGRP_UNLOCK(pg)	mtx_unlock(&(pg)->pg_mtx)

/* Process-tree lock and the well-known processes (per thread, like every call). */
extern _Thread_local struct sx proctree_lock;
extern _Thread_local struct proc *initproc;
/* How many processes exist, zombies included (kern_fork.c counts them). */
extern _Thread_local int nprocs;
/* Every process, in slot order (the runtime links them for each call). */
LIST_HEAD(proclist, proc);
extern _Thread_local struct proclist allproc;
#define	FOREACH_PROC_IN_SYSTEM(p)					\
	LIST_FOREACH((p), &allproc, p_list)

/* The calling thread of the current kernel call. */
struct thread *ksim_curthread(void);
#define	curthread	(ksim_curthread())

/*
 * Lookups (runtime/kern.c).  pfind() returns the process locked; like the
 * 2014 kernel it does not find zombies (exit1 takes them off the pid hash)
 * nor processes still in PRS_NEW.  pgfind() returns the group locked.
 */
struct proc *pfind(pid_t pid);
struct pgrp *pgfind(pid_t pgid);

/* Stop events (procfs); not modelled. */
#define	S_CORE		0x00000010
#define	_STOPEVENT(p, e, v)	do { } while (0)

/* Ticks since boot, for p_swtick; time is not modelled. */
#define	ticks		0

/* Profiling is not modelled: P_PROFIL is never set. */
#define	startprofclock(p)	panic("not modelled: profiling")

int	p_cansee(struct thread *td, struct proc *p);
int	p_candebug(struct thread *td, struct proc *p);
int	p_cansignal(struct thread *td, struct proc *p, int signum);
int	cr_cansee(struct ucred *u1, struct ucred *u2);
int	cr_cansignal(struct ucred *cred, struct proc *proc, int signum);
int	cr_seeotheruids(struct ucred *u1, struct ucred *u2);
int	cr_seeothergids(struct ucred *u1, struct ucred *u2);
int	coredump(struct thread *td);
int	sigexit(struct thread *td, int sig);

#endif /* !_SYS_PROC_H_ */
