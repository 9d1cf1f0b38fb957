/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The kernel runtime shared by every variant: the materialised process
 * table, lookups (pfind, pgfind), locks with assertion checking, the
 * superuser privilege policy, user-memory copies and the tunables.
 *
 * One kernel call at a time per thread: ksim_kernel_run() loads
 * call->world into the objects below, runs the operation under
 * ksim_guard(), and writes the members the kernel code may change back
 * into the world.  Every object the kernel code writes is thread-local,
 * so searches may run kernel calls on several threads at once (each
 * thread has its own process table, locks and tunables).
 */

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/priv.h>
#include <sys/proc.h>
#include <sys/signalvar.h>
#include <sys/ucred.h>

#include "ksim/kernel.h"
#include "ksim/runtime.h"

struct kernel_objects {
	struct proc	proc[KSIM_NSLOTS];
	struct thread	thread[KSIM_NSLOTS];
	struct ucred	cred[KSIM_NSLOTS];
	struct ucred	tracecred[KSIM_NSLOTS];
	struct pgrp	pgrp[KSIM_NSLOTS];
	int		present[KSIM_NSLOTS];
};

static _Thread_local struct kernel_objects K;

/*
 * The objects as kernel_load() last built them, before any kernel code
 * ran, and the world and tunables they were built from.  A search runs
 * every action of a state on the same world, and most calls change
 * nothing, so the next call usually finds its world here and copies the
 * objects back instead of building them again.  The objects point only
 * into K, so a copy of them is as good as a fresh load.
 */
static _Thread_local struct {
	int			valid;
	struct ksim_world	world;
	struct ksim_sysctls	sysctls;
	struct kernel_objects	objects;
	int			nprocs;
	struct proc		*first;
	unsigned long		generation;	/* bumped at each build */
} loaded;

/*
 * The answers of the permission checks (p_cansee, p_candebug,
 * p_cansignal) on the loaded world.  A search asks them again and again
 * of one state: every ptrace and ktrace request of a caller at a target
 * starts with the same two.  A check is a function of the world, the
 * tunables, the variant's code and its arguments, so an answer given on
 * the same world (same generation of the objects) with the same
 * arguments is given again without running the code.  Only answers that
 * returned, passed over no assertion and left the world and the user's
 * int as they were are kept; whether the check passed a site, and the last one, are kept too,
 * since a step reports the last site it passed.
 */
struct check_answer {
	void		(*fn)(void *);
	unsigned long	generation;	/* 0: empty */
	int		arg;
	int		production;
	int		uword;
	int		error;
	int		passed_site;
	const char	*site_file;
	int		site_line;
};

#define	CHECK_WAYS	4

static _Thread_local struct {
	struct check_answer	answer[KSIM_NSLOTS][KSIM_NSLOTS][CHECK_WAYS];
	unsigned		next[KSIM_NSLOTS][KSIM_NSLOTS];
} checks;

static _Thread_local struct ksim_call *current;
static _Thread_local const char *site_file;
static _Thread_local int site_line;
static _Thread_local unsigned long sites_passed;

_Thread_local struct sx proctree_lock = { "proctree", NULL, 0 };
_Thread_local struct proc *initproc;
_Thread_local int nprocs;
_Thread_local struct proclist allproc;

_Thread_local int do_coredump;
_Thread_local int sugid_coredump;
_Thread_local int see_other_uids;
_Thread_local int see_other_gids;
_Thread_local int unprivileged_proc_debug;
static _Thread_local int securelevel;

struct thread *
ksim_curthread(void)
{

	return (&K.thread[current->td]);
}

struct proc *
ksim_kproc(unsigned slot)
{

	return (slot < KSIM_NSLOTS && K.present[slot] ? &K.proc[slot] : NULL);
}

static struct proc *
slot_proc(uint8_t slot)
{

	return (slot == KSIM_NOSLOT ? NULL : &K.proc[slot]);
}

static void
load_cred(struct ucred *cr, uid_t ruid, uid_t euid, uid_t svuid, gid_t gid)
{

	cr->cr_uid = euid;
	cr->cr_ruid = ruid;
	cr->cr_svuid = svuid;
	cr->cr_ngroups = 1;
	cr->cr_rgid = gid;
	cr->cr_svgid = gid;
	cr->cr_groups[0] = gid;
}

