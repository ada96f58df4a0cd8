// Package slackhook is a local stand-in for a Slack incoming webhook: it accepts the JSON that
// Alertmanager's slack_configs (and other Slack clients) post, prints each message readably,
// keeps it for tests, and can forward it unchanged to a real Slack webhook.
package slackhook

import (
	"encoding/json"
	"fmt"
	"net/url"
	"time"
)

// Message is one received webhook post: Slack's incoming-webhook payload, decoded.
type Message struct {
	Channel     string       `json:"channel"`
	Username    string       `json:"username"`
	Text        string       `json:"text"`
	Attachments []Attachment `json:"attachments"`
	Blocks      []Block      `json:"blocks"`
	// Received is when the post arrived; Raw is its JSON as sent.
	Received time.Time `json:"-"`
	Raw      []byte    `json:"-"`
}

// Attachment is a legacy Slack attachment, what Alertmanager sends: a coloured bar with a title,
// text and fields.
type Attachment struct {
	Title     string  `json:"title"`
	TitleLink string  `json:"title_link"`
	Pretext   string  `json:"pretext"`
	Text      string  `json:"text"`
	Fallback  string  `json:"fallback"`
	Color     string  `json:"color"`
	Footer    string  `json:"footer"`
	Fields    []Field `json:"fields"`
}

// Field is a title and value shown in an attachment's table.
type Field struct {
	Title string `json:"title"`
	Value string `json:"value"`
	Short bool   `json:"short"`
}

// Block is a Block Kit block; only its text parts are kept.
type Block struct {
	Type   string       `json:"type"`
	Text   *TextObject  `json:"text"`
	Fields []TextObject `json:"fields"`
}

// TextObject is Block Kit text (plain_text or mrkdwn).
type TextObject struct {
	Type string `json:"type"`
	Text string `json:"text"`
}

// decode reads a payload posted as JSON or, like Slack also accepts, as a form field "payload".
func decode(body []byte, contentType string) (Message, error) {
	var m Message
	if contentType == "application/x-www-form-urlencoded" {
		form, err := url.ParseQuery(string(body))
		if err != nil {
			return m, fmt.Errorf("decode form payload: %w", err)
		}
		body = []byte(form.Get("payload"))
	}
	if err := json.Unmarshal(body, &m); err != nil {
		return m, fmt.Errorf("decode slack payload: %w", err)
	}
	if m.Text == "" && len(m.Attachments) == 0 && len(m.Blocks) == 0 {
		return m, fmt.Errorf("decode slack payload: no text, attachments or blocks")
	}
	m.Raw = body
	return m, nil
}

// Contains reports whether any visible text of the message (text, titles, attachment text, field
// titles and values, block text) contains s.
func (m Message) Contains(s string) bool {
	for _, part := range m.parts() {
		if containsFold(part, s) {
			return true
		}
	}
	return false
}

// parts lists the visible texts of the message.
func (m Message) parts() []string {
	out := []string{m.Text}
	for _, a := range m.Attachments {
		out = append(out, a.Title, a.Pretext, a.Text, a.Fallback, a.Footer)
		for _, f := range a.Fields {
			out = append(out, f.Title, f.Value)
		}
	}
	for _, b := range m.Blocks {
		if b.Text != nil {
			out = append(out, b.Text.Text)
		}
		for _, f := range b.Fields {
			out = append(out, f.Text)
		}
	}
	return out
}
