/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * ksim shim for <sys/types.h>: the scalar types the modelled code uses.
 */

#ifndef _SYS_TYPES_H_
#define	_SYS_TYPES_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef	int32_t		pid_t;
typedef	uint32_t	uid_t;
typedef	uint32_t	gid_t;
typedef	int64_t		id_t;
typedef	int64_t		off_t;
typedef	unsigned int	u_int;
typedef	unsigned long	u_long;
typedef	uint64_t	rlim_t;

#endif /* !_SYS_TYPES_H_ */
