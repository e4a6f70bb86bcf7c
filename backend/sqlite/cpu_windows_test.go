package sqlite_test

import "syscall"

// processCPU is the CPU time (user and system) the process used so far, in nanoseconds; 0 when
// the system cannot tell.
func processCPU() int64 {
	var creation, exit, kernel, user syscall.Filetime
	h, err := syscall.GetCurrentProcess()
	if err != nil || syscall.GetProcessTimes(h, &creation, &exit, &kernel, &user) != nil {
		return 0
	}
	ticks := func(f syscall.Filetime) int64 { return int64(f.HighDateTime)<<32 | int64(f.LowDateTime) }
	return (ticks(kernel) + ticks(user)) * 100 // FILETIME counts 100 ns
}
