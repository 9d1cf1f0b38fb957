/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * ksim shim for <sys/sx.h>.  A shared/exclusive lock that records its
 * holders; misuse (unlocking an unheld lock, upgrading by relocking,
 * a failed sx_assert) is a panic.
 */

#ifndef _SYS_SX_H_
#define	_SYS_SX_H_

#include <sys/lock.h>

struct thread;

struct sx {
	const char	*lock_name;
	struct thread	*sx_xowner;	/* exclusive holder, or NULL */
	int		sx_shared;	/* number of shared holds */
};

#define	SA_UNLOCKED	LA_UNLOCKED
#define	SA_SLOCKED	LA_SLOCKED
#define	SA_XLOCKED	LA_XLOCKED
#define	SA_LOCKED	LA_LOCKED

void	_ksim_sx_slock(struct sx *sx, const char *file, int line);
void	_ksim_sx_xlock(struct sx *sx, const char *file, int line);
void	_ksim_sx_unlock(struct sx *sx, const char *file, int line);
void	_ksim_sx_assert(const struct sx *sx, int what, const char *file,
	    int line);

#define	sx_slock(sx)		_ksim_sx_slock((sx), __FILE__, __LINE__)
#define	sx_xlock(sx)		_ksim_sx_xlock((sx), __FILE__, __LINE__)
#define	sx_unlock(sx)		_ksim_sx_unlock((sx), __FILE__, __LINE__)
#define	sx_sunlock(sx)		_ksim_sx_unlock((sx), __FILE__, __LINE__)
#define	sx_xunlock(sx)		_ksim_sx_unlock((sx), __FILE__, __LINE__)
#define	sx_assert(sx, what)	_ksim_sx_assert((sx), (what), __FILE__, __LINE__)

#endif /* !_SYS_SX_H_ */
