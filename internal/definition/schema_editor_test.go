package definition

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestSchemaInTheYAMLLanguageServer opens definitions in the YAML language server (what VS Code's
// YAML extension, Neovim and Helix run) with the committed schema named by a modeline, as the
// README says, and checks what an editor shows: no problem on the demo's files, the mistakes of
// a broken file underlined, a field's description on hover, and the fields of a metric offered
// for completion.
func TestSchemaInTheYAMLLanguageServer(t *testing.T) {
	server := findLanguageServer(t)
	kpis, err := filepath.Abs("../../kpis")
	if err != nil {
		t.Fatal(err)
	}
	// The README's modeline: a path relative to the file, here kpis/ beside schema/.
	modeline := "# yaml-language-server: $schema=../schema/kpic.schema.json\n"
	c := startLSP(t, server, kpis)
	defer c.close()

	for _, file := range definitionFiles(t, "../../kpis") {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if diags := c.diagnose(t, modeline+string(data)); len(diags) > 0 {
			t.Errorf("%s: the editor shows problems in a valid file: %v", file, diags)
		}
	}

	broken := modeline + `metrics:
  - name: signups
    help: Sign-ups.
    source: shop
    labls: [plan]
    unit: dolars
    interval: fast
    query: SELECT count(*) AS value FROM users
kpis:
  - name: mrr
    objective: grow
    owner: growth
    query: SELECT 1 AS value
    ratio: {numerator: a, denominator: b}
    source: shop
    target: {direction: up, value: 1}
`
	got := strings.Join(c.diagnose(t, broken), "\n")
	for _, want := range []string{"labls", `"dollars"`, "a duration like 30s, 5m, 1h30m or 7d", "Matches multiple schemas", `"higher"`} {
		if !strings.Contains(got, want) {
			t.Errorf("the editor's problems do not mention %q:\n%s", want, got)
		}
	}

	doc := modeline + "metrics:\n  - name: signups\n    interval: 5m\n    \n"
	if hover := c.hover(t, doc, 3, 6); !strings.Contains(strings.ReplaceAll(hover, `\\`, ""), fieldSpecs["Metric.interval"].doc) {
		t.Errorf("hover on interval shows %q, want its description", hover)
	}
	if items := c.complete(t, doc, 4, 4); !strings.Contains(items, "series_limit") || !strings.Contains(items, "query") {
		t.Errorf("completion in a metric offers %s, want its fields", items)
	}
}

// findLanguageServer returns yaml-language-server's path, or skips (fails under CI=true).
func findLanguageServer(t *testing.T) string {
	t.Helper()
	path, err := exec.LookPath("yaml-language-server")
	if err == nil {
		return path
	}
	msg := "yaml-language-server not found: npm install -g yaml-language-server@2.0.0"
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

// lsp is a minimal Language Server Protocol client over the server's stdio.
type lsp struct {
	cmd     *exec.Cmd
	in      io.WriteCloser
	mu      sync.Mutex
	nextID  int
	replies map[int]chan json.RawMessage
	diags   chan published
	docs    int
	dir     string
}

type published struct {
	URI         string `json:"uri"`
	Diagnostics []struct {
		Message string `json:"message"`
	} `json:"diagnostics"`
}

// startLSP starts the server; the documents it is given are named as files of dir.
func startLSP(t *testing.T, server, dir string) *lsp {
	t.Helper()
	cmd := exec.Command(server, "--stdio")
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	c := &lsp{cmd: cmd, in: in, dir: dir, replies: map[int]chan json.RawMessage{}, diags: make(chan published, 64)}
	go c.read(bufio.NewReader(out))
	root := (&url.URL{Scheme: "file", Path: t.TempDir()}).String()
	c.call(t, "initialize", map[string]any{"processId": os.Getpid(), "rootUri": root, "capabilities": map[string]any{
		"textDocument": map[string]any{"hover": map[string]any{"contentFormat": []string{"plaintext"}}},
	}})
	c.notify("initialized", map[string]any{})
	c.notify("workspace/didChangeConfiguration", map[string]any{"settings": lspSettings()})
	return c
}

func lspSettings() map[string]any {
	return map[string]any{"yaml": map[string]any{"validate": true, "hover": true, "completion": true, "schemaStore": map[string]any{"enable": false}}}
}

func (c *lsp) close() {
	c.in.Close()
	c.cmd.Process.Kill() //nolint:errcheck // the server has no state worth a clean exit
	c.cmd.Wait()         //nolint:errcheck // killed
}

// send writes one JSON-RPC message with its Content-Length header.
func (c *lsp) send(msg map[string]any) {
	msg["jsonrpc"] = "2.0"
	body, _ := json.Marshal(msg)
	c.mu.Lock()
	defer c.mu.Unlock()
	fmt.Fprintf(c.in, "Content-Length: %d\r\n\r\n%s", len(body), body)
}

func (c *lsp) notify(method string, params any) {
	c.send(map[string]any{"method": method, "params": params})
}

// call sends a request and waits for its result.
func (c *lsp) call(t *testing.T, method string, params any) json.RawMessage {
	t.Helper()
	c.mu.Lock()
	c.nextID++
	id := c.nextID
	reply := make(chan json.RawMessage, 1)
	c.replies[id] = reply
	c.mu.Unlock()
	c.send(map[string]any{"id": id, "method": method, "params": params})
	select {
	case r := <-reply:
		return r
	case <-time.After(30 * time.Second):
		t.Fatalf("no answer to %s", method)
		return nil
	}
}

// read dispatches the server's messages: replies, diagnostics, and its own requests.
func (c *lsp) read(r *bufio.Reader) {
	for {
		body, err := readMessage(r)
		if err != nil {
			return
		}
		var msg struct {
			ID     *json.RawMessage `json:"id"`
			Method string           `json:"method"`
			Params json.RawMessage  `json:"params"`
			Result json.RawMessage  `json:"result"`
		}
		if json.Unmarshal(body, &msg) != nil {
			continue
		}
		switch {
		case msg.Method == "textDocument/publishDiagnostics":
			var p published
			if json.Unmarshal(msg.Params, &p) == nil {
				c.diags <- p
			}
		case msg.Method != "" && msg.ID != nil:
			c.answer(*msg.ID, msg.Method, msg.Params)
		case msg.ID != nil:
			var id int
			if json.Unmarshal(*msg.ID, &id) == nil {
				c.mu.Lock()
				reply := c.replies[id]
				c.mu.Unlock()
				if reply != nil {
					reply <- msg.Result
				}
			}
		}
	}
}

// answer replies to the server's requests: settings for workspace/configuration, null otherwise.
func (c *lsp) answer(id json.RawMessage, method string, params json.RawMessage) {
	var result any
	if method == "workspace/configuration" {
		var p struct {
			Items []struct {
				Section string `json:"section"`
			} `json:"items"`
		}
		json.Unmarshal(params, &p) //nolint:errcheck // an empty list answers nothing
		items := []any{}
		for _, it := range p.Items {
			v := lspSettings()["yaml"]
			if it.Section != "yaml" {
				v = nil
			}
			items = append(items, v)
		}
		result = items
	}
	c.send(map[string]any{"id": id, "result": result})
}

func readMessage(r *bufio.Reader) ([]byte, error) {
	length := -1
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return nil, err
		}
		line = strings.TrimSpace(line)
		if line == "" {
			break
		}
		if v, ok := strings.CutPrefix(line, "Content-Length: "); ok {
			length, _ = strconv.Atoi(v)
		}
	}
	if length < 0 {
		return nil, fmt.Errorf("message without Content-Length")
	}
	body := make([]byte, length)
	_, err := io.ReadFull(r, body)
	return body, err
}

