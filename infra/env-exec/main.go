// Command env-exec is the entrypoint Slipway puts in front of an app's own when the app has
// secret env vars: the values come as Swarm secrets (files, never part of any service or
// container spec), one per variable, at /run/secrets/slipway/<KEY>. It sets each as the variable
// KEY (file content verbatim) and then execs the app's original entrypoint and command, given as
// its arguments, in its own place: same PID (1), same signals, no process of its own left behind.
//
// Static and dependency-free, so it runs in any image (distroless, scratch); bind-mounted
// read-only into the container from each Swarm node ($SLIPWAY_DATA_DIR/bin/slipway-env-exec).
package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
)

const secretDir = "/run/secrets/slipway"

func fail(code int, format string, args ...any) {
	fmt.Fprintf(os.Stderr, "slipway env-exec: "+format+"\n", args...)
	os.Exit(code)
}

// validKey: what an env var key may be in Slipway (letters, digits, "_", not starting with a digit).
func validKey(key string) bool {
	for i, c := range key {
		letter := c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')
		if !letter && (i == 0 || c < '0' || c > '9') {
			return false
		}
	}
	return key != ""
}

func main() {
	entries, err := os.ReadDir(secretDir)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		fail(1, "cannot read %s: %v", secretDir, err)
	}
	for _, entry := range entries {
		key := entry.Name()
		if !validKey(key) {
			continue // not ours: only files named like a variable are read
		}
		value, err := os.ReadFile(filepath.Join(secretDir, key))
		if err != nil {
			fail(1, "cannot read the secret variable %s: %v", key, err)
		}
		if err := os.Setenv(key, string(value)); err != nil {
			fail(1, "cannot set %s: %v", key, err)
		}
	}
	if len(os.Args) < 2 {
		fail(127, "no command to run (the image has no ENTRYPOINT or CMD)")
	}
	// As Docker resolves an entrypoint: a name without "/" is looked up in PATH (the image's,
	// or one a variable set); a relative match through "." in PATH is taken as Docker takes it.
	path, err := exec.LookPath(os.Args[1])
	if err != nil && !errors.Is(err, exec.ErrDot) {
		fail(127, "%v", err)
	}
	if err := syscall.Exec(path, os.Args[1:], os.Environ()); err != nil {
		fail(126, "cannot exec %s: %v", os.Args[1], err)
	}
}
