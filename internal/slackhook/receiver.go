package slackhook

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime"
	"net/http"
	"sync"
	"time"
)

// maxBody bounds one post; Slack itself refuses payloads much smaller than this.
const maxBody = 1 << 20

// Receiver is an http.Handler that accepts Slack incoming-webhook posts. It is safe for
// concurrent use.
type Receiver struct {
	out     io.Writer
	forward string
	client  *http.Client

	mu       sync.Mutex
	messages []Message
	changed  chan struct{} // closed and replaced whenever a message arrives
}

// New returns a Receiver that prints each message to out (nil prints nothing) and, when
// forwardURL is set, posts the raw body on to that real Slack webhook.
func New(out io.Writer, forwardURL string) *Receiver {
	return &Receiver{out: out, forward: forwardURL, client: &http.Client{Timeout: 10 * time.Second},
		changed: make(chan struct{})}
}

// ServeHTTP answers like Slack: 200 "ok" for a valid post, 400 "invalid_payload" otherwise.
func (r *Receiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	if req.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, req.Body, maxBody))
	if err != nil {
		http.Error(w, "invalid_payload", http.StatusBadRequest)
		return
	}
	ct, _, _ := mime.ParseMediaType(req.Header.Get("Content-Type"))
	m, err := decode(body, ct)
	if err != nil {
		r.logf("slackhook: %v\n", err)
		http.Error(w, "invalid_payload", http.StatusBadRequest)
		return
	}
	m.Received = time.Now()
	r.record(m)
	r.forwardRaw(req.Context(), m.Raw)
	_, _ = io.WriteString(w, "ok")
}

// record keeps the message, prints it and wakes waiters.
func (r *Receiver) record(m Message) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.messages = append(r.messages, m)
	if r.out != nil {
		_ = Print(r.out, m)
	}
	close(r.changed)
	r.changed = make(chan struct{})
}

// forwardRaw posts the body to the real Slack webhook; a failure is printed, not returned, so a
// Slack outage never makes Alertmanager resend what the terminal already showed.
func (r *Receiver) forwardRaw(ctx context.Context, body []byte) {
	if r.forward == "" {
		return
	}
	if err := r.post(ctx, body); err != nil {
		r.logf("slackhook: forward to slack: %v\n", err)
	}
}

func (r *Receiver) post(ctx context.Context, body []byte) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, r.forward, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("build request: %w", err) // the URL is a secret: never print it
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := r.client.Do(req)
	if err != nil {
		return fmt.Errorf("post: %w", redact(err))
	}
	defer func() { _ = resp.Body.Close() }()
	if resp.StatusCode/100 != 2 {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 256))
		return fmt.Errorf("slack answered %s: %s", resp.Status, bytes.TrimSpace(msg))
	}
	return nil
}

func (r *Receiver) logf(format string, args ...any) {
	if r.out == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	fmt.Fprintf(r.out, format, args...)
}
