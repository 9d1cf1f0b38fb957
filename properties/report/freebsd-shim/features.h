/*
 * Compile-check shim, not a FreeBSD header.  FreeBSD's headers expose
 * POSIX and BSD interfaces unless a program asks for less; glibc hides
 * them under -std=c11.  Ask glibc for its default set, then read its own
 * features.h.
 */
#ifndef _DEFAULT_SOURCE
#define	_DEFAULT_SOURCE	1
#endif
#include_next <features.h>
