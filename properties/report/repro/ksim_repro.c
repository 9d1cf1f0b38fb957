/*-
 * ksim_repro.c: the runtime of ksim's FreeBSD reproducers.
 *
 * UNTESTED ON A FREEBSD KERNEL.  It has been compiled, on Linux, against a
 * shim of the FreeBSD headers, but it has never run on FreeBSD: its
 * plumbing, and its reading of the kernel's answers, may be wrong.  Take a
 * verdict from it as a lead, not as proof.
 *
 * A reproducer (`ksim repro FILE`, or results/DESIGN/reproducers/) is one
 * scenario as C tables; this file is the program around them, the same
 * for every scenario.  It is not built on its own: the reproducer
 * includes it, so that one command builds a reproducer on FreeBSD:
 *
 *	cc -I /path/to/ksim/properties/report/repro -o repro REPRODUCER.c
 *
 * (`ksim repro --standalone FILE` writes a reproducer with this file
 * inlined, which needs no ksim tree: cc -o repro REPRODUCER.c.)  Before
 * the include the reproducer defines SCENARIO_FILE, NWORKERS, NSTEPS,
 * NTUNABLES, NEED_SETUID_IMAGE, NEED_PROCCTL32, NPROC_LIMIT and
 * MODEL_NCALLS, the number of calls of the model that wrote it.  After
 * it, it defines the tables workers[], tunables[] and steps[], declared
 * below, naming each step's call by this file's enum step_kind.  This
 * file implements every call of the model: a reproducer written by a
 * ksim whose model has a call this file lacks does not compile (see
 * enum step_kind).
 *
 * What it does.  It replays the scenario's steps, in the scenario's order,
 * on the running kernel, and compares each step's result with the
 * scenario's expectation ("= ...").  Run it as root, by its path
 * (./repro).  It exits 0 if every step agrees with the model; 1 at the
 * first step that does not, printing the scenario line, what the model
 * expected and what was observed; 2 if it could not set up (not root, a
 * sysctl it may not set, a nosuid scratch directory, ...).  For the run
 * it sets the sysctls the scenario lists and restores them afterwards; it
 * never changes kern.securelevel.  It works in a scratch directory under
 * /tmp (KSIM_REPRO_DIR=dir to put it elsewhere; KSIM_REPRO_KEEP=1 to keep
 * it).  Run it outside jails and without MAC policies, which the model
 * does not have, and on a machine you can reboot: a panic, and a procctl
 * that changes the trace state of init or the swapper (pid 1 or 0),
 * outlast the run.  It refuses to attach to init or to ktrace it.
 *
 * Which kernel should agree.  The expectations come from ksim's model of
 * the kernel variant the scenario names (rfc-2014 if none: FreeBSD of
 * December 2014 with the patch as posted); `ksim list` describes the
 * variants.  A kernel built from other sources may well disagree, and that
 * is what a reproducer is for.
 *
 * How it works.  Every process of the scenario is a worker: a copy of this
 * program that reads commands from a pipe, makes the one system call a
 * command names, and writes the result back.  The coordinator (the program
 * as started, as root) sends each step to its process and waits for the
 * result before sending the next, so the calls happen in the scenario's
 * order; after each step it waits until every worker is quiet (asleep,
 * stopped or gone), so that signals land at the same point on every run.
 * How each call of the model maps onto real calls:
 *
 *	initial processes  The model's initial processes are children of
 *		init, and that matters: PT_TRACE_ME makes the parent the
 *		debugger.  Each worker is forked by a short-lived
 *		intermediate process, so that init adopts it; it then joins
 *		its process group, takes its user's credentials (alice: uid
 *		and gid 1001, bob: 1002, root: 0; one group each) and execs a
 *		copy of this program, which clears the P_SUGID that setuid()
 *		set: the model's initial processes do not have it.
 *	fork, fork-finish  One fork(2), at the fork step; the child becomes
 *		the worker the scenario names.  The model's window between
 *		the two steps (the child exists, PRS_NEW) cannot be held open
 *		from user space; fork-finish checks that the child runs and
 *		is the pid fork returned.
 *	pdfork, fork-finish  As fork, with pdfork(2); the parent keeps the
 *		descriptor at a number fixed for the child (FD_PD), where
 *		forks copy it.
 *	close	close(2) of that number: the caller's descriptor of the
 *		process named.
 *	vfork, fork-finish  One vfork(2).  "sleeping" is the child
 *		running; at fork-finish the parent must not have returned
 *		(it sleeps until the child execs or exits); its late return
 *		is checked before its next step.
 *	exec, exec-finish  One execve(2) of a copy of this program, or of a
 *		setuid-root copy made at setup for "exec setuid-root"; the
 *		new image reports in.  The model's P_INEXEC window between
 *		the two steps cannot be held open either.
 *	exit	_exit(2) with the step's code; seen as the end of the
 *		worker's report pipe.
 *	wait	waitpid(2), with WNOHANG if the step says so (FreeBSD
 *		reports a child stopped for its debugger without
 *		WUNTRACED); the status is printed.
 *	ptrace	PT_TRACE_ME, PT_ATTACH, and PT_DETACH, PT_CONTINUE,
 *		PT_STEP, PT_SYSCALL, PT_TO_SCE, PT_TO_SCX and PT_KILL with
 *		addr (caddr_t)1 and the signal (0 or SIGQUIT) as data; PT_FOLLOW_FORK; PT_LWP_EVENTS; PT_LWPINFO, whose result is
 *		pl_flags cut to the flags the model reports (pl_child_pid
 *		is not compared), and pl_siginfo.si_code, pl_syscall_code
 *		and pl_syscall_narg where the step writes them (si_signo is
 *		not compared);
 *		PT_GET_EVENT_MASK (the mask) and PT_SET_EVENT_MASK.
 *	ktrace	KTROP_SET of KTRFAC_SYSCALL (with KTRFAC_INHERIT for
 *		set-inherit) or KTROP_CLEAR, to a file in the scratch
 *		directory.
 *	kill	kill(2) with the step's signal.  A process signalling
 *		itself acts on the signal before kill returns, as in the
 *		model.
 *	sigaction  sigaction(2) with SIG_DFL, SIG_IGN or a handler that
 *		does nothing (SA_RESTART, so that the worker's reads go on):
 *		the scenario's next steps of that process are the handler's
 *		body, as in the model.
 *	sigprocmask  sigprocmask(2) SIG_BLOCK or SIG_UNBLOCK of the step's
 *		signal; a pending signal let in is acted on before the call
 *		returns, as for kill to oneself.
 *	take-signal  No system call.  The real kernel acts on a signal as
 *		soon as it is sent, the model at this step; the step checks
 *		that the process has stopped or died, and prints which.
 *	procctl	procctl(2) with PROC_TRACE_CTL (the RFC's PROC_TRACE_ENABLE)
 *		or PROC_TRACE_STATUS, whose result is the int the kernel
 *		wrote; BADADDR passes the pointer (void *)1.  procctl32 is the
 *		same call from a 32-bit build of this program (cc -m32) on a
 *		64-bit kernel, which enters freebsd32_procctl.  The reaper
 *		requests PROC_REAP_ACQUIRE, _RELEASE, _STATUS and _KILL: the
 *		fields a step writes after its result (reaper, children, ...)
 *		are compared with what the kernel wrote back.  A PROC_REAP_KILL
 *		whose reaper is the machine's init is not made (it would
 *		signal every process the caller may signal): the worker asks
 *		PROC_REAP_STATUS first and the step cannot be taken.
 *	pids	Names map to the workers' real pids.  0 is the swapper and 1
 *		init, as in the model; the model's pid 99 ("no such
 *		process") is a pid found unused at setup.  P_PGID NAME is
 *		the group NAME leads, whose id is its pid.
 *	panic	A kernel panic cannot be observed from here: the program
 *		announces the step and syncs first.  If the call returns, the
 *		kernel disagrees (a kernel without options INVARIANTS does
 *		not check KASSERTs).
 *	hang	Agrees if the call has not returned after 5 seconds.
 *
 * Limits.  The windows above (fork, exec, a pending signal) are the
 * model's and not the kernel's: a step the scenario puts inside one is
 * marked in the step table, and if it disagrees the caveat is printed
 * with it.  The program checks each step's result, not the property the
 * scenario is a counterexample to; what it saw besides (wait statuses,
 * stops, deaths) is printed for the reader.  A fork the model refuses at
 * maxproc (EAGAIN) is reproduced with RLIMIT_NPROC, which counts all the
 * processes of a real user: run such a scenario where its users have no
 * other processes.
 */

#if !defined(MODEL_NCALLS) || !defined(NSTEPS)
#error "ksim_repro.c is included by a reproducer (ksim repro), not built alone"
#endif

#include <sys/param.h>
#include <sys/types.h>
#include <sys/resource.h>
#include <sys/signal.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/time.h>
#include <sys/uio.h>
/* After the above: it uses struct timeval, enum uio_rw and sig_t. */
#include <sys/ktrace.h>
#include <sys/proc.h>
#include <sys/procctl.h>
#include <sys/procdesc.h>
#include <sys/ptrace.h>
#include <sys/sysctl.h>
#include <sys/user.h>
#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/*
 * The December 2014 RFC named the command PROC_TRACE_ENABLE and its values
 * PROC_TRACE_SET_ENABLED, _DISABLED and _DISABLED_EXEC; FreeBSD as released
 * calls them PROC_TRACE_CTL and PROC_TRACE_CTL_ENABLE, _DISABLE and
 * _DISABLE_EXEC, with the same numbers.  Either header will do.
 */
#if !defined(PROC_TRACE_CTL) && defined(PROC_TRACE_ENABLE)
#define	PROC_TRACE_CTL			PROC_TRACE_ENABLE
#define	PROC_TRACE_CTL_ENABLE		PROC_TRACE_SET_ENABLED
#define	PROC_TRACE_CTL_DISABLE		PROC_TRACE_SET_DISABLED
#define	PROC_TRACE_CTL_DISABLE_EXEC	PROC_TRACE_SET_DISABLED_EXEC
#endif
#if !defined(PROC_TRACE_CTL) || !defined(PROC_TRACE_STATUS)
#error "no PROC_TRACE_CTL (nor PROC_TRACE_ENABLE): headers without the patch"
#endif

