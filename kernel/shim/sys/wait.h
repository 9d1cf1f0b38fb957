/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * ksim shim for <sys/wait.h>: idtype_t with FreeBSD's numbering.
 */

#ifndef _SYS_WAIT_H_
#define	_SYS_WAIT_H_

typedef enum {
	P_PID,
	P_PPID,
	P_PGID,
	P_SID,
	P_CID,
	P_UID,
	P_GID,
	P_ALL
} idtype_t;

#endif /* !_SYS_WAIT_H_ */
