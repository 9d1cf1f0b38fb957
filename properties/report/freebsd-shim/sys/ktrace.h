/*
 * Compile-check shim of FreeBSD's <sys/ktrace.h>: operations, the
 * system-call facility, the inherit and root bits, and ktrace(2).
 */
#ifndef _KSIM_SHIM_SYS_KTRACE_H_
#define	_KSIM_SHIM_SYS_KTRACE_H_

#include <sys/types.h>

#define	KTROP_SET		0
#define	KTROP_CLEAR		1
#define	KTROP_CLEARFILE		2
#define	KTRFLAG_DESCEND		4

#define	KTR_SYSCALL		1
#define	KTRFAC_SYSCALL		(1 << KTR_SYSCALL)
#define	KTRFAC_INHERIT		0x40000000
#define	KTRFAC_ROOT		0x80000000

int	ktrace(const char *tracefile, int ops, int trpoints, pid_t pid);

#endif /* !_KSIM_SHIM_SYS_KTRACE_H_ */
