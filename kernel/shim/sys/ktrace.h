/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * ksim shim for <sys/ktrace.h>: the p_traceflag bits (FreeBSD's values).
 * The model traces one facility (system calls); what matters to the patch
 * is only whether p_traceflag is zero.
 */

#ifndef _SYS_KTRACE_H_
#define	_SYS_KTRACE_H_

#define	KTR_SYSCALL	1
#define	KTRFAC_SYSCALL	(1 << KTR_SYSCALL)
#define	KTRFAC_MASK	0x00ffffff
#define	KTRFAC_ROOT	0x80000000	/* root set this trace */
#define	KTRFAC_INHERIT	0x40000000	/* pass trace flags to children */

#endif /* !_SYS_KTRACE_H_ */