/* What the scenario expects of a step ("= ..."). */
enum expect_kind {
	X_NONE,			/* no expectation: anything agrees */
	X_ERRNO,		/* the call fails with errno "want" */
	X_NUMBER,		/* the result is the number "want" */
	X_PROCESS,		/* the pid of worker (or T_*) "want" */
	X_SLEEPING,		/* the call is under way (fork, vfork, exec) */
	X_PANIC,		/* the kernel panics (a failed KASSERT) */
	X_HANG			/* the call never returns */
};

/* Targets that are not workers. */
#define	T_NONE		(-1)	/* the call takes no target */
#define	T_SWAPPER	(-2)	/* pid 0 */
#define	T_INIT		(-3)	/* pid 1 */
#define	T_NOBODY	(-4)	/* a pid no process has (the model's 99) */
#define	T_UNKNOWN	(-5)	/* cannot be mapped: see the step's problem */

/* Executable images for exec steps. */
#define	IMAGE_PLAIN	0	/* a copy of this program */
#define	IMAGE_SETUID	1	/* the same, setuid root */

/* A process of the scenario: one worker each (see the header comment). */
struct worker {
	const char	*name;		/* its name in the scenario */
	int		 initial;	/* initial: a child of init */
	uid_t		 uid;		/* initial: its user's uid and gid */
	gid_t		 gid;
	int		 leader;	/* initial: the leader of its group */
	int		 parent;	/* forked: the worker forking it; -1 */
	int		 forked_at;	/* forked: the fork or vfork step; -1 */
};

/* A system tunable the scenario fixes. */
struct tunable {
	const char	*name;
	int		 value;		/* what the scenario needs */
	int		 old;		/* what it was, restored at the end */
	int		 changed;
};

/*
 * What a step does: one enumerator for each call of the model, K_ and
 * its scenario keyword in capitals (model/include/model/Syscall.def;
 * the suite checks that this list is the model's).  A reproducer naming a
 * call missing here does not compile, nor does one written by a model
 * with a different number of calls, rather than replaying a step this
 * file cannot take; the switches over it have no default, so -Wswitch
 * names an enumerator one of them forgets.  Adding a call: its
 * enumerator here (and NCALLS if it is the last), its do_*() for the
 * worker and its step_*() for the coordinator.
 */
enum step_kind {
	K_FORK,
	K_VFORK,
	K_FORK_FINISH,
	K_EXEC,
	K_EXEC_FINISH,
	K_EXIT,
	K_WAIT,
	K_PTRACE,
	K_KTRACE,
	K_KILL,
	K_TAKE_SIGNAL,
	K_PROCCTL,
	K_PROCCTL32,
	K_GETPPID,
	K_GETPID,
	K_PDFORK,
	K_CLOSE,
	K_SIGACTION,
	K_SIGPROCMASK
};
#define	NCALLS	(K_SIGPROCMASK + 1)	/* the last enumerator, plus one */
_Static_assert(MODEL_NCALLS == NCALLS,
    "the model that wrote this reproducer has calls ksim_repro.c does not "
    "implement: use the ksim_repro.c of the same ksim tree");

/* One step of the scenario: one line of the file. */
struct step {
	int		 line;		/* its line in the scenario file */
	const char	*text;		/* the line, without "= ..." */
	int		 actor;		/* the worker that takes it */
	enum step_kind	 kind;
	int		 target;	/* a worker or T_* */
	int		 op;		/* ptrace request, ktrace op, procctl */
					/* command, exec image */
	int		 arg;		/* procctl idtype; ktrace facilities */
	int		 data;		/* procctl value; ptrace, kill signal */
	int		 badaddr;	/* procctl: a pointer that faults */
	int		 flags;		/* PROC_REAP_KILL: rk_flags */
	const char	*want_fields;	/* PROC_REAP_STATUS, _KILL: the fields
					   written after the result, or NULL */
	int		 child;		/* fork, vfork, -finish: the child */
	int		 ref;		/* *-finish: the step it ends */
	enum expect_kind expect;
	int		 want;		/* errno, number, or worker or T_* */
	int		 check_status;	/* wait: the status is compared too */
	int		 want_status;	/* wait: that status (<sys/wait.h>) */
	int		 check_syscall;	/* PT_LWPINFO: pl_syscall_code is */
	int		 want_syscall;	/* compared with want_syscall, */
	int		 check_narg;	/* pl_syscall_narg with want_narg */
	int		 want_narg;
	int		 check_sicode;	/* pl_siginfo.si_code with */
	int		 want_sicode;	/* want_sicode (PL_FLAG_SI) */
	const char	*want_text;	/* the expectation as written */
	const char	*window;	/* why real order may differ */
	const char	*problem;	/* why it cannot be run here */
};

/*
 * The scenario's tables, defined by the reproducer after its include of
 * this file.
 */
static const struct worker workers[NWORKERS];
static struct tunable tunables[NTUNABLES];
static const struct step steps[NSTEPS + 1];


/* ---------------------------------------------------------------------- */
/* The program. */

#define	WORKER_ARG	"ksim-worker"	/* argv[1] of a worker's image */
#define	IMAGE_PREFIX	"ksim-"		/* p_comm: ksim-plain, ksim-setuid */
#define	STEP_TIMEOUT_MS	5000		/* longest wait for a step's result */
#define	QUIET_MS	300		/* how long a sleeping call stays so */
#define	POLL_MS		10

/*
 * Each worker w has two pipes at fixed descriptors, so that they survive
 * fork and exec without being passed around: it reads commands from
 * FD_CMD_RD(w) and writes reports to FD_REP_WR(w); the coordinator holds
 * FD_CMD_WR(w) and FD_REP_RD(w).  A worker keeps the worker ends of its
 * own pipes and of the workers it will fork (its subtree), and closes the
 * rest, so that FD_REP_RD(w) reads end-of-file exactly when w is gone.
 */
#define	FD_BASE		64
#define	FD_CMD_RD(w)	(FD_BASE + 4 * (w))
#define	FD_REP_WR(w)	(FD_BASE + 4 * (w) + 1)
#define	FD_CMD_WR(w)	(FD_BASE + 4 * (w) + 2)
#define	FD_REP_RD(w)	(FD_BASE + 4 * (w) + 3)
/*
 * The process descriptor of worker w (pdfork), at the same number in
 * every process that holds it: fork copies it there, as the kernel copies
 * the descriptor table.
 */
#define	FD_PD(w)	(FD_BASE - 1 - (w))

struct command {
	int	c_step;		/* index into steps[] */
	pid_t	c_pid;		/* the target's pid (P_PGID: group id), -1 */
};

enum report_kind {
	R_RESULT,		/* a call returned */
	R_HELLO			/* a new worker, or a new image, runs */
};

struct report {
	int	r_step;		/* index into steps[]; -1: the first image */
	int	r_kind;		/* enum report_kind */
	int	r_ret;		/* what the call returned */
	int	r_errno;	/* errno, when r_ret is -1 */
	int	r_data;		/* TRACE_STATUS: the int; waitpid: status */
	int	r_reap[5];	/* PROC_REAP_STATUS: rs_flags, rs_reaper,
				   rs_children, rs_descendants, rs_pid;
				   PROC_REAP_KILL: rk_killed, rk_fpid */
	pid_t	r_pid;		/* getpid(), getppid(), getpgrp() */
	pid_t	r_ppid;
	pid_t	r_pgid;
	uid_t	r_uid;		/* getuid(), geteuid() */
	uid_t	r_euid;
};

/* What the coordinator saw of a step. */
enum obs_kind {
	O_RETURNED,		/* returned: ret, err; value compared */
	O_SLEEPING,		/* fork, vfork, exec: under way, as modelled */
	O_STOPPED,		/* no return: the process is stopped */
	O_GONE,			/* no return: the process is gone */
	O_NORETURN,		/* no return within STEP_TIMEOUT_MS */
	O_WOKE,			/* the vfork parent returned too early */
	O_NOSIGNAL,		/* take-signal: no signal was acted on */
	O_BROKEN		/* the step could not be taken (see note) */
};

struct observed {
	enum obs_kind	kind;
	int		ret;
	int		err;
	int		value;		/* what is compared: a value or pid */
	int		is_pid;		/* value is a pid */
	int		has_status;	/* wait reported a status */
	int		status;		/* that status */
	char		note[256];	/* what else was seen */
	char		fields[160];	/* reaper requests: the fields, as a
					   scenario writes them */
	int		fields_differ;	/* one of want_fields is not so */
};

/* The coordinator's view of a worker. */
struct live {
	pid_t	pid;		/* 0 until it exists */
	int	gone;		/* its report pipe reached end-of-file */
	int	execed;		/* the exec step whose image runs, or -1 */
	int	pending;	/* a step whose report it still owes; -1 */
	int	pending_kind;	/* R_RESULT or R_HELLO */
	int	pending_want;	/* R_RESULT: the value the model expects */
	int	handles;	/* it set a handler or SIG_IGN, or its parent
				   had at its fork: a signal it takes may
				   leave it running */
};

enum await_end {
	A_REPORT,		/* a report was read */
	A_STOPPED,		/* the worker is stopped and cannot report */
	A_GONE,			/* end-of-file: the worker is gone */
	A_TIMEOUT
};

#define	PS_GONE		(-1)	/* proc_state(): no such process */

static struct live live[NWORKERS];
static pid_t nobody_pid = -1;
static char dir[PATH_MAX / 2];		/* the scratch directory */
static char self_path[PATH_MAX];	/* this program */
static int coordinator;			/* this process is the coordinator */

static _Noreturn void	cannot_setup(const char *, ...)
	    __attribute__((__format__(__printf__, 1, 2)));
static _Noreturn void	finish(int);
static _Noreturn void	worker_serve(int);
static _Noreturn void	worker_start(int, int);

/* ---------------------------------------------------------------------- */
/* Helpers for both sides. */

