/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * ksim shim for <sys/procctl.h> as of December 2014.  The seed's additions
 * are kept verbatim below (the PROC_TRACE_* lines).
 *
 * Each variant sees the names of its era, chosen by a compile definition
 * its ksim_add_kernel_variant() line passes (kernel/CMakeLists.txt):
 *   (none)                    the RFC's names: PROC_TRACE_ENABLE and
 *                             PROC_TRACE_SET_{ENABLED,DISABLED,DISABLED_EXEC};
 *   KSIM_PRE_PATCH            no tracing requests at all (commands 7 and 8
 *                             are unknown, as before the patch);
 *   KSIM_PROCCTL_NAMES_2015   the committed names: PROC_TRACE_CTL and
 *                             PROC_TRACE_CTL_{ENABLE,DISABLE,DISABLE_EXEC}.
 * The numbers are the same in every era (kernel/PROVENANCE.md section
 * 1.1), so the model and runtime/constants.c, which use the RFC's names,
 * fit them all.
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
#if !defined(KSIM_PRE_PATCH) && !defined(KSIM_PROCCTL_NAMES_2015)
#define	PROC_TRACE_ENABLE	7	/* en/dis ptrace and coredumps */
#define	PROC_TRACE_STATUS	8	/* query tracing status */
#endif
#ifdef KSIM_PROCCTL_NAMES_2015
#define	PROC_TRACE_CTL		7	/* en/dis ptrace and coredumps */
#define	PROC_TRACE_STATUS	8	/* query tracing status */
#endif

/*
 * The reaper requests are run by the model (model/src/Reaper.cpp), not by
 * this C: their structures are opaque here, only their flags are named.
 */
#define	REAPER_STATUS_OWNED	0x00000001
#define	REAPER_STATUS_REALINIT	0x00000002
#define	REAPER_KILL_CHILDREN	0x00000001
#define	REAPER_KILL_SUBTREE	0x00000002

struct procctl_reaper_status {
	u_int	rs_flags;
};

struct procctl_reaper_pids {
	u_int	rp_count;
};

struct procctl_reaper_kill {
	int	rk_sig;
};

#if !defined(KSIM_PRE_PATCH) && !defined(KSIM_PROCCTL_NAMES_2015)
#define	PROC_TRACE_SET_ENABLED		1
#define	PROC_TRACE_SET_DISABLED		2
#define	PROC_TRACE_SET_DISABLED_EXEC	3
#endif
#ifdef KSIM_PROCCTL_NAMES_2015
#define	PROC_TRACE_CTL_ENABLE		1
#define	PROC_TRACE_CTL_DISABLE		2
#define	PROC_TRACE_CTL_DISABLE_EXEC	3
#endif

#endif /* !_SYS_PROCCTL_H_ */
