/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * ksim shim for <sys/mutex.h>.  Mutexes record their owner so that lock
 * assertions are checked exactly as WITNESS/INVARIANTS would: recursion on
 * a non-recursive mutex and unlocking a mutex one does not own are panics
 * on every kernel (ksim does not model the lock a production kernel would
 * then corrupt); a failed mtx_assert() is a panic under INVARIANTS and,
 * compiled out on a production kernel, a recorded finding.
 */

#ifndef _SYS_MUTEX_H_
#define	_SYS_MUTEX_H_

#include <sys/lock.h>

struct thread;

struct mtx {
	const char	*lock_name;
	struct thread	*mtx_owner;	/* NULL when unowned */
};

void	_ksim_mtx_lock(struct mtx *m, const char *file, int line);
void	_ksim_mtx_unlock(struct mtx *m, const char *file, int line);
void	_ksim_mtx_assert(const struct mtx *m, int what, const char *file,
	    int line);

#define	mtx_lock(m)		_ksim_mtx_lock((m), __FILE__, __LINE__)
#define	mtx_unlock(m)		_ksim_mtx_unlock((m), __FILE__, __LINE__)
#define	mtx_assert(m, what)	_ksim_mtx_assert((m), (what), __FILE__, __LINE__)

#endif /* !_SYS_MUTEX_H_ */
