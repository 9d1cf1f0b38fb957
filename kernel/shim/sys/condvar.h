/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * ksim shim for <sys/condvar.h>.  Sleeping and waking are the model's
 * business (a vfork parent is woken when its child's P_PPWAIT clears), so
 * a broadcast has nothing to do here.
 */

#ifndef _SYS_CONDVAR_H_
#define	_SYS_CONDVAR_H_

struct cv {
	const char	*cv_description;
};

#define	cv_broadcast(cvp)	do { (void)(cvp); } while (0)

#endif /* !_SYS_CONDVAR_H_ */
