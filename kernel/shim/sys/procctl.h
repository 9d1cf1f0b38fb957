/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * ksim shim for <sys/procctl.h> as of December 2014.  The seed's additions
 * are kept verbatim below (the PROC_TRACE_* lines); a variant that renames
 * them (committed-2015 and later) defines its own names on top.
 */

#ifndef _SYS_PROCCTL_H_
#define	_SYS_PROCCTL_H_

#include <sys/types.h>
#include <sys/wait.h>

#define	PROC_SPROTECT		1	/* set protected state */
#define	PROC_REAP_ACQUIRE	2	/* reaping enable */
#define	PROC_REAP_RELEASE	3	/* reaping disable */
#define	PROC_REAP_STATUS	4	/* reaping status */
#define	PROC_REAP_GETPIDS	5	/* get descendants */
#define	PROC_REAP_KILL		6	/* kill descendants */
#ifndef KSIM_PRE_PATCH
#define	PROC_TRACE_ENABLE	7	/* en/dis ptrace and coredumps */
#define	PROC_TRACE_STATUS	8	/* query tracing status */
#endif

/* The reaper requests are not modelled; their data is opaque here. */
struct procctl_reaper_status {
	u_int	rs_flags;
};

struct procctl_reaper_pids {
	u_int	rp_count;
};

struct procctl_reaper_kill {
	int	rk_sig;
};

#ifndef KSIM_PRE_PATCH
#define	PROC_TRACE_SET_ENABLED		1
#define	PROC_TRACE_SET_DISABLED		2
#define	PROC_TRACE_SET_DISABLED_EXEC	3
#endif

#endif /* !_SYS_PROCCTL_H_ */
