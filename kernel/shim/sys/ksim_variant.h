/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Several versions of the kernel code are linked into one ksim binary.
 * Each is compiled with -DKSIM_VARIANT_ID=<identifier>, and every global
 * function that a version defines is renamed here to <identifier>_<name>,
 * so the sources keep FreeBSD's names while the objects do not clash.
 * The shared runtime (the files in runtime/) is compiled without KSIM_VARIANT_ID and
 * keeps the plain names.
 */

#ifndef _SYS_KSIM_VARIANT_H_
#define	_SYS_KSIM_VARIANT_H_

#ifdef KSIM_VARIANT_ID
#define	KSIM_VCAT2(a, b)	a##_##b
#define	KSIM_VCAT(a, b)		KSIM_VCAT2(a, b)
#define	KSIM_VSYM(name)		KSIM_VCAT(KSIM_VARIANT_ID, name)

#define	kern_procctl		KSIM_VSYM(kern_procctl)
#define	sys_procctl		KSIM_VSYM(sys_procctl)
#define	freebsd32_procctl	KSIM_VSYM(freebsd32_procctl)
#define	p_cansee		KSIM_VSYM(p_cansee)
#define	p_candebug		KSIM_VSYM(p_candebug)
#define	p_cansignal		KSIM_VSYM(p_cansignal)
#define	cr_cansee		KSIM_VSYM(cr_cansee)
#define	cr_cansignal		KSIM_VSYM(cr_cansignal)
#define	cr_seeotheruids		KSIM_VSYM(cr_seeotheruids)
#define	cr_seeothergids		KSIM_VSYM(cr_seeothergids)
#define	do_fork			KSIM_VSYM(do_fork)
#define	do_execve_begin		KSIM_VSYM(do_execve_begin)
#define	do_execve_commit	KSIM_VSYM(do_execve_commit)
#define	sigexit			KSIM_VSYM(sigexit)
#define	coredump		KSIM_VSYM(coredump)
#define	ptrace_trace_me_check	KSIM_VSYM(ptrace_trace_me_check)
#define	ptrace_attach_check	KSIM_VSYM(ptrace_attach_check)
#endif

#endif /* !_SYS_KSIM_VARIANT_H_ */
