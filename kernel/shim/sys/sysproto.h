/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * ksim shim for <sys/sysproto.h>: the procctl(2) argument structure.
 */

#ifndef _SYS_SYSPROTO_H_
#define	_SYS_SYSPROTO_H_

#include <sys/types.h>
#include <sys/wait.h>

struct thread;

struct procctl_args {
	idtype_t	idtype;
	id_t		id;
	int		com;
	void		*data;
};

int	sys_procctl(struct thread *td, struct procctl_args *uap);
int	kern_procctl(struct thread *td, idtype_t idtype, id_t id, int com,
	    void *data);

#endif /* !_SYS_SYSPROTO_H_ */
