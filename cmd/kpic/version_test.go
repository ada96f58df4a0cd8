package main

import (
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/prometheus/common/version"
)

// withVersion restores prometheus/common/version's variables after a test changes them.
func withVersion(t *testing.T, v, rev, date string) {
	t.Helper()
	old := [3]string{version.Version, version.Revision, version.BuildDate}
	version.Version, version.Revision, version.BuildDate = v, rev, date
	t.Cleanup(func() { version.Version, version.Revision, version.BuildDate = old[0], old[1], old[2] })
}

func TestVersionFallsBackOnBuildInformation(t *testing.T) {
	vcs := []debug.BuildSetting{{Key: "vcs.revision", Value: "0123abcd"}, {Key: "vcs.time", Value: "2026-11-30T10:00:00Z"}, {Key: "vcs.modified", Value: "true"}}
	tests := []struct {
		name                   string
		ldflags                [3]string
		info                   debug.BuildInfo
		wantV, wantRev, wantAt string
	}{
		{"go install of a tagged module shows its version", [3]string{},
			debug.BuildInfo{Main: debug.Module{Version: "v1.4.0"}}, "v1.4.0", "", ""},
		{"a go build in a checkout shows its commit and time", [3]string{},
			debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: vcs}, "devel", "0123abcd-modified", "2026-11-30T10:00:00Z"},
		{"ldflags win over build information", [3]string{"v2.0.0", "feedbeef", "today"},
			debug.BuildInfo{Main: debug.Module{Version: "v1.4.0"}, Settings: vcs}, "v2.0.0", "feedbeef", "today"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			withVersion(t, tt.ldflags[0], tt.ldflags[1], tt.ldflags[2])
			stampVersion(&tt.info, true)
			if version.Version != tt.wantV || version.Revision != tt.wantRev || version.BuildDate != tt.wantAt {
				t.Errorf("got %q %q %q, want %q %q %q", version.Version, version.Revision, version.BuildDate, tt.wantV, tt.wantRev, tt.wantAt)
			}
		})
	}
}

func TestVersionCommandPrintsTheStampedVersion(t *testing.T) {
	withVersion(t, "", "", "")
	stampVersion(&debug.BuildInfo{Main: debug.Module{Version: "v1.4.0"}}, true)
	code, stdout, _ := kpic(t, "version")
	if code != 0 || !strings.HasPrefix(stdout, "kpic, version v1.4.0 ") {
		t.Errorf("exit %d:\n%s", code, stdout)
	}
}

// TestAPlainGoBuildHasAVersion builds the real binary without ldflags, as go build and go
// install do, and checks that it does not report an empty version.
func TestAPlainGoBuildHasAVersion(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "kpic")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	out, err := exec.Command(bin, "version").Output()
	if err != nil {
		t.Fatal(err)
	}
	if strings.HasPrefix(string(out), "kpic, version  ") || !strings.HasPrefix(string(out), "kpic, version ") {
		t.Errorf("empty version:\n%s", out)
	}
}
