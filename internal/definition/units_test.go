package definition

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestAdviseUnits names what each unit word of a name gets told.
func TestAdviseUnits(t *testing.T) {
	for _, c := range []struct{ name, unit, rename string }{
		{"handle_time_hours", "", "name it handle_time_seconds and multiply the value by 3600"},
		{"queue_wait_minutes", "", "name it queue_wait_seconds and multiply the value by 60"},
		{"time_to_ship_days", "days", "name it time_to_ship_seconds and multiply the value by 86400, with unit seconds"},
		{"checkout_latency_milliseconds", "", "name it checkout_latency_seconds and divide the value by 1000"},
		{"render_microseconds", "", "name it render_seconds and divide the value by 1000000"},
		{"upload_kilobytes", "", "name it upload_bytes and multiply the value by 1000"},
		{"disk_gibibytes", "", "name it disk_bytes and multiply the value by 1073741824"},
		{"bandwidth_bits", "", "name it bandwidth_bytes and divide the value by 8"},
		{"oven_fahrenheit", "", "name it oven_celsius and convert the value"},
		{"page_load_ms", "", "name it page_load_seconds and divide the value by 1000"},
		{"response_s", "", "name it response_seconds"},
		{"attachment_kb_total", "", "name it attachment_bytes_total and multiply the value by 1000"},
		{"drive_m", "", "spell the unit out in its base unit, such as _seconds or _meters"},
		{"conversion_percent", "ratio", "name it conversion_ratio"},
		{"churn_pct", "ratio", "name it churn_ratio"},
	} {
		a, bad := adviseUnits(c.name, c.unit)
		if !bad || a.rename != c.rename {
			t.Errorf("%s (unit %q): got %v %q, want %q", c.name, c.unit, bad, a.rename, c.rename)
		}
	}
	for _, c := range []struct{ name, unit string }{
		{"first_response_seconds", "seconds"}, {"mrr_dollars", "dollars"}, {"revenue_pounds", "pounds"},
		{"buyers_90d", "count"}, {"signups_per_day", "count"}, {"conversion_percent", "percent"},
		{"s_orders", "count"}, {"storage_bytes", "bytes"}, {"churn_ratio", "ratio"},
	} {
		if a, bad := adviseUnits(c.name, c.unit); bad {
			t.Errorf("%s (unit %q): want no advice, got %q", c.name, c.unit, a.problem)
		}
	}
}

// TestAdviseUnitsAgreesWithPromtool exports a gauge per name and checks that promtool check
// metrics complains about its unit exactly when kpic does (kpic's own additions aside: a
// percentage named on a ratio, and pounds as a currency).
func TestAdviseUnitsAgreesWithPromtool(t *testing.T) {
	promtool := findPromtool(t)
	names := []string{
		"handle_time_hours", "wait_minutes", "ship_days", "age_weeks", "latency_milliseconds",
		"render_microseconds", "gc_nanoseconds", "upload_kilobytes", "disk_megabytes", "link_bits",
		"load_ms", "response_s", "cpu_sec", "mem_kb", "mem_mb", "uptime_h", "age_d", "drive_m",
		"first_response_seconds", "storage_bytes", "mrr_dollars", "churn_ratio", "buyers_90d",
		"signups_per_day", "nps_score", "active_customers",
	}
	var expo bytes.Buffer
	for _, n := range names {
		fmt.Fprintf(&expo, "# HELP business_%s x\n# TYPE business_%s gauge\nbusiness_%s 1\n", n, n, n)
	}
	cmd := exec.Command(promtool, "check", "metrics")
	cmd.Stdin = &expo
	out, _ := cmd.CombinedOutput() // exits non-zero when it has advice
	flagged := map[string]bool{}
	for _, line := range strings.Split(string(out), "\n") {
		name, problem, _ := strings.Cut(line, " ")
		if strings.Contains(problem, "unit") {
			flagged[strings.TrimPrefix(name, "business_")] = true
		}
	}
	for _, n := range names {
		if _, bad := adviseUnits(n, ""); bad != flagged[n] {
			t.Errorf("%s: kpic advises %v, promtool check metrics %v\npromtool said:\n%s", n, bad, flagged[n], out)
		}
	}
}

// findPromtool returns promtool's path, or skips (fails under CI=true) when it is missing.
func findPromtool(t *testing.T) string {
	t.Helper()
	path, err := exec.LookPath("promtool")
	if err == nil {
		return path
	}
	msg := "promtool not found: install Debian's prometheus package (apt-get install -y prometheus)"
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}
