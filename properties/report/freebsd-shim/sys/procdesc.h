/*
 * Compile-check shim of FreeBSD's <sys/procdesc.h>: pdfork(2), which the
 * reproducers call, with FreeBSD's prototype.
 */
#ifndef _KSIM_SHIM_SYS_PROCDESC_H_
#define	_KSIM_SHIM_SYS_PROCDESC_H_

#include <sys/types.h>

pid_t	pdfork(int *fdp, int flags);

#endif /* !_KSIM_SHIM_SYS_PROCDESC_H_ */