/* Returns 1 after reading len bytes, 0 at end-of-file, -1 on error. */
static int
read_all(int fd, void *buf, size_t len)
{
	char *p;
	size_t done;
	ssize_t n;

	p = buf;
	for (done = 0; done < len; done += (size_t)n) {
		n = read(fd, p + done, len - done);
		if (n == 0)
			return (0);
		if (n == -1) {
			if (errno != EINTR)
				return (-1);
			n = 0;
		}
	}
	return (1);
}

static int
write_all(int fd, const void *buf, size_t len)
{
	const char *p;
	size_t done;
	ssize_t n;

	p = buf;
	for (done = 0; done < len; done += (size_t)n) {
		n = write(fd, p + done, len - done);
		if (n == -1) {
			if (errno != EINTR)
				return (-1);
			n = 0;
		}
	}
	return (0);
}

/* Whether worker k is w or will be forked, directly or not, by w. */
static int
in_subtree(int k, int w)
{

	for (; k >= 0; k = workers[k].parent)
		if (k == w)
			return (1);
	return (0);
}

static void
image_path(char *buf, size_t len, int image)
{

	snprintf(buf, len, "%s/%s%s", dir, IMAGE_PREFIX,
	    image == IMAGE_SETUID ? "setuid" : "plain");
}

/* ---------------------------------------------------------------------- */
/* Workers: one per process of the scenario. */

/* A reaper request's out fields, for the worker's next report. */
static int worker_reap[5];

static void
worker_report(int w, int step, int kind, int ret, int err, int data)
{
	struct report r;

	memset(&r, 0, sizeof(r));
	memcpy(r.r_reap, worker_reap, sizeof(r.r_reap));
	memset(worker_reap, 0, sizeof(worker_reap));
	r.r_step = step;
	r.r_kind = kind;
	r.r_ret = ret;
	r.r_errno = err;
	r.r_data = data;
	r.r_pid = getpid();
	r.r_ppid = getppid();
	r.r_pgid = getpgrp();
	r.r_uid = getuid();
	r.r_euid = geteuid();
	if (write_all(FD_REP_WR(w), &r, sizeof(r)) != 0)
		_exit(3);
}

/* Closes every pipe end worker w has no use for. */
static void
worker_close_others(int w)
{
	int k;

	for (k = 0; k < NWORKERS; k++) {
		(void)close(FD_CMD_WR(k));
		(void)close(FD_REP_RD(k));
		if (!in_subtree(k, w)) {
			(void)close(FD_CMD_RD(k));
			(void)close(FD_REP_WR(k));
		}
	}
}

/* After forking child c: its pipes, and its subtree's, are now c's. */
static void
worker_close_subtree(int c)
{
	int k;

	for (k = 0; k < NWORKERS; k++) {
		if (in_subtree(k, c)) {
			(void)close(FD_CMD_RD(k));
			(void)close(FD_REP_WR(k));
		}
	}
}

/*
 * fork(2).  The model's two steps, fork ("sleeping": the child exists,
 * PRS_NEW) and fork-finish (the child runs), are this one call.
 */
static void
do_fork(int w, int i, const struct command *c)
{
	pid_t pid;
	int err;

	(void)c;
	pid = fork();
	if (pid == 0)
		worker_start(steps[i].child, i);
	err = errno;
	if (pid == -1) {
		worker_report(w, i, R_RESULT, -1, err, 0);
		return;
	}
	worker_close_subtree(steps[i].child);
	worker_report(w, i, R_RESULT, (int)pid, 0, 0);
}

/*
 * pdfork(2): fork(2) that gives this process a process descriptor of the
 * child, moved to FD_PD(child) so that later steps find it.
 */
static void
do_pdfork(int w, int i, const struct command *c)
{
	pid_t pid;
	int err, fd;

	(void)c;
	fd = -1;
	pid = pdfork(&fd, 0);
	if (pid == 0)
		worker_start(steps[i].child, i);
	err = errno;
	if (pid == -1) {
		worker_report(w, i, R_RESULT, -1, err, 0);
		return;
	}
	if (fd != FD_PD(steps[i].child)) {
		if (dup2(fd, FD_PD(steps[i].child)) == -1)
			_exit(3);
		(void)close(fd);
	}
	worker_close_subtree(steps[i].child);
	worker_report(w, i, R_RESULT, (int)pid, 0, 0);
}

/* close(2) of this process's descriptor of the step's target. */
static void
do_close(int w, int i, const struct command *c)
{
	int r;

	(void)c;
	r = steps[i].target >= 0 ? close(FD_PD(steps[i].target)) : -1;
	worker_report(w, i, R_RESULT, r, r == -1 ? EBADF : 0, 0);
}

/*
 * vfork(2).  The child borrows this process's memory until it execs or
 * exits: it runs on stack frames below this one, keeps its state there,
 * and never returns from here.  This process reports when vfork returns,
 * that is when the child has exec'd or exited.
 */
static void
do_vfork(int w, int i, const struct command *c)
{
	pid_t pid;
	int err;

	(void)c;
	pid = vfork();
	if (pid == 0)
		worker_start(steps[i].child, i);
	err = errno;
	if (pid == -1) {
		worker_report(w, i, R_RESULT, -1, err, 0);
		return;
	}
	worker_close_subtree(steps[i].child);
	worker_report(w, i, R_RESULT, (int)pid, 0, 0);
}

/*
 * execve(2) of a copy of this program (setuid root for "exec
 * setuid-root"); the new image reports R_HELLO for this step.  The
 * descriptors stay open across exec; argv names the worker and them.
 */
static void
do_exec(int w, int i, const struct command *c)
{
	char path[PATH_MAX], name[64], sw[16], ss[16], scmd[16], srep[16];
	char sdir[PATH_MAX], arg[sizeof(WORKER_ARG)];
	char *argv[9], *envp[1];

	(void)c;
	image_path(path, sizeof(path), steps[i].op);
	snprintf(arg, sizeof(arg), "%s", WORKER_ARG);
	snprintf(name, sizeof(name), "%s", workers[w].name);
	snprintf(sw, sizeof(sw), "%d", w);
	snprintf(ss, sizeof(ss), "%d", i);
	snprintf(scmd, sizeof(scmd), "%d", FD_CMD_RD(w));
	snprintf(srep, sizeof(srep), "%d", FD_REP_WR(w));
	snprintf(sdir, sizeof(sdir), "%s", dir);
	argv[0] = path;
	argv[1] = arg;
	argv[2] = name;
	argv[3] = sw;
	argv[4] = ss;
	argv[5] = scmd;
	argv[6] = srep;
	argv[7] = sdir;
	argv[8] = NULL;
	envp[0] = NULL;
	(void)execve(path, argv, envp);
	worker_report(w, i, R_RESULT, -1, errno, 0);
}

/*
 * _exit(2) with the step's exit code: nothing to report; the coordinator
 * sees the pipe close.
 */
static void
do_exit(int w, int i, const struct command *c)
{

	(void)w;
	(void)c;
	_exit(steps[i].op);
}

/*
 * waitpid(2) for the named child, or any (WAIT_ANY), with the step's
 * options (0 or WNOHANG).  FreeBSD reports a child stopped for its
 * debugger without WUNTRACED, as the model does.
 */
static void
do_wait(int w, int i, const struct command *c)
{
	pid_t pid;
	int status;

	status = 0;
	pid = waitpid(c->c_pid, &status, steps[i].op);
	worker_report(w, i, R_RESULT, (int)pid, pid == -1 ? errno : 0,
	    status);
}

/* The PT_LWPINFO flags the model reports; the others are not compared. */
#define	MODEL_PL_FLAGS	(PL_FLAG_SCE | PL_FLAG_SCX | PL_FLAG_EXEC |	\
			    PL_FLAG_SI | PL_FLAG_FORKED | PL_FLAG_CHILD |	\
			    PL_FLAG_VFORKED | PL_FLAG_VFORK_DONE)

static void
do_ptrace(int w, int i, const struct command *c)
{
	struct ptrace_lwpinfo pl;
	const struct step *s;
	int mask, r;

	s = &steps[i];
	switch (s->op) {
	case PT_TRACE_ME:
		r = ptrace(PT_TRACE_ME, 0, NULL, 0);
		break;
	case PT_ATTACH:
		r = ptrace(PT_ATTACH, c->c_pid, NULL, 0);
		break;
	case PT_LWPINFO:
		/* The result the model reports is the flags. */
		r = ptrace(PT_LWPINFO, c->c_pid, (caddr_t)&pl, sizeof(pl));
		if (r == 0) {
			r = pl.pl_flags & MODEL_PL_FLAGS;
			worker_reap[0] = (int)pl.pl_syscall_code;
			worker_reap[1] = (int)pl.pl_syscall_narg;
			worker_reap[2] = (pl.pl_flags & PL_FLAG_SI) != 0 ?
			    pl.pl_siginfo.si_code : 0;
		}
		break;
	case PT_GET_EVENT_MASK:
		r = ptrace(PT_GET_EVENT_MASK, c->c_pid, (caddr_t)&mask,
		    sizeof(mask));
		if (r == 0)
			r = mask;
		break;
	case PT_SET_EVENT_MASK:
		mask = s->data;
		r = ptrace(PT_SET_EVENT_MASK, c->c_pid, (caddr_t)&mask,
		    sizeof(mask));
		break;
	default:
		/*
		 * PT_DETACH, PT_CONTINUE, PT_STEP, PT_SYSCALL, PT_TO_SCE,
		 * PT_TO_SCX, PT_KILL: resume where it stopped; PT_FOLLOW_FORK and
		 * PT_LWP_EVENTS: data turns it on or off.
		 */
		r = ptrace(s->op, c->c_pid, (caddr_t)1, s->data);
		break;
	}
	worker_report(w, i, R_RESULT, r, r == -1 ? errno : 0, 0);
}

static void
do_ktrace(int w, int i, const struct command *c)
{
	const struct step *s;
	char file[PATH_MAX];
	int r;

	s = &steps[i];
	snprintf(file, sizeof(file), "%s/ktrace.out", dir);
	r = ktrace(file, s->op, s->arg, c->c_pid);
	worker_report(w, i, R_RESULT, r, r == -1 ? errno : 0, 0);
}

/*
 * kill(2).  A process that signals itself acts on the signal before kill
 * returns; if it stops, it reports when it is resumed.
 */
