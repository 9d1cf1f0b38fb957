/*
 * Compile-check shim of FreeBSD's <sys/procctl.h>: the trace commands and
 * values (FreeBSD's names and numbers; the December 2014 RFC called them
 * PROC_TRACE_ENABLE and PROC_TRACE_SET_*, with the same numbers), and the
 * reaper requests with the structure members the reproducers read.
 */
#ifndef _KSIM_SHIM_SYS_PROCCTL_H_
#define	_KSIM_SHIM_SYS_PROCCTL_H_

#include <sys/types.h>
#include <sys/wait.h>

#define	PROC_REAP_ACQUIRE		2
#define	PROC_REAP_RELEASE		3
#define	PROC_REAP_STATUS		4
#define	PROC_REAP_KILL			6
#define	PROC_TRACE_CTL			7
#define	PROC_TRACE_STATUS		8

#define	PROC_TRACE_CTL_ENABLE		1
#define	PROC_TRACE_CTL_DISABLE		2
#define	PROC_TRACE_CTL_DISABLE_EXEC	3

/* The members the reproducers use, in FreeBSD's order (no padding members). */
struct procctl_reaper_status {
	u_int	rs_flags;
	u_int	rs_children;
	u_int	rs_descendants;
	pid_t	rs_reaper;
	pid_t	rs_pid;
};

#define	REAPER_STATUS_OWNED		0x00000001
#define	REAPER_STATUS_REALINIT		0x00000002

struct procctl_reaper_kill {
	int	rk_sig;
	u_int	rk_flags;
	pid_t	rk_subtree;
	u_int	rk_killed;
	pid_t	rk_fpid;
};

#define	REAPER_KILL_CHILDREN		0x00000001
#define	REAPER_KILL_SUBTREE		0x00000002

int	procctl(idtype_t idtype, id_t id, int cmd, void *data);

#endif /* !_KSIM_SHIM_SYS_PROCCTL_H_ */
