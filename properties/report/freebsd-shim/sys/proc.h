/*
 * Compile-check shim of the user-visible part of FreeBSD's <sys/proc.h>:
 * the process states kinfo_proc reports in ki_stat, and the p_flag bits
 * it reports in ki_flag.
 */
#ifndef _KSIM_SHIM_SYS_PROC_H_
#define	_KSIM_SHIM_SYS_PROC_H_

#define	SIDL	1
#define	SRUN	2
#define	SSLEEP	3
#define	SSTOP	4
#define	SZOMB	5
#define	SWAIT	6
#define	SLOCK	7

#define	P_PPWAIT		0x00010
#define	P_SUGID			0x00100
#define	P_SYSTEM		0x00200
#define	P_TRACED		0x00800
#define	P_WAITED		0x01000
#define	P_WEXIT			0x02000
#define	P_STOPPED_SIG		0x20000
#define	P_STOPPED_TRACE		0x40000
#define	P_INEXEC		0x4000000

#endif /* !_KSIM_SHIM_SYS_PROC_H_ */
