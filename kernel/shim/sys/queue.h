/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * ksim shim for <sys/queue.h>: singly-linked LIST only.  Each element a
 * traversal visits is a unit of work (ksim_tick), so a list walk that
 * never ends is reported as a kernel hang instead of hanging ksim.
 */

#ifndef _SYS_QUEUE_H_
#define	_SYS_QUEUE_H_

#include "ksim/hooks.h"

#define	LIST_HEAD(name, type)						\
struct name {								\
	struct type *lh_first;						\
}

#define	LIST_ENTRY(type)						\
struct {								\
	struct type *le_next;						\
	struct type **le_prev;						\
}

#define	LIST_FIRST(head)	((head)->lh_first)
#define	LIST_NEXT(elm, field)	((elm)->field.le_next)
#define	LIST_EMPTY(head)	((head)->lh_first == NULL)

static inline int
_ksim_list_visit(const void *elm)
{

	if (elm != NULL)
		ksim_tick();
	return (elm != NULL);
}

#define	LIST_FOREACH(var, head, field)					\
	for ((var) = LIST_FIRST((head));				\
	    _ksim_list_visit(var);					\
	    (var) = LIST_NEXT((var), field))

#endif /* !_SYS_QUEUE_H_ */