// open opens text as a new document and returns its URI.
func (c *lsp) open(text string) string {
	c.docs++
	uri := (&url.URL{Scheme: "file", Path: filepath.ToSlash(filepath.Join(c.dir, fmt.Sprintf("editor-test-%d.yaml", c.docs)))}).String()
	c.notify("textDocument/didOpen", map[string]any{"textDocument": map[string]any{
		"uri": uri, "languageId": "yaml", "version": 1, "text": text}})
	return uri
}

// diagnose opens text and returns the messages the server publishes for it.
func (c *lsp) diagnose(t *testing.T, text string) []string {
	t.Helper()
	uri := c.open(text)
	deadline := time.After(30 * time.Second)
	for {
		select {
		case p := <-c.diags:
			if p.URI != uri {
				continue
			}
			var out []string
			for _, d := range p.Diagnostics {
				out = append(out, d.Message)
			}
			return out
		case <-deadline:
			t.Fatalf("no diagnostics for %s", uri)
			return nil
		}
	}
}

func (c *lsp) position(uri string, line, char int) map[string]any {
	return map[string]any{"textDocument": map[string]any{"uri": uri}, "position": map[string]any{"line": line, "character": char}}
}

// hover returns what the server shows over line:char of text (both from 0).
func (c *lsp) hover(t *testing.T, text string, line, char int) string {
	t.Helper()
	uri := c.open(text)
	c.diagnose(t, "") // the server validates documents in order: wait until it has read this one
	return string(c.call(t, "textDocument/hover", c.position(uri, line, char)))
}

// complete returns the completion items the server offers at line:char of text.
func (c *lsp) complete(t *testing.T, text string, line, char int) string {
	t.Helper()
	uri := c.open(text)
	c.diagnose(t, "")
	return string(c.call(t, "textDocument/completion", c.position(uri, line, char)))
}
