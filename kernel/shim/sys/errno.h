/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * ksim shim for <sys/errno.h>: FreeBSD's values (they differ from Linux's
 * for EAGAIN and ENOSYS, among others).
 */

#ifndef _SYS_ERRNO_H_
#define	_SYS_ERRNO_H_

#define	EPERM		1
#define	ESRCH		3
#define	ECHILD		10
#define	EFAULT		14
#define	EBUSY		16
#define	EINVAL		22
#define	EFBIG		27
#define	EAGAIN		35
#define	ENOSYS		78

#endif /* !_SYS_ERRNO_H_ */