static void
do_kill(int w, int i, const struct command *c)
{
	int r;

	r = kill(c->c_pid, steps[i].data);
	worker_report(w, i, R_RESULT, r, r == -1 ? errno : 0, 0);
}

/*
 * procctl(2).  For PROC_TRACE_STATUS the result the model reports is the
 * int the kernel wrote.  A bad address is (void *)1, never mapped.
 */
static void
do_reaper(int w, int i, const struct command *c)
{
	struct procctl_reaper_status rs;
	struct procctl_reaper_kill rk;
	const struct step *s;
	int r;

	s = &steps[i];
	switch (s->op) {
	case PROC_REAP_STATUS:
		memset(&rs, 0, sizeof(rs));
		r = procctl((idtype_t)s->arg, (id_t)c->c_pid, s->op, &rs);
		worker_reap[0] = (int)rs.rs_flags;
		worker_reap[1] = (int)rs.rs_reaper;
		worker_reap[2] = (int)rs.rs_children;
		worker_reap[3] = (int)rs.rs_descendants;
		worker_reap[4] = (int)rs.rs_pid;
		break;
	case PROC_REAP_KILL:
		/* Never through the machine's init. */
		memset(&rs, 0, sizeof(rs));
		if (procctl((idtype_t)s->arg, (id_t)c->c_pid,
		    PROC_REAP_STATUS, &rs) == 0 &&
		    (rs.rs_flags & REAPER_STATUS_REALINIT) != 0) {
			worker_report(w, i, R_RESULT, -2, 0, 0);
			return;
		}
		memset(&rk, 0, sizeof(rk));
		rk.rk_sig = s->data;
		rk.rk_flags = (u_int)s->flags;
		rk.rk_killed = 77;
		rk.rk_fpid = 77;
		r = procctl((idtype_t)s->arg, (id_t)c->c_pid, s->op, &rk);
		worker_reap[0] = (int)rk.rk_killed;
		worker_reap[1] = (int)rk.rk_fpid;
		break;
	default:
		r = procctl((idtype_t)s->arg, (id_t)c->c_pid, s->op, NULL);
		break;
	}
	worker_report(w, i, R_RESULT, r, r == -1 ? errno : 0, 0);
}

static void
do_procctl(int w, int i, const struct command *c)
{
	const struct step *s;
	int data, r;

	s = &steps[i];
	if (s->op == PROC_REAP_ACQUIRE || s->op == PROC_REAP_RELEASE ||
	    s->op == PROC_REAP_STATUS || s->op == PROC_REAP_KILL) {
		do_reaper(w, i, c);
		return;
	}
	data = s->data;
	r = procctl((idtype_t)s->arg, (id_t)c->c_pid, s->op,
	    s->badaddr ? (void *)1 : &data);
	worker_report(w, i, R_RESULT, r, r == -1 ? errno : 0, data);
}

/* getppid(2). */
static void
do_getppid(int w, int i, const struct command *c)
{

	(void)c;
	worker_report(w, i, R_RESULT, (int)getppid(), 0, 0);
}

/* getpid(2). */
static void
do_getpid(int w, int i, const struct command *c)
{

	(void)c;
	worker_report(w, i, R_RESULT, (int)getpid(), 0, 0);
}

/* sigaction(2)'s handler: the scenario's next steps are its body. */
static void
caught(int sig)
{

	(void)sig;
}

#define	SIGACT_DFL	0
#define	SIGACT_IGN	1
#define	SIGACT_HANDLER	2

static void
do_sigaction(int w, int i, const struct command *c)
{
	struct sigaction sa;
	int r;

	(void)c;
	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	sa.sa_handler = steps[i].op == SIGACT_IGN ? SIG_IGN :
	    steps[i].op == SIGACT_HANDLER ? caught : SIG_DFL;
	r = sigaction(steps[i].data, &sa, NULL);
	worker_report(w, i, R_RESULT, r, r == -1 ? errno : 0, 0);
}

static void
do_sigprocmask(int w, int i, const struct command *c)
{
	sigset_t set;
	int r;

	(void)c;
	sigemptyset(&set);
	sigaddset(&set, steps[i].data);
	r = sigprocmask(steps[i].op, &set, NULL);
	worker_report(w, i, R_RESULT, r, r == -1 ? errno : 0, 0);
}

static void
worker_run(int w, const struct command *c)
{

	switch (steps[c->c_step].kind) {
	case K_FORK:
		do_fork(w, c->c_step, c);
		break;
	case K_VFORK:
		do_vfork(w, c->c_step, c);
		break;
	case K_EXEC:
		do_exec(w, c->c_step, c);
		break;
	case K_EXIT:
		do_exit(w, c->c_step, c);
		break;
	case K_WAIT:
		do_wait(w, c->c_step, c);
		break;
	case K_PTRACE:
		do_ptrace(w, c->c_step, c);
		break;
	case K_KTRACE:
		do_ktrace(w, c->c_step, c);
		break;
	case K_KILL:
		do_kill(w, c->c_step, c);
		break;
	case K_PROCCTL:
	case K_PROCCTL32:
		do_procctl(w, c->c_step, c);
		break;
	case K_GETPPID:
		do_getppid(w, c->c_step, c);
		break;
	case K_GETPID:
		do_getpid(w, c->c_step, c);
		break;
	case K_PDFORK:
		do_pdfork(w, c->c_step, c);
		break;
	case K_CLOSE:
		do_close(w, c->c_step, c);
		break;
	case K_SIGACTION:
		do_sigaction(w, c->c_step, c);
		break;
	case K_SIGPROCMASK:
		do_sigprocmask(w, c->c_step, c);
		break;
	case K_FORK_FINISH:
	case K_EXEC_FINISH:
	case K_TAKE_SIGNAL:
		/* Observation points: the coordinator sends no command. */
		_exit(3);
	}
}

static _Noreturn void
worker_serve(int w)
{
	struct command c;

	for (;;) {
		if (read_all(FD_CMD_RD(w), &c, sizeof(c)) != 1)
			_exit(0);	/* the coordinator is gone */
		if (c.c_step < 0 || c.c_step >= NSTEPS)
			_exit(3);
		worker_run(w, &c);
	}
}

/* The child of a fork or vfork step becomes worker w. */
static _Noreturn void
worker_start(int w, int step)
{

	worker_close_others(w);
	worker_report(w, step, R_HELLO, 0, 0, 0);
	worker_serve(w);
}

/* A new image: argv is WORKER_ARG NAME INDEX STEP CMDFD REPFD DIR. */
static _Noreturn void
worker_main(int argc, char *argv[])
{
	int step, w;

	if (argc != 8)
		_exit(3);
	w = atoi(argv[3]);
	step = atoi(argv[4]);
	if (w < 0 || w >= NWORKERS || strcmp(argv[2], workers[w].name) != 0 ||
	    step < -1 || step >= NSTEPS || atoi(argv[5]) != FD_CMD_RD(w) ||
	    atoi(argv[6]) != FD_REP_WR(w))
		_exit(3);
	snprintf(dir, sizeof(dir), "%s", argv[7]);
	worker_report(w, step, R_HELLO, 0, 0, 0);
	worker_serve(w);
}

/* ---------------------------------------------------------------------- */
/* The coordinator: looking at processes. */

/* The process's state (ki_stat, SSLEEP etc.), or PS_GONE. */
static int
proc_state(pid_t pid, struct kinfo_proc *kp)
{
	size_t len;
	int mib[4];

	memset(kp, 0, sizeof(*kp));
	if (pid <= 0)
		return (PS_GONE);
	mib[0] = CTL_KERN;
	mib[1] = KERN_PROC;
	mib[2] = KERN_PROC_PID;
	mib[3] = (int)pid;
	len = sizeof(*kp);
	if (sysctl(mib, 4, kp, &len, NULL, 0) == -1 || len == 0)
		return (PS_GONE);
	return (kp->ki_stat);
}

static int
is_stopped(const struct kinfo_proc *kp)
{

	return (kp->ki_stat == SSTOP ||
	    (kp->ki_flag & (P_STOPPED_SIG | P_STOPPED_TRACE)) != 0);
}

static int
signal_pending(const struct kinfo_proc *kp)
{

	return (sigismember(&kp->ki_siglist, SIGKILL) == 1 ||
	    sigismember(&kp->ki_siglist, SIGQUIT) == 1 ||
	    sigismember(&kp->ki_siglist, SIGTRAP) == 1 ||
	    sigismember(&kp->ki_siglist, SIGSTOP) == 1);
}

static const char *
errno_name(int err)
{
	static char buf[64];

	switch (err) {
	case EPERM:
		return ("EPERM");
	case ENOENT:
		return ("ENOENT");
	case ESRCH:
		return ("ESRCH");
	case EINTR:
		return ("EINTR");
	case ENOEXEC:
		return ("ENOEXEC");
	case ECHILD:
		return ("ECHILD");
	case ENOMEM:
		return ("ENOMEM");
	case EACCES:
		return ("EACCES");
	case EFAULT:
		return ("EFAULT");
	case EBUSY:
		return ("EBUSY");
	case EINVAL:
		return ("EINVAL");
	case EFBIG:
		return ("EFBIG");
	case EAGAIN:
		return ("EAGAIN");
	case ENOSYS:
		return ("ENOSYS");
	default:
		snprintf(buf, sizeof(buf), "errno %d (%s)", err, strerror(err));
		return (buf);
	}
}

static const char *
signal_name(int sig)
{
	static char buf[16];

	switch (sig) {
	case SIGQUIT:
		return ("SIGQUIT");
	case SIGTRAP:
		return ("SIGTRAP");
	case SIGKILL:
		return ("SIGKILL");
	case SIGSTOP:
		return ("SIGSTOP");
	default:
		snprintf(buf, sizeof(buf), "signal %d", sig);
		return (buf);
	}
}

/* A wait status in words. */
static void
describe_status(int status, char *buf, size_t len)
{

	if (WIFEXITED(status))
		snprintf(buf, len, "exited with %d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(buf, len, "killed by %s%s",
		    signal_name(WTERMSIG(status)),
		    WCOREDUMP(status) ? ", core dumped" : ", no core");
	else if (WIFSTOPPED(status))
		snprintf(buf, len, "stopped by %s",
		    signal_name(WSTOPSIG(status)));
	else
		snprintf(buf, len, "status %#x", status);
}

