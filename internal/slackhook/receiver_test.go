package slackhook

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current output")

// alertmanagerPayload is a post in the shape Alertmanager's slack_configs sends.
func alertmanagerPayload(t *testing.T) []byte {
	t.Helper()
	data, err := os.ReadFile("testdata/alertmanager.json")
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func post(t *testing.T, h http.Handler, method, contentType string, body []byte) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, "/", bytes.NewReader(body))
	req.Header.Set("Content-Type", contentType)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func TestServeHTTPAnswersLikeSlack(t *testing.T) {
	form := url.Values{"payload": {`{"text":"hello from a form"}`}}.Encode()
	tests := []struct {
		name        string
		method, ct  string
		body        string
		code        int
		answer      string
		recordedNow int
	}{
		{"an Alertmanager post is accepted and recorded", "POST", "application/json", string(alertmanagerPayload(t)), 200, "ok", 1},
		{"a plain text message is accepted", "POST", "application/json", `{"text":"deploy done"}`, 200, "ok", 1},
		{"a Block Kit message is accepted", "POST", "application/json", `{"blocks":[{"type":"section","text":{"type":"mrkdwn","text":"*hi*"}}]}`, 200, "ok", 1},
		{"a form-encoded payload is accepted", "POST", "application/x-www-form-urlencoded", form, 200, "ok", 1},
		{"a GET is refused", "GET", "", "", 405, "method not allowed", 0},
		{"a body that is not JSON is an invalid payload", "POST", "application/json", "{", 400, "invalid_payload", 0},
		{"a message with nothing to show is an invalid payload", "POST", "application/json", `{"channel":"#x"}`, 400, "invalid_payload", 0},
		{"a body over 1 MiB is an invalid payload", "POST", "application/json", `{"text":"` + strings.Repeat("x", maxBody) + `"}`, 400, "invalid_payload", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := New(nil, "")
			rec := post(t, r, tt.method, tt.ct, []byte(tt.body))
			if rec.Code != tt.code || strings.TrimSpace(rec.Body.String()) != tt.answer {
				t.Errorf("got %d %q, want %d %q", rec.Code, rec.Body.String(), tt.code, tt.answer)
			}
			if got := len(r.Messages()); got != tt.recordedNow {
				t.Errorf("recorded %d messages, want %d", got, tt.recordedNow)
			}
		})
	}
}

func TestPrintShowsAlertmanagerMessagesReadably(t *testing.T) {
	m, err := decode(alertmanagerPayload(t), "application/json")
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := Print(&out, m); err != nil {
		t.Fatal(err)
	}
	golden := "testdata/alertmanager.golden"
	if *update {
		if err := os.WriteFile(golden, out.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if out.String() != string(want) {
		t.Errorf("printed:\n%s\nwant (%s):\n%s", out.String(), golden, want)
	}
}

func TestContainsSearchesEveryVisibleText(t *testing.T) {
	m, err := decode(alertmanagerPayload(t), "application/json")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"churn rate", "0.0898", "0.05", "wiki.example.com/kpis/churn", "status", "FIRING"} {
		if !m.Contains(s) {
			t.Errorf("Contains(%q) = false, want true", s)
		}
	}
	if m.Contains("RESOLVED") {
		t.Error(`Contains("RESOLVED") = true on a firing message`)
	}
}

// syncBuffer is a bytes.Buffer safe to read while the handler writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestForwardSendsTheRawBodyToSlack(t *testing.T) {
	got := make(chan []byte, 1)
	slack := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		got <- body
		_, _ = io.WriteString(w, "ok")
	}))
	defer slack.Close()
	payload := alertmanagerPayload(t)
	if rec := post(t, New(nil, slack.URL+"/services/T/B/secret"), "POST", "application/json", payload); rec.Code != 200 {
		t.Fatalf("got %d, want 200", rec.Code)
	}
	if body := <-got; !bytes.Equal(body, payload) {
		t.Errorf("forwarded %q, want the posted body unchanged", body)
	}
}

func TestForwardFailureIsPrintedWithoutTheURL(t *testing.T) {
	slack := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "invalid_token", http.StatusForbidden)
	}))
	defer slack.Close()
	var out syncBuffer
	rec := post(t, New(&out, slack.URL+"/services/T/B/secret"), "POST", "application/json", []byte(`{"text":"x"}`))
	if rec.Code != 200 {
		t.Errorf("got %d, want 200: the message was shown locally", rec.Code)
	}
	if s := out.String(); !strings.Contains(s, "invalid_token") || strings.Contains(s, "secret") {
		t.Errorf("output %q should name Slack's answer and never the webhook URL", s)
	}
}

func TestWaitReturnsAMessageThatArrivesLater(t *testing.T) {
	r := New(nil, "")
	go func() {
		time.Sleep(20 * time.Millisecond)
		post(t, r, "POST", "application/json", []byte(`{"text":"first"}`))
		post(t, r, "POST", "application/json", alertmanagerPayload(t))
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	m, err := r.Wait(ctx, func(m Message) bool { return m.Contains("churn") })
	if err != nil || m.Channel != "#growth-kpis" {
		t.Fatalf("Wait = %q, %v; want the churn message", m.Channel, err)
	}
}

func TestWaitFailsWhenNothingMatchesInTime(t *testing.T) {
	r := New(nil, "")
	post(t, r, "POST", "application/json", []byte(`{"text":"unrelated"}`))
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err := r.Wait(ctx, func(m Message) bool { return m.Contains("churn") })
	var we *WaitError
	if !errors.As(err, &we) || we.Seen != 1 || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Wait error = %v, want a WaitError having seen 1 message, wrapping the deadline", err)
	}
}
