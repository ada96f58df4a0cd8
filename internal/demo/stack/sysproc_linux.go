//go:build linux

package stack

import "syscall"

// sysProcAttr puts the child in its own process group and has the kernel kill it if this
// process dies without cleaning up (kill -9, a crash).
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}
