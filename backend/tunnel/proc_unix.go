//go:build unix

package tunnel

import (
	"os/exec"
	"syscall"
)

// setProcAttr puts the child in a process group of its own, so stopping it reaches everything it
// started, and a terminal's Ctrl-C reaches Hooklens only (which then stops the tunnel itself).
func setProcAttr(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	setDeathSignal(cmd.SysProcAttr)
}

// terminate asks the child's process group to exit.
func terminate(cmd *exec.Cmd) { _ = syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM) }

// kill ends whatever is left of the child's process group.
func kill(cmd *exec.Cmd) { _ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
