/*
 * Compile-check shim of FreeBSD's <sys/procctl.h>: the trace commands and
 * values (FreeBSD's names and numbers; the December 2014 RFC called them
 * PROC_TRACE_ENABLE and PROC_TRACE_SET_*, with the same numbers).
 */
#ifndef _KSIM_SHIM_SYS_PROCCTL_H_
#define	_KSIM_SHIM_SYS_PROCCTL_H_

#include <sys/types.h>
#include <sys/wait.h>

#define	PROC_TRACE_CTL			7
#define	PROC_TRACE_STATUS		8

#define	PROC_TRACE_CTL_ENABLE		1
#define	PROC_TRACE_CTL_DISABLE		2
#define	PROC_TRACE_CTL_DISABLE_EXEC	3

int	procctl(idtype_t idtype, id_t id, int cmd, void *data);

#endif /* !_KSIM_SHIM_SYS_PROCCTL_H_ */
