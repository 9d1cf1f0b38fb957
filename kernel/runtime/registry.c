/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Looking a variant up by name in the generated table (variants.c).
 */

#include <stddef.h>
#include <string.h>

#include "ksim/registry.h"

const struct ksim_variant_entry *
ksim_variant_find(const char *name)
{
	unsigned i;

	for (i = 0; i < ksim_variant_count; i++)
		if (strcmp(ksim_variant_table[i].variant->name, name) == 0)
			return (&ksim_variant_table[i]);
	return (NULL);
}
