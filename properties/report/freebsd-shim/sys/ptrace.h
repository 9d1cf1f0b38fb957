/*
 * Compile-check shim of FreeBSD's <sys/ptrace.h>: the requests the
 * reproducers make and FreeBSD's prototype (not glibc's).
 */
#ifndef _KSIM_SHIM_SYS_PTRACE_H_
#define	_KSIM_SHIM_SYS_PTRACE_H_

#include <sys/types.h>
#include <signal.h>

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
#define	PT_LWPINFO	13
#define	PT_TO_SCE	20
#define	PT_TO_SCX	21
#define	PT_SYSCALL	22
#define	PT_FOLLOW_FORK	23
#define	PT_LWP_EVENTS	24
#define	PT_GET_EVENT_MASK 25
#define	PT_SET_EVENT_MASK 26

#define	PTRACE_EXEC	0x0001
#define	PTRACE_SCE	0x0002
#define	PTRACE_SCX	0x0004
#define	PTRACE_FORK	0x0008
#define	PTRACE_LWP	0x0010
#define	PTRACE_VFORK	0x0020

#define	PL_FLAG_SCE	0x04
#define	PL_FLAG_SCX	0x08
#define	PL_FLAG_EXEC	0x10
#define	PL_FLAG_SI	0x20
#define	PL_FLAG_FORKED	0x40
#define	PL_FLAG_CHILD	0x80
#define	PL_FLAG_VFORKED	0x400
#define	PL_FLAG_VFORK_DONE 0x800

/* Only the members the reproducers read; FreeBSD's has more after them. */
struct ptrace_lwpinfo {
	int	pl_lwpid;
	int	pl_event;
	int	pl_flags;
	siginfo_t pl_siginfo;
	pid_t	pl_child_pid;
	u_int	pl_syscall_code;
	u_int	pl_syscall_narg;
};

int	ptrace(int request, pid_t pid, caddr_t addr, int data);

#endif /* !_KSIM_SHIM_SYS_PTRACE_H_ */
