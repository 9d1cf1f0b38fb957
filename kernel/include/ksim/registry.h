/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Every kernel variant linked into this binary (generated: variants.c).
 */

#ifndef _KSIM_REGISTRY_H_
#define	_KSIM_REGISTRY_H_

#include "ksim/kernel.h"

#ifdef __cplusplus
extern "C" {
#endif

struct ksim_variant_entry {
	const struct ksim_variant	*variant;
	const char			*kind;		/* "design" or "mutant" */
	const char			*description;
};

extern const struct ksim_variant_entry ksim_variant_table[];
extern const unsigned ksim_variant_count;

/* The entry of the variant with this name, or NULL (runtime/registry.c). */
const struct ksim_variant_entry *ksim_variant_find(const char *name);

#ifdef __cplusplus
}
#endif

#endif /* !_KSIM_REGISTRY_H_ */
