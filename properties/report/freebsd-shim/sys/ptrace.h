/*
 * Compile-check shim of FreeBSD's <sys/ptrace.h>: the requests the
 * reproducers make and FreeBSD's prototype (not glibc's).
 */
#ifndef _KSIM_SHIM_SYS_PTRACE_H_
#define	_KSIM_SHIM_SYS_PTRACE_H_

#include <sys/types.h>

#define	PT_TRACE_ME	0
#define	PT_READ_I	1
#define	PT_READ_D	2
#define	PT_WRITE_I	4
#define	PT_WRITE_D	5
#define	PT_CONTINUE	7
#define	PT_KILL		8
#define	PT_STEP		9
#define	PT_ATTACH	10
#define	PT_DETACH	11

int	ptrace(int request, pid_t pid, caddr_t addr, int data);

#endif /* !_KSIM_SHIM_SYS_PTRACE_H_ */
