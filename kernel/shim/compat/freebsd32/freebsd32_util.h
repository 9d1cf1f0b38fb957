/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * ksim shim for the 32-bit compat helpers.
 */

#ifndef _FREEBSD32_UTIL_H_
#define	_FREEBSD32_UTIL_H_

#include <sys/types.h>

#define	PTRIN(v)	((void *)(uintptr_t)(v))
/* Little-endian halves, as on amd64. */
#define	PAIR32TO64(type, name)	((type)(name ## 2) << 32 | (type)(name ## 1))

#endif /* !_FREEBSD32_UTIL_H_ */