/* Whether the objects were last built from c's world and tunables. */
static int
world_is_loaded(const struct ksim_call *c)
{

	return (loaded.valid && __builtin_memcmp(&loaded.world, c->world,
	    sizeof(loaded.world)) == 0 && __builtin_memcmp(&loaded.sysctls,
	    c->sysctls, sizeof(loaded.sysctls)) == 0);
}

/* is_loaded: world_is_loaded(c), which the caller has asked already. */
static void
kernel_load(struct ksim_call *c, int is_loaded)
{
	const struct ksim_proc_rec *rec;
	struct proc *p, *prev;
	unsigned i;
	uint8_t m;

	if (is_loaded) {
		__builtin_memcpy(&K, &loaded.objects, sizeof(K));
		nprocs = loaded.nprocs;
		allproc.lh_first = loaded.first;
		goto globals;
	}
	__builtin_memset(&K, 0, sizeof(K));
	nprocs = 0;
	prev = NULL;
	allproc.lh_first = NULL;
	for (i = 0; i < KSIM_NSLOTS; i++) {
		rec = &c->world->proc[i];
		p = &K.proc[i];
		p->p_mtx.lock_name = "process lock";
		p->p_thread = &K.thread[i];
		K.thread[i].td_proc = p;
		K.thread[i].td_ucred = &K.cred[i];
		K.pgrp[i].pg_id = ksim_slot_pid(i);
		K.pgrp[i].pg_mtx.lock_name = "process group";
		if (rec->state == KSIM_PRS_FREE)
			continue;
		K.present[i] = 1;
		nprocs++;
		if (prev == NULL)
			allproc.lh_first = p;
		else
			prev->p_list.le_next = p;
		p->p_list.le_prev = prev == NULL ? &allproc.lh_first :
		    &prev->p_list.le_next;
		prev = p;
		p->p_pid = ksim_slot_pid(i);
		p->p_state = (enum p_states)rec->state;
		p->p_flag = (int)rec->flag;
		p->p_flag2 = (int)rec->flag2;
		p->p_traceflag = (int)rec->traceflag;
		p->p_pptr = slot_proc(rec->pptr);
		if (rec->oppid == KSIM_NOSLOT)
			p->p_oppid = 0;
		else if (rec->oppid == KSIM_OPPID_REAPER)
			p->p_oppid = ksim_slot_pid(rec->reaper);
		else
			p->p_oppid = ksim_slot_pid(rec->oppid);
		p->p_pgrp = &K.pgrp[rec->pgid];
		p->p_ucred = &K.cred[i];
		load_cred(&K.cred[i], rec->ruid, rec->euid, rec->svuid,
		    rec->gid);
		if (rec->traceflag != 0) {
			load_cred(&K.tracecred[i], rec->ktr_uid, rec->ktr_uid,
			    rec->ktr_uid, rec->ktr_uid);
			p->p_tracecred = &K.tracecred[i];
		}
	}
	/* Group member lists, in the world's order. */
	for (i = 0; i < KSIM_NSLOTS; i++) {
		prev = NULL;
		for (m = c->world->pgrp_head[i]; m != KSIM_NOSLOT;
		    m = c->world->proc[m].pgnext) {
			p = &K.proc[m];
			if (prev == NULL) {
				K.pgrp[i].pg_members.lh_first = p;
				p->p_pglist.le_prev =
				    &K.pgrp[i].pg_members.lh_first;
			} else {
				prev->p_pglist.le_next = p;
				p->p_pglist.le_prev = &prev->p_pglist.le_next;
			}
			prev = p;
		}
	}
	loaded.valid = 1;
	__builtin_memcpy(&loaded.world, c->world, sizeof(loaded.world));
	__builtin_memcpy(&loaded.sysctls, c->sysctls, sizeof(loaded.sysctls));
	__builtin_memcpy(&loaded.objects, &K, sizeof(K));
	loaded.nprocs = nprocs;
	loaded.first = allproc.lh_first;
	loaded.generation++;
globals:
	initproc = &K.proc[KSIM_SLOT_INIT];
	proctree_lock.sx_xowner = NULL;
	proctree_lock.sx_shared = 0;
	do_coredump = c->sysctls->kern_coredump;
	sugid_coredump = c->sysctls->kern_sugid_coredump;
	see_other_uids = c->sysctls->security_bsd_see_other_uids;
	see_other_gids = c->sysctls->security_bsd_see_other_gids;
	unprivileged_proc_debug =
	    c->sysctls->security_bsd_unprivileged_proc_debug;
	securelevel = c->sysctls->securelevel;
}

