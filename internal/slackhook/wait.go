package slackhook

import (
	"context"
	"errors"
	"fmt"
	"net/url"
)

// Messages returns a copy of the messages received so far, oldest first.
func (r *Receiver) Messages() []Message {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Message(nil), r.messages...)
}

// Wait returns the first message, received before or after the call, for which match is true.
// It fails when ctx ends first; the error says how many messages were seen.
func (r *Receiver) Wait(ctx context.Context, match func(Message) bool) (Message, error) {
	seen := 0
	for {
		r.mu.Lock()
		msgs, changed := r.messages[seen:], r.changed
		r.mu.Unlock()
		for _, m := range msgs {
			if match(m) {
				return m, nil
			}
		}
		seen += len(msgs)
		select {
		case <-changed:
		case <-ctx.Done():
			return Message{}, &WaitError{Seen: seen, Err: ctx.Err()}
		}
	}
}

// WaitError reports a Wait that ended without a matching message.
type WaitError struct {
	Seen int
	Err  error
}

func (e *WaitError) Error() string {
	return fmt.Sprintf("wait for slack message: none matched among %d received: %v", e.Seen, e.Err)
}

func (e *WaitError) Unwrap() error { return e.Err }

// redact drops the URL from a client error, since a Slack webhook URL is a credential.
func redact(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}
