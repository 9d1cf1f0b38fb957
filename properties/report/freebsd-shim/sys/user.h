/*
 * Compile-check shim of FreeBSD's <sys/user.h>: struct kinfo_proc with
 * only the members the reproducers read.  FreeBSD's structure has many
 * more, in another order; a program compiled against this one must not be
 * run.
 */
#ifndef _KSIM_SHIM_SYS_USER_H_
#define	_KSIM_SHIM_SYS_USER_H_

#include <sys/types.h>
#include <signal.h>

#define	WMESGLEN	8
#define	COMMLEN		19

struct kinfo_proc {
	int		ki_structsize;
	pid_t		ki_pid;
	pid_t		ki_ppid;
	pid_t		ki_pgid;
	uid_t		ki_uid;
	uid_t		ki_ruid;
	sigset_t	ki_siglist;
	u_short		ki_xstat;
	char		ki_wmesg[WMESGLEN + 1];
	char		ki_comm[COMMLEN + 1];
	long		ki_flag;
	char		ki_stat;
};

#endif /* !_KSIM_SHIM_SYS_USER_H_ */