/*
 * Write back what kernel code may change: flag words, ktrace state and
 * credentials (exec).  Links (parent, group) belong to the model.
 */
static void
kernel_store(struct ksim_call *c)
{
	struct ksim_proc_rec *rec;
	struct proc *p;
	unsigned i;

	for (i = 0; i < KSIM_NSLOTS; i++) {
		if (!K.present[i])
			continue;
		rec = &c->world->proc[i];
		p = &K.proc[i];
		rec->flag = (uint32_t)p->p_flag;
		rec->flag2 = (uint32_t)p->p_flag2;
		rec->traceflag = (uint32_t)p->p_traceflag;
		if (p->p_traceflag == 0) {
			rec->ktr_uid = 0;
			rec->ktr_priv = 0;
		}
		rec->euid = (uint16_t)K.cred[i].cr_uid;
		rec->ruid = (uint16_t)K.cred[i].cr_ruid;
		rec->svuid = (uint16_t)K.cred[i].cr_svuid;
	}
}

/*
 * A bounded copy that stops at the terminator: strncpy() would also clear
 * the rest of the buffer, on every call, though nearly every call returns
 * with an empty message.
 */
static void
copy_message(char *to, size_t size, const char *from)
{
	size_t i;

	for (i = 0; i + 1 < size && from[i] != '\0'; i++)
		to[i] = from[i];
	to[i] = '\0';
}

/*
 * The glue's own locking around a variant's function (glue/entry.c) is
 * not a site: the line wanted is the variant's.  File names are string
 * literals, so each is told apart once and then known by its pointer (a
 * step passes sites in several files in turn), in a table indexed by the
 * pointer's bits; a name that collides with another is told apart again.
 * Only this cache sees the pointers: whether a file is glue does not
 * depend on them.
 */
#define	SITE_FILES	64

static _Thread_local struct {
	const char	*file;
	int		glue;
} site_files[SITE_FILES];

static int
site_in_glue(const char *file)
{
	unsigned i;

	i = (unsigned)((uintptr_t)file >> 3) % SITE_FILES;
	if (site_files[i].file != file) {
		site_files[i].file = file;
		site_files[i].glue = __builtin_strstr(file, "/glue/") != NULL;
	}
	return (site_files[i].glue);
}

void
ksim_site(const char *file, int line)
{

	if (site_in_glue(file))
		return;
	site_file = file;
	site_line = line;
	sites_passed++;
}

void
ksim_site_reset(void)
{

	site_file = NULL;
	site_line = 0;
}

const char *
ksim_site_file(void)
{

	return (site_file);
}

int
ksim_site_line(void)
{

	return (site_line);
}

static void
kernel_run(struct ksim_call *c, void (*fn)(void *), void *arg, int is_loaded)
{

	current = c;
	kernel_load(c, is_loaded);
	c->error = 0;
	c->core_written = 0;
	c->end = ksim_guard(fn, arg, c->production);
	copy_message(c->message, sizeof(c->message), ksim_guard_message());
	copy_message(c->assertion, sizeof(c->assertion),
	    ksim_guard_assertion());
	c->assertion_file = ksim_guard_assertion_file();
	c->assertion_line = ksim_guard_assertion_line();
	kernel_store(c);
	current = NULL;
}

void
ksim_kernel_run(struct ksim_call *c, void (*fn)(void *), void *arg)
{

	kernel_run(c, fn, arg, world_is_loaded(c));
}