static pid_t
target_pid(int t)
{

	switch (t) {
	case T_SWAPPER:
		return (0);
	case T_INIT:
		return (1);
	case T_NOBODY:
		return (nobody_pid);
	case T_NONE:
	case T_UNKNOWN:
		return (-1);
	default:
		return (live[t].pid > 0 ? live[t].pid : -1);
	}
}

static const char *
worker_of_pid(pid_t pid)
{
	int w;

	if (pid == 0)
		return ("swapper");
	if (pid == 1)
		return ("init");
	for (w = NWORKERS - 1; w >= 0; w--)
		if (live[w].pid == pid)
			return (workers[w].name);
	return (NULL);
}

/* ---------------------------------------------------------------------- */
/* The coordinator: talking to workers. */

static _Noreturn void
protocol_error(int i, const char *what)
{

	cannot_setup("line %d (%s): %s", steps[i].line, steps[i].text, what);
}

/*
 * Waits up to ms for worker w's next report.  With stop_ends, a worker
 * found stopped ends the wait: it cannot report until it is resumed.
 */
static enum await_end
await_report(int w, int ms, int stop_ends, struct report *r)
{
	struct kinfo_proc kp;
	struct pollfd pfd;
	int n, waited;

	for (waited = 0; waited < ms; waited += POLL_MS) {
		pfd.fd = FD_REP_RD(w);
		pfd.events = POLLIN;
		pfd.revents = 0;
		n = poll(&pfd, 1, POLL_MS);
		if (n == -1 && errno != EINTR)
			cannot_setup("poll: %s", strerror(errno));
		if (n > 0) {
			switch (read_all(FD_REP_RD(w), r, sizeof(*r))) {
			case 1:
				return (A_REPORT);
			case 0:
				live[w].gone = 1;
				return (A_GONE);
			default:
				cannot_setup("reading from %s: %s",
				    workers[w].name, strerror(errno));
			}
		}
		if (stop_ends && proc_state(live[w].pid, &kp) != PS_GONE &&
		    is_stopped(&kp))
			return (A_STOPPED);
	}
	return (A_TIMEOUT);
}

static void
observe_end(struct observed *o, enum await_end a)
{

	switch (a) {
	case A_STOPPED:
		o->kind = O_STOPPED;
		break;
	case A_GONE:
		o->kind = O_GONE;
		break;
	case A_TIMEOUT:
	case A_REPORT:
		o->kind = O_NORETURN;
		break;
	}
}

static void
returned(struct observed *o, int ret, int err, int value, int is_pid)
{

	o->kind = O_RETURNED;
	o->ret = ret;
	o->err = ret == -1 ? err : 0;
	o->value = value;
	o->is_pid = is_pid;
}

/* Sends step i to its actor; 0 if the actor is gone. */
static int
send_command(int i, struct observed *o)
{
	struct command c;
	const struct step *s;

	s = &steps[i];
	memset(&c, 0, sizeof(c));
	c.c_step = i;
	c.c_pid = target_pid(s->target);
	if (live[s->actor].gone || write_all(FD_CMD_WR(s->actor), &c,
	    sizeof(c)) != 0) {
		o->kind = O_GONE;
		return (0);
	}
	return (1);
}

/* Awaits the actor's result for step i; 0 if it did not come. */
static int
await_result(int i, struct observed *o, struct report *r)
{
	enum await_end a;

	a = await_report(steps[i].actor, STEP_TIMEOUT_MS, 1, r);
	if (a != A_REPORT) {
		observe_end(o, a);
		return (0);
	}
	if (r->r_step != i || r->r_kind != R_RESULT)
		protocol_error(i, "a report for another step");
	return (1);
}

/* ---------------------------------------------------------------------- */
/* The coordinator: one function per kind of step. */

static void
step_fork(int i, struct observed *o)
{
	const struct step *s;
	struct report r, hello;

	s = &steps[i];
	if (!send_command(i, o) || !await_result(i, o, &r))
		return;
	if (r.r_ret == -1) {
		returned(o, -1, r.r_errno, -1, 0);
		return;
	}
	if (await_report(s->child, STEP_TIMEOUT_MS, 0, &hello) != A_REPORT ||
	    hello.r_kind != R_HELLO || hello.r_step != i) {
		o->kind = O_BROKEN;
		snprintf(o->note, sizeof(o->note),
		    "fork returned %d but the child never reported", r.r_ret);
		return;
	}
	live[s->child].pid = hello.r_pid;
	live[s->child].handles = live[s->actor].handles;	/* inherited */
	o->kind = O_SLEEPING;
	snprintf(o->note, sizeof(o->note), "fork returned %d, %s; the model's "
	    "PRS_NEW window ends at fork-finish, the real one inside fork",
	    r.r_ret, workers[s->child].name);
}

static void
step_vfork(int i, struct observed *o)
{
	const struct step *s;
	struct pollfd pfd[2];
	struct report r;
	int n, waited;

	s = &steps[i];
	if (!send_command(i, o))
		return;
	/* The child reports, then the parent sleeps; or vfork fails. */
	for (waited = 0; waited < STEP_TIMEOUT_MS; waited += POLL_MS) {
		pfd[0].fd = FD_REP_RD(s->child);
		pfd[1].fd = FD_REP_RD(s->actor);
		pfd[0].events = pfd[1].events = POLLIN;
		pfd[0].revents = pfd[1].revents = 0;
		n = poll(pfd, 2, POLL_MS);
		if (n == -1 && errno != EINTR)
			cannot_setup("poll: %s", strerror(errno));
		if (n > 0 && pfd[0].revents != 0) {
			if (read_all(FD_REP_RD(s->child), &r, sizeof(r)) != 1 ||
			    r.r_kind != R_HELLO || r.r_step != i)
				protocol_error(i, "no report from the child");
			live[s->child].pid = r.r_pid;
			live[s->child].handles = live[s->actor].handles;
			live[s->actor].pending = i;
			live[s->actor].pending_kind = R_RESULT;
			live[s->actor].pending_want = (int)r.r_pid;
			o->kind = O_SLEEPING;
			snprintf(o->note, sizeof(o->note), "the child %s runs "
			    "(pid %d); the parent sleeps in vfork",
			    workers[s->child].name, (int)r.r_pid);
			return;
		}
		if (n > 0 && pfd[1].revents != 0) {
			switch (read_all(FD_REP_RD(s->actor), &r, sizeof(r))) {
			case 1:
				break;
			case 0:
				live[s->actor].gone = 1;
				o->kind = O_GONE;
				return;
			default:
				cannot_setup("read: %s", strerror(errno));
			}
			if (r.r_step != i || r.r_kind != R_RESULT)
				protocol_error(i, "a report for another step");
			if (r.r_ret == -1) {
				returned(o, -1, r.r_errno, -1, 0);
			} else {
				o->kind = O_WOKE;
				o->value = r.r_ret;
			}
			return;
		}
	}
	o->kind = O_NORETURN;
}

/* No system call: the child of the fork at steps[i].ref runs. */
static void
step_fork_finish(int i, struct observed *o)
{
	const struct step *s;
	struct kinfo_proc kp;
	struct pollfd pfd;
	struct report r;

	s = &steps[i];
	if (live[s->child].pid <= 0) {
		o->kind = O_BROKEN;
		snprintf(o->note, sizeof(o->note), "the fork at line %d made "
		    "no child", steps[s->ref].line);
		return;
	}
	returned(o, (int)live[s->child].pid, 0, (int)live[s->child].pid, 1);
	if (steps[s->ref].kind != K_VFORK)
		return;
	/* The model's parent sleeps until the child execs or exits. */
	pfd.fd = FD_REP_RD(s->actor);
	pfd.events = POLLIN;
	pfd.revents = 0;
	if (poll(&pfd, 1, QUIET_MS) > 0) {
		if (read_all(FD_REP_RD(s->actor), &r, sizeof(r)) != 1)
			r.r_ret = -1;
		live[s->actor].pending = -1;
		o->kind = O_WOKE;
		o->value = r.r_ret;
		return;
	}
	(void)proc_state(live[s->actor].pid, &kp);
	snprintf(o->note, sizeof(o->note), "%s has not returned from vfork "
	    "(asleep on \"%s\")", workers[s->actor].name, kp.ki_wmesg);
}

/*
 * execve(2).  The model's two steps, exec ("sleeping": P_INEXEC set) and
 * exec-finish (the new image is committed), are this one call: it has
 * finished, and the new image reported, before this step is judged.
 */
static void
step_exec(int i, struct observed *o)
{
	const struct step *s;
	struct report r;
	enum await_end a;

	s = &steps[i];
	if (!send_command(i, o))
		return;
	a = await_report(s->actor, STEP_TIMEOUT_MS, 1, &r);
	switch (a) {
	case A_REPORT:
		if (r.r_step != i)
			protocol_error(i, "a report for another step");
		if (r.r_kind == R_RESULT) {
			returned(o, -1, r.r_errno, -1, 0);
			return;
		}
		live[s->actor].execed = i;
		o->kind = O_SLEEPING;
		snprintf(o->note, sizeof(o->note), "execve succeeded and the "
		    "new image runs (uid %d, euid %d); the model's P_INEXEC "
		    "window ends at exec-finish, the real one inside execve",
		    (int)r.r_uid, (int)r.r_euid);
		return;
	case A_STOPPED:
		/* Traced: it stops (SIGTRAP) before the new image runs. */
		live[s->actor].execed = i;
		live[s->actor].pending = i;
		live[s->actor].pending_kind = R_HELLO;
		o->kind = O_SLEEPING;
		snprintf(o->note, sizeof(o->note), "execve succeeded; the "
		    "process stopped before its new image ran (traced)");
		return;
	default:
		observe_end(o, a);
		return;
	}
}

/* No system call: the exec at steps[i].ref has committed. */
static void
step_exec_finish(int i, struct observed *o)
{
	const struct step *s;

	s = &steps[i];
	if (live[s->actor].execed != s->ref) {
		o->kind = O_BROKEN;
		snprintf(o->note, sizeof(o->note), "the execve at line %d did "
		    "not succeed", steps[s->ref].line);
		return;
	}
	returned(o, 0, 0, 0, 0);
}

