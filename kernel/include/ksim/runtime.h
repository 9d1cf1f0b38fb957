/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * What the per-variant glue (glue/entry.c) needs from the shared runtime.
 * Kernel-side only: includes shim types.
 */

#ifndef _KSIM_RUNTIME_H_
#define	_KSIM_RUNTIME_H_

struct ksim_call;
struct proc;
struct thread;

/* Load call->world, run fn(arg) guarded, store the world back. */
void	ksim_kernel_run(struct ksim_call *c, void (*fn)(void *), void *arg);
/*
 * As ksim_kernel_run(), for a permission check of the caller against the
 * process in slot target that answers only c->error and changes nothing;
 * check_arg is its other argument (a signal), or 0.  The same check asked
 * again on the same world is answered without running it.
 */
void	ksim_kernel_check(struct ksim_call *c, void (*fn)(void *), void *arg,
	    unsigned target, int check_arg);
/* The materialised process in a slot, or NULL if the slot is free. */
struct proc *ksim_kproc(unsigned slot);
/* The KASSERT userret() makes on the way back to user mode. */
void	ksim_userret(struct thread *td);
/* The user address of the caller's int (KSIM_UADDR_GOOD) or a bad one. */
void	*ksim_user_address(int uaddr);

#endif /* !_KSIM_RUNTIME_H_ */
