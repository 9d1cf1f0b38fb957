/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * ksim shim for <sys/ucred.h>: only the members the modelled code reads.
 * Every process has its own credential; there are no supplementary groups,
 * so cr_groups[0] (the effective gid) is the whole group set.
 */

#ifndef _SYS_UCRED_H_
#define	_SYS_UCRED_H_

#include <sys/types.h>

struct ucred {
	uid_t	cr_uid;			/* effective user id */
	uid_t	cr_ruid;		/* real user id */
	uid_t	cr_svuid;		/* saved user id */
	int	cr_ngroups;		/* number of groups */
	gid_t	cr_rgid;		/* real group id */
	gid_t	cr_svgid;		/* saved group id */
	gid_t	cr_groups[1];		/* groups; [0] is the egid */
};
#define	cr_gid	cr_groups[0]

#endif /* !_SYS_UCRED_H_ */
