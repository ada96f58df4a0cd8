package main

import (
	"strings"
	"testing"

	"github.com/kpic/kpic/internal/dashboard"

	"github.com/kpic/kpic/internal/definition"
	"github.com/kpic/kpic/internal/definition/definitiontest"
	"github.com/kpic/kpic/internal/output"
	"github.com/kpic/kpic/internal/promrules"
)

// BenchmarkBuild10000KPIs measures what `kpic build` does for 10,000 KPIs (and their 10,000
// metrics): load and validate the folder, run every compiler, and write the files into a fresh
// folder each time. It reports the files and megabytes written, the size of the scorecard and
// of the largest dashboard.
func BenchmarkBuild10000KPIs(b *testing.B) {
	dir, _ := definitions10000(b)
	var files []output.File
	for b.Loop() {
		files = loadCompile(b, dir)
		if err := output.Write(b.TempDir(), files); err != nil {
			b.Fatal(err)
		}
	}
	reportSizes(b, files)
}

// BenchmarkWriteEmpty10000KPIs is the floor of BenchmarkBuild10000KPIs that the file system
// sets: the same files written the same way into a fresh folder, each empty. Where creating a
// file is dear (a virtual machine's disk), it is most of the fresh build.
func BenchmarkWriteEmpty10000KPIs(b *testing.B) {
	dir, _ := definitions10000(b)
	files := loadCompile(b, dir)
	empty := make([]output.File, len(files))
	for i, f := range files {
		empty[i] = output.File{Path: f.Path}
	}
	for b.Loop() {
		if err := output.Write(b.TempDir(), empty); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(empty)), "files")
}

// BenchmarkLoadCompile10000KPIs is BenchmarkBuild10000KPIs without the writing: load and
// validate the folder and run every compiler, so disk noise does not hide the CPU work.
func BenchmarkLoadCompile10000KPIs(b *testing.B) {
	dir, _ := definitions10000(b)
	var files []output.File
	for b.Loop() {
		files = loadCompile(b, dir)
	}
	reportSizes(b, files)
}

// BenchmarkRebuild10000KPIs measures the common case in a GitOps repository: building again
// into a folder that already holds the previous build, where unchanged files are only read and
// compared. The first build happens before the timed loop.
func BenchmarkRebuild10000KPIs(b *testing.B) {
	dir, out := definitions10000(b)
	files := loadCompile(b, dir)
	if err := output.Write(out, files); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		files = loadCompile(b, dir)
		if err := output.Write(out, files); err != nil {
			b.Fatal(err)
		}
	}
	reportSizes(b, files)
}

// reportSizes reports what a build wrote.
func reportSizes(b *testing.B, files []output.File) {
	var total, scorecard, largest int
	for _, f := range files {
		total += len(f.Data)
		if f.Path == dashboard.ScorecardPath {
			scorecard = len(f.Data)
		}
		if strings.HasPrefix(f.Path, dashboard.Dir+"/") {
			largest = max(largest, len(f.Data))
		}
	}
	b.ReportMetric(float64(len(files)), "files")
	b.ReportMetric(float64(total)/1e6, "MB-written")
	b.ReportMetric(float64(scorecard)/1e6, "MB-scorecard")
	b.ReportMetric(float64(largest)/1e6, "MB-largest-dashboard")
}

// BenchmarkRules10000KPIs measures issue 2's part of the build for 10,000 KPIs: load and
// validate the folder, compile the Prometheus rules and write them.
func BenchmarkRules10000KPIs(b *testing.B) {
	dir, out := definitions10000(b)
	for b.Loop() {
		m := mustLoad(b, dir)
		files, err := promrules.Build(m)
		if err != nil {
			b.Fatal(err)
		}
		if err := output.Write(out, files); err != nil {
			b.Fatal(err)
		}
	}
}

// definitions10000 writes a folder of 10,000 generated KPIs and returns it with an output folder.
func definitions10000(b *testing.B) (dir, out string) {
	b.Helper()
	dir = b.TempDir()
	if err := definitiontest.Write(dir, 10000); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	return dir, b.TempDir()
}

// loadCompile loads the folder and runs every compiler, as kpic build does before writing.
func loadCompile(b *testing.B, dir string) []output.File {
	b.Helper()
	files, err := compile(mustLoad(b, dir), dir, nil)
	if err != nil {
		b.Fatal(err)
	}
	return files
}

func mustLoad(b *testing.B, dir string) *definition.Model {
	b.Helper()
	m, diags := definition.Load(dir)
	if diags.HasErrors() {
		b.Fatal(diags)
	}
	return m
}
