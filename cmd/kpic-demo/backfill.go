//go:build unix

package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"time"
)

// backfillRulesInterval is the step the demo records its year of rules at: 5m keeps graphs
// continuous with Prometheus' 5m lookback and the start of the demo around a minute, where the
// groups' own 30s would take an hour (docs/backfill.md, --rules.interval).
const backfillRulesInterval = "5m"

// backfill writes a year of the demo's history into Prometheus' data folder before it starts,
// so its dashboards open on a year of gauges and KPIs. A failure is printed and the demo goes on
// without history.
func (s *session) backfill(ctx context.Context, data string) {
	from := time.Now().UTC().AddDate(-1, 0, 0).Format(time.DateOnly)
	fmt.Fprintf(s.out, "Backfilling a year of history into Prometheus (kpic backfill --from=%s) ...", from)
	start := time.Now()
	cmd := exec.CommandContext(ctx, s.c.kpic, "backfill", "--from="+from, "--out="+data,
		"--rules.interval="+backfillRulesInterval, "--block-duration=96h", s.c.kpis)
	cmd.Env = append(os.Environ(), "KPIC_DEMO_DB="+s.db)
	msg, err := cmd.CombinedOutput()
	if err != nil {
		fmt.Fprintf(s.out, " failed (%v), the demo starts without history:\n%s", err, msg)
		return
	}
	fmt.Fprintf(s.out, " done in %.0fs.\n", time.Since(start).Seconds())
}
