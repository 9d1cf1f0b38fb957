/*
 * Compile-check shim of FreeBSD's <sys/sysctl.h>: the MIB names for one
 * process's struct kinfo_proc, and the two lookup functions.
 */
#ifndef _KSIM_SHIM_SYS_SYSCTL_H_
#define	_KSIM_SHIM_SYS_SYSCTL_H_

#include <sys/types.h>

#define	CTL_KERN	1
#define	KERN_PROC	14
#define	KERN_PROC_PID	1

int	sysctl(const int *name, u_int namelen, void *oldp, size_t *oldlenp,
	    const void *newp, size_t newlen);
int	sysctlbyname(const char *name, void *oldp, size_t *oldlenp,
	    const void *newp, size_t newlen);

#endif /* !_KSIM_SHIM_SYS_SYSCTL_H_ */
