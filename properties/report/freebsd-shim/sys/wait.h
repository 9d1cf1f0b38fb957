/*
 * Compile-check shim of FreeBSD's <sys/wait.h>, in place of glibc's: its
 * idtype_t numbers P_PID 0 and P_PGID 2 (glibc: P_PID 1), the wait
 * options and the status macros.  _SYS_WAIT_H keeps glibc's <stdlib.h>
 * from defining the status macros a second time.
 */
#ifndef _KSIM_SHIM_SYS_WAIT_H_
#define	_KSIM_SHIM_SYS_WAIT_H_
#define	_SYS_WAIT_H	1

#include <sys/types.h>

typedef enum {
	P_PID,		/* 0 */
	P_PPID,
	P_PGID,		/* 2 */
	P_SID,
	P_CID,
	P_UID,
	P_GID,
	P_ALL,
	P_LWPID,
	P_TASKID,
	P_PROJID,
	P_POOLID,
	P_JAILID,
	P_CTID,
	P_CPUID,
	P_PSETID
} idtype_t;

#undef	WNOHANG
#undef	WUNTRACED
#undef	WSTOPPED
#undef	WCONTINUED
#undef	WNOWAIT
#undef	WEXITED
#undef	WIFEXITED
#undef	WEXITSTATUS
#undef	WIFSIGNALED
#undef	WTERMSIG
#undef	WIFSTOPPED
#undef	WSTOPSIG
#undef	WIFCONTINUED
#undef	WCOREDUMP

#define	WNOHANG		1
#define	WUNTRACED	2
#define	WSTOPPED	WUNTRACED
#define	WCONTINUED	4
#define	WNOWAIT		8
#define	WEXITED		16
#define	WTRAPPED	32

#define	WAIT_ANY	(-1)
#define	WAIT_MYPGRP	0

#define	WCOREFLAG	0200

/* The low seven bits: 0 exited, 0177 stopped, else the killing signal. */
#define	WIFEXITED(s)	(((s) & 0177) == 0)
#define	WEXITSTATUS(s)	(((s) >> 8) & 0xff)
#define	WIFSTOPPED(s)	(((s) & 0177) == 0177)
#define	WSTOPSIG(s)	(((s) >> 8) & 0xff)
#define	WIFCONTINUED(s)	((s) == 0x13)
#define	WIFSIGNALED(s)	(((s) & 0177) != 0177 && ((s) & 0177) != 0 && \
			    (s) != 0x13)
#define	WTERMSIG(s)	((s) & 0177)
#define	WCOREDUMP(s)	((s) & WCOREFLAG)

pid_t	wait(int *status);
pid_t	waitpid(pid_t pid, int *status, int options);

#endif /* !_KSIM_SHIM_SYS_WAIT_H_ */
