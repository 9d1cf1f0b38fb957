/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The entry points of one kernel variant (struct ksim_variant).  Compiled
 * once per variant with -DKSIM_VARIANT_ID=<id> -DKSIM_VARIANT_NAME="<name>",
 * so the calls below bind to that variant's renamed functions.
 *
 * Each entry is a system call as seen from user mode: it runs the kernel
 * code for the calling thread and then makes userret()'s check that no lock
 * is held.
 *
 * The variant's design facts (KSIM_DESIGN_*) arrive as
 * -DKSIM_VARIANT_DESIGN=<expression> from the DESIGN argument of
 * ksim_add_kernel_variant(); a variant without one has none.
 */

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/lock.h>
#include <sys/mutex.h>
#include <sys/proc.h>
#include <sys/sx.h>
#include <sys/sysproto.h>

#include <compat/freebsd32/freebsd32_proto.h>

#include "ksim/kernel.h"
#include "ksim/runtime.h"

void	do_fork(struct thread *td, int flags, struct proc *p2);
void	do_execve_begin(struct thread *td);
void	do_execve_commit(struct thread *td, int setuid_root_image);
int	ptrace_trace_me_check(struct thread *td, struct proc *p);
int	ptrace_attach_check(struct thread *td, struct proc *p);

#ifndef KSIM_VARIANT_DESIGN
#define	KSIM_VARIANT_DESIGN	0
#endif

struct request {
	struct ksim_call *c;
	unsigned	target;
	int		abi32;
	int		idtype;
	int64_t		id;
	int		com;
	int		uaddr;
	int		arg;
};

static void
procctl_body(void *arg)
{
	struct request *r = arg;
	struct thread *td = curthread;
	struct procctl_args a;
	struct freebsd32_procctl_args a32;

	if (r->abi32) {
		a32.idtype = r->idtype;
		a32.id1 = (uint32_t)((uint64_t)r->id & 0xffffffff);
		a32.id2 = (uint32_t)((uint64_t)r->id >> 32);
		a32.com = r->com;
		a32.data = ksim_user_address(r->uaddr);
		r->c->error = freebsd32_procctl(td, &a32);
	} else {
		a.idtype = (idtype_t)r->idtype;
		a.id = r->id;
		a.com = r->com;
		a.data = ksim_user_address(r->uaddr);
		r->c->error = sys_procctl(td, &a);
	}
	ksim_userret(td);
}

static void
entry_procctl(struct ksim_call *c, int abi32, int idtype, int64_t id, int com,
    int uaddr)
{
	struct request r = { .c = c, .abi32 = abi32, .idtype = idtype,
	    .id = id, .com = com, .uaddr = uaddr };

	ksim_kernel_run(c, procctl_body, &r);
}

static void
candebug_body(void *arg)
{
	struct request *r = arg;
	struct proc *p = ksim_kproc(r->target);

	PROC_LOCK(p);
	r->c->error = p_candebug(curthread, p);
	PROC_UNLOCK(p);
	ksim_userret(curthread);
}

static void
cansee_body(void *arg)
{
	struct request *r = arg;
	struct proc *p = ksim_kproc(r->target);

	PROC_LOCK(p);
	r->c->error = p_cansee(curthread, p);
	PROC_UNLOCK(p);
	ksim_userret(curthread);
}

static void
cansignal_body(void *arg)
{
	struct request *r = arg;
	struct proc *p = ksim_kproc(r->target);

	PROC_LOCK(p);
	r->c->error = p_cansignal(curthread, p, r->arg);
	PROC_UNLOCK(p);
	ksim_userret(curthread);
}

static void
entry_p_candebug(struct ksim_call *c, unsigned target)
{
	struct request r = { .c = c, .target = target };

	ksim_kernel_check(c, candebug_body, &r, target, 0);
}

static void
entry_p_cansee(struct ksim_call *c, unsigned target)
{
	struct request r = { .c = c, .target = target };

	ksim_kernel_check(c, cansee_body, &r, target, 0);
}

