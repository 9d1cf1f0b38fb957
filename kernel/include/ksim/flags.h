/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The FreeBSD constants the model (C++) needs, under KSIM_ names so that
 * C++ never includes the kernel shims.  runtime/constants.c checks at
 * compile time that each equals the shim's own definition.
 */

#ifndef _KSIM_FLAGS_H_
#define	_KSIM_FLAGS_H_

#define	KSIM_P_PPWAIT		0x00010
#define	KSIM_P_SUGID		0x00100
#define	KSIM_P_SYSTEM		0x00200
#define	KSIM_P_TRACED		0x00800
#define	KSIM_P_WAITED		0x01000
#define	KSIM_P_WEXIT		0x02000
#define	KSIM_P_EXEC		0x04000
#define	KSIM_P_STOPPED_SIG	0x20000
#define	KSIM_P_STOPPED_TRACE	0x40000
#define	KSIM_P_INEXEC		0x4000000
#define	KSIM_P_INMEM		0x10000000
#define	KSIM_P_PPTRACE		0x80000000u

/* p_treeflag: the process reaps its orphaned descendants (procctl(2)). */
#define	KSIM_P_TREE_REAPER	0x00000004

#define	KSIM_P2_NOTRACE		0x00000002
#define	KSIM_P2_NOTRACE_EXEC	0x00000004
/*
 * Today's PT_ATTACH (~2019 on): the attach's SIGSTOP is taken before any
 * other pending signal; cleared when the process stops for its debugger.
 */
#define	KSIM_P2_PTRACE_FSTP	0x00000010

#define	KSIM_KTRFAC_SYSCALL	0x00000002
#define	KSIM_KTRFAC_MASK	0x00ffffff
#define	KSIM_KTRFAC_ROOT	0x80000000u
#define	KSIM_KTRFAC_INHERIT	0x40000000

#define	KSIM_EPERM		1
#define	KSIM_ESRCH		3
#define	KSIM_EBADF		9
#define	KSIM_ECHILD		10
#define	KSIM_EFAULT		14
#define	KSIM_EBUSY		16
#define	KSIM_EINVAL		22
#define	KSIM_EFBIG		27
#define	KSIM_EAGAIN		35
#define	KSIM_ENOSYS		78

#define	KSIM_SIGINT		2
#define	KSIM_SIGQUIT		3
#define	KSIM_SIGTRAP		5
#define	KSIM_SIGABRT		6
#define	KSIM_SIGKILL		9
#define	KSIM_SIGTERM		15
#define	KSIM_SIGSTOP		17
#define	KSIM_SIGCONT		19
#define	KSIM_SIGUSR1		30
#define	KSIM_SIGUSR2		31

#define	KSIM_P_PID		0
#define	KSIM_P_PGID		2

#define	KSIM_PROC_TRACE_SET_ENABLED	1
#define	KSIM_PROC_TRACE_SET_DISABLED	2
#define	KSIM_PROC_TRACE_SET_DISABLED_EXEC 3

/* The reaper requests of procctl(2) and their flags (sys/procctl.h). */
#define	KSIM_PROC_REAP_ACQUIRE	2
#define	KSIM_PROC_REAP_RELEASE	3
#define	KSIM_PROC_REAP_STATUS	4
#define	KSIM_PROC_REAP_GETPIDS	5
#define	KSIM_PROC_REAP_KILL	6
#define	KSIM_REAPER_STATUS_OWNED	0x00000001
#define	KSIM_REAPER_STATUS_REALINIT	0x00000002
#define	KSIM_REAPER_KILL_CHILDREN	0x00000001
#define	KSIM_REAPER_KILL_SUBTREE	0x00000002
#define	KSIM_SIG_MAXSIG		128

#define	KSIM_PRIV_NONE		0

#endif /* !_KSIM_FLAGS_H_ */
