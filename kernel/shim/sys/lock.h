/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * ksim shim for <sys/lock.h>: the assertion kinds.
 */

#ifndef _SYS_LOCK_H_
#define	_SYS_LOCK_H_

#define	LA_UNLOCKED	0x00000000
#define	LA_SLOCKED	0x00000001
#define	LA_XLOCKED	0x00000002
#define	LA_LOCKED	(LA_SLOCKED | LA_XLOCKED)

#define	MA_OWNED	LA_XLOCKED
#define	MA_NOTOWNED	LA_UNLOCKED

#endif /* !_SYS_LOCK_H_ */
