/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * ksim shim for <sys/signalvar.h>: signal properties and single-threading.
 * Every modelled process has one thread, so thread_single() always
 * succeeds.
 */

#ifndef _SYS_SIGNALVAR_H_
#define	_SYS_SIGNALVAR_H_

#include <sys/signal.h>

#define	SA_KILL		0x01	/* terminates process by default */
#define	SA_CORE		0x02	/* ditto and coredumps */
#define	SA_STOP		0x04	/* suspend process */

static inline int
sigprop(int sig)
{

	switch (sig) {
	case SIGQUIT:
	case SIGTRAP:
	case SIGABRT:
		return (SA_KILL | SA_CORE);
	case SIGSTOP:
		return (SA_STOP);
	case SIGHUP:
	case SIGINT:
	case SIGKILL:
	case SIGTERM:
	case SIGUSR1:
	case SIGUSR2:
		return (SA_KILL);
	default:
		return (0);
	}
}

#define	SINGLE_NO_EXIT	0
#define	thread_single(p, mode)	0

/* The vnode write of a core image (runtime/kern.c): records the event. */
struct thread;
int	ksim_write_core(struct thread *td);

#endif /* !_SYS_SIGNALVAR_H_ */