/* _exit(2) does not return: the exit is seen as its pipe's end-of-file. */
static void
step_exit(int i, struct observed *o)
{
	struct report r;
	enum await_end a;

	if (!send_command(i, o))
		return;
	a = await_report(steps[i].actor, STEP_TIMEOUT_MS, 0, &r);
	if (a == A_REPORT)
		protocol_error(i, "a report from a process that exits");
	if (a == A_GONE) {
		returned(o, 0, 0, 0, 0);
		return;
	}
	observe_end(o, a);
}

static void
step_wait(int i, struct observed *o)
{
	struct report r;

	if (!send_command(i, o) || !await_result(i, o, &r))
		return;
	returned(o, r.r_ret, r.r_errno, r.r_ret, 1);
	if (r.r_ret > 0) {
		o->has_status = 1;
		o->status = r.r_data;
		describe_status(r.r_data, o->note, sizeof(o->note));
	}
}

/* getppid(2) and getpid(2): a pid, never an error. */
static void
step_getppid(int i, struct observed *o)
{
	struct report r;

	if (!send_command(i, o) || !await_result(i, o, &r))
		return;
	returned(o, r.r_ret, 0, r.r_ret, 1);
}

static void
step_ptrace(int i, struct observed *o)
{
	const struct step *s;
	struct report r;

	s = &steps[i];
	if (!send_command(i, o) || !await_result(i, o, &r))
		return;
	returned(o, r.r_ret, r.r_errno, r.r_ret, 0);
	/* PT_LWPINFO: the system call, as numbers, where the step has one. */
	if (s->op == PT_LWPINFO && r.r_ret != -1 &&
	    (s->check_syscall || s->check_narg || s->check_sicode)) {
		snprintf(o->fields, sizeof(o->fields),
		    " si_code %#x syscall %d narg %d", r.r_reap[2],
		    r.r_reap[0], r.r_reap[1]);
		if ((s->check_syscall && r.r_reap[0] != s->want_syscall) ||
		    (s->check_narg && r.r_reap[1] != s->want_narg) ||
		    (s->check_sicode && r.r_reap[2] != s->want_sicode))
			o->fields_differ = 1;
	}
}

static void
step_ktrace(int i, struct observed *o)
{
	struct report r;

	if (!send_command(i, o) || !await_result(i, o, &r))
		return;
	returned(o, r.r_ret, r.r_errno, r.r_ret, 0);
}

static void
step_close(int i, struct observed *o)
{
	struct report r;

	if (!send_command(i, o) || !await_result(i, o, &r))
		return;
	returned(o, r.r_ret, r.r_errno, r.r_ret, 0);
}

static void
step_kill(int i, struct observed *o)
{
	const struct step *s;
	struct report r;
	enum await_end a;

	s = &steps[i];
	if (!send_command(i, o))
		return;
	a = await_report(s->actor, STEP_TIMEOUT_MS, 1, &r);
	if (a == A_REPORT) {
		if (r.r_step != i || r.r_kind != R_RESULT)
			protocol_error(i, "a report for another step");
		returned(o, r.r_ret, r.r_errno, r.r_ret, 0);
		return;
	}
	if ((s->kind == K_SIGPROCMASK || s->target == s->actor) &&
	    (a == A_STOPPED || a == A_GONE)) {
		/* It acted on a signal of its own before the call returned. */
		returned(o, 0, 0, 0, 0);
		snprintf(o->note, sizeof(o->note), "the process %s before the "
		    "call returned", a == A_STOPPED ? "stopped" : "died");
		if (a == A_STOPPED) {
			live[s->actor].pending = i;
			live[s->actor].pending_kind = R_RESULT;
			live[s->actor].pending_want = 0;
		}
		return;
	}
	observe_end(o, a);
}

/*
 * No system call: the model's process acts on its next pending signal.
 * The real kernel has delivered it already (see settle()); what is left to
 * see is that the process stopped or died.
 */
static void
step_take_signal(int i, struct observed *o)
{
	struct kinfo_proc kp;
	int st, w;

	w = steps[i].actor;
	st = proc_state(live[w].pid, &kp);
	if (live[w].gone || st == PS_GONE) {
		returned(o, 0, 0, 0, 0);
		snprintf(o->note, sizeof(o->note), "the process is gone");
	} else if (st == SZOMB) {
		returned(o, 0, 0, 0, 0);
		snprintf(o->note, sizeof(o->note), "the process is a zombie: ");
		describe_status(kp.ki_xstat, o->note + strlen(o->note),
		    sizeof(o->note) - strlen(o->note));
	} else if (is_stopped(&kp)) {
		returned(o, 0, 0, 0, 0);
		snprintf(o->note, sizeof(o->note), "the process is stopped%s",
		    (kp.ki_flag & P_TRACED) != 0 ? " (traced)" : "");
	} else if (live[w].handles) {
		returned(o, 0, 0, 0, 0);
		snprintf(o->note, sizeof(o->note), "the process runs on "
		    "(its handler ran, or it ignored the signal)");
	} else {
		o->kind = O_NOSIGNAL;
	}
}

/* A pid as a scenario writes it: a name where it has one, -1. */
static void
pid_word(pid_t pid, char *buf, size_t len)
{
	const char *who;

	who = pid >= 0 ? worker_of_pid(pid) : NULL;
	if (who != NULL)
		snprintf(buf, len, "%s", who);
	else
		snprintf(buf, len, "%d", (int)pid);
}

/*
 * The reaper request's out fields in scenario syntax ("reaper P children
 * 1 ..."), and whether each field the step writes is so.
 */
static void
reaper_fields(int i, const struct report *r, struct observed *o)
{
	static const char *const status_keys[] = { "flags", "reaper",
	    "children", "descendants", "pid" };
	static const char *const kill_keys[] = { "killed", "fpid" };
	const char *const *keys;
	const char *want, *next;
	char value[5][40], word[40], key[16];
	int k, n, used;
	size_t at;

	if (steps[i].op == PROC_REAP_STATUS) {
		keys = status_keys;
		n = 5;
		snprintf(value[0], sizeof(value[0]), "%s%s%s",
		    (r->r_reap[0] & REAPER_STATUS_OWNED) != 0 ?
		    "REAPER_STATUS_OWNED" : "",
		    (r->r_reap[0] & REAPER_STATUS_OWNED) != 0 &&
		    (r->r_reap[0] & REAPER_STATUS_REALINIT) != 0 ? "|" : "",
		    (r->r_reap[0] & REAPER_STATUS_REALINIT) != 0 ?
		    "REAPER_STATUS_REALINIT" : "");
		if (value[0][0] == '\0')
			snprintf(value[0], sizeof(value[0]), "0");
		pid_word(r->r_reap[1], value[1], sizeof(value[1]));
		snprintf(value[2], sizeof(value[2]), "%d", r->r_reap[2]);
		snprintf(value[3], sizeof(value[3]), "%d", r->r_reap[3]);
		pid_word(r->r_reap[4], value[4], sizeof(value[4]));
	} else {
		keys = kill_keys;
		n = 2;
		snprintf(value[0], sizeof(value[0]), "%d", r->r_reap[0]);
		pid_word(r->r_reap[1], value[1], sizeof(value[1]));
	}
	o->fields[0] = '\0';
	for (k = 0; k < n; k++) {
		at = strlen(o->fields);
		snprintf(o->fields + at, sizeof(o->fields) - at, " %s %s",
		    keys[k], value[k]);
	}
	/* Each "KEY VALUE" the step writes must be one of those. */
	for (want = steps[i].want_fields; want != NULL && *want != '\0';
	    want = next) {
		used = 0;
		if (sscanf(want, " %15s %39s%n", key, word, &used) != 2 ||
		    used <= 0)
			break;
		for (k = 0; k < n; k++)
			if (strcmp(keys[k], key) == 0)
				break;
		if (k == n || strcmp(value[k], word) != 0)
			o->fields_differ = 1;
		next = want + used;
	}
}

static void
step_procctl(int i, struct observed *o)
{
	struct report r;

	if (!send_command(i, o) || !await_result(i, o, &r))
		return;
	if (steps[i].op == PROC_REAP_KILL && r.r_ret == -2) {
		o->kind = O_BROKEN;
		snprintf(o->note, sizeof(o->note), "not made: the caller's "
		    "reaper is the machine's init, and PROC_REAP_KILL would "
		    "signal every process it may signal");
		return;
	}
	if (steps[i].op == PROC_TRACE_STATUS && r.r_ret == 0)
		returned(o, 0, 0, r.r_data, r.r_data > 0);
	else
		returned(o, r.r_ret, r.r_errno, r.r_ret, 0);
	if ((steps[i].op == PROC_REAP_STATUS && r.r_ret == 0) ||
	    (steps[i].op == PROC_REAP_KILL &&
	    (r.r_ret == 0 || r.r_errno != EINVAL)))
		reaper_fields(i, &r, o);
}

/* ---------------------------------------------------------------------- */
/* The coordinator: judging. */

static void
describe_observed(const struct observed *o, char *buf, size_t len)
{
	const char *who;

	switch (o->kind) {
	case O_RETURNED:
		who = o->is_pid ? worker_of_pid(o->value) : NULL;
		if (o->ret == -1)
			snprintf(buf, len, "%s", errno_name(o->err));
		else if (who != NULL)
			snprintf(buf, len, "%d (%s)", o->value, who);
		else
			snprintf(buf, len, "%d", o->value);
		if (o->fields[0] != '\0' && strlen(buf) < len)
			snprintf(buf + strlen(buf), len - strlen(buf), "%s",
			    o->fields);
		break;
	case O_SLEEPING:
		snprintf(buf, len, "sleeping");
		break;
	case O_STOPPED:
		snprintf(buf, len, "no return: the process is stopped");
		break;
	case O_GONE:
		snprintf(buf, len, "no return: the process is gone");
		break;
	case O_NORETURN:
		snprintf(buf, len, "no return within %d ms", STEP_TIMEOUT_MS);
		break;
	case O_WOKE:
		snprintf(buf, len, "vfork returned %d before the child "
		    "exec'd or exited", o->value);
		break;
	case O_NOSIGNAL:
		snprintf(buf, len, "the process is running: it acted on no "
		    "signal");
		break;
	case O_BROKEN:
		snprintf(buf, len, "the step could not be taken");
		break;
	}
}