static void
entry_p_cansignal(struct ksim_call *c, unsigned target, int sig)
{
	struct request r = { .c = c, .target = target, .arg = sig };

	ksim_kernel_check(c, cansignal_body, &r, target, sig);
}

/*
 * kern_ptrace() takes proctree_lock exclusively for PT_TRACE_ME and holds
 * the target's (here the caller's own) process lock while it checks the
 * request.
 */
static void
trace_me_body(void *arg)
{
	struct request *r = arg;
	struct thread *td = curthread;
	struct proc *p = td->td_proc;

	sx_xlock(&proctree_lock);
	PROC_LOCK(p);
	r->c->error = ptrace_trace_me_check(td, p);
	PROC_UNLOCK(p);
	sx_xunlock(&proctree_lock);
	ksim_userret(td);
}

static void
entry_ptrace_trace_me(struct ksim_call *c)
{
	struct request r = { .c = c };

	ksim_kernel_run(c, trace_me_body, &r);
}

/* The same for PT_ATTACH, with the target's process lock held. */
static void
attach_body(void *arg)
{
	struct request *r = arg;
	struct thread *td = curthread;
	struct proc *p = ksim_kproc(r->target);

	sx_xlock(&proctree_lock);
	PROC_LOCK(p);
	r->c->error = ptrace_attach_check(td, p);
	PROC_UNLOCK(p);
	sx_xunlock(&proctree_lock);
	ksim_userret(td);
}

static void
entry_ptrace_attach(struct ksim_call *c, unsigned target)
{
	struct request r = { .c = c, .target = target };

	ksim_kernel_run(c, attach_body, &r);
}

static void
fork_body(void *arg)
{
	struct request *r = arg;

	do_fork(curthread, r->arg ? RFPPWAIT : 0, ksim_kproc(r->target));
	ksim_userret(curthread);
}

static void
entry_fork(struct ksim_call *c, unsigned child, int vfork)
{
	struct request r = { .c = c, .target = child, .arg = vfork };

	ksim_kernel_run(c, fork_body, &r);
}

static void
exec_begin_body(void *arg)
{

	(void)arg;
	do_execve_begin(curthread);
	ksim_userret(curthread);
}

static void
exec_commit_body(void *arg)
{
	struct request *r = arg;

	do_execve_commit(curthread, r->arg);
	ksim_userret(curthread);
}

static void
entry_exec_begin(struct ksim_call *c)
{
	struct request r = { .c = c };

	ksim_kernel_run(c, exec_begin_body, &r);
}

static void
entry_exec_commit(struct ksim_call *c, int setuid_root_image)
{
	struct request r = { .c = c, .arg = setuid_root_image };

	ksim_kernel_run(c, exec_commit_body, &r);
}

static void
sigexit_body(void *arg)
{
	struct request *r = arg;
	struct thread *td = curthread;

	PROC_LOCK(td->td_proc);
	r->c->wstatus = sigexit(td, r->arg);
	ksim_userret(td);
}

static void
entry_sigexit(struct ksim_call *c, int sig)
{
	struct request r = { .c = c, .arg = sig };

	ksim_kernel_run(c, sigexit_body, &r);
}

const struct ksim_variant KSIM_VSYM(ksim_variant) = {
	.name = KSIM_VARIANT_NAME,
	.design = KSIM_VARIANT_DESIGN,
	.procctl = entry_procctl,
	.p_candebug = entry_p_candebug,
	.p_cansee = entry_p_cansee,
	.p_cansignal = entry_p_cansignal,
	.ptrace_trace_me = entry_ptrace_trace_me,
	.ptrace_attach = entry_ptrace_attach,
	.fork = entry_fork,
	.exec_begin = entry_exec_begin,
	.exec_commit = entry_exec_commit,
	.sigexit = entry_sigexit,
};
