package stack

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"time"
)

// FreeAddr returns a loopback address to listen on: the preferred port when it is free (so the
// URLs people bookmark keep working), otherwise one the kernel picks; 0 always picks.
func FreeAddr(preferred int) (string, error) {
	for _, port := range []int{preferred, 0} {
		l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
		if err != nil {
			continue
		}
		addr := l.Addr().String()
		if err := l.Close(); err != nil {
			return "", fmt.Errorf("find a free port: %w", err)
		}
		return addr, nil
	}
	return "", fmt.Errorf("find a free port: none free on 127.0.0.1")
}

// WaitHTTP polls url until it answers 200, the process exits, or ctx ends.
func WaitHTTP(ctx context.Context, url string, p *Proc) error {
	client := &http.Client{Timeout: 2 * time.Second}
	tick := time.NewTicker(200 * time.Millisecond)
	defer tick.Stop()
	for {
		if ok(client, url) {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("wait for %s at %s: %w; its log ends with:\n%s", p.Name, url, ctx.Err(), p.LogTail(15))
		case <-p.Done():
			return fmt.Errorf("%s exited (%s) before %s answered; its log ends with:\n%s", p.Name, p.ExitStatus(), url, p.LogTail(15))
		case <-tick.C:
		}
	}
}

func ok(client *http.Client, url string) bool {
	resp, err := client.Get(url)
	if err != nil {
		return false
	}
	_ = resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}
