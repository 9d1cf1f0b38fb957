/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * ksim shim for the resource limits coredump() reads.  RLIMIT_CORE is
 * unlimited and the racct core budget is never exhausted in the model.
 */

#ifndef _SYS_RESOURCE_H_
#define	_SYS_RESOURCE_H_

#include <sys/types.h>

#define	RLIMIT_CORE	4
#define	RLIM_INFINITY	((rlim_t)(((uint64_t)1 << 63) - 1))
#define	RACCT_CORE	5

#define	lim_cur(p, which)		RLIM_INFINITY
#define	racct_get_available(p, r)	UINT64_MAX

#endif /* !_SYS_RESOURCE_H_ */