void
ksim_kernel_check(struct ksim_call *c, void (*fn)(void *), void *arg,
    unsigned target, int check_arg)
{
	struct check_answer *a;
	unsigned long passed;
	unsigned w;
	int is_loaded, uword;

	if (c->td >= KSIM_NSLOTS || target >= KSIM_NSLOTS) {
		ksim_kernel_run(c, fn, arg);
		return;
	}
	is_loaded = world_is_loaded(c);
	if (is_loaded) {
		for (w = 0; w < CHECK_WAYS; w++) {
			a = &checks.answer[c->td][target][w];
			if (a->generation != loaded.generation || a->fn != fn ||
			    a->arg != check_arg ||
			    a->production != c->production ||
			    a->uword != c->uword)
				continue;
			c->error = a->error;
			c->end = KSIM_END_RETURNED;
			c->core_written = 0;
			c->message[0] = '\0';
			c->assertion[0] = '\0';
			c->assertion_file = NULL;
			c->assertion_line = 0;
			if (a->passed_site) {
				site_file = a->site_file;
				site_line = a->site_line;
			}
			return;
		}
	}
	passed = sites_passed;
	uword = c->uword;
	kernel_run(c, fn, arg, is_loaded);
	if (c->end != KSIM_END_RETURNED || c->assertion[0] != '\0' ||
	    c->uword != uword || __builtin_memcmp(&loaded.world, c->world,
	    sizeof(loaded.world)) != 0)
		return;
	w = checks.next[c->td][target]++ % CHECK_WAYS;
	a = &checks.answer[c->td][target][w];
	a->fn = fn;
	a->generation = loaded.generation;
	a->arg = check_arg;
	a->production = c->production;
	a->uword = c->uword;
	a->error = c->error;
	a->passed_site = sites_passed != passed;
	a->site_file = site_file;
	a->site_line = site_line;
}

void
ksim_userret(struct thread *td)
{

	KASSERT(td->td_locks == 0,
	    ("userret: Returning with %d locks held", td->td_locks));
}

/*
 * The 2014 pfind(): zombies are off the pid hash, and a process still
 * being created is skipped.  Returns the process locked.
 */
struct proc *
pfind(pid_t pid)
{
	struct proc *p;
	unsigned i;

	for (i = 0; i < KSIM_NSLOTS; i++) {
		p = &K.proc[i];
		if (!K.present[i] || p->p_pid != pid ||
		    p->p_state == PRS_ZOMBIE)
			continue;
		PROC_LOCK(p);
		if (p->p_state == PRS_NEW) {
			PROC_UNLOCK(p);
			return (NULL);
		}
		return (p);
	}
	return (NULL);
}

/* A group exists while it has members.  Returns it locked. */
struct pgrp *
pgfind(pid_t pgid)
{
	struct pgrp *pg;
	unsigned i;

	for (i = 0; i < KSIM_NSLOTS; i++) {
		pg = &K.pgrp[i];
		if (pg->pg_id != pgid || LIST_EMPTY(&pg->pg_members))
			continue;
		PGRP_LOCK(pg);
		return (pg);
	}
	return (NULL);
}

void
_ksim_mtx_lock(struct mtx *m, const char *file, int line)
{

	ksim_site(file, line);
	ksim_tick();
	if (m->mtx_owner == curthread)
		panic("_mtx_lock_sleep: recursed on non-recursive mutex "
		    "%s @ %s:%d", m->lock_name, file, line);
	m->mtx_owner = curthread;
	curthread->td_locks++;
}

void
_ksim_mtx_unlock(struct mtx *m, const char *file, int line)
{

	ksim_site(file, line);
	ksim_tick();
	if (m->mtx_owner != curthread)
		panic("mutex %s not owned at %s:%d", m->lock_name, file, line);
	m->mtx_owner = NULL;
	curthread->td_locks--;
}

void
_ksim_mtx_assert(const struct mtx *m, int what, const char *file, int line)
{

	ksim_site(file, line);
	if (what == MA_OWNED && m->mtx_owner != curthread)
		ksim_lock_assert_failed("mutex %s not owned at %s:%d",
		    m->lock_name, file, line);
	if (what == MA_NOTOWNED && m->mtx_owner == curthread)
		ksim_lock_assert_failed("mutex %s owned at %s:%d",
		    m->lock_name, file, line);
}

