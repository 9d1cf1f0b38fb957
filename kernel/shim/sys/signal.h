/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * ksim shim for the signal numbers and properties the model uses
 * (FreeBSD's values).
 */

#ifndef _SYS_SIGNAL_H_
#define	_SYS_SIGNAL_H_

#define	SIGHUP		1
#define	SIGINT		2
#define	SIGQUIT		3
#define	SIGTRAP		5
#define	SIGABRT		6
#define	SIGKILL		9
#define	SIGTERM		15
#define	SIGSTOP		17
#define	SIGCONT		19
#define	SIGCHLD		20
#define	SIGUSR1		30
#define	SIGUSR2		31
#define	_SIG_MAXSIG	128

#define	WCOREFLAG	0200
#define	W_EXITCODE(ret, sig)	((ret) << 8 | (sig))

#endif /* !_SYS_SIGNAL_H_ */