static int
agrees(const struct step *s, const struct observed *o)
{

	if (o->fields_differ)
		return (0);
	switch (s->expect) {
	case X_NONE:
		return (1);
	case X_ERRNO:
		return (o->kind == O_RETURNED && o->ret == -1 &&
		    o->err == s->want);
	case X_NUMBER:
		return (o->kind == O_RETURNED && o->ret != -1 &&
		    o->value == s->want);
	case X_PROCESS:
		return (o->kind == O_RETURNED && o->ret != -1 &&
		    target_pid(s->want) != -1 &&
		    o->value == target_pid(s->want) &&
		    (!s->check_status ||
		    (o->has_status && o->status == s->want_status)));
	case X_SLEEPING:
		return (o->kind == O_SLEEPING);
	case X_PANIC:
		return (0);	/* had it panicked, nobody would be judging */
	case X_HANG:
		return (o->kind == O_NORETURN);
	}
	return (0);
}

static _Noreturn void
disagree(int i, const char *want, const char *got, const char *note)
{
	const struct step *s;

	s = &steps[i];
	printf("%s:%d: %s: expected %s, observed %s\n", SCENARIO_FILE,
	    s->line, s->text, want, got);
	if (note != NULL && note[0] != '\0')
		printf("\t%s\n", note);
	if (s->window != NULL)
		printf("\tcaveat: %s\n", s->window);
	if (s->expect == X_PANIC)
		printf("\tthe model's kernel panics here (a failed KASSERT); a "
		    "kernel without options INVARIANTS does not check it\n");
	printf("the kernel disagrees with the model\n");
	finish(1);
}

static void
judge(int i, const struct observed *o)
{
	const struct step *s;
	char got[128], want[128];

	s = &steps[i];
	describe_observed(o, got, sizeof(got));
	if (s->expect == X_PROCESS)
		snprintf(want, sizeof(want), "%s (pid %d)", s->want_text,
		    (int)target_pid(s->want));
	else
		snprintf(want, sizeof(want), "%s", s->want_text);
	if (!agrees(s, o))
		disagree(i, want, got, o->note);
	printf("line %d: %s%s%s: %s\n", s->line, s->text,
	    s->expect == X_NONE ? "" : " = ", s->want_text, got);
	if (o->note[0] != '\0')
		printf("\t%s\n", o->note);
	fflush(stdout);
}

/*
 * Before worker w takes step i: a report it still owes (vfork's return, a
 * result from before a stop, a new image's hello) must come now, for the
 * model lets it act.
 */
static void
collect_pending(int w, int i)
{
	struct report r;
	char got[128], want[64];
	enum await_end a;
	int p;

	if ((p = live[w].pending) < 0)
		return;
	a = await_report(w, STEP_TIMEOUT_MS, 1, &r);
	if (a != A_REPORT) {
		snprintf(want, sizeof(want), "%s to run", workers[w].name);
		snprintf(got, sizeof(got),
		    "%s has not returned from line %d (%s)",
		    workers[w].name, steps[p].line, a == A_STOPPED ?
		    "it is stopped" : a == A_GONE ? "it is gone" :
		    "it is still asleep");
		disagree(i, want, got, NULL);
	}
	if (r.r_step != p || (int)r.r_kind != live[w].pending_kind)
		protocol_error(i, "a report for another step");
	live[w].pending = -1;
	if (r.r_kind == R_RESULT && r.r_ret != live[w].pending_want) {
		snprintf(want, sizeof(want), "%d", live[w].pending_want);
		if (r.r_ret == -1)
			snprintf(got, sizeof(got), "%s", errno_name(r.r_errno));
		else
			snprintf(got, sizeof(got), "%d", r.r_ret);
		disagree(p, want, got, "the call's late return value");
	}
	if (r.r_kind == R_HELLO)
		printf("line %d: %s: the new image runs (reported late)\n",
		    steps[p].line, steps[p].text);
	else
		printf("line %d: %s: returned %d (reported late)\n",
		    steps[p].line, steps[p].text, r.r_ret);
}

/*
 * Waits until every worker is quiet: gone, a zombie, stopped, or asleep
 * with no signal left to act on.  The real kernel acts on a signal as soon
 * as it is sent; the model at the target's take-signal step (see the
 * header comment).
 */
static void
settle(void)
{
	struct kinfo_proc kp;
	int quiet, st, w, waited;

	for (waited = 0; waited < STEP_TIMEOUT_MS; waited += POLL_MS) {
		quiet = 1;
		for (w = 0; w < NWORKERS; w++) {
			if (live[w].pid <= 0 || live[w].gone)
				continue;
			/* A vfork parent sleeps through signals until woken. */
			if (live[w].pending >= 0 &&
			    steps[live[w].pending].kind == K_VFORK)
				continue;
			st = proc_state(live[w].pid, &kp);
			if (st == PS_GONE || st == SZOMB || is_stopped(&kp))
				continue;
			if (st != SSLEEP || signal_pending(&kp))
				quiet = 0;
		}
		if (quiet)
			return;
		(void)usleep(POLL_MS * 1000);
	}
	printf("note: the processes did not settle within %d ms\n",
	    STEP_TIMEOUT_MS);
}

static void
run_step(int i)
{
	const struct step *s;
	struct observed o;

	s = &steps[i];
	memset(&o, 0, sizeof(o));
	/* Observation points send nothing, and expect no late report. */
	if (s->kind != K_FORK_FINISH && s->kind != K_EXEC_FINISH &&
	    s->kind != K_TAKE_SIGNAL)
		collect_pending(s->actor, i);
	if (s->expect == X_PANIC) {
		printf("line %d: %s: the model expects a kernel panic here\n",
		    s->line, s->text);
		fflush(stdout);
		sync();
	}
	switch (s->kind) {
	case K_FORK:
	case K_PDFORK:
		step_fork(i, &o);
		break;
	case K_CLOSE:
		step_close(i, &o);
		break;
	case K_VFORK:
		step_vfork(i, &o);
		break;
	case K_FORK_FINISH:
		step_fork_finish(i, &o);
		break;
	case K_EXEC:
		step_exec(i, &o);
		break;
	case K_EXEC_FINISH:
		step_exec_finish(i, &o);
		break;
	case K_EXIT:
		step_exit(i, &o);
		break;
	case K_WAIT:
		step_wait(i, &o);
		break;
	case K_PTRACE:
		step_ptrace(i, &o);
		break;
	case K_KTRACE:
		step_ktrace(i, &o);
		break;
	case K_KILL:
		step_kill(i, &o);
		break;
	case K_TAKE_SIGNAL:
		step_take_signal(i, &o);
		break;
	case K_PROCCTL:
	case K_PROCCTL32:
		step_procctl(i, &o);
		break;
	case K_GETPPID:
	case K_GETPID:
		step_getppid(i, &o);
		break;
	case K_SIGACTION:
		step_ktrace(i, &o);
		if (o.kind == O_RETURNED && o.ret == 0 && s->op != SIGACT_DFL)
			live[s->actor].handles = 1;
		break;
	case K_SIGPROCMASK:
		step_kill(i, &o);
		break;
	}
	judge(i, &o);
}

/* ---------------------------------------------------------------------- */
/* Setting up and cleaning up. */

static _Noreturn void
cannot_setup(const char *fmt, ...)
{
	va_list ap;

	printf("cannot set up: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	finish(2);
}

static void
copy_image(const char *to, mode_t mode)
{
	char buf[8192];
	ssize_t n;
	int in, out;

	if ((in = open(self_path, O_RDONLY)) == -1)
		cannot_setup("%s: %s", self_path, strerror(errno));
	if ((out = open(to, O_WRONLY | O_CREAT | O_EXCL, 0700)) == -1)
		cannot_setup("%s: %s", to, strerror(errno));
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write_all(out, buf, (size_t)n) != 0)
			cannot_setup("%s: %s", to, strerror(errno));
	if (n == -1 || fchown(out, 0, 0) == -1 || fchmod(out, mode) == -1 ||
	    close(out) == -1)
		cannot_setup("%s: %s", to, strerror(errno));
	(void)close(in);
}

static void
setup_files(const char *argv0)
{
	struct statvfs sv;
	char path[PATH_MAX];
	const char *base;
	int fd;

	if (strchr(argv0, '/') == NULL || realpath(argv0, self_path) == NULL)
		cannot_setup("run this program by its path (./repro), not "
		    "through PATH");
	if ((base = getenv("KSIM_REPRO_DIR")) == NULL)
		base = "/tmp";
	if (strlen(base) + sizeof("/ksim-repro.XXXXXX") > sizeof(dir))
		cannot_setup("KSIM_REPRO_DIR is too long");
	snprintf(dir, sizeof(dir), "%s/ksim-repro.XXXXXX", base);
	if (mkdtemp(dir) == NULL) {
		fd = errno;
		snprintf(path, sizeof(path), "%s", dir);
		dir[0] = '\0';
		cannot_setup("mkdtemp %s: %s", path, strerror(fd));
	}
	/* Workers of any user run images, dump core and ktrace here. */
	if (chmod(dir, 01777) == -1 || chdir(dir) == -1)
		cannot_setup("%s: %s", dir, strerror(errno));
	image_path(path, sizeof(path), IMAGE_PLAIN);
	copy_image(path, 0755);
	if (NEED_SETUID_IMAGE) {
		if (statvfs(dir, &sv) == -1 || (sv.f_flag & ST_NOSUID) != 0)
			cannot_setup("%s is on a nosuid file system: set "
			    "KSIM_REPRO_DIR to a directory on one without",
			    dir);
		image_path(path, sizeof(path), IMAGE_SETUID);
		copy_image(path, 04755);
	}
	snprintf(path, sizeof(path), "%s/ktrace.out", dir);
	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600)) == -1 ||
	    fchmod(fd, 0666) == -1 || close(fd) == -1)
		cannot_setup("%s: %s", path, strerror(errno));
}