void
_ksim_sx_slock(struct sx *sx, const char *file, int line)
{

	ksim_site(file, line);
	ksim_tick();
	if (sx->sx_xowner == curthread)
		panic("sx_slock: exclusive sx %s already held by this thread "
		    "@ %s:%d", sx->lock_name, file, line);
	sx->sx_shared++;
	curthread->td_locks++;
}

void
_ksim_sx_xlock(struct sx *sx, const char *file, int line)
{

	ksim_site(file, line);
	ksim_tick();
	if (sx->sx_xowner == curthread)
		panic("_sx_xlock_hard: recursed on non-recursive sx %s @ %s:%d",
		    sx->lock_name, file, line);
	if (sx->sx_shared != 0)
		panic("sx_xlock: sx %s is share-locked by this thread, "
		    "deadlock @ %s:%d", sx->lock_name, file, line);
	sx->sx_xowner = curthread;
	curthread->td_locks++;
}

void
_ksim_sx_unlock(struct sx *sx, const char *file, int line)
{

	ksim_site(file, line);
	ksim_tick();
	if (sx->sx_xowner == curthread)
		sx->sx_xowner = NULL;
	else if (sx->sx_shared > 0)
		sx->sx_shared--;
	else
		panic("Lock %s not locked @ %s:%d", sx->lock_name, file, line);
	curthread->td_locks--;
}

void
_ksim_sx_assert(const struct sx *sx, int what, const char *file, int line)
{

	ksim_site(file, line);
	switch (what) {
	case SA_XLOCKED:
		if (sx->sx_xowner != curthread)
			ksim_lock_assert_failed("Lock %s not exclusively locked @ %s:%d",
			    sx->lock_name, file, line);
		break;
	case SA_SLOCKED:
		if (sx->sx_shared == 0)
			ksim_lock_assert_failed("Lock %s not share locked @ %s:%d",
			    sx->lock_name, file, line);
		break;
	case SA_LOCKED:
		if (sx->sx_xowner != curthread && sx->sx_shared == 0)
			ksim_lock_assert_failed("Lock %s not locked @ %s:%d",
			    sx->lock_name, file, line);
		break;
	case SA_UNLOCKED:
		if (sx->sx_xowner == curthread)
			ksim_lock_assert_failed("Lock %s exclusively locked @ %s:%d",
			    sx->lock_name, file, line);
		break;
	}
}

/*
 * The superuser policy: effective uid 0 holds every privilege.  (The
 * unprivileged-debugging sysctl is consulted by p_candebug itself, as in
 * the 2014 kernel.)
 */
int
priv_check_cred(struct ucred *cred, int priv, int flags)
{

	(void)priv;
	(void)flags;
	return (cred->cr_uid == 0 ? 0 : EPERM);
}

int
priv_check(struct thread *td, int priv)
{

	KASSERT(td == curthread, ("priv_check: td != curthread"));
	return (priv_check_cred(td->td_ucred, priv, 0));
}

int
securelevel_gt(struct ucred *cr, int level)
{

	(void)cr;
	return (securelevel > level ? EPERM : 0);
}

/*
 * The caller's user space holds one int at &current->uword; the data
 * pointer of a call is that address or, for a bad pointer, an address
 * nothing is mapped at.
 */
void *
ksim_user_address(int uaddr)
{

	return (uaddr == KSIM_UADDR_GOOD ? (void *)&current->uword :
	    (void *)(uintptr_t)0xdeadc0de);
}

int
copyin(const void *uaddr, void *kaddr, size_t len)
{

	if (uaddr != (const void *)&current->uword || len != sizeof(int))
		return (EFAULT);
	__builtin_memcpy(kaddr, uaddr, len);
	return (0);
}

int
copyout(const void *kaddr, void *uaddr, size_t len)
{

	if (uaddr != (void *)&current->uword || len != sizeof(int))
		return (EFAULT);
	__builtin_memcpy(uaddr, kaddr, len);
	return (0);
}

int
ksim_write_core(struct thread *td)
{

	KASSERT(td == curthread, ("ksim_write_core: td != curthread"));
	current->core_written = 1;
	return (0);
}
