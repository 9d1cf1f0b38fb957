/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * ksim shim for the 32-bit compat procctl(2) arguments.  The 64-bit id
 * arrives as two 32-bit halves; data is a user pointer.
 */

#ifndef _FREEBSD32_PROTO_H_
#define	_FREEBSD32_PROTO_H_

#include <sys/types.h>

struct thread;

struct freebsd32_procctl_args {
	int		idtype;
	uint32_t	id1;
	uint32_t	id2;
	int		com;
	void		*data;
};

int	freebsd32_procctl(struct thread *td,
	    struct freebsd32_procctl_args *uap);

#endif /* !_FREEBSD32_PROTO_H_ */
