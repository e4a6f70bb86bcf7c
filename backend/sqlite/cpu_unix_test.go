//go:build unix

package sqlite_test

import "syscall"

// processCPU is the CPU time (user and system) the process used so far, in nanoseconds; 0 when
// the system cannot tell.
func processCPU() int64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}
