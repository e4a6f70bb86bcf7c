package tunnel

import "os/exec"

// setProcAttr leaves the defaults: cloudflared starts no children of its own.
func setProcAttr(*exec.Cmd) {}

// terminate ends the child (Windows has no SIGTERM for console programs started this way).
func terminate(cmd *exec.Cmd) { _ = cmd.Process.Kill() }

// kill ends the child.
func kill(cmd *exec.Cmd) { _ = cmd.Process.Kill() }