static void
setup_limits(void)
{
	struct rlimit rl;

	/* The model writes a core whenever its gate allows one. */
	rl.rlim_cur = rl.rlim_max = RLIM_INFINITY;
	if (setrlimit(RLIMIT_CORE, &rl) == -1)
		cannot_setup("RLIMIT_CORE: %s", strerror(errno));
	if (NPROC_LIMIT > 0) {
		/*
		 * The model's maxproc counts every user process; RLIMIT_NPROC
		 * counts the processes of one real uid (and spares root).
		 */
		rl.rlim_cur = rl.rlim_max = NPROC_LIMIT;
		if (setrlimit(RLIMIT_NPROC, &rl) == -1)
			cannot_setup("RLIMIT_NPROC: %s", strerror(errno));
	}
}

static void
setup_tunables(void)
{
	struct tunable *t;
	size_t len;
	int old;

	for (t = tunables; t < tunables + NTUNABLES; t++) {
		len = sizeof(old);
		if (sysctlbyname(t->name, &old, &len, NULL, 0) == -1)
			cannot_setup("sysctl %s: %s", t->name, strerror(errno));
		t->old = old;
		if (old == t->value)
			continue;
		if (strcmp(t->name, "kern.securelevel") == 0)
			cannot_setup("kern.securelevel is %d, the scenario "
			    "needs %d; this program never changes it", old,
			    t->value);
		if (sysctlbyname(t->name, NULL, NULL, &t->value,
		    sizeof(t->value)) == -1)
			cannot_setup("sysctl %s=%d: %s", t->name, t->value,
			    strerror(errno));
		t->changed = 1;
	}
}

/* The pid the model calls 99: one no process has now. */
static void
setup_nobody(void)
{
	pid_t pid;

	for (pid = 99999; pid > 1; pid--)
		if (kill(pid, 0) == -1 && errno == ESRCH)
			break;
	nobody_pid = pid;
}

static void
setup_pipes(void)
{
	int cmd[2], rep[2], w;

	for (w = 0; w < NWORKERS; w++) {
		if (pipe(cmd) == -1 || pipe(rep) == -1)
			cannot_setup("pipe: %s", strerror(errno));
		if (cmd[0] >= FD_BASE || cmd[1] >= FD_BASE ||
		    rep[0] >= FD_BASE || rep[1] >= FD_BASE)
			cannot_setup("too many descriptors open");
		if (dup2(cmd[0], FD_CMD_RD(w)) == -1 ||
		    dup2(cmd[1], FD_CMD_WR(w)) == -1 ||
		    dup2(rep[0], FD_REP_RD(w)) == -1 ||
		    dup2(rep[1], FD_REP_WR(w)) == -1)
			cannot_setup("dup2: %s", strerror(errno));
		(void)close(cmd[0]);
		(void)close(cmd[1]);
		(void)close(rep[0]);
		(void)close(rep[1]);
	}
}

/*
 * An initial process.  The model's initial processes are children of
 * init, and that matters (PT_TRACE_ME makes the parent the debugger): the
 * worker is forked by a short-lived intermediate process, so that init
 * adopts it.  It takes its group, then its user's credentials, then execs
 * this program afresh: the exec clears the P_SUGID that setuid() set, as
 * the model's initial processes do not have it.
 */
static _Noreturn void
initial_child(int w)
{
	char arg[sizeof(WORKER_ARG)], name[64], path[PATH_MAX], sw[16];
	char ss[4], scmd[16], srep[16], *argv[9], *envp[1];
	gid_t gid;
	int n;

	for (n = 0; getppid() != 1 && n < 1000 / POLL_MS; n++)
		(void)usleep(POLL_MS * 1000);
	(void)signal(SIGPIPE, SIG_DFL);
	gid = workers[w].gid;
	if (setpgid(0, workers[w].leader == w ? 0 :
	    live[workers[w].leader].pid) == -1 || setgroups(1, &gid) == -1 ||
	    setgid(gid) == -1 || setuid(workers[w].uid) == -1) {
		worker_report(w, -1, R_RESULT, -1, errno, 1);
		_exit(4);
	}
	worker_close_others(w);
	image_path(path, sizeof(path), IMAGE_PLAIN);
	snprintf(arg, sizeof(arg), "%s", WORKER_ARG);
	snprintf(name, sizeof(name), "%s", workers[w].name);
	snprintf(sw, sizeof(sw), "%d", w);
	snprintf(ss, sizeof(ss), "%d", -1);
	snprintf(scmd, sizeof(scmd), "%d", FD_CMD_RD(w));
	snprintf(srep, sizeof(srep), "%d", FD_REP_WR(w));
	argv[0] = path;
	argv[1] = arg;
	argv[2] = name;
	argv[3] = sw;
	argv[4] = ss;
	argv[5] = scmd;
	argv[6] = srep;
	argv[7] = dir;
	argv[8] = NULL;
	envp[0] = NULL;
	(void)execve(path, argv, envp);
	worker_report(w, -1, R_RESULT, -1, errno, 2);
	_exit(5);
}

static void
spawn_initial(int w)
{
	struct kinfo_proc kp;
	struct report r;
	pid_t pid, worker;
	int status;

	fflush(NULL);
	if ((pid = fork()) == -1)
		cannot_setup("fork: %s", strerror(errno));
	if (pid == 0) {
		coordinator = 0;
		if ((worker = fork()) == 0)
			initial_child(w);
		_exit(worker == -1 ? 1 : 0);
	}
	if (waitpid(pid, &status, 0) == -1 || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0)
		cannot_setup("could not start %s", workers[w].name);
	if (await_report(w, STEP_TIMEOUT_MS, 0, &r) != A_REPORT ||
	    r.r_step != -1)
		cannot_setup("%s did not start", workers[w].name);
	if (r.r_kind != R_HELLO)
		cannot_setup("%s did not start: %s: %s", workers[w].name,
		    r.r_data == 1 ? "setpgid, setgroups, setgid or setuid" :
		    "execve", strerror(r.r_errno));
	live[w].pid = r.r_pid;
	if (r.r_ppid != 1)
		cannot_setup("%s's parent is %d, not init: orphans go to a "
		    "reaper here (procctl PROC_REAP_ACQUIRE)", workers[w].name,
		    (int)r.r_ppid);
	if (r.r_uid != workers[w].uid || r.r_euid != workers[w].uid ||
	    r.r_pgid != live[workers[w].leader].pid)
		cannot_setup("%s has the wrong credentials or group",
		    workers[w].name);
	if (proc_state(r.r_pid, &kp) == PS_GONE ||
	    (kp.ki_flag & P_SUGID) != 0)
		cannot_setup("%s is P_SUGID after its exec", workers[w].name);
	printf("%s is pid %d (uid %d, gid %d, process group %d)\n",
	    workers[w].name, (int)r.r_pid, (int)r.r_uid, (int)workers[w].gid,
	    (int)r.r_pgid);
}

static void
setup(const char *argv0)
{
	int i, leaders, w;

	coordinator = 1;
	for (w = 0; w < NWORKERS; w++) {
		live[w].execed = -1;
		live[w].pending = -1;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("ksim reproducer for %s (untested on a FreeBSD kernel)\n",
	    SCENARIO_FILE);
	if (geteuid() != 0)
		cannot_setup("run this program as root");
	for (i = 0; i < NSTEPS; i++)
		if (steps[i].problem != NULL)
			cannot_setup("line %d (%s): %s", steps[i].line,
			    steps[i].text, steps[i].problem);
	if (NEED_PROCCTL32 && sizeof(void *) != 4)
		cannot_setup("the scenario calls freebsd32_procctl: build "
		    "this program 32-bit (cc -m32) for a 64-bit kernel");
	(void)signal(SIGPIPE, SIG_IGN);
	setup_files(argv0);
	setup_limits();
	setup_tunables();
	setup_nobody();
	setup_pipes();
	/* Group leaders first: the others join their groups. */
	for (leaders = 1; leaders >= 0; leaders--)
		for (w = 0; w < NWORKERS; w++)
			if (workers[w].initial &&
			    (workers[w].leader == w) == (leaders == 1))
				spawn_initial(w);
	for (w = 0; w < NWORKERS; w++) {
		(void)close(FD_CMD_RD(w));
		(void)close(FD_REP_WR(w));
	}
}

static void
remove_dir(void)
{
	struct dirent *de;
	char path[PATH_MAX];
	DIR *d;

	if (getenv("KSIM_REPRO_KEEP") != NULL) {
		printf("kept %s\n", dir);
		return;
	}
	if ((d = opendir(dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		(void)unlink(path);
	}
	(void)closedir(d);
	(void)chdir("/");
	(void)rmdir(dir);
}

/* Kills the workers, restores the tunables, removes the scratch files. */
static _Noreturn void
finish(int code)
{
	struct kinfo_proc kp;
	struct tunable *t;
	int w;

	if (!coordinator)
		_exit(3);
	/* Only processes still running one of the images made at setup. */
	for (w = 0; w < NWORKERS; w++)
		if (live[w].pid > 0 &&
		    proc_state(live[w].pid, &kp) != PS_GONE &&
		    strncmp(kp.ki_comm, IMAGE_PREFIX,
		    strlen(IMAGE_PREFIX)) == 0)
			(void)kill(live[w].pid, SIGKILL);
	for (t = tunables; t < tunables + NTUNABLES; t++)
		if (t->changed && sysctlbyname(t->name, NULL, NULL, &t->old,
		    sizeof(t->old)) == -1)
			printf("could not restore %s=%d: %s\n", t->name, t->old,
			    strerror(errno));
	if (dir[0] != '\0')
		remove_dir();
	fflush(stdout);
	exit(code);
}

int
main(int argc, char *argv[])
{
	int i;

	if (argc > 1 && strcmp(argv[1], WORKER_ARG) == 0)
		worker_main(argc, argv);
	setup(argv[0]);
	for (i = 0; i < NSTEPS; i++) {
		run_step(i);
		settle();
	}
	printf("%s: the kernel agrees with the model on every step\n",
	    SCENARIO_FILE);
	finish(0);
}
