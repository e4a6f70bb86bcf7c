package tunnel

import "syscall"

// setDeathSignal has the kernel kill the child if Hooklens dies without stopping it.
func setDeathSignal(a *syscall.SysProcAttr) { a.Pdeathsig = syscall.SIGKILL }
