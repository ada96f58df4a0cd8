// Package parallel runs independent steps of a build on every core, since a big model's
// compilers spend most of their time in loops whose iterations share nothing.
package parallel

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// Each calls f(0) to f(n-1) on every core, each index once, and returns when all returned.
func Each(n int, f func(i int)) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), n) {
		wg.Go(func() {
			for i := int(next.Add(1) - 1); i < n; i = int(next.Add(1) - 1) {
				f(i)
			}
		})
	}
	wg.Wait()
}
