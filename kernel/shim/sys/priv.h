/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * ksim shim for <sys/priv.h>.  The numbers are only identifiers here;
 * PRIV_DEBUG_* match FreeBSD's (80-83).  The policy (runtime/kern.c) is
 * the 2014 superuser policy: euid 0 holds every privilege, nobody else
 * holds any.  Jails and MAC are not modelled.
 */

#ifndef _SYS_PRIV_H_
#define	_SYS_PRIV_H_

#define	PRIV_KTRACE		14	/* Can set KTRFAC_ROOT on a trace. */
#define	PRIV_SEEOTHERGIDS	60	/* Exempt bsd.seeothergids. */
#define	PRIV_SEEOTHERUIDS	61	/* Exempt bsd.seeotheruids. */
#define	PRIV_DEBUG_DIFFCRED	80	/* Exempt debugging other users. */
#define	PRIV_DEBUG_SUGID	81	/* Exempt debugging setuid proc. */
#define	PRIV_DEBUG_UNPRIV	82	/* Exempt unprivileged debug limit. */
#define	PRIV_DEBUG_DENIED	83	/* Exempt P2_NOTRACE. */
#define	PRIV_SIGNAL_DIFFCRED	100	/* Exempt signalling other users. */
#define	PRIV_SIGNAL_SUGID	101	/* Non-conserv signal setuid proc. */

struct thread;
struct ucred;

int	priv_check(struct thread *td, int priv);
int	priv_check_cred(struct ucred *cred, int priv, int flags);

#endif /* !_SYS_PRIV_H_ */
