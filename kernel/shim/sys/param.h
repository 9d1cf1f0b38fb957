/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * ksim shim for <sys/param.h>.  Every kernel source includes it first, so
 * it also pulls in the per-variant symbol names (see sys/ksim_variant.h).
 */

#ifndef _SYS_PARAM_H_
#define	_SYS_PARAM_H_

#include <sys/types.h>
#include <sys/ksim_variant.h>

#define	nitems(x)	(sizeof((x)) / sizeof((x)[0]))

#endif /* !_SYS_PARAM_H_ */
